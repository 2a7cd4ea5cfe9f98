"""Pay: quantiles of survey-reported and advertised pay, skill pay by seniority, skill premiums.

Same conventions as the rest of dashboard/queries/. The bootstrap premiums need per-posting pay:
``premiums`` reads it (all of it, or the buckets near the ranks it reads: premium_amounts.py) and
computes them with dashboard/stats/ inside the cached function (the result is cached, not rows).
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries import premium_amounts, quantiles
from dashboard.queries.filters import Filters
from dashboard.queries.store import cached, check, fetch, where
from dashboard.stats import premium
from dashboard.stats.honesty import Thresholds

SALARY_DIMS = ("role", "seniority", "remote", "region", "country_code", "year", "company_size")
SALARY_KINDS = ("survey", "advertised")


QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


@cached
def salary_quantiles(
    store: str, version: str, f: Filters, kind: str, by: tuple[str, ...] = ()
) -> pd.DataFrame:
    """n, p10, p25, p50, p75, p90 of annual USD pay, grouped by ``by`` columns.

    kind 'survey' reads salary records' pay; 'advertised' postings that state pay. For advertised
    pay, 'year' is the posting year. Exactly DuckDB's quantile_cont of the amounts, read from the
    pay marts (dashboard/queries/quantiles.py).
    """
    check(kind, SALARY_KINDS, "salary kind")
    for col in by:
        check(col, SALARY_DIMS, "grouping")
    got = quantiles.pay_quantiles(store, version, f, kind, by, QUANTILES)
    return got.rename(columns={q: f"p{round(q * 100)}" for q in QUANTILES})


@cached
def skill_pay_by_seniority(
    store: str, version: str, f: Filters, skills: tuple[str, ...]
) -> pd.DataFrame:
    """skill, seniority, n_with, median_with, n_without, median_without (advertised pay)."""
    cols = ["skill", "seniority", "n_with", "median_with", "n_without", "median_without"]
    if not skills:
        return pd.DataFrame(columns=cols)
    w, p = where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "salary_usd IS NOT NULL"
    return fetch(
        store,
        version,
        f"""
        WITH p AS (SELECT posting_id, seniority, salary_usd FROM postings {w}),
             k AS (SELECT unnest(?::VARCHAR[]) AS skill),
             has AS (SELECT DISTINCT s.posting_id, s.skill FROM posting_skills s
                     JOIN p USING (posting_id) JOIN k USING (skill)),
             x AS (SELECT k.skill, p.seniority, p.salary_usd,
                          has.posting_id IS NOT NULL AS has_skill
                   FROM k CROSS JOIN p
                   LEFT JOIN has ON has.posting_id = p.posting_id AND has.skill = k.skill)
        SELECT skill, seniority,
               count(*) FILTER (WHERE has_skill) AS n_with,
               median(salary_usd) FILTER (WHERE has_skill) AS median_with,
               count(*) FILTER (WHERE NOT has_skill) AS n_without,
               median(salary_usd) FILTER (WHERE NOT has_skill) AS median_without
        FROM x GROUP BY skill, seniority ORDER BY skill, seniority
        """,
        [*p, list(skills)],
    )


@cached
def premiums(
    store: str,
    version: str,
    f: Filters,
    skills: tuple[str, ...],
    roles: tuple[str, ...] | None = None,
    t: Thresholds | None = None,
) -> pd.DataFrame:
    """Raw and seniority-adjusted premium per skill (and role; None = all roles pooled)."""
    if not skills:
        return pd.DataFrame(columns=premium.PREMIUM_COLUMNS)
    return premium_amounts.premium_tables(store, version, f, skills, roles, t)[0]


@cached
def premiums_with_levels(
    store: str,
    version: str,
    f: Filters,
    skills: tuple[str, ...],
    roles: tuple[str, ...] | None = None,
    t: Thresholds | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``premiums`` and, from the same fetch, its per-level rows (role, skill, LEVEL_COLUMNS)."""
    if not skills:
        return (
            pd.DataFrame(columns=premium.PREMIUM_COLUMNS),
            pd.DataFrame(columns=["role", "skill", *premium.LEVEL_COLUMNS]),
        )
    return premium_amounts.premium_tables(store, version, f, skills, roles, t)
