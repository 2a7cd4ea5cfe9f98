"""Page sections for the insights: the AI share of postings (Demand) and honest premiums (Skills).

Each page calls one function here, so the pages stay short and the definitions shown next to the
numbers live in one place. Figures are built by the pure ``*_figure`` functions.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts
from dashboard import queries_insights as qi
from dashboard.common import Context, empty_state
from dashboard.format import count, money, percent
from dashboard.honesty import Thresholds, median_reason, thresholds
from dashboard.premium import ALL_ROLES, describe
from dashboard.sidebar import country_name
from etl.contract import AI_ROLES
from etl.normalise.skills import load_taxonomy


def ai_definition() -> str:
    """The AI-job definition in words, from the contract and the taxonomy (not restated here)."""
    table = load_taxonomy().table()
    ai = table.loc[table["ai"], "skill"].tolist()  # file order: the reviewers' order
    shown = ", ".join(ai[:10]) + (f" and {len(ai) - 10} more" if len(ai) > 10 else "")
    return (
        f"**AI job** = a posting whose role is {', '.join(AI_ROLES[:-1])} or {AI_ROLES[-1]} "
        f"(*by title*), or that asks for at least one skill of the AI-skills group "
        f"(*by skills*: {shown}). Share = AI postings ÷ all postings in the selection."
    )


def keep_enough(frame: pd.DataFrame, t: Thresholds | None = None) -> tuple[pd.DataFrame, int]:
    """Rows with n at the policy's minimum (the median threshold) and how many were dropped."""
    t = t or thresholds()
    ok = frame["n"] >= t.min_n_median
    return frame[ok], int((~ok).sum())


def monthly_points(monthly: pd.DataFrame, t: Thresholds | None = None) -> pd.DataFrame:
    """Every month from the first to the last (gaps break the line), with the share blanked
    where a month has fewer postings than the policy's minimum (``note`` says why)."""
    t = t or thresholds()
    cols = ["n", "ai", "by_title", "by_skills"]
    data = monthly.assign(month=pd.to_datetime(monthly["month"])).set_index("month")
    every = pd.date_range(data.index.min(), data.index.max(), freq="MS")
    data = data.reindex(every).rename_axis("month").reset_index()
    data[cols] = data[cols].fillna(0).astype("int64")
    data["note"] = [median_reason(int(n), "postings", t) or "" for n in data["n"]]
    data["share"] = data["share"].where(data["note"] == "")
    return data


def ai_share_figure(monthly: pd.DataFrame, selection: str) -> go.Figure:
    """AI share per month (line, left axis) over the postings behind each point (bars, right).

    ``monthly`` as from ``monthly_points`` (or ai_share_by_month): a blank share breaks the line.
    """
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
    return charts._finish(fig, "AI share of job postings per month", selection)


def ai_share_bars(frame: pd.DataFrame, what: str, selection: str) -> go.Figure:
    """Ranked bars of the AI share, each labelled with its n."""
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
    return charts._finish(fig, what, selection, height=max(300, 60 + 28 * len(data)))


def ai_share_section(ctx: Context) -> None:
    """Demand page: AI share over time, by region and by country, with the definition and n."""
    st.subheader("AI share of job postings")
    monthly = qi.ai_share_by_month(*ctx.key)
    if monthly.empty:
        empty_state("postings", ctx.filters)
        return
    t = thresholds()
    chart, words = st.columns([3, 1])
    with words:
        st.markdown(ai_definition())
        total_n, total_ai = int(monthly["n"].sum()), int(monthly["ai"].sum())
        st.metric("AI share of the selection", percent(total_ai / total_n),
                  help=f"{count(total_ai)} of {count(total_n)} postings.")  # fmt: skip
        st.caption(
            f"By title: {count(monthly['by_title'].sum())} · by skills only: "
            f"{count(monthly['by_skills'].sum())}. Grey bars: the postings behind each point."
        )
    points = monthly_points(monthly, t)
    with chart:
        if points["share"].isna().all():
            st.info(f"Every month has fewer than {t.min_n_median} postings — widen the filters.")
        else:
            st.plotly_chart(ai_share_figure(points, ctx.label))
        thin = int(((points["note"] != "") & (points["n"] > 0)).sum())
        if thin:
            st.caption(
                f"Share hidden for {thin} month(s) with fewer than {t.min_n_median} postings "
                "(honesty policy); gaps are months without postings."
            )
    left, right = st.columns(2)
    for col, dim, what in (
        (left, "region", "AI share by region"),
        (right, "country_code", "AI share by country (top 15 by postings)"),
    ):
        with col:
            frame, dropped = keep_enough(qi.ai_share_by(*ctx.key, dim), t)
            if dim == "country_code":
                frame = frame.head(15).assign(value=lambda d: d["value"].map(country_name))
            if frame.empty:
                empty_state(f"places with {t.min_n_median}+ postings", ctx.filters)
            else:
                st.plotly_chart(ai_share_bars(frame, what, ctx.label))
            if dropped:
                st.caption(
                    f"{dropped} with fewer than {t.min_n_median} postings not shown "
                    "(honesty policy)."
                )


