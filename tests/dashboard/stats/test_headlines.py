"""The Overview's one-line headlines (dashboard/stats/headlines.py) follow the honesty policy."""

from __future__ import annotations

import pandas as pd

from dashboard.stats import headlines
from dashboard.stats.honesty import Thresholds


def _monthly(h1: int, h2: int, year: int = 2023) -> pd.DataFrame:
    months = pd.to_datetime([f"{year}-03-01", f"{year}-09-01"])
    return pd.DataFrame({"month": months, "role": ["MLE", "MLE"], "n": [h1, h2]})


def test_growth_sentence_compares_the_halves_of_a_year() -> None:
    s = headlines.growth_sentence(_monthly(100, 134), "MLE", Thresholds())
    assert s.startswith("MLE postings grew 34% between H1 and H2 2023 in the selection (100 → 134)")
    assert "coverage changes over the year, not a count of the market" in s
    assert "fell 50%" in headlines.growth_sentence(_monthly(100, 50), "MLE", Thresholds())


def test_growth_sentence_refuses_small_counts() -> None:
    s = headlines.growth_sentence(_monthly(12, 80), "MLE", Thresholds())
    assert s.startswith("Too few MLE postings") and "12 postings — fewer than 30" in s


def test_growth_sentence_needs_both_halves() -> None:
    one_half = _monthly(100, 134).iloc[:1]
    assert headlines.growth_sentence(one_half, "MLE", Thresholds()) is None
    assert headlines.growth_sentence(_monthly(100, 134), "Other", Thresholds()) is None
