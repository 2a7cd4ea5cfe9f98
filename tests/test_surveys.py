"""Wide surveys declared in YAML alone: a fixture in another year's shape, the band parser, the
source-configuration gaps (one column feeding two, duplicate keys, bins, old country names), the
store upgrade, validation, and the real Kaggle 2022 zip conserved respondent by respondent."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import etl.pipeline as pipeline
from etl.cli import main
from etl.contract import SCHEMA_VERSION, columns
from etl.errors import ConfigError, ValidationError
from etl.normalise import location
from etl.normalise.bands import Band, parse_band, years_code, years_order
from etl.sources import load_sources
from etl.staging import apply_bins
from etl.store import publish, read_meta, read_tables
from etl.validate import validate_tables

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
KAGGLE_RESPONDENTS = 23_997


class SurveyWorld:
    """A data/ folder whose only source is the fixture survey, and a mirror holding its zip."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data = root / "data"
        shutil.copytree(ROOT / "data", self.data, ignore=shutil.ignore_patterns("processed", "raw"))
        for other in (self.data / "sources").glob("*.yaml"):
            other.unlink()
        shutil.copy(FIXTURES / "sources" / "wide_survey.yaml", self.data / "sources")
        self.mirror = root / "mirror"
        (self.mirror / "files").mkdir(parents=True)
        with zipfile.ZipFile(self.mirror / "files" / "wide_survey_2019.zip", "w") as archive:
            archive.write(
                FIXTURES / "surveys" / "wide_survey_2019.csv",
                "answers/multiple_choice_responses.csv",
            )
            archive.writestr("answers/README.txt", "not the member to read")
        self.store = root / "store" / "jobs.duckdb"
        monkeypatch.setenv("AIJOBS_DATA_DIR", str(self.data))
        monkeypatch.delenv("AIJOBS_MIRROR", raising=False)

    def refresh(self) -> pipeline.RefreshReport:
        return pipeline.refresh(out=self.store, mirror=self.mirror, progress=False)

    def sources_file(self) -> Path:
        return self.data / "sources" / "wide_survey.yaml"


@pytest.fixture
def survey(tmp_path, monkeypatch) -> SurveyWorld:
    return SurveyWorld(tmp_path, monkeypatch)


def _by_row(table: pd.DataFrame) -> dict[int, dict]:
    return {int(r["record_id"].rsplit(":", 1)[1]): r for r in table.to_dict("records")}


# --- a survey in another shape, from its YAML entry alone ------------------------------------


def test_a_survey_in_another_years_shape_loads_from_its_yaml_entry_alone(survey) -> None:
    report = survey.refresh()
    assert report.exit_code == 0, report.message
    (result,) = report.results
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (8, 6, 2)
    tables = read_tables(survey.store)
    rows = _by_row(tables["salaries"])
    assert sorted(rows) == [1, 2, 3, 4, 7, 8]
    first = rows[1]
    assert (first["role"], first["country_code"], first["region"]) == (
        "Research Scientist",
        "US",
        "North America",
    )
    assert (first["education"], first["years_coding"], first["company_size"]) == (
        "doctorate",
        "10-19",
        "L",
    )
    assert rows[3]["role"] == "Machine Learning Engineer"
    assert rows[4]["education"] == "unknown" and rows[8]["years_coding"] == "0"
    skills = tables["salary_skills"]
    assert set(skills.loc[skills["record_id"] == "wide_survey_2019:1", "skill"]) == {
        "Python",
        "CNN",
        "PyTorch",
    }
    assert set(skills.loc[skills["record_id"] == "wide_survey_2019:3", "skill"]) == {
        "Python",
        "CNN",
        "RNN",
        "PyTorch",
        "TensorFlow",
    }
    # "None" is no skill, and the text column beside the group (Q18_OTHER_TEXT) is not taken
    assert set(skills.loc[skills["record_id"] == "wide_survey_2019:2", "skill"]) == {"R", "SQL"}
    assert set(skills.loc[skills["record_id"] == "wide_survey_2019:4", "skill"]) == {"Python"}
    assert not (skills["record_id"] == "wide_survey_2019:8").any()  # nothing ticked
    assert read_meta(survey.store)["schema_version"] == SCHEMA_VERSION


def test_survey_rejects_name_the_reason_and_every_row_is_accounted_for(survey) -> None:
    survey.refresh()
    tables = read_tables(survey.store)
    rejects = tables["rejects"].set_index("source_row")["reason"].to_dict()
    assert rejects == {5: "no title: students were not asked", 6: "no title: not answered"}
    assert len(tables["salaries"]) + len(tables["rejects"]) == 8


