"""What a store holds, in one line a person reads at every start: demo or real, built when, from
what, how many rows per source.

``make run`` prints it (through ``python -m etl ensure-store``) so nobody serves generated data
believing it real, or real data without knowing how old it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from etl.store import StoreError, connect, read_meta

ORIGINS = {
    "mirror": "the local mirror",
    "network": "the sources' public URLs",
    "demo": "the seeded generator",
}


@dataclass(frozen=True)
class StoreSummary:
    """The facts ``describe`` prints; ``rows`` maps each source to (postings, salary records)."""

    path: Path
    kind: str
    built_at: str
    origin: str
    mirror: str
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)


def shown_path(path: Path | str) -> str:
    """A path as a person at this terminal wants it: relative to the working folder when shorter."""
    path = Path(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def summarise(path: Path) -> StoreSummary:
    """Kind, build time, origin and rows per source of a store (StoreError if unreadable)."""
    path = Path(path)
    meta = read_meta(path)
    if not meta:
        raise StoreError(f"no store at {path}")
    rows: dict[str, tuple[int, int]] = {}
    con = connect(path)
    try:
        for table, slot in (("postings", 0), ("salaries", 1)):
            for source, n in con.execute(
                f'SELECT source, count(*) FROM "{table}" GROUP BY source ORDER BY source'
            ).fetchall():
                counts = list(rows.get(source, (0, 0)))
                counts[slot] = int(n)
                rows[source] = (counts[0], counts[1])
    finally:
        con.close()
    return StoreSummary(
        path=path,
        kind=meta.get("kind", "real"),
        built_at=meta.get("built_at", ""),
        origin=meta.get("origin", "demo" if meta.get("kind") == "demo" else ""),
        mirror=meta.get("mirror", ""),
        rows=rows,
    )


def _when(built_at: str) -> str:
    return (
        built_at.replace("T", " ").removesuffix("Z")[:16] + " UTC"
        if built_at
        else "at an unknown time"
    )


def _rows(rows: dict[str, tuple[int, int]]) -> str:
    parts = []
    for source, (postings, salaries) in rows.items():
        counts = [
            f"{postings:,} postings" if postings else "",
            f"{salaries:,} salary records" if salaries else "",
        ]
        parts.append(f"{source} " + " + ".join(c for c in counts if c))
    return "; ".join(parts) if parts else "no rows"


def describe(path: Path) -> str:
    """One or two lines saying which store the dashboard serves (for the terminal, not the web)."""
    try:
        s = summarise(path)
    except StoreError as exc:
        return f"The dashboard cannot read the store at {shown_path(path)}: {exc}"
    if s.kind == "demo":
        return (
            "The dashboard serves a DEMO store (generated, not real data) at "
            f"{shown_path(s.path)}, built {_when(s.built_at)} by the seeded generator.\n"
            "Real data replaces it at the next start once available: "
            "AIJOBS_MIRROR=../shared/data make run (or with the network)."
        )
    if s.origin == "mirror":
        origin = f"the local mirror {shown_path(s.mirror)}" if s.mirror else ORIGINS["mirror"]
    else:
        origin = ORIGINS.get(s.origin, "sources not recorded (an older store)")
    return (
        f"The dashboard serves REAL data at {shown_path(s.path)}, built {_when(s.built_at)} "
        f"from {origin}: {_rows(s.rows)}."
    )
