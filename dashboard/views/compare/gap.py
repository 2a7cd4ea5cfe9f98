"""Compare roles: what to learn moving from role A to role B (skills B's postings ask for more,
ranked by the gain), and separately what matters less there, with n on both sides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.stats.format import count
from dashboard.stats.provenance import Provenance
from dashboard.stats.skill_gap import skill_gap
from dashboard.ui import charts
from dashboard.ui.download import chart_csv


def gap_section(profile: pd.DataFrame, a: str, b: str, prov: Provenance) -> None:
    """The "What to learn" chart and the "What matters less" chart for the move from a to b
    (``prov``: the two roles' postings the profile was counted on)."""
    label = prov.label
    learn, less, why = skill_gap(profile, a, b, top=12)
    st.subheader(f"What to learn moving from {a} to {b}")
    if why:
        st.info(f"Not enough postings to compare their skills — {why}.")
        return
    n_a = int(profile.loc[profile["role"] == a, "role_postings"].max())
    n_b = int(profile.loc[profile["role"] == b, "role_postings"].max())
    if learn.empty:
        st.info(f"{b} postings ask for no skill more often than {a} postings do.")
    else:
        st.plotly_chart(
            charts.gain_bars(
                learn, f"Skills {b} postings ask for more than {a} postings", label, a, b
            )
        )
        chart_csv(learn, f"skills to learn from {a} to {b}", prov, key="csv-compare-learn")
    st.caption(
        f"Ranked by the gain: the share of {b} postings asking for a skill minus the share of "
        f"{a} postings asking for it. n = {count(n_b)} {b} postings and {count(n_a)} {a} "
        "postings; each bar's hover gives both counts."
    )
    if not less.empty:
        st.plotly_chart(
            charts.gain_bars(
                less,
                f"What matters less: skills {b} postings ask for less than {a} postings",
                label,
                a,
                b,
                color="#ff7f0e",
            )
        )
        chart_csv(less, f"skills that matter less from {a} to {b}", prov, key="csv-compare-less")
