"""The global filters in the address bar: their URL form, and parsing an address back safely.

The address holds only what differs from "everything", so a shared link reopens the same view.
Two kinds of keys live in it:

- the global filters (``URL_KEYS``), owned by this module and the sidebar, which rewrites them on
  every run;
- the pay currency (``CURRENCY_KEY``, ?cur=), global like the filters but owned by its own
  sidebar box (dashboard/ui/currency.py), which rewrites it on every run of every page, so it
  survives navigation between pages;
- page-owned keys (``PAGE_KEYS``), read and written by the page they belong to (``skill`` and
  ``weigh`` by "Where do you fit?", ``a`` and ``b`` by Compare roles, ``freq`` by Demand). The
  filters leave them alone: they are neither parsed, nor reported as unknown, nor dropped. A page
  that adds a key declares it there.

Any other key is reported as ignored and dropped from the address. Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from dashboard.queries.filters import Filters, Options
from dashboard.stats.text import plain, shorten
from etl.contract import REMOTE_CODES, SENIORITY_CODES

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

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
PAGE_KEYS: tuple[str, ...] = (
    "skill", "weigh", "a", "b",  # Where do you fit?, Compare (a, b: role pickers, bound)
    "freq",  # Demand: daily values of the long-run series
    "ma", "mb",  # Skills: the skill movers' periods
    "pay", "pay_cur", "per", "orole", "olevel", "oplace",  # Is this offer good? (on Share only)
    "paykind",  # Salary, Compare roles: survey-reported or advertised pay
    "tab",  # Salary, Skills: the open tab (only it is computed)
    "show",  # Demand: postings or share of all postings
    "top", "trend", "with", "heat",  # Skills: top N, trend skills, companions of, heatmap roles
)  # fmt: skip
"""Keys a page reads and writes itself (see the module docstring); never global filter keys.
Most are the keys of widgets bound to the address (``bind="query-params"``): Streamlit restores
and validates them, and this module leaves them alone. Widget keys are shared by all pages of a
session, so one key never names two different things."""
CURRENCY_KEY = "cur"
"""The pay currency's key (a currency code; absent means USD), global to every page."""
KEPT_KEYS: tuple[str, ...] = (CURRENCY_KEY, *PAGE_KEYS)
"""Keys the filters neither parse, nor report, nor drop: the currency and the page keys."""
MAX_NOTICES = 5
"""At most this many "ignored" notices are listed (then "and N more")."""


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
    stale link still opens, and the caller shows the returned notices. The currency and the
    page-owned keys (``KEPT_KEYS``) are skipped: their owners read them.
    """
    ignored: list[str] = []
    kwargs: dict[str, object] = {}
    for key, values in params.items():
        if key in KEPT_KEYS:
            continue
        values = [v for v in values if v is not None]
        if key in _LIST_KEYS:
            allowed = _allowed(key, options)
            keep = tuple(dict.fromkeys(v for v in values if v in allowed))
            bad = [v for v in values if v not in allowed]
            if bad:
                shown = ", ".join(f"“{shorten(b, 40)}”" for b in bad[:3])
                more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
                ignored.append(f"{key}={shown}{more} (not in the data)")
            kwargs[_LIST_KEYS[key]] = keep
        elif key in ("years", "months"):
            raw = values[-1] if values else ""
            if key == "years":
                got = _range(raw, int, options.years)
            else:
                got = _range(raw, _month, options.months)
            if got is None:
                ignored.append(f"{key}=“{shorten(raw, 40)}” (expected from..to within the data)")
            else:
                kwargs[key] = got
        else:
            ignored.append(f"“{shorten(key, 40)}” (unknown parameter)")
    f = Filters(**kwargs)  # type: ignore[arg-type]
    if f.countries and f.regions:
        allowed_c = set(options.countries_in(f.regions))
        outside = [c for c in f.countries if c not in allowed_c]
        if outside:
            ignored.append(f"country={', '.join(outside)} (outside the chosen regions)")
            f = f.with_(countries=tuple(c for c in f.countries if c in allowed_c))
    return f, ignored


def ignored_notice(ignored: Sequence[str]) -> str:
    """The warning about what a link held that was ignored, safe to render as Markdown: every
    notice (which quotes the link's own text) shortened and escaped, at most MAX_NOTICES listed."""
    shown = "; ".join(plain(n, 120) for n in ignored[:MAX_NOTICES])
    more = len(ignored) - MAX_NOTICES
    return "Ignored in the link: " + shown + (f"; and {more} more" if more > 0 else "")


__all__ = [
    "CURRENCY_KEY",
    "KEPT_KEYS",
    "PAGE_KEYS",
    "URL_KEYS",
    "ignored_notice",
    "parse_query",
    "to_query",
]
