"""Where a file source is transformed: in this process, or on Dask (``dask.distributed``).

Why Dask: the transform is CPU-bound Python (text fixing, regexes, skill extraction), so one
process uses one core; Dask runs the same chunk tasks on a ``LocalCluster`` of worker processes
or on an existing cluster of many machines, with the scheduling, retries after a lost worker
and worker set-up it already knows how to do. Which one (``Engine``):

- a small source (one chunk, or fewer rows than ``cluster_min_rows``: starting worker processes
  that import pandas and load the knowledge, then closing them, costs ~3–4 s on 2 cores, more
  than it saves), or
  ``AIJOBS_WORKERS=1``: in this process, no Dask at all;
- ``AIJOBS_DASK_SCHEDULER=tcp://host:port``: that cluster (workers need only this package
  installed, and the mirror and the store's folder at the same paths, e.g. a shared disk);
- otherwise a ``LocalCluster`` of ``AIJOBS_WORKERS`` processes (default min(2, cores)),
  started on the first source that needs it and shared by the others.

Workers load the taxonomies, gazetteer and exchange rates once (``KnowledgePlugin``), read
their own chunk (``Chunk``: a Parquet row group, never pickled text) and write its contract
tables as Parquet parts beside the store; only counts come back. What a chunk alone cannot know
is settled afterwards, so the parts hold exactly what ``transform_salaries`` /
``transform_postings`` give on the whole source:

- source rows are numbered across the whole source (chunk offsets);
- the facts of the whole source (every row has an id? which stated countries do the locations
  discredit?) come from a first, cheap pass over the location, country and id columns;
- a posting repeated in a later chunk is found in DuckDB over the chunks' key parts and moved
  to the rejects as a duplicate of the first row of the source (only those chunks' parts are
  rewritten).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.contract import columns
from etl.errors import ConfigError
from etl.normalise import location
from etl.sources import staged_columns
from etl.staging import column_pairs, stage
from etl.transform import (
    NOTE_DUPLICATES,
    SourceFacts,
    Transformed,
    _rejects,
    duplicate_reason,
    notes_of,
    posting_facts,
    transform_postings,
    transform_salaries,
)

# Rows per task: small enough that a source the LocalCluster takes keeps both cores busy, large
# enough that the per-distinct-value work (titles, locations) and the fixed cost of a chunk's
# few hundred frame operations are shared by many rows (salaries: 100k-row chunks gave 115-124k
# rows/s at 1M and 112-118k in-process at 100k, against 104-109k and ~98k at 50k, for ~30 MB
# more per worker).
CHUNK_ROWS = {"salaries": 100_000, "postings": 20_000}
# Below these rows a source runs in this process even when a LocalCluster could take it: at
# ~100k salary rows/s and ~10k postings/s (with text extraction) per core, two workers only win
# back their start-up and close (~3–4 s) past roughly these sizes. An explicit scheduler is
# always used.
CLUSTER_MIN_ROWS = {"salaries": 1_000_000, "postings": 150_000}
LOCAL_WORKER_CONFIG = {
    # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which also turns off glibc's
    # adaptive mmap threshold: every array of a chunk is then mmapped and unmapped afresh, and a
    # 50k-row salary chunk took ~20 % longer (measured in a plain process with the variable set)
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1,
    },
    # the sampling profiler walks the task thread's stack every 10 ms for a dashboard that a
    # LocalCluster of the ETL never serves
    "distributed.worker.profile.enabled": False,
}  # fmt: skip
FACT_COLUMNS = ("source_row", "source_id", "location", "country")
SCHEDULER_ENV = "AIJOBS_DASK_SCHEDULER"
PART = "part-{:06d}.parquet"
ROW, KEYS = "_row", "_keys"  # the source row of a kept posting; the de-duplication keys part
SPILL = "_spill"  # DuckDB's temporary files while the duplicates are settled
SETTLE_MEMORY = "512MB"
"""DuckDB's memory cap while the duplicates across chunks are settled (a GROUP BY over every
posting's key, in the refresh's parent process); past it DuckDB spills to the source's work
folder. Uncapped, its hash table grew with the source and set the refresh's peak RSS (measured on
10M synthetic keys: 466 MB at 1M keys, 2,933 MB at 10M; capped at 512MB, 668 MB at 10M in the same
time, 8.5 vs 9.4 s)."""


def worker_count() -> int:
    """Processes to use: ``AIJOBS_WORKERS`` if set (>= 1), else min(2, cores)."""
    value = os.environ.get("AIJOBS_WORKERS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"AIJOBS_WORKERS must be a whole number, not {value!r}") from None
    return max(1, min(2, os.cpu_count() or 1))


def chunk_rows(kind: str) -> int:
    """Rows per chunk of a source kind; ``AIJOBS_CHUNK_ROWS`` overrides (tests use it to make
    a small source span many chunks)."""
    value = os.environ.get("AIJOBS_CHUNK_ROWS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"AIJOBS_CHUNK_ROWS must be a whole number, not {value!r}") from None
    return CHUNK_ROWS.get(kind, CHUNK_ROWS["postings"])


def cluster_min_rows(kind: str) -> int:
    """Rows from which a source of ``kind`` goes to a LocalCluster; ``AIJOBS_CLUSTER_MIN_ROWS``
    overrides (0: always, as tests of the cluster path set it)."""
    value = os.environ.get("AIJOBS_CLUSTER_MIN_ROWS", "").strip()
    if value:
        try:
            return max(0, int(value))
        except ValueError:
            raise ValueError(
                f"AIJOBS_CLUSTER_MIN_ROWS must be a whole number, not {value!r}"
            ) from None
    return CLUSTER_MIN_ROWS.get(kind, CLUSTER_MIN_ROWS["postings"])


def load_knowledge() -> None:
    """Load the reviewed knowledge once per process, not once per chunk."""
    from etl.normalise import fields, pay, roles, seniority, skills

    location.country_code("US")
    location.resolve_location("Austin, TX")
    pay.to_usd(pd.Series([1.0]), pd.Series(["EUR"]), pd.Series([2024]))
    pay.load_pay_rules()
    fields.load_field_rules()
    roles.load_role_rules()
    seniority.load_seniority_levels()
    skills.load_taxonomy()


@dataclass(frozen=True)
class Chunk:
    """Rows [start, stop) of one row group of a Parquet file of a source's raw text: what a
    worker reads itself. ``offset`` is the number of source rows before the chunk."""

    path: str
    row_group: int
    start: int
    stop: int
    offset: int
    columns: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return self.stop - self.start

    def load(self) -> pd.DataFrame:
        table = _row_group(self.path, self.row_group, self.columns)
        frame = table.slice(self.start, self.stop - self.start).to_pandas()
        frame.index = pd.RangeIndex(len(frame))
        return frame

    def rows(self, positions: np.ndarray) -> pd.DataFrame:
        """``load().iloc[positions]`` (ascending positions), read alone: a duplicate found once
        every chunk is done needs a row or two of a row group that may hold ~200 MB of text,
        and DuckDB decodes only the vectors that hold them (~0.05 s against ~1 s for the row
        group)."""
        meta = pq.ParquetFile(self.path).metadata
        before = sum(meta.row_group(g).num_rows for g in range(self.row_group))
        wanted = (before + self.start + np.asarray(positions, dtype="int64")).tolist()
        schema = meta.schema.to_arrow_schema()
        names = list(self.columns) if self.columns is not None else schema.names
        picked = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
        con = duckdb.connect()
        try:
            table = con.sql(
                f"SELECT {picked} FROM read_parquet(?, file_row_number = true) "
                "WHERE file_row_number IN (SELECT unnest(?::BIGINT[])) ORDER BY file_row_number",
                params=[self.path, wanted],
            ).to_arrow_table()
            target = pa.schema([schema.field(n) for n in names], metadata=schema.metadata)
            frame = table.cast(target).to_pandas()
        except (duckdb.Error, pa.ArrowException):  # a type DuckDB reads differently
            frame = None
        finally:
            con.close()
        if frame is None or len(frame) != len(wanted):
            return self.load().iloc[positions].reset_index(drop=True)
        return frame


_LAST: dict[tuple, pa.Table] = {}


def _row_group(path: str, row_group: int, columns: tuple[str, ...] | None) -> pa.Table:
    """The decoded row group, kept while the slices of it are read (one at a time per process)."""
    key = (path, row_group, columns)
    if key not in _LAST:
        _LAST.clear()
        cols = list(columns) if columns is not None else None
        _LAST[key] = pq.ParquetFile(path).read_row_group(row_group, columns=cols)
    return _LAST[key]


def parquet_chunks(path: Path, rows: int, columns: list[str] | None = None) -> list[Chunk]:
    """A Parquet file as chunks: its row groups, cut to ``rows`` rows at most."""
    meta = pq.ParquetFile(path).metadata
    groups = meta.num_row_groups
    cols = tuple(columns) if columns is not None else None
    out, offset, step = [], 0, max(1, rows)
    for g in range(groups):
        n = meta.row_group(g).num_rows
        for start in range(0, n, step):
            stop = min(n, start + step)
            out.append(Chunk(str(path), g, start, stop, offset, cols))
            offset += stop - start
    return out


@dataclass(frozen=True)
class _Slice:
    """A chunk of a frame held by this process (the in-process engine only)."""

    frame: pd.DataFrame
    offset: int

    def __len__(self) -> int:
        return len(self.frame)

    def load(self) -> pd.DataFrame:
        return self.frame

    def rows(self, positions: np.ndarray) -> pd.DataFrame:
        return self.frame.iloc[positions].reset_index(drop=True)


def _with_columns(chunk, columns: list[str]):
    if isinstance(chunk, Chunk):
        return Chunk(chunk.path, chunk.row_group, chunk.start, chunk.stop, chunk.offset,
                     tuple(columns))  # fmt: skip
    return _Slice(chunk.frame[[c for c in chunk.frame.columns if c in columns]], chunk.offset)


class Engine:
    """Runs chunk tasks in this process, on a LocalCluster, or on an existing Dask cluster.

    A context manager: the LocalCluster (or the connection to a cluster) is opened on the first
    ``map`` that needs it and closed on exit. ``name`` says which engine ran (for reports).
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        self.workers = workers or worker_count()
        self.scheduler = scheduler or os.environ.get(SCHEDULER_ENV, "").strip() or None
        self._client = None
        self._cluster = None
        self.used: set[str] = set()

    @property
    def distributed(self) -> bool:
        """Whether multi-chunk work goes to Dask (a cluster, or more than one local worker)."""
        return self.scheduler is not None or self.workers > 1

    def takes(self, kind: str, rows: int) -> bool:
        """Whether a source of ``kind`` with ``rows`` rows goes to Dask: always with a
        scheduler, with a LocalCluster only from ``cluster_min_rows(kind)`` rows."""
        if self.scheduler is not None:
            return True
        return self.workers > 1 and rows >= cluster_min_rows(kind)

    @property
    def name(self) -> str:
        """The engines that ran so far ("in-process", "LocalCluster(2)", "Dask tcp://…")."""
        return ", ".join(sorted(self.used)) or "in-process"

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def client(self):
        """The Dask client, connected (or its LocalCluster started) on first use."""
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                wait = float(os.environ.get("AIJOBS_DASK_TIMEOUT", "30"))
                self._client = Client(self.scheduler, timeout=wait)
            except (OSError, TimeoutError) as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {self.scheduler} "
                    f"({SCHEDULER_ENV}): {' '.join(str(exc).split())}"
                ) from exc
            label = f"Dask {self.scheduler}"
        else:
            import dask

            with dask.config.set(LOCAL_WORKER_CONFIG):
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster)
            label = f"LocalCluster({self.workers})"
        from etl.worker_setup import KnowledgePlugin

        self._client.register_plugin(KnowledgePlugin())
        self.used.add(label)
        return self._client

    def map(self, func: Callable, items: Iterable, *args: object, local: bool = False) -> Iterator:
        """``func(item, *args)`` of each item, in order; at most 2 x workers in flight.

        ``local`` (or a one-worker engine without a scheduler) runs in this process.
        """
        if local or not self.distributed:
            self.used.add("in-process")
            for item in items:
                yield func(item, *args)
            return
        client = self.client()
        in_flight = 2 * max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        try:
            for item in items:
                pending.append(client.submit(func, item, *args, pure=False))
                if len(pending) >= in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            if pending:
                client.cancel(list(pending))


