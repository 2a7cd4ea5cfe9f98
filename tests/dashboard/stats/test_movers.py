"""Skill movers: shares, the noise screen (z-test + Benjamini-Hochberg) and the verdicts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.stats.movers import (
    FELL,
    NEW,
    NOISE,
    ROSE,
    THIN,
    VANISHED,
    MoverRules,
    benjamini_hochberg,
    skill_movers,
    top_movers,
    two_proportion_p,
)


def _movers(rows, totals, **rules):
    counts = pd.DataFrame(rows, columns=["group", "skill", "with_a", "with_b"])
    tot = pd.DataFrame(totals, columns=["group", "n_a", "n_b"])
    return skill_movers(counts, tot, MoverRules(**rules)).set_index("skill")


def test_a_real_change_is_a_mover_and_a_noise_sized_change_is_not():
    # 1,000 postings each period. python: 30% -> 45% (a real change, z ~ 7);
    # sql: 40% -> 42% (what chance gives: z ~ 0.9, p ~ 0.36).
    out = _movers(
        [("All", "python", 300, 450), ("All", "sql", 400, 420), ("All", "excel", 300, 240)],
        [("All", 1000, 1000)],
    )
    assert out.loc["python", "verdict"] == ROSE
    assert out.loc["python", "change"] == pytest.approx(0.15)
    assert (out.loc["python", "share_a"], out.loc["python", "share_b"]) == (0.30, 0.45)
    assert (out.loc["python", "n_a"], out.loc["python", "n_b"]) == (1000, 1000)
    assert out.loc["sql", "verdict"] == NOISE
    assert out.loc["sql", "p"] == pytest.approx(0.3628, abs=1e-3)
    assert out.loc["excel", "verdict"] == FELL


def test_the_z_test_matches_a_hand_computation():
    # pooled = 750/2000 = 0.375; se = sqrt(.375*.625*(2/1000)) = 0.021651; z = 0.15/se = 6.928
    p = two_proportion_p(np.array([300]), np.array([1000]), np.array([450]), np.array([1000]))
    assert p[0] == pytest.approx(math.erfc(6.9282 / math.sqrt(2)), rel=1e-3)
    assert math.isnan(two_proportion_p([0], [10], [0], [10])[0])  # nothing to test


def test_benjamini_hochberg_matches_hand_computed_values_and_skips_nan():
    q = benjamini_hochberg(np.array([0.01, 0.04, np.nan, 0.03, 0.5]))
    # sorted 0.01, 0.03, 0.04, 0.5 (m=4): 0.04, 0.06, 0.0533, 0.5 -> monotone 0.04, .0533, .0533, .5
    assert q[0] == pytest.approx(0.04)
    assert q[3] == pytest.approx(0.04 * 4 / 3)
    assert q[1] == pytest.approx(0.04 * 4 / 3)
    assert q[4] == pytest.approx(0.5) and math.isnan(q[2])


def test_many_small_p_values_by_chance_are_tamed_by_the_adjustment():
    # 20 skills each 50% -> 53% over 1,000 postings: unadjusted p ~ 0.18 each; none is a mover.
    rows = [("All", f"s{i}", 500, 530) for i in range(20)]
    out = _movers(rows, [("All", 1000, 1000)])
    assert (out["verdict"] == NOISE).all()


def test_new_and_vanishing_skills_are_listed_apart_when_they_pass_the_screen():
    out = _movers(
        [("All", "llm", 0, 60), ("All", "hadoop", 50, 0), ("All", "rare", 0, 1)],
        [("All", 1000, 1000)],
    )
    assert out.loc["llm", "verdict"] == NEW and out.loc["hadoop", "verdict"] == VANISHED
    assert out.loc["rare", "verdict"] == THIN  # expected count 0.5: too little to say
    tops = top_movers(out.reset_index(), "All")
    assert tops[NEW]["skill"].tolist() == ["llm"] and tops[VANISHED]["skill"].tolist() == ["hadoop"]
    assert tops[ROSE].empty


def test_a_group_with_too_few_postings_in_a_period_is_never_ranked():
    out = _movers([("AI Engineer", "python", 10, 40)], [("AI Engineer", 20, 50)])
    assert out.loc["python", "verdict"] == THIN
    assert math.isnan(out.loc["python", "p"])


def test_groups_are_adjusted_separately_and_top_movers_rank_by_change():
    out = _movers(
        [("A", "x", 100, 300), ("A", "y", 100, 200), ("B", "x", 100, 100)],
        [("A", 1000, 1000), ("B", 1000, 1000)],
    ).reset_index()
    tops = top_movers(out, "A", n=1)
    assert tops[ROSE]["skill"].tolist() == ["x"]
    assert out.loc[(out["group"] == "B"), "verdict"].tolist() == [NOISE]


def test_the_default_periods_are_the_halves_of_the_latest_year_with_enough_postings():
    from dashboard.stats.movers import default_periods, describe_period

    months = pd.DataFrame(
        {
            "month": ["2023-01", "2023-05", "2023-08", "2023-11", "2026-03", "2026-07"],
            "postings": [3000, 2500, 3500, 2000, 93, 35],
        }
    )
    a, b = default_periods(months, 100)
    assert (a, b) == (("2023-01", "2023-06"), ("2023-07", "2023-12"))
    assert (describe_period(a), describe_period(b)) == ("H1 2023", "H2 2023")
    few = default_periods(months.tail(2), 100)  # no year has 100 in each half
    assert few == (("2026-03", "2026-03"), ("2026-07", "2026-07"))
    assert default_periods(months.head(1), 100) is None
    assert describe_period(("2023-02", "2023-09")) == "2023-02…2023-09"
