"""Publishing and reading the DuckDB store, atomically.

A store is built beside the published one (``.jobs.duckdb.<pid>.tmp``), fsynced, then renamed over
it with ``os.replace``: readers see either the old store or the new one, never a half-written file.
A crash, a SIGKILL or a full disk before the rename leaves the previous store untouched; the next
publish sweeps the orphaned temporary file. Parquet copies of every table are written the same way
into ``<store dir>/parquet/``. The marts (etl/marts.py) are built in the same temporary store,
so a published store always has them; ``republish`` upgrades a store of an older schema.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.contract import MARTS, SCHEMA_VERSION, TABLES, columns
from etl.lock import LockBusy, RunLock, process_alive
from etl.marts import build_marts


class StoreError(RuntimeError):
    """A store could not be published or read; the message is meant for a person."""


class RefreshInProgress(StoreError):
    """Another refresh holds the lock on this store."""


def empty_table(name: str) -> pd.DataFrame:
    """An empty DataFrame with the contract's columns of ``name``."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns(name)})


def _create_sql(name: str) -> str:
    cols = ", ".join(
        f'"{c.name}" {c.sql_type}{"" if c.nullable else " NOT NULL"}' for c in TABLES[name]
    )
    return f'CREATE TABLE "{name}" ({cols})'


def sql_string(value: object) -> str:
    """``value`` as a SQL string literal (quotes doubled): for file paths in COPY and ATTACH,
    which DuckDB does not take as bound parameters. A path with an apostrophe stays one path."""
    return "'" + str(value).replace("'", "''") + "'"


STORED_ORDER: dict[str, str] = {"postings": "posted_date"}
"""The order base tables' rows are stored in, where a page reads a range of it: DuckDB keeps
each row group's min and max (zone maps), so the Data page's newest postings skip every older
row group instead of scanning all postings (1M benchmark store: the preview's query 35 → 8 ms)."""


def _insert_sql(name: str, source: str = "incoming") -> str:
    casts = ", ".join(f'CAST("{c.name}" AS {c.sql_type}) AS "{c.name}"' for c in TABLES[name])
    order = f" ORDER BY {STORED_ORDER[name]}" if name in STORED_ORDER else ""
    return f'INSERT INTO "{name}" SELECT {casts} FROM {source}{order}'


