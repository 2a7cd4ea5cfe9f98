"""The query layer: parameterised SQL over the store's read-only DuckDB file -> small DataFrames.

Every function takes hashable arguments (store path, store version, a frozen Filters, a few
strings) and is cached with st.cache_data: the store version (etl.store.store_version) is part of
the key, so a freshly published store is picked up without a restart. Aggregation happens in SQL;
only the columns a chart needs come back. Values are always bound parameters; the only things
formatted into SQL are column names from the whitelists below.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard.filters import Filters, Options, month_bounds
from etl.contract import REGIONS, REMOTE_CODES, SENIORITY_CODES
from etl.store import connect

Params = list[object]

_COND = threading.Condition()
_HELD: dict[str, _Held] = {}


@dataclass
class _Held:
    version: str
    con: duckdb.DuckDBPyConnection
    users: int = 0


POSTING_DIMS = (
    "role",
    "seniority",
    "remote",
    "region",
    "country_code",
    "source",
    "employment_type",
)
SALARY_DIMS = ("role", "seniority", "remote", "region", "country_code", "year", "company_size")
SALARY_KINDS = ("survey", "advertised")
DOWNLOAD_CAP = 20_000


@contextlib.contextmanager
def _cursor(store: str, version: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on one shared read-only connection per store version (opening costs ~30 ms).

    DuckDB caches open databases by path, so the old connection must be closed before the new
    file can be opened: a version change waits (briefly) for in-flight queries to finish.
    """
    with _COND:
        held = _HELD.get(store)
        if held is None or held.version != version:
            if held is not None:
                _COND.wait_for(lambda: held.users == 0, timeout=10)
                held.con.close()
                del _HELD[store]
            held = _HELD[store] = _Held(version, connect(Path(store)))
        held.users += 1
        cur = held.con.cursor()
    try:
        yield cur
    finally:
        cur.close()
        with _COND:
            held.users -= 1
            _COND.notify_all()


def _df(store: str, version: str, sql: str, params: Params | None = None) -> pd.DataFrame:
    with _cursor(store, version) as cur:
        return cur.execute(sql, params or []).df()


def _where(f: Filters, table: str, skip: tuple[str, ...] = ()) -> tuple[str, Params]:
    """WHERE clause and parameters of ``f`` for ``table`` ('postings' or 'salaries')."""
    clauses: list[str] = []
    params: Params = []
    for col, values in (
        ("role", f.roles),
        ("region", f.regions),
        ("country_code", f.countries),
        ("seniority", f.seniority),
        ("remote", f.remote),
        ("source", f.sources),
    ):
        if values and col not in skip:
            clauses.append(f"list_contains(?::VARCHAR[], {col})")
            params.append(list(values))
    if table == "postings" and f.months and "time" not in skip:
        lo, hi = month_bounds(f.months)
        clauses.append("posted_date >= ? AND posted_date < ?")
        params += [lo, hi]
    if table == "salaries" and f.years and "time" not in skip:
        clauses.append("year BETWEEN ? AND ?")
        params += [f.years[0], f.years[1]]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


_cache = st.cache_data(show_spinner=False, max_entries=512)


# ---------------------------------------------------------------------------- store-level
@_cache
def store_meta(store: str, version: str) -> dict[str, str]:
    """The meta table (kind, built_at, schema_version, run_id)."""
    df = _df(store, version, "SELECT key, value FROM meta")
    return dict(zip(df["key"], df["value"], strict=True))


@_cache
def filter_options(store: str, version: str) -> Options:
    """Everything the sidebar can offer, from the data (roles ordered by postings + records)."""
    roles = _df(
        store,
        version,
        "SELECT role, count(*) AS n FROM (SELECT role FROM postings UNION ALL "
        "SELECT role FROM salaries) GROUP BY role ORDER BY (role = 'Other'), n DESC, role",
    )["role"].tolist()
    countries = _df(
        store,
        version,
        "SELECT country_code, any_value(region) AS region, count(*) AS n FROM ("
        "SELECT country_code, region FROM postings UNION ALL "
        "SELECT country_code, region FROM salaries) WHERE country_code IS NOT NULL "
        "AND region IS NOT NULL GROUP BY country_code ORDER BY n DESC, country_code",
    )
    present = set(countries["region"])
    values = _df(
        store,
        version,
        "SELECT DISTINCT 'seniority' AS k, seniority AS v FROM postings UNION "
        "SELECT DISTINCT 'seniority', seniority FROM salaries UNION "
        "SELECT DISTINCT 'remote', remote FROM postings UNION "
        "SELECT DISTINCT 'remote', remote FROM salaries UNION "
        "SELECT DISTINCT 'source', source FROM postings UNION "
        "SELECT DISTINCT 'source', source FROM salaries UNION "
        "SELECT DISTINCT 'year', CAST(year AS VARCHAR) FROM salaries UNION "
        "SELECT DISTINCT 'month', strftime(posted_date, '%Y-%m') FROM postings",
    )

    def of(k: str) -> set[str]:
        return set(values.loc[values["k"] == k, "v"].dropna())

    return Options(
        roles=tuple(roles),
        regions=tuple(r for r in REGIONS if r in present),
        countries=tuple(zip(countries["country_code"], countries["region"], strict=True)),
        seniority=tuple(s for s in SENIORITY_CODES if s in of("seniority")),
        remote=tuple(r for r in REMOTE_CODES if r in of("remote")),
        sources=tuple(sorted(of("source"))),
        years=tuple(sorted(int(y) for y in of("year"))),
        months=tuple(sorted(of("month"))),
    )


