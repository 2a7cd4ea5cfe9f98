"""Queries behind the insights: AI share of postings, skill pay by seniority, role × skill counts.

Same conventions as dashboard/queries.py (whose helpers this imports): hashable arguments (store
path, store version, a frozen Filters, tuples), parameterised SQL, aggregation in SQL where a
number is all that is needed, cached with st.cache_data keyed on the store version. The bootstrap
premiums need per-posting pay, so ``premiums`` fetches (group, level, pay) as small numeric
columns and computes them with dashboard/premium.py inside the cached function (the result is
cached, not the rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import premium
from dashboard.filters import Filters
from dashboard.honesty import Thresholds
from dashboard.queries import _cache, _check, _df, _facts_where, _where
from etl.contract import SENIORITY_CODES

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


_LEVELS = list(SENIORITY_CODES)
_LEVEL_SQL = f"coalesce(list_position(?::VARCHAR[], seniority), {_LEVELS.index('unknown') + 1}) - 1"


def _premium_tables(
    store: str,
    version: str,
    f: Filters,
    skills: tuple[str, ...],
    roles: tuple[str, ...] | None,
    t: Thresholds | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(premiums, per-level rows) from two small-typed fetches: no ids, no per-posting Python.

    Fetches (group, level code, pay) of the selection's postings with pay, and the same for
    those rows' (posting, chosen skill) pairs; premium.py works on them sorted (see there).
    """
    skill_list = list(dict.fromkeys(skills))
    groups = [premium.ALL_ROLES] if roles is None else list(dict.fromkeys(roles))
    w, p = _where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "salary_usd > 0 AND isfinite(salary_usd)"
    group_sql, group_p = "0", []
    if roles is not None:
        w += " AND list_contains(?::VARCHAR[], role)"
        p = [*p, groups]
        group_sql, group_p = "list_position(?::VARCHAR[], role) - 1", [groups]
    cols = f"posting_id, {group_sql} AS g, {_LEVEL_SQL} AS lv, salary_usd"
    cte = f"p AS (SELECT {cols} FROM postings {w})"
    cte_p = [*group_p, _LEVELS, *p]
    everyone = _df(store, version, f"WITH {cte} SELECT g, lv, salary_usd FROM p", cte_p)
    # the (posting, chosen skill) rows: posting_skill_facts carries the postings' columns, so
    # the same WHERE applies to it directly, with no join back to postings
    with_skill = _df(
        store,
        version,
        f"SELECT list_position(?::VARCHAR[], skill) - 1 AS k, {group_sql} AS g, "
        f"{_LEVEL_SQL} AS lv, salary_usd FROM posting_skill_facts {w} "
        "AND list_contains(?::VARCHAR[], skill)",
        [skill_list, *group_p, _LEVELS, *p, skill_list],
    )
    g, lv, pay = (everyone[c].to_numpy() for c in ("g", "lv", "salary_usd"))
    wg, wlv, wpay = (with_skill[c].to_numpy() for c in ("g", "lv", "salary_usd"))
    cell = wg.astype("int64") * len(skill_list) + with_skill["k"].to_numpy()
    small = cell.astype(np.int16) if len(groups) * len(skill_list) < 2**15 else cell
    order = np.argsort(small, kind="stable")  # radix sort on small ints
    ends = np.cumsum(np.bincount(cell, minlength=len(groups) * len(skill_list)))
    rows: list[dict] = []
    levels: list[dict] = []
    strata: dict[int, premium.Strata] = {}
    for role in [premium.ALL_ROLES] if roles is None else roles:
        gi = groups.index(role)
        if gi not in strata:
            m = g == gi
            strata[gi] = premium.Strata.of(pay[m], lv[m], _LEVELS)
        for skill in skills:
            c = gi * len(skill_list) + skill_list.index(skill)
            idx = order[(ends[c - 1] if c else 0) : ends[c]]
            mine = premium.Strata.of(wpay[idx], wlv[idx], _LEVELS)
            row, by_level = premium.skill_premium(role, skill, strata[gi], mine, t=t)
            rows.append(row)
            levels += by_level
    return premium.premium_frames(rows, levels)


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
    return _premium_tables(store, version, f, skills, roles, t)[0]


@_cache
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
    return _premium_tables(store, version, f, skills, roles, t)


@_cache
def role_skill_frequencies(store: str, version: str, f: Filters) -> pd.DataFrame:
    """role, skill, n, role_postings, share: how often each role's postings ask for each skill.

    role_postings counts the role's postings in the selection that list at least one skill (a
    posting without any says nothing about what the role asks for).
    """
    w, p = _facts_where(f)
    return _df(
        store,
        version,
        f"""
        WITH ps AS (SELECT DISTINCT role, posting_id, skill FROM posting_skill_facts {w}),
             roles AS (SELECT role, count(DISTINCT posting_id) AS role_postings
                       FROM ps GROUP BY role)
        SELECT ps.role, ps.skill, count(*) AS n, any_value(roles.role_postings) AS role_postings,
               count(*) / any_value(roles.role_postings) AS share
        FROM ps JOIN roles USING (role)
        GROUP BY ps.role, ps.skill ORDER BY ps.role, n DESC, ps.skill
        """,
        p,
    )