def test_pay_bands_keep_both_edges_and_no_made_up_point_value(survey) -> None:
    survey.refresh()
    rows = _by_row(read_tables(survey.store)["salaries"])
    assert (rows[1]["salary_min_usd"], rows[1]["salary_max_usd"]) == (100_000, 199_999)
    assert (rows[2]["salary_min_usd"], rows[2]["salary_max_usd"]) == (0, 9_999)
    assert rows[3]["salary_min_usd"] == 200_000 and pd.isna(rows[3]["salary_max_usd"])
    assert pd.isna(rows[4]["salary_min_usd"])  # no pay answered: loaded, pay blank
    assert all(pd.isna(r["salary_usd"]) for r in rows.values())


def test_one_column_feeds_two_staged_columns_and_bins_read_ranges(survey) -> None:
    survey.refresh()
    rows = _by_row(read_tables(survey.store)["salaries"])
    # Q3 -> residence and job country; Q15 -> years_coding and (binned) seniority
    assert rows[2]["residence_country_code"] == rows[2]["country_code"] == "SZ"
    seniority = {n: rows[n]["seniority"] for n in rows}
    assert seniority == {1: "senior", 2: "entry", 3: "mid", 4: "entry", 7: "senior", 8: "entry"}
    assert {n: rows[n]["company_size"] for n in (2, 3, 7)} == {2: "S", 3: "M", 7: "L"}


def test_old_country_names_resolve_to_todays_codes_never_withdrawn_ones() -> None:
    assert location.country_code("Swaziland") == "SZ"
    assert location.country_code("Serbia and Montenegro") == "RS"
    assert location.country_code("Netherlands Antilles") == "CW"
    assert location.country_code("Hong Kong (S.A.R.)") == "HK"
    assert location.country_code("Iran, Islamic Republic of...") == "IR"
    assert location.country_code("Czechoslovakia") is None  # split: no single successor
    assert location.country_code("CS") is None  # a withdrawn code is not a country


def test_a_zip_without_the_named_member_fails_with_one_line(survey) -> None:
    text = survey.sources_file().read_text(encoding="utf-8")
    survey.sources_file().write_text(
        text.replace("answers/multiple_choice_responses.csv", "answers/missing.csv"),
        encoding="utf-8",
    )
    report = survey.refresh()
    assert report.exit_code == 2
    assert "no member 'answers/missing.csv'" in report.results[0].message
    assert "README.txt" in report.results[0].message


def test_a_multi_select_pattern_matching_no_column_is_a_wrong_column_set(survey) -> None:
    text = survey.sources_file().read_text(encoding="utf-8")
    survey.sources_file().write_text(text.replace("Q28_Part_*", "Q99_Part_*"), encoding="utf-8")
    report = survey.refresh()
    assert "wrong column set" in report.results[0].message
    assert "Q99_Part_*" in report.results[0].message


# --- the sources file's checks ---------------------------------------------------------------


def _sources_from(tmp_path: Path, body: str) -> list[dict]:
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    (folder / "s.yaml").write_text(body, encoding="utf-8")
    return load_sources(folder)


ENTRY = """sources:
  - name: s
    kind: salaries
    mirror_path: s.csv
    columns:
      Q1: title
{extra}
"""


def test_a_duplicate_key_in_a_sources_file_is_an_error_not_a_silent_overwrite(tmp_path) -> None:
    body = ENTRY.format(extra="      Q1: company_country")
    with pytest.raises(ConfigError, match=r"duplicate key 'Q1' \(lines 6 and 7\)"):
        _sources_from(tmp_path, body)


def test_a_list_value_feeds_several_staged_columns_and_unknown_ones_are_named(tmp_path) -> None:
    ok = _sources_from(
        tmp_path, ENTRY.format(extra="      Q2: [residence_country, company_country]")
    )
    assert ok[0]["columns"]["Q2"] == ["residence_country", "company_country"]
    with pytest.raises(ConfigError, match=r"unknown staged column\(s\) \['country_code'\]"):
        _sources_from(tmp_path, ENTRY.format(extra="      Q2: [residence_country, country_code]"))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    bins: {company_size: [{below: 250, code: M}, {below: 50, code: S}]}", "increasing"),
        ("    bins: {company_size: [{code: L}, {below: 50, code: S}]}", "only the last bin"),
        ("    bins: {company_size: [{below: fifty, code: S}]}", "must be a number"),
        ("    reject_when: [{column: Q5, reason: why}]", "exactly one of equals, in or missing"),
        ("    reject_when: [{column: Q5, equals: x, missing: true, reason: y}]", "exactly one"),
        ("    multi_select: [{options: {}}]", "column-name pattern"),
        ("    pay_required: sometimes", "'pay_required' must be true or false"),
        ("    header_rows: 0", "'header_rows' must be a row number"),
    ],
)
def test_malformed_survey_keys_are_one_line_config_errors(tmp_path, extra, message) -> None:
    with pytest.raises(ConfigError, match=message):
        _sources_from(tmp_path, ENTRY.format(extra=extra))