# ---------------------------------------------------------------------------- overview
@_cache
def headline(store: str, version: str, f: Filters) -> dict[str, object]:
    """Counts, medians and date ranges of the selection (one row, as a dict)."""
    pw, pp = _where(f, "postings")
    sw, sp = _where(f, "salaries")
    df = _df(
        store,
        version,
        f"""
        WITH p AS (SELECT count(*) AS postings, count(salary_usd) AS postings_with_pay,
                          median(salary_usd) AS median_advertised,
                          count(*) FILTER (WHERE is_ai) AS ai_postings,
                          min(posted_date) AS first_posted, max(posted_date) AS last_posted
                   FROM postings {pw}),
             s AS (SELECT count(*) AS salaries, median(salary_usd) AS median_survey,
                          min(year) AS first_year, max(year) AS last_year
                   FROM salaries {sw})
        SELECT * FROM p, s
        """,
        pp + sp,
    )
    return {k: (None if pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}


# ---------------------------------------------------------------------------- demand
@_cache
def postings_by_month(store: str, version: str, f: Filters) -> pd.DataFrame:
    """month, role, n, share: share of *all* postings that month (role filter not applied)."""
    w, p = _where(f, "postings", skip=("role",))
    role_w, role_p = "", []
    if f.roles:
        role_w, role_p = "WHERE list_contains(?::VARCHAR[], m.role)", [list(f.roles)]
    return _df(
        store,
        version,
        f"""
        WITH m AS (SELECT date_trunc('month', posted_date) AS month, role, count(*) AS n
                   FROM postings {w} GROUP BY ALL),
             t AS (SELECT month, sum(n) AS total FROM m GROUP BY month)
        SELECT m.month, m.role, m.n, m.n / t.total AS share
        FROM m JOIN t USING (month) {role_w}
        ORDER BY m.month, m.n DESC
        """,
        p + role_p,
    )


@_cache
def postings_by(store: str, version: str, f: Filters, dim: str) -> pd.DataFrame:
    """value, n, share of postings per value of one dimension (e.g. seniority, remote)."""
    col = _check(dim, POSTING_DIMS, "dimension")
    w, p = _where(f, "postings")
    return _df(
        store,
        version,
        f"SELECT {col} AS value, count(*) AS n, count(*) / sum(count(*)) OVER () AS share "
        f"FROM postings {w} GROUP BY {col} ORDER BY n DESC",
        p,
    )


@_cache
def postings_by_country(store: str, version: str, f: Filters) -> pd.DataFrame:
    """country_code, region, n, share of postings with a known country."""
    w, p = _where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "country_code IS NOT NULL"
    return _df(
        store,
        version,
        f"SELECT country_code, any_value(region) AS region, count(*) AS n, "
        f"count(*) / sum(count(*)) OVER () AS share FROM postings {w} "
        "GROUP BY country_code ORDER BY n DESC",
        p,
    )


@_cache
def salary_records_by_year(store: str, version: str, f: Filters) -> pd.DataFrame:
    """year, n of salary-survey records (a separate series from postings)."""
    w, p = _where(f, "salaries")
    return _df(
        store,
        version,
        f"SELECT year, count(*) AS n FROM salaries {w} GROUP BY year ORDER BY year",
        p,
    )


# ---------------------------------------------------------------------------- salary
@_cache
def salary_quantiles(
    store: str, version: str, f: Filters, kind: str, by: tuple[str, ...] = ()
) -> pd.DataFrame:
    """n, p10, p25, p50, p75, p90 of annual USD pay, grouped by ``by`` columns.

    kind 'survey' reads salaries.salary_usd; 'advertised' reads postings.salary_usd (postings that
    state pay). For advertised pay, 'year' is the posting year.
    """
    _check(kind, SALARY_KINDS, "salary kind")
    for col in by:
        _check(col, SALARY_DIMS, "grouping")
    if kind == "survey":
        w, p = _where(f, "salaries")
        source = f"SELECT * FROM salaries {w}"
    else:
        w, p = _where(f, "postings")
        w = (w + " AND " if w else "WHERE ") + "salary_usd IS NOT NULL"
        source = f"SELECT *, year(posted_date) AS year FROM postings {w}"
    keys = ", ".join(by)
    select = f"{keys}, " if by else ""
    group = f"GROUP BY {keys}" if by else ""
    order = f"ORDER BY {keys}" if by else ""
    return _df(
        store,
        version,
        f"""
        SELECT {select} n, q[1] AS p10, q[2] AS p25, q[3] AS p50, q[4] AS p75, q[5] AS p90
        FROM (SELECT {select} count(*) AS n,
                     quantile_cont(salary_usd, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q
              FROM ({source}) AS src {group}) AS g
        {order}
        """,
        p,
    )


# ---------------------------------------------------------------------------- skills
def _posting_cte(f: Filters, extra: str = "") -> tuple[str, Params]:
    w, p = _where(f, "postings")
    if extra:
        w = (w + " AND " if w else "WHERE ") + extra
    return f"p AS (SELECT posting_id, role, posted_date, salary_usd FROM postings {w})", p


@_cache
def top_skills(store: str, version: str, f: Filters, top: int = 20) -> pd.DataFrame:
    """skill, category, n, share of the selection's postings asking for it (top N)."""
    cte, p = _posting_cte(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte}, total AS (SELECT count(*) AS t FROM p)
        SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
               count(*) / any_value(total.t) AS share
        FROM posting_skills s JOIN p USING (posting_id), total
        GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT ?
        """,
        [*p, int(top)],
    )


@_cache
def skill_shares_by_role(store: str, version: str, f: Filters, top: int = 15) -> pd.DataFrame:
    """role, skill, category, n, role_postings, share: the top-N skills' share within each role."""
    cte, p = _posting_cte(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             roles AS (SELECT role, count(*) AS role_postings FROM p GROUP BY role),
             ps AS (SELECT p.role, s.skill, s.category
                    FROM posting_skills s JOIN p USING (posting_id)),
             topn AS (SELECT skill FROM ps GROUP BY skill ORDER BY count(*) DESC, skill LIMIT ?)
        SELECT ps.role, ps.skill, any_value(ps.category) AS category, count(*) AS n,
               any_value(roles.role_postings) AS role_postings,
               count(*) / any_value(roles.role_postings) AS share
        FROM ps JOIN topn USING (skill) JOIN roles USING (role)
        GROUP BY ps.role, ps.skill ORDER BY ps.role, n DESC
        """,
        [*p, int(top)],
    )


@_cache
def skill_trend(store: str, version: str, f: Filters, skills: tuple[str, ...]) -> pd.DataFrame:
    """month, skill, n, share of that month's postings asking for each chosen skill."""
    if not skills:
        return pd.DataFrame(columns=["month", "skill", "n", "share"])
    cte, p = _posting_cte(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             t AS (SELECT date_trunc('month', posted_date) AS month, count(*) AS total
                   FROM p GROUP BY month)
        SELECT date_trunc('month', p.posted_date) AS month, s.skill, count(*) AS n,
               count(*) / any_value(t.total) AS share
        FROM posting_skills s JOIN p USING (posting_id)
             JOIN t ON t.month = date_trunc('month', p.posted_date)
        WHERE list_contains(?::VARCHAR[], s.skill)
        GROUP BY ALL ORDER BY month, s.skill
        """,
        [*p, list(skills)],
    )


@_cache
def cooccurring(store: str, version: str, f: Filters, skill: str, top: int = 15) -> pd.DataFrame:
    """skill, category, n, share of the postings asking for ``skill`` that also ask for it."""
    cte, p = _posting_cte(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             w AS (SELECT posting_id FROM posting_skills JOIN p USING (posting_id) WHERE skill = ?),
             total AS (SELECT count(*) AS t FROM w)
        SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
               count(*) / any_value(total.t) AS share
        FROM posting_skills s JOIN w USING (posting_id), total
        WHERE s.skill <> ?
        GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT ?
        """,
        [*p, skill, skill, int(top)],
    )


@_cache
def skill_premiums(store: str, version: str, f: Filters, skills: tuple[str, ...]) -> pd.DataFrame:
    """skill, n_with, median_with, n_without, median_without: advertised pay with vs without."""
    if not skills:
        return pd.DataFrame(
            columns=["skill", "n_with", "median_with", "n_without", "median_without"]
        )
    cte, p = _posting_cte(f, "salary_usd IS NOT NULL")
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             k AS (SELECT unnest(?::VARCHAR[]) AS skill),
             has AS (SELECT s.posting_id, s.skill FROM posting_skills s
                     JOIN p USING (posting_id) JOIN k USING (skill)),
             x AS (SELECT k.skill, p.salary_usd, has.posting_id IS NOT NULL AS has_skill
                   FROM k CROSS JOIN p
                   LEFT JOIN has ON has.posting_id = p.posting_id AND has.skill = k.skill)
        SELECT skill,
               count(*) FILTER (WHERE has_skill) AS n_with,
               median(salary_usd) FILTER (WHERE has_skill) AS median_with,
               count(*) FILTER (WHERE NOT has_skill) AS n_without,
               median(salary_usd) FILTER (WHERE NOT has_skill) AS median_without
        FROM x GROUP BY skill ORDER BY n_with DESC, skill
        """,
        [*p, list(skills)],
    )


@_cache
def role_skill_profile(
    store: str, version: str, f: Filters, roles: tuple[str, ...], min_n: int = 1
) -> pd.DataFrame:
    """role, skill, category, n, role_postings, share: every skill's share within each role."""
    cte, p = _posting_cte(f.with_(roles=tuple(roles)))
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             roles AS (SELECT role, count(*) AS role_postings FROM p GROUP BY role)
        SELECT p.role, s.skill, any_value(s.category) AS category, count(*) AS n,
               any_value(roles.role_postings) AS role_postings,
               count(*) / any_value(roles.role_postings) AS share
        FROM posting_skills s JOIN p USING (posting_id) JOIN roles USING (role)
        GROUP BY p.role, s.skill HAVING count(*) >= ? ORDER BY p.role, n DESC
        """,
        [*p, int(min_n)],
    )


# ---------------------------------------------------------------------------- data page
@_cache
def sources_table(store: str, version: str) -> pd.DataFrame:
    """Every source with its license and description, plus rows loaded and rejected."""
    return _df(
        store,
        version,
        """
        WITH loaded AS (SELECT source, count(*) AS n FROM postings GROUP BY source
                        UNION ALL SELECT source, count(*) FROM salaries GROUP BY source),
             rej AS (SELECT source, count(*) AS n FROM rejects GROUP BY source)
        SELECT s.name, s.kind, s.title, s.license, s.url, s.description,
               CAST(coalesce((SELECT sum(n) FROM loaded WHERE loaded.source = s.name), 0)
                    AS BIGINT) AS rows_loaded,
               CAST(coalesce((SELECT sum(n) FROM rej WHERE rej.source = s.name), 0) AS BIGINT)
               AS rows_rejected
        FROM sources s ORDER BY s.kind, s.name
        """,
    )


@_cache
def runs_table(store: str, version: str, limit: int = 50) -> pd.DataFrame:
    """The most recent refresh runs per source, newest first."""
    return _df(
        store,
        version,
        "SELECT run_id, source, started_at, finished_at, status, rows_read, rows_loaded, "
        "rows_rejected, message FROM runs ORDER BY started_at DESC, source LIMIT ?",
        [int(limit)],
    )


@_cache
def reject_reasons(store: str, version: str) -> pd.DataFrame:
    """source, reason, n, example (one raw row, as stored) per reject reason."""
    return _df(
        store,
        version,
        "SELECT source, reason, count(*) AS n, min(source_row) AS example_row, "
        "arg_min(raw, coalesce(source_row, 0)) AS example "
        "FROM rejects GROUP BY source, reason ORDER BY n DESC",
    )


@_cache
def role_coverage(
    store: str, version: str, f: Filters, top: int = 15
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(role, n, share) over postings + salary records, and the top titles mapped to Other."""
    pw, pp = _where(f, "postings")
    sw, sp = _where(f, "salaries")
    union = f"SELECT role, title FROM postings {pw} UNION ALL SELECT role, title FROM salaries {sw}"
    roles = _df(
        store,
        version,
        f"SELECT role, count(*) AS n, count(*) / sum(count(*)) OVER () AS share FROM ({union}) "
        "GROUP BY role ORDER BY n DESC",
        pp + sp,
    )
    other = _df(
        store,
        version,
        f"SELECT title, count(*) AS n FROM ({union}) WHERE role = 'Other' "
        "GROUP BY title ORDER BY n DESC, title LIMIT ?",
        [*pp, *sp, int(top)],
    )
    return roles, other


@_cache
def filtered_rows(
    store: str, version: str, f: Filters, table: str, cap: int = DOWNLOAD_CAP
) -> tuple[pd.DataFrame, int]:
    """Up to ``cap`` rows of postings or salaries for the selection, and the full row count."""
    _check(table, ("postings", "salaries"), "table")
    w, p = _where(f, table)
    total = int(_df(store, version, f"SELECT count(*) AS n FROM {table} {w}", p)["n"].iloc[0])
    order = "posted_date DESC, posting_id" if table == "postings" else "year DESC, record_id"
    rows = _df(store, version, f"SELECT * FROM {table} {w} ORDER BY {order} LIMIT ?", [*p, cap])
    return rows, total
