"""The "About the data" page: every source, what it measures and not, coverage, licences, biases,
and every metric's definition (chart captions link to ``#metric-<key>``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import about as about_queries
from dashboard.queries import sources as source_queries
from dashboard.queries.sources import rows_provenance
from dashboard.ui.charts import wrap
from dashboard.ui.context import Context
from dashboard.ui.download import chart_csv


def coverage_labels(cov: pd.DataFrame) -> pd.Series:
    """A row label per source: its name over its kind in small type ("aijobs_salaries<br>
    <sup>salary records</sup>"), so on a phone the labels leave the grid most of the width."""
    return cov["source"] + "<br><sup>" + cov["kind"] + "</sup>"


def _coverage_figure(cov: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Year x source heatmap of rows (log colour: a 30k scrape and a 4-posting board both show)."""
    import numpy as np
    import plotly.graph_objects as go

    grid = cov.pivot_table(index="label", columns="period", values="rows", aggfunc="sum")
    grid = grid.reindex(columns=sorted(grid.columns))
    text = grid.map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
    fig = go.Figure(
        go.Heatmap(
            z=np.log10(grid.to_numpy(dtype="float64")),
            x=list(grid.columns),
            y=list(grid.index),
            customdata=text.to_numpy(),
            hovertemplate="%{y} · %{x}: %{customdata} rows<extra></extra>",
            colorscale="Blues",
            showscale=False,
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        title={"text": wrap("What the store covers: rows per source and period")},
        height=140 + 40 * len(grid.index),
        margin={"l": 10, "r": 10, "t": 70, "b": 40},
    )
    fig.update_xaxes(type="category", title_text="Year")
    fig.update_yaxes(tickfont={"size": 11})
    return fig


def render(ctx: Context) -> None:
    st.title("About the data")
    notes = about_queries.about_notes()
    st.markdown(
        "What each source is, what it can and cannot tell you, what the store covers, and what "
        "every number on the other pages means. Every chart's caption links here."
    )
    st.header("Sources", anchor="sources")
    sources = source_queries.sources_table(ctx.store, ctx.version)
    extra = notes.get("sources") or {}
    for row in sources.itertuples(index=False):
        st.subheader(str(row.title or row.name), anchor=f"source-{row.name}")
        note = extra.get(row.name) or {}
        lines = [
            f"- **Name in the store:** `{row.name}` ({row.kind})",
            f"- **Licence and attribution:** {row.license or 'not stated'}",
            f"- **Where from:** {row.url or 'not stated'}",
        ]
        if note.get("measures"):
            lines.append(f"- **Measures:** {note['measures']}")
        if note.get("does_not_measure"):
            lines.append(f"- **Does not measure:** {note['does_not_measure']}")
        if row.description:
            lines.append(f"- **Known biases:** {row.description}")
        st.markdown("\n".join(lines))
    st.header("Coverage: time × source", anchor="coverage")
    cov = about_queries.coverage(ctx.store, ctx.version)
    if cov.empty:
        st.info("The store holds no rows yet.")
    else:
        cov = cov.assign(label=coverage_labels(cov))
        st.plotly_chart(_coverage_figure(cov), key="about_coverage")
        st.caption("Rows in the whole store (the sidebar filters do not apply here).")
        prov = rows_provenance(
            ctx.store, ctx.version, cov, date="period", n=int(cov["rows"].sum()), unit="rows",
            label="whole store", yearly=True,
        )  # fmt: skip
        chart_csv(
            cov.drop(columns="label"), "coverage by source and period", prov, key="csv-coverage"
        )
    st.header("Known biases", anchor="biases")
    st.markdown("\n".join(f"- {b}" for b in notes.get("biases") or []))
    st.header("Metric definitions", anchor="metrics")
    for key, metric in (notes.get("metrics") or {}).items():
        st.subheader(str(metric.get("name", key)), anchor=f"metric-{key}")
        st.markdown(str(metric.get("definition", "")))
