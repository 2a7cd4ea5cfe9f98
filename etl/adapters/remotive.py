"""Remotive: ``GET {base}/api/remote-jobs`` (optionally ``?category=...``).

Quirks: the raw response starts with a UTF-8 BOM (the JSON reader accepts it); the top level holds
legal-notice keys beside ``jobs``; every job is remote; ``salary`` is free text in many shapes (left
in ``pay_text`` for the pipeline's pay parser); ``publication_date`` has no offset (UTC).
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
    tags,
    text,
)

REQUIRED = ("id", "title", "publication_date", "url")


def _records(payload: object, where: str) -> list[dict]:
    jobs = expect(payload, list, "jobs", where)
    check_required(jobs, REQUIRED, where)
    return jobs


def _row(job: dict, target: Target, source: Mapping) -> dict:
    maps = source.get("value_maps") or {}
    return {
        "source_id": str(job["id"]),
        "title": text(job.get("title")),
        "company": text(job.get("company_name")),
        "location": text(job.get("candidate_required_location")),
        "posted_date": day_from_iso(job["publication_date"]),
        "employment_type": mapped(text(job.get("job_type")), maps.get("employment_type")),
        "remote": "remote",
        "pay_text": text(job.get("salary")),
        "skills": tags(job.get("tags")),
        "description": html_text(job.get("description")),
        "url": text(job.get("url")),
    }


ADAPTER = Adapter(
    name="remotive",
    path=lambda t: "/api/remote-jobs",
    records=_records,
    required=REQUIRED,
    row=_row,
)
