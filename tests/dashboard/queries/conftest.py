"""The tiny store the query tests compute their expected numbers from (tests/tiny_stores.py)."""

from __future__ import annotations

import pytest
from tiny_stores import build_tiny

from etl.store import store_version


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    out = build_tiny(tmp_path_factory.mktemp("tiny") / "jobs.duckdb")
    return str(out), store_version(out)
