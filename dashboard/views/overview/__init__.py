"""Overview: how much data the selection holds, what it says in one sentence each, how fresh."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.stats import headlines
from dashboard.stats.currency import DEFAULT_CURRENCY, rate_note
from dashboard.stats.format import count
from dashboard.stats.honesty import median_reason
from dashboard.ui import charts
from dashboard.ui import currency as pay_currency
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.views.overview.series_headline import series_headline


def render(ctx: Context) -> None:
    st.title("AI job market — overview")
    series_headline(ctx)
    h = queries.overview.headline(*ctx.key)
    if not h["postings"] and not h["salaries"]:
        empty_state("postings or salary records", ctx.filters)
        return
    # Laid out top to bottom, filled charts first: the browser fetches Plotly's script only when
    # the first chart arrives, so the figures go out before the metrics and the sentences.
    metrics, summary = st.container(), st.empty()
    left, right = st.columns(2)
    by_role = queries.demand.postings_by(*ctx.key, "role")
    skills = queries.skills.top_skills(*ctx.key, 10)
    prov = queries.sources.provenance(*ctx.key)
    with left:
        if by_role.empty:
            empty_state("postings", ctx.filters)
        else:
            st.plotly_chart(
                charts.ranked_bar(
                    by_role,
                    "value",
                    "n",
                    "Top roles by job postings",
                    ctx.label,
                    "Postings",
                    top=10,
                )
            )
            chart_csv(
                by_role.nlargest(10, "n").rename(columns={"value": "role"}),
                "top roles by postings",
                prov,
                key="csv-overview-roles",
            )
    with right:
        if skills.empty:
            empty_state("skills in postings", ctx.filters)
        else:
            st.plotly_chart(
                charts.ranked_bar(
                    skills,
                    "skill",
                    "share",
                    "Top skills asked for",
                    ctx.label,
                    "Share of postings (%)",
                    kind="percent",
                    top=10,
                )
            )
            chart_csv(skills, "top skills asked for", prov, key="csv-overview-skills")

    cols = metrics.columns(4)
    cur = pay_currency.current()
    cols[0].metric(
        "Job postings",
        count(h["postings"]),
        help="Postings in the selection (all sources of kind 'postings').",
    )
    cols[1].metric("Salary-survey records", count(h["salaries"]))
    survey_day = pay_currency.rate_day(ctx, "survey")
    adv_day = pay_currency.rate_day(ctx, "advertised")
    survey_why = median_reason(int(h["salaries"] or 0), "records")
    cols[2].metric(
        "Median survey salary",
        "hidden" if survey_why else pay_currency.shown(h["median_survey"], survey_day),
        help=survey_why or f"Annual gross pay, survey-reported, {rate_note(cur, survey_day)}.",
    )
    adv_why = median_reason(int(h["postings_with_pay"] or 0), "postings with pay")
    cols[3].metric(
        "Median advertised pay",
        "hidden" if adv_why else pay_currency.shown(h["median_advertised"], adv_day),
        help=adv_why
        or f"{count(h['postings_with_pay'])} postings state pay; {rate_note(cur, adv_day)}.",
    )
    if cur != DEFAULT_CURRENCY:
        metrics.caption(
            f"Survey pay {rate_note(cur, survey_day)}; advertised pay {rate_note(cur, adv_day)} "
            "(sidebar: Pay currency)."
        )

    monthly = queries.demand.postings_by_month(*ctx.key)
    focus = next(
        (r for r in ("Machine Learning Engineer", *by_role["value"]) if r in set(by_role["value"])),
        None,
    )
    sentences = [
        headlines.top_role_sentence(by_role),
        headlines.growth_sentence(monthly, focus) if focus else None,
        headlines.median_sentence(
            int(h["salaries"] or 0),
            pay_currency.convert(h["median_survey"], survey_day),
            (h["first_year"], h["last_year"]),
            cur,
        ),
        headlines.top_skill_sentence(skills),
    ]
    summary.markdown("\n".join(f"- {s}" for s in sentences if s))

    st.subheader("Date range and freshness")
    built = ctx.meta.get("built_at", "unknown")
    posted = (
        f"postings {h['first_posted']:%Y-%m-%d} → {h['last_posted']:%Y-%m-%d}"
        if h["first_posted"] is not None
        else "no postings"
    )
    years = (
        f"salary records {h['first_year']}–{h['last_year']}"
        if h["first_year"] is not None
        else "no salary records"
    )
    st.markdown(f"The selection covers {posted} and {years}. The store was built at {built}.")
