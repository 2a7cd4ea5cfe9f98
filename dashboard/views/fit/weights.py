""" "Where do you fit?": which weights a role's skills get, what postings ask for (default) or
what practitioners use (the share of the role's survey respondents using each tool). The choice
is kept in the address (?weigh=practitioners) so a shared link opens the same view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats.provenance import Provenance
from dashboard.ui.context import Context

URL_KEY = "weigh"
WIDGET = "fit_weigh"
CHOICES = {"postings": "What postings ask for", "practitioners": "What practitioners use"}


@dataclass(frozen=True)
class Weights:
    """The frequencies fit.coverage takes (role, skill, n, role_postings) and the words for them."""

    frequencies: pd.DataFrame
    kind: str  # postings | practitioners
    unit: str  # "postings" | "respondents"
    basis: str  # the sentence saying what the weights are
    provenance: Provenance  # the sources, period and n the frequencies come from
    title: str  # the coverage chart's title, in the weights' words


def _from_url() -> str:
    value = st.query_params.get(URL_KEY)
    return value if value in CHOICES else "postings"


def choose_weights(ctx: Context) -> Weights:
    """The switch (default: postings), written back to the address, and its frequencies."""
    if WIDGET not in st.session_state:
        st.session_state[WIDGET] = _from_url()
    kind = st.radio(
        "Weigh each role's skills by",
        list(CHOICES),
        format_func=CHOICES.get,
        horizontal=True,
        key=WIDGET,
        help="Postings: how often the role's job ads ask for each skill (sidebar filters apply). "
        "Practitioners: how many of the role's survey respondents use each tool (latest year of "
        "each survey; the sidebar's countries apply).",
    )
    if kind == "postings":
        if URL_KEY in st.query_params:
            del st.query_params[URL_KEY]
        return _by_postings(ctx)
    st.query_params[URL_KEY] = kind
    freq = queries.practitioners.practitioner_skill_frequencies(
        ctx.store, ctx.version, tuple(ctx.filters.countries)
    )
    if freq.empty:
        st.info("No practitioner survey in the store: the roles are weighed by postings.")
        return _by_postings(ctx)
    st.caption(
        "Each skill weighted by the share of the role's survey respondents who use it (Kaggle "
        "survey, latest year; self-selected Kaggle users). Respondents only tick the tools the "
        "survey lists, so skills it does not ask about carry no weight."
    )
    prov = queries.practitioners.practitioner_provenance(
        ctx.store, ctx.version, tuple(ctx.filters.countries)
    )
    return Weights(
        freq, kind, "respondents", "what the role's survey respondents use", prov,
        "How much of what each role's practitioners use your skills cover",
    )  # fmt: skip


def _by_postings(ctx: Context) -> Weights:
    return Weights(
        queries.skills.role_skill_frequencies(*ctx.key), "postings", "postings",
        "what the role's postings ask for", queries.sources.provenance(*ctx.key),
        "How much of what each role's postings ask for your skills cover",
    )  # fmt: skip


def relabel(table: pd.DataFrame, weights: Weights) -> pd.DataFrame:
    """A ranking or learning table worded for its weights: with practitioners' weights the counts
    are survey respondents, not postings."""
    if weights.kind == "postings":
        return table
    out = table.rename(
        columns={
            "Postings listing skills": "Respondents (survey)",
            "Postings": "Respondents (survey)",
            "Asked by": "Used by",
        }
    )
    for column in ("Used by", "Note"):
        if column in out:
            out[column] = out[column].astype(str).str.replace("postings", "respondents")
    return out
