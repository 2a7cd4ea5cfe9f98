"""Demand page: the caption under a posting-level chart saying which sources and months it
covers, so a line that starts in 2023 and jumps to 2026 is read as coverage, not as a trend."""

from __future__ import annotations

import streamlit as st

from dashboard.queries import series as q
from dashboard.stats.series import coverage_caption
from dashboard.ui.context import Context


def posting_coverage_note(ctx: Context) -> None:
    """One caption: each posting source in the selection with its months and postings."""
    text = coverage_caption(q.posting_coverage(*ctx.key))
    if text:
        st.caption(text)
