"""Statistics over bands (survey pay bands, bands of years): counts, the median band, labels.

Why a module of its own: a band is not an amount. The Kaggle survey publishes pay as "$100,000-
124,999" and experience as "1-2 years", so the honest statistics are band counts and the band
that holds the middle respondent, never a mean or a mid-point presented as a salary. Pure
functions over small DataFrames; no Streamlit, no SQL.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from dashboard.stats.format import count

_YEARS = re.compile(r"^(?:<(?P<below>[\d.]+)|(?P<low>[\d.]+)(?:-(?P<high>[\d.]+)|(?P<plus>\+))?)$")


def years_order(code: str) -> tuple[float, float]:
    """Sort key of a years code ("0", "<1", "1-3", "20+"): low edge, then high edge."""
    m = _YEARS.match(str(code))
    if m is None:
        return (math.inf, math.inf)
    if m["below"]:
        return (0.0, float(m["below"]))
    low = float(m["low"])
    if m["plus"]:
        return (low, math.inf)
    return (low, float(m["high"]) if m["high"] else low)


def years_label(code: str) -> str:
    """A years code in words: "0" -> "none", "<1" -> "under 1 year", "1-2" -> "1–2 years",
    "20+" -> "20+ years"."""
    code = str(code)
    if code == "0":
        return "none"
    if code.startswith("<"):
        n = code[1:]
        return f"under {n} year" + ("" if n == "1" else "s")
    if code.endswith("+"):
        return f"{code} years"
    return code.replace("-", "–") + " years"


def _money(value: float) -> str:
    return f"${value:,.0f}"


def band_label(low: float, high: float | None) -> str:
    """ "$100,000–124,999", "$1,000,000+" (a band's own edges, as published)."""
    if high is None or (isinstance(high, float) and math.isnan(high)):
        return f"{_money(low)}+"
    return f"{_money(low)}–{high:,.0f}"


def band_distribution(bands: pd.DataFrame) -> pd.DataFrame:
    """Bands (salary_min_usd, salary_max_usd, n) of one group -> ordered rows with ``label``,
    ``share`` (of the group's respondents, 0-1) and ``cumulative`` share."""
    if bands.empty:
        return bands.assign(label=pd.Series(dtype="object"), share=0.0, cumulative=0.0)
    out = bands.sort_values(["salary_min_usd", "salary_max_usd"], na_position="last")
    out = out.reset_index(drop=True)
    total = out["n"].sum()
    out["label"] = [
        band_label(lo, None if pd.isna(hi) else hi)
        for lo, hi in zip(out["salary_min_usd"], out["salary_max_usd"], strict=True)
    ]
    out["share"] = out["n"] / total
    out["cumulative"] = out["n"].cumsum() / total
    return out


def median_band(bands: pd.DataFrame) -> pd.Series | None:
    """The band holding the middle respondent (the first whose cumulative share reaches 50%):
    a row of ``band_distribution``; None when there are no bands."""
    dist = band_distribution(bands)
    if dist.empty:
        return None
    return dist.loc[dist["cumulative"] >= 0.5].iloc[0]


def median_code(codes: pd.DataFrame, column: str) -> str | None:
    """The band code (years) holding the middle respondent of ``codes`` (column, n)."""
    if codes.empty or codes["n"].sum() == 0:
        return None
    ordered = codes.assign(_k=codes[column].map(years_order)).sort_values("_k")
    cumulative = ordered["n"].cumsum() / ordered["n"].sum()
    return str(ordered.loc[cumulative >= 0.5, column].iloc[0])


def n_label(n: int, unit: str = "respondents") -> str:
    """ "n = 593 respondents"."""
    return f"n = {count(n)} {unit if n != 1 else unit.rstrip('s')}"