# --- tasks (run on the workers) ---------------------------------------------------------------


def _fact_source(source: dict) -> dict:
    """The source config reduced to the columns the facts pass needs."""
    wanted = set(FACT_COLUMNS)
    picked: dict[str, list[str]] = {}
    for raw_column, target in column_pairs(source.get("columns")):
        if target in wanted:
            picked.setdefault(raw_column, []).append(target)
    return {
        **source,
        "columns": picked,
        "constants": {k: v for k, v in (source.get("constants") or {}).items() if k in wanted},
        "value_maps": {k: v for k, v in (source.get("value_maps") or {}).items() if k in wanted},
    }


def fact_columns(source: dict) -> list[str]:
    """The raw columns the facts pass reads (so a Parquet reader can skip the others)."""
    return list(_fact_source(source)["columns"])


def chunk_facts(chunk, source: dict) -> tuple[bool, bool, pd.DataFrame]:
    """A task: what one chunk contributes to its source's SourceFacts (see posting_facts)."""
    return posting_facts(stage(chunk.load(), source, FACT_COLUMNS))


@dataclass
class ChunkDone:
    """What a chunk task sends back: counts only (its rows are in its Parquet parts)."""

    number: int
    rows: int
    loaded: int
    rejected: int
    counts: dict[str, int]


