"""Compare roles, "What people in these roles say": practitioners' survey answers for the two
roles, beside what postings ask for. Every figure says its n, the survey and its year; figures
over too few respondents are withheld by the honesty policy, with why. Survey pay is shown as
bands only and never pooled with the page's other pay figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.queries.sources import rows_provenance
from dashboard.stats import survey_answers as sa
from dashboard.stats.bands import years_label
from dashboard.stats.format import count
from dashboard.stats.provenance import Provenance
from dashboard.ui import charts
from dashboard.ui import currency as pay_currency
from dashboard.ui.context import Context
from dashboard.ui.download import chart_csv

TOP_TOOLS = 10
BANDS_NOTE = (
    " The bands stay in USD, the survey's own currency, whatever the sidebar's Pay currency: a "
    "band is the answer respondents ticked, and its converted edges would be a different band."
)
CAVEAT = (
    "Self-selected Kaggle users, not a representative sample of practitioners. Pay is a yearly "
    "USD band, not an amount; education is the highest attained or planned within two years. "
    'Shares are of the role\'s respondents who answered ("prefer not to say" left out). The '
    "sidebar's country filter applies here; its other filters do not (the survey has no "
    "seniority or month)."
)


def survey_label(ctx: Context) -> str | None:
    """ "Kaggle State of Data Science and ML survey 2022 (CC BY 2.0)", or None without one."""
    sources = queries.practitioners.survey_sources(ctx.store, ctx.version)
    if sources.empty:
        return None
    parts = []
    for row in sources.itertuples(index=False):
        years = (
            str(row.last_year)
            if row.first_year == row.last_year
            else f"{row.first_year}–{row.last_year}"
        )
        parts.append(f"{row.title or row.source}, {years} ({row.license or 'licence not stated'})")
    return "; ".join(parts)


def _prov(ctx: Context, rows: pd.DataFrame, n: int, countries: tuple[str, ...]) -> Provenance:
    """The surveys and years of the answers drawn (``rows`` carry source and year)."""
    where = " + ".join(countries) if countries else "all countries"
    return rows_provenance(
        ctx.store, ctx.version, rows, date="year", n=n, unit="respondents", label=where,
        yearly=True,
    )  # fmt: skip


def render_practitioners(ctx: Context, a: str, b: str) -> None:
    """The section: doctorate, research, years of ML, tools, pay bands for roles ``a`` and ``b``."""
    st.header("What people in these roles say")
    source = survey_label(ctx)
    if source is None:
        st.info(
            "No practitioner survey in the store. Load the Kaggle survey with "
            "`python -m etl refresh --source kaggle_survey_2022 --mirror ../shared/data`."
        )
        return
    roles = (a, b)
    countries = tuple(ctx.filters.countries)
    where = " · ".join(countries) if countries else "all countries"
    label = f"{source} · {where}"
    st.caption(f"Source: {source}. {CAVEAT}")
    edu = queries.practitioners.answer_shares(ctx.store, ctx.version, "education", roles, countries)
    research = queries.practitioners.answer_shares(
        ctx.store, ctx.version, "publishes_research", roles, countries
    )
    years_ml = queries.practitioners.answer_shares(
        ctx.store, ctx.version, "years_ml", roles, countries
    )
    cols = st.columns(2)
    for col, role in zip(cols, roles, strict=True):
        with col:
            st.subheader(role)
            phd = sa.share_of(edu, role, "doctorate")
            pub = sa.share_of(research, role, "true")
            code, n_years, why_years = sa.median_years(years_ml, role)
            m1, m2, m3 = st.columns(3)
            m1.metric("Doctorate", phd.text(), help=phd.why or f"n = {count(phd.n)}")
            m2.metric("Published research", pub.text(), help=pub.why or f"n = {count(pub.n)}")
            m3.metric(
                "Median years of ML",
                years_label(code) if code else "—",
                help=why_years or f"n = {count(n_years)}",
            )
            st.caption(
                f"n = {count(phd.n)} (education) · {count(pub.n)} (research) · "
                f"{count(n_years)} (years of ML)"
                + "".join(f" · {w}" for w in (phd.why, pub.why, why_years) if w)
            )
    dist, order = sa.years_distribution(years_ml)
    if not dist.empty:
        st.plotly_chart(
            charts.grouped_bars(
                dist,
                "band",
                "share",
                "role",
                "Years of using machine learning",
                f"{label} · n = {count(int(dist['n'].sum()))} respondents",
                "Share of the role's respondents",
                kind="percent",
                order=order,
            )
        )
        n = int(dist["n"].sum())
        chart_csv(
            dist,
            "years of using machine learning",
            _prov(ctx, dist, n, countries),
            key="csv-compare-years-ml",
        )
    _tools(ctx, roles, countries, label)
    _pay(ctx, roles, countries, label)


def _tools(ctx: Context, roles: tuple[str, str], countries: tuple[str, ...], label: str) -> None:
    tools = queries.practitioners.tool_shares(
        ctx.store, ctx.version, roles, countries, top=TOP_TOOLS
    )
    st.subheader("Tools each role uses")
    if tools.empty:
        st.info("No tool answers for these roles in the selection.")
        return
    categories = sorted(set(tools["category"]))
    default = "ML & DL frameworks" if "ML & DL frameworks" in categories else None
    choice = st.selectbox(
        "Category",
        ["All categories", *categories],
        index=(categories.index(default) + 1) if default else 0,
        key="cmp_tool_category",
    )
    category = None if choice == "All categories" else choice
    cols = st.columns(2)
    for col, role in zip(cols, roles, strict=True):
        top, n, why = sa.shown_tools(tools, role, category, TOP_TOOLS)
        with col:
            if top.empty:
                st.info(f"No {choice.lower()} answers from {role} respondents.")
                continue
            if why:
                st.caption(f"{role}: not shown ({why}).")
                continue
            st.plotly_chart(
                charts.ranked_bar(
                    top,
                    "skill",
                    "share",
                    f"{role}: {choice.lower()} used",
                    f"{label} · n = {count(n)} respondents",
                    "Share of the role's respondents",
                    kind="percent",
                    color=None if category else "category",
                )
            )
            chart_csv(
                top,
                f"{role} {choice} used",
                _prov(ctx, top, n, countries),
                key=f"csv-compare-tools-{roles.index(role)}",
            )


def _pay(ctx: Context, roles: tuple[str, str], countries: tuple[str, ...], label: str) -> None:
    bands = queries.practitioners.pay_bands(ctx.store, ctx.version, roles, countries)
    st.subheader("Pay reported in the survey (bands)")
    if bands.empty:
        st.info("No pay answers for these roles in the selection.")
        return
    cols = st.columns(2)
    for col, role in zip(cols, roles, strict=True):
        band, n, why = sa.pay_median(bands, role)
        col.metric(
            f"{role}: median band",
            band or "—",
            help=why or f"The band holding the middle respondent; n = {count(n)}",
        )
        col.caption(f"n = {count(n)} respondents" + (f" · {why}" if why else ""))
    dist, order = sa.pay_distribution(bands)
    st.plotly_chart(
        charts.grouped_bars(
            dist,
            "label",
            "share",
            "role",
            "Respondents per yearly pay band (USD)",
            f"{label} · n = {count(int(dist['n'].sum()))} respondents",
            "Share of the role's respondents",
            kind="percent",
            order=order,
        )
    )
    chart_csv(
        dist,
        "survey pay bands of two roles",
        _prov(ctx, bands, int(dist["n"].sum()), countries),
        key="csv-compare-bands",
    )
    table = sa.pay_by_country(bands, roles)
    if not table.empty:
        st.caption(
            'By country (where the respondent lives): the median band per role; "—" where a '
            "role has too few respondents there."
        )
        st.dataframe(table, hide_index=True)
    st.caption(
        "Survey bands are never pooled with the survey amounts (aijobs) or advertised pay shown "
        "above: each is its own figure." + ("" if pay_currency.current() == "USD" else BANDS_NOTE)
    )
