"""The marts: derived tables built in SQL from the base tables, in dbt's spirit.

The base tables (etl.contract.TABLES) stay as the ETL produced them; the marts (etl.contract.MARTS)
hold what the dashboard reads, shaped so each page query touches the smallest table that answers it
exactly. They are built inside DuckDB (CREATE TABLE AS SELECT) right after the base tables are
inserted, so memory stays flat at 10M postings and no caller ever passes them in.
"""

from __future__ import annotations

import duckdb

from etl.contract import MARTS

PAY_BUCKETS_PER_E = 40
"""Pay buckets per factor e of pay (each ~2.5% wide): ~120 buckets span $20k-$400k. Finer buckets
make pay_buckets larger (more cells × buckets to sum), coarser ones make the exact quantile read
more amounts of the bucket that holds it (dashboard/queries/pay.py)."""

_BUCKET = f"""CAST(CASE WHEN salary_usd <= 0 THEN -32768
                   WHEN isfinite(salary_usd) THEN floor(ln(salary_usd) * {PAY_BUCKETS_PER_E})
                   ELSE 32767 END AS SMALLINT)"""

POSTING_SKILL_FACTS = f"""
SELECT s.posting_id, s.skill, s.category, p.source, p.posted_date, p.role, p.seniority,
       p.country_code, p.region, p.remote, p.employment_type, p.is_ai, p.salary_usd,
       p.posting_key, CASE WHEN p.salary_usd IS NOT NULL THEN {_BUCKET} END AS bucket
FROM posting_skills s
JOIN (SELECT *, row_number() OVER (ORDER BY posting_id) AS posting_key FROM postings) p
  USING (posting_id)
"""
"""posting_skills with the posting's filter columns copied in: skill queries filter and group
without joining 1.5M skill rows to 1M postings on a 26-character id. Sorted by skill then pay,
so DuckDB's zone maps skip the row groups of other skills, and the skill premiums read each
skill's pay already sorted (premium.Strata then skips its sorts: 158 per premiums call at 1M).
Skill rows whose posting is missing are left out, as the join in every skill query always did.
``posting_key`` (the posting's rank by posting_id: the same in every build of the same rows,
whatever order the parts were inserted in, which a rowid is not) groups a posting's skill rows
into posting_skill_sets on an integer instead of a 26-character id.
``bucket`` is pay_values' bucket of the same amount (the same expression on the same value), so
the premiums can count the postings with a skill per bucket and read only the buckets they need."""

POSTING_SKILL_SETS = """
SELECT any_value(source) AS source, any_value(posted_date) AS posted_date,
       any_value(role) AS role, any_value(seniority) AS seniority,
       any_value(country_code) AS country_code, any_value(region) AS region,
       any_value(remote) AS remote, any_value(employment_type) AS employment_type,
       any_value(is_ai) AS is_ai, list_sort(list(skill)) AS skills
FROM posting_skill_facts
GROUP BY posting_key
"""
"""One row per posting that asks for a skill, with its skills as a list: the skills asked
together with one are the lists that contain it, unnested and counted, which at 10M postings
reads 3.7M lists instead of joining 13M skill rows to the postings with that skill. Exact: a
posting asks for a skill once. Each list is sorted, so the same postings give the same store
(list() alone collects in whatever order the threads meet the rows). Stored by date, so a month
filter's zone maps skip the rest."""

POSTING_SKILL_COUNTS = """
SELECT CAST(date_trunc('month', posted_date) AS DATE) AS month, skill, category, source, role,
       seniority, country_code, region, remote, employment_type, is_ai,
       CAST(count(*) AS BIGINT) AS postings
FROM posting_skill_facts
GROUP BY ALL
"""
"""Postings asking for each skill per month and filter cell (~100k cells for 1.3M skill rows at
1M postings): skill counts and shares for any filter set are sums over it (a posting asks for a
skill once: posting_skills is unique on (posting_id, skill)). Exact for month filters and periods,
which always cover whole months."""

