"""Adapters for live job-board APIs: each turns one API's response into staged postings.

The pipeline calls ``stage(source, mirror)`` for every source with ``format: api``; the source's
``adapter`` names the module. A source follows several targets (boards, companies, queries): one
failing target is skipped and named in ``frame.attrs["warnings"]``; if every target fails the
source fails with the first target's reason (a ``SourceError``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from etl.adapters import arbeitnow, ashby, greenhouse, lever, remoteok, remotive
from etl.adapters.base import Adapter, pages, staged_frame, targets
from etl.errors import SourceError

ADAPTERS: dict[str, Adapter] = {
    m.ADAPTER.name: m.ADAPTER for m in (greenhouse, lever, ashby, remotive, remoteok, arbeitnow)
}

log = logging.getLogger(__name__)


def get_adapter(name: object) -> Adapter:
    """The adapter called ``name`` (SourceError listing the known ones otherwise)."""
    adapter = ADAPTERS.get(str(name))
    if adapter is None:
        raise SourceError(f"unknown adapter {name!r}; known: {', '.join(sorted(ADAPTERS))}")
    return adapter


def _first_of_each_id(rows: list[dict]) -> list[dict]:
    """Drop repeats of a source_id: a live feed shifts while pages are read."""
    seen: set[object] = set()
    out = []
    for row in rows:
        if row["source_id"] not in seen:
            seen.add(row["source_id"])
            out.append(row)
    return out


def stage(source: dict, mirror: Path | None) -> tuple[pd.DataFrame, int]:
    """Staged postings of every target of ``source`` and the number of raw records read.

    With ``mirror`` the targets' ``mirror_path`` files are read instead of the network (targets
    without one are skipped).
    """
    adapter = get_adapter(source.get("adapter"))
    rows: list[dict] = []
    read = 0
    warnings: list[str] = []
    failures: list[str] = []
    attempted = 0
    for target in targets(source):
        if mirror is not None and not target.mirror_path:
            continue
        attempted += 1
        target_rows: list[dict] = []
        try:
            for payload, where in pages(adapter, source, target, mirror):
                records = adapter.records(payload, where)
                read += len(records)
                target_rows.extend(adapter.row(r, target, source) for r in records)
        except SourceError as exc:
            failures.append(f"{target.id}: {exc}")
            continue
        rows.extend(target_rows)
    if attempted and len(failures) == attempted:
        detail = failures[0] if len(failures) == 1 else f"{failures[0]} (+{len(failures) - 1} more)"
        raise SourceError(f"{source['name']}: every target failed; {detail}")
    for failure in failures:
        warnings.append(f"skipped {failure}")
        log.warning("%s: skipped %s", source["name"], failure)
    frame = staged_frame(_first_of_each_id(rows))
    frame.attrs["warnings"] = warnings
    return frame, read
