"""Salary: distribution per role, percentiles with n, by seniority, by place, trend by year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats import currency
from dashboard.stats.currency import DEFAULT_CURRENCY
from dashboard.stats.format import count, money
from dashboard.stats.honesty import mask_quantiles, median_reason
from dashboard.stats.provenance import Provenance
from dashboard.ui import charts
from dashboard.ui import currency as currency_ui
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.ui.tabs import open_tabs
from etl.contract import SENIORITY_CODES

KINDS = {
    "survey": ("Survey-reported (salary records)", "records"),
    "advertised": ("Advertised (postings that state pay)", "postings"),
}
"""Pay kind -> (label, unit). The kind is the address's ?pay=… (shared with Compare roles)."""


QUANTILES = ["p10", "p25", "p50", "p75", "p90"]

SECTIONS = {
    "By role": ("role", "Annual pay by role"),
    "By seniority": ("seniority", "Annual pay by seniority"),
    "By region": ("region", "Annual pay by region"),
    "By country": ("country_code", "Annual pay by country (top 20 by n)"),
}
"""Tab label -> (grouping, chart title) of the distribution tabs; the label is the ?tab=…"""
TREND_TAB = "Trend by year"


def percentile_table(q: pd.DataFrame, group: str, unit: str, cur: str = "USD") -> pd.DataFrame:
    """Formatted p10…p90 with n; hidden cells show "—" and the note says why."""
    masked = mask_quantiles(q, unit)
    out = pd.DataFrame(
        {
            group.replace("_", " ").capitalize(): masked[group].astype(str),
            "n": [count(v) for v in masked["n"]],
        }
    )
    for col in ("p10", "p25", "p50", "p75", "p90"):
        out["median" if col == "p50" else col] = [money(v, currency=cur) for v in masked[col]]
    out["note"] = masked["note"]
    return out


def _order(q: pd.DataFrame, col: str) -> pd.DataFrame:
    if col == "seniority":
        rank = {s: i for i, s in enumerate(SENIORITY_CODES)}
        return q.sort_values(col, key=lambda s: s.map(rank))
    return q


def _provenance(ctx: Context, kind: str, unit: str) -> Provenance:
    """Sources, period and n of the pay figures of ``kind`` in the selection."""
    table = "salaries" if kind == "survey" else "advertised"
    return queries.sources.provenance(
        *ctx.key, table, f"{unit} with pay" if kind != "survey" else unit
    )


def _section(ctx: Context, kind: str, unit: str, by: str, what: str) -> None:
    cur = currency_ui.current()
    q = _order(queries.pay.salary_quantiles(*ctx.key, kind, (by,)).dropna(subset=[by]), by)
    q = currency_ui.in_currency(q, currency_ui.rate_day(ctx, kind))
    if by == "country_code":
        q = q.sort_values("n", ascending=False).head(20)
    if q.empty:
        empty_state(f"salary {unit}", ctx.filters)
        return
    shown = mask_quantiles(q, unit)
    if shown["p50"].notna().any():
        st.plotly_chart(charts.box_from_quantiles(shown, by, what, ctx.label, unit, cur))
        prov = _provenance(ctx, kind, unit).with_(n=int(shown["n"].sum()))
        chart_csv(
            shown.assign(pay=kind, currency=cur),
            what,
            prov,
            key=f"csv-salary-{by}",
            metric=f"{kind}_pay",
        )
    st.dataframe(percentile_table(q, by, unit, cur), hide_index=True)


def render(ctx: Context) -> None:
    st.title("Salary")
    kind = st.radio(
        "Pay figures",
        list(KINDS),
        horizontal=True,
        key="paykind",
        bind="query-params",
        format_func=lambda k: KINDS[k][0].split(" (")[0],  # one line on a phone
        help="Survey-reported: salary records of surveys. Advertised: postings that state pay.",
    )
    label, unit = KINDS[kind]
    total = queries.pay.salary_quantiles(*ctx.key, kind, ())
    n = int(total["n"].iloc[0]) if not total.empty else 0
    if n == 0:
        empty_state(f"salary {unit}", ctx.filters)
        return
    why = median_reason(n, unit)
    cur = currency_ui.current()
    day = currency_ui.rate_day(ctx, kind)
    total = currency_ui.in_currency(total, day)
    st.metric(
        f"Median, {label.split(' (')[0].lower()}",
        "hidden" if why else money(total["p50"].iloc[0], currency=cur),
        help=why or f"{count(n)} {unit}; annual gross {cur}.",
    )
    if cur != DEFAULT_CURRENCY and "rate_date" in total:
        rate = currency.rate(cur, day)
        st.caption(
            f"In {cur} (sidebar: Pay currency) at the ECB reference rate of {rate.date:%Y-%m-%d}, "
            f"1 USD = {rate.per_usd:,.4g} {cur}, the latest date of the selection; the trend by "
            "year uses each year's 1 July rate. Not adjusted for purchasing power."
        )
    if kind == "advertised":
        st.caption(
            "Advertised pay is the mid-point of the posted range, annualised (hourly ×2080), "
            "in USD at the ECB rate of the posting date."
        )
    for label, tab in open_tabs([*SECTIONS, TREND_TAB]):
        with tab:
            if label == TREND_TAB:
                _trend(ctx, kind, unit, cur)
            else:
                _section(ctx, kind, unit, *SECTIONS[label])


def _trend(ctx: Context, kind: str, unit: str, cur: str) -> None:
    trend = queries.pay.salary_quantiles(*ctx.key, kind, ("year",))
    trend = mask_quantiles(currency_ui.in_currency(trend, trend["year"].astype("int64")), unit)
    shown = trend.dropna(subset=["p50"])
    if shown.empty:
        empty_state(f"salary {unit} with enough data per year", ctx.filters)
    else:
        long = shown.melt(
            id_vars=["year"],
            value_vars=["p25", "p50", "p75"],
            var_name="stat",
            value_name="usd",
        )
        long["stat"] = long["stat"].map({"p25": "p25", "p50": "median", "p75": "p75"})
        long["year"] = long["year"].astype(str)
        st.plotly_chart(
            charts.lines_over_time(
                long,
                "year",
                "usd",
                "stat",
                "Annual pay by year (median and quartiles)",
                ctx.label,
                f"{cur} per year",
                kind="money",
                currency=cur,
            )
        )
        chart_csv(
            shown.assign(pay=kind, currency=cur),
            "annual pay by year",
            _provenance(ctx, kind, unit).with_(n=int(shown["n"].sum())),
            key="csv-salary-year",
            metric=f"{kind}_pay",
        )
    table = percentile_table(trend.drop(columns=["note"]), "year", unit, cur)
    st.dataframe(table, hide_index=True)
