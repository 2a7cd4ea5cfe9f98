"""The chunked transform (etl/engine.py): chunks of a source, in this process or on Dask,
give the single-frame result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.engine import (
    Engine,
    chunk_rows,
    cluster_min_rows,
    parquet_chunks,
    read_parts,
    transform_file,
    worker_count,
)
from etl.errors import ConfigError
from etl.sources import staged_columns
from etl.staging import stage
from etl.transform import transform_postings, transform_salaries
from etl.validate import conform

POSTINGS = {
    "name": "board",
    "kind": "postings",
    "columns": {c: c for c in ("id", "title", "company", "location", "country", "posted_date")},
}
POSTINGS["columns"]["id"] = "source_id"
SALARIES = {
    "name": "survey",
    "kind": "salaries",
    "columns": {c: c for c in ("year", "title", "salary_usd", "company_country", "remote")},
}


def posting(i: int, **values) -> dict:
    row = {"id": None, "title": f"Data Scientist {i}", "company": "Acme", "country": None,
           "location": "Austin, TX", "posted_date": "2023-04-24 09:51:15"}  # fmt: skip
    return {**row, **values}


def single(raw: pd.DataFrame, source: dict):
    staged = stage(raw, source, staged_columns(source["kind"]))
    if source["kind"] == "salaries":
        return transform_salaries(staged, raw, source["name"])
    return transform_postings(staged, raw, source["name"])


def chunked(raw, source, folder, monkeypatch, rows: int, workers: int = 1):
    monkeypatch.setenv("AIJOBS_CHUNK_ROWS", str(rows))
    with Engine(workers=workers) as engine:
        parts = transform_file(raw, source, folder, engine)
        used = engine.name
    result = read_parts(parts)
    result.engine = used
    return result


def assert_same(a, b, kind: str) -> None:
    """Equal as the store holds them (contract types; Parquet parts come back typed)."""
    table = "salaries" if kind == "salaries" else "postings"
    pd.testing.assert_frame_equal(conform(table, a.table), conform(table, b.table))
    pd.testing.assert_frame_equal(conform("rejects", a.rejects), conform("rejects", b.rejects))
    if kind != "salaries":
        pd.testing.assert_frame_equal(
            conform("posting_skills", a.posting_skills), conform("posting_skills", b.posting_skills)
        )
    assert a.notes == b.notes


def test_duplicates_spanning_chunks_are_rejected_as_in_the_whole_frame(tmp_path, monkeypatch):
    rows = [posting(i) for i in range(8)]
    rows[5] = posting(1)  # chunk 2 repeats row 2 of chunk 1
    rows[6] = posting(1)  # ... twice
    rows[7] = posting(6, title="")  # rejected for its own reason, not as a duplicate
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=3)
    assert_same(result, single(raw, POSTINGS), "postings")
    assert result.rejects["source_row"].tolist() == [6, 7, 8]
    assert result.rejects["reason"].tolist()[:2] == ["duplicate of row 2"] * 2
    assert any("2 duplicate postings dropped" in n for n in result.notes)


def test_a_chunk_fix_run_twice_as_a_retried_task_leaves_the_same_parts(tmp_path, monkeypatch):
    import etl.engine as engine_module

    real = engine_module._fix_task

    def twice(item, folder, source):  # a worker lost after the rewrite: the task runs again
        real(item, folder, source)
        return real(item, folder, source)

    monkeypatch.setattr(engine_module, "_fix_task", twice)
    rows = [posting(i) for i in range(6)]
    rows[4] = posting(1)  # chunk 2 repeats row 2 of chunk 1
    rows[5] = posting(3, title="")  # chunk 2's own reject stays once
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=3)
    assert_same(result, single(raw, POSTINGS), "postings")
    assert result.rejects["source_row"].tolist() == [5, 6]


def test_settling_duplicates_caps_duckdbs_memory_and_leaves_no_spill(tmp_path, monkeypatch):
    """Uncapped, the GROUP BY over every key set the refresh's peak RSS (2.9 GB at 10M)."""
    import etl.engine as engine_module

    statements: list[str] = []
    connect = engine_module.duckdb.connect

    class Recording:
        def __init__(self, con) -> None:
            self._con = con

        def execute(self, sql, *args):
            statements.append(sql)
            return self._con.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._con, name)

    monkeypatch.setattr(
        engine_module.duckdb, "connect", lambda *a, **k: Recording(connect(*a, **k))
    )
    rows = [posting(i) for i in range(6)]
    rows[4] = posting(1)
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=2)
    assert_same(result, single(raw, POSTINGS), "postings")
    assert f"SET memory_limit = '{engine_module.SETTLE_MEMORY}'" in statements
    assert not list(tmp_path.rglob(engine_module.SPILL))


