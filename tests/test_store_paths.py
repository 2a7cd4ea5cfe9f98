"""Store paths are data, never SQL: a path with an apostrophe publishes, upgrades and reads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from tiny_stores import postings_full, read_sql

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


def _stored_dates(path: Path) -> list:
    """postings.posted_date in the order the rows are stored (rowid = insertion order)."""
    return read_sql(path, "SELECT posted_date FROM postings ORDER BY rowid")["posted_date"].tolist()


def test_postings_are_stored_by_date_when_published_and_republished(tmp_path):
    out = tmp_path / "jobs.duckdb"
    shuffled = postings_full().sample(frac=1, random_state=3).reset_index(drop=True)
    assert not shuffled["posted_date"].is_monotonic_increasing  # the test can fail
    publish({"postings": shuffled}, out)
    dates = _stored_dates(out)
    assert dates == sorted(dates) and len(dates) == len(shuffled)
    con = duckdb.connect(str(out))  # an older store written in another order
    con.execute("CREATE TABLE p AS SELECT * FROM postings ORDER BY posted_date DESC")
    con.execute("DELETE FROM postings")
    con.execute("INSERT INTO postings SELECT * FROM p")
    con.execute("DROP TABLE p")
    con.close()
    assert _stored_dates(out) == sorted(dates, reverse=True)
    republish(out)
    assert _stored_dates(out) == sorted(dates)
