"""Lever Postings API: ``GET {base}/v0/postings/{company}?mode=json``.

Quirks: the response is a bare list; ``createdAt`` is epoch milliseconds; places live under
``categories.location`` / ``categories.allLocations``; ``country`` is ISO alpha-2; pay, when the
employer publishes it, is the structured ``salaryRange`` (absent in the samples).
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
    join_places,
    mapped,
    text,
)

REQUIRED = ("id", "text", "createdAt", "hostedUrl")


def _records(payload: object, where: str) -> list[dict]:
    postings = expect(payload, list, None, where)
    check_required(postings, REQUIRED, where)
    return postings


def _description(posting: dict) -> str | None:
    """The description, the lists ("What you'll do"...) and the closing text, as plain text."""
    parts = [posting.get("description") or posting.get("descriptionPlain")]
    for item in posting.get("lists") or []:
        if isinstance(item, dict):
            parts.append(f"<h3>{item.get('text') or ''}</h3>{item.get('content') or ''}")
    parts.append(posting.get("additional") or posting.get("additionalPlain"))
    return html_text("\n".join(p for p in parts if isinstance(p, str) and p.strip()))


def _row(posting: dict, target: Target, source: Mapping) -> dict:
    maps = source.get("value_maps") or {}
    categories = posting.get("categories") if isinstance(posting.get("categories"), dict) else {}
    pay = posting.get("salaryRange") if isinstance(posting.get("salaryRange"), dict) else {}
    return {
        "source_id": f"{target.id}/{posting['id']}",
        "title": text(posting.get("text")),
        "company": target.company or target.id,
        "location": join_places(categories.get("location"), categories.get("allLocations")),
        "country": text(posting.get("country")),
        "posted_date": day_from_epoch(posting["createdAt"], millis=True),
        "employment_type": mapped(text(categories.get("commitment")), maps.get("employment_type")),
        "remote": mapped(text(posting.get("workplaceType")), maps.get("remote")),
        "pay_min": pay.get("min"),
        "pay_max": pay.get("max"),
        "currency": text(pay.get("currency")),
        "pay_period": mapped(text(pay.get("interval")), maps.get("pay_period")),
        "description": _description(posting),
        "url": text(posting.get("hostedUrl")),
    }


ADAPTER = Adapter(
    name="lever",
    path=lambda t: f"/v0/postings/{t.id}",
    params={"mode": "json"},
    records=_records,
    required=REQUIRED,
    row=_row,
)
