"""The pay currency: one selector in the sidebar for every pay figure, mirrored in the URL (?cur=).

The app renders it once per run (``picker``); pages read the choice with ``current``. Conversion
itself is dashboard/stats/currency.py (ECB rates at the data's date).
"""

from __future__ import annotations

import streamlit as st

from dashboard.stats.currency import DEFAULT_CURRENCY, currencies

PARAM = "cur"
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
