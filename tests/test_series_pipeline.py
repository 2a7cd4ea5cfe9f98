"""Series sources end to end: a hand-made series declared in YAML loads with no code change, every
row read is loaded or rejected (per file), a broken file keeps the previous rows of its source,
the monthly mart and the per-source coverage are right, and an older store is upgraded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import etl.pipeline as pipeline
from etl.cli import main
from etl.contract import SCHEMA_VERSION
from etl.store import needs_upgrade, publish, read_meta, read_tables

ROOT = Path(__file__).resolve().parent.parent
SERIES = Path(__file__).parent / "fixtures" / "series"
ROWS = {"US": 9, "EA": 3}  # data rows in files/{P}/share_{P}.csv


class World:
    """A data/ folder whose only sources are the series fixtures, and a mirror we may break."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data = root / "data"
        shutil.copytree(ROOT / "data", self.data, ignore=shutil.ignore_patterns("processed", "raw"))
        for other in (self.data / "sources").glob("*.yaml"):
            other.unlink()
        shutil.copy(SERIES / "sources.yaml", self.data / "sources" / "series.yaml")
        self.mirror = root / "mirror"
        shutil.copytree(SERIES / "files", self.mirror / "files")
        self.store = root / "store" / "jobs.duckdb"
        monkeypatch.setenv("AIJOBS_DATA_DIR", str(self.data))
        monkeypatch.delenv("AIJOBS_MIRROR", raising=False)

    def refresh(self, **kwargs) -> pipeline.RefreshReport:
        return pipeline.refresh(out=self.store, mirror=self.mirror, progress=False, **kwargs)

    def tables(self) -> dict[str, pd.DataFrame]:
        return read_tables(self.store)


@pytest.fixture
def world(tmp_path, monkeypatch) -> World:
    return World(tmp_path, monkeypatch)


def test_a_series_declared_in_yaml_loads_with_no_code(world):
    report = world.refresh()
    assert report.exit_code == 0, [r.message for r in report.results]
    series = world.tables()["series"]
    toy = series[series["source"] == "toy_share"]
    assert len(toy) == 7
    us = toy[toy["place_code"] == "US"].sort_values("date")
    assert us["value"].tolist() == [2.0, 4.0, 3.0, 5.0]
    assert set(us["series"]) == {"AI"} and set(us["variant"]) == {"total"}
    assert set(us["unit"]) == {"percent_of_postings"}
    assert us["region"].iloc[0] == "North America" and us["place_type"].iloc[0] == "country"
    frozen = series[series["source"] == "toy_frozen"]
    assert frozen["place_code"].tolist() == ["GB"] * 3  # "gb" is GB
    assert set(frozen["series"]) == {"Toy index"} and set(frozen["variant"]) == {"all"}


def test_the_euro_area_is_an_aggregate_in_europe_not_a_country(world):
    world.refresh()
    series = world.tables()["series"]
    ea = series[series["place_code"] == "EA"]
    assert len(ea) == 3
    assert set(ea["place_type"]) == {"aggregate"} and set(ea["region"]) == {"Europe"}
    assert not (series["place_type"].eq("country") & series["place_code"].eq("EA")).any()


def test_every_row_of_every_file_is_loaded_or_rejected_with_a_reason(world):
    report = world.refresh()
    result = {r.name: r for r in report.results}["toy_share"]
    assert result.rows_read == sum(ROWS.values()) == 12
    assert (result.rows_loaded, result.rows_rejected) == (7, 5)
    assert "US 9 read = 4 loaded + 5 rejected" in result.message
    assert "EA 3 read = 3 loaded + 0 rejected" in result.message
    rejects = world.tables()["rejects"]
    mine = rejects[rejects["source"] == "toy_share"].sort_values("source_row")
    assert mine["source_row"].tolist() == [5, 6, 7, 8, 9]
    assert mine["reason"].tolist() == [
        "duplicate of row 2",
        "share 101.5 is outside 0-100",
        "no value",
        "unknown place 'XX' (not a country code in data/regions.csv nor an aggregate in "
        "data/places.yaml)",
        "date '2024-13-01' is not a date",
    ]
    assert {json.loads(r)["_file"] for r in mine["raw"]} == {"US"}
    runs = world.tables()["runs"]
    for row in runs.itertuples():
        assert row.rows_loaded + row.rows_rejected == row.rows_read


def test_sources_table_says_unit_method_attribution_status_and_breaks(world):
    world.refresh()
    sources = world.tables()["sources"].set_index("name")
    assert sources.loc["toy_frozen", "status"] == "withdrawn"
    assert sources.loc["toy_frozen", "status_date"] == pd.Timestamp("2024-03-01")
    assert sources.loc["toy_share", "status"] == "current"
    assert sources.loc["toy_share", "attribution"] == "Test fixture, made by hand"
    assert sources.loc["toy_share", "kind"] == "series"
    assert json.loads(sources.loc["toy_share", "breaks"]) == [
        {"date": "2024-02-01", "note": "The toy board changed its keyword list."}
    ]
    labels = world.tables()["series_labels"]
    assert labels[["series", "examples"]].values.tolist() == [["AI", "ml engineer, data scientist"]]


