"""The global filters in the sidebar, mirrored in the URL both ways.

On a session's first run the URL is parsed (unknown or malformed values are dropped and listed in
a warning); after that the widgets are the truth and the URL is rewritten from them on every run,
so the address bar can always be shared. Widgets are addressed by key (``f_*``). The currency and
the page-owned keys (dashboard.ui.url.KEPT_KEYS) are left in the address for their owners; any
other key is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pycountry
import streamlit as st

from dashboard.queries.filters import Filters, Options
from dashboard.ui.url import KEPT_KEYS, ignored_notice, parse_query, to_query

KEYS = {
    "roles": "f_role",
    "regions": "f_region",
    "countries": "f_country",
    "seniority": "f_seniority",
    "remote": "f_remote",
    "sources": "f_source",
    "years": "f_years",
    "months": "f_months",
}
_INIT = "_filters_from_url"
_DEFAULTS = "_filters_slider_start"
_GEN = "_filters_slider_generation"
_IGNORED = "_filters_ignored"


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """'Germany (DE)'; cached, as the multiselect formats every option on every run."""
    c = pycountry.countries.get(alpha_2=code)
    return f"{getattr(c, 'common_name', None) or c.name} ({code})" if c else code


def _full(values: tuple, lo_hi: tuple | None) -> tuple | None:
    return (values[0], values[-1]) if lo_hi is None and values else lo_hi


def _write_state(f: Filters, options: Options) -> None:
    ss = st.session_state
    for attr in ("roles", "regions", "countries", "seniority", "remote", "sources"):
        ss[KEYS[attr]] = list(getattr(f, attr))
    # Range sliders take their start from ``value`` (a tuple makes them ranges); setting their
    # session state as well would log a warning, so a reset gives them a fresh key instead.
    ss[_DEFAULTS] = {
        "years": _full(options.years, f.years),
        "months": _full(options.months, f.months),
    }
    ss[_GEN] = ss.get(_GEN, 0) + 1


def _reset(options: Options) -> None:
    _write_state(Filters(), options)
    st.session_state[_IGNORED] = []


def _clear_notice() -> None:
    st.session_state[_IGNORED] = []


def _init_from_url(options: Options) -> None:
    if st.session_state.get(_INIT):
        return
    params: Mapping[str, list[str]] = {k: st.query_params.get_all(k) for k in st.query_params}
    f, ignored = parse_query(params, options)
    _write_state(f, options)
    st.session_state[_IGNORED] = ignored
    st.session_state[_INIT] = True


def slider_key(name: str) -> str:
    """The current key of the ``years`` or ``months`` slider (it changes on reset)."""
    return f"{KEYS[name]}_{st.session_state.get(_GEN, 0)}"


def _range(got: object, values: tuple) -> tuple | None:
    """The slider's range, or None when it covers everything (so the URL stays short)."""
    if not isinstance(got, tuple | list) or len(got) != 2 or len(values) < 2:
        return None
    lo, hi = got
    return None if (lo, hi) == (values[0], values[-1]) else (lo, hi)


def render(options: Options) -> Filters:
    """Draw the filters, keep the URL in step, and return the selection."""
    _init_from_url(options)
    sb = st.sidebar
    sb.header("Filters")
    ss = st.session_state
    common = {"on_change": _clear_notice}
    sb.multiselect("Role", options.roles, key=KEYS["roles"], placeholder="All roles", **common)
    sb.multiselect(
        "Region", options.regions, key=KEYS["regions"], placeholder="All regions", **common
    )
    countries = options.countries_in(ss.get(KEYS["regions"]) or [])
    ss[KEYS["countries"]] = [c for c in ss.get(KEYS["countries"], []) if c in countries]
    sb.multiselect(
        "Country",
        countries,
        key=KEYS["countries"],
        format_func=country_name,
        placeholder="All countries in the regions",
        **common,
    )
    sb.multiselect(
        "Seniority", options.seniority, key=KEYS["seniority"], placeholder="All levels", **common
    )
    start = ss.get(_DEFAULTS, {})
    months = years = None
    if len(options.months) > 1:
        months = sb.select_slider(
            "Posting months",
            options.months,
            key=slider_key("months"),
            value=start.get("months") or _full(options.months, None),
            help="Applies to job postings.",
            **common,
        )
    if len(options.years) > 1:
        years = sb.select_slider(
            "Salary-survey years",
            options.years,
            key=slider_key("years"),
            value=start.get("years") or _full(options.years, None),
            help="Applies to salary-survey records.",
            **common,
        )
    sb.multiselect("Work mode", options.remote, key=KEYS["remote"], placeholder="Any", **common)
    sb.multiselect(
        "Source", options.sources, key=KEYS["sources"], placeholder="All sources", **common
    )
    sb.button("Reset filters", key="f_reset", on_click=_reset, args=(options,), width="stretch")
    f = Filters(
        roles=tuple(ss.get(KEYS["roles"]) or ()),
        regions=tuple(ss.get(KEYS["regions"]) or ()),
        countries=tuple(ss.get(KEYS["countries"]) or ()),
        seniority=tuple(ss.get(KEYS["seniority"]) or ()),
        years=_range(years, options.years),
        months=_range(months, options.months),
        remote=tuple(ss.get(KEYS["remote"]) or ()),
        sources=tuple(ss.get(KEYS["sources"]) or ()),
    )
    wanted = to_query(f)
    current = {k: st.query_params.get_all(k) for k in st.query_params if k not in KEPT_KEYS}
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != as_lists:
        # Only the filters' own keys: the page keys may be bound to widgets (bind="query-params"),
        # which Streamlit forbids setting or deleting through st.query_params.
        for k in set(current) - set(wanted):
            del st.query_params[k]
        changed = {k: v for k, v in wanted.items() if current.get(k) != as_lists[k]}
        if changed:
            st.query_params.update(changed)
    if ss.get(_IGNORED):
        st.warning(ignored_notice(ss[_IGNORED]), icon=":material/warning:")
    return f
