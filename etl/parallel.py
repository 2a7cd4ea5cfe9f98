"""Transform a file source in row chunks on every core, with the single-frame result.

Why: the transform is CPU-bound Python (text fixing, regexes, skill extraction), so one process
uses one core. Chunks of ``CHUNK_ROWS`` rows go to a ``ProcessPoolExecutor`` (workers load the
taxonomies, gazetteer and exchange rates once, in their initializer) and the results are joined
in source order. What a chunk alone cannot know is settled in the parent, so the result equals
``transform_salaries`` / ``transform_postings`` on the whole frame:

- source rows are numbered across the whole source (chunk offsets);
- a posting repeated in a later chunk is rejected as a duplicate of the first row of the source;
- the facts of the whole source (every row has an id? which stated countries do the locations
  discredit?) come from a first, cheap pass over the location, country and id columns.

``AIJOBS_WORKERS`` overrides the number of processes (1 = in this process, as tests do).

A chunk is a DataFrame or a *lazy chunk*: any picklable object with ``__len__`` (its row count)
and ``load()`` (its rows as a DataFrame), read by the worker that transforms it. Then only the
small description crosses the process boundary instead of ~2 KB of text per posting, and the
reading runs on every core too (benchmarks/dataset.py streams its Parquet row groups this way).
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

import numpy as np
import pandas as pd

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

# Rows per task: small enough that one 100k-row batch keeps both cores busy, large enough that
# the per-distinct-value work (titles, locations) is shared by many rows.
CHUNK_ROWS = {"salaries": 50_000, "postings": 20_000}
FACT_COLUMNS = ("source_row", "source_id", "location", "country")
_HEX_KEY = re.compile(r"[0-9a-f]{16}")


def worker_count() -> int:
    """Processes to use: ``AIJOBS_WORKERS`` if set (>= 1), else min(2, cores)."""
    value = os.environ.get("AIJOBS_WORKERS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"AIJOBS_WORKERS must be a whole number, not {value!r}") from None
    return max(1, min(2, os.cpu_count() or 1))


def _init_worker() -> None:
    """Load the reviewed knowledge once per process, not once per chunk; die with the parent."""
    from etl.lifeline import exit_with_parent

    exit_with_parent()
    from etl.normalise import fields, location, pay, roles, seniority, skills

    location.country_code("US")
    location.resolve_location("Austin, TX")
    pay.to_usd(pd.Series([1.0]), pd.Series(["EUR"]), pd.Series([2024]))
    pay.load_pay_rules()
    fields.load_field_rules()
    roles.load_role_rules()
    seniority.load_seniority_levels()
    skills.load_taxonomy()


class _InProcess(Executor):
    """An executor that runs each call at once, in this process (workers = 1)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller by future.result()
            future.set_exception(exc)
        return future


@contextmanager
def _executor(workers: int) -> Iterator[Executor]:
    if workers <= 1:
        yield _InProcess()
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        yield pool


def _fact_source(source: dict) -> dict:
    """The source config reduced to the columns the facts pass needs."""
    wanted = set(FACT_COLUMNS)
    fact_columns: dict[str, list[str]] = {}
    for raw_column, target in column_pairs(source.get("columns")):
        if target in wanted:
            fact_columns.setdefault(raw_column, []).append(target)
    return {
        **source,
        "columns": fact_columns,
        "constants": {k: v for k, v in (source.get("constants") or {}).items() if k in wanted},
        "value_maps": {k: v for k, v in (source.get("value_maps") or {}).items() if k in wanted},
    }


def fact_columns(source: dict) -> list[str]:
    """The raw columns the facts pass reads (so a Parquet reader can skip the others)."""
    return list(_fact_source(source)["columns"])


def _rows(chunk: object) -> pd.DataFrame:
    """The rows of a chunk: itself, or what a lazy chunk loads (see the module docstring)."""
    load = getattr(chunk, "load", None)
    return load() if callable(load) else chunk  # type: ignore[return-value]


def _chunk_facts(raw: pd.DataFrame, offset: int, source: dict) -> tuple[bool, bool, pd.DataFrame]:
    return posting_facts(stage(_rows(raw), source, FACT_COLUMNS))


def _transform_chunk(
    raw: pd.DataFrame, offset: int, source: dict, facts: SourceFacts | None
) -> Transformed:
    raw = _rows(raw)
    staged = stage(raw, source, staged_columns(source["kind"]))
    staged["source_row"] = staged["source_row"] + offset
    if source["kind"] == "salaries":
        return transform_salaries(
            staged, raw, source["name"], pay_required=bool(source.get("pay_required", True))
        )
    return transform_postings(staged, raw, source["name"], facts=facts)


def _split(chunks: Iterable[pd.DataFrame], rows: int) -> Iterator[pd.DataFrame]:
    for chunk in chunks:
        if len(chunk) <= rows or callable(getattr(chunk, "load", None)):  # lazy: sized by maker
            yield chunk
            continue
        for start in range(0, len(chunk), rows):
            yield chunk.iloc[start : start + rows]


