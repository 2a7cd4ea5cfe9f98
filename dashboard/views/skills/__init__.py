"""Skills: what postings ask for, per role and over time, what goes together, what pays."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats.honesty import hide_thin, n_of, thresholds
from dashboard.stats.role_skills import own_top_skills
from dashboard.ui import charts
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.ui.state import first_default, keep
from dashboard.ui.tabs import open_tabs
from dashboard.views.skills.movers import movers_section
from dashboard.views.skills.premium import premium_section

HEAT_ROLES = 6
"""Roles in the role × skill heatmap when the sidebar picks none: the most-posted ones."""


def _trend_lines(trend: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The trend's monthly lines with gaps, thin months hidden, each point's n for its hover.

    ``trend`` as from queries.skills.skill_trend (month, skill, n, share of that month's
    postings): the month's total is n / share.
    """
    data = trend.assign(total=(trend["n"] / trend["share"]).round())
    data = charts.with_month_gaps(data, "month", "share", "skill", per_month=("total",))
    data, hidden = hide_thin(data, "share", "total")
    data["_n"] = n_of((data["share"] * data["total"]).round(), data["total"])
    return data, hidden


def _heatmap(ctx: Context, top_n: int) -> None:
    """Role × skill shares: the chosen roles' own top skills as columns."""
    counts = queries.skills.role_skill_profile(*ctx.key, tuple(ctx.options.roles))
    if counts.empty:
        empty_state("postings with skills and a role", ctx.filters)
        return
    by_size = counts.groupby("role")["role_postings"].max().sort_values(ascending=False)
    default = [r for r in ctx.filters.roles if r in by_size.index] or list(
        by_size.index[:HEAT_ROLES]
    )
    roles = st.multiselect(
        "Roles in the heatmap",
        list(by_size.index),
        default=first_default("heat", default),
        key="heat",
        bind="query-params",
        help="Its columns are these roles' own most asked-for skills.",
    )
    if not roles:
        st.info("Pick at least one role for the heatmap.")
        return
    skills = own_top_skills(counts, roles, top_n)
    chosen = counts[counts["role"].isin(roles) & counts["skill"].isin(skills)]
    st.plotly_chart(
        charts.heatmap(
            chosen,
            "role",
            "skill",
            "share",
            "Share of each role's postings asking for each skill",
            ctx.label + " · columns: these roles' own top skills",
            columns=skills,
        )
    )
    prov = queries.sources.provenance(ctx.store, ctx.version, ctx.filters.with_(roles=tuple(roles)))
    chart_csv(chosen, "skill share by role", prov, key="csv-skills-heatmap", metric="skill_share")


def _top(ctx: Context, top: pd.DataFrame, top_n: int) -> None:
    """The most asked-for skills as a ranked bar, each bar's n in its hover."""
    st.plotly_chart(
        charts.ranked_bar(
            top.assign(_n=n_of(top["n"], (top["n"] / top["share"]).round())),
            "skill",
            "share",
            f"Top {top_n} skills by share of postings",
            ctx.label,
            "Share of postings asking for it (%)",
            kind="percent",
            color="category",
            top=top_n,
            n="_n",
        )
    )
    prov = queries.sources.provenance(*ctx.key)
    chart_csv(
        top, "top skills by share of postings", prov, key="csv-skills-top", metric="skill_share"
    )


def _trend(ctx: Context, top: pd.DataFrame) -> None:
    """Chosen top skills' monthly share of postings."""
    skills = top["skill"].tolist()
    chosen = st.multiselect(
        "Skill trend for",
        skills,
        default=first_default("trend", skills[:3]),
        key="trend",
        bind="query-params",
    )
    trend = queries.skills.skill_trend(*ctx.key, tuple(chosen))
    if trend.empty:
        if chosen:
            empty_state(f"months with postings asking for {', '.join(chosen)}", ctx.filters)
        else:
            st.info("Pick at least one skill for the trend.")
        return
    data, hidden = _trend_lines(trend)
    st.plotly_chart(
        charts.lines_over_time(
            data,
            "month",
            "share",
            "skill",
            "Share of postings asking for the skill, by month",
            ctx.label,
            "Share of the month's postings (%)",
            kind="percent",
            n="_n",
        )
    )
    if hidden:
        st.caption(
            f"Hidden: {hidden} point(s) in months with fewer than "
            f"{thresholds().min_n_median} postings in all (honesty policy)."
        )
    prov = queries.sources.provenance(*ctx.key)
    chart_csv(trend, "skill share by month", prov, key="csv-skills-trend", metric="skill_share")


def _together(ctx: Context, top: pd.DataFrame) -> None:
    """The skills most often asked for together with one of the top skills."""
    anchor = st.selectbox(
        "Skills that go with", top["skill"].tolist(), key="with", bind="query-params"
    )
    co = queries.skills.cooccurring(*ctx.key, anchor, 15)
    if co.empty:
        empty_state(f"postings asking for {anchor} and another skill", ctx.filters)
        return
    st.plotly_chart(
        charts.ranked_bar(
            co,
            "skill",
            "share",
            f"Skills asked for together with {anchor}",
            ctx.label,
            f"Share of the {anchor} postings (%)",
            kind="percent",
        )
    )
    prov = queries.sources.provenance(*ctx.key)
    chart_csv(co.assign(with_skill=anchor), f"skills with {anchor}", prov, key="csv-skills-co")


KEPT = ("heat", "trend", "with", "prem_role", "prem_skill", "movers_role")
"""The tabs' widgets whose choices outlive a look at another tab."""


def render(ctx: Context) -> None:
    st.title("Skills")
    keep(KEPT)
    top_n = st.slider("Skills to show", 5, 30, 15, key="top", bind="query-params")
    top = queries.skills.top_skills(*ctx.key, top_n)
    if top.empty:
        empty_state("postings with skills", ctx.filters)
        return
    # one tab per section, only the open one computed: a view costs the top skills and its own
    sections = {
        "Top skills": lambda: _top(ctx, top, top_n),
        "By role": lambda: _heatmap(ctx, top_n),
        "Over time": lambda: _trend(ctx, top),
        "Asked together": lambda: _together(ctx, top),
        "Pay premium": lambda: premium_section(ctx, top["skill"].tolist()),
        "Movers": lambda: movers_section(ctx),
    }
    for label, tab in open_tabs(list(sections)):
        with tab:
            sections[label]()
