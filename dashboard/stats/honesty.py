"""The one honesty policy: when a statistic has enough data behind it to be shown.

Every page asks this module, so a median hidden on one page is hidden on all of them, and every
hidden value says why ("12 records — fewer than 30").

Thresholds (defaults in brackets) come from environment variables, else ``st.secrets``
(``[honesty]`` table with the same names in lower case, without the prefix), else defaults. This
module does not import Streamlit: the app hands it a reader of that table (``read_secrets_with``,
called by dashboard/app.py); without one (tests, scripts) only the environment counts.
- ``AIJOBS_MIN_N_MEDIAN`` (30): a median, p25 or p75, or a growth figure's smaller side.
- ``AIJOBS_MIN_N_PERCENTILE`` (100): p10 and p90 (tails need more data than the middle).
- ``AIJOBS_MIN_N_PREMIUM`` (30): a skill's pay premium needs this many postings with the skill
  *and* this many without.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.stats.format import count

_DEFAULTS = {"min_n_median": 30, "min_n_percentile": 100, "min_n_premium": 30}


@dataclass(frozen=True)
class Thresholds:
    min_n_median: int = 30
    min_n_percentile: int = 100
    min_n_premium: int = 30


_secrets: Callable[[], Mapping[str, object]] | None = None


def read_secrets_with(reader: Callable[[], Mapping[str, object]] | None) -> None:
    """Where ``thresholds`` looks after the environment: a function returning the ``[honesty]``
    table of the app's secrets (None: nowhere). Set by the app on every run."""
    global _secrets
    _secrets = reader


def _from_secrets(name: str) -> object | None:
    if _secrets is None:
        return None
    try:
        section = _secrets()
        return section.get(name) if hasattr(section, "get") else None
    except Exception:  # no secrets file, or not inside Streamlit
        return None


def thresholds() -> Thresholds:
    """Current thresholds: env var, then st.secrets["honesty"], then the default."""
    values = {}
    for name, default in _DEFAULTS.items():
        raw = os.environ.get(f"AIJOBS_{name.upper()}")
        if raw is None:
            raw = _from_secrets(name)
        try:
            value = int(raw) if raw is not None else default
        except (TypeError, ValueError):
            value = default
        values[name] = max(value, 1)
    return Thresholds(**values)


def _why(n: int, need: int, unit: str) -> str:
    units = unit if n != 1 else unit.rstrip("s")
    return f"{count(n)} {units} — fewer than {need}"


def median_reason(n: int, unit: str = "records", t: Thresholds | None = None) -> str | None:
    """Why a median (or p25/p75) over ``n`` values must be hidden; None when it can be shown."""
    t = t or thresholds()
    return None if n >= t.min_n_median else _why(n, t.min_n_median, unit)


def tail_reason(n: int, unit: str = "records", t: Thresholds | None = None) -> str | None:
    """Why p10/p90 over ``n`` values must be hidden; None when they can be shown."""
    t = t or thresholds()
    return None if n >= t.min_n_percentile else _why(n, t.min_n_percentile, unit)


def premium_reason(
    n_with: int, n_without: int, unit: str = "postings", t: Thresholds | None = None
) -> str | None:
    """Why a with/without pay premium must be hidden; None when both sides are large enough."""
    t = t or thresholds()
    if n_with < t.min_n_premium:
        return f"{_why(n_with, t.min_n_premium, unit)} with the skill"
    if n_without < t.min_n_premium:
        return f"{_why(n_without, t.min_n_premium, unit)} without the skill"
    return None


def mask_quantiles(
    frame: pd.DataFrame, unit: str = "records", t: Thresholds | None = None
) -> pd.DataFrame:
    """Blank the quantile cells of rows with too few values and say why in a ``note`` column.

    Expects columns ``n`` and any of p10, p25, p50, p75, p90. Returns a copy.
    """
    t = t or thresholds()
    out = frame.copy()
    notes: list[str] = []
    for i, n in enumerate(out["n"].astype("int64").tolist()):
        mid, tail = median_reason(n, unit, t), tail_reason(n, unit, t)
        for col in ("p25", "p50", "p75"):
            if mid and col in out.columns:
                out.iloc[i, out.columns.get_loc(col)] = float("nan")
        for col in ("p10", "p90"):
            if tail and col in out.columns:
                out.iloc[i, out.columns.get_loc(col)] = float("nan")
        notes.append(f"hidden: {mid}" if mid else (f"p10/p90 hidden: {tail}" if tail else ""))
    out["note"] = notes
    return out


def hide_thin(
    frame: pd.DataFrame, value: str, n: str, unit: str = "postings", t: Thresholds | None = None
) -> tuple[pd.DataFrame, int]:
    """Blank ``value`` (a share, a rate) where its denominator ``n`` is below the policy's
    minimum, so one posting in a month is never drawn as a 100 % spike.

    Returns a copy with a ``note`` column ("hidden: 1 posting — fewer than 30") and the number of
    points hidden (rows whose denominator is missing are left as they are).
    """
    t = t or thresholds()
    out = frame.copy()
    denominators = pd.to_numeric(out[n], errors="coerce")
    thin = denominators.notna() & (denominators < t.min_n_median)
    out["note"] = [
        f"hidden: {_why(int(d), t.min_n_median, unit)}" if is_thin else ""
        for d, is_thin in zip(denominators.fillna(0), thin, strict=True)
    ]
    out.loc[thin, value] = float("nan")
    return out, int(thin.sum())


def n_of(parts: pd.Series, totals: pd.Series, unit: str = "postings") -> list[str]:
    """Hover text of shares: "45 of 1,234 postings" ("" where the total is unknown)."""
    return [
        "" if pd.isna(whole) else f"{count(part)} of {count(whole)} {unit}"
        for part, whole in zip(parts, totals, strict=True)
    ]


def keep_enough(frame: pd.DataFrame, t: Thresholds | None = None) -> tuple[pd.DataFrame, int]:
    """Rows with n at the policy's minimum (the median threshold) and how many were dropped."""
    t = t or thresholds()
    ok = frame["n"] >= t.min_n_median
    return frame[ok], int((~ok).sum())