def _ordered(
    pool: Executor, chunks: Iterable[pd.DataFrame], call: Callable, in_flight: int
) -> Iterator[tuple[pd.DataFrame, int, object]]:
    """(raw chunk, row offset, ``call(raw, offset)``) in source order, at most ``in_flight``
    chunks submitted and not yet handed out (bounded memory)."""
    pending: deque = deque()
    offset = 0
    for raw in chunks:
        pending.append((raw, offset, pool.submit(call, raw, offset)))
        offset += len(raw)
        if len(pending) >= in_flight:
            raw_done, off, future = pending.popleft()
            yield raw_done, off, future.result()
    while pending:
        raw_done, off, future = pending.popleft()
        yield raw_done, off, future.result()


def _facts(
    pool: Executor, chunks: Iterable[pd.DataFrame], source: dict, in_flight: int
) -> SourceFacts:
    call = partial(_chunk_facts, source=_fact_source(source))
    all_ids, any_stated, parts = True, False, []
    pieces = _split(chunks, CHUNK_ROWS[source["kind"]])
    for _, _, (ids, stated, counts) in _ordered(pool, pieces, call, in_flight):
        all_ids, any_stated = all_ids and ids, any_stated or stated
        if len(counts):
            parts.append(counts)
    if not parts:
        return SourceFacts(all_ids, any_stated)
    agreement = pd.concat(parts).groupby(level=0).sum()
    return SourceFacts(all_ids, any_stated, location.discredited_countries(agreement))


def source_facts(
    chunks: Iterable[pd.DataFrame], source: dict, *, workers: int | None = None
) -> SourceFacts:
    """The SourceFacts of a posting source from its raw chunks (``fact_columns`` suffice)."""
    workers = workers or worker_count()
    with _executor(workers) as pool:
        return _facts(pool, chunks, source, workers + 1)


