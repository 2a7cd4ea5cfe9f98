"""Demand: postings over time per role, where, at what level, how remote."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.stats.format import count, percent
from dashboard.stats.text import plain
from dashboard.ui import charts
from dashboard.ui.context import Context, empty_state
from dashboard.ui.sidebar import country_name
from dashboard.views.demand.ai_share import ai_share_section
from dashboard.views.demand.coverage import posting_coverage_note
from dashboard.views.demand.lifetime import lifetime_section
from dashboard.views.demand.long_view import long_view_section


def _sources_note(ctx: Context) -> None:
    src = queries.sources.sources_table(ctx.store, ctx.version)
    notes = src[(src["kind"] == "postings") & src["description"].notna()]
    if not notes.empty:
        with st.expander("What these postings are (and are not)"):
            for row in notes.itertuples(index=False):
                st.markdown(f"**{plain(row.title or row.name)}** — {plain(row.description, 600)}")
            st.caption(
                "Posting counts follow what the sources collected, not total hiring: "
                "a salaried-only subset over-represents roles that advertise pay."
            )


def render(ctx: Context) -> None:
    st.title("Demand")
    long_view_section(ctx)
    _sources_note(ctx)
    monthly = queries.demand.postings_by_month(*ctx.key)
    if monthly.empty:
        empty_state("postings", ctx.filters)
    else:
        mode = st.segmented_control(
            "Show", ["Postings", "Share of all postings"], default="Postings", key="demand_mode"
        )
        share = mode == "Share of all postings"
        top = monthly.groupby("role")["n"].sum().nlargest(8).index
        data = charts.with_month_gaps(
            monthly[monthly["role"].isin(top)], "month", "share" if share else "n", "role"
        )
        st.plotly_chart(
            charts.lines_over_time(
                data,
                "month",
                "share" if share else "n",
                "role",
                "Job postings per month by role" + (" (share of all postings)" if share else ""),
                ctx.label + ("" if len(top) == monthly["role"].nunique() else " · top 8 roles"),
                "Share of the month's postings (%)" if share else "Postings per month",
                kind="percent" if share else "count",
            )
        )
        posting_coverage_note(ctx)

        by_country = queries.demand.postings_by_country(*ctx.key)
        left, right = st.columns([3, 2])
        with left:
            if by_country.empty:
                empty_state("postings with a known country", ctx.filters)
            else:
                st.plotly_chart(charts.choropleth(by_country, "Job postings by country", ctx.label))
                st.caption(
                    "Map outlines load from Plotly's CDN in your browser; the ranked bars below "
                    "hold the same numbers."
                )
        with right:
            region = queries.demand.postings_by(*ctx.key, "region").dropna(subset=["value"])
            if not region.empty:
                st.plotly_chart(
                    charts.ranked_bar(
                        region, "value", "n", "Job postings by region", ctx.label, "Postings"
                    )
                )
        if not by_country.empty:
            st.plotly_chart(
                charts.ranked_bar(
                    by_country.assign(
                        country_code=[country_name(c) for c in by_country["country_code"]]
                    ),
                    "country_code",
                    "n",
                    "Top 15 countries by job postings",
                    ctx.label,
                    "Postings",
                    top=15,
                )
            )
        left, right = st.columns(2)
        with left:
            sen = queries.demand.postings_by(*ctx.key, "seniority")
            st.plotly_chart(
                charts.ranked_bar(
                    sen, "value", "n", "Job postings by seniority", ctx.label, "Postings"
                )
            )
        with right:
            remote = queries.demand.postings_by(*ctx.key, "remote")
            known = remote[remote["value"] != "unknown"]
            share = known.loc[known["value"] == "remote", "n"].sum() / max(known["n"].sum(), 1)
            st.metric(
                "Remote share (where stated)",
                percent(share),
                help=f"{count(known['n'].sum())} postings state the work mode.",
            )
            st.plotly_chart(
                charts.ranked_bar(
                    remote,
                    "value",
                    "share",
                    "Job postings by work mode",
                    ctx.label,
                    "Share of postings (%)",
                    kind="percent",
                )
            )

    ai_share_section(ctx)
    lifetime_section(ctx)

    st.subheader("Salary-survey records per year (not postings)")
    st.caption("A separate series: survey respondents per work year, not job postings.")
    years = queries.demand.salary_records_by_year(*ctx.key)
    if years.empty:
        empty_state("salary records", ctx.filters)
    else:
        st.plotly_chart(
            charts.lines_over_time(
                years.assign(year=years["year"].astype(str)),
                "year",
                "n",
                None,
                "Salary-survey records per work year",
                ctx.label,
                "Records",
            )
        )
