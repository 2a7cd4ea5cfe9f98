"""dashboard/queries/sources.py: the Data page's tables and rows on the tiny store."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from tiny_stores import POSTINGS, SALARIES

from dashboard.queries import sources
from dashboard.queries.filters import Filters


def test_sources_table_counts_loaded_and_rejected_rows(store: tuple[str, str]) -> None:
    got = sources.sources_table(*store).set_index("name")
    assert got.loc["a", "rows_loaded"] == 8 and got.loc["a", "rows_rejected"] == 2
    assert got.loc["survey", "rows_loaded"] == 8 and got.loc["survey", "rows_rejected"] == 0


def test_reject_reasons_group_with_an_example(store: tuple[str, str]) -> None:
    got = sources.reject_reasons(*store)
    top = got.iloc[0]
    assert (top["reason"], top["n"], top["example_row"], top["example"]) == (
        "no date",
        2,
        3,
        '{"r":3}',
    )


def test_role_coverage_counts_postings_and_records_and_lists_other_titles(
    store: tuple[str, str],
) -> None:
    roles, other = sources.role_coverage(*store, Filters())
    both = pd.concat([POSTINGS["role"], SALARIES["role"]]).value_counts()
    assert roles.set_index("role")["n"].to_dict() == both.to_dict()
    assert other.to_dict("records") == [{"title": "Widget", "n": 1}]


def test_filtered_rows_are_capped_and_report_the_full_count(store: tuple[str, str]) -> None:
    rows, total = sources.filtered_rows(*store, Filters(), "postings", cap=3)
    assert total == 10 and len(rows) == 3
    assert rows["posted_date"].iloc[0] == pd.Timestamp(date(2024, 1, 2))


def test_the_download_neutralises_formulas_from_source_text(tmp_path) -> None:
    """Titles and companies are source text: a spreadsheet opening the Data page's CSV must not
    run them (OWASP CSV injection), yet each value stays readable after its leading quote."""
    from tiny_stores import SKILLS, postings_full

    from etl.store import publish, store_version

    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
               "-2+3", "\tTab", "\rReturn", "Data Scientist"]  # fmt: skip
    p = postings_full().head(len(hostile)).copy()
    p["title"] = hostile
    p["company"] = "=1+1"
    out = publish({"postings": p, "posting_skills": SKILLS}, tmp_path / "jobs.duckdb")
    csv = sources.download_csv(str(out), store_version(out), Filters(), "postings")
    back = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    assert sorted(back["title"]) == sorted(["'" + t for t in hostile[:-1]] + ["Data Scientist"])
    assert set(back["company"]) == {"'=1+1"}
    assert len(back) == len(hostile)  # a CR inside a title did not split its row


def test_provenance_names_the_sources_and_months_the_filters_select(
    store: tuple[str, str],
) -> None:
    got = sources.provenance(*store, Filters())
    assert (got.sources, got.period, got.n) == (("A", "B"), "Jan 2023 – Jan 2024", 10)
    assert got.text() == "all data · A + B · Jan 2023 – Jan 2024 · n = 10 postings"


def test_provenance_drops_a_source_the_filters_exclude(store: tuple[str, str]) -> None:
    got = sources.provenance(*store, Filters(months=("2023-01", "2023-07")))
    assert (got.sources, got.period, got.n) == (("A",), "Jan–Jul 2023", 6)
    got = sources.provenance(*store, Filters(sources=("b",)))
    assert (got.sources, got.period, got.n) == (("B",), "Jan 2024", 2)
    got = sources.provenance(*store, Filters(regions=("Oceania",)))
    assert got.sources == () and got.text() == "Oceania · no postings"


def test_provenance_of_salary_records_gives_survey_years(store: tuple[str, str]) -> None:
    got = sources.provenance(*store, Filters(years=(2023, 2024)), "salaries")
    assert (got.sources, got.period, got.n) == (("S",), "2023–2024", 5)
    assert got.text().endswith("n = 5 salary records")


def test_provenance_refuses_an_unknown_table(store: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        sources.provenance(*store, Filters(), "series")
