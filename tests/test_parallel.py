"""Chunked transform (etl/parallel.py): chunks of a source give the single-frame result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl import parallel
from etl.parallel import source_facts, transform_chunks, transform_frame, worker_count
from etl.sources import staged_columns
from etl.staging import stage
from etl.transform import transform_postings, transform_salaries

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


def assert_same(a, b) -> None:
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.rejects, b.rejects)
    if a.posting_skills is not None:
        pd.testing.assert_frame_equal(a.posting_skills, b.posting_skills)
    assert a.notes == b.notes


def test_duplicates_spanning_chunks_are_rejected_as_in_the_whole_frame():
    rows = [posting(i) for i in range(8)]
    rows[5] = posting(1)  # chunk 2 repeats row 2 of chunk 1
    rows[6] = posting(1)  # ... twice
    rows[7] = posting(6, title="")  # rejected for its own reason, not as a duplicate
    raw = pd.DataFrame(rows)
    chunked = transform_frame(raw, POSTINGS, workers=1, chunk_rows=3)
    assert_same(chunked, single(raw, POSTINGS))
    assert chunked.rejects["source_row"].tolist() == [6, 7, 8]
    assert chunked.rejects["reason"].tolist()[:2] == ["duplicate of row 2"] * 2
    assert any("2 duplicate postings dropped" in n for n in chunked.notes)


def test_a_source_id_repeated_in_a_later_chunk_is_a_duplicate():
    rows = [posting(i, id=str(i)) for i in range(6)]
    rows[4] = posting(9, id="0")
    raw = pd.DataFrame(rows)
    chunked = transform_frame(raw, POSTINGS, workers=1, chunk_rows=2)
    assert_same(chunked, single(raw, POSTINGS))
    assert chunked.rejects["reason"].tolist() == ["duplicate of row 1"]


def test_one_missing_id_anywhere_makes_content_the_key_in_every_chunk():
    rows = [posting(i, id=str(i)) for i in range(4)] + [posting(1, id=None)]
    raw = pd.DataFrame(rows)
    assert_same(transform_frame(raw, POSTINGS, workers=1, chunk_rows=2), single(raw, POSTINGS))
    assert not source_facts([raw.iloc[:2], raw.iloc[2:]], POSTINGS, workers=1).all_ids


def test_a_country_discredited_by_the_whole_source_is_dropped_in_every_chunk():
    # 21 'Sudan' rows over three chunks: no chunk alone reaches the 20-row threshold
    rows = [posting(i, country="Sudan") for i in range(21)]
    rows.append(posting(99, location="Anywhere", country="Sudan"))
    rows.append(posting(98, location="Anywhere"))
    raw = pd.DataFrame(rows)
    chunked = transform_frame(raw, POSTINGS, workers=1, chunk_rows=8)
    assert_same(chunked, single(raw, POSTINGS))
    assert chunked.table["country_code"].iloc[-2:].isna().all()


def test_salary_chunks_number_rows_across_the_source():
    raw = pd.DataFrame(
        {
            "year": ["2024", "1990", "2024", "2024", "2023"],
            "title": ["ML Engineer"] * 5,
            "salary_usd": ["150000", "100000", "5", "120000", "-1"],
            "company_country": ["US", "DE", "US", "Atlantis", "FR"],
            "remote": ["0", "100", "50", "0", "0"],
        }
    )
    chunked = transform_frame(raw, SALARIES, workers=1, chunk_rows=2)
    assert_same(chunked, single(raw, SALARIES))
    assert chunked.table["record_id"].tolist() == ["survey:1"]
    assert chunked.rejects["source_row"].tolist() == [2, 3, 4, 5]


def test_streamed_chunks_come_back_in_order_and_sum_to_the_source():
    raw = pd.DataFrame([posting(i) for i in range(7)])
    chunks = [raw.iloc[i : i + 3] for i in range(0, 7, 3)]
    facts = source_facts(chunks, POSTINGS, workers=1)
    parts = list(transform_chunks(chunks, POSTINGS, facts=facts, workers=1))
    assert [len(p.table) for p in parts] == [3, 3, 1]
    assert parallel.concat_transformed(parts).table["title"].tolist() == [
        f"Data Scientist {i}" for i in range(7)
    ]


def test_two_worker_processes_give_the_single_frame_result():
    rows = [posting(i % 5) for i in range(12)]
    raw = pd.DataFrame(rows)
    assert_same(transform_frame(raw, POSTINGS, workers=2, chunk_rows=4), single(raw, POSTINGS))


class LazyChunk:
    """A lazy chunk as etl.parallel takes them: a row count and load(); counts its loads."""

    loads = 0

    def __init__(self, raw: pd.DataFrame, start: int, stop: int) -> None:
        self.raw, self.start, self.stop = raw, start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    def load(self) -> pd.DataFrame:
        LazyChunk.loads += 1
        return self.raw.iloc[self.start : self.stop]


def test_lazy_chunks_give_the_single_frame_result_and_load_again_only_for_duplicates():
    rows = [posting(i) for i in range(9)]
    rows[7] = posting(2)  # a duplicate in the last chunk: its reject needs the raw row
    raw = pd.DataFrame(rows)

    def chunks_of(columns):
        frame = raw if columns is None else raw[[c for c in raw.columns if c in columns]]
        return [LazyChunk(frame, i, min(9, i + 3)) for i in range(0, 9, 3)]

    LazyChunk.loads = 0
    parts = list(parallel.transform_source(chunks_of, POSTINGS, workers=1))
    assert_same(parallel.concat_transformed(parts), single(raw, POSTINGS))
    # 3 for the facts pass, 3 for the transform, 1 more for the chunk with the duplicate
    assert LazyChunk.loads == 7
    assert parts[2].rejects["reason"].tolist() == ["duplicate of row 3"]


def test_an_empty_source_gives_empty_tables():
    raw = pd.DataFrame({c: pd.Series([], dtype="object") for c in posting(0)})
    result = transform_frame(raw, POSTINGS, workers=1)
    assert len(result.table) == 0 and len(result.rejects) == 0


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("3", 3), (" 2 ", 2)])
def test_workers_env_var_overrides_the_core_count(monkeypatch, value, expected):
    monkeypatch.setenv("AIJOBS_WORKERS", value)
    assert worker_count() == expected


def test_a_bad_workers_value_is_a_one_line_error(monkeypatch):
    monkeypatch.setenv("AIJOBS_WORKERS", "two")
    with pytest.raises(ValueError, match="AIJOBS_WORKERS"):
        worker_count()


def test_seen_keys_find_hex_and_text_keys_of_earlier_chunks():
    seen = parallel._SeenKeys()
    seen.add(np.array(["00000000000000ff", "id-7"], dtype=object), np.array([3, 4]))
    rows = seen.first_rows(np.array(["00000000000000ff", "id-7", "0000000000000001", "x"], object))
    assert rows.tolist() == [3, 4, -1, -1]


def test_seen_keys_mixing_text_only_and_hex_chunks():
    seen = parallel._SeenKeys()
    seen.add(np.array(["id-1"], dtype=object), np.array([1]))
    assert seen.first_rows(np.array(["00000000000000aa"], dtype=object)).tolist() == [-1]
    seen.add(np.array(["00000000000000aa"], dtype=object), np.array([2]))
    assert seen.first_rows(np.array(["00000000000000aa", "id-1"], dtype=object)).tolist() == [2, 1]
