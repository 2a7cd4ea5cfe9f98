"""The real app in Debian's Chromium: filters work via the UI and via the URL, a malformed link
shows a notice, the download gives the filtered rows. (Every page drawing under the demo banner,
at 1440 px and 390 px, is test_browser_offline.py's.) Screenshots land in tests/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_pages import SHOTS, open_page, settle
from playwright.sync_api import expect

from dashboard.queries import overview, sources
from dashboard.queries.filters import Filters
from etl.store import store_version

pytestmark = pytest.mark.browser


def test_a_filter_in_the_url_is_applied_and_kept(browser, app_url: str, demo_store: Path) -> None:
    page = open_page(browser, f"{app_url}/?role=Research+Scientist&region=Europe")
    try:
        settle(page)
        f = Filters(roles=("Research Scientist",), regions=("Europe",))
        expected = overview.headline(str(demo_store), store_version(demo_store), f)["postings"]
        metric = page.locator("[data-testid='stMetricValue']").first
        # waits for the run that applies the URL's filters: under CI's load, settle() can return
        # between two runs (CI once read 363 there, not the selection's 287)
        expect(metric).to_have_text(f"{expected:,}", timeout=30_000)
        assert "role=Research+Scientist" in page.url and "region=Europe" in page.url
        page.get_by_role("link", name="Salary").first.click()
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        settle(page)
        assert "role=Research+Scientist" in page.url, "filters must survive a page switch"
        page.screenshot(path=str(SHOTS / "salary_filtered.png"), full_page=True)
    finally:
        page.close()


def test_a_filter_set_in_the_sidebar_reaches_the_url(
    browser, app_url: str, demo_store: Path
) -> None:
    page = open_page(browser, app_url)
    try:
        settle(page)
        box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        box.click()
        page.keyboard.type("Machine Learning Engineer")
        page.keyboard.press("Enter")
        page.wait_for_url("**role=Machine+Learning+Engineer**", timeout=30_000)
        settle(page)
        f = Filters(roles=("Machine Learning Engineer",))
        expected = overview.headline(str(demo_store), store_version(demo_store), f)["postings"]
        metric = page.locator("[data-testid='stMetricValue']").first
        # The URL is written as the widget changes, before the rerun has drawn: wait for the redraw.
        expect(metric).to_have_text(f"{expected:,}", timeout=60_000)
        assert metric.inner_text() == f"{expected:,}"
        page.screenshot(path=str(SHOTS / "overview_filtered.png"), full_page=True)
    finally:
        page.close()


def test_the_overview_path_leads_to_the_first_page_with_its_filters(
    browser, app_url: str, demo_store: Path
) -> None:
    page = open_page(browser, f"{app_url}/overview?role=Research+Scientist&role=Data+Scientist")
    try:
        page.wait_for_url(f"{app_url}/?role=Research+Scientist&role=Data+Scientist", timeout=30_000)
        settle(page)
        f = Filters(roles=("Research Scientist", "Data Scientist"))
        expected = overview.headline(str(demo_store), store_version(demo_store), f)["postings"]
        metric = page.locator("[data-testid='stMetricValue']").first
        expect(metric).to_have_text(f"{expected:,}", timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.close()


def test_a_malformed_url_shows_a_notice(browser, app_url: str) -> None:
    page = open_page(browser, f"{app_url}/?years=1999..nope&role=Astronaut")
    try:
        settle(page)
        notice = page.get_by_text("Ignored in the link").first
        assert notice.is_visible()
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        page.close()


def test_the_download_button_gives_the_filtered_rows_as_csv(
    browser, app_url: str, demo_store: Path, tmp_path: Path
) -> None:
    import csv

    s = str(demo_store)
    f = Filters(seniority=("senior",))
    expected = overview.headline.__wrapped__(s, store_version(demo_store), f)["postings"]
    page = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    try:
        page.goto(f"{app_url}/data?seniority=senior")
        page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
        settle(page)
        button = page.get_by_test_id("stDownloadButton").get_by_role("button")
        with page.expect_download(timeout=60_000) as info:
            button.click()
        saved = tmp_path / "rows.csv"
        info.value.save_as(saved)
        with saved.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, "the CSV has no data rows"
        assert {"posting_id", "title", "role", "seniority", "salary_usd"} <= set(rows[0])
        assert {r["seniority"] for r in rows} == {"senior"}  # the sidebar's filter applied
        assert len(rows) == min(expected, sources.DOWNLOAD_CAP)
    finally:
        page.close()
