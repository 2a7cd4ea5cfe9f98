"""The honesty policy: when a statistic may be shown, and that every hidden value says why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.stats.honesty import (
    Thresholds,
    mask_quantiles,
    median_reason,
    premium_reason,
    tail_reason,
    thresholds,
)


def test_default_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MEDIAN", "PERCENTILE", "PREMIUM"):
        monkeypatch.delenv(f"AIJOBS_MIN_N_{name}", raising=False)
    assert thresholds() == Thresholds(30, 100, 30)


def test_thresholds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIJOBS_MIN_N_MEDIAN", "50")
    monkeypatch.setenv("AIJOBS_MIN_N_PERCENTILE", "not a number")
    monkeypatch.setenv("AIJOBS_MIN_N_PREMIUM", "0")
    t = thresholds()
    assert t.min_n_median == 50
    assert t.min_n_percentile == 100  # a bad value falls back to the default
    assert t.min_n_premium == 1  # never below one


def test_a_median_needs_thirty_values_and_says_why_otherwise() -> None:
    t = Thresholds()
    assert median_reason(30, t=t) is None
    assert median_reason(12, t=t) == "12 records — fewer than 30"
    assert median_reason(1, "postings", t=t) == "1 posting — fewer than 30"


def test_tails_need_a_hundred_values() -> None:
    t = Thresholds()
    assert tail_reason(100, t=t) is None
    assert tail_reason(99, t=t) == "99 records — fewer than 100"


def test_a_premium_needs_enough_postings_on_both_sides() -> None:
    t = Thresholds()
    assert premium_reason(30, 30, t=t) is None
    assert "with the skill" in premium_reason(29, 5000, t=t)
    assert premium_reason(5000, 3, t=t) == "3 postings — fewer than 30 without the skill"


def test_mask_quantiles_hides_cells_by_their_own_threshold() -> None:
    q = pd.DataFrame(
        {
            "role": ["a", "b", "c"],
            "n": [10, 50, 150],
            "p10": [1.0, 1.0, 1.0],
            "p25": [2.0, 2.0, 2.0],
            "p50": [3.0, 3.0, 3.0],
            "p75": [4.0, 4.0, 4.0],
            "p90": [5.0, 5.0, 5.0],
        }
    )
    out = mask_quantiles(q, t=Thresholds())
    assert out.loc[0, ["p10", "p25", "p50", "p75", "p90"]].isna().all()
    assert out.loc[0, "note"] == "hidden: 10 records — fewer than 30"
    assert np.isnan(out.loc[1, "p10"]) and out.loc[1, "p50"] == 3.0
    assert out.loc[1, "note"] == "p10/p90 hidden: 50 records — fewer than 100"
    assert out.loc[2, ["p10", "p90"]].tolist() == [1.0, 5.0] and out.loc[2, "note"] == ""
    assert q["p50"].notna().all(), "the input frame is not modified"


def test_thin_places_are_left_out_and_counted() -> None:
    from dashboard.stats.honesty import keep_enough

    frame = pd.DataFrame({"value": ["US", "NA", "DE"], "n": [500, 29, 30]})
    kept, dropped = keep_enough(frame, Thresholds(min_n_median=30))
    assert kept["value"].tolist() == ["US", "DE"] and dropped == 1
