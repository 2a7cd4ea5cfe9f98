"""Plotly figures of aggregate series (shares of postings, indices): DataFrame in, Figure out.

One line per place (or per series), a vertical marker at every method break the chart crosses,
and, for a withdrawn series, a note that the line is frozen at the publisher's last copy.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.ui.charts import title
from dashboard.ui.sidebar import country_name
from etl.series import aggregate_names

if TYPE_CHECKING:
    import plotly.graph_objects as go


def place_label(code: str, place_type: str) -> str:
    """A place's name: 'Germany (DE)', or 'Euro area (EA, group of countries)'."""
    if place_type == "aggregate":
        return f"{aggregate_names().get(code, code)} ({code}, group of countries)"
    return country_name(code)


UNIT_AXIS = {
    "percent_of_postings": "% of all postings",
    "index_2020_02_01_eq_100": "Index, 1 Feb 2020 = 100",
}


def series_figure(
    df: pd.DataFrame,
    color: str,
    what: str,
    selection: str,
    unit: str,
    breaks: list[tuple[date, str]] | None = None,
    frozen: str | None = None,
    dash: str | None = None,
) -> go.Figure:
    """Lines of ``value`` over ``date``, one per ``color`` value (a place name or a series).

    ``breaks``: (date, note) marked with a dotted vertical line; ``frozen``: a note drawn over the
    plot (a withdrawn series); ``dash``: a column whose values get their own dash style.
    """
    import plotly.express as px

    data = df.sort_values([color, "date"])
    fmt = "%{y:.2f} %" if unit == "percent_of_postings" else "%{y:.1f}"
    fig = px.line(data, x="date", y="value", color=color, line_dash=dash)
    fig.update_traces(hovertemplate=f"%{{fullData.name}}: {fmt}<br>%{{x|%b %Y}}<extra></extra>")
    fig.update_yaxes(title_text=UNIT_AXIS.get(unit, unit), rangemode="tozero")
    fig.update_xaxes(title_text="")
    if unit == "index_2020_02_01_eq_100":
        fig.add_hline(y=100, line_width=1, line_color="grey", opacity=0.5)
    for when, note in breaks or []:
        stamp = pd.Timestamp(when).timestamp() * 1000  # plotly wants epoch ms for a date axis
        fig.add_vline(x=stamp, line_dash="dot", line_color="firebrick")
        fig.add_annotation(
            x=stamp, y=1, yref="paper", text="method break", showarrow=False,
            xanchor="left", font={"color": "firebrick", "size": 11}, hovertext=note,
        )  # fmt: skip
    if frozen:
        fig.add_annotation(
            x=0.01, y=0.98, xref="paper", yref="paper", text=frozen, showarrow=False,
            xanchor="left", yanchor="top", font={"color": "firebrick"},
            bgcolor="rgba(255,255,255,0.8)",
        )  # fmt: skip
    heading = title(what, selection)  # wrapped: a phone shows the whole subtitle
    lines = heading["text"].count("<br>") + 1
    fig.update_layout(
        title=heading,
        height=420 + 18 * max(lines - 2, 0),
        margin={"l": 10, "r": 10, "t": 40 + 20 * lines, "b": 10},
        legend_title_text="",
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},  # phones keep the plot
    )
    return fig
