"""The query layer: parameterised SQL over the store's read-only DuckDB file -> small DataFrames.

Every function takes hashable arguments (store path, store version, a frozen Filters, a few
strings) and is cached with st.cache_data: the store version (etl.store.store_version) is part of
the key, so a freshly published store is picked up without a restart. Aggregation happens in SQL;
only the columns a chart needs come back. Values are always bound parameters; the only things
formatted into SQL are column names from the whitelists below.

Each query reads the smallest table that answers it exactly (etl/marts.py): counts and totals come
from the ``posting_counts`` cube, skill queries from ``posting_skill_facts`` (the filter columns
are on it: no join), the sidebar from ``filter_values``; quantiles, medians and rows still come
from the base tables. A store without the marts (an older schema) raises a StoreError that says
how to upgrade it.
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
from etl.contract import MART_NAMES, REGIONS, REMOTE_CODES, SENIORITY_CODES
from etl.store import StoreError, connect

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
PREVIEW_ROWS = 1_000
PREVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "postings": (
        "posted_date",
        "title",
        "company",
        "role",
        "seniority",
        "country_code",
        "remote",
        "salary_usd",
        "source",
    ),
    "salaries": (
        "year",
        "title",
        "role",
        "seniority",
        "country_code",
        "remote",
        "company_size",
        "salary_usd",
        "source",
    ),
}
"""The columns the Data page shows in its preview (the download has every column)."""


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
            held = _HELD[store] = _Held(version, _open(Path(store)))
        held.users += 1
        cur = held.con.cursor()
    try:
        yield cur
    finally:
        cur.close()
        with _COND:
            held.users -= 1
            _COND.notify_all()


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, refused with a clear message when the store has no marts."""
    con = connect(path)
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if missing := [m for m in MART_NAMES if m not in present]:
        con.close()
        raise StoreError(
            f"the store at {path} was built by an older version and lacks {', '.join(missing)}; "
            "upgrade it with `python -m etl ensure-store` (or `make run`), then reload"
        )
    return con


def _df(store: str, version: str, sql: str, params: Params | None = None) -> pd.DataFrame:
    with _cursor(store, version) as cur:
        return cur.execute(sql, params or []).df()


