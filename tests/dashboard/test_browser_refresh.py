"""The Data page's "Refresh data" button in the real app, in Debian's Chromium.

Enabled by configuration, a click starts a background refresh (from the captured API responses in
the mirror) and the page shows its outcome; without the setting the button is disabled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_pages import SHOTS

from dashboard.serve import ROOT, running
from etl.store import read_tables, store_version

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def api_only_world(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, chromium
) -> dict[str, str]:
    """A data dir whose only sources are the job-board APIs (read from the mirror's samples), and
    a store refreshed from them once, for the test that compares the store before and after its
    own refresh."""
    tmp_path = tmp_path_factory.mktemp("api_only_world")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("processed", "raw", "cache"))
    for other in (data / "sources").glob("*.yaml"):
        if other.name != "job_boards.yaml":
            other.unlink()  # the files, the survey and the series: minutes of refresh, no API
    env = {
        "AIJOBS_DATA_DIR": str(data),
        "AIJOBS_MIRROR": str(shared_data),
        "AIJOBS_STORE": str(tmp_path / "store" / "jobs.duckdb"),
        "AIJOBS_CACHE_DIR": str(ROOT / "data" / "cache"),
    }
    first = subprocess.run(
        [sys.executable, "-m", "etl", "refresh", "--quiet"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr[-2000:]
    return env


def _data_page(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(url)
    page.wait_for_selector("h1", timeout=30_000)
    page.goto(f"{url}/data")
    page.get_by_role("button", name="Refresh data").wait_for(timeout=30_000)
    return page


def test_refresh_button_runs_a_background_refresh_and_shows_the_outcome(chromium, api_only_world):
    store = Path(api_only_world["AIJOBS_STORE"])
    before = store_version(store)
    with running({**api_only_world, "AIJOBS_ENABLE_REFRESH": "1"}) as url:
        page = _data_page(chromium, url)
        try:
            button = page.get_by_role("button", name="Refresh data")
            assert button.is_enabled()
            button.click()
            page.get_by_text("Refresh finished").first.wait_for(timeout=120_000)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "data_refresh_done.png"), full_page=True)
        finally:
            page.close()
    assert store_version(store) != before
    tables = read_tables(store, ("postings", "runs"))
    assert set(tables["postings"]["source"]) >= {"greenhouse", "lever", "ashby", "remotive"}
    assert (tables["runs"]["status"] == "ok").all()


def test_refresh_button_is_disabled_unless_enabled(chromium, app_url: str):
    page = _data_page(chromium, app_url)  # the demo store's app, AIJOBS_ENABLE_REFRESH=0
    try:
        assert page.get_by_role("button", name="Refresh data").is_disabled()
        assert page.get_by_text("Refreshing is disabled on this deployment").count() >= 1
    finally:
        page.close()
