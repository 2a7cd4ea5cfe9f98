"""Demand page, first section: the long view from aggregate series (Indeed Hiring Lab).

"Is AI hiring growing, and where?" needs years and whole job markets, which the posting sources
cannot give. This section shows the AI share of all postings per country since 2019, the withdrawn
GenAI share frozen, and tech-sector indices against all postings since February 2020, each with
its definition, last date, attribution and method break. Only the region and country filters
apply: the series are aggregates, not postings with roles or levels.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import series as q
from dashboard.queries.series import AI_SHARE, GENAI_SHARE, INDEX, SECTORS
from dashboard.queries.sources import rows_provenance
from dashboard.stats.provenance import Provenance
from dashboard.stats.series import breaks_within, missing_series
from dashboard.ui.context import Context, empty_state
from dashboard.ui.download import chart_csv
from dashboard.ui.series_charts import place_label, series_figure
from dashboard.ui.sidebar import country_name

TECH_SECTORS = (
    "Software Development",
    "Mathematics",
    "Scientific Research & Development",
    "Information Design & Documentation",
    "IT Operations & Helpdesk",
)
FREQ_KEY = "freq"
"""URL key (page-owned): ``freq=daily`` shows daily values instead of monthly means."""


def _daily() -> bool:
    """The monthly/daily choice, kept in the URL (``?freq=daily``) so a shared link keeps it."""
    if "series_daily" not in st.session_state:
        st.session_state["series_daily"] = st.query_params.get(FREQ_KEY) == "daily"
    daily = st.toggle(
        "Daily values (7-day averages)",
        key="series_daily",
        help="Off: the mean of each month's daily values. On: every day.",
    )
    if daily and st.query_params.get(FREQ_KEY) != "daily":
        st.query_params[FREQ_KEY] = "daily"
    elif not daily and FREQ_KEY in st.query_params:
        del st.query_params[FREQ_KEY]
    return daily


def _places(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [place_label(c, t) for c, t in zip(df["place_code"], df["place_type"], strict=True)],
        index=df.index,
    )


def _scope(ctx: Context, freq: str) -> str:
    where = ctx.filters.regions + ctx.filters.countries
    shown = " + ".join(where) if where else "every country in the series"
    return f"{shown} · {freq} · region and country filters apply"


def _provenance(ctx: Context, frame: pd.DataFrame) -> Provenance:
    """The sources and months of the series points drawn (``frame`` has a ``source`` column);
    only the place filters apply to series, so only they label it."""
    where = ctx.filters.regions + ctx.filters.countries
    return rows_provenance(
        ctx.store, ctx.version, frame, date="date", n=len(frame), unit="points",
        label=" + ".join(where) if len(where) <= 2 else f"{len(where)} places",
    )  # fmt: skip


def _source_line(src: pd.Series) -> str:
    last = pd.Timestamp(src["last_date"])
    first = pd.Timestamp(src["first_date"])
    return (
        f"{src['method']} Data {first:%Y-%m-%d} → **{last:%Y-%m-%d}**. "
        f"Source: {src['attribution']}."
    )


def long_view_section(ctx: Context) -> None:
    """The long view, or one line saying how to load it when the store has no series (a line,
    not a box: on a phone the page's first chart must still start on the first screen)."""
    sources = q.series_sources(ctx.store, ctx.version).set_index("name")
    if AI_SHARE not in sources.index or not sources.at[AI_SHARE, "rows"]:
        st.caption(
            "No long-run series (AI share of all postings since 2019) in this store: load Indeed "
            "Hiring Lab's series with `python -m etl refresh --mirror ../shared/data` (or from "
            "the network)."
        )
        return
    st.subheader("AI share of all job postings, 2019 to today")
    chart = st.container()  # the chart first, its daily/monthly switch under it
    daily = _daily()
    freq = "daily 7-day averages" if daily else "monthly means of daily values"
    ai = sources.loc[AI_SHARE]
    df = q.series_lines(*ctx.key, AI_SHARE, daily=daily)
    if df.empty:
        empty_state("AI-share series (9 countries)", ctx.filters)
    else:
        data = df.assign(place=_places(df))
        chart.plotly_chart(
            series_figure(
                data, "place", "Share of all job postings on Indeed that mention AI",
                _scope(ctx, freq), "percent_of_postings",
            ),
            key="series_ai_share",
        )  # fmt: skip
        with chart:  # under the chart, above its switch
            chart_csv(
                data.assign(source=AI_SHARE),
                "ai share of all postings series",
                _provenance(ctx, data.assign(source=AI_SHARE)),
                key="csv-series-ai",
            )
        chart.caption(
            _source_line(ai) + " A share of one job site's postings found by keywords: not a "
            f"count of AI jobs. {data['place'].nunique()} places, {len(data):,} points."
        )
    _genai_section(ctx, sources, daily, freq)
    _sector_section(ctx, sources, daily, freq)


def _genai_section(ctx: Context, sources: pd.DataFrame, daily: bool, freq: str) -> None:
    if GENAI_SHARE not in sources.index or not sources.at[GENAI_SHARE, "rows"]:
        return
    src = sources.loc[GENAI_SHARE]
    withdrawn = src["status"] == "withdrawn"
    since = pd.Timestamp(src["status_date"]) if pd.notna(src["status_date"]) else None
    label = "Generative-AI share of postings" + (
        f" — withdrawn by the publisher on {since:%Y-%m-%d}, frozen" if withdrawn and since else ""
    )
    with st.expander(label):
        df = q.series_lines(*ctx.key, GENAI_SHARE, daily=daily)
        if df.empty:
            empty_state("GenAI-share series", ctx.filters)
            return
        df = df.assign(source=GENAI_SHARE)
        last = pd.Timestamp(src["last_date"])
        frozen = f"Withdrawn upstream; frozen at the last copy (ends {last:%Y-%m-%d})"
        st.plotly_chart(
            series_figure(
                df.assign(place=_places(df)), "place",
                "Share of all job postings on Indeed that mention generative AI",
                _scope(ctx, freq), "percent_of_postings", frozen=frozen if withdrawn else None,
            ),
            key="series_genai_share",
        )  # fmt: skip
        chart_csv(
            df, "genai share of all postings series", _provenance(ctx, df), key="csv-series-genai"
        )
        st.caption(_source_line(src) + " Not current: never read it as today's level.")


def _sector_section(ctx: Context, sources: pd.DataFrame, daily: bool, freq: str) -> None:
    st.subheader("Tech sectors against all postings, since February 2020")
    if SECTORS not in sources.index or not sources.at[SECTORS, "rows"]:
        st.info("No sector indices in this store.")
        return
    places = q.series_places(ctx.store, ctx.version, SECTORS)
    allowed = places
    if ctx.filters.countries:
        allowed = allowed[allowed["place_code"].isin(ctx.filters.countries)]
    if ctx.filters.regions:
        allowed = allowed[allowed["region"].isin(ctx.filters.regions)]
    codes = sorted(set(allowed["place_code"]))
    if not codes:
        empty_state("sector indices (AU, CA, DE, FR, GB, US)", ctx.filters)
        return
    default = "US" if "US" in codes else codes[0]
    code = st.selectbox(
        "Country", codes, index=codes.index(default), format_func=country_name,
        key="series_sector_country",
    )  # fmt: skip
    scoped = ctx.filters.with_(countries=(code,), regions=())
    sectors = q.series_lines(ctx.store, ctx.version, scoped, SECTORS, TECH_SECTORS, daily=daily)
    total = q.series_lines(
        ctx.store, ctx.version, scoped, INDEX, ("All postings",), "total postings", daily=daily
    )
    examples = q.series_labels(ctx.store, ctx.version, SECTORS)
    named = sectors.assign(
        line=[f"{s} ({examples[s]})" if s in examples else s for s in sectors["series"]]
    )
    frame = pd.concat(
        [
            named.assign(source=SECTORS),
            total.assign(line="All postings (every sector)", source=INDEX),
        ],
        ignore_index=True,
    )
    if frame.empty:
        empty_state("sector indices", scoped)
        return
    breaks = []
    for name in (SECTORS, INDEX):
        if name in sources.index:
            breaks += breaks_within(sources.at[name, "breaks"], frame["date"].min(),
                                    frame["date"].max())  # fmt: skip
    breaks = list(dict.fromkeys((when, note) for when, note in breaks))[:1]
    st.plotly_chart(
        series_figure(
            frame, "line", f"Job postings index by sector, {country_name(code)}",
            f"{freq} · a sector is Indeed's group of job titles, not a role",
            "index_2020_02_01_eq_100", breaks=breaks,
        ),
        key="series_sectors",
    )  # fmt: skip
    chart_csv(frame, f"sector indices {code}", _provenance(ctx, frame), key="csv-series-sectors")
    src = sources.loc[SECTORS]
    notes = [
        _source_line(src),
        "An index, not a count: 120 = 20 % more postings than on 1 Feb 2020.",
    ]
    if breaks:
        notes.append(f"Dotted line: {breaks[0][1]}")
    if pd.notna(src["last_date"]):
        last = sectors["date"].max() if not sectors.empty else None
        if last is not None:
            notes.append(
                f"The {code} sector file in this store ends {pd.Timestamp(last):%Y-%m}; the "
                "all-postings line continues to its own last date."
            )
    st.caption(" ".join(notes))
    gaps = missing_series(places, list(TECH_SECTORS), [code])
    if gaps:
        st.caption(
            f"Not in Hiring Lab's {code} data: {', '.join(gaps[code])} (the publisher does not "
            "publish that sector for this country), so no line is drawn for it."
        )
