"""Skill pay premiums that survive scrutiny: raw and seniority-adjusted, with n and an interval.

A raw premium (median pay of postings asking for a skill ÷ median of those that do not, − 1)
mostly measures seniority: skills that senior postings ask for look "well paid". The adjusted
premium compares pay *within* each seniority level and combines the levels' premiums weighted by
how many postings with the skill each level has, so a different seniority mix cannot create it.

Postings whose title states no level (``unknown``) are left out of the adjusted premium: they mix
every level, so comparing within them would bring the mix back. A level is used only when it has
enough postings with *and* without the skill (the honesty policy's premium threshold); the result
says which levels were used and what share of the postings with the skill they hold.

Both come with a percentile-bootstrap 90% interval (resampling postings within each group
compared, seeded per role and skill so the same data always gives the same interval). Pure:
frames in, frames out.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.honesty import Thresholds, premium_reason, thresholds
from etl.contract import SENIORITY_CODES

ALL_ROLES = "All roles"
EXCLUDED_LEVELS: tuple[str, ...] = ("unknown",)
N_BOOT = 2000
LEVEL = 0.90

PREMIUM_COLUMNS = [
    "role",
    "skill",
    "n_with",
    "n_without",
    "median_with",
    "median_without",
    "raw",
    "raw_low",
    "raw_high",
    "raw_note",
    "adjusted",
    "adjusted_low",
    "adjusted_high",
    "adjusted_n_with",
    "adjusted_n_without",
    "levels",
    "coverage",
    "adjusted_note",
]


@dataclass(frozen=True)
class Premium:
    """One premium: the estimate and its interval, or a note saying why it is hidden."""

    value: float | None
    low: float | None
    high: float | None
    n_with: int
    n_without: int
    note: str = ""  # "" when shown
    levels: tuple[str, ...] = ()  # adjusted only: the seniority levels compared
    coverage: float | None = None  # adjusted only: share of the with-skill postings they hold


def seed_for(role: str, skill: str, seed: int = 0) -> int:
    """A stable seed per (role, skill): an interval does not depend on what else is computed."""
    return zlib.crc32(f"{role}\x1f{skill}".encode()) ^ seed


def bootstrap_medians(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Medians of ``n_boot`` resamples (with replacement, same size) of ``values``, in O(n_boot).

    Exact, without building the resamples: a resample is n draws of floor(n·U) into the sorted
    values, so its k-th smallest is x[floor(n·U₍ₖ₎)] with U₍ₖ₎ ~ Beta(k, n+1−k), and the next one
    is U₍ₖ₊₁₎ = U₍ₖ₎ + (1 − U₍ₖ₎)·Beta(1, n−k). An even n averages the two middle ones, as
    ``np.median`` does.
    """
    x = np.sort(np.asarray(values, dtype="float64"))
    n = len(x)
    if n == 0:
        return np.full(n_boot, np.nan)
    k = (n + 1) // 2
    u = rng.beta(k, n + 1 - k, n_boot)
    lo = x[np.minimum((u * n).astype("int64"), n - 1)]
    if n % 2:
        return lo
    u2 = u + (1 - u) * rng.beta(1, n - k, n_boot)
    return (lo + x[np.minimum((u2 * n).astype("int64"), n - 1)]) / 2


def _interval(draws: np.ndarray) -> tuple[float, float]:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def _clean(pay: object, has: object) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(pay, dtype="float64")
    h = np.asarray(has, dtype=bool)
    ok = np.isfinite(p) & (p > 0)
    return p[ok], h[ok]


