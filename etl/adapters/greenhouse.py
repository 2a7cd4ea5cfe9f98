"""Greenhouse Job Board API: ``GET {base}/v1/boards/{board}/jobs?content=true``.

Quirks: ``content`` is entity-escaped HTML; ``location.name`` may list several places separated by
``|`` or ``;`` (kept as posted); timestamps carry a UTC offset; whether a job is remote is only in
the employer's custom ``metadata`` (e.g. "Location Type"), whose value can be null.
"""

from __future__ import annotations

from collections.abc import Mapping

from etl.adapters.base import (
    Adapter,
    Target,
    check_required,
    day_from_iso,
    expect,
    html_text,
    mapped,
    text,
)

REQUIRED = ("id", "title", "absolute_url", "updated_at")
_WORKPLACE_KEYS = ("location type", "workplace type", "workplace", "remote")


def _records(payload: object, where: str) -> list[dict]:
    jobs = expect(payload, list, "jobs", where)
    check_required(jobs, REQUIRED, where)
    return jobs


def _workplace(metadata: object) -> str | None:
    for item in metadata if isinstance(metadata, list) else []:
        if isinstance(item, dict) and str(item.get("name", "")).strip().lower() in _WORKPLACE_KEYS:
            value = item.get("value")
            return text(value[0] if isinstance(value, list) and value else value)
    return None


def _row(job: dict, target: Target, source: Mapping) -> dict:
    maps = source.get("value_maps") or {}
    location = job.get("location")
    return {
        "source_id": f"{target.id}/{job['id']}",
        "title": text(job.get("title")),
        "company": text(job.get("company_name")) or target.company,
        "location": text(location.get("name")) if isinstance(location, dict) else None,
        "posted_date": day_from_iso(job.get("first_published")) or day_from_iso(job["updated_at"]),
        "remote": mapped(_workplace(job.get("metadata")), maps.get("remote")),
        "description": html_text(job.get("content")),
        "url": text(job.get("absolute_url")),
    }


ADAPTER = Adapter(
    name="greenhouse",
    path=lambda t: f"/v1/boards/{t.id}/jobs",
    params={"content": "true"},
    records=_records,
    required=REQUIRED,
    row=_row,
)
