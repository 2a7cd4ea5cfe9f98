"""Data page section: the series sources (aggregates such as Indeed Hiring Lab's AI share) with
their licence, attribution, data dates and status, and every source's latest data date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import series as q
from dashboard.ui.context import Context


def _status(row: pd.Series) -> str:
    if row["status"] == "withdrawn":
        since = pd.Timestamp(row["status_date"]) if pd.notna(row["status_date"]) else None
        return "withdrawn" + (f" {since:%Y-%m-%d}, frozen" if since else ", frozen")
    return "current"


def series_sources_section(ctx: Context) -> None:
    """A table of the series sources, then each source's data dates (not the build time)."""
    st.subheader("Series sources (aggregates, not postings)")
    src = q.series_sources(ctx.store, ctx.version)
    if src.empty:
        st.caption("No series source in this store.")
    else:
        table = pd.DataFrame(
            {
                "source": src["name"],
                "title": src["title"],
                "licence": src["license"],
                "attribution": src["attribution"],
                "status": [_status(r) for _, r in src.iterrows()],
                "first date": pd.to_datetime(src["first_date"]).dt.date,
                "last date": pd.to_datetime(src["last_date"]).dt.date,
                "rows": src["rows"],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            column_config={"rows": st.column_config.NumberColumn("rows", format="localized")},
        )
        st.caption(
            "A series holds values the publisher computed over all of its postings (a share, an "
            "index), one per day and place; each is replaced whole at a refresh. An index is not "
            "a count and a keyword share is not a count of AI jobs."
        )
        for row in src.itertuples(index=False):
            st.markdown(f"- **{row.title}** — {row.method} {row.description or ''}")
    dates = q.data_dates(ctx.store, ctx.version)
    if not dates.empty:
        st.markdown("**Latest data date of each source** (the store's build time is separate):")
        shown = dates.assign(
            first_date=pd.to_datetime(dates["first_date"]).dt.date,
            last_date=pd.to_datetime(dates["last_date"]).dt.date,
        )
        st.dataframe(shown, hide_index=True)
