"""What every page shares: the context the router hands over, the demo banner, empty states."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from dashboard.queries.filters import Filters, Options

CTX_KEY = "ctx"
DEMO_BANNER = (
    "**Demo data — generated, not real.** To load real data: `make run` with `AIJOBS_MIRROR` set "
    "to a folder of the sources, or `python -m etl refresh --mirror ../shared/data`, then reload."
)


@dataclass(frozen=True)
class Context:
    """The store and the selection a page renders (set by dashboard/app.py on every run)."""

    store: str
    version: str
    filters: Filters
    options: Options
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, Filters]:
        """The first three arguments of every query function."""
        return (self.store, self.version, self.filters)

    @property
    def label(self) -> str:
        return self.filters.describe()


def context() -> Context:
    """The current page context; stops the page politely if the router did not set one."""
    ctx = st.session_state.get(CTX_KEY)
    if not isinstance(ctx, Context):
        st.info("Open the dashboard through `streamlit run dashboard/app.py`.")
        st.stop()
    return ctx


def empty_message(what: str, f: Filters) -> str:
    """ "No postings for Oceania + Executive — widen the filters." (or "…in the store.")."""
    parts = [*f.regions, *f.countries, *f.roles, *(s.capitalize() for s in f.seniority)]
    parts += [r.capitalize() for r in f.remote] + list(f.sources)
    if f.months:
        parts.append(f"{f.months[0]}…{f.months[1]}")
    if f.years:
        parts.append(f"{f.years[0]}–{f.years[1]}")
    if not parts:
        return f"No {what} in the store yet — build or refresh it (see the Data page)."
    shown = " + ".join(parts[:4]) + (" + …" if len(parts) > 4 else "")
    return f"No {what} for {shown} — widen the filters."


def empty_state(what: str, f: Filters) -> None:
    st.info(empty_message(what, f), icon=":material/search_off:")
