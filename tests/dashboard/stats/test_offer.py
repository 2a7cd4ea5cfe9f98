"""'Is this offer good?': percentiles against hand-computed numbers, annualising, cell widening."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.stats.offer import annual, cell_ladder, locate, percentile_of, verdict


def test_percentile_counts_figures_below_and_half_the_ties():
    sample = [50, 60, 70, 80, 90, 100, 110, 120, 130, 140]
    assert percentile_of(95, sample) == 50.0  # 5 of 10 below
    assert percentile_of(100, sample) == 55.0  # 5 below + half of 1 tie = 5.5 / 10
    assert percentile_of(10, sample) == 0.0
    assert percentile_of(500, sample) == 100.0
    assert percentile_of(70, [70, 70, 70, 70]) == 50.0
    assert percentile_of(65, [60, 70, 70, 80]) == 25.0  # 1 below of 4
    assert math.isnan(percentile_of(65, []))


def test_pay_in_any_period_is_annualised_with_the_etl_factors():
    assert annual(5000, "month") == 60_000
    assert annual(50, "hour") == 50 * 2080
    with pytest.raises(ValueError, match="unknown pay period 'fortnight'"):
        annual(1, "fortnight")


def _frame() -> pd.DataFrame:
    # 40 senior figures in Germany, 5 senior in France, 60 mid in Germany.
    de = [("senior", "DE", "Europe", 100_000 + 1000 * i) for i in range(40)]
    fr = [("senior", "FR", "Europe", 200_000 + 1000 * i) for i in range(5)]
    mid = [("mid", "DE", "Europe", 60_000 + 500 * i) for i in range(60)]
    return pd.DataFrame(
        de + fr + mid, columns=["seniority", "country_code", "region", "salary_usd"]
    )


def test_a_large_enough_cell_is_used_as_is_with_its_quartiles():
    frame = _frame()
    pos = locate(120_500, frame, cell_ladder("Data Scientist", "senior", "DE", "Europe"), 30)
    de = np.array([100_000 + 1000 * i for i in range(40)], dtype=float)
    assert pos.cell.label == "Data Scientist, senior in DE" and pos.n == 40 and pos.widened == ""
    assert pos.percentile == 100 * 21 / 40  # 100,000..120,000 are below: 21 of 40
    assert (pos.p25, pos.p50, pos.p75) == (
        np.percentile(de, 25),
        np.percentile(de, 50),
        np.percentile(de, 75),
    )
    assert pos.p50 == 119_500


def test_a_thin_cell_falls_back_to_the_nearest_wider_cell_and_says_which():
    frame = _frame()
    pos = locate(150_000, frame, cell_ladder("Data Scientist", "senior", "FR", "Europe"), 30)
    assert pos.cell.label == "Data Scientist, senior in Europe" and pos.n == 45 and pos.enough
    assert pos.widened == "Data Scientist, senior in FR has 5 figures (fewer than 30)"
    assert pos.percentile == 100 * 40 / 45


def test_when_no_cell_is_large_enough_no_percentile_is_given():
    frame = _frame().head(10)
    pos = locate(150_000, frame, cell_ladder("Data Scientist", "senior", "DE", "Europe"), 30)
    assert not pos.enough and math.isnan(pos.percentile) and pos.n == 10
    assert pos.cell.label == "Data Scientist, any seniority, anywhere"
    assert verdict(pos.percentile) == "not enough data to say"


def test_the_ladder_skips_steps_without_a_filter():
    labels = [c.label for c in cell_ladder("AI Engineer", "any", None, None)]
    assert labels == ["AI Engineer, anywhere"]
    assert verdict(80) == "in the top quarter" and verdict(10) == "in the bottom quarter"


def test_the_ladder_names_the_country_by_its_label_when_given():
    ladder = cell_ladder("Data Scientist", "senior", "DE", "Europe", "Germany (DE)")
    assert [c.label for c in ladder] == [
        "Data Scientist, senior in Germany (DE)",
        "Data Scientist, senior in Europe",
        "Data Scientist, senior, anywhere",
        "Data Scientist, any seniority, anywhere",
    ]


def test_percentiles_read_as_ordinals():
    from dashboard.stats.offer import ordinal

    assert [ordinal(p) for p in (1, 2, 3.4, 11, 12, 13, 21, 22.2, 63, 100, 0)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "22nd", "63rd", "100th", "0th",
    ]  # fmt: skip
