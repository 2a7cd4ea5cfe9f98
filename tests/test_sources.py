"""The sources files: shipped entries load, and a broken entry is one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etl.contract import columns
from etl.errors import ConfigError
from etl.sources import load_sources, select, source_page, sources_table

FIXTURES = Path(__file__).parent / "fixtures"


def write(tmp_path: Path, entries: list, name: str = "files.yaml") -> Path:
    (tmp_path / name).write_text(yaml.safe_dump({"sources": entries}))
    return tmp_path


def entry(**overrides) -> dict:
    base = {
        "name": "x",
        "kind": "postings",
        "mirror_path": "x.csv",
        "columns": {"Title": "title"},
    }
    return {**base, **overrides}


def test_shipped_sources_include_both_file_sources_with_licenses():
    sources = {s["name"]: s for s in load_sources()}
    assert sources["aijobs_salaries"]["kind"] == "salaries"
    assert "CC0" in sources["aijobs_salaries"]["license"]
    assert sources["data_jobs"]["kind"] == "postings"
    assert "Apache" in sources["data_jobs"]["license"]
    assert sources["data_jobs"]["merge"] == "replace"


def test_api_sources_default_to_accumulate():
    api = [s for s in load_sources() if s["format"] == "api"]
    assert api and all(s["merge"] == "accumulate" for s in api)


def test_fixture_sources_need_only_yaml():
    names = [s["name"] for s in load_sources(FIXTURES / "sources")]
    assert names == ["board_csv", "survey_gz", "hr_xlsx", "feed_json", "wide_survey_2019"]


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (entry(kind="jobs"), "'kind' must be one of"),
        (entry(columns={"Title": "job_title"}), "unknown staged column(s) ['job_title']"),
        (entry(constants={"currancy": "USD"}), "unknown staged column(s) ['currancy']"),
        (entry(merge="append"), "'merge' must be replace or accumulate"),
        (entry(format="parquet"), "'format' must be one of"),
        (entry(columns=None), "'columns' must map"),
        (entry(mirror_path=None), "needs a 'url' or a 'mirror_path'"),
        (entry(header_row=0), "'header_row' must be a row number"),
        (entry(format="api"), "needs an 'adapter'"),
        (entry(limits={"max_lines": 5}), "unknown limit(s) ['max_lines']"),
        (entry(limits={"max_cells": 0}), "max_cells must be a whole number >= 1"),
        (entry(limits=[1]), "'limits' must be a mapping"),
        (entry(max_bytes="big"), "max_bytes must be a whole number"),
        (entry(time_budget=0), "'time_budget' must be a number of seconds"),
        (entry(redirect_hosts="cdn.example.org"), "'redirect_hosts' must be a list"),
        ({"kind": "postings"}, "missing 'name'"),
    ],
)
def test_a_broken_entry_names_the_file_and_the_entry(tmp_path, bad, says):
    write(tmp_path, [entry(name="fine"), bad])
    with pytest.raises(ConfigError) as err:
        load_sources(tmp_path)
    message = str(err.value)
    assert says in message
    assert "files.yaml" in message and "source #2" in message
    assert "\n" not in message


def test_a_name_declared_twice_is_refused(tmp_path):
    write(tmp_path, [entry(name="a")], "a.yaml")
    write(tmp_path, [entry(name="a")], "b.yaml")
    with pytest.raises(ConfigError, match=r"already declared in .*a\.yaml"):
        load_sources(tmp_path)


def test_invalid_yaml_and_missing_list_are_clear(tmp_path):
    (tmp_path / "bad.yaml").write_text("sources: [\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: not valid YAML"):
        load_sources(tmp_path)
    (tmp_path / "bad.yaml").write_text("name: x\n")
    with pytest.raises(ConfigError, match="top-level 'sources:' list"):
        load_sources(tmp_path)


def test_an_empty_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no sources files"):
        load_sources(tmp_path)


def test_select_keeps_order_and_refuses_unknown_names():
    sources = load_sources(FIXTURES / "sources")
    assert [s["name"] for s in select(sources, ["hr_xlsx", "board_csv"])] == [
        "hr_xlsx",
        "board_csv",
    ]
    assert select(sources, None) == sources
    with pytest.raises(ConfigError, match=r"unknown source\(s\) \['nope'\]"):
        select(sources, ["nope"])


def test_sources_table_has_one_row_per_source_with_the_contract_columns():
    table = sources_table(load_sources(FIXTURES / "sources"))
    assert list(table.columns) == columns("sources")
    assert table["name"].tolist() == [
        "board_csv",
        "survey_gz",
        "hr_xlsx",
        "feed_json",
        "wide_survey_2019",
    ]
    assert table["description"].isna().all()


def series_entry(**overrides) -> dict:
    base = {
        "name": "s",
        "kind": "series",
        "mirror_path": "s/{CC}.csv",
        "for_each": {"CC": ["US", "GB"]},
        "unit": "percent_of_postings",
        "method": "A share of postings.",
        "constants": {"series": "AI share"},
        "columns": {"d": "date", "c": "place", "v": "value"},
    }
    return {**base, **overrides}


def test_a_series_entry_is_checked_and_gets_its_defaults(tmp_path):
    write(tmp_path, [series_entry()])
    (source,) = load_sources(tmp_path)
    assert source["merge"] == "replace" and source["status"] == "current"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (series_entry(unit="people"), "'unit' must be one of"),
        (series_entry(method=" "), "'method' must say"),
        (series_entry(constants={}), "no column and no constant gives the series' 'series'"),
        (series_entry(columns={"d": "date", "v": "value"}), "gives the series' 'place'"),
        (series_entry(columns={"d": "date", "c": "country"}), "unknown staged column(s)"),
        (series_entry(status="gone"), "'status' must be one of"),
        (series_entry(status="withdrawn"), "needs 'status_date'"),
        (series_entry(merge="accumulate"), "replaced whole"),
        (series_entry(for_each={"CC": []}), "'for_each' must be one placeholder"),
        (series_entry(for_each={"XX": ["US"]}), "'for_each' 'XX' is not used as {XX}"),
        (series_entry(labels={"columns": {"a": "series"}}), "'labels.columns' must map"),
        (series_entry(breaks=[{"date": "2024-11-01"}]), "needs a 'date' and a 'note'"),
    ],
)
def test_a_broken_series_entry_is_one_clear_message(tmp_path, bad, says):
    write(tmp_path, [bad])
    with pytest.raises(ConfigError) as err:
        load_sources(tmp_path)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_shipped_hiring_lab_series_need_only_yaml():
    sources = {s["name"]: s for s in load_sources() if s["kind"] == "series"}
    assert set(sources) == {
        "hiring_lab_ai_share",
        "hiring_lab_genai_share",
        "hiring_lab_postings_index",
        "hiring_lab_sector_index",
    }
    assert all(s["license"] == "CC BY 4.0" and "Indeed Hiring Lab" in s["attribution"]
               for s in sources.values())  # fmt: skip
    assert sources["hiring_lab_genai_share"]["status"] == "withdrawn"
    assert "EA" in sources["hiring_lab_postings_index"]["for_each"]["CC"]


def test_a_per_country_url_pattern_is_shown_as_its_folder_page_never_with_the_placeholder():
    raw = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/{CC}/a_{CC}.csv"
    assert source_page(raw) == "https://github.com/hiring-lab/job_postings_tracker/tree/master"
    nested = "https://raw.githubusercontent.com/o/r/main/data/{CC}/x.csv"
    assert source_page(nested) == "https://github.com/o/r/tree/main/data"
    assert source_page("https://example.org/files/{CC}.csv") == "https://example.org/files/"
    plain_url = "https://raw.githubusercontent.com/hiring-lab/ai-tracker/main/AI_posting.csv"
    assert source_page(plain_url) == plain_url and source_page(None) is None


def test_the_shipped_sources_table_has_no_url_placeholder():
    table = sources_table(load_sources())
    assert not table["url"].dropna().str.contains("{", regex=False).any()