def premium_display(table: pd.DataFrame) -> pd.DataFrame:
    """The premium table as shown: raw and adjusted side by side, each with n and its interval."""
    rows = []
    for r in table.itertuples(index=False):
        adjusted_n = "—"
        if r.levels:
            k = len(r.levels.split(", "))
            adjusted_n = (
                f"{count(r.adjusted_n_with)} / {count(r.adjusted_n_without)} · "
                f"{k} level{'s' if k > 1 else ''}, {percent(r.coverage, 0)} of postings with it"
            )
        rows.append(
            {
                "Skill": r.skill,
                "Raw premium": describe(r.raw, r.raw_low, r.raw_high, r.raw_note),
                "n with / without": f"{count(r.n_with)} / {count(r.n_without)}",
                "Seniority-adjusted premium": describe(
                    r.adjusted, r.adjusted_low, r.adjusted_high, r.adjusted_note
                ),
                "Adjusted: n with / without": adjusted_n,
            }
        )
    return pd.DataFrame(rows)


def premium_section(ctx: Context, skills: list[str]) -> None:
    """Skills page: raw vs seniority-adjusted premium for ``skills`` in one role or all roles."""
    st.subheader("Pay premium: raw vs seniority-adjusted")
    st.caption("Advertised pay of postings that state it, in the sidebar's selection.")
    if not skills:
        empty_state("skills", ctx.filters)
        return
    roles = [ALL_ROLES, *ctx.options.roles]
    role = st.selectbox("Within role", roles, key="prem_role")
    t = thresholds()
    wanted = None if role == ALL_ROLES else (role,)
    table, levels = qi.premiums_with_levels(
        ctx.store, ctx.version, ctx.filters, tuple(skills), wanted, t
    )
    st.dataframe(premium_display(table), hide_index=True, height="content")
    st.caption(
        "Raw = median advertised pay of postings asking for the skill ÷ median of those that do "
        "not, − 1. Seniority-adjusted = the same comparison within each seniority level stated "
        "in the title, combined weighted by postings with the skill, so a skill that senior "
        "postings ask for is not credited with seniority's pay. 90% bootstrap intervals. "
        f"Hidden below {t.min_n_premium} postings with and {t.min_n_premium} without "
        "(per level for the adjusted one). Correlation, not cause."
    )
    with st.expander("Pay by seniority, with and without a skill"):
        skill = st.selectbox("Skill", skills, key="prem_skill")
        st.dataframe(_levels_display(levels[levels["skill"] == skill]), hide_index=True)


def _levels_display(levels: pd.DataFrame) -> pd.DataFrame:
    """Per-level medians, blanked below the median threshold (the note says why)."""

    def med(values: pd.Series, ns: pd.Series) -> list[str]:
        return [
            money(v) if median_reason(int(n), "postings") is None else "—"
            for v, n in zip(values, ns, strict=True)
        ]

    return pd.DataFrame(
        {
            "Seniority": levels["seniority"],
            "Median with": med(levels["median_with"], levels["n_with"]),
            "n with": [count(n) for n in levels["n_with"]],
            "Median without": med(levels["median_without"], levels["n_without"]),
            "n without": [count(n) for n in levels["n_without"]],
            "Note": levels["note"],
        }
    )