# --- bands and bins ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("$0-999", Band(0, 999)),
        ("100,000-124,999", Band(100_000, 124_999)),
        ("$500,000-999,999", Band(500_000, 999_999)),
        (">$1,000,000", Band(1_000_000, None)),
        ("> $500,000", Band(500_000, None)),
        ("$1,000,000+", Band(1_000_000, None)),
        ("$100k-150k", Band(100_000, 150_000)),
        ("< 1 years", Band(0, 1)),
        ("Under 1 year", Band(0, 1)),
        ("20 or more years", Band(20, None)),
        ("10,000 or more employees", Band(10_000, None)),
        ("3", Band(3, 3)),
    ],
)
def test_band_parser_reads_published_band_texts(text, band) -> None:
    assert parse_band(text) == band


@pytest.mark.parametrize("text", ["I prefer not to answer", "", None, "n/a", "999-100", True])
def test_band_parser_says_none_for_what_is_no_band(text) -> None:
    assert parse_band(text) is None


def test_years_codes_are_the_band_edges_and_sort_in_order() -> None:
    texts = ["20+ years", "1-3 years", "I have never written code", "< 1 years", "0", "5-10 years"]
    codes = [years_code(t) for t in texts]
    assert codes == ["20+", "1-3", None, "<1", "0", "5-10"]
    assert sorted([c for c in codes if c], key=years_order) == ["0", "<1", "1-3", "5-10", "20+"]


def test_bins_code_a_whole_band_and_refuse_one_that_straddles_an_edge() -> None:
    spec = [{"below": 50, "code": "S"}, {"below": 250, "code": "M"}, {"code": "L"}]
    values = pd.Series(["0-49 employees", "50-249 employees", "40-60", "12", "lots", None])
    assert apply_bins(values, spec).tolist() == ["S", "M", None, "S", None, None]


# --- store: validation and upgrade ------------------------------------------------------------


def _salary(**overrides) -> pd.DataFrame:
    row = {
        "record_id": "k:1", "source": "k", "year": 2022, "title": "Research Scientist",
        "role": "Research Scientist", "seniority": "unknown", "remote": "unknown",
        "employment_type": "unknown", "salary_min_usd": 100_000.0, "salary_max_usd": 124_999.0,
        "education": "doctorate", "publishes_research": True, "years_coding": "5-10",
        "years_ml": "<1",
    }  # fmt: skip
    return pd.DataFrame([{**row, **overrides}])


def test_a_band_survey_record_without_a_point_salary_is_valid() -> None:
    valid = validate_tables({"salaries": _salary()})
    assert pd.isna(valid["salaries"].loc[0, "salary_usd"])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"salary_max_usd": 50_000.0}, "upper edge is below the lower one"),
        ({"education": "phd"}, "education"),
        ({"years_ml": "about two"}, "years_ml"),
        ({"salary_min_usd": -1.0}, "salary_min_usd"),
    ],
)
def test_validation_refuses_broken_survey_records(overrides, message) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_tables({"salaries": _salary(**overrides)})


def test_validation_refuses_salary_skills_of_unknown_records() -> None:
    skills = pd.DataFrame({"record_id": ["k:2"], "skill": ["PyTorch"], "category": ["x"]})
    with pytest.raises(ValidationError, match=r"salary_skills.*record_id is not in salaries"):
        validate_tables({"salaries": _salary(), "salary_skills": skills})


def test_ensure_store_upgrades_a_schema_2_store_with_the_new_columns_blank(tmp_path) -> None:
    out = tmp_path / "jobs.duckdb"
    publish({"salaries": _salary(salary_usd=120_000.0)}, out)
    con = duckdb.connect(str(out))
    for column in ("salary_min_usd", "salary_max_usd", "education", "years_ml"):
        con.execute(f"ALTER TABLE salaries DROP COLUMN {column}")
    con.execute("DROP TABLE salary_skills")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    assert main(["ensure-store", "--out", str(out), "--quiet"]) == 0
    tables = read_tables(out)
    assert read_meta(out)["schema_version"] == SCHEMA_VERSION
    assert list(tables["salaries"].columns) == columns("salaries")
    row = tables["salaries"].iloc[0]
    assert row["salary_usd"] == 120_000 and pd.isna(row["education"])
    assert row["years_coding"] == "5-10"  # columns the old store had are kept
    assert tables["salary_skills"].empty
