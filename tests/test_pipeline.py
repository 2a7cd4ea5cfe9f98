"""The refresh end to end on hand-made sources: a new source is only a YAML entry, a broken
source keeps its previous rows, and nothing invalid is ever published."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from tiny_stores import read_sql

import etl.engine as engine
import etl.pipeline as pipeline
from etl.store import RefreshInProgress, read_meta, read_tables, refresh_lock

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ROWS_IN_FILE = {"board_csv": 5, "survey_gz": 6, "hr_xlsx": 3, "feed_json": 3}


class World:
    """A data/ folder whose only sources are the fixture sources, and a mirror we may break."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data = root / "data"
        shutil.copytree(ROOT / "data", self.data, ignore=shutil.ignore_patterns("processed", "raw"))
        for other in (self.data / "sources").glob("*.yaml"):
            other.unlink()
        shutil.copy(FIXTURES / "sources" / "fixtures.yaml", self.data / "sources")
        self.mirror = root / "mirror"
        shutil.copytree(FIXTURES / "files", self.mirror / "files")
        self.store = root / "store" / "jobs.duckdb"
        monkeypatch.setenv("AIJOBS_DATA_DIR", str(self.data))
        monkeypatch.delenv("AIJOBS_MIRROR", raising=False)

    def refresh(self, **kwargs) -> pipeline.RefreshReport:
        return pipeline.refresh(out=self.store, mirror=self.mirror, progress=False, **kwargs)

    def tables(self) -> dict[str, pd.DataFrame]:
        return read_tables(self.store)

    def file(self, name: str) -> Path:
        return self.mirror / "files" / name


@pytest.fixture
def world(tmp_path, monkeypatch) -> World:
    return World(tmp_path, monkeypatch)


def by_source(table: pd.DataFrame) -> dict[str, int]:
    return table.groupby("source").size().to_dict()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_rows(tables: dict[str, pd.DataFrame], source: str) -> pd.DataFrame:
    table = tables["salaries"] if source == "survey_gz" else tables["postings"]
    return table[table["source"] == source].sort_values(table.columns[0]).reset_index(drop=True)


def test_four_new_sources_in_four_formats_load_from_yaml_alone(world):
    report = world.refresh()
    assert report.exit_code == 0, [r.message for r in report.results]
    tables = world.tables()
    loaded = by_source(tables["postings"]) | by_source(tables["salaries"])
    rejected = by_source(tables["rejects"])
    for name, rows in ROWS_IN_FILE.items():
        assert loaded[name] + rejected.get(name, 0) == rows, name
    result = {r.name: r for r in report.results}
    assert all(r.rows_loaded + r.rows_rejected == r.rows_read for r in result.values())
    assert result["board_csv"].top_reasons[0][0].startswith("duplicate of row")
    assert set(tables["sources"]["name"]) == set(ROWS_IN_FILE)
    assert read_meta(world.store)["kind"] == "real"
    assert read_meta(world.store)["run_id"] == report.run_id
    assert (tables["runs"]["status"] == "ok").all()


def test_rejects_keep_the_raw_row_and_a_readable_reason(world):
    world.refresh()
    rejects = world.tables()["rejects"].set_index(["source", "source_row"])
    assert rejects.loc[("board_csv", 4), "reason"] == "duplicate of row 1"
    assert json.loads(rejects.loc[("board_csv", 5), "raw"])["Salary From"] == "-5000"
    assert rejects.loc[("survey_gz", 5), "reason"] == "unknown currency 'XYZ'"


def test_skills_reference_loaded_postings_only(world):
    world.refresh()
    tables = world.tables()
    assert set(tables["posting_skills"]["posting_id"]) <= set(tables["postings"]["posting_id"])
    assert "PyTorch" in set(tables["posting_skills"]["skill"])


def corrupt_gzip(world: World) -> str:
    world.file("survey.csv.gz").write_bytes(world.file("survey.csv.gz").read_bytes()[:-12])
    return "corrupt or truncated gzip"


def non_utf8(world: World) -> str:
    text = world.file("board_postings.csv").read_text().replace("Acme AI", "Acmé AI")
    world.file("board_postings.csv").write_bytes(text.encode("latin-1"))
    return "not utf-8 text"


def empty(world: World) -> str:
    world.file("board_postings.csv").write_bytes(b"")
    return "the file is empty"


def wrong_columns(world: World) -> str:
    text = world.file("board_postings.csv").read_text().replace("Job Title", "Position")
    world.file("board_postings.csv").write_text(text)
    return "wrong column set: missing ['Job Title']"


def missing(world: World) -> str:
    world.file("hr_export.xlsx").unlink()
    return "file not found"


@pytest.mark.parametrize("breakage", [corrupt_gzip, non_utf8, empty, wrong_columns, missing])
def test_a_broken_file_keeps_its_previous_rows_and_the_others_refresh(world, breakage):
    world.refresh()
    before = world.tables()
    says = breakage(world)
    report = world.refresh()
    assert report.exit_code == 1 and report.published
    broken = next(r for r in report.results if r.status != "ok")
    assert broken.status == "kept_previous"
    assert says in broken.message and "\n" not in broken.message
    assert str(world.mirror) in broken.message  # names the file
    after = world.tables()
    pd.testing.assert_frame_equal(source_rows(before, broken.name), source_rows(after, broken.name))
    runs = after["runs"]
    last = runs[runs["run_id"] == report.run_id].set_index("source")["status"]
    assert (last.drop(broken.name) == "ok").all()


