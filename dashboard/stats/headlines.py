"""One-sentence, data-driven headlines for the Overview (pure: frames in, sentence out).

Each returns None, or a sentence saying why there is nothing to say, instead of a weak claim:
growth figures follow the honesty policy's median threshold for both halves compared.
"""

from __future__ import annotations

import pandas as pd

from dashboard.stats.format import count, money, percent
from dashboard.stats.honesty import Thresholds, median_reason, thresholds


def growth_sentence(monthly: pd.DataFrame, role: str, t: Thresholds | None = None) -> str | None:
    """Postings of ``role`` in H1 vs H2 of the latest year with both halves present."""
    t = t or thresholds()
    rows = monthly[monthly["role"] == role]
    if rows.empty:
        return None
    month = pd.to_datetime(rows["month"])
    frame = pd.DataFrame({"year": month.dt.year, "h2": month.dt.month > 6, "n": rows["n"].values})
    for year in sorted(frame["year"].unique(), reverse=True):
        y = frame[frame["year"] == year]
        if y["h2"].all() or not y["h2"].any():
            continue
        h1, h2 = int(y.loc[~y["h2"], "n"].sum()), int(y.loc[y["h2"], "n"].sum())
        why = median_reason(min(h1, h2), "postings", t)
        if why:
            return f"Too few {role} postings in one half of {year} to compare ({why})."
        change = h2 / h1 - 1
        verb = "grew" if change > 0 else "fell"
        return (
            f"{role} postings {verb} {percent(abs(change), 0)} between H1 and H2 "
            f"{year} in the selection ({count(h1)} → {count(h2)}): postings the sources "
            "collected, whose coverage changes over the year, not a count of the market (the "
            "Demand page's long view is the market trend)."
        )
    return None


def top_role_sentence(by_role: pd.DataFrame) -> str | None:
    """The most-posted role and its share (frame: value, n, share)."""
    if by_role.empty:
        return None
    top = by_role.sort_values("n", ascending=False).iloc[0]
    return (
        f"{top['value']} is the most-posted role: {count(top['n'])} postings "
        f"({percent(top['share'])} of the selection)."
    )


def median_sentence(
    n: int, median: float | None, years: tuple[object, object], currency: str = "USD"
) -> str:
    """Median survey-reported salary (already in ``currency``), or why it is hidden."""
    why = median_reason(int(n), "records")
    if why or median is None or pd.isna(median):
        return f"Median survey-reported salary hidden: {why or 'no records'}."
    return (
        f"Median survey-reported salary: {money(median, currency=currency)} per year "
        f"({count(n)} records, {years[0]}–{years[1]})."
    )


def top_skill_sentence(skills: pd.DataFrame) -> str | None:
    """The most requested skill and the share of postings asking for it."""
    if skills.empty:
        return None
    top = skills.iloc[0]
    share = percent(top["share"])
    return f"{top['skill']} is the most requested skill: {share} of postings ask for it."
