"""The long view in Debian's Chromium on the real store: the Demand page opens on the AI share of
all postings (2019-2026) with its attribution, a region in the URL keeps only its countries, and
screenshots at 1440 and 390 px land in tests/screenshots/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser_pages import SHOTS, settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_url(serve: Callable[..., str], real_store: Path) -> str:
    return serve(AIJOBS_STORE=str(real_store))


def _open(browser, url: str, width: int, drawn: str = ".legendtext"):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_selector(f".js-plotly-plot {drawn}", timeout=60_000)  # drawn, not only placed
    settle(page)
    return page


def _legend(page) -> set[str]:  # type: ignore[no-untyped-def]
    first = page.locator(".js-plotly-plot").first
    texts = first.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    return {t.strip() for t in texts}


@pytest.mark.parametrize("width", [1440, 390])
def test_demand_opens_on_the_ai_share_since_2019(chromium, real_url: str, width: int) -> None:
    page = _open(chromium, f"{real_url}/demand", width)
    try:
        assert page.get_by_text("AI share of all job postings, 2019 to today").is_visible()
        assert "United States (US)" in _legend(page) and len(_legend(page)) == 9
        ticks = " ".join(
            page.locator(".js-plotly-plot")
            .first.locator(".xtick")
            .evaluate_all("els => els.map(e => e.textContent)")
        )
        assert "2020" in ticks and "2026" in ticks
        assert page.get_by_text("Indeed Hiring Lab, AI Tracker, CC BY 4.0").first.is_visible()
        assert page.locator("[data-testid='stException']").count() == 0
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"demand_long_view_{width}.png"), full_page=False)
        page.set_viewport_size({"width": width, "height": 5200})
        settle(page)
        page.screenshot(path=str(SHOTS / f"demand_full_{width}.png"), full_page=True)
    finally:
        page.close()


def test_region_europe_in_the_url_keeps_only_european_countries(chromium, real_url: str) -> None:
    page = _open(chromium, f"{real_url}/demand?region=Europe", 1440)
    try:
        assert _legend(page) == {
            "France (FR)", "Germany (DE)", "Ireland (IE)", "Italy (IT)", "Netherlands (NL)",
            "United Kingdom (GB)",
        }  # fmt: skip
        assert "region=Europe" in page.url
    finally:
        page.close()


def test_overview_leads_with_the_computed_series_headline(chromium, real_url: str) -> None:
    page = _open(chromium, real_url, 1440, drawn=".bars")
    try:
        assert page.get_by_text("AI share of United States (US) job postings:").first.is_visible()
        page.screenshot(path=str(SHOTS / "overview_series_1440.png"), full_page=False)
    finally:
        page.close()
