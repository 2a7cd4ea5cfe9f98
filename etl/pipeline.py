"""The refresh: each source -> extract -> stage -> transform -> merge; validate; publish.

One broken source never costs the others, nor the previous store: its rows from the previous
store are kept (status ``kept_previous``) and the run says why. Nothing is published unless every
table passes validation, and the publish itself is atomic (etl/store.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import config
from etl.build import BuildPlan, build_store, count_rows, previous_rows
from etl.contract import TABLES
from etl.engine import (
    Engine,
    SourceParts,
    chunk_rows,
    transform_blocks,
    transform_file,
    write_frames,
)
from etl.errors import SourceError, ValidationError
from etl.extract import locate, read_source_blocks, read_source_file, streams
from etl.http import source_budget
from etl.merge import accumulate
from etl.series import FILE_COLUMN, file_entries, labels_table, transform_series
from etl.sources import load_sources, select, sources_table
from etl.staging import STAGED_POSTING_COLUMNS
from etl.store import StoreError, read_meta, read_tables, refresh_lock
from etl.transform import transform_postings
from etl.validate import validate_tables

ROW_TABLES = {"salaries": "salaries", "postings": "postings", "series": "series"}
"""The table each source kind loads its rows into."""
STEPS = ("read", "stage", "normalise", "merge")
REASON_NUMBERS = re.compile(r"'[^']*'|\d[\d,.]*")  # what reason_pattern generalises


@dataclass
class SourceResult:
    """What happened to one source in one run (one row of ``runs``)."""

    name: str
    kind: str
    status: str = "pending"
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_rejected: int | None = None
    message: str = ""
    seconds: float = 0.0
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    role_coverage: float | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None


@dataclass
class RefreshReport:
    """The outcome of a refresh; ``exit_code`` is the CLI's (0 ok, 1 a source failed, 2 none)."""

    run_id: str
    out: Path
    started_at: datetime
    results: list[SourceResult] = field(default_factory=list)
    published: bool = False
    message: str = ""
    lock_cleared: str | None = None
    engine: str = "in-process"

    @property
    def loaded_any(self) -> bool:
        """Some source loaded (a run where none did still records itself in ``runs``)."""
        return any(r.status == "ok" for r in self.results)

    @property
    def exit_code(self) -> int:
        if not self.published or not self.loaded_any:
            return 2
        return 0 if all(r.status in ("ok", "skipped") for r in self.results) else 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def reason_pattern(reason: str) -> str:
    """A reject reason with its numbers and quoted values generalised, for the summary."""
    return REASON_NUMBERS.sub("…", reason)


def _top_reasons(files: list[Path], n: int = 3) -> list[tuple[str, int]]:
    """The ``n`` commonest reject reasons (generalised by reason_pattern) in rejects parts."""
    if not files:
        return []
    pattern = REASON_NUMBERS.pattern.replace("'", "''")
    rows = duckdb.execute(
        f"SELECT regexp_replace(reason, '{pattern}', '…', 'g') AS r, count(*) AS n "
        f"FROM read_parquet({_paths(files)}) GROUP BY r ORDER BY n DESC, r LIMIT {int(n)}"
    ).fetchall()
    return [(str(k), int(v)) for k, v in rows]


