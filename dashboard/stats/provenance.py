"""Where a chart's rows come from: which source(s), what period, how many — in one wording.

Every chart of the app says under it which sources and which period the rows it drew come from,
and their n ("all data · Kaggle job postings + Remotive · Jan–Dec 2023 · n = 32,104 postings").
The wording is built here and only here (``Provenance.text``), so it reads the same on every
page; the query layer fills a ``Provenance`` from the same filters the chart's query used
(dashboard/queries/sources.py), and dashboard/ui/download.py shows it with the chart's CSV.
Periods have month precision ("Feb 2020 – Jun 2026"), survey years year precision ("2022").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard.stats.format import count

_MONTH = "%b %Y"


def _as_date(value: object) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def period_text(first: date | None, last: date | None, yearly: bool = False) -> str:
    """The period between two dates at month precision (year precision when ``yearly``).

    "Mar 2023" (one month), "Jan–Dec 2023" (one year), "Feb 2020 – Jun 2026"; "2022" or
    "2020–2023" for survey years; "" when there are no dates.
    """
    if first is None or last is None:
        return ""
    first, last = min(first, last), max(first, last)
    if yearly:
        return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    if (first.year, first.month) == (last.year, last.month):
        return first.strftime(_MONTH)
    if first.year == last.year:
        return f"{first:%b}–{last:%b} {last.year}"
    return f"{first.strftime(_MONTH)} – {last.strftime(_MONTH)}"


@dataclass(frozen=True)
class Provenance:
    """The sources, period and n behind one chart (``text()`` is the caption under it)."""

    sources: tuple[str, ...] = ()
    first: date | None = None
    last: date | None = None
    n: int | None = None
    unit: str = "postings"
    label: str = ""
    yearly: bool = False

    @property
    def period(self) -> str:
        return period_text(self.first, self.last, self.yearly)

    @property
    def source(self) -> str:
        """The sources' human names joined by " + " ("" when none): titles hold commas
        ("Indeed Hiring Lab AI Tracker, share of …"), so a comma cannot separate them."""
        return " + ".join(self.sources)

    def text(self) -> str:
        """ "<selection> · <sources> · <period> · n = <n> <unit>", parts that are unknown left out;
        "no rows" in place of sources and period when the selection holds none."""
        parts = [self.label] if self.label else []
        if not self.sources and self.n in (None, 0):
            return " · ".join([*parts, f"no {self.unit}" if self.unit else "no rows"])
        parts += [p for p in (self.source, self.period) if p]
        if self.n is not None:
            parts.append(f"n = {count(self.n)} {self.unit}".rstrip())
        return " · ".join(parts)

    def with_(self, **changes: object) -> Provenance:
        """A copy with some fields changed (e.g. the n of a subset the chart drew)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def plus(self, other: Provenance) -> Provenance:
        """The provenance of both charts' rows together (e.g. two compared periods): sources of
        either, the period spanning both, the n summed (None when either is uncounted)."""
        firsts = [d for d in (self.first, other.first) if d is not None]
        lasts = [d for d in (self.last, other.last) if d is not None]
        n = None if self.n is None or other.n is None else self.n + other.n
        return self.with_(
            sources=tuple(dict.fromkeys(self.sources + other.sources)),
            first=min(firsts) if firsts else None,
            last=max(lasts) if lasts else None,
            n=n,
        )

    def columns(self) -> dict[str, str]:
        """The provenance columns a chart's CSV carries on every row."""
        return {"source": self.source, "period": self.period}


def from_counts(
    counts: pd.DataFrame,
    names: Mapping[str, str],
    *,
    unit: str = "postings",
    label: str = "",
    yearly: bool = False,
) -> Provenance:
    """A Provenance from one row per source: ``source``, ``first``, ``last``, ``n`` columns.

    ``names`` maps a store's source id to its human name (the sources table's title); an id
    without one is shown as is. Sources are listed by n, largest first; rows with n = 0 are
    ignored. ``n`` is None when ``counts`` has no ``n`` column (a series: values, not rows).
    """
    has_n = "n" in counts.columns
    rows = counts[counts["n"] > 0] if has_n else counts
    if has_n:
        rows = rows.sort_values(["n", "source"], ascending=[False, True])
    sources = tuple(dict.fromkeys(str(names.get(s) or s) for s in rows["source"]))
    firsts = [d for d in map(_as_date, rows["first"]) if d is not None]
    lasts = [d for d in map(_as_date, rows["last"]) if d is not None]
    return Provenance(
        sources=sources,
        first=min(firsts) if firsts else None,
        last=max(lasts) if lasts else None,
        n=int(rows["n"].sum()) if has_n else None,
        unit=unit,
        label=label,
        yearly=yearly,
    )


def from_rows(
    rows: pd.DataFrame,
    names: Mapping[str, str],
    *,
    date: str,
    n: int | None = None,
    unit: str = "postings",
    label: str = "",
    yearly: bool = False,
) -> Provenance:
    """A Provenance from the very rows a chart draws, when they carry ``source`` and a date
    column (series lines, survey answers); ``n`` given by the caller (None: not counted)."""
    if rows.empty or "source" not in rows.columns:
        return Provenance(n=n, unit=unit, label=label, yearly=yearly)
    dates = rows[date]
    if yearly and pd.api.types.is_integer_dtype(dates):
        dates = pd.to_datetime(dates.astype(str) + "-01-01")
    counts = (
        rows.assign(_d=pd.to_datetime(dates))
        .groupby("source", as_index=False)
        .agg(first=("_d", "min"), last=("_d", "max"))
    )
    return from_counts(counts, names, unit=unit, label=label, yearly=yearly).with_(n=n)