POSTING_COUNTS = """
SELECT CAST(date_trunc('month', posted_date) AS DATE) AS month, source, role, seniority,
       country_code, region, remote, employment_type, is_ai,
       CAST(count(*) AS BIGINT) AS postings, CAST(count(salary_usd) AS BIGINT) AS with_pay,
       CAST(count(*) FILTER (WHERE has_skill) AS BIGINT) AS with_skills,
       CAST(count(*) FILTER (WHERE ai_basis = 'title') AS BIGINT) AS ai_by_title,
       CAST(count(*) FILTER (WHERE ai_basis = 'skills') AS BIGINT) AS ai_by_skills,
       min(posted_date) AS first_date, max(posted_date) AS last_date
FROM (SELECT *, posting_id IN (SELECT posting_id FROM posting_skills) AS has_skill FROM postings)
GROUP BY ALL
"""
"""Postings counted per month and every filter dimension (~20k cells for 1M postings): counts,
shares, AI shares, totals and date spans for any filter set read this instead of scanning
postings. A month range filter is exact on it because filters always select whole months; the
earliest and latest posting date of a selection are the min and max over its cells.
``with_skills`` counts the postings with at least one posting_skills row (those that say what a
role asks for: the denominators of per-role skill frequencies)."""

PAY_VALUES = f"""
SELECT 'survey' AS kind, source, role, seniority, country_code, region, remote, company_size,
       year, CAST(NULL AS DATE) AS month, {_BUCKET} AS bucket, salary_usd
FROM salaries WHERE salary_usd IS NOT NULL
UNION ALL
SELECT 'advertised', source, role, seniority, country_code, region, remote, NULL,
       year(posted_date), CAST(date_trunc('month', posted_date) AS DATE), {_BUCKET}, salary_usd
FROM postings WHERE salary_usd IS NOT NULL
"""
"""Every pay amount (survey records' and postings' that state pay) with the filter columns, stored
sorted by kind and amount. ``bucket`` rises with the amount, so the rows of one bucket are a run of
a few row groups that DuckDB's zone maps find without reading the rest: an exact quantile reads the
one bucket that holds its rank (found in pay_buckets) instead of sorting every amount."""

PAY_BUCKETS = """
SELECT kind, source, role, seniority, country_code, region, remote, company_size, year, month,
       bucket, CAST(count(*) AS BIGINT) AS n
FROM pay_values
GROUP BY ALL
"""
"""Pay amounts counted per filter cell and bucket: summed over a selection's cells they give, for
each bucket, exactly how many of the selection's amounts it holds (so which bucket holds the k-th
smallest). Exact for month filters (cells are whole months) and survey years."""

_DIMENSIONS: tuple[tuple[str, str, str], ...] = (
    # (dimension, expression over posting_counts, expression over salaries)
    ("role", "role", "role"),
    ("region", "region", "region"),
    ("country", "country_code", "country_code"),
    ("country_region", "country_code || '|' || region", "country_code || '|' || region"),
    ("seniority", "seniority", "seniority"),
    ("remote", "remote", "remote"),
    ("source", "source", "source"),
    ("employment_type", "employment_type", "employment_type"),
    ("year", "CAST(year(month) AS VARCHAR)", "CAST(year AS VARCHAR)"),
    ("month", "strftime(month, '%Y-%m')", "NULL"),
)


def _filter_values_sql() -> str:
    parts = []
    for dim, over_postings, over_salaries in _DIMENSIONS:
        parts.append(
            f"SELECT '{dim}' AS dimension, {over_postings} AS value, postings, "
            "0 AS salary_records FROM posting_counts"
        )
        parts.append(
            f"SELECT '{dim}', {over_salaries}, 0, 1 FROM salaries"
            if over_salaries != "NULL"
            else ""
        )
    union = " UNION ALL ".join(p for p in parts if p)
    return (
        "SELECT dimension, value, CAST(sum(postings) AS BIGINT) AS postings, "
        "CAST(sum(salary_records) AS BIGINT) AS salary_records "
        f"FROM ({union}) WHERE value IS NOT NULL GROUP BY dimension, value"
    )


