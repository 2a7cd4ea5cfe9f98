"""The pay currency: one selector in the sidebar for every pay figure, mirrored in the URL (?cur=).

The app renders it once per run (``picker``), on every page, so the choice and its ?cur= survive
navigation; pages read it with ``current``, convert with ``convert``/``shown`` (at ``rate_day``)
and say how with ``caption``. Conversion itself is dashboard/stats/currency.py (ECB rates at the
data's date).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.stats import currency as conv
from dashboard.stats.currency import DEFAULT_CURRENCY, currencies
from dashboard.ui.context import Context
from dashboard.ui.url import CURRENCY_KEY

PARAM = CURRENCY_KEY
KEY = "pay_currency"


def picker() -> str:
    """The sidebar's currency box (USD by default, or the URL's ?cur=); returns the code."""
    options = currencies()
    if KEY not in st.session_state:
        wanted = str(st.query_params.get(PARAM, DEFAULT_CURRENCY)).upper()
        st.session_state[KEY] = wanted if wanted in options else DEFAULT_CURRENCY
    code = st.sidebar.selectbox(
        "Pay currency",
        options,
        key=KEY,
        help="Every pay figure in this currency, at the ECB reference rate of the data's date "
        "(no purchasing-power adjustment).",
    )
    if code == DEFAULT_CURRENCY:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != code:
        st.query_params[PARAM] = code
    return code


def current() -> str:
    """The chosen pay currency (USD before the picker has run)."""
    return str(st.session_state.get(KEY, DEFAULT_CURRENCY))


def rate_day(ctx: Context, kind: str) -> int | date | None:
    """The date a ``kind`` ("survey" or "advertised") pay aggregate over the selection is
    converted at: its latest survey year (-> 1 July) or its latest posting month's first day."""
    f, o = ctx.filters, ctx.options
    return conv.aggregate_day(kind, f.years, f.months, o.years, o.months)


def convert(usd: float | None, on: int | date | None) -> float:
    """A USD figure in the chosen currency at ``on``."""
    return conv.convert(usd, current(), on)


def shown(usd: float | None, on: int | date | None) -> str:
    """A USD figure in the chosen currency at ``on``, formatted ("€123k")."""
    return conv.money(convert(usd, on), current())


def in_currency(quantiles: pd.DataFrame, on: int | date | pd.Series | None) -> pd.DataFrame:
    """Pay quantiles (p10…p90, USD) in the chosen currency at ``on`` (one date, or one per row),
    with the rate and its date as columns; n and groups unchanged."""
    if current() == DEFAULT_CURRENCY:
        return quantiles
    cols = [c for c in ("p10", "p25", "p50", "p75", "p90") if c in quantiles.columns]
    return conv.convert_columns(quantiles, cols, current(), on)


def caption(what: str, on: int | date | None) -> None:
    """Under converted figures: "<what> in EUR at the ECB reference rate of <date> (1 USD = …)";
    nothing in USD, the store's own currency."""
    if current() != DEFAULT_CURRENCY:
        st.caption(
            f"{what} {conv.rate_note(current(), on)} (sidebar: Pay currency); not adjusted for "
            "purchasing power."
        )
