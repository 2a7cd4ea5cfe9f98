"""Accumulate: union by posting_id, first_seen min, last_seen max, newest fields; idempotent."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.contract import columns
from etl.merge import accumulate, combine, rows_of


def frame(*rows: dict) -> pd.DataFrame:
    base = {c: None for c in columns("postings")}
    return pd.DataFrame([{**base, **r} for r in rows], columns=columns("postings"))


def seen(pid: str, day: date, title: str = "Data Scientist") -> dict:
    return {"posting_id": pid, "source": "api", "posted_date": day, "first_seen": day,
            "last_seen": day, "title": title}  # fmt: skip


def skills(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(p, s, "Languages", "text") for p, s in pairs], columns=columns("posting_skills")
    )


D1, D2 = date(2026, 7, 1), date(2026, 7, 2)


def test_a_posting_seen_twice_keeps_first_and_last_day_and_the_newest_fields():
    old = frame(seen("api:1", D1, "Old title"), seen("api:2", D1))
    new = frame(seen("api:1", D2, "New title"), seen("api:3", D2))
    merged, _ = accumulate(old, new)
    merged = merged.set_index("posting_id")
    assert sorted(merged.index) == ["api:1", "api:2", "api:3"]
    assert (merged.loc["api:1", "first_seen"], merged.loc["api:1", "last_seen"]) == (D1, D2)
    assert merged.loc["api:1", "posted_date"] == D1
    assert merged.loc["api:1", "title"] == "New title"
    assert merged.loc["api:2", "last_seen"] == D1  # not seen today: kept, not extended


def test_accumulating_the_same_rows_again_changes_nothing():
    old = frame(seen("api:1", D1), seen("api:2", D1))
    once, s1 = accumulate(old, old, skills(("api:1", "SQL")), skills(("api:1", "SQL")))
    twice, s2 = accumulate(once, old, s1, skills(("api:1", "SQL")))
    assert len(once) == len(twice) == 2
    assert len(s1) == len(s2) == 1


def test_a_postings_skills_come_from_its_newest_sighting():
    old = frame(seen("api:1", D1), seen("api:2", D1))
    new = frame(seen("api:1", D2))
    _, merged = accumulate(
        old, new, skills(("api:1", "SQL"), ("api:2", "R")), skills(("api:1", "Python"))
    )
    assert sorted(map(tuple, merged[["posting_id", "skill"]].to_numpy())) == [
        ("api:1", "Python"),
        ("api:2", "R"),
    ]


def test_rows_of_picks_one_source_and_handles_no_previous_store():
    table = pd.DataFrame({"source": ["a", "b", "a"], "x": [1, 2, 3]})
    assert rows_of(table, "a", "postings")["x"].tolist() == [1, 3]
    assert list(rows_of(None, "a", "rejects").columns) == columns("rejects")


def test_combine_concatenates_parts_and_gives_empty_tables_their_columns():
    out = combine({"postings": [frame(seen("a:1", D1)), frame(seen("b:1", D2))], "rejects": []})
    assert out["postings"]["posting_id"].tolist() == ["a:1", "b:1"]
    assert out["rejects"].empty and list(out["rejects"].columns) == columns("rejects")