FILTER_VALUES = _filter_values_sql()
"""Every value the sidebar offers with its postings and salary-record counts, so filter_options
is one query over a few hundred rows instead of five scans of both base tables. A country whose
region is unknown has no country_region row (it cannot be offered under a region)."""

SERIES_MONTHLY = """
SELECT source, series, variant, place_code, place_type, region,
       CAST(date_trunc('month', date) AS DATE) AS month, avg(value) AS value,
       CAST(count(*) AS BIGINT) AS days, max(date) AS last_date, unit
FROM series
GROUP BY ALL
"""
"""Series values averaged per calendar month: the pages' default view reads ~10k rows instead of
~600k daily ones. ``days`` says how many daily values a month holds, so a partial last month is
visible; the mean of daily 7-day trailing averages is what the publisher's monthly charts show."""

SOURCE_COVERAGE = """
SELECT source, 'postings' AS kind, CAST(count(*) AS BIGINT) AS rows,
       min(posted_date) AS first_date, max(posted_date) AS last_date, 'day' AS precision
FROM postings GROUP BY source
UNION ALL
SELECT source, 'salaries', CAST(count(*) AS BIGINT), make_date(min(year), 1, 1),
       make_date(max(year), 1, 1), 'year'
FROM salaries GROUP BY source
UNION ALL
SELECT source, 'series', CAST(count(*) AS BIGINT), min(date), max(date), 'day'
FROM series GROUP BY source
"""
"""Each source's rows and the span of its data dates: "Data as of" shows each source's latest data
date, which is not the store's build time (a 2023 scrape refreshed today is still 2023 data).
A survey has years, not days: its dates are 1 January of the year, with precision 'year'."""

MART_SQL: dict[str, tuple[str, str]] = {
    # name: (SELECT, ORDER BY of the stored rows)
    "posting_skill_facts": (POSTING_SKILL_FACTS, "skill, salary_usd"),
    "posting_skill_sets": (POSTING_SKILL_SETS, "posted_date"),  # reads posting_skill_facts
    "posting_skill_counts": (POSTING_SKILL_COUNTS, "skill, month"),  # reads posting_skill_facts
    "posting_counts": (POSTING_COUNTS, "month, role, source"),
    "pay_values": (PAY_VALUES, "kind, salary_usd"),
    "pay_buckets": (PAY_BUCKETS, "kind, bucket, role"),  # reads pay_values: keep it after
    "filter_values": (FILTER_VALUES, "dimension, value"),  # reads posting_counts: keep it after
    "series_monthly": (SERIES_MONTHLY, "source, series, variant, place_code, month"),
    "source_coverage": (SOURCE_COVERAGE, "source"),
}
assert tuple(MART_SQL) == tuple(MARTS), "etl.contract.MARTS and etl.marts.MART_SQL disagree"


def _ddl(name: str) -> str:
    cols = ", ".join(
        f'"{c.name}" {c.sql_type}{"" if c.nullable else " NOT NULL"}' for c in MARTS[name]
    )
    return f'CREATE TABLE "{name}" ({cols})'


def _insert(name: str) -> str:
    select, order = MART_SQL[name]
    casts = ", ".join(f'CAST("{c.name}" AS {c.sql_type})' for c in MARTS[name])
    return f'INSERT INTO "{name}" SELECT {casts} FROM ({select}) AS m ORDER BY {order}'


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or re-create) every mart from the base tables on ``con``, in contract order."""
    for name in MARTS:
        con.execute(f'DROP TABLE IF EXISTS "{name}"')
        con.execute(_ddl(name))
        con.execute(_insert(name))
