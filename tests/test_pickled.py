"""Derived knowledge cached as pickles (etl/normalise/pickled.py): built once, loaded after,
rebuilt when the cached file is damaged, and never the reason a load fails."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.normalise import pay
from etl.normalise.pickled import load_or_build


def test_an_object_is_built_once_then_loaded_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AIJOBS_CACHE_DIR", str(tmp_path))
    builds = []

    def build() -> dict:
        builds.append(1)
        return {"rates": [1.0, 2.0]}

    assert load_or_build("thing", "abc", build) == {"rates": [1.0, 2.0]}
    assert load_or_build("thing", "abc", build) == {"rates": [1.0, 2.0]}
    assert len(builds) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["thing-abc.pickle"]
    load_or_build("thing", "other-inputs", build)  # another token: built afresh
    assert len(builds) == 2


def test_a_damaged_cache_file_is_rebuilt_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("AIJOBS_CACHE_DIR", str(tmp_path))
    (tmp_path / "thing-abc.pickle").write_bytes(b"half a pickle")
    assert load_or_build("thing", "abc", lambda: [3]) == [3]
    assert load_or_build("thing", "abc", lambda: [4]) == [3]  # the rebuilt file was written


def test_an_unwritable_cache_folder_still_gives_the_object(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AIJOBS_CACHE_DIR", str(blocker / "cache"))
    assert load_or_build("thing", "abc", lambda: "built") == "built"


@pytest.mark.parametrize("currency", ["EUR", "JPY", "GBP"])
def test_the_cached_rate_table_converts_as_the_parsed_file(tmp_path, monkeypatch, currency):
    from currency_converter import CurrencyConverter

    monkeypatch.setenv("AIJOBS_CACHE_DIR", str(tmp_path))
    parsed = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    pay._converter.cache_clear()
    try:
        first = pay._converter()  # parses the file and writes the pickle
        assert len(list(tmp_path.glob("ecb-rates-*.pickle"))) == 1
        pay._converter.cache_clear()
        loaded = pay._converter()  # from the pickle
        assert loaded is not first
        for day in (dt.date(2001, 1, 3), dt.date(2020, 3, 16), dt.date(2024, 7, 1)):
            expected = parsed.convert(100, currency, "USD", day)
            assert loaded.convert(100, currency, "USD", day) == expected
        assert loaded.bounds == parsed.bounds
    finally:
        pay._converter.cache_clear()
