"""dashboard/stats/provenance.py: the one wording of a chart's sources, period and n."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.stats.provenance import Provenance, from_counts, from_rows, period_text

NAMES = {"data_jobs": "Kaggle job postings", "aijobs": "aijobs.net", "ihl": "Indeed Hiring Lab"}


def _counts(*rows: tuple[str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "first", "last", "n"])


def test_one_source_says_its_human_name_period_and_n() -> None:
    got = from_counts(_counts(("data_jobs", "2023-01-01", "2023-12-01", 32104)), NAMES,
                      label="all data")  # fmt: skip
    assert got.text() == "all data · Kaggle job postings · Jan–Dec 2023 · n = 32,104 postings"


def test_several_sources_are_listed_largest_first_over_their_joint_period() -> None:
    got = from_counts(
        _counts(("aijobs", "2024-03-01", "2026-06-01", 50), ("data_jobs", "2023-01-01",
                "2023-12-01", 900)), NAMES, label="Europe")  # fmt: skip
    assert got.sources == ("Kaggle job postings", "aijobs.net")
    assert got.text() == (
        "Europe · Kaggle job postings + aijobs.net · Jan 2023 – Jun 2026 · n = 950 postings"
    )


def test_no_rows_says_so_and_names_no_source() -> None:
    got = from_counts(_counts(), NAMES, label="Oceania")
    assert got.sources == () and got.n == 0
    assert got.text() == "Oceania · no postings"


def test_a_source_with_no_rows_in_the_selection_is_not_named() -> None:
    got = from_counts(
        _counts(("aijobs", "2024-03-01", "2024-03-01", 0), ("data_jobs", "2023-05-01",
                "2023-05-01", 3)), NAMES)  # fmt: skip
    assert got.sources == ("Kaggle job postings",)


def test_a_single_month_is_named_once() -> None:
    assert period_text(date(2023, 3, 1), date(2023, 3, 1)) == "Mar 2023"
    got = from_counts(_counts(("data_jobs", "2023-03-01", "2023-03-01", 1)), NAMES)
    assert got.text() == "Kaggle job postings · Mar 2023 · n = 1 postings"


def test_survey_years_have_year_precision() -> None:
    assert period_text(date(2022, 1, 1), date(2022, 1, 1), yearly=True) == "2022"
    assert period_text(date(2020, 1, 1), date(2023, 1, 1), yearly=True) == "2020–2023"


def test_an_unknown_source_id_is_shown_as_is() -> None:
    got = from_counts(_counts(("new_board", "2025-01-01", "2025-02-01", 4)), NAMES)
    assert got.sources == ("new_board",)


def test_rows_of_a_series_give_its_name_and_months_without_an_n() -> None:
    rows = pd.DataFrame(
        {"source": ["ihl"] * 3, "date": pd.to_datetime(["2020-02-01", "2024-07-01", "2026-06-01"])}
    )
    got = from_rows(rows, NAMES, date="date", unit="")
    assert got.text() == "Indeed Hiring Lab · Feb 2020 – Jun 2026"


def test_rows_with_survey_years() -> None:
    rows = pd.DataFrame({"source": ["k22", "k22"], "year": [2022, 2022]})
    got = from_rows(rows, {"k22": "Kaggle 2022 survey"}, date="year", n=2, unit="respondents",
                    yearly=True)  # fmt: skip
    assert got.text() == "Kaggle 2022 survey · 2022 · n = 2 respondents"


def test_csv_columns_carry_source_and_period() -> None:
    got = Provenance(("A", "B"), date(2023, 1, 1), date(2024, 1, 1), 10)
    assert got.columns() == {"source": "A + B", "period": "Jan 2023 – Jan 2024"}


@pytest.mark.parametrize("bad", [None, float("nan")])
def test_missing_dates_give_no_period(bad: object) -> None:
    got = from_counts(_counts(("data_jobs", bad, bad, 2)), NAMES)  # type: ignore[arg-type]
    assert got.period == "" and got.text() == "Kaggle job postings · n = 2 postings"