def test_a_source_id_repeated_in_a_later_chunk_is_a_duplicate(tmp_path, monkeypatch):
    rows = [posting(i, id=str(i)) for i in range(6)]
    rows[4] = posting(9, id="0")
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=2)
    assert_same(result, single(raw, POSTINGS), "postings")
    assert result.rejects["reason"].tolist() == ["duplicate of row 1"]


def test_one_missing_id_anywhere_makes_content_the_key_in_every_chunk(tmp_path, monkeypatch):
    rows = [posting(i, id=str(i)) for i in range(4)] + [posting(1, id=None)]
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=2)
    assert_same(result, single(raw, POSTINGS), "postings")
    assert result.rejects["reason"].tolist() == ["duplicate of row 2"]


def test_a_country_discredited_by_the_whole_source_is_dropped_in_every_chunk(tmp_path, monkeypatch):
    # 21 'Sudan' rows over three chunks: no chunk alone reaches the 20-row threshold
    rows = [posting(i, country="Sudan") for i in range(21)]
    rows.append(posting(99, location="Anywhere", country="Sudan"))
    rows.append(posting(98, location="Anywhere"))
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=8)
    assert_same(result, single(raw, POSTINGS), "postings")
    assert result.table["country_code"].iloc[-2:].isna().all()


def test_salary_chunks_number_rows_across_the_source(tmp_path, monkeypatch):
    raw = pd.DataFrame(
        {
            "year": ["2024", "1990", "2024", "2024", "2023"],
            "title": ["ML Engineer"] * 5,
            "salary_usd": ["150000", "100000", "5", "120000", "-1"],
            "company_country": ["US", "DE", "US", "Atlantis", "FR"],
            "remote": ["0", "100", "50", "0", "0"],
        }
    )
    result = chunked(raw, SALARIES, tmp_path, monkeypatch, rows=2)
    assert_same(result, single(raw, SALARIES), "salaries")
    assert result.table["record_id"].tolist() == ["survey:1"]
    assert result.rejects["source_row"].tolist() == [2, 3, 4, 5]


@pytest.mark.slow
def test_two_dask_workers_reading_their_own_row_groups_give_the_single_frame_result(
    tmp_path, monkeypatch
):
    rows = [posting(i % 5, country="Sudan" if i % 3 else None) for i in range(12)]
    rows[11] = posting(3, id="x")  # a repeat in the last chunk of a row of the first
    raw = pd.DataFrame(rows)
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=4, workers=2)
    assert result.engine == "LocalCluster(2)"
    assert (tmp_path / "_raw" / "raw.parquet").exists()  # what the workers read
    assert_same(result, single(raw, POSTINGS), "postings")
    assert "duplicate of row 4" in result.rejects["reason"].tolist()


def _worker_settings() -> tuple[str | None, str | None, bool]:
    import os

    import dask

    return (
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        os.environ.get("OMP_NUM_THREADS"),
        dask.config.get("distributed.worker.profile.enabled"),
    )


@pytest.mark.slow
def test_local_workers_keep_glibcs_adaptive_allocator_and_run_no_profiler():
    """Dask's default MALLOC_TRIM_THRESHOLD_ made every chunk ~20 % slower (etl/engine.py)."""
    with Engine(workers=2) as engine:
        settings = engine.client().run(_worker_settings)
    assert len(settings) == 2
    assert set(settings.values()) == {(None, "1", False)}


def _two_row_groups(path, frame: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=6)


