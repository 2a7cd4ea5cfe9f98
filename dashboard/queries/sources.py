"""The Data page: sources, refresh runs, rejected rows, role coverage, and the rows themselves."""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.quantiles import pay_where
from dashboard.queries.store import Params, cached, check, fetch, where
from dashboard.stats.export import to_csv_bytes
from dashboard.stats.provenance import Provenance, from_counts, from_rows

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
        # the advertised pay as stated and the conversion used (schema 3)
        "salary_min_local",
        "salary_max_local",
        "currency",
        "salary_period",
        "usd_rate",
        "rate_date",
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


@cached
def sources_table(store: str, version: str) -> pd.DataFrame:
    """Every source with its license and description, plus rows loaded (postings, salary
    records or series values) and rejected."""
    return fetch(
        store,
        version,
        """
        WITH loaded AS (SELECT source, sum(postings) AS n FROM posting_counts GROUP BY source
                        UNION ALL SELECT source, count(*) FROM salaries GROUP BY source
                        UNION ALL SELECT source, count(*) FROM series GROUP BY source),
             rej AS (SELECT source, count(*) AS n FROM rejects GROUP BY source)
        SELECT s.name, s.kind, s.title, s.license, s.url, s.description,
               CAST(coalesce((SELECT sum(n) FROM loaded WHERE loaded.source = s.name), 0)
                    AS BIGINT) AS rows_loaded,
               CAST(coalesce((SELECT sum(n) FROM rej WHERE rej.source = s.name), 0) AS BIGINT)
               AS rows_rejected
        FROM sources s ORDER BY s.kind, s.name
        """,
    )


@cached
def source_names(store: str, version: str) -> dict[str, str]:
    """Each source id's human name (the sources table's title; the id when it has none)."""
    df = fetch(store, version, "SELECT name, coalesce(title, name) AS title FROM sources")
    return dict(zip(df["name"], df["title"], strict=True))


PROVENANCE_TABLES = ("postings", "advertised", "salaries")
"""What a chart reads: all postings, postings that state pay, or salary (pay) records."""


@cached
def provenance(
    store: str, version: str, f: Filters, table: str = "postings", unit: str | None = None
) -> Provenance:
    """The sources, period and n of the rows ``f`` selects in ``table`` ('postings': from the
    posting_counts cube, month precision; 'advertised': those that state pay; 'salaries': pay
    records, survey years), for the caption under a chart that reads them (the same WHERE as
    the chart's query)."""
    check(table, PROVENANCE_TABLES, "table")
    if table in ("postings", "advertised"):
        w, p = where(f, "posting_counts")
        col = "postings" if table == "postings" else "with_pay"
        w = (w + " AND " if w else "WHERE ") + f"{col} > 0"
        sql = (
            "SELECT source, min(month) AS first, max(month) AS last, "
            f"CAST(sum({col}) AS BIGINT) AS n FROM posting_counts {w} GROUP BY source"
        )
    else:  # pay records, counted in pay_buckets (see quantiles.pay_where)
        w, p = pay_where(f, "survey")
        sql = (
            "SELECT source, make_date(min(year), 1, 1) AS first, make_date(max(year), 1, 1) AS "
            f"last, CAST(sum(n) AS BIGINT) AS n FROM pay_buckets {w} GROUP BY source"
        )
    counts = fetch(store, version, sql, p)
    names = source_names(store, version)
    default = "salary records" if table == "salaries" else "postings"
    return from_counts(
        counts, names, unit=unit or default, label=f.describe(), yearly=table == "salaries"
    )


def rows_provenance(
    store: str,
    version: str,
    rows: pd.DataFrame,
    *,
    date: str,
    n: int | None = None,
    unit: str = "",
    label: str = "",
    yearly: bool = False,
) -> Provenance:
    """The provenance of rows a chart draws that carry their own ``source`` and ``date`` columns
    (series lines, survey answers): source ids named from the sources table."""
    names = source_names(store, version)
    return from_rows(rows, names, date=date, n=n, unit=unit, label=label, yearly=yearly)


