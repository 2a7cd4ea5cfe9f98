"""The global filters: a frozen value object, its URL form, and parsing the URL back safely.

Pure functions only (the sidebar widgets live in dashboard/sidebar.py). A filter left empty means
"everything"; the URL holds only what differs from that, so a shared link reopens the same view.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from etl.contract import REMOTE_CODES, SENIORITY_CODES

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


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


# URL keys. Lists are repeated keys (?role=A&role=B); ranges are "from..to".
_LIST_KEYS: dict[str, str] = {
    "role": "roles",
    "region": "regions",
    "country": "countries",
    "seniority": "seniority",
    "remote": "remote",
    "source": "sources",
}
URL_KEYS: tuple[str, ...] = (*_LIST_KEYS, "years", "months")


def to_query(f: Filters) -> dict[str, list[str] | str]:
    """The URL query of a selection (only the filters that are set)."""
    out: dict[str, list[str] | str] = {}
    for key, attr in _LIST_KEYS.items():
        values = getattr(f, attr)
        if values:
            out[key] = list(values)
    if f.years:
        out["years"] = f"{f.years[0]}..{f.years[1]}"
    if f.months:
        out["months"] = f"{f.months[0]}..{f.months[1]}"
    return out


def _allowed(key: str, options: Options) -> set[str]:
    return {
        "role": set(options.roles),
        "region": set(options.regions),
        "country": {c for c, _ in options.countries},
        "seniority": set(options.seniority) | set(SENIORITY_CODES),
        "remote": set(options.remote) | set(REMOTE_CODES),
        "source": set(options.sources),
    }[key]


def _range(raw: str, parse, allowed: Sequence) -> tuple | None:  # type: ignore[no-untyped-def]
    parts = raw.split("..")
    if len(parts) != 2:
        return None
    try:
        lo, hi = parse(parts[0].strip()), parse(parts[1].strip())
    except ValueError:
        return None
    if lo > hi or lo not in allowed or hi not in allowed:
        return None
    return (lo, hi)


def _month(text: str) -> str:
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(text)
    return text


def parse_query(params: Mapping[str, Sequence[str]], options: Options) -> tuple[Filters, list[str]]:
    """Filters from URL query values (key -> all its values) and what was ignored, in words.

    Unknown keys, unknown values and malformed ranges are dropped, never raised: a hand-edited or
    stale link still opens, and the caller shows the returned notices.
    """
    ignored: list[str] = []
    kwargs: dict[str, object] = {}
    for key, values in params.items():
        values = [v for v in values if v is not None]
        if key in _LIST_KEYS:
            allowed = _allowed(key, options)
            keep = tuple(dict.fromkeys(v for v in values if v in allowed))
            bad = [v for v in values if v not in allowed]
            if bad:
                ignored.append(f"{key}={', '.join(repr(b) for b in bad)} (not in the data)")
            kwargs[_LIST_KEYS[key]] = keep
        elif key in ("years", "months"):
            raw = values[-1] if values else ""
            if key == "years":
                got = _range(raw, int, options.years)
            else:
                got = _range(raw, _month, options.months)
            if got is None:
                ignored.append(f"{key}={raw!r} (expected from..to within the data)")
            else:
                kwargs[key] = got
        else:
            ignored.append(f"{key} (unknown parameter)")
    f = Filters(**kwargs)  # type: ignore[arg-type]
    if f.countries and f.regions:
        allowed_c = set(options.countries_in(f.regions))
        outside = [c for c in f.countries if c not in allowed_c]
        if outside:
            ignored.append(f"country={', '.join(outside)} (outside the chosen regions)")
            f = f.with_(countries=tuple(c for c in f.countries if c in allowed_c))
    return f, ignored


DEFAULT = Filters()
__all__ = ["DEFAULT", "URL_KEYS", "Filters", "Options", "month_bounds", "parse_query", "to_query"]
