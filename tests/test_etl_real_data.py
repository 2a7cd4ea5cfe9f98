"""The real refresh from ../shared/data: every row accounted for and figures that match the raw
files. Uses the session ``real_store`` (built once by etl.pipeline.refresh)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.store import read_meta

AIJOBS = "aijobs_salaries/salaries_2020-2025_asof-2025-08.csv.gz"
DATA_JOBS = "data_jobs/data_jobs_salary_all.csv.gz"


@pytest.fixture(scope="module")
def con(real_store):
    connection = duckdb.connect(str(real_store), read_only=True)
    yield connection
    connection.close()


def runs(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM runs").df().set_index("source")


@pytest.mark.parametrize(("source", "rows"), [("aijobs_salaries", 151_445), ("data_jobs", 32_672)])
def test_every_row_of_the_file_is_loaded_or_rejected(con, source, rows):
    table = "salaries" if source == "aijobs_salaries" else "postings"
    loaded = con.execute(f"SELECT count(*) FROM {table} WHERE source = ?", [source]).fetchone()[0]
    rejected = con.execute("SELECT count(*) FROM rejects WHERE source = ?", [source]).fetchone()[0]
    assert loaded + rejected == rows
    run = runs(con).loc[source]
    assert (run["status"], run["rows_read"], run["rows_loaded"], run["rows_rejected"]) == (
        "ok", rows, loaded, rejected,
    )  # fmt: skip


def test_identical_survey_answers_are_not_deduplicated(con):
    assert (
        con.execute("SELECT count(*) FROM salaries WHERE source='aijobs_salaries'").fetchone()[0]
        == 151_445
    )


def test_median_senior_us_salary_2024_equals_the_raw_files_median(con, shared_data):
    raw = pd.read_csv(shared_data / AIJOBS, keep_default_na=False, na_values=[""])
    expected = raw.query(
        "work_year == 2024 and experience_level == 'SE' and company_location == 'US'"
    )["salary_in_usd"].median()
    got = con.execute(
        "SELECT median(salary_usd) FROM salaries WHERE source='aijobs_salaries' AND year=2024 "
        "AND seniority='senior' AND country_code='US'"
    ).fetchone()[0]
    assert got == pytest.approx(expected)


def test_hourly_data_jobs_pay_is_annualised_like_the_raw_file(con, shared_data):
    raw = pd.read_csv(shared_data / DATA_JOBS, keep_default_na=False, na_values=[""])
    expected = (raw.loc[raw["salary_rate"] == "hour", "salary_hour_avg"] * 2080).median()
    got = con.execute(
        "SELECT median(salary_usd) FROM postings WHERE source='data_jobs' AND salary_period='hour'"
    ).fetchone()[0]
    assert got == pytest.approx(expected, rel=0.01)  # a few duplicates are dropped


def test_sudan_scrape_artifacts_are_corrected_and_counted(con):
    message = runs(con).loc["data_jobs", "message"]
    corrected = int(
        message.split(" stated countries corrected")[0].rsplit("; ", 1)[-1].replace(",", "")
    )
    assert corrected >= 2_680
    sudan = con.execute("SELECT count(*) FROM postings WHERE country_code = 'SD'").fetchone()[0]
    assert sudan < 50


def test_role_coverage_is_reported_and_most_titles_have_a_role(con):
    coverage = con.execute(
        "SELECT source, avg(CASE WHEN role <> 'Other' THEN 1 ELSE 0 END) FROM "
        "(SELECT source, role FROM salaries UNION ALL SELECT source, role FROM postings) "
        "WHERE source IN ('aijobs_salaries', 'data_jobs') GROUP BY source"
    ).fetchall()
    assert all(share > 0.7 for _, share in coverage), coverage


def test_data_jobs_skills_are_exploded_and_reference_postings(con):
    orphans = con.execute(
        "SELECT count(*) FROM posting_skills s LEFT JOIN postings p USING (posting_id) "
        "WHERE p.posting_id IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    python = con.execute(
        "SELECT count(DISTINCT posting_id) FROM posting_skills WHERE skill = 'Python' "
        "AND posting_id LIKE 'data_jobs:%'"
    ).fetchone()[0]
    assert python > 10_000


def test_the_store_is_real_and_lists_its_sources_with_licenses(con, real_store):
    assert read_meta(real_store)["kind"] == "real"
    licenses = dict(con.execute("SELECT name, license FROM sources").fetchall())
    assert "CC0" in licenses["aijobs_salaries"] and "Apache" in licenses["data_jobs"]
