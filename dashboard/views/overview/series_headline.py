"""Overview, first lines: the AI share of all job postings for the selected countries, computed
from the long-run series (Indeed Hiring Lab) and placed before the posting-level headlines, which
cover far fewer postings and months."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import series as q
from dashboard.queries.series import AI_SHARE
from dashboard.stats.series import headlines
from dashboard.ui.context import Context
from dashboard.ui.series_charts import place_label

SHOWN = 3


def series_headline(ctx: Context) -> None:
    """'AI share of United States (US) job postings: 5.8 % in June 2026, up from 3.0 % a year
    earlier — Indeed Hiring Lab' for up to three selected places (highest share first)."""
    sources = q.series_sources(ctx.store, ctx.version).set_index("name")
    if AI_SHARE not in sources.index or not sources.at[AI_SHARE, "rows"]:
        return
    monthly = q.series_lines(*ctx.key, AI_SHARE)
    found = headlines(monthly)
    if not found:
        return
    types = dict(zip(monthly["place_code"], monthly["place_type"], strict=False))
    ordered = sorted(found, key=lambda h: (h.place != "US", -h.value))  # the largest market first
    lines = [
        h.text("AI share", place_label(h.place, types.get(h.place, "country")), "Indeed Hiring Lab")
        for h in ordered[:SHOWN]
    ]
    more = len(found) - SHOWN
    st.markdown("\n".join(f"- **{line}**" for line in lines))
    last = pd.Timestamp(sources.at[AI_SHARE, "last_date"])
    st.caption(
        "Share of *all* postings on one job site that mention AI keywords (monthly mean of daily "
        f"values; data to {last:%Y-%m-%d}; {sources.at[AI_SHARE, 'attribution']})."
        + (f" {more} more countries on the Demand page." if more > 0 else "")
        + " The figures below come from the posting sources, which cover fewer months."
    )