def raw_premium(
    pay: Sequence[float] | np.ndarray | pd.Series,
    has: Sequence[bool] | np.ndarray | pd.Series,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> Premium:
    """median(pay | skill) ÷ median(pay | no skill) − 1 over all postings given, with a 90% CI."""
    t = t or thresholds()
    p, h = _clean(pay, has)
    w, wo = p[h], p[~h]
    why = premium_reason(len(w), len(wo), "postings", t)
    if why:
        return Premium(None, None, None, len(w), len(wo), f"hidden: {why}")
    value = float(np.median(w) / np.median(wo) - 1)
    rng = np.random.default_rng(seed)
    draws = bootstrap_medians(w, n_boot, rng) / bootstrap_medians(wo, n_boot, rng) - 1
    return Premium(value, *_interval(draws), len(w), len(wo))


def level_breakdown(
    pay: Sequence[float] | np.ndarray | pd.Series,
    has: Sequence[bool] | np.ndarray | pd.Series,
    level: Sequence[str] | np.ndarray | pd.Series,
    *,
    t: Thresholds | None = None,
    excluded: tuple[str, ...] = EXCLUDED_LEVELS,
) -> pd.DataFrame:
    """Per seniority level: n and median with / without, the level's premium, used or why not."""
    t = t or thresholds()
    p = np.asarray(pay, dtype="float64")
    h = np.asarray(has, dtype=bool)
    lv = np.asarray(pd.Series(level, dtype="object").fillna("unknown"), dtype=object)
    ok = np.isfinite(p) & (p > 0)
    rows = []
    order = [s for s in SENIORITY_CODES if s in set(lv[ok])]
    order += sorted(set(lv[ok]) - set(order))
    for s in order:
        m = ok & (lv == s)
        w, wo = p[m & h], p[m & ~h]
        if s in excluded:
            why = "title states no level: mixes every level"
        else:
            why = premium_reason(len(w), len(wo), "postings", t)
        med_w = float(np.median(w)) if len(w) else None
        med_wo = float(np.median(wo)) if len(wo) else None
        rows.append(
            {
                "seniority": s,
                "n_with": len(w),
                "median_with": med_w,
                "n_without": len(wo),
                "median_without": med_wo,
                "premium": (med_w / med_wo - 1) if med_w is not None and med_wo else None,
                "used": why is None,
                "note": "" if why is None else f"not used: {why}",
            }
        )
    cols = ["seniority", "n_with", "median_with", "n_without", "median_without", "premium"]
    return pd.DataFrame(rows, columns=[*cols, "used", "note"])


def adjusted_premium(
    pay: Sequence[float] | np.ndarray | pd.Series,
    has: Sequence[bool] | np.ndarray | pd.Series,
    level: Sequence[str] | np.ndarray | pd.Series,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
    excluded: tuple[str, ...] = EXCLUDED_LEVELS,
) -> Premium:
    """Σ over levels of w_level × (median with ÷ median without − 1), w = share of with-postings.

    Only levels with enough postings on both sides take part; the interval resamples postings
    within each level and side (the weights stay fixed, as the group sizes do).
    """
    t = t or thresholds()
    table = level_breakdown(pay, has, level, t=t, excluded=excluded)
    used = table[table["used"]]
    n_with_all = int(table.loc[~table["seniority"].isin(excluded), "n_with"].sum())
    if used.empty:
        known = table[~table["seniority"].isin(excluded)]
        if known.empty:
            why = "no posting with pay states its seniority"
        else:
            best = known.sort_values(["n_with", "n_without"], ascending=False).iloc[0]
            why = (
                f"no level has {t.min_n_premium} with and {t.min_n_premium} "
                f"without (best: {best['seniority']}, {int(best['n_with'])} with, "
                f"{int(best['n_without'])} without)"
            )
        return Premium(None, None, None, 0, 0, f"hidden: {why}")
    weights = used["n_with"].to_numpy(dtype="float64")
    weights = weights / weights.sum()
    value = float(np.dot(weights, used["premium"].to_numpy(dtype="float64")))
    p = np.asarray(pay, dtype="float64")
    h = np.asarray(has, dtype=bool)
    lv = np.asarray(pd.Series(level, dtype="object").fillna("unknown"), dtype=object)
    ok = np.isfinite(p) & (p > 0)
    rng = np.random.default_rng(seed)
    draws = np.zeros(n_boot)
    for wgt, s in zip(weights, used["seniority"], strict=True):
        m = ok & (lv == s)
        ratio = bootstrap_medians(p[m & h], n_boot, rng) / bootstrap_medians(p[m & ~h], n_boot, rng)
        draws += wgt * (ratio - 1)
    n_w, n_wo = int(used["n_with"].sum()), int(used["n_without"].sum())
    return Premium(
        value,
        *_interval(draws),
        n_w,
        n_wo,
        levels=tuple(used["seniority"]),
        coverage=n_w / n_with_all if n_with_all else None,
    )


def premium_table(
    pay: pd.DataFrame,
    posting_skills: pd.DataFrame,
    skills: Sequence[str],
    roles: Sequence[str] | None = None,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> pd.DataFrame:
    """Raw and adjusted premium per skill and role (PREMIUM_COLUMNS).

    ``pay``: one row per posting with pay (posting_id, role, seniority, salary_usd);
    ``posting_skills``: (posting_id, skill). ``roles`` None pools every role as "All roles".
    """
    t = t or thresholds()
    has_sets = {
        s: set(posting_skills.loc[posting_skills["skill"] == s, "posting_id"]) for s in skills
    }
    groups: list[tuple[str, pd.DataFrame]] = (
        [(ALL_ROLES, pay)] if roles is None else [(r, pay[pay["role"] == r]) for r in roles]
    )
    rows = []
    for role, frame in groups:
        ids = frame["posting_id"].to_numpy(dtype=object)
        salary = frame["salary_usd"].to_numpy(dtype="float64")
        level = frame["seniority"].to_numpy(dtype=object)
        for skill in skills:
            has = np.fromiter((i in has_sets[skill] for i in ids), dtype=bool, count=len(ids))
            seed_rs = seed_for(role, skill, seed)
            raw = raw_premium(salary, has, t=t, n_boot=n_boot, seed=seed_rs)
            adj = adjusted_premium(salary, has, level, t=t, n_boot=n_boot, seed=seed_rs)
            p, h = _clean(salary, has)
            rows.append(
                {
                    "role": role,
                    "skill": skill,
                    "n_with": raw.n_with,
                    "n_without": raw.n_without,
                    "median_with": float(np.median(p[h])) if h.any() else None,
                    "median_without": float(np.median(p[~h])) if (~h).any() else None,
                    "raw": raw.value,
                    "raw_low": raw.low,
                    "raw_high": raw.high,
                    "raw_note": raw.note,
                    "adjusted": adj.value,
                    "adjusted_low": adj.low,
                    "adjusted_high": adj.high,
                    "adjusted_n_with": adj.n_with,
                    "adjusted_n_without": adj.n_without,
                    "levels": ", ".join(adj.levels),
                    "coverage": adj.coverage,
                    "adjusted_note": adj.note,
                }
            )
    out = pd.DataFrame(rows, columns=PREMIUM_COLUMNS)
    for c in ("median_with", "median_without", "raw", "raw_low", "raw_high", "adjusted",
              "adjusted_low", "adjusted_high", "coverage"):  # fmt: skip
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


def describe(value: float | None, low: float | None, high: float | None, note: str) -> str:
    """ "+12% (90% CI +4% to +20%)", or the reason it is hidden."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return note.removeprefix("hidden: ") or "—"
    return f"{_pct(value)} (90% CI {_pct(low)} to {_pct(high)})"


def _pct(x: float | None) -> str:
    r = round(float(x) * 100)  # type: ignore[arg-type]
    return f"{r:+d}%" if r else "0%"  # never "-0%"
