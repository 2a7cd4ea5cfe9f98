"""Skills page section: honest pay premiums, raw vs seniority-adjusted, with n and intervals."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.queries import pay
from dashboard.stats.format import count, percent
from dashboard.stats.honesty import median_reason, thresholds
from dashboard.stats.premium import ALL_ROLES, describe
from dashboard.ui import currency as pay_currency
from dashboard.ui.context import Context, empty_state


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
    table, levels = pay.premiums_with_levels(
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
        day = pay_currency.rate_day(ctx, "advertised")
        st.dataframe(_levels_display(levels[levels["skill"] == skill], day), hide_index=True)
        pay_currency.caption("Medians", day)


def _levels_display(levels: pd.DataFrame, day: int | date | None) -> pd.DataFrame:
    """Per-level medians in the chosen currency at ``day``, blanked below the median threshold
    (the note says why)."""

    def med(values: pd.Series, ns: pd.Series) -> list[str]:
        return [
            pay_currency.shown(v, day) if median_reason(int(n), "postings") is None else "—"
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