def test_a_few_rows_of_a_text_chunk_are_read_alone_as_its_loaded_rows(tmp_path, monkeypatch):
    from etl.engine import Chunk

    path = tmp_path / "raw.parquet"
    text = [f"row {i}" if i % 4 else None for i in range(12)]
    _two_row_groups(path, pd.DataFrame({"title": text, 'say "hi"': [str(i) for i in range(12)]}))
    chunk = parquet_chunks(path, rows=4)[2]  # row group 1, rows 6-9
    assert (chunk.row_group, chunk.start) == (1, 0)
    expected = chunk.load().iloc[[1, 2, 3]].reset_index(drop=True)

    def no_load(self):  # the row group is not decoded for three rows
        raise AssertionError("rows() read the whole row group")

    monkeypatch.setattr(Chunk, "load", no_load)
    got = chunk.rows(np.array([1, 2, 3]))
    pd.testing.assert_frame_equal(got, expected)
    assert got["title"].isna().tolist() == [False, True, False]
    assert got["title"].iloc[2] == "row 9"


def test_rows_of_any_column_type_equal_the_loaded_rows(tmp_path):
    path = tmp_path / "raw.parquet"
    frame = pd.DataFrame(
        {
            "n": list(range(12)),
            "x": [1.5, float("nan")] * 6,
            "tags": [["a", "b"], None, []] * 4,
            "when": pd.date_range("2024-01-01", periods=12, freq="D"),
            "none": [None] * 12,
            "obj": [{"k": i} for i in range(12)],
        }
    )
    _two_row_groups(path, frame)
    for chunk in parquet_chunks(path, rows=5):
        positions = np.arange(len(chunk))[::2]
        expected = chunk.load().iloc[positions].reset_index(drop=True)
        pd.testing.assert_frame_equal(chunk.rows(positions), expected)


def test_an_empty_source_gives_empty_tables(tmp_path, monkeypatch):
    raw = pd.DataFrame({c: pd.Series([], dtype="object") for c in posting(0)})
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=3)
    assert len(result.table) == 0 and len(result.rejects) == 0


def test_a_source_of_one_chunk_runs_in_process_even_with_workers(tmp_path, monkeypatch):
    raw = pd.DataFrame([posting(i) for i in range(3)])
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=10, workers=2)
    assert result.engine == "in-process"
    assert len(result.table) == 3


def test_a_source_below_the_cluster_size_runs_in_process_and_writes_no_raw_copy(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("AIJOBS_CLUSTER_MIN_ROWS", "13")
    raw = pd.DataFrame([posting(i % 5) for i in range(12)])
    result = chunked(raw, POSTINGS, tmp_path, monkeypatch, rows=4, workers=2)
    assert result.engine == "in-process"
    assert not (tmp_path / "_raw").exists()
    assert_same(result, single(raw, POSTINGS), "postings")


def test_a_source_at_the_cluster_size_goes_to_the_local_cluster(monkeypatch):
    monkeypatch.setenv("AIJOBS_CLUSTER_MIN_ROWS", "12")
    engine = Engine(workers=2)
    assert engine.takes("postings", 12) and not engine.takes("postings", 11)
    assert not Engine(workers=1).takes("postings", 10**9)


def test_an_explicit_scheduler_takes_every_multi_chunk_source(monkeypatch):
    monkeypatch.setenv("AIJOBS_CLUSTER_MIN_ROWS", "1000000")
    assert Engine(workers=1, scheduler="tcp://127.0.0.1:1").takes("postings", 2)


def test_cluster_size_defaults_per_kind_and_a_bad_value_is_a_one_line_error(monkeypatch):
    monkeypatch.delenv("AIJOBS_CLUSTER_MIN_ROWS", raising=False)
    assert cluster_min_rows("salaries") > cluster_min_rows("postings") > 10_000
    monkeypatch.setenv("AIJOBS_CLUSTER_MIN_ROWS", "lots")
    with pytest.raises(ValueError, match="AIJOBS_CLUSTER_MIN_ROWS"):
        cluster_min_rows("postings")


def test_an_unreachable_scheduler_is_a_one_line_config_error(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    raw = pd.DataFrame([posting(i) for i in range(6)])
    monkeypatch.setenv("AIJOBS_DASK_SCHEDULER", f"tcp://127.0.0.1:{port}")
    monkeypatch.setenv("AIJOBS_CHUNK_ROWS", "2")
    monkeypatch.setenv("AIJOBS_DASK_TIMEOUT", "2")
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"), Engine() as engine:
        transform_file(raw, POSTINGS, tmp_path, engine)


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("3", 3), (" 2 ", 2)])
def test_workers_env_var_overrides_the_core_count(monkeypatch, value, expected):
    monkeypatch.setenv("AIJOBS_WORKERS", value)
    assert worker_count() == expected