class _SeenKeys:
    """The first source row of every de-duplication key of the chunks already done.

    Content keys (16 hex digits) are kept as sorted uint64 arrays, 16 bytes a row, so 10M
    postings cost ~160 MB; other keys (source ids) in a dict.
    """

    def __init__(self) -> None:
        self.arrays: list[tuple[np.ndarray, np.ndarray]] = []
        self.text: dict[str, int] = {}

    @staticmethod
    def _split(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        is_hex = np.fromiter(
            (isinstance(k, str) and _HEX_KEY.fullmatch(k) is not None for k in keys),
            dtype=bool,
            count=len(keys),
        )
        numbers = np.frombuffer(bytes.fromhex("".join(keys[is_hex])), dtype=">u8")
        return is_hex, numbers.astype(np.uint64)

    def first_rows(self, keys: np.ndarray) -> np.ndarray:
        """The first row of each key seen before, -1 for new keys."""
        out = np.full(len(keys), -1, dtype="int64")
        is_hex, numbers = self._split(keys)
        found = np.full(len(numbers), -1, dtype="int64")
        for sorted_keys, rows in self.arrays:
            at = np.searchsorted(sorted_keys, numbers).clip(0, len(sorted_keys) - 1)
            hit = (found < 0) & (sorted_keys[at] == numbers)
            found[hit] = rows[at[hit]]
        out[is_hex] = found
        others = np.flatnonzero(~is_hex)
        out[others] = [self.text.get(k, -1) for k in keys[others]]
        return out

    def add(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """Remember new keys (each once, with its first row)."""
        is_hex, numbers = self._split(keys)
        if len(numbers):
            order = np.argsort(numbers, kind="stable")
            self.arrays.append((numbers[order], rows[is_hex][order]))
        for k, r in zip(keys[~is_hex], rows[~is_hex], strict=True):
            self.text.setdefault(k, int(r))


def _drop_duplicates(
    done: Transformed, raw: pd.DataFrame, offset: int, source: str, seen: _SeenKeys
) -> Transformed:
    """Reject this chunk's postings whose key an earlier chunk had (see module docstring)."""
    cand = done.dedupe
    if cand is None or cand.empty:
        return done
    keys = cand["key"].to_numpy(dtype=object)
    rows = cand["source_row"].to_numpy(dtype="int64")
    prior = seen.first_rows(keys)
    hit = prior >= 0
    fresh = ~hit & ~pd.Series(keys).duplicated().to_numpy()
    seen.add(keys[fresh], rows[fresh])
    if not hit.any():
        return done
    first_of = dict(zip(rows[hit].tolist(), prior[hit].tolist(), strict=True))
    rejects = done.rejects.copy()
    already = rejects["source_row"].isin(list(first_of)) if len(rejects) else None
    if already is not None and already.any():
        rejects.loc[already, "reason"] = [
            duplicate_reason(first_of[int(r)]) for r in rejects.loc[already, "source_row"]
        ]
    kept_rows = cand["kept_at"].to_numpy(dtype="int64")
    newly = hit & (kept_rows >= 0)
    new_rejects = _rejects(
        source,
        _rows(raw),
        rows[newly] - offset - 1,
        pd.Series(rows[newly]),
        pd.Series([duplicate_reason(p) for p in prior[newly]], dtype="object"),
    )
    drop = np.zeros(len(done.table), dtype=bool)
    drop[kept_rows[newly]] = True
    table = done.table.loc[~drop].reset_index(drop=True)
    skills = done.posting_skills
    if skills is not None:
        gone = set(done.table.loc[drop, "posting_id"]) - set(table["posting_id"])
        skills = skills.loc[~skills["posting_id"].isin(gone)].reset_index(drop=True)
    parts = [f for f in (rejects, new_rejects) if len(f)]
    rejects = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    rejects = rejects.sort_values("source_row", kind="stable").reset_index(drop=True)
    counts = dict(done.counts)
    counts[NOTE_DUPLICATES] = counts.get(NOTE_DUPLICATES, 0) + int(newly.sum())
    return Transformed(
        table, rejects, skills, notes_of(counts), counts, None, salary_skills=done.salary_skills
    )


def transform_chunks(
    chunks: Iterable[pd.DataFrame],
    source: dict,
    *,
    facts: SourceFacts | None = None,
    workers: int | None = None,
    chunk_rows: int | None = None,
) -> Iterator[Transformed]:
    """The Transformed of each piece (``chunk_rows`` rows at most) of the raw chunks of a file
    source, in order, with whole-source row numbers and duplicates. For postings pass the
    ``facts`` of the whole source (source_facts); without them each piece's own facts are used.
    At most 2 x workers pieces are in flight (bounded memory)."""
    workers = workers or worker_count()
    rows = chunk_rows or CHUNK_ROWS[source["kind"]]
    with _executor(workers) as pool:
        yield from _chunks(pool, _split(chunks, rows), source, facts, 2 * workers)


def _chunks(pool, chunks, source, facts, in_flight) -> Iterator[Transformed]:
    call = partial(_transform_chunk, source=source, facts=facts)
    seen = _SeenKeys()
    for raw, offset, done in _ordered(pool, chunks, call, in_flight):
        if source["kind"] != "salaries":
            done = _drop_duplicates(done, raw, offset, source["name"], seen)
        done.dedupe = None
        yield done


def concat_transformed(parts: list[Transformed]) -> Transformed:
    """One Transformed of a source's chunks: tables joined, note counts summed."""
    if len(parts) == 1:
        return parts[0]
    counts: dict[str, int] = {}
    for part in parts:
        for template, n in part.counts.items():
            counts[template] = counts.get(template, 0) + n
    skills = [p.posting_skills for p in parts if p.posting_skills is not None]
    salary_skills = [p.salary_skills for p in parts if p.salary_skills is not None]
    return Transformed(
        _concat([p.table for p in parts]),
        _concat([p.rejects for p in parts]),
        _concat(skills) if skills else None,
        notes_of(counts),
        counts,
        salary_skills=_concat(salary_skills) if salary_skills else None,
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames joined; empty ones skipped (their object columns would widen the dtypes), and a
    column whose dtype differs between chunks re-inferred as the whole frame's would be."""
    full = [f for f in frames if len(f)] or frames[:1]
    out = pd.concat(full, ignore_index=True) if len(full) > 1 else full[0]
    for column in out.columns:
        if len({str(f[column].dtype) for f in full}) > 1:
            out[column] = out[column].infer_objects()
    return out


def transform_source(
    chunks_of: Callable[[list[str] | None], Iterable[pd.DataFrame]],
    source: dict,
    *,
    workers: int | None = None,
    chunk_rows: int | None = None,
) -> Iterator[Transformed]:
    """A whole file source, chunk by chunk, on one pool: the facts pass, then the transform.

    ``chunks_of(columns)`` returns the source's chunks again each time it is called, with only
    ``columns`` (None = all); the facts pass asks for ``fact_columns``. One pool serves both
    passes, so workers start (and warm their caches) once.
    """
    rows = chunk_rows or CHUNK_ROWS[source["kind"]]
    workers = workers or worker_count()
    with _executor(workers) as pool:
        facts = None
        if source["kind"] != "salaries":
            facts = _facts(pool, chunks_of(fact_columns(source)), source, 2 * workers)
        yield from _chunks(pool, _split(chunks_of(None), rows), source, facts, 2 * workers)


def transform_frame(
    raw: pd.DataFrame,
    source: dict,
    *,
    workers: int | None = None,
    chunk_rows: int | None = None,
) -> Transformed:
    """A whole raw table of a file source transformed in chunks: the same result as staging
    it and calling transform_salaries / transform_postings on the whole frame."""
    rows = chunk_rows or CHUNK_ROWS[source["kind"]]
    # one chunk gains nothing from a pool, which costs seconds to start
    workers = 1 if len(raw) <= rows else (workers or worker_count())

    def chunks_of(columns: list[str] | None) -> Iterator[pd.DataFrame]:
        for start in range(0, max(len(raw), 1), rows):
            yield raw.iloc[start : start + rows]

    parts = transform_source(chunks_of, source, workers=workers, chunk_rows=rows)
    return concat_transformed(list(parts))
