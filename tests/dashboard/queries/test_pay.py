"""dashboard/queries/pay.py: pay quantiles against pandas, skill pay and premiums against
hand-computed numbers on tiny stores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tiny_stores import DA, POSTINGS, SALARIES

from dashboard.queries import pay
from dashboard.queries.filters import Filters
from dashboard.stats import premium
from dashboard.stats.honesty import Thresholds


@pytest.mark.parametrize("kind", ["survey", "advertised"])
def test_salary_quantiles_by_role_match_pandas_linear_quantiles(
    store: tuple[str, str], kind: str
) -> None:
    got = pay.salary_quantiles(*store, Filters(), kind, ("role",)).set_index("role")
    frame = SALARIES if kind == "survey" else POSTINGS.dropna(subset=["salary_usd"])
    for role, grp in frame.groupby("role"):
        row = got.loc[role]
        assert row["n"] == len(grp)
        for col, qq in (("p10", 0.1), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p90", 0.9)):
            assert row[col] == pytest.approx(grp["salary_usd"].quantile(qq))


def test_advertised_salary_by_year_uses_the_posting_year(store: tuple[str, str]) -> None:
    got = pay.salary_quantiles(*store, Filters(), "advertised", ("year",))
    assert got.set_index("year")["n"].to_dict() == {2023: 6, 2024: 2}


def test_salary_quantiles_ungrouped_is_one_row(store: tuple[str, str]) -> None:
    got = pay.salary_quantiles(*store, Filters(countries=("NA",)), "survey")
    assert len(got) == 1 and got["n"].iloc[0] == 1 and got["p50"].iloc[0] == 50e3


def test_skill_pay_by_seniority_with_and_without(ai_store: tuple[str, str]) -> None:
    s = pay.skill_pay_by_seniority(*ai_store, Filters(), ("PyTorch",)).set_index("seniority")
    assert s.loc["mid", ["n_with", "median_with", "n_without", "median_without"]].tolist() == [
        1,
        150e3,
        2,
        75e3,
    ]
    assert s.loc["senior", "n_with"] == 1 and s.loc["senior", "n_without"] == 0
    assert pd.isna(s.loc["senior", "median_without"])
    assert s.loc["entry", "n_with"] == 0 and s.loc["lead", "median_with"] == 200e3
    assert "unknown" not in s.index  # no posting with pay has it here
    assert pay.skill_pay_by_seniority(*ai_store, Filters(), ()).empty


def test_premium_levels_come_from_the_postings_that_state_pay(ai_store: tuple[str, str]) -> None:
    loose = Thresholds(min_n_premium=1)
    table, levels = pay.premiums_with_levels(
        *ai_store, Filters(), ("PyTorch", "Python"), None, loose
    )
    pd.testing.assert_frame_equal(
        table, pay.premiums(*ai_store, Filters(), ("PyTorch", "Python"), None, loose)
    )
    py = table.set_index("skill")
    # p3 asks for Python but states no pay: only p0 counts
    assert (py.loc["Python", "n_with"], py.loc["Python", "n_without"]) == (1, 5)
    mid = levels[(levels["skill"] == "PyTorch") & (levels["seniority"] == "mid")].iloc[0]
    assert (mid["n_with"], mid["median_with"], mid["n_without"], mid["median_without"]) == (
        1,
        150e3,
        2,
        75e3,
    )
    assert set(levels["role"]) == {premium.ALL_ROLES}
    assert "unknown" not in set(levels["seniority"])  # no posting with pay has it here


def test_a_role_without_postings_gets_a_reason_not_a_number(ai_store: tuple[str, str]) -> None:
    got = pay.premiums(
        *ai_store, Filters(), ("SQL",), ("Astronaut", DA), Thresholds(min_n_premium=1)
    )
    assert got["role"].tolist() == ["Astronaut", DA]
    astronaut = got.iloc[0]
    assert np.isnan(astronaut["raw"]) and astronaut["raw_note"].startswith("hidden: 0 postings")
    assert astronaut["adjusted_note"] == "hidden: no posting with pay states its seniority"
    assert pay.premiums(*ai_store, Filters(), (), None).empty


def test_premiums_from_the_store_match_hand_computed_numbers(ai_store: tuple[str, str]) -> None:
    loose = Thresholds(min_n_premium=1)
    got = pay.premiums(*ai_store, Filters(), ("PyTorch",), None, loose).iloc[0]
    assert got["role"] == premium.ALL_ROLES
    # with: 150k, 100k, 200k -> 150k; without: 80k, 60k, 70k -> 70k
    assert got["raw"] == pytest.approx(150 / 70 - 1)
    # only "mid" has both sides: 150k vs median(80k, 70k) = 75k -> +100%; 1 of 3 with-postings
    assert got["adjusted"] == pytest.approx(1.0)
    assert got["levels"] == "mid" and got["coverage"] == pytest.approx(1 / 3)
    strict = pay.premiums(*ai_store, Filters(), ("PyTorch",), None, Thresholds()).iloc[0]
    assert np.isnan(strict["raw"]) and "fewer than 30" in strict["raw_note"]


def test_premiums_per_role(ai_store: tuple[str, str]) -> None:
    loose = Thresholds(min_n_premium=1)
    got = pay.premiums(*ai_store, Filters(), ("SQL",), (DA,), loose).set_index("role")
    # Data Analyst with pay: p1 80k SQL, p2 100k SQL, p4 60k, p6 70k -> 90k vs 65k
    assert got.loc[DA, "raw"] == pytest.approx(90 / 65 - 1)
    # mid: 80k vs 70k (+14.3%); senior and entry have one side only
    assert got.loc[DA, "adjusted"] == pytest.approx(80 / 70 - 1)
