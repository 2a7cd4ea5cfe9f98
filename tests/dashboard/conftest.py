"""Fixtures shared by the dashboard's tests: the AI-share/premium tiny store, and the running app
in Debian's Chromium for the browser tests (one server and browser per test module)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tiny_stores import build_ai

from dashboard.serve import CHROMIUM, launch_chromium, running
from etl.store import store_version


@pytest.fixture(scope="module")
def ai_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """tests/tiny_stores.py's AI-share and premium store: (path, version)."""
    out = build_ai(tmp_path_factory.mktemp("insights") / "jobs.duckdb")
    return str(out), store_version(out)


@pytest.fixture(scope="module")
def app_url(demo_store: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (`make chromium`)")
    pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    with running({"AIJOBS_STORE": str(demo_store)}) as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()
