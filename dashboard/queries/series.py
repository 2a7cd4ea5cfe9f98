"""Series: aggregate values per date and place from the store's ``series`` table (Indeed Hiring
Lab's AI share and job-postings indices), and each source's data dates.

The sidebar's region and country filters apply to a series' places; the other filters (role,
seniority, work mode, months) describe postings and do not apply to an aggregate series. A
country filter selects countries only: an aggregate place (EA, the euro area) is shown only when
no country is chosen and its region is allowed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.store import Params, cached, fetch, where

AI_SHARE = "hiring_lab_ai_share"
GENAI_SHARE = "hiring_lab_genai_share"
INDEX = "hiring_lab_postings_index"
SECTORS = "hiring_lab_sector_index"
"""The series sources the pages show (data/sources/hiring_lab.yaml)."""


def _places(f: Filters) -> tuple[str, Params]:
    clauses, params = [], []
    if f.countries:
        clauses.append("place_type = 'country' AND list_contains(?::VARCHAR[], place_code)")
        params.append(list(f.countries))
    if f.regions:
        clauses.append("list_contains(?::VARCHAR[], region)")
        params.append(list(f.regions))
    return "".join(f" AND {c}" for c in clauses), params


@cached
def series_lines(
    store: str,
    version: str,
    f: Filters,
    source: str,
    series: tuple[str, ...] = (),
    variant: str | None = None,
    daily: bool = False,
) -> pd.DataFrame:
    """date, place_code, place_type, region, series, variant, value, days of one source.

    Monthly means (``series_monthly``: ``date`` is the month's first day, ``days`` the values
    averaged) unless ``daily``; ``series`` and ``variant`` narrow it (all when empty / None).
    """
    w, p = _places(f)
    if series:
        w += " AND list_contains(?::VARCHAR[], series)"
        p.append(list(series))
    if variant is not None:
        w += " AND variant = ?"
        p.append(variant)
    if daily:
        sql = (
            "SELECT CAST(date AS TIMESTAMP) AS date, place_code, place_type, region, series, "
            f"variant, value, 1 AS days FROM series WHERE source = ? {w} "
            "ORDER BY series, variant, place_code, date"
        )
    else:
        sql = (
            "SELECT CAST(month AS TIMESTAMP) AS date, place_code, place_type, region, series, "
            f"variant, value, days FROM series_monthly WHERE source = ? {w} "
            "ORDER BY series, variant, place_code, date"
        )
    return fetch(store, version, sql, [source, *p])


@cached
def series_mean(
    store: str,
    version: str,
    source: str,
    place: str,
    start: date,
    end: date,
    series: str | None = None,
) -> tuple[float | None, int]:
    """(mean of the daily values from ``start`` to ``end`` inclusive, number of days) of one place.

    The mean of all daily values, not of monthly means: a period's figure weighs every day alike.
    """
    w, p = "", []
    if series is not None:
        w, p = " AND series = ?", [series]
    df = fetch(
        store,
        version,
        "SELECT avg(value) AS value, count(*) AS days FROM series "
        f"WHERE source = ? AND place_code = ? AND date BETWEEN ? AND ? {w}",
        [source, place, start, end, *p],
    )
    days = int(df["days"].iloc[0])
    return (float(df["value"].iloc[0]) if days else None), days


@cached
def series_places(store: str, version: str, source: str) -> pd.DataFrame:
    """place_code, place_type, region, series: which series each place has (e.g. which sectors a
    country's file holds), to explain a series missing for a place."""
    return fetch(
        store,
        version,
        "SELECT DISTINCT place_code, place_type, region, series FROM series_monthly "
        "WHERE source = ? ORDER BY place_code, series",
        [source],
    )


@cached
def series_labels(store: str, version: str, source: str) -> dict[str, str]:
    """series -> what it covers in the publisher's words (a sector's example job titles)."""
    df = fetch(
        store,
        version,
        "SELECT series, examples FROM series_labels WHERE source = ? ORDER BY series",
        [source],
    )
    return dict(zip(df["series"], df["examples"], strict=True))


@cached
def series_sources(store: str, version: str) -> pd.DataFrame:
    """Every series source: name, title, license, attribution, method, description, status,
    status_date, breaks (JSON), url, rows, first_date, last_date."""
    return fetch(
        store,
        version,
        """
        SELECT s.name, s.title, s.license, s.attribution, s.method, s.description,
               coalesce(s.status, 'current') AS status, s.status_date, s.breaks, s.url,
               CAST(coalesce(c.rows, 0) AS BIGINT) AS rows, c.first_date, c.last_date
        FROM sources s LEFT JOIN source_coverage c ON c.source = s.name
        WHERE s.kind = 'series' ORDER BY s.name
        """,
    )


@cached
def data_dates(store: str, version: str) -> pd.DataFrame:
    """source, kind, rows, first_date, last_date, precision: each source's span of data dates
    (``source_coverage``), newest first: what "Data as of" shows, apart from the build time."""
    return fetch(
        store,
        version,
        "SELECT source, kind, rows, first_date, last_date, precision FROM source_coverage "
        "ORDER BY last_date DESC NULLS LAST, source",
    )


@cached
def posting_coverage(store: str, version: str, f: Filters) -> pd.DataFrame:
    """source, first_month, last_month, months, postings of the selection's postings per source:
    what a posting-level chart covers (its caption says so, and months without data are gaps)."""
    w, p = where(f, "posting_counts")
    return fetch(
        store,
        version,
        "SELECT source, CAST(min(month) AS TIMESTAMP) AS first_month, "
        "CAST(max(month) AS TIMESTAMP) AS last_month, "
        "CAST(count(DISTINCT month) AS BIGINT) AS months, "
        f"CAST(sum(postings) AS BIGINT) AS postings FROM posting_counts {w} "
        "GROUP BY source ORDER BY first_month, source",
        p,
    )
