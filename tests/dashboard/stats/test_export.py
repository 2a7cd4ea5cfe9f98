"""The one CSV builder: plain values unchanged, formula-like text neutralised."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.stats.export import to_csv_bytes


def test_values_survive_and_numbers_stay_numbers():
    frame = pd.DataFrame({"skill": ["python", "sql"], "n": [10, -3], "share": [0.5, 0.25]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)))
    pd.testing.assert_frame_equal(back, frame)


def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote():
    frame = pd.DataFrame({"title": ['=HYPERLINK("x")', "+1", "@SUM(A1)", "-2", "Data, Eng"]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), keep_default_na=False)
    assert back["title"].tolist() == ['\'=HYPERLINK("x")', "'+1", "'@SUM(A1)", "'-2", "Data, Eng"]