class ProgressFile:
    """The JSON progress file the dashboard's refresh button polls, replaced atomically."""

    def __init__(self, path: Path | None, report: RefreshReport, names: list[str]) -> None:
        self.path = Path(path) if path else None
        self.report = report
        self.sources = {
            n: {"status": "pending", "rows_read": None, "rows_loaded": None,
                "rows_rejected": None, "message": ""}
            for n in names
        }  # fmt: skip
        self.state, self.message = "running", ""

    def update(self, name: str | None = None, **values: object) -> None:
        if name is not None:
            self.sources[name].update(values)
        self.write()

    def write(self) -> None:
        if self.path is None:
            return
        doc = {
            "run_id": self.report.run_id,
            "started_at": self.report.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "state": self.state,
            "message": self.message,
            "finished": self.state != "running",
            "sources": self.sources,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
        os.replace(tmp, self.path)


def _read_file_source(
    source: dict, mirror: Path | None, folder: Path, engine: Engine, advance
) -> SourceParts:
    path = locate(source, mirror, config.data_dir() / "raw")
    if streams(source, path):  # a large CSV: read in blocks, never whole in this process
        blocks = read_source_blocks(source, path, chunk_rows(source["kind"]))
        advance()
        advance()
        return transform_blocks(blocks, source, folder, engine)
    raw = read_source_file(source, path)
    advance()
    advance()
    # staged and transformed in row chunks, on Dask when it is large (etl/engine.py): the parts
    # hold the single-frame result
    return transform_file(raw, source, folder, engine)


def _read_api_source(source: dict, mirror: Path | None, today: date, advance):
    from etl.adapters import stage as stage_api  # the refresh helper's adapters

    staged, read = stage_api(source, mirror)
    warnings = list(staged.attrs.get("warnings") or [])
    advance()
    staged = staged.reindex(columns=list(STAGED_POSTING_COLUMNS)).reset_index(drop=True)
    staged["source_row"] = pd.array(range(1, len(staged) + 1), dtype="Int64")
    staged["posted_date"] = pd.to_datetime(staged["posted_date"], errors="coerce")
    advance()
    result = transform_postings(staged, staged, source["name"], seen_on=today)
    repeats = read - len(staged)
    if repeats > 0:
        warnings.append(f"{repeats} records repeated in the feed dropped")
    result.notes = warnings + result.notes
    return result, read, repeats


def _read_series_source(source: dict, mirror: Path | None, today: date, advance):
    """A series source's files (one, or one per ``for_each`` value) read and checked together.

    Any file that cannot be read fails the whole source (its previous rows are kept): a series
    is replaced whole, so half of a new release beside half of an old one is never published.
    """
    frames = []
    for label, entry in file_entries(source):
        raw = read_source_file(entry, locate(entry, mirror, config.data_dir() / "raw"))
        frames.append(raw.assign(**{FILE_COLUMN: label}) if label is not None else raw)
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    advance()
    advance()
    result = transform_series(raw, source, today)
    result.notes = [
        f"{label} {read:,} read = {loaded:,} loaded + {rejected:,} rejected"
        for label, (read, loaded, rejected) in result.files.items()
    ]
    labels = None
    if spec := source.get("labels"):
        entry = {"name": source["name"], "format": "auto", **spec}
        try:
            found = read_source_file(entry, locate(entry, mirror, config.data_dir() / "raw"))
            labels = labels_table(found, source)
        except SourceError as exc:
            result.notes.append(f"series labels not refreshed ({_one_line(exc)})")
    return result, len(raw), labels


@contextmanager
def _bars(enabled: bool) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    progress = Progress(
        TextColumn("[bold]{task.description:<18}"),
        BarColumn(),
        TextColumn("{task.fields[step]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    with progress:
        yield progress


def _previous(out: Path) -> Path | None:
    """The previous store to keep rows from (None when there is none, it is unreadable, or it
    is a demo)."""
    try:
        meta = read_meta(out)
    except StoreError:
        return None
    if not meta or meta.get("kind") == "demo":
        return None
    return out


def refresh(
    out: Path | None = None,
    mirror: Path | None = None,
    sources: list[str] | None = None,
    progress: bool = True,
    progress_file: Path | None = None,
) -> RefreshReport:
    """Refresh the store at ``out`` from every configured source (or the named ones).

    Raises ConfigError for a broken sources file and RefreshInProgress when another refresh holds
    the lock; every source problem ends in the report instead.
    """
    out = Path(out) if out else config.store_path()
    mirror = Path(mirror) if mirror else config.mirror_dir()
    configured = load_sources()
    chosen = select(configured, sources)
    report = RefreshReport(uuid.uuid4().hex[:12], out, datetime.now(UTC))
    with refresh_lock(out) as lock:
        report.lock_cleared = lock.cleared  # a killed refresh's lock, taken over: say so
        tracker = ProgressFile(progress_file, report, [s["name"] for s in chosen])
        tracker.message = lock.cleared or ""
        tracker.write()
        try:
            _run(report, configured, chosen, mirror, progress, tracker)
        except BaseException as exc:
            tracker.state, tracker.message = "failed", _one_line(exc)
            tracker.write()
            raise
        tracker.state = "done" if report.published else "failed"
        tracker.message = report.message
        tracker.write()
    return report


def _run(report, configured, chosen, mirror, progress, tracker) -> None:
    previous = _previous(report.out)
    today = report.started_at.date()
    names = {s["name"] for s in configured}
    work = report.out.with_name(f".{report.out.name}.parts.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    # rows of sources not refreshed this time stay as they were
    plan = BuildPlan(previous=previous, keep=names - {s["name"] for s in chosen})
    plan.scratch = work / "_duckdb"
    try:
        with Engine() as engine:
            _each_source(report, chosen, mirror, today, progress, tracker, plan, work, engine)
            report.engine = engine.name
        _build(report, configured, plan, mirror)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _each_source(report, chosen, mirror, today, progress, tracker, plan, work, engine) -> None:
    with _bars(progress) as bars:
        for source in chosen:
            result = SourceResult(source["name"], source["kind"])
            report.results.append(result)
            task = bars.add_task(source["name"], total=len(STEPS), step="…") if bars else None

            def advance(step: str = "", task=task) -> None:
                if bars is not None:
                    bars.advance(task)
                    bars.update(task, step=step)

            def note(text: str, task=task, name=source["name"]) -> None:  # retries, budget
                if bars is not None:
                    bars.update(task, step=text[:60])
                tracker.update(name, message=text)

            tracker.update(source["name"], status="running")
            t0 = time.monotonic()
            folder = work / source["name"]
            with source_budget(source, notify=note):  # bounds the time spent on the network
                _refresh_source(source, mirror, today, plan, folder, engine, result, advance)
            result.seconds = time.monotonic() - t0
            result.finished_at = datetime.now(UTC)
            if bars is not None:
                bars.update(task, completed=len(STEPS), step=result.status)
            tracker.update(
                source["name"],
                status=result.status,
                rows_read=result.rows_read,
                rows_loaded=result.rows_loaded,
                rows_rejected=result.rows_rejected,
                message=result.message,
            )


def _build(report, configured, plan: BuildPlan, mirror: Path | None) -> None:
    if not report.loaded_any and plan.previous is None:
        report.message = "no source could be loaded and there is no store yet: nothing published"
        return
    old_runs = read_tables(plan.previous, ("runs",)).get("runs") if plan.previous else None
    frames = {"runs": _runs(old_runs, report), "sources": sources_table(configured)}
    try:
        plan.frames = validate_tables(frames)
        origin = _origin_meta(mirror) if report.loaded_any else _kept_origin(plan.previous)
        build_store(report.out, plan, meta={"run_id": report.run_id, **origin}, kind="real")
    except ValidationError as exc:
        report.message = f"nothing published: {exc}"
        return
    except Exception as exc:  # disk full, DuckDB error: the old store stays
        report.message = f"nothing published: {_one_line(exc)}"
        return
    report.published = True
    if not report.loaded_any:  # republished only so that ``runs`` shows this run happened
        report.message = (
            "no source could be loaded; the previous rows are kept and this run is recorded "
            f"in {report.out}"
        )
        return
    failed = [r.name for r in report.results if r.status not in ("ok", "skipped")]
    report.message = f"published {report.out}" + (
        f"; kept the previous rows of {', '.join(failed)}" if failed else ""
    )


def _origin_meta(mirror: Path | None) -> dict[str, str]:
    """Where this run read from, kept in the store's meta so every start can say it."""
    if mirror is None:
        return {"origin": "network"}
    return {"origin": "mirror", "mirror": str(Path(mirror).resolve())}


def _kept_origin(previous: Path | None) -> dict[str, str]:
    """The previous store's origin, for a run that loaded nothing and so kept all its rows."""
    values = read_meta(previous) if previous is not None else {}
    return {k: values[k] for k in ("origin", "mirror") if k in values}


def _refresh_source(source, mirror, today, plan, folder, engine, result, advance) -> None:
    name = source["name"]
    repeats = 0
    try:
        if source["kind"] == "series":
            parts, read = _series_parts(source, mirror, today, plan, folder, advance)
            coverage = None
        elif source["format"] == "api":
            found = _api_parts(source, mirror, today, plan, folder, advance)
            parts, read, repeats, coverage = found
        else:
            parts = _read_file_source(source, mirror, folder, engine, advance)
            read, coverage = parts.rows, _role_coverage(parts, source)
        advance("merge")
    except SourceError as exc:
        _keep_previous(source, plan, result, _one_line(exc))
        return
    except Exception as exc:
        _keep_previous(source, plan, result, f"{type(exc).__name__}: {_one_line(exc)}")
        return
    if read == 0 and source["format"] == "api":
        _keep_previous(source, plan, result, "nothing to read (no target to follow)")
        result.status = "skipped"
        return
    for table in parts.tables():
        plan.add_parts(table, parts.files(table))
    result.status = "ok"
    result.rows_read = read
    result.rows_loaded = parts.loaded
    result.rows_rejected = parts.rejected + repeats
    if result.rows_loaded + result.rows_rejected != read:  # pragma: no cover - a bug guard
        raise AssertionError(f"{name}: rows loaded + rejected != rows read")
    result.top_reasons = _top_reasons(parts.files("rejects"))
    result.role_coverage = coverage
    bits = [f"loaded {result.rows_loaded:,} of {read:,} rows"]
    if result.rows_rejected:
        bits.append(f"{result.rows_rejected:,} rejected")
    bits += parts.notes
    result.message = "; ".join(bits)


def _api_parts(source, mirror, today, plan, folder, advance):
    """An API source transformed in this process (small), merged with its previous rows when it
    accumulates, and written as parts like a file source's."""
    transformed, read, repeats = _read_api_source(source, mirror, today, advance)
    table, skills = transformed.table, transformed.posting_skills
    if source.get("merge") == "accumulate":
        old = previous_rows(plan.previous, "postings", source["name"])
        old_skills = previous_rows(plan.previous, "posting_skills", source["name"])
        table, skills = accumulate(old, table, old_skills, skills)
    parts = write_frames(
        folder, {"postings": table, "posting_skills": skills, "rejects": transformed.rejects}
    )
    parts.loaded, parts.rejected = len(transformed.table), len(transformed.rejects)
    parts.rows = read
    parts.extra_notes = list(transformed.notes)
    roles = transformed.table["role"]
    coverage = float((roles != "Other").mean()) if len(roles) else None
    return parts, read, repeats, coverage


def _series_parts(source, mirror, today, plan, folder, advance) -> tuple[SourceParts, int]:
    """A series source transformed in this process (aggregates: small) and written as parts;
    labels that could not be read this time keep their previous rows."""
    transformed, read, labels = _read_series_source(source, mirror, today, advance)
    if labels is None:
        labels = previous_rows(plan.previous, "series_labels", source["name"])
    parts = write_frames(
        folder,
        {"series": transformed.table, "series_labels": labels, "rejects": transformed.rejects},
    )
    parts.rows, parts.loaded, parts.rejected = (
        read,
        len(transformed.table),
        len(transformed.rejects),
    )
    parts.extra_notes = list(transformed.notes)
    return parts, read


def _role_coverage(parts: SourceParts, source: dict) -> float | None:
    """Share of a source's loaded rows whose title maps to a known role (None without rows)."""
    files = parts.files("salaries" if source["kind"] == "salaries" else "postings")
    if not files:
        return None
    value = duckdb.execute(
        f"SELECT avg(CAST(role <> 'Other' AS DOUBLE)) FROM read_parquet({_paths(files)})"
    ).fetchone()[0]
    return None if value is None else float(value)


def _paths(files: list[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def _keep_previous(source, plan: BuildPlan, result, reason: str) -> None:
    plan.keep.add(source["name"])
    kept = count_rows(plan.previous, tuple(ROW_TABLES.values()), source["name"])
    result.status = "kept_previous" if kept else "failed"
    result.message = reason + (f" (kept {kept:,} rows from the previous store)" if kept else "")


def _runs(previous: pd.DataFrame | None, report: RefreshReport) -> pd.DataFrame:
    rows = pd.DataFrame(
        [
            {
                "run_id": report.run_id,
                "source": r.name,
                "started_at": r.started_at.replace(tzinfo=None),
                "finished_at": (r.finished_at or r.started_at).replace(tzinfo=None),
                "status": r.status,
                "rows_read": r.rows_read,
                "rows_loaded": r.rows_loaded,
                "rows_rejected": r.rows_rejected,
                "message": r.message,
            }
            for r in report.results
        ],
        columns=[c.name for c in TABLES["runs"]],
    )
    if previous is None or previous.empty:
        return rows
    return pd.concat([previous, rows], ignore_index=True)


def summary_table(report: RefreshReport) -> Table:
    """The closing summary: per source read, loaded, rejected, top reasons, role coverage, time."""
    table = Table(title=f"Refresh {report.run_id} ({report.engine})", show_lines=False)
    for header in ("source", "status", "read", "loaded", "rejected"):
        table.add_column(header, no_wrap=True, justify="left" if header[0] == "s" else "right")
    table.add_column("top reject reasons / message", overflow="fold", min_width=20)
    table.add_column("roles known", no_wrap=True, justify="right")
    table.add_column("time", no_wrap=True, justify="right")

    def number(value: int | None) -> str:
        return "-" if value is None else f"{value:,}"

    for r in report.results:
        reasons = "; ".join(f"{reason} ({n:,})" for reason, n in r.top_reasons) or "-"
        if r.status not in ("ok",):
            reasons = r.message
        coverage = "-" if r.role_coverage is None else f"{r.role_coverage:.0%}"
        table.add_row(
            r.name, r.status, number(r.rows_read), number(r.rows_loaded),
            number(r.rows_rejected), reasons, coverage, f"{r.seconds:.1f}s",
        )  # fmt: skip
    return table
