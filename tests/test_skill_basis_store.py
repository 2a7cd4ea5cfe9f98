"""posting_skills.basis in the store: written by the pipeline, and added (NULL) to a store
published before it existed by `python -m etl ensure-store`, the marts still built from it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.cli import main
from etl.contract import SCHEMA_VERSION, SKILL_BASES, columns
from etl.store import StoreError, missing_columns, needs_upgrade, publish, read_meta, republish

POSTING = {
    "posting_id": "s:1", "source": "s", "posted_date": pd.Timestamp("2024-01-02"),
    "first_seen": pd.Timestamp("2024-01-02"), "last_seen": pd.Timestamp("2024-01-02"),
    "title": "Data Engineer", "company": "Acme", "role": "Data Engineer", "seniority": "unknown",
    "country_code": "US", "region": "North America", "location": "Austin, TX",
    "remote": "onsite", "employment_type": "full_time", "salary_min_usd": None,
    "salary_max_usd": None, "salary_usd": None, "salary_period": None, "currency": None,
    "url": None, "is_ai": False, "ai_basis": None,
}  # fmt: skip


def _store(tmp_path: Path, skills: pd.DataFrame) -> Path:
    out = tmp_path / "jobs.duckdb"
    postings = pd.DataFrame([POSTING], columns=columns("postings"))
    publish({"postings": postings, "posting_skills": skills}, out, meta={"run_id": "r1"})
    return out


def _sql(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_basis_is_stored_with_each_skill(tmp_path: Path) -> None:
    skills = pd.DataFrame(
        [("s:1", "SQL", "Languages", "both"), ("s:1", "Airflow", "Data engineering", "tags")],
        columns=columns("posting_skills"),
    )
    out = _store(tmp_path, skills)
    assert _sql(out, "SELECT skill, basis FROM posting_skills ORDER BY skill") == [
        ("Airflow", "tags"),
        ("SQL", "both"),
    ]
    assert not needs_upgrade(out) and set(SKILL_BASES) == {"text", "tags", "both"}


def test_ensure_store_adds_the_basis_to_an_older_store_and_keeps_its_skills(
    tmp_path: Path, capsys
) -> None:
    skills = pd.DataFrame([("s:1", "SQL", "Languages", "text")], columns=columns("posting_skills"))
    out = _store(tmp_path, skills)
    con = duckdb.connect(str(out))
    con.execute("ALTER TABLE posting_skills DROP COLUMN basis")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    assert missing_columns(out) == {"posting_skills": ["basis"]} and needs_upgrade(out)
    assert main(["ensure-store", "--out", str(out)]) == 0
    assert "upgraded" in capsys.readouterr().out
    assert not needs_upgrade(out) and read_meta(out)["schema_version"] == SCHEMA_VERSION
    assert _sql(out, "SELECT skill, basis FROM posting_skills") == [("SQL", None)]
    assert _sql(out, "SELECT skill, source FROM posting_skill_facts") == [("SQL", "s")]
    assert main(["ensure-store", "--out", str(out)]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_a_store_lacking_a_required_column_is_still_too_old(tmp_path: Path) -> None:
    skills = pd.DataFrame([("s:1", "SQL", "Languages", "text")], columns=columns("posting_skills"))
    out = _store(tmp_path, skills)
    con = duckdb.connect(str(out))
    con.execute("ALTER TABLE posting_skills DROP COLUMN category")
    con.close()
    with pytest.raises(StoreError, match=r"too old to upgrade.*category"):
        republish(out)


def test_a_frame_without_the_basis_is_published_with_it_null(tmp_path: Path) -> None:
    skills = pd.DataFrame(
        [("s:1", "SQL", "Languages")], columns=["posting_id", "skill", "category"]
    )
    out = _store(tmp_path, skills)
    assert _sql(out, "SELECT skill, basis FROM posting_skills") == [("SQL", None)]
