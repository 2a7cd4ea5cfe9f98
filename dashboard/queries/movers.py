"""Skill movers: postings asking for each skill in two periods, per role and over every role.

The periods replace the sidebar's month filter (every other filter applies). Counts come from
the ``posting_skill_counts`` cube and the denominators from the ``posting_counts`` cube, both
exact for whole months. The noise screen and ranking are dashboard/stats/movers.py.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters, month_bounds
from dashboard.queries.store import cached, fetch, where

ALL_ROLES = "All roles"


@cached
def month_postings(store: str, version: str, f: Filters) -> pd.DataFrame:
    """month ('YYYY-MM'), postings: the selection's postings per month, every month filter off."""
    w, p = where(f, "posting_counts", skip=("time",))
    return fetch(
        store,
        version,
        f"""SELECT strftime(month, '%Y-%m') AS month, CAST(sum(postings) AS BIGINT) AS postings
            FROM posting_counts {w} GROUP BY month ORDER BY month""",
        p,
    )


@cached
def skill_counts_in_periods(
    store: str, version: str, f: Filters, period_a: tuple[str, str], period_b: tuple[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, totals) for stats.movers.skill_movers: per group (each role, and ALL_ROLES) and
    skill the postings asking for it in period A and B; per group all postings in A and B."""
    a0, a1 = month_bounds(period_a)
    b0, b1 = month_bounds(period_b)
    w, p = where(f, "posting_counts", skip=("time",))
    in_ab = "(month >= ? AND month < ?) OR (month >= ? AND month < ?)"
    w = (w + " AND " if w else "WHERE ") + f"({in_ab})"
    counts = fetch(
        store,
        version,
        f"""
        SELECT COALESCE(role, ?) AS "group", skill,
               CAST(coalesce(sum(postings) FILTER (WHERE month >= ? AND month < ?), 0) AS BIGINT)
                   AS with_a,
               CAST(coalesce(sum(postings) FILTER (WHERE month >= ? AND month < ?), 0) AS BIGINT)
                   AS with_b
        FROM posting_skill_counts {w}
        GROUP BY GROUPING SETS ((role, skill), (skill))
        """,
        [ALL_ROLES, a0, a1, b0, b1, *p, a0, a1, b0, b1],
    )
    cw, cp = where(f, "posting_counts", skip=("time",))
    totals = fetch(
        store,
        version,
        f"""
        SELECT COALESCE(role, ?) AS "group",
               CAST(COALESCE(sum(postings) FILTER (WHERE month >= ? AND month < ?), 0) AS BIGINT)
                   AS n_a,
               CAST(COALESCE(sum(postings) FILTER (WHERE month >= ? AND month < ?), 0) AS BIGINT)
                   AS n_b
        FROM posting_counts {cw}
        GROUP BY GROUPING SETS ((role), ())
        """,
        [ALL_ROLES, a0, a1, b0, b1, *cp],
    )
    return counts, totals
