"""Compare two roles: demand, pay by seniority, skills, and what to learn moving from A to B."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats.format import count
from dashboard.stats.honesty import mask_quantiles
from dashboard.ui import charts
from dashboard.ui.context import Context, empty_state
from etl.contract import SENIORITY_CODES

DEFAULT_PAIR = ("Machine Learning Engineer", "Research Scientist")
URL_KEYS = ("a", "b")
"""This page's keys in the address (?a=…&b=…, as the "Where do you fit?" page links here): they
preselect the two role pickers once, when both name different roles of the store."""
WIDGETS = ("cmp_a", "cmp_b")


def _roles_from_url(roles: list[str]) -> None:
    """Take ``a`` and ``b`` out of the address; valid ones preselect the pickers."""
    pair = [st.query_params.get_all(k) for k in URL_KEYS]
    for k in URL_KEYS:
        if k in st.query_params:
            del st.query_params[k]
    if all(pair):
        a, b = pair[0][-1], pair[1][-1]
        if a in roles and b in roles and a != b:
            st.session_state[WIDGETS[0]], st.session_state[WIDGETS[1]] = a, b


def skill_gap(profile: pd.DataFrame, a: str, b: str, top: int = 12) -> pd.DataFrame:
    """skill, share_a, share_b, diff (B − A): what B asks for much more than A, and vice versa."""
    wide = profile.pivot_table(index="skill", columns="role", values="share", fill_value=0.0)
    for r in (a, b):
        if r not in wide.columns:
            wide[r] = 0.0
    out = pd.DataFrame({"skill": wide.index, "share_a": wide[a].values, "share_b": wide[b].values})
    out["diff"] = out["share_b"] - out["share_a"]
    ranked = out.reindex(out["diff"].abs().sort_values(ascending=False).index)
    return ranked.head(top).reset_index(drop=True)


def render(ctx: Context) -> None:
    st.title("Compare roles")
    roles = list(ctx.options.roles)
    _roles_from_url(roles)
    if len(roles) < 2:
        empty_state("two roles to compare", ctx.filters)
        return
    pick = [r if r in roles else roles[i] for i, r in enumerate(DEFAULT_PAIR)]
    c1, c2 = st.columns(2)
    a = c1.selectbox("Role A", roles, index=roles.index(pick[0]), key=WIDGETS[0])
    b = c2.selectbox("Role B", roles, index=roles.index(pick[1]), key=WIDGETS[1])
    if a == b:
        st.info("Pick two different roles.")
        return
    f = ctx.filters.with_(roles=(a, b))
    if ctx.filters.roles:
        st.caption("The sidebar's role filter is replaced here by the two roles compared.")
    label = f.describe()
    monthly = queries.demand.postings_by_month(ctx.store, ctx.version, f)
    if monthly.empty:
        empty_state("postings", f)
    else:
        totals = monthly.groupby("role")["n"].sum()
        c1.metric(f"{a} postings", count(totals.get(a, 0)))
        c2.metric(f"{b} postings", count(totals.get(b, 0)))
        st.plotly_chart(
            charts.lines_over_time(
                charts.with_month_gaps(monthly, "month", "n", "role"),
                "month",
                "n",
                "role",
                "Job postings per month",
                label,
                "Postings per month",
            )
        )
    pay_kind = st.radio(
        "Pay figures",
        ["survey", "advertised"],
        horizontal=True,
        key="cmp_pay",
        format_func=lambda k: "Survey-reported" if k == "survey" else "Advertised",
    )
    q = mask_quantiles(
        queries.pay.salary_quantiles(ctx.store, ctx.version, f, pay_kind, ("role", "seniority"))
    )
    shown = q.dropna(subset=["p50"])
    if shown.empty:
        empty_state("pay figures with enough data", f)
    else:
        order = [s for s in SENIORITY_CODES if s in set(shown["seniority"])]
        st.plotly_chart(
            charts.grouped_bars(
                shown,
                "seniority",
                "p50",
                "role",
                "Median annual pay by seniority",
                label,
                "USD per year",
                order=order,
            )
        )
    hidden = q[q["p50"].isna()]
    if not hidden.empty:
        st.caption(
            "Not shown: "
            + "; ".join(
                f"{r.role} · {r.seniority}: {r.note[8:]}" for r in hidden.itertuples(index=False)
            )
        )
    profile = queries.skills.role_skill_profile(ctx.store, ctx.version, f, (a, b))
    if profile.empty:
        empty_state("skills for these roles", f)
        _survey_sections(ctx, a, b)
        return
    left, right = st.columns(2)
    for col, role in ((left, a), (right, b)):
        with col:
            top = profile[profile["role"] == role].head(12)
            if top.empty:
                empty_state(f"skills in {role} postings", f)
            else:
                st.plotly_chart(
                    charts.ranked_bar(
                        top,
                        "skill",
                        "share",
                        f"Skills {role} asks for",
                        label,
                        "Share of its postings (%)",
                        kind="percent",
                    )
                )
    gap = skill_gap(profile, a, b)
    st.plotly_chart(
        charts.diverging_bars(
            gap,
            "skill",
            "diff",
            f"What to learn moving from {a} to {b}",
            label,
            f"Share in {b} postings minus share in {a} postings (percentage points)",
        )
    )
    _survey_sections(ctx, a, b)


def _survey_sections(ctx: Context, a: str, b: str) -> None:
    """What practitioners say (dashboard/views/compare/practitioners.py) and the FAQ (faq.py)."""
    from dashboard.views.compare.faq import render_faq
    from dashboard.views.compare.practitioners import render_practitioners

    render_practitioners(ctx, a, b)
    render_faq(ctx, a, b)
