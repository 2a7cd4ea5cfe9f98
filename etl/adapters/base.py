"""What every job-board adapter shares: fetching (network or mirror), schema checks, small mappers.

An adapter only *stages*: it maps an API's fields onto the staged posting columns, strips HTML and
keeps pay as the API gives it. Normalising (roles, locations, pay parsing, codes) happens later in
the pipeline's transform, the same way for every source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from etl.errors import SourceError
from etl.extract import mirror_file
from etl.http import get_json, read_json_file
from etl.normalise.text import html_to_text

try:  # the pipeline's definition is the reference once it exists
    from etl.staging import STAGED_POSTING_COLUMNS
except ImportError:  # pragma: no cover - only before etl/staging.py is merged
    STAGED_POSTING_COLUMNS = (
        "source_row", "source_id", "title", "company", "location", "country", "posted_date",
        "employment_type", "remote", "pay_min", "pay_max", "pay", "pay_period", "currency",
        "pay_text", "skills", "description", "url", "seniority",
    )  # fmt: skip

DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Target:
    """One board / company / query of a source, as configured under ``targets``."""

    id: str
    company: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    mirror_path: str | None = None


@dataclass(frozen=True)
class Adapter:
    """How to read one API: its URL, where the records are, which fields must be there, the row.

    ``next_params(payload, page)`` returns the query parameters of the next page, or None.
    """

    name: str
    path: Callable[[Target], str]
    records: Callable[[object, str], list[dict]]
    required: tuple[str, ...]
    row: Callable[[dict, Target, Mapping], dict]
    params: Mapping[str, object] = field(default_factory=dict)
    next_params: Callable[[object, int], dict | None] | None = None


def base_url(source: Mapping) -> str:
    """The source's base URL; ``AIJOBS_API_BASE_<NAME>`` overrides the configured one."""
    env = os.environ.get(f"AIJOBS_API_BASE_{str(source['name']).upper()}", "").strip()
    value = env or str(source.get("base_url") or "")
    if not value:
        raise SourceError(f"source {source['name']!r} has no base_url")
    return value.rstrip("/")


def targets(source: Mapping) -> list[Target]:
    """The configured targets of a source (a missing list means one default target)."""
    raw = source.get("targets") or [{"id": "all"}]
    out = []
    for item in raw:
        if not isinstance(item, Mapping) or not item.get("id"):
            raise SourceError(f"source {source['name']!r}: every target needs an id, got {item!r}")
        out.append(
            Target(
                id=str(item["id"]),
                company=item.get("company"),
                params=dict(item.get("params") or {}),
                mirror_path=item.get("mirror_path"),
            )
        )
    return out


def pages(
    adapter: Adapter, source: Mapping, target: Target, mirror: Path | None
) -> Iterator[tuple[object, str]]:
    """Each page of a target's response as (parsed JSON, where it came from)."""
    max_bytes = int(source.get("max_bytes") or DEFAULT_MAX_BYTES)
    if mirror is not None:
        if target.mirror_path:
            path = mirror_file(mirror, target.mirror_path, f"{source['name']} ({target.id})")
            yield read_json_file(path, max_bytes=max_bytes), str(path)
        return
    url = base_url(source) + adapter.path(target)
    params: dict = {**adapter.params, **target.params}
    max_pages = max(1, int(source.get("max_pages") or 1))
    for page in range(1, max_pages + 1):
        payload = get_json(url, max_bytes=max_bytes, params=params or None)
        yield payload, url
        following = adapter.next_params(payload, page) if adapter.next_params else None
        if not following:
            return
        params = {**params, **following}


def expect(payload: object, kind: type, key: str | None, where: str) -> object:
    """``payload[key]`` (or the payload), checked to be a ``kind``: the API kept its shape."""
    value = payload
    if key is not None:
        if not isinstance(payload, dict) or key not in payload:
            raise SourceError(f"expected field {key!r} missing in the response from {where}")
        value = payload[key]
    if not isinstance(value, kind):
        what = f"field {key!r}" if key else "response"
        raise SourceError(
            f"{what} from {where} is {type(value).__name__}, expected {kind.__name__}"
        )
    return value


def check_required(records: list[dict], required: tuple[str, ...], where: str) -> None:
    """A missing expected field means the API changed: fail loudly, naming it."""
    for n, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise SourceError(f"record {n} from {where} is not an object")
        for name in required:
            if name not in record:
                raise SourceError(
                    f"expected field {name!r} missing in record {n} from {where} "
                    "(the API may have changed)"
                )


def html_text(value: object) -> str | None:
    """Plain text from (possibly entity-escaped) HTML; None when empty. Never rendered."""
    if not isinstance(value, str) or not value.strip():
        return None
    return html_to_text(value) or None


def text(value: object) -> str | None:
    """A stripped string, or None for missing/empty/non-text values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if value != value else str(value)  # NaN
    value = str(value).strip()
    return value or None


def day_from_iso(value: object) -> date | None:
    """The UTC day of an ISO-8601 timestamp (naive ones are taken as UTC); None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).date()


def day_from_epoch(value: object, *, millis: bool = False) -> date | None:
    """The UTC day of an epoch timestamp in seconds (or milliseconds); None if unreadable."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value) / (1000 if millis else 1)
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def mapped(value: object, mapping: Mapping | None) -> object:
    """``mapping[value]`` when the API's value is a known code, else the value unchanged."""
    if value is None or not mapping:
        return value
    return mapping.get(value, mapping.get(str(value), value))


def join_places(*parts: object) -> str | None:
    """Distinct non-empty place names joined with "; " (order kept)."""
    seen: list[str] = []
    for part in parts:
        items = part if isinstance(part, list | tuple) else [part]
        for item in items:
            name = text(item)
            if name and name not in seen:
                seen.append(name)
    return "; ".join(seen) or None


def strip_title(title: str | None, patterns: list[str] | None) -> str | None:
    """The title without configured noise such as "(m/w/d)"."""
    if not title or not patterns:
        return title
    for pattern in patterns:
        title = re.sub(pattern, "", title, flags=re.IGNORECASE)
    return title.strip() or None


def tags(value: object) -> list[str] | None:
    """An API's tag list as distinct non-empty strings (None when there are none)."""
    if not isinstance(value, list):
        return None
    out: list[str] = []
    for item in value:
        name = text(item)
        if name and name not in out:
            out.append(name)
    return out or None


def staged_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows -> a frame with exactly STAGED_POSTING_COLUMNS (missing ones NULL)."""
    frame = pd.DataFrame.from_records(rows, columns=list(STAGED_POSTING_COLUMNS))
    frame["source_row"] = pd.Series(range(1, len(frame) + 1), index=frame.index, dtype="Int64")
    frame["posted_date"] = pd.to_datetime(frame["posted_date"], errors="coerce")
    for col in ("pay_min", "pay_max", "pay"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
    return frame
