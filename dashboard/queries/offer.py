"""'Is this offer good?': the pay figures of one role, survey-reported and advertised.

The page's own inputs choose the role; the sidebar filters do not apply (the checker compares
with every figure of the role, then narrows to seniority and place in dashboard/stats/offer.py).
Nothing about the user's offer reaches this module: it only reads the store.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.sources import provenance
from dashboard.queries.store import cached, fetch
from dashboard.stats.provenance import Provenance

SURVEY_YEARS = 2
"""Survey answers of the latest this-many work years are compared (older pay is another market)."""


def _survey_years(store: str, version: str, role: str) -> list[int]:
    """The latest SURVEY_YEARS work years with salary records of ``role``."""
    years = fetch(
        store,
        version,
        "SELECT DISTINCT year FROM salaries WHERE role = ? ORDER BY year DESC",
        [role],
    )["year"]
    return [int(y) for y in years.head(SURVEY_YEARS)]


@cached
def role_pay_provenance(store: str, version: str, role: str, kind: str) -> Provenance:
    """The sources, period and n of the figures ``role_pay`` returns for the same arguments."""
    if kind == "survey":
        years = _survey_years(store, version, role)
        f = Filters(roles=(role,), years=(min(years), max(years)) if years else None)
        return provenance(store, version, f, "salaries", "survey records")
    return provenance(store, version, Filters(roles=(role,)), "advertised", "postings with pay")


@cached
def role_pay(store: str, version: str, role: str, kind: str) -> tuple[pd.DataFrame, str]:
    """(seniority, country_code, region, salary_usd per figure; the period they cover in words).

    ``kind`` 'survey': salary records of the latest SURVEY_YEARS work years; 'advertised':
    postings that state pay (every posting date).
    """
    if kind == "survey":
        years = _survey_years(store, version, role)
        if not years:
            return pd.DataFrame(columns=["seniority", "country_code", "region", "salary_usd"]), ""
        frame = fetch(
            store,
            version,
            """SELECT seniority, country_code, region, salary_usd FROM salaries
               WHERE role = ? AND list_contains(?::INTEGER[], year) AND salary_usd IS NOT NULL""",
            [role, years],
        )
        lo, hi = min(years), max(years)
        return frame, f"work years {lo}–{hi}" if lo != hi else f"work year {lo}"
    if kind != "advertised":
        raise ValueError(f"unknown kind {kind!r}; expected survey or advertised")
    frame = fetch(
        store,
        version,
        """SELECT seniority, country_code, region, salary_usd, posted_date FROM postings
           WHERE role = ? AND salary_usd IS NOT NULL""",
        [role],
    )
    if frame.empty:
        return frame.drop(columns="posted_date"), ""
    lo, hi = frame["posted_date"].min(), frame["posted_date"].max()
    return frame.drop(columns="posted_date"), f"posted {lo:%Y-%m}…{hi:%Y-%m}"
