"""Demand page section: the AI share of postings over time, by region and by country."""

from __future__ import annotations

import streamlit as st

from dashboard.queries import demand, sources
from dashboard.stats.ai_share import ai_definition, monthly_points
from dashboard.stats.format import count, percent
from dashboard.stats.honesty import keep_enough, thresholds
from dashboard.ui import charts
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.ui.sidebar import country_name


def ai_share_section(ctx: Context) -> None:
    """Demand page: AI share over time, by region and by country, with the definition and n."""
    st.subheader("AI share of job postings")
    monthly = demand.ai_share_by_month(*ctx.key)
    if monthly.empty:
        empty_state("postings", ctx.filters)
        return
    t = thresholds()
    chart, words = st.columns([3, 1])
    with words:
        st.markdown(ai_definition())
        total_n, total_ai = int(monthly["n"].sum()), int(monthly["ai"].sum())
        st.metric("AI share of the selection", percent(total_ai / total_n),
                  help=f"{count(total_ai)} of {count(total_n)} postings.")  # fmt: skip
        st.caption(
            f"By title: {count(monthly['by_title'].sum())} · by skills only: "
            f"{count(monthly['by_skills'].sum())}. Grey bars: the postings behind each point."
        )
    points = monthly_points(monthly, t)
    prov = sources.provenance(*ctx.key)
    with chart:
        if points["share"].isna().all():
            st.info(f"Every month has fewer than {t.min_n_median} postings — widen the filters.")
        else:
            st.plotly_chart(charts.ai_share_figure(points, ctx.label))
            chart_csv(points, "ai share by month", prov, key="csv-ai-share-month")
        thin = int(((points["note"] != "") & (points["n"] > 0)).sum())
        if thin:
            st.caption(
                f"Share hidden for {thin} month(s) with fewer than {t.min_n_median} postings "
                "(honesty policy); gaps are months without postings."
            )
    left, right = st.columns(2)
    for col, dim, what in (
        (left, "region", "AI share by region"),
        (right, "country_code", "AI share by country (top 15 by postings)"),
    ):
        with col:
            frame, dropped = keep_enough(demand.ai_share_by(*ctx.key, dim), t)
            if dim == "country_code":
                frame = frame.head(15).assign(value=lambda d: d["value"].map(country_name))
            if frame.empty:
                empty_state(f"places with {t.min_n_median}+ postings", ctx.filters)
            else:
                st.plotly_chart(charts.ai_share_bars(frame, what, ctx.label))
                chart_csv(
                    frame.rename(columns={"value": dim}),
                    what,
                    prov.with_(n=int(frame["n"].sum())),
                    key=f"csv-ai-share-{dim}",
                )
            if dropped:
                st.caption(
                    f"{dropped} with fewer than {t.min_n_median} postings not shown "
                    "(honesty policy)."
                )
