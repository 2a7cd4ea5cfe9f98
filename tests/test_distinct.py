"""Answers spread from a table of distinct values (etl/normalise/distinct.py), and the staging and
transform steps that use it: the same values and dtype as building the column row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.normalise.distinct import per_text, spread
from etl.staging import _coerced
from etl.transform import NOTE_UNREAD_BANDS, _band_edges


def _row_by_row(table: np.ndarray, codes: np.ndarray, dtype: str | None = None) -> pd.Series:
    objects = pd.Series(table[codes], dtype="object")  # code -1 reads the last slot
    return objects.infer_objects() if dtype is None else objects.astype(dtype)


def _table(values: list) -> np.ndarray:
    table = np.empty(len(values), dtype="object")
    table[:] = values
    return table


ANSWERS = st.one_of(
    st.none(), st.text(max_size=3), st.integers(-5, 5), st.booleans(), st.just(np.nan)
)


@settings(max_examples=300, deadline=None)
@given(
    answers=st.lists(ANSWERS, min_size=1, max_size=6),
    picks=st.lists(st.integers(-1, 5), max_size=30),
)
def test_spread_gives_what_building_the_rows_gives(answers, picks) -> None:
    table = _table(answers)  # as from pd.factorize: every distinct value has a row
    used = [p for p in picks if p < len(table) - 1]
    codes = np.array([*range(len(table) - 1), *used] if used else [], dtype="int64")
    got = spread(table, codes, pd.RangeIndex(len(codes)))
    pd.testing.assert_series_equal(got, _row_by_row(table, codes))


def test_spread_types_text_without_an_object_per_row() -> None:
    table = _table(["entry", "senior", None])
    got = spread(table, np.array([1, -1, 0, 1]), pd.RangeIndex(4), "seniority")
    assert isinstance(got.dtype, pd.StringDtype) and got.name == "seniority"
    assert got.tolist()[:1] == ["senior"] and pd.isna(got[1])


def test_an_unused_missing_answer_does_not_type_the_column() -> None:
    # no row is missing: the answer for missing rows (False) must not make the column object
    table = _table(["USD", "EUR", False])
    got = spread(table, np.array([0, 1, 0]), pd.RangeIndex(3))
    pd.testing.assert_series_equal(got, pd.Series(["USD", "EUR", "USD"]).infer_objects())
    with_missing = spread(table, np.array([0, -1]), pd.RangeIndex(2))
    assert with_missing.dtype == object and with_missing.tolist() == ["USD", False]


def test_spread_to_string_dtype_matches_the_row_by_row_column() -> None:
    table = _table(["ml_engineer", None, "other"])
    codes = np.array([0, 2, -1, 0])
    pd.testing.assert_series_equal(
        spread(table, codes, pd.RangeIndex(4), dtype="string"), _row_by_row(table, codes, "string")
    )


@pytest.mark.parametrize(
    "values",
    [
        ["2024", "2023", "2024", None, " 2022 ", "20x4", "2024.5", "1e400", "", "２０２４"],
        [2024, 2023.0, None, "2021", True, np.nan],
        [{"a": 1}, "2024"],  # unhashable: row by row
    ],
)
def test_years_are_read_once_per_text_with_to_numerics_answers(values) -> None:
    series = pd.Series(values, dtype="object")
    expected = pd.to_numeric(series, errors="coerce").astype("float64")
    pd.testing.assert_series_equal(_coerced(series), expected, check_names=False)


def test_unread_bands_count_rows_not_distinct_texts() -> None:
    bands = pd.Series(["100-150k", "n/a", "n/a", None, "n/a", ">$1,000,000", "100-150k"])
    low, high, unread = _band_edges(bands)
    assert unread == 3  # "n/a" three times; a missing band is not unread
    assert low[0] == 100_000
    assert np.isnan(low[1]) and np.isnan(low[3]) and low[5] == 1_000_000 and np.isnan(high[5])
    assert low[6] == low[0] and high[6] == high[0] == 150_000
    assert "{:,}" in NOTE_UNREAD_BANDS


def test_band_lists_are_read_row_by_row_and_count_as_unread() -> None:
    low, high, unread = _band_edges(pd.Series([["1", "2"], "0-999"], dtype="object"))
    assert unread == 1 and np.isnan(low[0]) and (low[1], high[1]) == (0, 999)


def test_per_text_answers_numbers_and_booleans_row_by_row_and_gives_way_on_lists() -> None:
    values = np.array(["a", True, 1, "a", None], dtype="object")  # hashing merges True and 1
    got = per_text(values, repr, "missing", pd.RangeIndex(5), dtype="string")
    assert got.tolist() == ["'a'", "True", "1", "'a'", "missing"]
    assert isinstance(got.dtype, pd.StringDtype)
    lists = np.empty(2, dtype="object")
    lists[:] = [["x"], "y"]
    assert per_text(lists, repr, None, pd.RangeIndex(2)) is None
