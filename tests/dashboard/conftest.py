"""Fixtures shared by the dashboard's tests: the AI-share/premium tiny store, and the running app
in Debian's Chromium for the browser tests.

One Chromium and one app server per store serve every browser test of a test process (a server
and a browser each take seconds to start): the tests open their own pages (by URL) and never
change a store they are served.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from browser_pages import Profile, offline_profile
from tiny_stores import build_ai

from dashboard.serve import CHROMIUM, running
from etl.store import store_version


def need_browser() -> None:
    """Skip (with the reason) where Chromium or Playwright for Python is missing."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (`make chromium`)")
    pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")


@pytest.fixture(scope="module")
def ai_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """tests/tiny_stores.py's AI-share and premium store: (path, version)."""
    out = build_ai(tmp_path_factory.mktemp("insights") / "jobs.duckdb")
    return str(out), store_version(out)


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., str]]:
    """``serve(AIJOBS_STORE=…, …)``: the base URL of the app run with that environment, started
    on the first call and kept for the session (one server per environment and test process)."""
    need_browser()
    urls: dict[tuple[tuple[str, str], ...], str] = {}
    with ExitStack() as servers:

        def start(**env: str) -> str:
            key = tuple(sorted(env.items()))
            if key not in urls:
                urls[key] = servers.enter_context(running(env))
            return urls[key]

        yield start


@pytest.fixture(scope="session")
def app_url(serve: Callable[..., str], demo_store: Path) -> str:
    """The app on the seeded demo store, with the Data page's refresh button disabled (the
    default, said explicitly so that a developer's own setting cannot change the tests)."""
    return serve(AIJOBS_STORE=str(demo_store), AIJOBS_ENABLE_REFRESH="0")


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    """Headless Chromium on one profile per test process that reaches no host but 127.0.0.1
    (the app must never need the network); each test opens (and closes) its own tabs."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, offline_profile(p, tmp_path_factory.mktemp("chromium")) as b:
        yield b


@pytest.fixture(scope="session")
def browser(chromium: Profile) -> Profile:
    """The same Chromium under pytest-playwright's fixture name (which also gives the tests that
    ask for it their ``[chromium]`` id)."""
    return chromium
