"""The store build: every table filled in DuckDB from Parquet parts and the previous store.

Why: a refresh must not hold a whole source in one process. The transform writes each chunk's
tables as Parquet parts (etl/engine.py); here DuckDB reads them (``read_parquet``) together with
the previous store's rows of the sources that keep them, checks the result against the contract
in SQL (etl.validate.check_sql: the same rules as the pandera schemas) and publishes it atomically
through etl.store. DuckDB streams and spills to disk, so memory stays flat as the store grows.

The build is general over the contract: a table with a ``source`` column keeps the previous rows
of the sources in ``keep``; a child table (``CHILDREN``) keeps the rows of its parent's kept rows.
A new contract table or column needs no change here (a part or an old store that lacks a column
gives NULL, which the contract's checks then judge).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.contract import TABLES, columns
from etl.store import _insert_sql, _publish
from etl.validate import CHILDREN, check_sql

MEMORY_ENV = "AIJOBS_DUCKDB_MEMORY"


@dataclass
class BuildPlan:
    """What goes into a new store: new rows (parts), kept rows (previous store), small frames."""

    previous: Path | None = None
    keep: set[str] = field(default_factory=set)
    parts: dict[str, list[Path]] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    scratch: Path | None = None

    def add_parts(self, table: str, files: Iterable[Path]) -> None:
        self.parts.setdefault(table, []).extend(files)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _files_sql(files: list[Path]) -> str:
    listed = ", ".join(_quote(str(f)) for f in files)
    return f"read_parquet([{listed}], union_by_name = true)"


def _columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def _select(name: str, have: set[str], relation: str, where: str = "") -> str:
    cols = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in columns(name))
    return f"SELECT {cols} FROM {relation}{where}"


def _old_has(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'old' AND table_name = ?",
            [name],
        ).fetchone()[0]
    )


def _kept_rows(con: duckdb.DuckDBPyConnection, plan: BuildPlan, name: str) -> str | None:
    """The SELECT of the previous store's rows of ``name`` that stay, or None."""
    if plan.previous is None or not plan.keep or not _old_has(con, name):
        return None
    sources = ", ".join(_quote(s) for s in sorted(plan.keep))
    have = _columns_of(con, f'old."{name}"')
    if "source" in columns(name):
        return _select(name, have, f'old."{name}"', f" WHERE source IN ({sources})")
    if name in CHILDREN:
        parent, key = CHILDREN[name]
        if not _old_has(con, parent):
            return None
        owners = f'SELECT "{key}" FROM old."{parent}" WHERE source IN ({sources})'
        where = f' WHERE "{key}" IN ({owners})'
        return _select(name, have, f'old."{name}"', where)
    return None


def build_store(out: Path, plan: BuildPlan, *, meta: dict[str, str], kind: str = "real") -> Path:
    """Publish a new store at ``out`` from ``plan`` (atomically; the old store stays on error).

    Raises etl.errors.ValidationError when a table breaks the contract (nothing published).
    """

    def before(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"SET memory_limit = {_quote(os.environ.get(MEMORY_ENV, '2GB'))}")
        if plan.scratch is not None:
            plan.scratch.mkdir(parents=True, exist_ok=True)
            con.execute(f"SET temp_directory = {_quote(str(plan.scratch))}")
        if plan.previous is not None:
            con.execute(f"ATTACH {_quote(str(plan.previous))} AS old (READ_ONLY)")

    def load(con: duckdb.DuckDBPyConnection, name: str) -> None:
        frame = plan.frames.get(name)
        if frame is not None:
            con.register("incoming", frame[columns(name)])
            con.execute(_insert_sql(name))
            con.unregister("incoming")
            return
        selects = []
        files = plan.parts.get(name) or []
        if files:
            relation = _files_sql(files)
            selects.append(_select(name, _columns_of(con, relation), relation))
        kept = _kept_rows(con, plan, name)
        if kept is not None:
            selects.append(kept)
        if not selects:
            return
        casts = ", ".join(f'CAST("{c.name}" AS {c.sql_type}) AS "{c.name}"' for c in TABLES[name])
        union = " UNION ALL ".join(f"({s})" for s in selects)
        con.execute(f"CREATE TEMP VIEW incoming AS SELECT {casts} FROM ({union})")
        try:
            parent = CHILDREN.get(name, (None,))[0]
            check_sql(con, name, "incoming", parent=f'"{parent}"' if parent else None)
            con.execute(_insert_sql(name))  # the view is cast already: the casts are no-ops
        finally:
            con.execute("DROP VIEW incoming")

    return _publish(out, load, meta, kind, before=before)


def previous_rows(path: Path | None, name: str, source: str) -> pd.DataFrame:
    """The rows of one source in a table of the store at ``path`` (for an API source's merge;
    small). A child table (posting_skills) gives the rows of that source's parent rows."""
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in columns(name)})
    if path is None or not Path(path).exists():
        return empty
    con = duckdb.connect(str(path), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if name not in present:
            return empty
        if "source" in columns(name):
            return con.execute(f'SELECT * FROM "{name}" WHERE source = ?', [source]).df()
        parent, key = CHILDREN[name]
        return con.execute(
            f'SELECT c.* FROM "{name}" c WHERE "{key}" IN '
            f'(SELECT "{key}" FROM "{parent}" WHERE source = ?)',
            [source],
        ).df()
    finally:
        con.close()


def count_rows(path: Path | None, names: Iterable[str], source: str) -> int:
    """Rows of ``source`` in the named tables of the store at ``path`` (0 without a store)."""
    if path is None or not Path(path).exists():
        return 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return sum(
            con.execute(f'SELECT count(*) FROM "{n}" WHERE source = ?', [source]).fetchone()[0]
            for n in names
            if n in present
        )
    finally:
        con.close()
