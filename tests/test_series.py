"""etl/series.py on small frames: file patterns, places, and every reject reason."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.series import file_entries, place_of, transform_series

SOURCE = {
    "name": "toy",
    "kind": "series",
    "unit": "percent_of_postings",
    "constants": {"series": "AI share"},
    "columns": {"date": "date", "cc": "place", "share": "value"},
}


def raw(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "cc", "share"], dtype="object")


def test_for_each_gives_one_file_per_value_with_its_own_url_and_path():
    source = {**SOURCE, "url": "https://x/{CC}/a_{CC}.csv", "mirror_path": "m/{CC}.csv",
              "for_each": {"CC": ["US", "EA"]}}  # fmt: skip
    files = file_entries(source)
    assert [(label, e["url"], e["mirror_path"]) for label, e in files] == [
        ("US", "https://x/US/a_US.csv", "m/US.csv"),
        ("EA", "https://x/EA/a_EA.csv", "m/EA.csv"),
    ]
    assert file_entries(SOURCE) == [(None, SOURCE)]


def test_places_are_countries_or_declared_aggregates():
    assert place_of("DE") == ("country", "Europe")
    assert place_of("EA") == ("aggregate", "Europe")
    assert place_of("AQ") == ("country", None)  # a country with no region is still a country
    assert place_of("EU") is None and place_of("ZZ") is None


def test_each_bad_row_is_rejected_with_its_reason_and_good_rows_are_kept():
    frame = raw([
        ("2024-01-01", "US", "3.5"),
        ("2024-01-01", " us ", "3.5"),
        ("1999-12-31", "US", "1"),
        ("2030-01-01", "US", "1"),
        ("yesterday", "US", "1"),
        ("2024-01-02", None, "1"),
        ("2024-01-02", "UK", "1"),
        ("2024-01-02", "US", "abc"),
        ("2024-01-03", "US", "inf"),
        ("2024-01-04", "US", "-0.1"),
        ("2024-01-05", "US", None),
        ("2024-01-06", "EA", "100"),
    ])  # fmt: skip
    result = transform_series(frame, SOURCE, today=date(2026, 1, 1))
    assert len(result.table) + len(result.rejects) == len(frame)
    assert result.table[["place_code", "value"]].values.tolist() == [["US", 3.5], ["EA", 100.0]]
    assert result.rejects.set_index("source_row")["reason"].to_dict() == {
        2: "duplicate of row 1",
        3: "date 1999-12-31 is outside 2000-01-01 .. 2026-01-03",
        4: "date 2030-01-01 is outside 2000-01-01 .. 2026-01-03",
        5: "date 'yesterday' is not a date",
        6: "no place",
        7: "unknown place 'UK' (not a country code in data/regions.csv nor an aggregate in "
        "data/places.yaml)",
        8: "value 'abc' is not a number",
        9: "value inf is not finite",
        10: "share -0.1 is outside 0-100",
        11: "no value",
    }


def test_an_index_may_exceed_100_and_variant_defaults_to_all():
    source = {**SOURCE, "unit": "index_2020_02_01_eq_100"}
    result = transform_series(raw([("2024-01-01", "GB", "180.25")]), source)
    assert result.rejects.empty
    row = result.table.iloc[0]
    assert (row["variant"], row["series"], row["value"]) == ("all", "AI share", 180.25)