def _write(folder: Path, number: int, frame: pd.DataFrame | None) -> None:
    if frame is None or frame.empty:
        return
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{PART.format(number)}.{os.getpid()}.tmp"
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, folder / PART.format(number))  # a retried task never leaves half a part


def transform_chunk(chunk, number: int, source: dict, facts: SourceFacts | None, out: str):
    """A task: stage and transform one chunk, write its tables as parts under ``out``."""
    raw = chunk.load()
    staged = stage(raw, source, staged_columns(source["kind"]))
    staged["source_row"] = staged["source_row"] + chunk.offset
    if source["kind"] == "salaries":
        pay_required = bool(source.get("pay_required", True))
        done = transform_salaries(staged, raw, source["name"], pay_required=pay_required)
        tables = {"salaries": done.table, "salary_skills": done.salary_skills}
    else:
        done = transform_postings(staged, raw, source["name"], facts=facts)
        dedupe = done.dedupe
        kept = dedupe.loc[dedupe["kept_at"] >= 0].sort_values("kept_at")
        table = done.table.assign(**{ROW: kept["source_row"].to_numpy(dtype="int64")})
        keys = pd.DataFrame(
            {
                "source_row": dedupe["source_row"].to_numpy(dtype="int64"),
                "key": dedupe["key"].astype("object").to_numpy(),
                "kept": (dedupe["kept_at"] >= 0).to_numpy(),
                "chunk": number,
            }
        )
        tables = {"postings": table, "posting_skills": done.posting_skills, KEYS: keys}
    tables["rejects"] = done.rejects
    for name, frame in tables.items():
        _write(Path(out) / name, number, frame)
    return ChunkDone(number, len(raw), len(done.table), len(done.rejects), dict(done.counts))


