"""Skills: what postings ask for, per role and month, and which skills go together.

Shares are of the selection's postings (denominators from the ``posting_counts`` cube). Skill
counts are sums over the ``posting_skill_counts`` cube (postings asking for a skill per month and
filter cell: exact, since filters cover whole months); which skills go together reads
``posting_skill_sets`` (each posting's skills as a list), and distinct postings per role
``posting_skill_facts``; both carry the postings' filter columns.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.store import Params, cached, fetch, where


def _facts_where(f: Filters, extra: str = "") -> tuple[str, Params]:
    """WHERE over posting_skill_facts: the posting filters apply to its own columns."""
    w, p = where(f, "postings")
    if extra:
        w = (w + " AND " if w else "WHERE ") + extra
    return w, p


def _counts_cte(f: Filters, name: str, select: str, group: str = "") -> tuple[str, Params]:
    """A CTE over posting_counts: postings in the selection (the denominators of shares)."""
    w, p = where(f, "posting_counts")
    return f"{name} AS (SELECT {select} FROM posting_counts {w} {group})", p


@cached
def top_skills(store: str, version: str, f: Filters, top: int = 20) -> pd.DataFrame:
    """skill, category, n, share of the selection's postings asking for it (top N)."""
    cte, cp = _counts_cte(f, "total", "sum(postings) AS t")
    w, p = where(f, "posting_counts")
    return fetch(
        store,
        version,
        f"""
        WITH {cte}
        SELECT s.skill, any_value(s.category) AS category, CAST(sum(s.postings) AS BIGINT) AS n,
               sum(s.postings) / any_value(total.t) AS share
        FROM posting_skill_counts s CROSS JOIN total {w}
        GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT ?
        """,
        [*cp, *p, int(top)],
    )


@cached
def skill_shares_by_role(store: str, version: str, f: Filters, top: int = 15) -> pd.DataFrame:
    """role, skill, category, n, role_postings, share: the top-N skills' share within each role."""
    cte, cp = _counts_cte(
        f, "roles", "role, CAST(sum(postings) AS BIGINT) AS role_postings", "GROUP BY role"
    )
    w, p = where(f, "posting_counts")
    return fetch(
        store,
        version,
        f"""
        WITH {cte},
             ps AS (SELECT role, skill, any_value(category) AS category,
                           CAST(sum(postings) AS BIGINT) AS n
                    FROM posting_skill_counts {w} GROUP BY role, skill),
             topn AS (SELECT skill FROM ps GROUP BY skill ORDER BY sum(n) DESC, skill LIMIT ?)
        SELECT ps.role, ps.skill, ps.category, ps.n, roles.role_postings,
               ps.n / roles.role_postings AS share
        FROM ps JOIN topn USING (skill) JOIN roles USING (role)
        ORDER BY ps.role, ps.n DESC
        """,
        [*cp, *p, int(top)],
    )


@cached
def skill_trend(store: str, version: str, f: Filters, skills: tuple[str, ...]) -> pd.DataFrame:
    """month, skill, n, share of that month's postings asking for each chosen skill."""
    if not skills:
        return pd.DataFrame(columns=["month", "skill", "n", "share"])
    cte, cp = _counts_cte(f, "t", "month AS m, sum(postings) AS total", "GROUP BY month")
    w, p = where(f, "posting_counts")
    w = (w + " AND " if w else "WHERE ") + "list_contains(?::VARCHAR[], s.skill)"
    return fetch(
        store,
        version,
        f"""
        WITH {cte}
        SELECT CAST(s.month AS TIMESTAMP) AS month, s.skill, CAST(sum(s.postings) AS BIGINT) AS n,
               sum(s.postings) / any_value(t.total) AS share
        FROM posting_skill_counts s JOIN t ON t.m = s.month
        {w}
        GROUP BY ALL ORDER BY month, s.skill
        """,
        [*cp, *p, list(skills)],
    )


@cached
def cooccurring(store: str, version: str, f: Filters, skill: str, top: int = 15) -> pd.DataFrame:
    """skill, category, n, share of the postings asking for ``skill`` that also ask for it."""
    w, p = _facts_where(f, "list_contains(skills, ?)")  # the sets carry the postings' columns
    return fetch(
        store,
        version,
        f"""
        WITH w AS (SELECT skills FROM posting_skill_sets {w}),
             total AS (SELECT count(*) AS t FROM w),
             top AS (SELECT skill, count(*) AS n FROM (SELECT unnest(skills) AS skill FROM w)
                     WHERE skill <> ? GROUP BY skill ORDER BY n DESC, skill LIMIT ?),
             cat AS (SELECT skill, any_value(category) AS category FROM posting_skill_counts
                     WHERE skill IN (SELECT skill FROM top) GROUP BY skill)
        SELECT top.skill, cat.category, top.n, top.n / total.t AS share
        FROM top JOIN cat USING (skill), total
        ORDER BY top.n DESC, top.skill
        """,
        [*p, skill, skill, int(top)],
    )


@cached
def role_skill_profile(
    store: str, version: str, f: Filters, roles: tuple[str, ...], min_n: int = 1
) -> pd.DataFrame:
    """role, skill, category, n, role_postings, share: every skill's share within each role."""
    g = f.with_(roles=tuple(roles))
    cte, cp = _counts_cte(
        g, "roles", "role, CAST(sum(postings) AS BIGINT) AS role_postings", "GROUP BY role"
    )
    w, p = where(g, "posting_counts")
    return fetch(
        store,
        version,
        f"""
        WITH {cte}
        SELECT s.role, s.skill, any_value(s.category) AS category,
               CAST(sum(s.postings) AS BIGINT) AS n,
               any_value(roles.role_postings) AS role_postings,
               sum(s.postings) / any_value(roles.role_postings) AS share
        FROM posting_skill_counts s JOIN roles USING (role) {w}
        GROUP BY s.role, s.skill HAVING sum(s.postings) >= ? ORDER BY s.role, n DESC
        """,
        [*cp, *p, int(min_n)],
    )


@cached
def role_skill_frequencies(store: str, version: str, f: Filters) -> pd.DataFrame:
    """role, skill, n, role_postings, share: how often each role's postings ask for each skill.

    role_postings counts the role's postings in the selection that list at least one skill (a
    posting without any says nothing about what the role asks for).
    """
    w, p = where(f, "posting_counts")
    return fetch(
        store,
        version,
        f"""
        WITH ps AS (SELECT role, skill, CAST(sum(postings) AS BIGINT) AS n
                    FROM posting_skill_counts {w} GROUP BY role, skill),
             roles AS (SELECT role, CAST(sum(with_skills) AS BIGINT) AS role_postings
                       FROM posting_counts {w} GROUP BY role HAVING sum(with_skills) > 0)
        SELECT ps.role, ps.skill, ps.n, roles.role_postings, ps.n / roles.role_postings AS share
        FROM ps JOIN roles USING (role)
        ORDER BY ps.role, ps.n DESC, ps.skill
        """,
        p + p,
    )
