"""What every query module shares: the read-only connection, the cache, filters -> SQL.

- ``fetch``: run parameterised SQL on one shared read-only connection per store version;
- ``cached``: st.cache_data for query functions; the store version (etl.store.store_version) is
  one of their arguments, so a freshly published store is picked up without a restart;
- ``where``: the WHERE clause and bound parameters of a ``Filters`` for one table;
- ``check``: a whitelist check for the column names that are formatted into SQL;
- ``store_meta`` and ``filter_options``: what the router needs before any page runs.

The conventions of the query layer (see dashboard/queries/__init__.py) are kept here.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from dashboard.queries.filters import Filters, Options, month_bounds
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


def fetch(store: str, version: str, sql: str, params: Params | None = None) -> pd.DataFrame:
    with _cursor(store, version) as cur:
        return cur.execute(sql, params or []).df()


def fetch_arrays(
    store: str, version: str, sql: str, params: Params | None = None
) -> dict[str, np.ndarray]:
    """Each result column as a NumPy array, through Arrow: for the few queries that hand many
    rows of small numeric columns to NumPy code (the premiums' per-posting pay), about half the
    time of ``fetch``'s DataFrame at 1M rows. Columns must hold no NULLs (a NULL in an integer
    column would come back as a float NaN)."""
    with _cursor(store, version) as cur:
        table = cur.sql(sql, params=params or None).to_arrow_table()  # no DB-API copy
    return {name: table.column(name).to_numpy() for name in table.column_names}


def where(f: Filters, table: str, skip: tuple[str, ...] = ()) -> tuple[str, Params]:
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
    if table == "salaries":  # pay amounts only: a band survey's records (no amount) never mix in
        clauses.append("salary_usd IS NOT NULL")
    if table == "salaries" and f.years and "time" not in skip:
        clauses.append("year BETWEEN ? AND ?")
        params += [f.years[0], f.years[1]]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def check(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


cached = st.cache_data(show_spinner=False, max_entries=512)
"""The cache of every query function (keyed on all its arguments, the store version among them)."""


# ---------------------------------------------------------------------------- store-level
@cached
def store_meta(store: str, version: str) -> dict[str, str]:
    """The meta table (kind, built_at, schema_version, run_id)."""
    df = fetch(store, version, "SELECT key, value FROM meta")
    return dict(zip(df["key"], df["value"], strict=True))


@cached
def filter_options(store: str, version: str) -> Options:
    """Everything the sidebar can offer, from the data (roles ordered by postings + records)."""
    df = fetch(
        store, version, "SELECT dimension, value, postings, salary_records FROM filter_values"
    )
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
