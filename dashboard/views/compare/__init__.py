"""Compare two roles: demand, pay by seniority, skills, and what to learn moving from A to B."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.stats.format import count
from dashboard.stats.honesty import mask_quantiles
from dashboard.ui import charts
from dashboard.ui import currency as pay_currency
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.views.compare import pickers
from dashboard.views.compare.gap import gap_section
from etl.contract import SENIORITY_CODES

URL_KEYS = pickers.URL_KEYS
"""This page's keys in the address (?a=…&b=…, as the "Where do you fit?" page links here)."""


def render(ctx: Context) -> None:
    st.title("Compare roles")
    roles = list(ctx.options.roles)
    if len(roles) < 2:
        empty_state("two roles to compare", ctx.filters)
        return
    pair = pickers.pick_roles(roles)
    if pair is None:
        return
    a, b = pair
    f = ctx.filters.with_(roles=(a, b))
    if ctx.filters.roles:
        st.caption("The sidebar's role filter is replaced here by the two roles compared.")
    label = f.describe()
    monthly = queries.demand.postings_by_month(ctx.store, ctx.version, f)
    if monthly.empty:
        empty_state("postings", f)
    else:
        totals = monthly.groupby("role")["n"].sum()
        chart = st.container()  # the chart above the totals: on a phone the chart comes first
        c1, c2 = st.columns(2)
        c1.metric(f"{a} postings", count(totals.get(a, 0)))
        c2.metric(f"{b} postings", count(totals.get(b, 0)))
        chart.plotly_chart(
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
        prov = queries.sources.provenance(ctx.store, ctx.version, f)
        with chart:  # under the chart, above the totals
            chart_csv(monthly, "postings per month of two roles", prov, key="csv-compare-monthly")
    pay_kind = st.radio(
        "Pay figures",
        ["survey", "advertised"],
        horizontal=True,
        key="paykind",
        bind="query-params",
        format_func=lambda k: "Survey-reported" if k == "survey" else "Advertised",
    )
    day = pay_currency.rate_day(ctx, pay_kind)
    usd = queries.pay.salary_quantiles(ctx.store, ctx.version, f, pay_kind, ("role", "seniority"))
    q = mask_quantiles(pay_currency.in_currency(usd, day))
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
                f"{pay_currency.current()} per year",
                order=order,
                currency=pay_currency.current(),
            )
        )
        table = "salaries" if pay_kind == "survey" else "advertised"
        prov = queries.sources.provenance(ctx.store, ctx.version, f, table)
        chart_csv(
            shown.assign(pay=pay_kind),
            "median pay by seniority of two roles",
            prov.with_(n=int(shown["n"].sum())),
            key="csv-compare-pay",
        )
        pay_currency.caption("Pay", day)
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
                one = f.with_(roles=(role,))
                chart_csv(
                    top,
                    f"skills {role} asks for",
                    queries.sources.provenance(ctx.store, ctx.version, one),
                    key=f"csv-compare-skills-{'a' if role == a else 'b'}",
                )
    gap_section(profile, a, b, queries.sources.provenance(ctx.store, ctx.version, f))
    _survey_sections(ctx, a, b)


def _survey_sections(ctx: Context, a: str, b: str) -> None:
    """What practitioners say (dashboard/views/compare/practitioners.py) and the FAQ (faq.py)."""
    from dashboard.views.compare.faq import render_faq
    from dashboard.views.compare.practitioners import render_practitioners

    render_practitioners(ctx, a, b)
    render_faq(ctx, a, b)
