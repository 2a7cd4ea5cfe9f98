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
    """The store built by the real ETL from ../shared/data, once per run: with pytest-xdist the
    first worker to ask builds it and the others wait for it (a file lock in the run's temporary
    folder, which the workers share). Every test only reads it."""
    from filelock import FileLock

    from etl.pipeline import refresh

    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent  # pytest-of-<user>/pytest-<n>/, above each worker's own folder
    folder = run_dir / "real_store"
    out = folder / "jobs.duckdb"
    with FileLock(str(run_dir / "real_store.lock")):
        if not (folder / "built").exists():
            folder.mkdir(exist_ok=True)
            report = refresh(out=out, mirror=shared_data, progress=False)
            assert out.exists(), report.message
            (folder / "built").touch()
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


def _start_rank(item: pytest.Item) -> int:
    if item.get_closest_marker("slow"):
        return 0
    if item.get_closest_marker("browser"):
        return 1
    return 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long files first: files with a ``slow`` test (those with the most slow tests first), then
    the browser files, then the rest (each file's tests in their own order). `make test` hands
    whole files to its xdist workers in this order (``--dist loadfile --no-loadscope-reorder``),
    so the workers start on the long ones and none is left running alone at the end."""
    rank: dict[Path, int] = {}
    slow: dict[Path, int] = {}
    for item in items:
        rank[item.path] = min(rank.get(item.path, 2), _start_rank(item))
        slow[item.path] = slow.get(item.path, 0) + bool(item.get_closest_marker("slow"))
    items.sort(key=lambda item: (rank[item.path], -slow[item.path]))
