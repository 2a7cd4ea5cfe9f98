"""Store paths are data, never SQL: a path with an apostrophe publishes, upgrades and reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.store import publish, read_meta, read_tables, republish, sql_string


def test_sql_string_doubles_quotes():
    assert sql_string("/tmp/it's/x.parquet") == "'/tmp/it''s/x.parquet'"
    assert sql_string(Path("plain")) == "'plain'"


def test_a_store_under_a_folder_with_an_apostrophe_publishes_and_republishes(tmp_path):
    out = tmp_path / "O'Brien's data" / "jobs'.duckdb"
    runs = pd.DataFrame(
        {
            "run_id": ["r1"], "source": ["s"], "started_at": [pd.Timestamp("2026-01-01")],
            "finished_at": [pd.Timestamp("2026-01-01")], "status": ["failed"], "rows_read": [None],
            "rows_loaded": [None], "rows_rejected": [None], "message": ["it's broken"],
        }
    )  # fmt: skip
    publish({"runs": runs}, out, meta={"run_id": "r1"})
    assert read_tables(out)["runs"]["message"].tolist() == ["it's broken"]
    assert (out.parent / "parquet" / "runs.parquet").exists()
    republish(out)  # ATTACHes the old store by its path
    assert read_meta(out)["run_id"] == "r1"
    assert read_tables(out)["runs"]["message"].tolist() == ["it's broken"]
