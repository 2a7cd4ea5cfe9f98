"""Under every chart: where its rows come from, the numbers as a CSV, and a link to their meaning.

Every chart calls ``chart_csv`` right after drawing, with the exact rows it drew and their
``Provenance`` (dashboard/stats/provenance.py: sources, period, n, filled by the query layer).
One call draws the provenance caption AND the CSV button, so no chart has one without the other;
the CSV's rows carry ``source`` and ``period`` columns (added when missing). The bytes are built
by dashboard.stats.export.to_csv_bytes, the one CSV builder of the app (formula-like text is
neutralised there), and the caption links to the About the data page. ``about_link`` is that
link alone.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.stats.export import to_csv_bytes
from dashboard.stats.provenance import Provenance
from dashboard.stats.text import plain

ABOUT_PAGE = "about"
"""URL path of the About the data page (dashboard/app.py's PAGES)."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def chart_rows(rows: pd.DataFrame, prov: Provenance) -> pd.DataFrame:
    """``rows`` as the CSV holds them: ``source`` and ``period`` columns from ``prov`` added when
    the rows lack them."""
    out = rows.reset_index(drop=True)
    extra = {k: v for k, v in prov.columns().items() if k not in out.columns}
    return out.assign(**extra)


def provenance_caption(prov: Provenance, metric: str | None = None) -> str:
    """The caption under a chart: its provenance as plain text, then the About link."""
    return f"{plain(prov.text(), 400)} · {about_link(metric, 'Sources and definitions')}"


def chart_csv(
    rows: pd.DataFrame,
    what: str,
    prov: Provenance,
    *,
    key: str | None = None,
    metric: str | None = None,
) -> None:
    """The provenance caption of the chart just drawn and a small "Download these numbers
    (CSV)" button for it (the caption links to the About page, at ``metric``'s definition).

    ``rows``: the exact rows the chart drew, with their n; ``what``: the chart's subject (used
    for the file name and the widget key). No button when there are no rows.
    """
    st.caption(provenance_caption(prov, metric))
    if rows is None or rows.empty:
        return
    slug = _slug(what)
    st.download_button(
        "Download these numbers (CSV)",
        data=to_csv_bytes(chart_rows(rows, prov)),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=key or f"csv-{slug}",
        icon=":material/download:",
        help="The rows drawn in this chart, with their n, source and period.",
        on_click="ignore",  # a download needs no rerun
    )


def about_link(metric: str | None = None, text: str = "What these numbers mean") -> str:
    """Markdown link to the About the data page (at the metric's definition when given)."""
    anchor = f"#metric-{metric}" if metric else ""
    return f"[{text}]({ABOUT_PAGE}{anchor})"
