"""Validation from the contract: a table that breaks it is refused with one clear line."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etl.contract import columns
from etl.errors import ValidationError
from etl.validate import conform, schema, validate_tables


def posting(**values) -> dict:
    row = {
        "posting_id": "s:1", "source": "s", "posted_date": date(2024, 1, 2),
        "first_seen": date(2024, 1, 2), "last_seen": date(2024, 1, 2), "title": "Data Scientist",
        "company": None, "role": "Data Scientist", "seniority": "unknown", "country_code": "US",
        "region": "North America", "location": "Austin, TX", "remote": "onsite",
        "employment_type": "full_time", "salary_min_usd": 1e5, "salary_max_usd": 1.2e5,
        "salary_usd": 1.1e5, "salary_period": "year", "currency": "USD", "url": None,
        "is_ai": False, "ai_basis": None,
    }  # fmt: skip
    return {**row, **values}


def tables(*rows: dict, skills: list[tuple] | None = None) -> dict[str, pd.DataFrame]:
    return {
        "postings": pd.DataFrame(list(rows), columns=columns("postings")),
        "posting_skills": pd.DataFrame(skills or [], columns=columns("posting_skills")),
    }


def test_valid_tables_pass_and_come_back_in_contract_dtypes():
    out = validate_tables(
        tables(posting(), posting(posting_id="s:2"), skills=[("s:1", "SQL", "Languages", "text")])
    )
    assert out["postings"]["salary_usd"].dtype == "float64"
    assert str(out["postings"]["posted_date"].dtype).startswith("datetime64")


def test_an_empty_store_is_valid():
    validate_tables(
        {name: pd.DataFrame(columns=columns(name)) for name in ("postings", "runs", "rejects")}
    )


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ({"seniority": "guru"}, "seniority"),
        ({"region": "Atlantis"}, "region"),
        ({"remote": "sometimes"}, "remote"),
        ({"salary_period": "fortnight"}, "salary_period"),
        ({"salary_usd": -1.0}, "salary_usd"),
        ({"salary_min_usd": 0.0}, "salary_min_usd"),
        ({"title": None}, "title"),
        ({"posted_date": date(1990, 1, 1)}, "posted_date"),
        ({"posted_date": date(2999, 1, 1)}, "posted_date"),
        ({"ai_basis": "vibes"}, "ai_basis"),
    ],
)
def test_a_broken_value_is_refused_naming_table_and_column(bad, says):
    with pytest.raises(ValidationError) as err:
        validate_tables(tables(posting(**bad)))
    message = str(err.value)
    assert "'postings'" in message and says in message
    assert "\n" not in message


def test_duplicate_keys_are_refused():
    with pytest.raises(ValidationError, match="posting_id"):
        validate_tables(tables(posting(), posting()))


def test_skills_of_unknown_postings_are_refused():
    with pytest.raises(ValidationError, match=r"posting_skills.*not in postings.*'s:9'"):
        validate_tables(tables(posting(), skills=[("s:9", "SQL", "Languages", "text")]))


def test_a_column_outside_the_contract_is_refused():
    with pytest.raises(Exception, match="extra"):
        schema("postings").validate(pd.DataFrame([posting()]).assign(extra=1).pipe(lambda f: f))
    assert list(conform("postings", pd.DataFrame([posting()]).assign(extra=1)).columns) == columns(
        "postings"
    )


def test_run_status_and_salary_year_are_checked():
    run = {"run_id": "r", "source": "s", "started_at": pd.Timestamp("2026-01-01"),
           "finished_at": None, "status": "exploded", "rows_read": 1, "rows_loaded": 1,
           "rows_rejected": 0, "message": ""}  # fmt: skip
    with pytest.raises(ValidationError, match="status"):
        validate_tables({"runs": pd.DataFrame([run])})
    salary = {c: None for c in columns("salaries")} | {
        "record_id": "s:1", "source": "s", "year": 1999, "role": "Other", "seniority": "mid",
        "remote": "onsite", "employment_type": "full_time", "salary_usd": 5e4}  # fmt: skip
    with pytest.raises(ValidationError, match="year"):
        validate_tables({"salaries": pd.DataFrame([salary])})
