"""Data: where the numbers come from, how complete they are, and the download and refresh."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.stats.currency import DEFAULT_CURRENCY, with_converted
from dashboard.stats.export import neutralise_formulas
from dashboard.stats.format import count, percent
from dashboard.stats.text import plain
from dashboard.ui import currency as pay_currency
from dashboard.ui.context import Context
from dashboard.ui.refresh_panel import render_refresh_panel
from dashboard.views.data.series_sources import series_sources_section


def preview_columns(rows: pd.DataFrame) -> dict[str, object]:
    """How the preview shows its columns: dates as dates (no "00:00:00"), USD pay as dollars,
    other amounts (as advertised, or converted) as plain numbers beside their currency column,
    years and counts without separators' surprises."""
    config: dict[str, object] = {}
    for col in rows.columns:
        if pd.api.types.is_datetime64_any_dtype(rows[col]) or col.endswith("_date"):
            config[col] = st.column_config.DateColumn(col, format="YYYY-MM-DD")
        elif col.startswith("salary") and pd.api.types.is_numeric_dtype(rows[col]):
            money = "dollar" if col.endswith("_usd") else "localized"
            config[col] = st.column_config.NumberColumn(col, format=money)
        elif col.endswith("_per_usd"):
            config[col] = st.column_config.NumberColumn(col, format="%.4f")
        elif col == "year":
            config[col] = st.column_config.NumberColumn(col, format="%d")
    return config


def pay_in_currency(rows: pd.DataFrame) -> pd.DataFrame:
    """The preview with ``salary_usd`` also in the sidebar's currency at each row's own date (a
    posting's posted_date, a survey year's 1 July), with the rate and its date; the amount as
    advertised, its currency and period and the ETL's USD rate stay as they are."""
    cur = pay_currency.current()
    if cur == DEFAULT_CURRENCY or "salary_usd" not in rows:
        return rows
    on = rows["posted_date"] if "posted_date" in rows else rows["year"].astype("int64")
    out = with_converted(rows, "salary_usd", cur, on)
    st.caption(
        f"salary_{cur.lower()}: salary_usd in {cur} (sidebar: Pay currency) at the ECB reference "
        f"rate of each row's date ({cur.lower()}_rate_date, {cur.lower()}_per_usd); not adjusted "
        "for purchasing power."
    )
    return out


def render(ctx: Context) -> None:
    st.title("Data")
    st.subheader("Sources")
    src = queries.sources.sources_table(ctx.store, ctx.version)
    if src.empty:
        st.info("The store lists no sources yet — build or refresh it.")
    else:
        st.dataframe(
            src,
            hide_index=True,
            column_config={
                "url": st.column_config.LinkColumn("url"),
                "rows_loaded": st.column_config.NumberColumn("loaded", format="localized"),
                "rows_rejected": st.column_config.NumberColumn("rejected", format="localized"),
            },
        )

        for row in src.itertuples(index=False):
            st.markdown(  # the sources' own words, shown as text
                f"- **{plain(row.title or row.name)}** ({plain(row.name)}, "
                f"{plain(row.license or 'license not stated', 200)}): "
                f"{plain(row.description or 'no description', 600)}"
            )

    series_sources_section(ctx)

    st.subheader("Last refresh")
    runs = queries.sources.runs_table(ctx.store, ctx.version)
    if runs.empty:
        st.caption("No refresh has been recorded in this store.")
    else:
        last = runs.iloc[0]
        st.markdown(
            f"Last run `{last['run_id']}` started {last['started_at']:%Y-%m-%d %H:%M} UTC; "
            f"statuses: {', '.join(sorted(set(runs[runs['run_id'] == last['run_id']]['status'])))}."
        )
        st.dataframe(neutralise_formulas(runs), hide_index=True)

    st.subheader("Rejected rows")
    rej = queries.sources.reject_reasons(ctx.store, ctx.version)
    if rej.empty:
        st.caption("No rows were rejected.")
    else:
        st.dataframe(neutralise_formulas(rej), hide_index=True)

    st.subheader("Role mapping coverage")
    roles, other = queries.sources.role_coverage(*ctx.key)
    if roles.empty:
        st.caption("Nothing to map in the selection.")
    else:
        other_share = roles.loc[roles["role"] == "Other", "share"].sum()
        st.markdown(
            f"{percent(1 - other_share)} of postings and salary records in the selection "
            f"map to a named role; {percent(other_share)} fall into Other."
        )
        left, right = st.columns(2)
        left.dataframe(roles.assign(share=[percent(s) for s in roles["share"]]), hide_index=True)
        if not other.empty:
            right.markdown("Most frequent titles mapped to **Other**")
            right.dataframe(neutralise_formulas(other), hide_index=True)

    st.subheader("Download the filtered data")
    table = st.radio("Table", ["postings", "salaries"], horizontal=True, key="dl_table")
    rows, total = queries.sources.preview_rows(*ctx.key, table)
    n = min(total, queries.sources.DOWNLOAD_CAP)
    note = "" if total <= n else f" (the newest {count(n)} of {count(total)})"
    st.download_button(
        f"Download {count(n)} {table} as CSV{note}",
        lambda: queries.sources.download_csv(*ctx.key, table),  # built on click, not on every run
        file_name=f"{table}.csv",
        mime="text/csv",
        key="dl_button",
        disabled=rows.empty,
        on_click="ignore",
    )
    if note:
        st.caption(
            f"Capped at {count(queries.sources.DOWNLOAD_CAP)} rows; narrow the filters for the "
            "rest, or use the Parquet files beside the store."
        )
    if not rows.empty:
        shown = "" if total <= len(rows) else f"; the newest {count(len(rows))} are shown"
        st.caption(f"{count(total)} {table} match the filters{shown}.")
        rows = pay_in_currency(rows)
        st.dataframe(  # toolbar CSV: safe
            neutralise_formulas(rows), hide_index=True, column_config=preview_columns(rows)
        )
    st.divider()
    render_refresh_panel(ctx.store)