# --- the parent: a whole source --------------------------------------------------------------


@dataclass
class SourceParts:
    """A transformed source: its parts per table, and the figures of its run message."""

    folder: Path
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    extra_notes: list[str] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return self.extra_notes + notes_of(self.counts)

    def files(self, table: str) -> list[Path]:
        """The parts of ``table`` in source order."""
        return sorted((self.folder / table).glob("part-*.parquet"))

    def tables(self) -> list[str]:
        return sorted(
            p.name for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith("_")
        ) if self.folder.exists() else []  # fmt: skip


def source_facts(engine: Engine, chunks: list, source: dict) -> SourceFacts:
    """The SourceFacts of a posting source from its chunks (``fact_columns`` suffice)."""
    fact_source = _fact_source(source)
    cols = fact_columns(source)
    pieces = [_with_columns(c, cols) for c in chunks]
    all_ids, any_stated, parts = True, False, []
    local = _local(engine, chunks, source["kind"])
    for ids, stated, counts in engine.map(chunk_facts, pieces, fact_source, local=local):
        all_ids, any_stated = all_ids and ids, any_stated or stated
        if len(counts):
            parts.append(counts)
    if not parts:
        return SourceFacts(all_ids, any_stated)
    agreement = pd.concat(parts).groupby(level=0).sum()
    return SourceFacts(all_ids, any_stated, location.discredited_countries(agreement))


def _local(engine: Engine, chunks: list, kind: str) -> bool:
    """Whether a source's chunks run in this process (one chunk, slices of a frame held here,
    or a source too small for the LocalCluster to pay off)."""
    if len(chunks) <= 1 or any(isinstance(c, _Slice) for c in chunks):
        return True
    return not engine.takes(kind, sum(len(c) for c in chunks))