def test_a_source_that_fails_on_the_first_run_is_reported_failed(world):
    world.file("feed.json").write_text('{"data": {"jobs": [')
    report = world.refresh()
    result = next(r for r in report.results if r.name == "feed_json")
    assert (result.status, report.exit_code) == ("failed", 1)
    assert "malformed JSON" in result.message


def test_when_no_source_loads_the_data_stays_and_the_run_is_recorded(world):
    world.refresh()
    before = world.tables()
    for path in (world.mirror / "files").iterdir():
        path.write_bytes(b"")
    report = world.refresh()
    assert report.exit_code == 2 and "no source could be loaded" in report.message
    after = world.tables()
    for table in ("postings", "salaries", "posting_skills", "rejects"):
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)
    runs = after["runs"].set_index("run_id").loc[report.run_id]
    assert len(runs) == 4 and set(runs["status"]) == {"kept_previous"}
    assert runs["message"].str.contains("the file is empty").all()


def test_when_no_source_loads_and_there_is_no_store_nothing_is_published(world):
    for path in (world.mirror / "files").iterdir():
        path.write_bytes(b"")
    report = world.refresh()
    assert report.exit_code == 2 and not report.published
    assert not world.store.exists()


def test_a_validation_failure_publishes_nothing(world, monkeypatch):
    world.refresh()
    before = digest(world.store)
    real = engine.transform_salaries

    def broken(*args, **kwargs):
        result = real(*args, **kwargs)
        result.table["seniority"] = "guru"
        return result

    monkeypatch.setenv("AIJOBS_WORKERS", "1")  # file sources are transformed by etl/engine.py
    monkeypatch.setattr(engine, "transform_salaries", broken)
    report = world.refresh()
    assert report.exit_code == 2
    assert "nothing published" in report.message and "seniority" in report.message
    assert digest(world.store) == before


def test_runs_accumulate_one_row_per_source_and_run(world):
    first, second = world.refresh(), world.refresh()
    runs = world.tables()["runs"]
    assert runs.groupby("run_id").size().to_dict() == {first.run_id: 4, second.run_id: 4}


def test_refreshing_one_source_leaves_the_others_as_they_were(world):
    world.refresh()
    before = world.tables()
    report = world.refresh(sources=["hr_xlsx"])
    after = world.tables()
    assert [r.name for r in report.results] == ["hr_xlsx"]
    for name in ("board_csv", "survey_gz", "feed_json"):
        pd.testing.assert_frame_equal(source_rows(before, name), source_rows(after, name))
    assert len(after["posting_skills"]) == len(before["posting_skills"])


def test_replace_merge_drops_rows_that_left_the_file(world):
    world.refresh()
    lines = world.file("board_postings.csv").read_text().splitlines()
    world.file("board_postings.csv").write_text("\n".join(lines[:2]) + "\n")
    world.refresh()
    assert by_source(world.tables()["postings"])["board_csv"] == 1
    assert "board_csv" not in by_source(world.tables()["rejects"])


def test_a_previous_demo_store_is_not_carried_into_a_real_one(world):
    from etl.demo import build_demo_store

    build_demo_store(world.store)
    world.refresh()
    tables = world.tables()
    assert set(tables["postings"]["source"]) | set(tables["salaries"]["source"]) <= set(
        ROWS_IN_FILE
    )
    assert read_meta(world.store)["kind"] == "real"


def test_the_progress_file_tells_the_dashboard_each_sources_outcome(world):
    progress = world.store.parent / "progress.json"
    report = world.refresh(progress_file=progress)
    doc = json.loads(progress.read_text())
    assert doc["run_id"] == report.run_id and doc["finished"] is True and doc["state"] == "done"
    assert doc["sources"]["survey_gz"] == {
        "status": "ok", "rows_read": 6, "rows_loaded": 4, "rows_rejected": 2,
        "message": doc["sources"]["survey_gz"]["message"],
    }  # fmt: skip
    assert "started_at" in doc


def test_a_refresh_while_another_holds_the_lock_is_refused(world):
    with refresh_lock(world.store), pytest.raises(RefreshInProgress, match="already running"):
        world.refresh()


def test_the_summary_table_lists_every_source(world):
    from rich.console import Console

    report = world.refresh()
    console = Console(width=200, record=True)
    console.print(pipeline.summary_table(report))
    text = console.export_text()
    for name in ROWS_IN_FILE:
        assert name in text
    assert "duplicate of row" in text


def test_a_gzip_fixture_is_really_gzip():
    assert gzip.decompress((FIXTURES / "files" / "survey.csv.gz").read_bytes()).startswith(b"Year,")


def test_the_streamed_store_build_stores_postings_by_date(world):
    board = world.file("board_postings.csv")
    header, *rows = board.read_text(encoding="utf-8").splitlines()
    board.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")  # newest first
    assert world.refresh().exit_code == 0
    stored = read_sql(world.store, "SELECT source, posted_date FROM postings ORDER BY rowid")
    # several sources' dates to interleave
    assert stored["source"].nunique() > 1 and stored["posted_date"].nunique() > 2
    assert stored["posted_date"].is_monotonic_increasing
