"""Series statistics: the computed headline, which method breaks a chart crosses, which series a
place lacks. Pure (no queries, no Streamlit): the pages feed them the query layer's frames."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

MIN_DAYS_FOR_MONTH = 20
"""A month with fewer daily values than this (the partial month of a release) is not the
headline's month: its mean would compare a few days with a whole month a year earlier."""


@dataclass(frozen=True)
class Headline:
    """One place's latest full month against the same month a year earlier."""

    place: str
    month: pd.Timestamp
    value: float
    year_ago: float | None

    @property
    def change(self) -> float | None:
        return None if self.year_ago is None else self.value - self.year_ago

    def text(self, what: str, place_name: str, source: str) -> str:
        """ "AI share of US job postings: 5.8 % in June 2026, up from 3.0 % a year earlier —
        Indeed Hiring Lab" (percent units; ``what`` names the measure)."""
        out = f"{what} of {place_name} job postings: {self.value:.1f} % in {self.month:%B %Y}"
        if self.year_ago is not None:
            if round(self.value, 1) == round(self.year_ago, 1):
                out += f", the same as a year earlier ({self.year_ago:.1f} %)"
            else:
                way = "up" if self.value > self.year_ago else "down"
                out += f", {way} from {self.year_ago:.1f} % a year earlier"
        return f"{out} — {source}"


def headlines(monthly: pd.DataFrame) -> list[Headline]:
    """Each place's latest month with at least MIN_DAYS_FOR_MONTH values, and the same month a
    year before (None when the series does not reach back that far), highest value first.

    ``monthly``: date (month start), place_code, value, days (dashboard.queries.series).
    """
    out = []
    for place, grp in monthly.groupby("place_code", sort=False):
        full = grp[grp["days"] >= MIN_DAYS_FOR_MONTH].sort_values("date")
        if full.empty:
            continue
        last = full.iloc[-1]
        month = pd.Timestamp(last["date"])
        before = grp[pd.to_datetime(grp["date"]) == month - pd.DateOffset(years=1)]
        year_ago = float(before["value"].iloc[0]) if len(before) else None
        out.append(Headline(str(place), month, float(last["value"]), year_ago))
    return sorted(out, key=lambda h: -h.value)


def breaks_within(breaks: str | None, start: object, end: object) -> list[tuple[date, str]]:
    """The method breaks (the sources table's JSON) that fall inside [start, end]: the ones a
    chart spanning those dates must mark."""
    if not breaks:
        return []
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    found = []
    for item in json.loads(breaks):
        when = pd.Timestamp(item["date"])
        if lo <= when <= hi:
            found.append((when.date(), str(item.get("note", ""))))
    return found


def missing_series(
    places: pd.DataFrame, wanted: list[str], shown: list[str]
) -> dict[str, list[str]]:
    """place -> the wanted series its data lacks (e.g. FR has no Mathematics sector), for the
    places ``shown``. ``places``: place_code, series (dashboard.queries.series.series_places)."""
    have = places.groupby("place_code")["series"].agg(set).to_dict()
    return {
        p: [s for s in wanted if s not in have.get(p, set())]
        for p in shown
        if any(s not in have.get(p, set()) for s in wanted)
    }


def data_as_of(dates: pd.DataFrame, titles: dict[str, str] | None = None) -> str:
    """ "hiring_lab_ai_share 2026-06-30 · data_jobs 2023-12-31 · aijobs_salaries 2025 (survey
    year)": each source's latest *data* date (dashboard.queries.series.data_dates), newest first.
    Not the build time: a 2023 scrape refreshed today still holds 2023 data."""
    titles = titles or {}
    parts = []
    for row in dates.itertuples(index=False):
        if row.last_date is None or pd.isna(row.last_date):
            continue
        when = pd.Timestamp(row.last_date)
        shown = f"{when:%Y} (survey year)" if row.precision == "year" else f"{when:%Y-%m-%d}"
        parts.append(f"{titles.get(row.source, row.source)} {shown}")
    return " · ".join(parts) if parts else "no data in the store"


def newest_data_date(dates: pd.DataFrame) -> str | None:
    """The latest data date of any source ("2026-08-14"; a survey's year counts as its year),
    or None when the store holds no dated data."""
    known = [
        pd.Timestamp(r.last_date)
        for r in dates.itertuples(index=False)
        if r.last_date is not None and not pd.isna(r.last_date)
    ]
    if not known:
        return None
    newest = max(known)
    year_only = all(
        r.precision == "year"
        for r in dates.itertuples(index=False)
        if r.last_date is not None
        and not pd.isna(r.last_date)
        and pd.Timestamp(r.last_date) == newest
    )
    return f"{newest:%Y}" if year_only else f"{newest:%Y-%m-%d}"


def coverage_caption(coverage: pd.DataFrame) -> str:
    """ "Postings from data_jobs (2023-01 → 2023-12, 12 months, 32,672) and remotive (2026-06 →
    2026-07, 2 months, 35); months without postings are gaps, not zeros." """
    if coverage.empty:
        return ""
    parts = [
        f"{r.source} ({pd.Timestamp(r.first_month):%Y-%m} → {pd.Timestamp(r.last_month):%Y-%m}, "
        f"{r.months} month{'s' if r.months != 1 else ''}, {r.postings:,} postings)"
        for r in coverage.itertuples(index=False)
    ]
    return (
        "Covers postings from " + ", ".join(parts) + ". A month without postings is a gap in "
        "the line, not a zero: these sources are scrapes and live boards, not a census."
    )