@cached
def runs_table(store: str, version: str, limit: int = 50) -> pd.DataFrame:
    """The most recent refresh runs per source, newest first."""
    return fetch(
        store,
        version,
        "SELECT run_id, source, started_at, finished_at, status, rows_read, rows_loaded, "
        "rows_rejected, message FROM runs ORDER BY started_at DESC, source LIMIT ?",
        [int(limit)],
    )


@cached
def reject_reasons(store: str, version: str) -> pd.DataFrame:
    """source, reason, n, example (one raw row, as stored) per reject reason."""
    return fetch(
        store,
        version,
        "SELECT source, reason, count(*) AS n, min(source_row) AS example_row, "
        "arg_min(raw, coalesce(source_row, 0)) AS example "
        "FROM rejects GROUP BY source, reason ORDER BY n DESC",
    )


@cached
def role_coverage(
    store: str, version: str, f: Filters, top: int = 15
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(role, n, share) over postings + salary records, and the top titles mapped to Other."""
    pw, pp = where(f, "postings")
    cw, cp = where(f, "posting_counts")
    bw, bp = pay_where(f, "survey")
    roles = fetch(
        store,
        version,
        f"SELECT role, CAST(sum(n) AS BIGINT) AS n, sum(n) / sum(sum(n)) OVER () AS share FROM ("
        f"SELECT role, sum(postings) AS n FROM posting_counts {cw} GROUP BY role UNION ALL "
        f"SELECT role, sum(n) FROM pay_buckets {bw} GROUP BY role) GROUP BY role ORDER BY n DESC",
        cp + bp,
    )
    sw, sp = where(f, "salaries")
    pw = (pw + " AND " if pw else "WHERE ") + "role = 'Other'"
    sw = (sw + " AND " if sw else "WHERE ") + "role = 'Other'"
    union = f"SELECT title FROM postings {pw} UNION ALL SELECT title FROM salaries {sw}"
    other = fetch(
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
        w, p = where(f, "posting_counts")
        sql = f"SELECT month AS k, sum(postings) AS n FROM posting_counts {w} GROUP BY k"
        col = "posted_date"
    else:
        w, p = pay_where(f, "survey")  # the same records, counted in pay_buckets
        sql, col = f"SELECT year AS k, sum(n) AS n FROM pay_buckets {w} GROUP BY k", "year"
    by = fetch(store, version, sql, p).sort_values("k", ascending=False)
    w, p = where(f, table)
    enough = by[by["n"].cumsum() >= limit]
    if not enough.empty:
        w = (w + " AND " if w else "WHERE ") + f"{col} >= ?"
        k = enough["k"].iloc[0]
        p = [*p, k.date() if table == "postings" else int(k)]
    return int(by["n"].sum()), w, p


def _rows(
    store: str, version: str, f: Filters, table: str, cols: str, limit: int
) -> tuple[pd.DataFrame, int]:
    check(table, ("postings", "salaries"), "table")
    total, w, p = _newest(store, version, f, table, limit)
    order = "posted_date DESC, posting_id" if table == "postings" else "year DESC, record_id"
    rows = fetch(
        store, version, f"SELECT {cols} FROM {table} {w} ORDER BY {order} LIMIT ?", [*p, limit]
    )
    return rows, total


@cached
def filtered_rows(
    store: str, version: str, f: Filters, table: str, cap: int = DOWNLOAD_CAP
) -> tuple[pd.DataFrame, int]:
    """Up to ``cap`` rows of postings or salaries for the selection, and the full row count."""
    return _rows(store, version, f, table, "*", int(cap))


@cached
def preview_rows(
    store: str, version: str, f: Filters, table: str, limit: int = PREVIEW_ROWS
) -> tuple[pd.DataFrame, int]:
    """The newest ``limit`` rows of the selection, only PREVIEW_COLUMNS, and the full row count.

    What the Data page shows on every run; the full download is built only on click.
    """
    check(table, ("postings", "salaries"), "table")
    return _rows(store, version, f, table, ", ".join(PREVIEW_COLUMNS[table]), int(limit))


def download_csv(
    store: str, version: str, f: Filters, table: str, cap: int = DOWNLOAD_CAP
) -> bytes:
    """Every column of up to ``cap`` newest rows of the selection as CSV (not cached: on click)."""
    rows, _ = filtered_rows.__wrapped__(store, version, f, table, cap)  # type: ignore[attr-defined]
    return to_csv_bytes(rows)
