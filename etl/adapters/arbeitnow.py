"""Arbeitnow: ``GET {base}/api/job-board-api?page=N``, paginated.

Quirks: pages are followed while ``links.next`` is set, up to the source's ``max_pages``; the next
page is requested from the configured base URL with ``page=N+1`` (never from the host named in
``links.next``); ``created_at`` is epoch seconds; titles are mostly German with gender suffixes
"(m/w/d)" (removed by the source's ``title_strip`` patterns); ``job_types`` mixes English and
German and is passed on joined, for the pipeline's employment-type mapping.
"""

from __future__ import annotations

from collections.abc import Mapping

from etl.adapters.base import (
    Adapter,
    Target,
    check_required,
    day_from_epoch,
    expect,
    html_text,
    mapped,
    strip_title,
    tags,
    text,
)

REQUIRED = ("slug", "title", "created_at", "url")


def _records(payload: object, where: str) -> list[dict]:
    jobs = expect(payload, list, "data", where)
    check_required(jobs, REQUIRED, where)
    return jobs


def _next_params(payload: object, page: int) -> dict | None:
    links = payload.get("links") if isinstance(payload, dict) else None
    if isinstance(links, dict) and links.get("next") and payload.get("data"):
        return {"page": page + 1}
    return None


def _employment(job_types: object, mapping: Mapping | None) -> str | None:
    values = [mapped(v, mapping) for v in tags(job_types) or []]
    return ", ".join(str(v) for v in values) or None


def _row(job: dict, target: Target, source: Mapping) -> dict:
    maps = source.get("value_maps") or {}
    return {
        "source_id": str(job["slug"]),
        "title": strip_title(text(job.get("title")), source.get("title_strip")),
        "company": text(job.get("company_name")),
        "location": text(job.get("location")),
        "posted_date": day_from_epoch(job["created_at"]),
        "employment_type": _employment(job.get("job_types"), maps.get("employment_type")),
        "remote": "remote" if job.get("remote") is True else None,
        "skills": tags(job.get("tags")),
        "description": html_text(job.get("description")),
        "url": text(job.get("url")),
    }


ADAPTER = Adapter(
    name="arbeitnow",
    path=lambda t: "/api/job-board-api",
    records=_records,
    required=REQUIRED,
    row=_row,
    next_params=_next_params,
)
