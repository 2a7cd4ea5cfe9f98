"""Transform: every row loaded or rejected with a reason; normalisers applied, never guessing."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etl.staging import STAGED_POSTING_COLUMNS, STAGED_SALARY_COLUMNS, stage
from etl.transform import transform_postings, transform_salaries


def staged(rows: list[dict], columns: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(staged, raw) of hand-made rows already named like staged columns."""
    raw = pd.DataFrame(rows)
    source = {"columns": {c: c for c in raw.columns}}
    return stage(raw, source, columns), raw


def survey_row(**values) -> dict:
    row = {
        "year": "2024", "seniority": "senior", "employment_type": "FT", "title": "ML Engineer",
        "salary_local": "150000", "currency": "USD", "salary_usd": "150000",
        "residence_country": "US", "company_country": "US", "remote": "0", "company_size": "M",
    }  # fmt: skip
    return {**row, **values}


def salaries(*rows: dict):
    frame, raw = staged(list(rows), STAGED_SALARY_COLUMNS)
    return transform_salaries(frame, raw, "survey")


def test_every_salary_row_is_loaded_or_rejected():
    result = salaries(
        survey_row(), survey_row(salary_usd="-5"), survey_row(currency="ZZZ", salary_usd=None)
    )
    assert len(result.table) + len(result.rejects) == 3
    assert result.rejects["source_row"].tolist() == [2, 3]


def test_identical_survey_answers_are_all_kept():
    assert len(salaries(survey_row(), survey_row(), survey_row()).table) == 3


def test_the_sources_own_usd_figure_wins_over_conversion():
    result = salaries(survey_row(salary_local="100000", currency="EUR", salary_usd="107000"))
    assert result.table.loc[0, "salary_usd"] == 107000


def test_without_a_usd_figure_local_pay_is_converted_at_the_years_rate():
    result = salaries(survey_row(salary_local="100000", currency="EUR", salary_usd=None))
    assert 100000 < result.table.loc[0, "salary_usd"] < 125000
    assert result.table.loc[0, "salary_local"] == 100000
    assert result.table.loc[0, "currency"] == "EUR"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"salary_usd": "-5"}, "salary -5 is not positive"),
        ({"salary_local": "-5", "salary_usd": None}, "salary -5 is not positive"),
        ({"salary_usd": "999999999"}, "above the plausible maximum"),
        ({"salary_usd": "1200"}, "below the plausible minimum"),
        ({"currency": "ZZZ", "salary_usd": None}, "unknown currency 'ZZZ'"),
        ({"company_country": "Atlantis"}, "unknown company country 'Atlantis'"),
        ({"residence_country": "QQ"}, "unknown residence country 'QQ'"),
        ({"year": "1890"}, "work year missing or out of range"),
        ({"salary_local": None, "salary_usd": None}, "no salary figure"),
    ],
)
def test_bad_survey_rows_are_rejected_with_the_reason_never_clipped(values, reason):
    result = salaries(survey_row(**values))
    assert result.table.empty
    assert reason in result.rejects.loc[0, "reason"]
    assert '"salary_usd"' in result.rejects.loc[0, "raw"]  # the raw row as JSON


def test_survey_codes_are_normalised_and_unknown_seniority_is_not_guessed():
    result = salaries(
        survey_row(seniority="XX", remote="50", company_size="l", company_country="DE")
    )
    row = result.table.loc[0]
    assert row["seniority"] == "unknown"
    assert row["remote"] == "hybrid"
    assert row["company_size"] == "L"
    assert (row["country_code"], row["region"]) == ("DE", "Europe")
    assert row["employment_type"] == "full_time"
    assert row["record_id"] == "survey:1"
    assert row["role"] == "Machine Learning Engineer"


def test_namibia_na_is_a_country_not_a_missing_value():
    result = salaries(survey_row(company_country="NA", residence_country="NA"))
    assert result.table.loc[0, "country_code"] == "NA"


def posting(**values) -> dict:
    row = {"title": "Data Scientist", "company": "Acme", "location": "Austin, TX",
           "posted_date": "2023-04-24 09:51:15"}  # fmt: skip
    return {**row, **values}


def postings(*rows: dict, seen_on: date | None = None):
    frame, raw = staged(list(rows), STAGED_POSTING_COLUMNS)
    return transform_postings(frame, raw, "board", seen_on=seen_on)


def test_an_exact_repost_is_rejected_as_a_duplicate_of_the_first_row():
    result = postings(posting(), posting(title="Data Engineer"), posting())
    assert len(result.table) == 2
    assert result.rejects["reason"].tolist() == ["duplicate of row 1"]
    assert any("1 duplicate" in n for n in result.notes)


def test_same_source_id_is_a_duplicate_even_if_other_fields_differ():
    result = postings(posting(source_id="7"), posting(source_id="7", title="Other"))
    assert result.table["posting_id"].tolist() == ["board:7"]
    assert result.rejects["reason"].tolist() == ["duplicate of row 1"]


def test_a_posting_without_title_or_date_is_rejected():
    result = postings(posting(title="  "), posting(posted_date="soon"))
    assert result.rejects["reason"].tolist() == [
        "no job title",
        "posting date missing or out of range",
    ]


def test_hourly_pay_is_annualised_and_the_point_is_the_given_figure():
    result = postings(posting(pay="40", pay_period="hour", currency="USD"))
    row = result.table.loc[0]
    assert row["salary_usd"] == 40 * 2080
    assert row["salary_period"] == "hour"


def test_a_range_gives_min_max_and_the_midpoint():
    result = postings(
        posting(pay_min="100000", pay_max="140000", currency="USD", pay_period="year")
    )
    row = result.table.loc[0]
    assert (row["salary_min_usd"], row["salary_max_usd"], row["salary_usd"]) == (
        100000,
        140000,
        120000,
    )


