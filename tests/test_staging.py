"""Staging only renames, coalesces, casts and applies constants and value maps."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from etl.staging import (
    STAGED_POSTING_COLUMNS,
    STAGED_SALARY_COLUMNS,
    apply_value_map,
    stage,
    value_errors,
)

DATA_JOBS_LIKE = {
    "columns": {
        "job_title": "title",
        "salary_rate": "pay_period",
        "salary_year_avg": "pay",
        "salary_hour_avg": "pay",
        "job_posted_date": "posted_date",
    },
    "constants": {"currency": "USD"},
}


def raw_jobs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "job_title": ["Data Analyst", "  ", "ML Engineer"],
            "salary_rate": ["year", "hour", None],
            "salary_year_avg": ["128050.0", None, None],
            "salary_hour_avg": [None, "37.5", "abc"],
            "job_posted_date": ["2023-04-24 09:51:15", "2023-12-23 12:40:47", "not a date"],
            "ignored": ["x", "y", "z"],
        }
    )


def test_staged_frame_has_exactly_the_staged_columns_and_1_based_rows():
    staged = stage(raw_jobs(), DATA_JOBS_LIKE, STAGED_POSTING_COLUMNS)
    assert list(staged.columns) == list(STAGED_POSTING_COLUMNS)
    assert staged["source_row"].tolist() == [1, 2, 3]
    assert staged["company"].isna().all()  # not mapped -> NULL


def test_two_source_columns_feeding_one_staged_column_are_coalesced():
    staged = stage(raw_jobs(), DATA_JOBS_LIKE, STAGED_POSTING_COLUMNS)
    assert staged["pay"].tolist()[:2] == [128050.0, 37.5]


def test_a_non_number_becomes_null_not_zero():
    staged = stage(raw_jobs(), DATA_JOBS_LIKE, STAGED_POSTING_COLUMNS)
    assert pd.isna(staged.loc[2, "pay"])


def test_blank_text_is_null_and_bad_dates_are_null():
    staged = stage(raw_jobs(), DATA_JOBS_LIKE, STAGED_POSTING_COLUMNS)
    assert staged.loc[1, "title"] is None
    assert staged.loc[0, "posted_date"] == pd.Timestamp("2023-04-24 09:51:15")
    assert pd.isna(staged.loc[2, "posted_date"])


def test_dates_with_different_utc_offsets_are_read_in_utc():
    raw = pd.DataFrame({"d": ["2024-05-20T23:30:00-02:00", "2024-05-21"]})
    staged = stage(raw, {"columns": {"d": "posted_date"}}, STAGED_POSTING_COLUMNS)
    assert staged["posted_date"].tolist() == [
        pd.Timestamp("2024-05-21 01:30"),
        pd.Timestamp("2024-05-21"),
    ]


def test_constants_fill_only_empty_values():
    raw = pd.DataFrame({"cur": ["EUR", None]})
    source = {"columns": {"cur": "currency"}, "constants": {"currency": "USD"}}
    staged = stage(raw, source, STAGED_POSTING_COLUMNS)
    assert staged["currency"].tolist() == ["EUR", "USD"]


def test_value_maps_match_numbers_written_as_text_and_pass_unknown_codes_through():
    raw = pd.DataFrame({"remote_ratio": ["0", "50", "100", "75"], "lvl": ["EN", "SE", "XX", None]})
    source = {
        "columns": {"remote_ratio": "remote", "lvl": "seniority"},
        "value_maps": {"remote": {0: "onsite", 50: "hybrid", 100: "remote"},
                       "seniority": {"EN": "entry", "SE": "senior"}},
    }  # fmt: skip
    staged = stage(raw, source, STAGED_SALARY_COLUMNS)
    assert staged["remote"].tolist() == ["onsite", "hybrid", "remote", "75"]
    assert staged["seniority"].tolist()[:3] == ["entry", "senior", "XX"]
    assert staged["seniority"].isna().tolist()[3]


def test_value_map_keys_match_float_values():
    mapped = apply_value_map(
        pd.Series([50.0, 0.0, None], dtype="object"), {50: "hybrid", 0: "onsite"}
    )
    assert mapped.tolist()[:2] == ["hybrid", "onsite"]


def test_value_map_passes_lists_through_and_still_maps_the_other_values():
    mapped = apply_value_map(
        pd.Series([["EN", "SE"], "SE", None, float("nan")], dtype="object"), {"SE": "senior"}
    )
    assert mapped.tolist() == [["EN", "SE"], "senior", None, None]


def test_salary_year_is_an_integer_and_fractional_years_are_null():
    raw = pd.DataFrame({"y": ["2024", "2024.5", ""], "s": ["1,200", "5", "x"]})
    source = {"columns": {"y": "year", "s": "salary_local"}}
    staged = stage(raw, source, STAGED_SALARY_COLUMNS)
    assert staged["year"].tolist()[0] == 2024
    assert staged["year"].isna().tolist() == [False, True, True]
    assert staged["salary_local"].tolist()[:2] == [1200.0, 5.0]


def test_only_thousands_separators_are_dropped_from_numbers():
    raw = pd.DataFrame({"p": ["150,000", "1,234,567.5", "1,5e5", "1,5", "12,34", "2e5"]})
    staged = stage(raw, {"columns": {"p": "pay"}}, STAGED_POSTING_COLUMNS)
    values = staged["pay"].astype("object").where(staged["pay"].notna(), None).tolist()
    assert values == [150000.0, 1234567.5, None, None, None, 200000.0]


def test_years_that_are_no_whole_finite_number_are_null_not_an_error():
    raw = pd.DataFrame({"y": ["2024", "2024.5", "1e400", "-1e400", "nan", "9" * 30]})
    staged = stage(raw, {"columns": {"y": "year"}}, STAGED_SALARY_COLUMNS)
    assert staged["year"].isna().tolist() == [False, True, True, True, True, True]


def test_dates_that_do_not_fit_a_timestamp_are_null_not_an_error():
    raw = pd.DataFrame({"d": ["2024-03-01", "0001-01-01", "9999-12-31", "2024-02-30"]})
    staged = stage(raw, {"columns": {"d": "posted_date"}}, STAGED_POSTING_COLUMNS)
    assert staged["posted_date"].isna().tolist() == [False, True, True, True]


def test_json_objects_for_values_become_reasons_not_errors():
    raw = pd.DataFrame(
        {
            "t": ["Data Scientist", {"text": "x"}, "ML Engineer", "AI Engineer"],
            "s": [["python"], ["sql"], None, "go"],
            "c": ["Berlin", "Paris", ["Rome"], "Oslo"],
        }
    )
    source = {"columns": {"t": "title", "s": "skills", "c": "location"}}
    staged = stage(raw, source, STAGED_POSTING_COLUMNS)
    assert value_errors(staged).tolist() == [
        None,
        "title is a JSON object, not a value",
        "location is a JSON list, not a value",
        None,
    ]
    assert staged["title"].isna().tolist() == [False, True, False, False]
    assert staged["skills"].iloc[0] == ["python"]  # lists are fine for skills
    assert value_errors(stage(raw.iloc[[0, 3]], source, STAGED_POSTING_COLUMNS)).isna().all()


TRICKY_TEXT = [
    "Data Scientist", "", "   ", "\t\n", "\u00a0", "\x1c", "\u2003x", " lead", "-5", "150,000",
    "007", "123456789012345", "1234567890123456", "+5", "-0", "1e5", "1,5", "nan", "inf", None,
    "Data Scientist",
]  # fmt: skip


def test_arrow_text_is_staged_as_the_same_values_as_object_text():
    """Arrow-backed text (Parquet, CSV) takes a dictionary-encoded path; object text the general
    one: every blank (Unicode whitespace included), number and non-number must come out alike."""
    half = len(TRICKY_TEXT) // 2  # in two Arrow chunks, as a CSV reader gives them
    arrow = pd.concat(
        [
            pd.Series(TRICKY_TEXT[:half], dtype=pd.StringDtype("pyarrow")),
            pd.Series(TRICKY_TEXT[half:], dtype=pd.StringDtype("pyarrow")),
        ],
        ignore_index=True,
    ).iloc[1:]  # and sliced, as a chunk of a source is
    assert pa.array(arrow.array).num_chunks == 2
    plain = pd.Series(TRICKY_TEXT, dtype="object").iloc[1:]
    assert isinstance(arrow.dtype, pd.StringDtype) and plain.dtype == object
    columns = {"t": ["title", "salary_local"]}
    a = stage(pd.DataFrame({"t": arrow}), {"columns": columns}, STAGED_SALARY_COLUMNS)
    b = stage(pd.DataFrame({"t": plain}), {"columns": columns}, STAGED_SALARY_COLUMNS)
    pd.testing.assert_frame_equal(a, b)
    assert a["title"].tolist()[:6] == [None, None, None, None, None, "\u2003x"]
    numbers = a["salary_local"].astype("object").where(a["salary_local"].notna(), None).tolist()
    assert numbers[8:18] == [
        150000.0, 7.0, 123456789012345.0, 1234567890123456.0, 5.0, 0.0, 100000.0, None, None,
        float("inf"),
    ]  # fmt: skip


def test_numbers_mixed_with_non_text_values_are_read_as_before():
    raw = pd.DataFrame({"p": pd.Series([150000, "150,000", 2.5, "12", None], dtype="object")})
    staged = stage(raw, {"columns": {"p": "pay"}}, STAGED_POSTING_COLUMNS)
    values = staged["pay"].astype("object").where(staged["pay"].notna(), None).tolist()
    assert values == [150000.0, 150000.0, 2.5, 12.0, None]
