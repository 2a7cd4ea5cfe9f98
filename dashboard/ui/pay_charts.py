"""Pay charts of the offer checker: the cells' middle halves with the offer marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.stats.currency import money

if TYPE_CHECKING:
    import plotly.graph_objects as go


def offer_figure(rows: pd.DataFrame, currency: str) -> go.Figure:
    """One bar per kind of pay from p25 to p75 (median ticked) and the offer as a diamond.

    ``rows``: columns pay, cell, n, p25, median, p75, offer (the offer page's table)."""
    import plotly.graph_objects as go

    data = rows.dropna(subset=["p25", "p75"])
    labels = [
        f"{p}<br><sub>{c} · n={n:,}</sub>"
        for p, c, n in zip(data["pay"], data["cell"], data["n"], strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=data["p75"] - data["p25"],
        base=data["p25"],
        orientation="h",
        name="p25–p75",
        marker_color="#9ecae1",
        hovertext=[
            f"p25 {money(a, currency)} – p75 {money(b, currency)}"
            for a, b in zip(data["p25"], data["p75"], strict=True)
        ],
        hoverinfo="text",
    )
    fig.add_scatter(
        y=labels, x=data["median"], mode="markers", name="median",
        marker={"symbol": "line-ns-open", "size": 22, "color": "#08519c"},
        hovertext=[f"median {money(v, currency)}" for v in data["median"]], hoverinfo="text",
    )  # fmt: skip
    fig.add_scatter(
        y=labels, x=data["offer"], mode="markers", name="your offer",
        marker={"symbol": "diamond", "size": 14, "color": "#d62728"},
        hovertext=[f"your offer {money(v, currency)}" for v in data["offer"]], hoverinfo="text",
    )  # fmt: skip
    fig.update_layout(
        title={"text": f"Your offer against the cells' middle half (annual, {currency})"},
        height=170 + 70 * len(data),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.45},
        barmode="overlay",
    )
    fig.update_xaxes(title_text=f"Annual gross pay ({currency})", tickformat="~s")
    return fig
