"""Helpers of the browser tests (tests/dashboard/test_browser*.py): open a page, wait for a run."""

from __future__ import annotations

from dashboard.serve import ROOT

SHOTS = ROOT / "tests" / "screenshots"
"""Where the browser tests leave screenshots for a person to look at."""


def open_page(browser, url: str, height: int = 1000):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(url)
    page.wait_for_selector("h1", timeout=30_000)
    return page


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished the run (no 'running' status widget)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
