"""Skill movers: which skills' share of postings rose or fell between two periods, beyond noise.

A skill's *share* in a period is the postings that ask for it divided by all postings of the group
(a role, or every role) in that period. A change counts only when it passes a noise screen:

1. enough data: the group has at least ``min_postings`` postings in each period, and the expected
   number of postings with (and without) the skill is at least ``min_expected`` in each period
   (the usual condition for the normal approximation below);
2. a two-proportion z-test (pooled): how surprising the difference would be if the true share had
   not changed at all, as a p-value;
3. a Benjamini-Hochberg adjustment of those p-values across the skills of the group (many skills
   are tested at once, so a few would look "significant" by chance alone); the adjusted value
   (``q``) must be below ``alpha``.

A skill absent in the first period and present in the second (passing the same screen) is *new*;
present then absent is *vanishing*; they are listed apart from the risers and fallers.
The test is a few lines of arithmetic on the normal distribution (math.erfc), so it needs no
SciPy/statsmodels dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

ROSE, FELL, NOISE, NEW, VANISHED, THIN = (
    "rose",
    "fell",
    "no clear change",
    "new",
    "vanishing",
    "too little data",
)
"""The verdicts, one per (group, skill)."""

EXPLANATION = (
    "A skill counts as a mover only when both periods have enough postings and a two-proportion "
    "z-test says the change in its share is unlikely to be chance (p-values adjusted with "
    "Benjamini-Hochberg for the many skills tested at once; adjusted q below {alpha:g}). "
    "'No clear change' means the difference is within what random variation gives."
)


@dataclass(frozen=True)
class MoverRules:
    """The noise screen. ``min_postings`` per group and period; ``min_expected`` expected
    postings with and without the skill per period; ``alpha`` for the adjusted p-value."""

    min_postings: int = 100
    min_expected: float = 5.0
    alpha: float = 0.05


def two_proportion_p(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-sided p-values of the pooled two-proportion z-test (k successes out of n), vectorised.
    NaN where a side has no postings or the pooled share is 0 or 1 (nothing to test)."""
    k1, n1, k2, n2 = (np.asarray(a, dtype="float64") for a in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k2 / n2 - k1 / n1) / se
    erfc = np.vectorize(math.erfc, otypes=["float64"])
    p = np.where(np.isfinite(z), erfc(np.abs(np.nan_to_num(z)) / math.sqrt(2)), np.nan)
    return p


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q); NaN entries are left out and stay NaN."""
    p = np.asarray(p, dtype="float64")
    q = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size == 0:
        return q
    order = ok[np.argsort(p[ok], kind="stable")]
    m = order.size
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q[order] = np.minimum(ranked, 1.0)
    return q


def skill_movers(
    counts: pd.DataFrame, totals: pd.DataFrame, rules: MoverRules | None = None
) -> pd.DataFrame:
    """Per group and skill: both shares, both n, the change, p, q and a verdict.

    ``counts``: columns group, skill, with_a, with_b (postings asking for the skill in period A
    and B; a skill missing from a period may be 0). ``totals``: columns group, n_a, n_b (all
    postings of the group in each period). Returns one row per (group, skill) with share_a,
    share_b, change (share_b - share_a, in share points), p, q and verdict (ROSE, FELL, NOISE,
    NEW, VANISHED or THIN), sorted by group then change (largest rise first).
    """
    rules = rules or MoverRules()
    out = counts.merge(totals, on="group", how="inner", validate="many_to_one")
    for col in ("with_a", "with_b", "n_a", "n_b"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    n_a, n_b = out["n_a"].to_numpy(), out["n_b"].to_numpy()
    k_a, k_b = out["with_a"].to_numpy(), out["with_b"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_a"] = np.where(n_a > 0, k_a / n_a, np.nan)
        out["share_b"] = np.where(n_b > 0, k_b / n_b, np.nan)
        pooled = (k_a + k_b) / (n_a + n_b)
    out["change"] = out["share_b"] - out["share_a"]
    expected = np.minimum.reduce(
        [pooled * n_a, (1 - pooled) * n_a, pooled * n_b, (1 - pooled) * n_b]
    )
    enough = (n_a >= rules.min_postings) & (n_b >= rules.min_postings)
    testable = enough & (expected >= rules.min_expected)
    p = np.where(testable, two_proportion_p(k_a, n_a, k_b, n_b), np.nan)
    out["p"] = p
    q = np.full(len(out), np.nan)
    for _, rows in out.groupby("group", sort=False).indices.items():
        q[rows] = benjamini_hochberg(p[rows])
    out["q"] = q
    clear = testable & (q < rules.alpha)
    verdict = np.select(
        [
            ~testable,
            clear & (k_a == 0),
            clear & (k_b == 0),
            clear & (k_b / np.maximum(n_b, 1) > k_a / np.maximum(n_a, 1)),
            clear,
        ],
        [THIN, NEW, VANISHED, ROSE, FELL],
        default=NOISE,
    )
    out["verdict"] = verdict
    cols = ["group", "skill", "share_a", "share_b", "change", "with_a", "n_a", "with_b", "n_b"]
    out = out[[*cols, "p", "q", "verdict"]]
    return out.sort_values(["group", "change", "skill"], ascending=[True, False, True]).reset_index(
        drop=True
    )


def top_movers(movers: pd.DataFrame, group: str, n: int = 10) -> dict[str, pd.DataFrame]:
    """The ``n`` largest risers and fallers of ``group`` that pass the screen, and its new and
    vanishing skills (all of them, most frequent first)."""
    g = movers[movers["group"] == group]
    return {
        ROSE: g[g["verdict"] == ROSE].nlargest(n, "change"),
        FELL: g[g["verdict"] == FELL].nsmallest(n, "change"),
        NEW: g[g["verdict"] == NEW].sort_values("with_b", ascending=False),
        VANISHED: g[g["verdict"] == VANISHED].sort_values("with_a", ascending=False),
    }


Period = tuple[str, str]
"""First and last month, 'YYYY-MM', inclusive."""


def default_periods(
    month_postings: pd.DataFrame, min_postings: int
) -> tuple[Period, Period] | None:
    """The first view's periods: the two halves of the latest year in which each half has at
    least ``min_postings`` postings (the store's postings are mostly one 2023 scrape plus a few
    hundred live ones, so this is H1 vs H2 2023 on the real data); else the earlier and later
    half of the months with data; None when there are fewer than two months.

    ``month_postings``: columns month ('YYYY-MM') and postings.
    """
    months = month_postings[month_postings["postings"] > 0].sort_values("month")
    if len(months) < 2:
        return None
    year = months["month"].str[:4]
    half = (months["month"].str[5:7].astype(int) > 6).map({False: "H1", True: "H2"})
    by = months.groupby([year, half])["postings"].sum().unstack(fill_value=0)
    for y in sorted(by.index, reverse=True):
        if {"H1", "H2"} <= set(by.columns) and min(
            by.loc[y, "H1"], by.loc[y, "H2"]
        ) >= min_postings:
            return (f"{y}-01", f"{y}-06"), (f"{y}-07", f"{y}-12")
    listed = months["month"].tolist()
    mid = len(listed) // 2
    return (listed[0], listed[mid - 1]), (listed[mid], listed[-1])


def describe_period(period: Period) -> str:
    """'2023-01…2023-06' as 'H1 2023', a single month as itself, else 'first…last'."""
    a, b = period
    if a[:4] == b[:4] and (a[5:], b[5:]) in (("01", "06"), ("07", "12")):
        return ("H1 " if a[5:] == "01" else "H2 ") + a[:4]
    if a[:4] == b[:4] and (a[5:], b[5:]) == ("01", "12"):
        return a[:4]
    return a if a == b else f"{a}…{b}"
