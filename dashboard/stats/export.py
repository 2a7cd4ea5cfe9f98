"""CSV files the app offers: one function builds every one of them.

``to_csv_bytes`` is the single place a DataFrame becomes a downloadable CSV (the Data page's rows,
and the numbers under every chart via dashboard/ui/download.py), so one rule applies to all:
a text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return; OWASP "CSV injection") is written with a leading ``'``. Numbers are
left as numbers.
"""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose formula-like text cells (and column names) start with ``'``.

    Also for tables shown with ``st.dataframe``: its toolbar offers the table as a CSV that
    Streamlit writes without this rule, so pages pass source text (titles, messages) through it
    before showing it. The value stays readable; numbers, dates and missing values are untouched.
    """
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(_neutralise)
    safe.columns = [_neutralise(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV bytes (no index), formula-like text cells neutralised."""
    # CRLF rows (RFC 4180): a field holding a bare CR is then quoted, not split into two rows
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")