def sweep_orphans(out: Path) -> list[Path]:
    """Remove temporary files left by publishes whose process died (e.g. SIGKILL)."""
    removed = []
    for tmp in out.parent.glob(f".{out.name}.*.tmp"):
        try:
            pid = int(tmp.name.rsplit(".", 2)[-2])
        except ValueError:
            continue
        if pid != os.getpid() and not process_alive(pid):
            shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the contract's columns; a missing nullable column (added to the contract
    after the caller was written) is NULL, any other difference is a StoreError."""
    extra = set(frame.columns) - set(columns(name))
    optional = {c.name for c in TABLES[name] if c.nullable}
    missing = set(columns(name)) - set(frame.columns) - optional
    if extra or missing:
        raise StoreError(
            f"table {name!r} does not match the store contract: "
            f"missing {sorted(missing)}, unexpected {sorted(extra)}"
        )
    absent = [c for c in columns(name) if c not in frame.columns]
    return frame.assign(**{c: None for c in absent}) if absent else frame


def publish(
    tables: Mapping[str, pd.DataFrame],
    out: Path,
    *,
    meta: Mapping[str, str] | None = None,
    kind: str = "real",
) -> Path:
    """Write every contract table to a new store and atomically replace ``out`` with it.

    Missing tables are written empty. Columns are cast to the contract's SQL types; extra columns
    are an error (the contract is the only place to add one). The marts (contract.MARTS) are then
    built from the base tables in SQL: callers never pass them.
    """
    frames = {}
    for name in TABLES:
        frame = tables.get(name)
        if frame is not None and name != "meta":
            frames[name] = _check_frame(name, frame)

    def load(con: duckdb.DuckDBPyConnection, name: str) -> None:
        frame = frames.get(name)
        if frame is None:
            return
        con.register("incoming", frame[columns(name)])
        con.execute(_insert_sql(name))
        con.unregister("incoming")

    return _publish(out, load, meta, kind)


def republish(out: Path) -> Path:
    """Publish the store at ``out`` again from its own base tables (marts rebuilt), atomically.

    For a store written by an older schema (no marts): the base tables are copied inside DuckDB
    (never through pandas, so a 10M-row store needs little memory), cast to the contract, and the
    meta kept apart from the new schema_version. A base table the old store lacks is written empty,
    and a nullable column it lacks is NULL (schema 4 added the series tables and columns).
    """
    out = Path(out)
    if not out.exists():
        raise StoreError(f"no store at {out}: build one with `python -m etl refresh`")
    old_meta = read_meta(out)
    kind = old_meta.pop("kind", "real")
    old_meta.pop("schema_version", None)

    def load(con: duckdb.DuckDBPyConnection, name: str) -> None:
        if name == "meta":
            return
        if not con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'old' AND table_name = ?",
            [name],
        ).fetchone()[0]:
            return
        have = {r[0] for r in con.execute(f'DESCRIBE old."{name}"').fetchall()}
        missing = {c.name for c in TABLES[name] if c.name not in have}
        if required := sorted(c.name for c in TABLES[name] if c.name in missing and not c.nullable):
            raise StoreError(
                f"the store at {out} is too old to upgrade (table {name!r} lacks "
                f"{required}): rebuild it with `python -m etl refresh`"
            )
        # Columns added to the contract later are nullable: an older store gets them empty.
        picks = ", ".join(
            f'NULL AS "{c.name}"' if c.name in missing else f'"{c.name}"' for c in TABLES[name]
        )
        con.execute(_insert_sql(name, f'(SELECT {picks} FROM old."{name}")'))

    def attach(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"ATTACH {sql_string(out)} AS old (READ_ONLY)")

    return _publish(out, load, old_meta, kind, before=attach)


def missing_columns(path: Path) -> dict[str, list[str]]:
    """Base-table columns of the contract that the store at ``path`` lacks (an older schema)."""
    con = connect(path)
    try:
        rows = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
    finally:
        con.close()
    have: dict[str, set[str]] = {}
    for table, column in rows:
        have.setdefault(table, set()).add(column)
    return {  # a table added since (salary_skills) lacks every column
        name: missing
        for name in TABLES
        if (missing := [c for c in columns(name) if c not in have.get(name, set())])
    }


def needs_upgrade(path: Path) -> bool:
    """True when the store at ``path`` was published by an older schema: it lacks a mart, a base
    table or a column, or says an older schema_version."""
    if missing_marts(path) or missing_columns(path):
        return True
    if set(TABLES) - _table_names(path):
        return True
    return read_meta(path).get("schema_version") != SCHEMA_VERSION


def _table_names(path: Path) -> set[str]:
    con = connect(path)
    try:
        return {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    finally:
        con.close()


def missing_marts(path: Path) -> list[str]:
    """The marts the store at ``path`` lacks (all of them for a store of an older schema)."""
    con = connect(path)
    try:
        present = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    finally:
        con.close()
    return [m for m in MARTS if m not in present]


def _publish(
    out: Path,
    load: Callable[[duckdb.DuckDBPyConnection, str], None],
    meta: Mapping[str, str] | None,
    kind: str,
    before: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> Path:
    """Create every table, fill it with ``load``, build the marts, export Parquet, swap atomically.

    The marts are not exported to Parquet: they are derived from the base tables' Parquet files
    and would only double the export's size and time.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_orphans(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    parquet_tmp = out.with_name(f".{out.name}.parquet.{os.getpid()}.tmp")
    shutil.rmtree(parquet_tmp, ignore_errors=True)
    parquet_tmp.mkdir()
    meta_rows = {
        "kind": kind,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **(meta or {}),
        "schema_version": SCHEMA_VERSION,
    }
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET enable_progress_bar = false")
            if before is not None:
                before(con)
            for name in TABLES:
                con.execute(_create_sql(name))
                if name == "meta":
                    frame = pd.DataFrame(
                        {"key": list(meta_rows), "value": list(meta_rows.values())}
                    )
                    con.register("incoming", frame)
                    con.execute(_insert_sql(name))
                    con.unregister("incoming")
                else:
                    load(con, name)
                target = sql_string(parquet_tmp / f"{name}.parquet")
                con.execute(f'COPY "{name}" TO {target} (FORMAT PARQUET)')
            if before is not None:
                con.execute("DETACH DATABASE IF EXISTS old")
            build_marts(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _fsync_path(tmp)
        if pause := os.environ.get("AIJOBS_TEST_PAUSE_BEFORE_SWAP"):
            time.sleep(float(pause))  # test hook: lets a test SIGKILL the process mid-publish
        os.replace(tmp, out)
        _fsync_path(out.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(parquet_tmp, ignore_errors=True)
        raise
    parquet_dir = out.parent / "parquet"
    old = out.with_name(f".{out.name}.parquet-old.{os.getpid()}.tmp")
    if parquet_dir.exists():
        parquet_dir.rename(old)
    parquet_tmp.rename(parquet_dir)
    shutil.rmtree(old, ignore_errors=True)
    return out


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published store (raises StoreError if there is none)."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"no store at {path}: build one with `python -m etl refresh`")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:  # corrupt or not a DuckDB file
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


def read_tables(path: Path, names: tuple[str, ...] = tuple(TABLES)) -> dict[str, pd.DataFrame]:
    """Every named table of the store at ``path`` as DataFrames ({} if there is no store)."""
    path = Path(path)
    if not path.exists():
        return {}
    con = connect(path)
    try:
        present = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        return {n: con.execute(f'SELECT * FROM "{n}"').df() for n in names if n in present}
    finally:
        con.close()


def read_meta(path: Path) -> dict[str, str]:
    """The store's ``meta`` table as a dict ({} if there is no store)."""
    tables = read_tables(path, ("meta",))
    meta = tables.get("meta")
    return {} if meta is None else dict(zip(meta["key"], meta["value"], strict=True))


def store_version(path: Path) -> str:
    """A cheap token that changes whenever a new store is published at ``path``.

    The inode changes with every atomic rename, mtime and size with any rewrite: caches keyed on it
    pick up a refresh without a restart.
    """
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return "missing"
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"


@contextlib.contextmanager
def refresh_lock(out: Path, timeout: float = 0.0) -> Iterator[RunLock]:
    """Hold the lock for refreshing the store at ``out`` (``<out>.lock``) for this process.

    The lock belongs to the process that took it (etl/lock.py), not to an open file that worker
    processes could inherit: when its owner is gone (even by SIGKILL) the next refresh clears it at
    once and says so in ``lock.cleared``. Waits up to ``timeout`` seconds for a live owner, then
    raises RefreshInProgress naming it.
    """
    out = Path(out)
    lock = RunLock(out.with_name(out.name + ".lock"))
    try:
        lock.acquire(timeout)
    except LockBusy as exc:
        raise RefreshInProgress(
            f"a refresh of {out} is already running ({exc}); try again when it has finished"
        ) from None
    try:
        yield lock
    finally:
        lock.release()
