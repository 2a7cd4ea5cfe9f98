"""dashboard/queries/overview.py: the headline numbers against pandas on the tiny store."""

from __future__ import annotations

import pytest
from tiny_stores import POSTINGS, SALARIES

from dashboard.queries import overview
from dashboard.queries.filters import Filters


def test_headline_counts_and_medians_match_pandas(store: tuple[str, str]) -> None:
    f = Filters(regions=("North America",))
    h = overview.headline(*store, f)
    p = POSTINGS[POSTINGS["region"] == "North America"]
    s = SALARIES[SALARIES["region"] == "North America"]
    assert h["postings"] == len(p)
    assert h["postings_with_pay"] == p["salary_usd"].notna().sum()
    assert h["median_advertised"] == pytest.approx(p["salary_usd"].median())
    assert h["salaries"] == len(s)
    assert h["median_survey"] == pytest.approx(s["salary_usd"].median())
    assert (h["first_year"], h["last_year"]) == (s["year"].min(), s["year"].max())


def test_month_filter_includes_the_whole_last_month(store: tuple[str, str]) -> None:
    h = overview.headline(*store, Filters(months=("2023-02", "2023-12")))
    d = POSTINGS["posted_date"]
    assert h["postings"] == ((d >= "2023-02-01") & (d < "2024-01-01")).sum() == 6


def test_year_filter_applies_to_salaries_only(store: tuple[str, str]) -> None:
    h = overview.headline(*store, Filters(years=(2024, 2025)))
    assert h["salaries"] == (SALARIES["year"] >= 2024).sum()
    assert h["postings"] == len(POSTINGS)
