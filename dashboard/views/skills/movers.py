"""Skills page section: skill movers between two periods, screened against noise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import movers as movers_queries
from dashboard.queries.sources import provenance
from dashboard.stats import movers
from dashboard.ui import charts
from dashboard.ui.context import Context
from dashboard.ui.download import about_link, chart_csv

URL_KEYS = ("ma", "mb")
"""Page-owned URL keys: the two periods as 'YYYY-MM~YYYY-MM'."""
_KEYS = ("movers_a", "movers_b")


def _from_url(months: tuple[str, ...]) -> list[tuple[str, str] | None]:
    out: list[tuple[str, str] | None] = []
    for key in URL_KEYS:
        raw = str(st.query_params.get(key, ""))
        lo, _, hi = raw.partition("~")
        out.append((lo, hi) if lo in months and hi in months and lo <= hi else None)
    return out


def _in(months: tuple[str, ...], period: object) -> bool:
    return isinstance(period, tuple) and len(period) == 2 and all(m in months for m in period)


def _periods(months: tuple[str, ...], default: tuple[movers.Period, movers.Period]):
    """The two period sliders (URL first, else the default), mirrored back into the URL.

    Each slider is given its first value as ``value=`` (a pair, which is what makes it a range
    slider on every run: a pair put only into session_state came back from the browser as one
    month after the next rerun). The first value is kept under its own key, so the default
    stays the same on every run; it is reset, with the slider, when the months offered change
    (other filters) and no longer hold it, and taken again from the address when the slider was
    not drawn (its tab closed), which forgets the slider's value but not the address's.
    """
    urls = _from_url(months)
    chosen = []
    cols = st.columns(2)
    for i, (col, key, url_key) in enumerate(zip(cols, _KEYS, URL_KEYS, strict=True)):
        start_key = f"{key}_start"
        if not _in(months, st.session_state.get(start_key)) or key not in st.session_state:
            # first drawn, or forgotten while its tab was closed: the address has the last choice
            st.session_state[start_key] = urls[i] or default[i]
            st.session_state.pop(key, None)
        elif not _in(months, tuple(st.session_state[key])):
            st.session_state.pop(key, None)
        value = col.select_slider(
            f"Period {'A (before)' if i == 0 else 'B (after)'}",
            options=months,
            value=st.session_state[start_key],
            key=key,
        )
        value = (min(value), max(value))
        chosen.append(value)
        text = f"{value[0]}~{value[1]}"
        if value != default[i]:
            if st.query_params.get(url_key) != text:
                st.query_params[url_key] = text
        elif url_key in st.query_params:
            del st.query_params[url_key]
    return chosen[0], chosen[1]


def movers_section(ctx: Context) -> None:
    """Which skills' share of postings rose or fell most between two periods."""
    st.subheader("Skill movers", anchor="skill-movers")
    rules = movers.MoverRules()
    by_month = movers_queries.month_postings(*ctx.key)
    default = movers.default_periods(by_month, rules.min_postings)
    months = tuple(by_month.loc[by_month["postings"] > 0, "month"])
    if default is None:
        st.info("Skill movers need postings in at least two months — widen the filters.")
        return
    st.caption(
        f"First shown: {movers.describe_period(default[0])} against "
        f"{movers.describe_period(default[1])}, the latest year whose two halves each have "
        f"{rules.min_postings}+ postings. On the shipped real data, postings are mostly one 2023 "
        "scrape (data_jobs) "
        "plus a few hundred live postings from 2025–2026, so later periods are thin. "
        "The sidebar's month filter does not apply here; the other filters do."
    )
    period_a, period_b = _periods(months, default)
    counts, totals = movers_queries.skill_counts_in_periods(*ctx.key, period_a, period_b)
    result = movers.skill_movers(counts, totals, rules)
    roles = sorted(g for g in totals["group"] if g != movers_queries.ALL_ROLES)
    groups = [movers_queries.ALL_ROLES, *roles]
    group = st.selectbox("Role", groups, key="movers_role")
    tot = totals.set_index("group").loc[group] if group in set(totals["group"]) else None
    n_a, n_b = (int(tot["n_a"]), int(tot["n_b"])) if tot is not None else (0, 0)
    a_txt, b_txt = movers.describe_period(period_a), movers.describe_period(period_b)
    if min(n_a, n_b) < rules.min_postings:
        st.info(
            f"{group}: {n_a:,} postings in {a_txt} and {n_b:,} in {b_txt} — each period needs "
            f"{rules.min_postings}+ to compare skill shares. Pick wider periods or another role."
        )
        return
    top = movers.top_movers(result, group, n=10)
    ranked = pd.concat([top[movers.ROSE], top[movers.FELL]])
    what = f"Skill movers, {group}: {a_txt} → {b_txt}"
    if ranked.empty:
        st.write(
            f"No skill's share changed beyond noise for {group} between {a_txt} "
            f"({n_a:,} postings) and {b_txt} ({n_b:,} postings)."
        )
    else:
        st.plotly_chart(
            charts.diverging_bars(
                ranked,
                "skill",
                "change",
                what,
                ctx.label,
                f"Change in share of postings, {a_txt} → {b_txt} (percentage points)",
            ),
            key="movers_chart",
        )
        st.caption(
            f"n = {n_a:,} postings in {a_txt}, {n_b:,} in {b_txt} · only changes that pass the "
            f"noise screen (adjusted q < {rules.alpha:g}) · {about_link('skill_movers')}"
        )
        table = ranked.assign(
            period_a=a_txt,
            period_b=b_txt,
        )[["skill", "verdict", "share_a", "share_b", "change", "with_a", "n_a", "with_b", "n_b",
           "q", "period_a", "period_b"]]  # fmt: skip
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "share_a": st.column_config.NumberColumn(f"Share {a_txt}", format="percent"),
                "share_b": st.column_config.NumberColumn(f"Share {b_txt}", format="percent"),
                "change": st.column_config.NumberColumn("Change", format="percent"),
                "with_a": st.column_config.NumberColumn(f"Postings with it, {a_txt}"),
                "n_a": st.column_config.NumberColumn(f"n {a_txt}"),
                "with_b": st.column_config.NumberColumn(f"Postings with it, {b_txt}"),
                "n_b": st.column_config.NumberColumn(f"n {b_txt}"),
                "q": st.column_config.NumberColumn("Adjusted p (q)", format="%.2g"),
            },
        )
        scoped = ctx.filters.with_(roles=() if group == movers_queries.ALL_ROLES else (group,))
        prov = (
            provenance(ctx.store, ctx.version, scoped.with_(months=period_a))
            .plus(provenance(ctx.store, ctx.version, scoped.with_(months=period_b)))
            .with_(label=scoped.with_(months=None).describe())
        )
        chart_csv(
            table.assign(role=group),
            what,
            prov,
            key="csv-movers",
            metric="skill_movers",
        )
    new, gone = top[movers.NEW], top[movers.VANISHED]
    cols = st.columns(2)
    cols[0].markdown(f"**New in {b_txt}** (absent in {a_txt})")
    cols[0].write(
        ", ".join(f"{s} ({k:,})" for s, k in zip(new["skill"], new["with_b"], strict=True))
        if not new.empty
        else "None that passes the noise screen."
    )
    cols[1].markdown(f"**Vanishing** (in {a_txt}, absent in {b_txt})")
    cols[1].write(
        ", ".join(f"{s} ({k:,})" for s, k in zip(gone["skill"], gone["with_a"], strict=True))
        if not gone.empty
        else "None that passes the noise screen."
    )
    with st.expander("How the noise screen works"):
        st.markdown(
            movers.EXPLANATION.format(alpha=rules.alpha)
            + f"\n\nEach period needs {rules.min_postings}+ postings of the role, and a skill "
            f"needs {rules.min_expected:g}+ expected postings with and without it in each period "
            "to be tested at all."
        )
