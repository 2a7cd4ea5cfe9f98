"""Shared fixtures: where the real datasets are, and stores built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("AIJOBS_SHARED_DATA", ROOT.parent / "shared" / "data")).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Transform in-process: the test sources are small, and a LocalCluster per refresh costs more
# than it saves. Tests that ask for workers on purpose (tests/test_engine.py,
# tests/test_refresh_kill.py) get the cluster path whatever the source's size.
os.environ.setdefault("AIJOBS_WORKERS", "1")
os.environ.setdefault("AIJOBS_CLUSTER_MIN_ROWS", "0")


def _need_shared() -> None:
    if not (SHARED_DATA / "PROVENANCE.md").exists():
        pytest.skip(
            f"real datasets not found at {SHARED_DATA} "
            "(set AIJOBS_SHARED_DATA or place shared/data beside the project)"
        )


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The local mirror of the real sources (../shared/data); skips where it is absent."""
    _need_shared()
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The store built by the real ETL from ../shared/data, once per session."""
    from etl.pipeline import refresh

    out = tmp_path_factory.mktemp("real_store") / "jobs.duckdb"
    refresh(out=out, mirror=shared_data, progress=False)
    return out


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded demo store (no real data needed)."""
    from etl.demo import build_demo_store

    out = tmp_path_factory.mktemp("demo_store") / "jobs.duckdb"
    build_demo_store(out, seed=7)
    return out


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every contract table present and empty."""
    from etl.store import publish

    out = tmp_path_factory.mktemp("empty_store") / "jobs.duckdb"
    publish({}, out)
    return out
