"""dashboard/stats/series.py: the computed headline, method breaks in range, missing series,
the data-dates line and the posting coverage caption."""

from __future__ import annotations

import pandas as pd

from dashboard.stats.series import (
    breaks_within,
    coverage_caption,
    data_as_of,
    headlines,
    missing_series,
)


def monthly(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["place_code", "date", "value", "days"]).assign(
        date=lambda d: pd.to_datetime(d["date"])
    )


def test_headline_is_the_latest_full_month_against_a_year_earlier():
    data = monthly([
        ("US", "2025-06-01", 2.99, 30), ("US", "2026-05-01", 5.5, 31),
        ("US", "2026-06-01", 5.84, 30), ("US", "2026-07-01", 9.0, 3),  # partial: not used
        ("DE", "2026-06-01", 1.2, 30),  # no year-ago value
    ])  # fmt: skip
    us, de = headlines(data)
    assert (us.place, f"{us.month:%Y-%m}", us.value, us.year_ago) == ("US", "2026-06", 5.84, 2.99)
    assert us.text("AI share", "US", "Indeed Hiring Lab") == (
        "AI share of US job postings: 5.8 % in June 2026, up from 3.0 % a year earlier "
        "— Indeed Hiring Lab"
    )
    assert de.year_ago is None and "a year earlier" not in de.text("AI share", "DE", "X")
    down = headlines(monthly([("GB", "2025-01-01", 4.0, 31), ("GB", "2026-01-01", 3.0, 31)]))
    assert "down from 4.0 %" in down[0].text("AI share", "GB", "X")
    assert headlines(monthly([("FR", "2026-01-01", 3.0, 5)])) == []


def test_breaks_are_marked_only_inside_the_charted_dates():
    breaks = '[{"date": "2024-11-01", "note": "new seasonal adjustment"}]'
    assert breaks_within(breaks, "2020-02-01", "2026-08-01")[0][1] == "new seasonal adjustment"
    assert breaks_within(breaks, "2020-02-01", "2024-09-27") == []
    assert breaks_within(None, "2020-01-01", "2030-01-01") == []


def test_missing_series_names_the_sectors_a_country_lacks():
    places = pd.DataFrame(
        {"place_code": ["FR", "FR", "US", "US"],
         "series": ["Software Development", "Accounting", "Software Development", "Mathematics"]}
    )  # fmt: skip
    wanted = ["Software Development", "Mathematics"]
    assert missing_series(places, wanted, ["FR", "US"]) == {"FR": ["Mathematics"]}
    assert missing_series(places, wanted, ["US"]) == {}


def test_data_as_of_gives_each_sources_latest_data_date_not_the_build_time():
    dates = pd.DataFrame(
        {"source": ["hiring_lab_ai_share", "data_jobs", "aijobs_salaries", "empty"],
         "last_date": pd.to_datetime(["2026-06-30", "2023-12-31", "2025-01-01", None]),
         "precision": ["day", "day", "year", "day"]}
    )  # fmt: skip
    assert data_as_of(dates) == (
        "hiring_lab_ai_share 2026-06-30 · data_jobs 2023-12-31 · aijobs_salaries 2025 (survey year)"
    )
    assert data_as_of(dates.iloc[:0]) == "no data in the store"


def test_coverage_caption_names_sources_and_months():
    cov = pd.DataFrame(
        {"source": ["data_jobs", "remotive"],
         "first_month": pd.to_datetime(["2023-01-01", "2026-07-01"]),
         "last_month": pd.to_datetime(["2023-12-01", "2026-07-01"]),
         "months": [12, 1], "postings": [32672, 35]}
    )  # fmt: skip
    text = coverage_caption(cov)
    assert "data_jobs (2023-01 → 2023-12, 12 months, 32,672 postings)" in text
    assert "remotive (2026-07 → 2026-07, 1 month, 35 postings)" in text
    assert "gap" in text and coverage_caption(cov.iloc[:0]) == ""


def test_the_newest_data_date_is_the_latest_source_date_and_a_survey_year_stays_a_year():
    from dashboard.stats.series import newest_data_date

    dates = pd.DataFrame(
        {
            "source": ["a", "b", "c"],
            "last_date": [pd.Timestamp("2026-06-30"), pd.Timestamp("2023-12-31"), None],
            "precision": ["day", "day", "day"],
        }
    )
    assert newest_data_date(dates) == "2026-06-30"
    survey = pd.DataFrame({"source": ["s"], "last_date": [pd.Timestamp("2025-01-01")],
                           "precision": ["year"]})  # fmt: skip
    assert newest_data_date(survey) == "2025"
    assert newest_data_date(dates.iloc[:0]) is None
