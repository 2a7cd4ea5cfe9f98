"""The numbers behind a chart: a CSV download under it, and the caption's link to their meaning.

Every chart calls ``chart_csv`` right after drawing, with the exact rows it drew. The helper adds
a ``source`` column when the rows lack one and says in the file name what it holds. The bytes are
built by dashboard.stats.export.to_csv_bytes, the one CSV builder of the app (formula-like text is
neutralised there), and a caption under it links to the About the data page. Pages that add a
chart call it too (Demand and Compare charts do not yet). ``about_link`` is that link alone.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.stats.export import to_csv_bytes

ABOUT_PAGE = "about"
"""URL path of the About the data page (dashboard/app.py's PAGES)."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def chart_rows(rows: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """``rows`` as the CSV holds them: a ``source`` column added when missing (``source`` names
    the store's source(s) behind the chart, e.g. 'data_jobs + remotive')."""
    out = rows.reset_index(drop=True)
    if "source" not in out.columns:
        out = out.assign(source=source or "see the About the data page")
    return out


def chart_csv(
    rows: pd.DataFrame,
    what: str,
    *,
    source: str | None = None,
    key: str | None = None,
    metric: str | None = None,
) -> None:
    """A small "Download these numbers (CSV)" button for the chart just drawn, and a link to the
    About the data page (at ``metric``'s definition when given).

    ``rows``: the exact rows the chart drew, with their n; ``what``: the chart's subject (used
    for the file name and the widget key). Nothing is built when there are no rows.
    """
    if rows is None or rows.empty:
        return
    slug = _slug(what)
    st.download_button(
        "Download these numbers (CSV)",
        data=to_csv_bytes(chart_rows(rows, source)),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=key or f"csv-{slug}",
        icon=":material/download:",
        help="The rows drawn in this chart, with their n and source.",
        on_click="ignore",  # a download needs no rerun
    )
    st.caption(about_link(metric, "Sources and definitions behind this chart"))


def about_link(metric: str | None = None, text: str = "What these numbers mean") -> str:
    """Markdown link to the About the data page (at the metric's definition when given)."""
    anchor = f"#metric-{metric}" if metric else ""
    return f"[{text}]({ABOUT_PAGE}{anchor})"
