"""The one CSV builder: plain values unchanged, formula-like text neutralised."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.stats.export import neutralise_formulas, to_csv_bytes


def test_values_survive_and_numbers_stay_numbers():
    frame = pd.DataFrame({"skill": ["python", "sql"], "n": [10, -3], "share": [0.5, 0.25]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)))
    pd.testing.assert_frame_equal(back, frame)


def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote():
    frame = pd.DataFrame({"title": ['=HYPERLINK("x")', "+1", "@SUM(A1)", "-2", "Data, Eng"]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), keep_default_na=False)
    assert back["title"].tolist() == ['\'=HYPERLINK("x")', "'+1", "'@SUM(A1)", "'-2", "Data, Eng"]


def test_tab_cr_and_formula_like_column_names_are_neutralised_too():
    frame = pd.DataFrame({"=cmd": ["\tnote", "\rx", "plain", None], "n": [1.5, None, -2.0, 3.0]})
    safe = neutralise_formulas(frame)
    assert list(safe.columns) == ["'=cmd", "n"]
    assert safe["'=cmd"].tolist()[:3] == ["'\tnote", "'\rx", "plain"]
    assert safe["'=cmd"].isna().tolist()[3]
    pd.testing.assert_series_equal(safe["n"], frame["n"])  # numbers stay numbers, -2.0 too
    assert frame.columns[0] == "=cmd"  # the input is left as it was


def test_text_in_the_middle_or_numbers_as_text_inside_are_left_alone():
    frame = pd.DataFrame({"t": ["Data Scientist (=senior)", "a+b", "C++ Engineer", "1-2 years"]})
    assert neutralise_formulas(frame)["t"].tolist() == frame["t"].tolist()


def test_a_carriage_return_inside_a_value_does_not_split_its_row():
    frame = pd.DataFrame({"title": ["Data\rScientist", "ML\nEngineer", "plain"], "n": [1, 2, 3]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), keep_default_na=False)
    assert back["title"].tolist() == ["Data\rScientist", "ML\nEngineer", "plain"]
    assert back["n"].tolist() == [1, 2, 3]
