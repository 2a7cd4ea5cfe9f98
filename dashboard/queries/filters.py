"""The global filters as the query layer takes them: a frozen, hashable value object.

``Filters`` is one selection (every query function's third argument, part of its cache key);
``Options`` is what the store offers to filter on. Their URL form lives in dashboard/ui/url.py and
the widgets in dashboard/ui/sidebar.py. A filter left empty means "everything".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Options:
    """What the store offers to filter on (from the store, not hard-coded)."""

    roles: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[tuple[str, str], ...] = ()  # (country_code, region)
    seniority: tuple[str, ...] = ()
    remote: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    months: tuple[str, ...] = ()  # "YYYY-MM", ascending

    def countries_in(self, regions: Sequence[str]) -> tuple[str, ...]:
        """Country codes limited to the chosen regions (all when none is chosen)."""
        return tuple(c for c, r in self.countries if not regions or r in regions)


@dataclass(frozen=True)
class Filters:
    """One selection, applied to every page; hashable so queries can be cached on it."""

    roles: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    seniority: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # salary records: work year, inclusive
    months: tuple[str, str] | None = None  # postings: "YYYY-MM", inclusive
    remote: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    def by_column(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(store column, chosen values) of each list filter: the one mapping the SQL of the
        query layer and the pandas baselines both apply."""
        return (
            ("role", self.roles),
            ("region", self.regions),
            ("country_code", self.countries),
            ("seniority", self.seniority),
            ("remote", self.remote),
            ("source", self.sources),
        )

    def describe(self) -> str:
        """A short human label of the selection for chart titles ("all data" when empty)."""
        parts: list[str] = []
        for values, many in (
            (self.roles, "roles"),
            (self.regions, "regions"),
            (self.countries, "countries"),
            (self.seniority, "seniority levels"),
            (self.remote, "work modes"),
            (self.sources, "sources"),
        ):
            if values:
                parts.append(" + ".join(values) if len(values) <= 2 else f"{len(values)} {many}")
        if self.months:
            parts.append(f"{self.months[0]}…{self.months[1]}")
        if self.years:
            parts.append(f"{self.years[0]}–{self.years[1]}")
        return " · ".join(parts) if parts else "all data"


def month_bounds(months: tuple[str, str]) -> tuple[date, date]:
    """[first day of the first month, first day after the last month) for date comparisons."""
    y0, m0 = (int(x) for x in months[0].split("-"))
    y1, m1 = (int(x) for x in months[1].split("-"))
    end = date(y1 + 1, 1, 1) if m1 == 12 else date(y1, m1 + 1, 1)
    return date(y0, m0, 1), end


DEFAULT = Filters()
__all__ = ["DEFAULT", "Filters", "Options", "month_bounds"]
