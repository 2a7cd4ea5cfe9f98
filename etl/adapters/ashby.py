"""Ashby posting API: ``GET {base}/posting-api/job-board/{board}?includeCompensation=true``.

Quirks: pay is either the summary text ("$151K – $231K • Offers Equity • Multiple Ranges", en dash)
or the structured ``summaryComponents`` (the ``Salary`` one is used), and can be empty; places are
``location`` plus ``secondaryLocations``; addresses have typos and trailing spaces.
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
    join_places,
    mapped,
    text,
)

REQUIRED = ("id", "title", "publishedAt", "jobUrl")


def _records(payload: object, where: str) -> list[dict]:
    jobs = expect(payload, list, "jobs", where)
    check_required(jobs, REQUIRED, where)
    return [job for job in jobs if job.get("isListed", True) is not False]


def _salary(compensation: object) -> dict:
    """The structured salary component (min, max, currency, interval), or {}."""
    if not isinstance(compensation, dict):
        return {}
    for part in compensation.get("summaryComponents") or []:
        if (
            isinstance(part, dict)
            and part.get("compensationType") == "Salary"
            and (part.get("minValue") is not None or part.get("maxValue") is not None)
        ):
            return part
    return {}


def _is_dict(value: object) -> bool:
    return isinstance(value, dict)


def _remote(job: dict, maps: Mapping) -> object:
    workplace = text(job.get("workplaceType"))
    if workplace:
        return mapped(workplace, maps.get("remote"))
    return "remote" if job.get("isRemote") is True else None


def _row(job: dict, target: Target, source: Mapping) -> dict:
    maps = source.get("value_maps") or {}
    compensation = job.get("compensation") if isinstance(job.get("compensation"), dict) else {}
    salary = _salary(compensation)
    secondary = [s.get("location") for s in job.get("secondaryLocations") or [] if _is_dict(s)]
    address = job.get("address") if _is_dict(job.get("address")) else {}
    address = address.get("postalAddress") if _is_dict(address.get("postalAddress")) else {}
    summary = compensation.get("compensationTierSummary")
    return {
        "source_id": f"{target.id}/{job['id']}",
        "title": text(job.get("title")),
        "company": target.company or target.id,
        "location": join_places(job.get("location"), secondary),
        "country": text(address.get("addressCountry")),
        "posted_date": day_from_iso(job["publishedAt"]),
        "employment_type": mapped(text(job.get("employmentType")), maps.get("employment_type")),
        "remote": _remote(job, maps),
        "pay_min": salary.get("minValue"),
        "pay_max": salary.get("maxValue"),
        "currency": text(salary.get("currencyCode")),
        "pay_period": mapped(text(salary.get("interval")), maps.get("pay_period")),
        "pay_text": text(summary),
        "description": text(job.get("descriptionPlain")) or html_text(job.get("descriptionHtml")),
        "url": text(job.get("jobUrl")),
    }


ADAPTER = Adapter(
    name="ashby",
    path=lambda t: f"/posting-api/job-board/{t.id}",
    params={"includeCompensation": "true"},
    records=_records,
    required=REQUIRED,
    row=_row,
)