def transform_chunks(engine: Engine, chunks: list, source: dict, out: Path) -> SourceParts:
    """Every chunk of a source transformed into parts under ``out`` (emptied first), then the
    duplicates across chunks settled: the parts equal the single-frame transform's tables."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    local = _local(engine, chunks, source["kind"])
    facts = None
    if source["kind"] != "salaries":
        facts = source_facts(engine, chunks, source)
    result = SourceParts(out)
    numbered = list(enumerate(chunks))
    for done in engine.map(_numbered_task, numbered, source, facts, str(out), local=local):
        result.rows += done.rows
        result.loaded += done.loaded
        result.rejected += done.rejected
        for template, n in done.counts.items():
            result.counts[template] = result.counts.get(template, 0) + n
    if source["kind"] != "salaries":
        _settle_duplicates(engine, result, dict(numbered), source["name"], local)
    return result


def _numbered_task(item: tuple[int, object], source, facts, out) -> ChunkDone:
    number, chunk = item
    return transform_chunk(chunk, number, source, facts, out)


def _settle_duplicates(
    engine: Engine, result: SourceParts, chunks: dict[int, object], source: str, local: bool
) -> None:
    """Reject postings whose key an earlier chunk had, as the whole-frame transform does. The
    chunks holding such repeats are rewritten on the engine (at 10M postings most chunks hold
    one)."""
    files = result.files(KEYS)
    if len(files) > 1:
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = '{SETTLE_MEMORY}'")
            con.execute("SET temp_directory = ?", [str(result.folder / SPILL)])
            found = con.execute(
                """
                WITH k AS (SELECT * FROM read_parquet(?)),
                f AS (SELECT key, min(source_row) AS first_row, arg_min(chunk, source_row) AS c0
                      FROM k GROUP BY key HAVING min(chunk) <> max(chunk))
                SELECT k.chunk, k.source_row, k.kept, f.first_row
                FROM k JOIN f USING (key) WHERE k.chunk <> f.c0 ORDER BY k.source_row
                """,
                [[str(f) for f in files]],
            ).df()
        finally:
            con.close()
        fixes = [(int(n), chunks[int(n)], rows) for n, rows in found.groupby("chunk", sort=True)]
        folder = str(result.folder)
        for newly in engine.map(_fix_task, fixes, folder, source, local=local):
            result.loaded -= newly
            result.rejected += newly
            if newly:
                result.counts[NOTE_DUPLICATES] = result.counts.get(NOTE_DUPLICATES, 0) + newly
    shutil.rmtree(result.folder / KEYS, ignore_errors=True)
    shutil.rmtree(result.folder / SPILL, ignore_errors=True)


def _read_part(folder: Path, table: str, number: int) -> pd.DataFrame | None:
    path = folder / table / PART.format(number)
    return pd.read_parquet(path) if path.exists() else None


def _fix_task(item: tuple[int, object, pd.DataFrame], folder: str, source: str) -> int:
    """A task: ``_fix_chunk`` of one chunk; returns the postings it newly rejected."""
    number, chunk, rows = item
    return _fix_chunk(Path(folder), number, chunk, rows, source)


def _fix_chunk(folder: Path, number: int, chunk, rows: pd.DataFrame, source: str) -> int:
    """One chunk's parts rewritten: its repeats of earlier chunks' postings rejected. Returns
    how many of its loaded postings that moved to the rejects."""
    first_of = dict(zip(rows["source_row"].tolist(), rows["first_row"].tolist(), strict=True))
    newly = rows.loc[rows["kept"].astype(bool), "source_row"].to_numpy(dtype="int64")
    rejects = _read_part(folder, "rejects", number)
    if rejects is not None and len(newly):  # a retried task finds its own rejects: not twice
        rejects = rejects.loc[~rejects["source_row"].isin(newly)].reset_index(drop=True)
    if rejects is not None and len(rejects):
        again = rejects["source_row"].isin(list(first_of))
        if again.any():
            rejects.loc[again, "reason"] = [
                duplicate_reason(first_of[int(r)]) for r in rejects.loc[again, "source_row"]
            ]
    if len(newly):
        raw = chunk.rows(newly - chunk.offset - 1)
        new_rejects = _rejects(
            source,
            raw,
            np.arange(len(newly)),
            pd.Series(newly),
            pd.Series([duplicate_reason(first_of[int(r)]) for r in newly], dtype="object"),
        )
        parts = [f for f in (rejects, new_rejects) if f is not None and len(f)]
        rejects = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        rejects = rejects.sort_values("source_row", kind="stable").reset_index(drop=True)
        postings = _read_part(folder, "postings", number)
        drop = postings[ROW].isin(newly)
        gone = set(postings.loc[drop, "posting_id"]) - set(postings.loc[~drop, "posting_id"])
        _rewrite(folder, "postings", number, postings.loc[~drop].reset_index(drop=True))
        skills = _read_part(folder, "posting_skills", number)
        if skills is not None:
            keep = ~skills["posting_id"].isin(gone)
            _rewrite(folder, "posting_skills", number, skills.loc[keep].reset_index(drop=True))
    _rewrite(folder, "rejects", number, rejects)
    return len(newly)


def _rewrite(folder: Path, table: str, number: int, frame: pd.DataFrame | None) -> None:
    path = folder / table / PART.format(number)
    path.unlink(missing_ok=True)
    _write(folder / table, number, frame)


def raw_chunks(raw: pd.DataFrame, source: dict, folder: Path, engine: Engine) -> list:
    """A raw table as chunks: slices of it in this process, or, when the chunks go to Dask, a
    Parquet file of it (one row group per chunk) under ``folder`` that each worker reads."""
    rows = chunk_rows(source["kind"])
    if len(raw) <= rows or not engine.takes(source["kind"], len(raw)):
        return [_Slice(raw.iloc[s : s + rows], s) for s in range(0, max(len(raw), 1), rows)]
    try:
        table = pa.Table.from_pandas(raw, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # values Parquet cannot hold in one column type (a JSON file's mixed values): in-process
        return [_Slice(raw.iloc[s : s + rows], s) for s in range(0, len(raw), rows)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "raw.parquet"
    pq.write_table(table, path, row_group_size=rows, compression="zstd")
    del table
    return parquet_chunks(path, rows)


def spool_blocks(blocks: Iterable[pd.DataFrame], folder: Path, rows: int) -> list[Chunk]:
    """Blocks of a raw table of text (a streamed CSV) written one at a time as the row groups of
    ``folder / "raw.parquet"``; its chunks. Only one block is ever held here."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "raw.parquet"
    writer, schema = None, None
    try:
        for block in blocks:
            table = pa.Table.from_pandas(block, preserve_index=False)
            if writer is None:  # every column is text (the reader's dtype=str)
                schema = pa.schema([(name, pa.string()) for name in table.column_names])
                writer = pq.ParquetWriter(path, schema, compression="zstd")
            writer.write_table(table.cast(schema), row_group_size=max(1, len(table)))
    finally:
        if writer is not None:
            writer.close()
    return parquet_chunks(path, rows) if writer is not None else []


