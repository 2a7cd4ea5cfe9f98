"""Demand page section: how long live postings stay up, how many are reposts, who states pay."""

from __future__ import annotations

import streamlit as st

from dashboard.queries import lifetime as lifetime_queries
from dashboard.queries.sources import rows_provenance
from dashboard.stats import lifetime
from dashboard.stats.honesty import median_reason
from dashboard.ui import charts
from dashboard.ui.context import Context
from dashboard.ui.download import about_link, chart_csv

_BY = {"Role": "role", "Source": "source", "Country": "country_code", "Month posted": "month"}


def lifetime_section(ctx: Context) -> None:
    """Days online, share reposted and share stating pay of the live sources' postings."""
    st.subheader("How long postings stay up, and who states pay", anchor="lifetime")
    rows = lifetime_queries.live_postings(*ctx.key)
    if rows.empty:
        st.info(
            "No postings from the live job-board sources in this selection: only they record "
            "when a posting was seen (file sources are one-off scrapes)."
        )
        return
    frame = lifetime.with_lifetime(rows)
    sightings = (frame["last_seen"] != frame["first_seen"]).sum()
    st.caption(
        f"{len(frame):,} postings from the live sources "
        f"({', '.join(sorted(frame['source'].unique()))}). "
        + (
            "So far every one was seen by a single refresh: days online run from its posting "
            "date to that refresh, and most postings were still up then, so they are lower bounds. "
            if sightings == 0
            else f"{sightings:,} were seen on more than one day. "
        )
        + about_link("days_online", "Definitions")
    )
    label = st.radio("Per", list(_BY), horizontal=True, key="lifetime_by")
    by = _BY[label]
    summary = lifetime.lifetime_summary(frame, [by]).rename(columns={by: label})
    summary[label] = summary[label].fillna("unknown")
    summary["note"] = [median_reason(int(n), "postings") for n in summary["n"]]
    shown = summary.assign(
        median_days_online=summary["median_days_online"].where(summary["note"].isna())
    )
    st.plotly_chart(
        charts.ranked_bar(
            shown,
            label,
            "share_states_pay",
            f"Share of live postings stating pay, by {label.lower()}",
            ctx.label,
            "Share stating pay (%)",
            kind="percent",
            top=15,
        ),
        key="lifetime_pay_chart",
    )
    prov = rows_provenance(
        ctx.store, ctx.version, rows, date="month", n=len(rows), unit="postings", label=ctx.label
    )
    chart_csv(
        shown,
        f"live postings by {label.lower()}",
        prov,
        key="csv-lifetime",
        metric="share_states_pay",
    )
    num = st.column_config.NumberColumn
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "n": num("Postings (n)"),
            "median_days_online": num("Median days online", format="%.0f"),
            "share_still_up": num("Still up at last refresh", format="percent"),
            "share_reposted": num("Reposted", format="percent"),
            "share_states_pay": num("States pay", format="percent"),
            "note": st.column_config.TextColumn("Not shown because"),
        },
    )