def _where(f: Filters, table: str, skip: tuple[str, ...] = ()) -> tuple[str, Params]:
    """WHERE clause and parameters of ``f`` for ``table``.

    ``table`` is 'postings' (also right for posting_skill_facts, which has the same columns),
    'posting_counts' (months by its ``month`` column: exact, a filter always covers whole months)
    or 'salaries'.
    """
    clauses: list[str] = []
    params: Params = []
    for col, values in f.by_column():
        if values and col not in skip:
            clauses.append(f"list_contains(?::VARCHAR[], {col})")
            params.append(list(values))
    if table in ("postings", "posting_counts") and f.months and "time" not in skip:
        lo, hi = month_bounds(f.months)
        col = "month" if table == "posting_counts" else "posted_date"
        clauses.append(f"{col} >= ? AND {col} < ?")
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
    df = _df(store, version, "SELECT dimension, value, postings, salary_records FROM filter_values")
    df["n"] = df["postings"] + df["salary_records"]

    def of(dim: str, count: str = "n") -> pd.DataFrame:
        return df[(df["dimension"] == dim) & (df[count] > 0)]

    roles = of("role").assign(other=lambda d: d["value"] == "Other")
    roles = roles.sort_values(["other", "n", "value"], ascending=[True, False, True])
    countries = of("country_region").sort_values(["n", "value"], ascending=[False, True])
    pairs = tuple(tuple(v.split("|", 1)) for v in countries["value"])
    present = {region for _, region in pairs}
    return Options(
        roles=tuple(roles["value"]),
        regions=tuple(r for r in REGIONS if r in present),
        countries=pairs,  # type: ignore[arg-type]
        seniority=tuple(s for s in SENIORITY_CODES if s in set(of("seniority")["value"])),
        remote=tuple(r for r in REMOTE_CODES if r in set(of("remote")["value"])),
        sources=tuple(sorted(of("source")["value"])),
        years=tuple(sorted(int(y) for y in of("year", "salary_records")["value"])),
        months=tuple(sorted(of("month", "postings")["value"])),
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
    w, p = _where(f, "posting_counts", skip=("role",))
    role_w, role_p = "", []
    if f.roles:
        role_w, role_p = "WHERE list_contains(?::VARCHAR[], m.role)", [list(f.roles)]
    return _df(
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


@_cache
def postings_by(store: str, version: str, f: Filters, dim: str) -> pd.DataFrame:
    """value, n, share of postings per value of one dimension (e.g. seniority, remote)."""
    col = _check(dim, POSTING_DIMS, "dimension")
    w, p = _where(f, "posting_counts")
    return _df(
        store,
        version,
        f"SELECT {col} AS value, CAST(sum(postings) AS BIGINT) AS n, "
        f"sum(postings) / sum(sum(postings)) OVER () AS share "
        f"FROM posting_counts {w} GROUP BY {col} ORDER BY n DESC",
        p,
    )


@_cache
def postings_by_country(store: str, version: str, f: Filters) -> pd.DataFrame:
    """country_code, region, n, share of postings with a known country."""
    w, p = _where(f, "posting_counts")
    w = (w + " AND " if w else "WHERE ") + "country_code IS NOT NULL"
    return _df(
        store,
        version,
        f"SELECT country_code, any_value(region) AS region, CAST(sum(postings) AS BIGINT) AS n, "
        f"sum(postings) / sum(sum(postings)) OVER () AS share FROM posting_counts {w} "
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
def _facts_where(f: Filters, extra: str = "") -> tuple[str, Params]:
    """WHERE over posting_skill_facts: the posting filters apply to its own columns."""
    w, p = _where(f, "postings")
    if extra:
        w = (w + " AND " if w else "WHERE ") + extra
    return w, p


def _counts_cte(f: Filters, name: str, select: str, group: str = "") -> tuple[str, Params]:
    """A CTE over posting_counts: postings in the selection (the denominators of shares)."""
    w, p = _where(f, "posting_counts")
    return f"{name} AS (SELECT {select} FROM posting_counts {w} {group})", p


@_cache
def top_skills(store: str, version: str, f: Filters, top: int = 20) -> pd.DataFrame:
    """skill, category, n, share of the selection's postings asking for it (top N)."""
    cte, cp = _counts_cte(f, "total", "sum(postings) AS t")
    w, p = _facts_where(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte}
        SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
               count(*) / any_value(total.t) AS share
        FROM posting_skill_facts s CROSS JOIN total {w}
        GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT ?
        """,
        [*cp, *p, int(top)],
    )


@_cache
def skill_shares_by_role(store: str, version: str, f: Filters, top: int = 15) -> pd.DataFrame:
    """role, skill, category, n, role_postings, share: the top-N skills' share within each role."""
    cte, cp = _counts_cte(
        f, "roles", "role, CAST(sum(postings) AS BIGINT) AS role_postings", "GROUP BY role"
    )
    w, p = _facts_where(f)
    return _df(
        store,
        version,
        f"""
        WITH {cte},
             ps AS (SELECT role, skill, any_value(category) AS category, count(*) AS n
                    FROM posting_skill_facts {w} GROUP BY role, skill),
             topn AS (SELECT skill FROM ps GROUP BY skill ORDER BY sum(n) DESC, skill LIMIT ?)
        SELECT ps.role, ps.skill, ps.category, ps.n, roles.role_postings,
               ps.n / roles.role_postings AS share
        FROM ps JOIN topn USING (skill) JOIN roles USING (role)
        ORDER BY ps.role, ps.n DESC
        """,
        [*cp, *p, int(top)],
    )


@_cache
def skill_trend(store: str, version: str, f: Filters, skills: tuple[str, ...]) -> pd.DataFrame:
    """month, skill, n, share of that month's postings asking for each chosen skill."""
    if not skills:
        return pd.DataFrame(columns=["month", "skill", "n", "share"])
    cte, cp = _counts_cte(
        f, "t", "CAST(month AS TIMESTAMP) AS month, sum(postings) AS total", "GROUP BY month"
    )
    w, p = _facts_where(f, "list_contains(?::VARCHAR[], s.skill)")
    return _df(
        store,
        version,
        f"""
        WITH {cte}
        SELECT date_trunc('month', s.posted_date) AS month, s.skill, count(*) AS n,
               count(*) / any_value(t.total) AS share
        FROM posting_skill_facts s JOIN t ON t.month = date_trunc('month', s.posted_date)
        {w}
        GROUP BY ALL ORDER BY month, s.skill
        """,
        [*cp, *p, list(skills)],
    )


@_cache
def cooccurring(store: str, version: str, f: Filters, skill: str, top: int = 15) -> pd.DataFrame:
    """skill, category, n, share of the postings asking for ``skill`` that also ask for it."""
    w, p = _facts_where(f, "skill = ?")
    # the filters are per posting, so applying them to the other side too changes nothing but
    # the number of rows the join has to probe
    other, other_p = _facts_where(f, "skill <> ?")
    return _df(
        store,
        version,
        f"""
        WITH w AS (SELECT posting_id FROM posting_skill_facts {w}),
             total AS (SELECT count(*) AS t FROM w),
             s AS (SELECT posting_id, skill, category FROM posting_skill_facts {other})
        SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
               count(*) / any_value(total.t) AS share
        FROM s JOIN w USING (posting_id), total
        GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT ?
        """,
        [*p, skill, *other_p, skill, int(top)],
    )


@_cache
def role_skill_profile(
    store: str, version: str, f: Filters, roles: tuple[str, ...], min_n: int = 1
) -> pd.DataFrame:
    """role, skill, category, n, role_postings, share: every skill's share within each role."""
    g = f.with_(roles=tuple(roles))
    cte, cp = _counts_cte(
        g, "roles", "role, CAST(sum(postings) AS BIGINT) AS role_postings", "GROUP BY role"
    )
    w, p = _facts_where(g)
    return _df(
        store,
        version,
        f"""
        WITH {cte}
        SELECT s.role, s.skill, any_value(s.category) AS category, count(*) AS n,
               any_value(roles.role_postings) AS role_postings,
               count(*) / any_value(roles.role_postings) AS share
        FROM posting_skill_facts s JOIN roles USING (role) {w}
        GROUP BY s.role, s.skill HAVING count(*) >= ? ORDER BY s.role, n DESC
        """,
        [*cp, *p, int(min_n)],
    )


# ---------------------------------------------------------------------------- data page
@_cache
def sources_table(store: str, version: str) -> pd.DataFrame:
    """Every source with its license and description, plus rows loaded and rejected."""
    return _df(
        store,
        version,
        """
        WITH loaded AS (SELECT source, sum(postings) AS n FROM posting_counts GROUP BY source
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
    cw, cp = _where(f, "posting_counts")
    sw, sp = _where(f, "salaries")
    roles = _df(
        store,
        version,
        f"SELECT role, CAST(sum(n) AS BIGINT) AS n, sum(n) / sum(sum(n)) OVER () AS share FROM ("
        f"SELECT role, sum(postings) AS n FROM posting_counts {cw} GROUP BY role UNION ALL "
        f"SELECT role, count(*) FROM salaries {sw} GROUP BY role) GROUP BY role ORDER BY n DESC",
        cp + sp,
    )
    pw = (pw + " AND " if pw else "WHERE ") + "role = 'Other'"
    sw = (sw + " AND " if sw else "WHERE ") + "role = 'Other'"
    union = f"SELECT title FROM postings {pw} UNION ALL SELECT title FROM salaries {sw}"
    other = _df(
        store,
        version,
        f"SELECT title, count(*) AS n FROM ({union}) GROUP BY title ORDER BY n DESC, title LIMIT ?",
        [*pp, *sp, int(top)],
    )
    return roles, other


def _newest(
    store: str, version: str, f: Filters, table: str, limit: int
) -> tuple[int, str, Params]:
    """The selection's row count, and a WHERE clause for the newest rows of ``table``.

    The clause keeps only the newest months (postings, from the cube) or years (salaries) that
    hold at least ``limit`` rows, so ``ORDER BY ... LIMIT`` sorts a small slice; exact, because
    every row it drops is older than all ``limit`` newest rows.
    """
    if table == "postings":
        w, p = _where(f, "posting_counts")
        sql = f"SELECT month AS k, sum(postings) AS n FROM posting_counts {w} GROUP BY k"
        col = "posted_date"
    else:
        w, p = _where(f, table)
        sql, col = f"SELECT year AS k, count(*) AS n FROM salaries {w} GROUP BY k", "year"
    by = _df(store, version, sql, p).sort_values("k", ascending=False)
    w, p = _where(f, table)
    enough = by[by["n"].cumsum() >= limit]
    if not enough.empty:
        w = (w + " AND " if w else "WHERE ") + f"{col} >= ?"
        k = enough["k"].iloc[0]
        p = [*p, k.date() if table == "postings" else int(k)]
    return int(by["n"].sum()), w, p


def _rows(
    store: str, version: str, f: Filters, table: str, cols: str, limit: int
) -> tuple[pd.DataFrame, int]:
    _check(table, ("postings", "salaries"), "table")
    total, w, p = _newest(store, version, f, table, limit)
    order = "posted_date DESC, posting_id" if table == "postings" else "year DESC, record_id"
    rows = _df(
        store, version, f"SELECT {cols} FROM {table} {w} ORDER BY {order} LIMIT ?", [*p, limit]
    )
    return rows, total


@_cache
def filtered_rows(
    store: str, version: str, f: Filters, table: str, cap: int = DOWNLOAD_CAP
) -> tuple[pd.DataFrame, int]:
    """Up to ``cap`` rows of postings or salaries for the selection, and the full row count."""
    return _rows(store, version, f, table, "*", int(cap))


@_cache
def preview_rows(
    store: str, version: str, f: Filters, table: str, limit: int = PREVIEW_ROWS
) -> tuple[pd.DataFrame, int]:
    """The newest ``limit`` rows of the selection, only PREVIEW_COLUMNS, and the full row count.

    What the Data page shows on every run; the full download is built only on click.
    """
    _check(table, ("postings", "salaries"), "table")
    return _rows(store, version, f, table, ", ".join(PREVIEW_COLUMNS[table]), int(limit))


def download_csv(
    store: str, version: str, f: Filters, table: str, cap: int = DOWNLOAD_CAP
) -> bytes:
    """Every column of up to ``cap`` newest rows of the selection as CSV (not cached: on click)."""
    rows, _ = filtered_rows.__wrapped__(store, version, f, table, cap)  # type: ignore[attr-defined]
    return rows.to_csv(index=False).encode()
