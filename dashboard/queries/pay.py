"""Pay: quantiles of survey-reported and advertised pay, skill pay by seniority, skill premiums.

Same conventions as the rest of dashboard/queries/. The bootstrap premiums need per-posting pay,
so ``premiums`` fetches (group, level, pay) as small numeric columns and computes them with
dashboard/stats/premium.py inside the cached function (the result is cached, not the rows).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from dashboard.queries import quantiles
from dashboard.queries.filters import Filters
from dashboard.queries.store import cached, check, fetch, fetch_arrays, where
from dashboard.stats import premium
from dashboard.stats.honesty import Thresholds
from etl.contract import SENIORITY_CODES

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


_LEVELS = list(SENIORITY_CODES)
_LEVEL_SQL = (  # one byte per posting: the fetch moves ~10M of them at 10M postings
    f"CAST(coalesce(list_position(?::VARCHAR[], seniority), {_LEVELS.index('unknown') + 1}) - 1"
    " AS UTINYINT)"
)


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
    # postings with pay (and of the chosen roles), on postings' and on pay_values' columns
    cond, cond_p = " AND salary_usd > 0 AND isfinite(salary_usd)", []
    group_sql, group_p = "CAST(0 AS USMALLINT)", []
    if roles is not None:
        cond, cond_p = cond + " AND list_contains(?::VARCHAR[], role)", [groups]
        group_sql, group_p = "CAST(list_position(?::VARCHAR[], role) - 1 AS USMALLINT)", [groups]
    w, p = where(f, "postings")
    w, p = (w or "WHERE TRUE") + cond, [*p, *cond_p]
    # everyone's pay from pay_values: the same rows as postings {w}, stored sorted by amount, so
    # premium.Strata needs no sort
    pw, pp = quantiles.pay_where(f, "advertised")
    pw, pp = pw + cond, [*pp, *cond_p]
    everyone = fetch_arrays(
        store,
        version,
        f"SELECT {group_sql} AS g, {_LEVEL_SQL} AS lv, salary_usd FROM pay_values {pw}",
        [*group_p, _LEVELS, *pp],
    )
    # the (posting, chosen skill) rows: posting_skill_facts carries the postings' columns, so
    # the same WHERE applies to it directly, with no join back to postings; it is stored sorted by
    # skill and pay, so each skill's pay arrives sorted too (Strata.of checks, and sorts if not)
    with_skill = fetch_arrays(
        store,
        version,
        f"SELECT list_position(?::VARCHAR[], skill) - 1 AS k, {group_sql} AS g, "
        f"{_LEVEL_SQL} AS lv, salary_usd FROM posting_skill_facts {w} "
        "AND list_contains(?::VARCHAR[], skill)",
        [skill_list, *group_p, _LEVELS, *p, skill_list],
    )
    g, lv, pay = (everyone[c] for c in ("g", "lv", "salary_usd"))
    wg, wlv, wpay = (with_skill[c] for c in ("g", "lv", "salary_usd"))
    cell = wg.astype("int64") * len(skill_list) + with_skill["k"]
    small = cell.astype(np.int16) if len(groups) * len(skill_list) < 2**15 else cell
    order = np.argsort(small, kind="stable")  # radix sort on small ints
    ends = np.cumsum(np.bincount(cell, minlength=len(groups) * len(skill_list)))
    strata: dict[int, premium.Strata] = {}
    tasks = []
    for role in [premium.ALL_ROLES] if roles is None else roles:
        gi = groups.index(role)
        if gi not in strata:
            # one group: a view, not a masked copy (~50 ms per column at 10M postings)
            pick = slice(None) if len(groups) == 1 else g == gi
            strata[gi] = premium.Strata.of(pay[pick], lv[pick], _LEVELS)
        for skill in skills:
            c = gi * len(skill_list) + skill_list.index(skill)
            tasks.append((role, skill, strata[gi], order[(ends[c - 1] if c else 0) : ends[c]]))

    def one(task: tuple) -> tuple[dict, list[dict]]:
        role, skill, everyone, idx = task
        mine = premium.Strata.of(wpay[idx], wlv[idx], _LEVELS)
        return premium.skill_premium(role, skill, everyone, mine, t=t)

    # each skill's bootstrap has its own seeded generator, and NumPy's draws, sorts and searches
    # let go of the GIL: the skills run on the machine's cores, with the same figures in order
    with ThreadPoolExecutor(max_workers=max(1, min(len(tasks), os.cpu_count() or 1, 4))) as pool:
        done = list(pool.map(one, tasks))
    return premium.premium_frames([r for r, _ in done], [x for _, lv_rows in done for x in lv_rows])


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
    return _premium_tables(store, version, f, skills, roles, t)[0]


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
    return _premium_tables(store, version, f, skills, roles, t)