def transform_blocks(
    blocks: Iterable[pd.DataFrame], source: dict, folder: Path, engine: Engine
) -> SourceParts:
    """A streamed file source (``etl.extract.read_source_blocks``) transformed into parts under
    ``folder / "tables"``: the blocks are spooled to Parquet, then chunked as ``transform_file``
    chunks a whole frame, with the same result."""
    chunks = spool_blocks(blocks, folder / "_raw", chunk_rows(source["kind"]))
    return transform_chunks(engine, chunks, source, folder / "tables")


def transform_file(raw: pd.DataFrame, source: dict, folder: Path, engine: Engine) -> SourceParts:
    """A file source's raw table transformed into parts under ``folder / "tables"``."""
    chunks = raw_chunks(raw, source, folder / "_raw", engine)
    return transform_chunks(engine, chunks, source, folder / "tables")


def write_frames(folder: Path, frames: dict[str, pd.DataFrame | None]) -> SourceParts:
    """Tables transformed in this process (an API source's) written as parts under
    ``folder / "tables"``, like a file source's."""
    out = folder / "tables"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name, frame in frames.items():
        _write(out / name, 0, frame)
    return SourceParts(out)


def read_parts(parts: SourceParts) -> Transformed:
    """The parts of a source as one Transformed, in source order (tests and small sources)."""

    def frame(table: str) -> pd.DataFrame:
        files = parts.files(table)
        if not files:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns(table)})
        out = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
        return out.drop(columns=[ROW], errors="ignore")

    main = "salaries" if "salaries" in parts.tables() else "postings"
    skills = frame("posting_skills") if main == "postings" else None
    salary_skills = frame("salary_skills") if main == "salaries" else None
    return Transformed(
        frame(main),
        frame("rejects"),
        skills,
        parts.notes,
        dict(parts.counts),
        salary_skills=salary_skills,
    )
