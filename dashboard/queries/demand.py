"""Demand: postings per month, role, place, level and work mode; the AI share of postings.

Also the salary-survey records per year, which the Demand page shows as a separate series.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.quantiles import pay_where
from dashboard.queries.store import cached, check, fetch, where

POSTING_DIMS = (
    "role",
    "seniority",
    "remote",
    "region",
    "country_code",
    "source",
    "employment_type",
)
AI_DIMS = ("region", "country_code")


@cached
def postings_by_month(store: str, version: str, f: Filters) -> pd.DataFrame:
    """month, role, n, share: share of *all* postings that month (role filter not applied)."""
    w, p = where(f, "posting_counts", skip=("role",))
    role_w, role_p = "", []
    if f.roles:
        role_w, role_p = "WHERE list_contains(?::VARCHAR[], m.role)", [list(f.roles)]
    return fetch(
        store,
        version,
        f"""
        WITH m AS (SELECT CAST(month AS TIMESTAMP) AS month, role,
                          CAST(sum(postings) AS BIGINT) AS n
                   FROM posting_counts {w} GROUP BY ALL),
             t AS (SELECT month, sum(n) AS total FROM m GROUP BY month)
        SELECT m.month, m.role, m.n, m.n / t.total AS share
        FROM m JOIN t USING (month) {role_w}
        ORDER BY m.month, m.n DESC
        """,
        p + role_p,
    )


@cached
def postings_by(store: str, version: str, f: Filters, dim: str) -> pd.DataFrame:
    """value, n, share of postings per value of one dimension (e.g. seniority, remote)."""
    col = check(dim, POSTING_DIMS, "dimension")
    w, p = where(f, "posting_counts")
    return fetch(
        store,
        version,
        f"SELECT {col} AS value, CAST(sum(postings) AS BIGINT) AS n, "
        f"sum(postings) / sum(sum(postings)) OVER () AS share "
        f"FROM posting_counts {w} GROUP BY {col} ORDER BY n DESC",
        p,
    )


@cached
def postings_by_country(store: str, version: str, f: Filters) -> pd.DataFrame:
    """country_code, region, n, share of postings with a known country."""
    w, p = where(f, "posting_counts")
    w = (w + " AND " if w else "WHERE ") + "country_code IS NOT NULL"
    return fetch(
        store,
        version,
        f"SELECT country_code, any_value(region) AS region, CAST(sum(postings) AS BIGINT) AS n, "
        f"sum(postings) / sum(sum(postings)) OVER () AS share FROM posting_counts {w} "
        "GROUP BY country_code ORDER BY n DESC",
        p,
    )


@cached
def salary_records_by_year(store: str, version: str, f: Filters) -> pd.DataFrame:
    """year, n of salary-survey records (a separate series from postings), counted in
    pay_buckets (see quantiles.pay_where)."""
    w, p = pay_where(f, "survey")
    return fetch(
        store,
        version,
        f"SELECT year, CAST(sum(n) AS BIGINT) AS n FROM pay_buckets {w} "
        "GROUP BY year ORDER BY year",
        p,
    )


def _ai_counts(n: str = "postings") -> str:
    """n, ai, by_title, by_skills, share of a group of posting_counts cells (exact counts)."""
    return (
        f"CAST(sum({n}) AS BIGINT) AS n, "
        "CAST(coalesce(sum(postings) FILTER (WHERE is_ai), 0) AS BIGINT) AS ai, "
        "CAST(sum(ai_by_title) AS BIGINT) AS by_title, "
        "CAST(sum(ai_by_skills) AS BIGINT) AS by_skills, "
        "coalesce(sum(postings) FILTER (WHERE is_ai), 0) / sum(postings) AS share"
    )


@cached
def ai_share_by_month(store: str, version: str, f: Filters) -> pd.DataFrame:
    """month, n (postings), ai, by_title, by_skills, share (ai ÷ n) of the selection."""
    w, p = where(f, "posting_counts")
    return fetch(
        store,
        version,
        f"SELECT CAST(month AS TIMESTAMP) AS month, {_ai_counts()} "
        f"FROM posting_counts {w} GROUP BY month ORDER BY month",
        p,
    )


@cached
def ai_share_by(store: str, version: str, f: Filters, dim: str) -> pd.DataFrame:
    """value, n, ai, share per region or country (known values only), largest n first."""
    col = check(dim, AI_DIMS, "dimension")
    w, p = where(f, "posting_counts")
    w = (w + " AND " if w else "WHERE ") + f"{col} IS NOT NULL"
    return fetch(
        store,
        version,
        f"SELECT value, n, ai, share FROM (SELECT {col} AS value, {_ai_counts()} "
        f"FROM posting_counts {w} GROUP BY {col}) ORDER BY n DESC, value",
        p,
    )