def test_a_bad_workers_value_is_a_one_line_error(monkeypatch):
    monkeypatch.setenv("AIJOBS_WORKERS", "two")
    with pytest.raises(ValueError, match="AIJOBS_WORKERS"):
        worker_count()


def test_chunk_rows_default_per_kind_and_env_override(monkeypatch):
    monkeypatch.delenv("AIJOBS_CHUNK_ROWS", raising=False)
    assert chunk_rows("salaries") > chunk_rows("postings") > 1
    monkeypatch.setenv("AIJOBS_CHUNK_ROWS", "7")
    assert chunk_rows("salaries") == 7


def test_parquet_chunks_cover_the_file_once_with_offsets_and_cut_row_groups(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "f.parquet"
    with pq.ParquetWriter(path, pa.schema([("a", pa.string()), ("b", pa.string())])) as w:
        for g in range(2):
            col = [f"{g}-{i}" for i in range(10)]
            w.write_table(pa.table({"a": col, "b": col}), row_group_size=10)
    pieces = parquet_chunks(path, rows=5)
    assert [(p.row_group, p.start, p.stop, p.offset) for p in pieces] == [
        (0, 0, 5, 0), (0, 5, 10, 5), (1, 0, 5, 10), (1, 5, 10, 15)
    ]  # fmt: skip
    frames = [p.load() for p in pieces]
    whole = pd.concat(frames, ignore_index=True)
    assert whole["a"].tolist() == [f"{g}-{i}" for g in range(2) for i in range(10)]
    assert all(list(f.index) == list(range(len(f))) for f in frames)
    assert [len(p) for p in parquet_chunks(path, rows=100)] == [10, 10]
    assert [len(p) for p in parquet_chunks(path, rows=4)] == [4, 4, 2, 4, 4, 2]
    only_a = parquet_chunks(path, rows=100, columns=["a"])[1].load()
    assert list(only_a.columns) == ["a"] and only_a["a"].iloc[0] == "1-0"


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_postings_in_chunks_equal_the_single_frame_transform(
    shared_data, tmp_path, monkeypatch
):
    from etl.extract import read_source_file
    from etl.sources import load_sources

    source = {s["name"]: s for s in load_sources()}["data_jobs"]
    raw = read_source_file(source, shared_data / source["mirror_path"])
    result = chunked(raw, source, tmp_path, monkeypatch, rows=5_000)
    whole = single(raw, source)
    assert_same(result, whole, "postings")
    assert len(result.table) > 30_000 and len(result.rejects) > 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_csv_streamed_in_blocks_gives_the_single_frame_result(tmp_path, monkeypatch, workers):
    from etl.engine import transform_blocks
    from etl.extract import read_source_blocks, read_source_file

    rows = [posting(i % 7, country="Sudan" if i % 3 else None) for i in range(23)]
    rows[20] = posting(2, id="x")  # repeats a row of the first block in the last one
    path = tmp_path / "board.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    source = {**POSTINGS, "format": "csv"}
    monkeypatch.setenv("AIJOBS_CHUNK_ROWS", "5")
    with Engine(workers=workers) as engine:
        blocks = read_source_blocks(source, path, 5)
        parts = transform_blocks(blocks, source, tmp_path / "work", engine)
    assert len(list((tmp_path / "work" / "_raw").glob("raw.parquet"))) == 1
    result = read_parts(parts)
    assert_same(result, single(read_source_file(source, path), source), "postings")
    assert any("duplicate of row" in r for r in result.rejects["reason"].tolist())
