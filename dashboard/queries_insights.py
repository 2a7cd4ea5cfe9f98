"""Queries behind the insights: AI share of postings, skill pay by seniority, role × skill counts.

Same conventions as dashboard/queries.py (whose helpers this imports): hashable arguments (store
path, store version, a frozen Filters, tuples), parameterised SQL, aggregation in SQL where a
number is all that is needed, cached with st.cache_data keyed on the store version. The bootstrap
premiums need per-posting pay, so ``premiums`` fetches the few columns it needs and computes them
with dashboard/premium.py inside the cached function (the result is cached, not the rows).
"""

from __future__ import annotations

import pandas as pd

from dashboard import premium
from dashboard.filters import Filters
from dashboard.honesty import Thresholds
from dashboard.queries import _cache, _check, _df, _posting_cte, _where

AI_DIMS = ("region", "country_code")


@_cache
def ai_share_by_month(store: str, version: str, f: Filters) -> pd.DataFrame:
    """month, n (postings), ai, by_title, by_skills, share (ai ÷ n) of the selection."""
    w, p = _where(f, "postings")
    return _df(
        store,
        version,
        f"""
        SELECT date_trunc('month', posted_date) AS month, count(*) AS n,
               count(*) FILTER (WHERE is_ai) AS ai,
               count(*) FILTER (WHERE ai_basis = 'title') AS by_title,
               count(*) FILTER (WHERE ai_basis = 'skills') AS by_skills,
               count(*) FILTER (WHERE is_ai) / count(*) AS share
        FROM postings {w} GROUP BY month ORDER BY month
        """,
        p,
    )


@_cache
def ai_share_by(store: str, version: str, f: Filters, dim: str) -> pd.DataFrame:
    """value, n, ai, share per region or country (known values only), largest n first."""
    col = _check(dim, AI_DIMS, "dimension")
    w, p = _where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + f"{col} IS NOT NULL"
    return _df(
        store,
        version,
        f"SELECT {col} AS value, count(*) AS n, count(*) FILTER (WHERE is_ai) AS ai, "
        f"count(*) FILTER (WHERE is_ai) / count(*) AS share FROM postings {w} "
        f"GROUP BY {col} ORDER BY n DESC, value",
        p,
    )


@_cache
def skill_pay_by_seniority(
    store: str, version: str, f: Filters, skills: tuple[str, ...]
) -> pd.DataFrame:
    """skill, seniority, n_with, median_with, n_without, median_without (advertised pay)."""
    cols = ["skill", "seniority", "n_with", "median_with", "n_without", "median_without"]
    if not skills:
        return pd.DataFrame(columns=cols)
    w, p = _where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "salary_usd IS NOT NULL"
    return _df(
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


@_cache
def pay_postings(store: str, version: str, f: Filters) -> pd.DataFrame:
    """posting_id, role, seniority, salary_usd of the selection's postings that state pay."""
    w, p = _where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "salary_usd IS NOT NULL"
    return _df(
        store,
        version,
        f"SELECT posting_id, role, seniority, salary_usd FROM postings {w} ORDER BY posting_id",
        p,
    )


@_cache
def pay_posting_skills(
    store: str, version: str, f: Filters, skills: tuple[str, ...]
) -> pd.DataFrame:
    """posting_id, skill for the selection's postings with pay that ask for one of ``skills``."""
    if not skills:
        return pd.DataFrame(columns=["posting_id", "skill"])
    cte, p = _posting_cte(f, "salary_usd IS NOT NULL")
    return _df(
        store,
        version,
        f"WITH {cte} SELECT DISTINCT s.posting_id, s.skill FROM posting_skills s "
        "JOIN p USING (posting_id) WHERE list_contains(?::VARCHAR[], s.skill) "
        "ORDER BY s.posting_id, s.skill",
        [*p, list(skills)],
    )


@_cache
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
    pay = pay_postings(store, version, f)
    has = pay_posting_skills(store, version, f, skills)
    return premium.premium_table(
        pay, has, list(skills), None if roles is None else list(roles), t=t
    )


@_cache
def role_skill_frequencies(store: str, version: str, f: Filters) -> pd.DataFrame:
    """role, skill, n, role_postings, share: how often each role's postings ask for each skill.

    role_postings counts the role's postings in the selection that list at least one skill (a
    posting without any says nothing about what the role asks for).
    """
    cte, p = _posting_cte(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             ps AS (SELECT DISTINCT p.role, s.posting_id, s.skill
                    FROM posting_skills s JOIN p USING (posting_id)),
             roles AS (SELECT role, count(DISTINCT posting_id) AS role_postings
                       FROM ps GROUP BY role)
        SELECT ps.role, ps.skill, count(*) AS n, any_value(roles.role_postings) AS role_postings,
               count(*) / any_value(roles.role_postings) AS share
        FROM ps JOIN roles USING (role)
        GROUP BY ps.role, ps.skill ORDER BY ps.role, n DESC, ps.skill
        """,
        p,
    )