def test_monthly_mart_is_the_mean_of_the_days_and_counts_them(world):
    world.refresh()
    con = duckdb.connect(str(world.store), read_only=True)
    got = con.execute(
        "SELECT place_code, variant, strftime(month, '%Y-%m'), value, days, last_date "
        "FROM series_monthly WHERE source = 'toy_share' ORDER BY 1, 2, 3"
    ).fetchall()
    con.close()
    assert [(p, v, m, round(x, 9), d, str(last)) for p, v, m, x, d, last in got] == [
        ("EA", "new", "2024-02", 2.5, 1, "2024-02-01"),
        ("EA", "total", "2024-01", 1.5, 1, "2024-01-31"),
        ("EA", "total", "2024-02", 2.5, 1, "2024-02-01"),
        ("US", "total", "2024-01", 3.0, 2, "2024-01-31"),
        ("US", "total", "2024-02", 4.0, 2, "2024-02-02"),
    ]


def test_source_coverage_gives_each_sources_latest_data_date(world):
    world.refresh()
    con = duckdb.connect(str(world.store), read_only=True)
    got = con.execute(
        "SELECT source, kind, rows, first_date, last_date, precision FROM source_coverage "
        "ORDER BY source"
    ).fetchall()
    con.close()
    assert [(s, k, n, str(a), str(b), p) for s, k, n, a, b, p in got] == [
        ("toy_frozen", "series", 3, "2020-02-01", "2020-04-01", "day"),
        ("toy_share", "series", 7, "2024-01-30", "2024-02-02", "day"),
    ]


def test_a_broken_file_keeps_the_previous_rows_of_its_source_only(world):
    assert world.refresh().exit_code == 0
    before = world.tables()["series"]
    (world.mirror / "files" / "EA" / "share_EA.csv").write_text("day,where,topic\n1,2,3\n")
    report = world.refresh()
    assert report.exit_code == 1 and report.published
    result = {r.name: r for r in report.results}
    assert result["toy_share"].status == "kept_previous"
    assert "missing ['pct', 'kind_of_post']" in result["toy_share"].message
    assert result["toy_frozen"].status == "ok"
    after = world.tables()["series"]
    key = ["source", "series", "variant", "place_code", "date"]
    pd.testing.assert_frame_equal(
        before.sort_values(key).reset_index(drop=True),
        after.sort_values(key).reset_index(drop=True),
    )
    assert len(world.tables()["series_labels"]) == 1


def test_a_refresh_replaces_a_series_whole(world):
    world.refresh()
    (world.mirror / "files" / "frozen.csv").write_text("date,country,index\n2020-02-01,GB,100\n")
    world.refresh()
    series = world.tables()["series"]
    assert series[series["source"] == "toy_frozen"]["value"].tolist() == [100.0]


def test_ensure_store_upgrades_a_schema_2_store_without_series(world, capsys):
    world.refresh()
    old = world.store
    con = duckdb.connect(str(old))
    for table in ("series", "series_labels", "series_monthly", "source_coverage"):
        con.execute(f"DROP TABLE {table}")
    for column in ("attribution", "method", "status", "status_date", "breaks"):
        con.execute(f"ALTER TABLE sources DROP COLUMN {column}")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    assert needs_upgrade(old)
    assert main(["ensure-store", "--out", str(old)]) == 0
    assert "upgraded" in capsys.readouterr().out
    assert not needs_upgrade(old)
    assert read_meta(old)["schema_version"] == SCHEMA_VERSION
    tables = read_tables(old)
    assert tables["series"].empty and tables["sources"]["status"].isna().all()
    assert len(tables["sources"]) == 2


def test_a_share_outside_0_100_is_never_published(tmp_path):
    from etl.errors import ValidationError
    from etl.validate import validate_tables

    row = {
        "source": "s", "series": "AI", "variant": "all", "place_code": "US",
        "place_type": "country", "region": "North America", "date": pd.Timestamp("2024-01-01"),
        "value": 120.0, "unit": "percent_of_postings",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="shares outside 0-100"):
        validate_tables({"series": pd.DataFrame([row])})
    index = {**row, "unit": "index_2020_02_01_eq_100"}
    assert len(validate_tables({"series": pd.DataFrame([index])})["series"]) == 1
    with pytest.raises(ValidationError, match="not a finite number"):
        validate_tables({"series": pd.DataFrame([{**index, "value": float("inf")}])})
    publish({"series": pd.DataFrame([index])}, tmp_path / "s.duckdb")
    assert len(read_tables(tmp_path / "s.duckdb")["series"]) == 1
