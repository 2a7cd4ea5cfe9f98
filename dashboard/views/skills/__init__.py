"""Skills: what postings ask for, per role and over time, what goes together, what pays."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.ui import charts
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.views.skills.movers import movers_section
from dashboard.views.skills.premium import premium_section


def render(ctx: Context) -> None:
    st.title("Skills")
    top_n = st.slider("Skills to show", 5, 30, 15, key="skills_top")
    top = queries.skills.top_skills(*ctx.key, top_n)
    if top.empty:
        empty_state("postings with skills", ctx.filters)
        return
    st.plotly_chart(
        charts.ranked_bar(
            top,
            "skill",
            "share",
            f"Top {top_n} skills by share of postings",
            ctx.label,
            "Share of postings asking for it (%)",
            kind="percent",
            color="category",
            top=top_n,
        )
    )
    chart_csv(top, "top skills by share of postings", key="csv-skills-top", metric="skill_share")

    by_role = queries.skills.skill_shares_by_role(*ctx.key, top_n)
    st.plotly_chart(
        charts.heatmap(
            by_role,
            "role",
            "skill",
            "share",
            "Share of each role's postings asking for each skill",
            ctx.label,
        )
    )
    chart_csv(by_role, "skill share by role", key="csv-skills-heatmap", metric="skill_share")

    skills = top["skill"].tolist()
    chosen = st.multiselect("Skill trend for", skills, default=skills[:3], key="skills_trend")
    trend = queries.skills.skill_trend(*ctx.key, tuple(chosen))
    if not trend.empty:
        st.plotly_chart(
            charts.lines_over_time(
                charts.with_month_gaps(trend, "month", "share", "skill"),
                "month",
                "share",
                "skill",
                "Share of postings asking for the skill, by month",
                ctx.label,
                "Share of the month's postings (%)",
                kind="percent",
            )
        )
        chart_csv(trend, "skill share by month", key="csv-skills-trend", metric="skill_share")

    anchor = st.selectbox("Skills that go with", skills, key="skills_anchor")
    co = queries.skills.cooccurring(*ctx.key, anchor, 15)
    if co.empty:
        empty_state(f"postings asking for {anchor} and another skill", ctx.filters)
    else:
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
        chart_csv(co.assign(with_skill=anchor), f"skills with {anchor}", key="csv-skills-co")
    premium_section(ctx, skills)
    movers_section(ctx)
