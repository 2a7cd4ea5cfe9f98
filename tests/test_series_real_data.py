"""The Hiring Lab series from ../shared/data: every file loads whole, and figures computed here
with pandas straight from the raw CSVs (independently of the ETL) equal the store's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.pipeline import refresh

SERIES_SOURCES = [
    "hiring_lab_ai_share",
    "hiring_lab_genai_share",
    "hiring_lab_postings_index",
    "hiring_lab_sector_index",
]
AGGREGATE = ["AU", "CA", "DE", "EA", "ES", "FR", "GB", "IE", "IT", "NL", "US"]
SECTORS = ["AU", "CA", "DE", "FR", "GB", "US"]


@pytest.fixture(scope="module")
def series_run(tmp_path_factory, shared_data: Path):
    out = tmp_path_factory.mktemp("series_store") / "jobs.duckdb"
    report = refresh(out=out, mirror=shared_data, sources=SERIES_SOURCES, progress=False)
    assert report.exit_code == 0, report.message
    return report, out


def raw_csv(shared_data: Path, path: str) -> pd.DataFrame:
    return pd.read_csv(shared_data / "hiring_lab" / path, keep_default_na=False, na_values=[""])


def store_value(out: Path, sql: str, params: list) -> float:
    con = duckdb.connect(str(out), read_only=True)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def test_every_hiring_lab_file_loads_every_row(series_run, shared_data):
    report, _ = series_run
    results = {r.name: r for r in report.results}
    expected = {
        "hiring_lab_ai_share": len(raw_csv(shared_data, "ai_tracker/AI_posting.csv")),
        "hiring_lab_genai_share": len(raw_csv(shared_data, "ai_tracker/GenAI_posting.csv")),
    }
    for name, rows in expected.items():
        r = results[name]
        assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (rows, rows, 0), name
    for name, codes, pattern in (
        ("hiring_lab_postings_index", AGGREGATE, "aggregate_job_postings_{}.csv"),
        ("hiring_lab_sector_index", SECTORS, "job_postings_by_sector_{}.csv"),
    ):
        r = results[name]
        assert r.rows_loaded + r.rows_rejected == r.rows_read
        for cc in codes:
            rows = len(raw_csv(shared_data, f"job_postings_tracker/{cc}/{pattern.format(cc)}"))
            assert f"{cc} {rows:,} read = {rows:,} loaded + 0 rejected" in r.message


def test_us_ai_share_in_june_2025_equals_pandas_on_the_raw_file(series_run, shared_data):
    raw = raw_csv(shared_data, "ai_tracker/AI_posting.csv")
    raw["date"] = pd.to_datetime(raw["date"])
    june = raw[(raw["jobcountry"] == "US") & (raw["date"].dt.strftime("%Y-%m") == "2025-06")]
    expected = june["AI_share_postings"].mean()
    assert expected == pytest.approx(2.99, abs=0.01)  # PROVENANCE.md: "US, June 2025: 2.99 %"
    got = store_value(
        series_run[1],
        "SELECT value FROM series_monthly WHERE source = 'hiring_lab_ai_share' "
        "AND place_code = ? AND month = ?",
        ["US", "2025-06-01"],
    )
    assert got == pytest.approx(expected, abs=1e-9)


def test_de_ai_share_over_2024_equals_pandas_on_the_raw_file(series_run, shared_data):
    raw = raw_csv(shared_data, "ai_tracker/AI_posting.csv")
    de = raw[(raw["jobcountry"] == "DE") & raw["date"].str.startswith("2024-")]
    got = store_value(
        series_run[1],
        "SELECT avg(value) FROM series WHERE source = 'hiring_lab_ai_share' "
        "AND place_code = ? AND year(date) = 2024",
        ["DE"],
    )
    assert len(de) == 366
    assert got == pytest.approx(de["AI_share_postings"].mean(), abs=1e-9)


def test_gb_software_development_index_over_2023_equals_pandas(series_run, shared_data):
    raw = raw_csv(shared_data, "job_postings_tracker/GB/job_postings_by_sector_GB.csv")
    gb = raw[(raw["display_name"] == "Software Development") & raw["date"].str.startswith("2023-")]
    got = store_value(
        series_run[1],
        "SELECT avg(value) FROM series WHERE source = 'hiring_lab_sector_index' "
        "AND series = 'Software Development' AND place_code = ? AND year(date) = 2023",
        ["GB"],
    )
    assert len(gb) == 365
    assert got == pytest.approx(gb["indeed_job_postings_index"].mean(), abs=1e-9)


def test_withdrawn_genai_series_is_frozen_at_its_last_date(series_run):
    out = series_run[1]
    last = store_value(
        out, "SELECT last_date FROM source_coverage WHERE source = ?", ["hiring_lab_genai_share"]
    )
    assert str(last) == "2025-06-28"
    status = store_value(
        out, "SELECT status FROM sources WHERE name = ?", ["hiring_lab_genai_share"]
    )
    assert status == "withdrawn"


def test_sector_examples_and_missing_sectors_come_from_the_files(series_run):
    out = series_run[1]
    examples = store_value(
        out,
        "SELECT examples FROM series_labels WHERE series = ?",
        ["Software Development"],
    )
    assert examples == "software engineer, full stack developer"
    fr_math = store_value(
        out,
        "SELECT count(*) FROM series WHERE place_code = 'FR' AND series = ?",
        ["Mathematics"],
    )
    assert fr_math == 0
    ea = store_value(out, "SELECT DISTINCT place_type FROM series WHERE place_code = ?", ["EA"])
    assert ea == "aggregate"
