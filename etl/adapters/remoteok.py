"""Remote OK: ``GET {base}/api``.

Quirks: the response is a list whose element 0 is a legal notice, not a job; ``salary_min`` /
``salary_max`` of 0 mean "not given" (given ones are yearly USD); some locations are mojibake
("GdaÅ\\x84sk", fixed later by the text normaliser); descriptions are HTML; every job is remote.
"""

from __future__ import annotations

from collections.abc import Mapping

from etl.adapters.base import (
    Adapter,
    Target,
    check_required,
    day_from_epoch,
    day_from_iso,
    expect,
    html_text,
    tags,
    text,
)

REQUIRED = ("id", "position", "epoch", "url")


def _is_notice(item: object) -> bool:
    return isinstance(item, dict) and "legal" in item and "id" not in item


def _records(payload: object, where: str) -> list[dict]:
    items = expect(payload, list, None, where)
    jobs = [item for item in items if not _is_notice(item)]
    check_required(jobs, REQUIRED, where)
    return jobs


def _amount(value: object) -> float | None:
    """A positive number, or None (0, empty and junk mean "not given")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _row(job: dict, target: Target, source: Mapping) -> dict:
    low, high = _amount(job.get("salary_min")), _amount(job.get("salary_max"))
    given = low is not None or high is not None
    return {
        "source_id": str(job["id"]),
        "title": text(job.get("position")),
        "company": text(job.get("company")),
        "location": text(job.get("location")),
        "posted_date": day_from_epoch(job["epoch"]) or day_from_iso(job.get("date")),
        "remote": "remote",
        "pay_min": low,
        "pay_max": high,
        "currency": "USD" if given else None,
        "pay_period": "year" if given else None,
        "skills": tags(job.get("tags")),
        "description": html_text(job.get("description")),
        "url": text(job.get("url")),
    }


ADAPTER = Adapter(
    name="remoteok",
    path=lambda t: "/api",
    records=_records,
    required=REQUIRED,
    row=_row,
)
