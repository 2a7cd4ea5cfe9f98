"""The offer checker at 1440 px and 390 px and the pay currency across pages, in Debian's
Chromium (the skill movers and the About page are read from test_browser_offline.py's loads).
Screenshots land in tests/screenshots/ for a person to look at."""

from __future__ import annotations

import pytest
from browser_pages import SHOTS

pytestmark = pytest.mark.browser

WIDTHS = {"wide": 1440, "phone": 390}


def settle(page, timeout: int = 120_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the run is over; the Skills page's premiums take a while on a busy machine."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def _open(browser, url: str, width: int, height: int = 2400):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("h1", timeout=120_000)
    settle(page)
    return page


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_offer_page_places_a_typed_offer_and_keeps_it_out_of_the_url(
    browser, app_url: str, size: str
) -> None:
    page = _open(browser, f"{app_url}/offer", WIDTHS[size])
    try:
        box = page.get_by_label("Offered pay (gross)")
        box.fill("150000")
        box.press("Enter")
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=120_000)
        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
        settle(page)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"offer_{size}.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0
        assert "pay=" not in page.url, "typed values reach the URL only on Share"
        assert page.locator("[data-testid='stDownloadButton']").count() == 1
        page.get_by_role("button", name="Share: put these inputs in the address bar").click()
        page.wait_for_url("**pay=150000**", timeout=120_000)
    finally:
        page.close()


def test_the_pay_currency_is_kept_in_the_url_across_pages(browser, app_url: str) -> None:
    page = _open(browser, f"{app_url}/offer?cur=EUR", 1440)
    try:
        assert "cur=EUR" in page.url
        page.get_by_role("link", name="Salary").first.click()
        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
        settle(page)
        assert "cur=EUR" in page.url
        assert page.get_by_text("In EUR (sidebar: Pay currency)").first.is_visible()
        page.screenshot(path=str(SHOTS / "salary_eur.png"), full_page=True)
    finally:
        page.close()