def test_pay_text_is_parsed_when_there_are_no_figures():
    result = postings(posting(pay_text="$151K – $231K • Offers Equity"))
    row = result.table.loc[0]
    assert (row["salary_min_usd"], row["salary_max_usd"], row["currency"]) == (
        151000,
        231000,
        "USD",
    )


def test_absurd_or_negative_pay_rejects_the_posting():
    result = postings(
        posting(pay="3", pay_period="year", currency="USD"),
        posting(title="X", pay_min="-1", pay_max="5", currency="USD"),
    )
    assert "below the plausible minimum" in result.rejects.loc[0, "reason"]
    assert "not positive" in result.rejects.loc[1, "reason"]


def test_pay_without_a_currency_is_left_blank_and_noted():
    result = postings(posting(pay="100000", pay_period="year"))
    assert pd.isna(result.table.loc[0, "salary_usd"])
    assert any("without a currency" in n for n in result.notes)


def test_seniority_comes_from_title_words_and_unknown_when_none():
    result = postings(
        posting(title="Senior Data Scientist"), posting(title="Data Scientist", company="B")
    )
    assert result.table["seniority"].tolist() == ["senior", "unknown"]


def test_is_ai_by_title_then_by_skills_else_not():
    result = postings(
        posting(title="Machine Learning Engineer"),
        posting(title="Data Analyst", skills="['python', 'pytorch']"),
        posting(title="Data Analyst", company="B", skills="['sql']"),
    )
    table = result.table
    assert table["ai_basis"].tolist()[:2] == ["title", "skills"]
    assert pd.isna(table["ai_basis"].iloc[2])
    assert table["is_ai"].tolist() == [True, True, False]


def test_skills_come_from_the_list_else_from_the_description():
    result = postings(
        posting(skills="['sql', 'sql', 'python']"),
        posting(title="Data Engineer", description="We use Apache Spark and Python daily."),
    )
    skills = result.posting_skills.groupby("posting_id")["skill"].apply(sorted).tolist()
    assert skills == [["Python", "SQL"], ["Python", "Spark"]] or skills == [
        ["Python", "Spark"],
        ["Python", "SQL"],
    ]


def test_a_discredited_stated_country_is_corrected_from_the_location_and_counted():
    rows = [posting(company=f"C{i}", country="Sudan") for i in range(25)]
    rows.append(posting(company="Z", location="Anywhere", country="Sudan"))
    result = postings(*rows)
    assert set(result.table["country_code"].dropna()) == {"US"}
    assert result.table["remote"].iloc[-1] == "remote"
    assert any("26 stated countries corrected" in n for n in result.notes)


def test_api_rows_use_the_refresh_date_for_first_and_last_seen():
    day = date(2026, 7, 1)
    result = postings(posting(source_id="a", posted_date=None), posting(source_id="b"), seen_on=day)
    table = result.table
    assert table["first_seen"].tolist() == [day, day]
    assert table["posted_date"].tolist() == [day, date(2023, 4, 24)]


def test_advertised_pay_keeps_its_amount_currency_period_and_the_rate_used():
    result = postings(
        posting(pay_min="4000", pay_max="5000", currency="EUR", pay_period="month"),
        posting(title="Data Engineer", pay="50", currency="USD", pay_period="hour"),
        posting(title="Analyst"),
    )
    eur, usd, none = (result.table.loc[i] for i in range(3))
    assert (eur["salary_min_local"], eur["salary_max_local"], eur["currency"]) == (
        4000,
        5000,
        "EUR",
    )
    assert eur["salary_period"] == "month" and eur["rate_date"] == date(2023, 4, 24)
    assert 1.0 < eur["usd_rate"] < 1.2  # EUR was about 1.10 USD in April 2023
    assert eur["salary_min_usd"] == pytest.approx(4000 * 12 * eur["usd_rate"])
    assert (usd["salary_min_local"], usd["usd_rate"], usd["rate_date"]) == (50, 1.0, None)
    assert pd.isna(none["salary_min_local"]) and pd.isna(none["usd_rate"])
    assert none["rate_date"] is None


def test_a_reject_keeps_its_raw_row_as_json_with_nulls_lists_numbers_and_dates():
    import json

    import numpy as np

    from etl.transform import rejects_frame

    raw = pd.DataFrame(
        {
            "text": pd.Series(["a", None, "ü"], dtype="str"),
            "count": np.array([1, 2, 3], dtype="int64"),
            "pay": [1.5, float("nan"), 2.0],
            "tags": [["x", "y"], None, []],
            "seen": pd.to_datetime(["2024-01-02", None, "2024-03-04"]),
            "mixed": pd.Series([np.int64(7), pd.NA, {"k": 1}], dtype="object"),
        }
    )
    rejects = rejects_frame("s", raw, pd.Series([1, 2, 3]), pd.Series(["r1", "r2", "r3"]))
    rows = [json.loads(r) for r in rejects["raw"]]
    assert rows[0] == {"text": "a", "count": 1, "pay": 1.5, "tags": ["x", "y"],
                       "seen": "2024-01-02T00:00:00", "mixed": 7}  # fmt: skip
    assert rows[1] == dict.fromkeys(["text", "pay", "tags", "seen", "mixed"]) | {"count": 2}
    assert rows[2]["text"] == "ü" and rows[2]["tags"] == [] and rows[2]["mixed"] == {"k": 1}
    assert "ü" in rejects["raw"].iloc[2]  # not \u-escaped
    assert list(rejects["source_row"]) == [1, 2, 3]
    assert list(rejects["reason"]) == ["r1", "r2", "r3"]
