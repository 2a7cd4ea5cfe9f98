"""Compare roles' survey sections and FAQ, and "Where do you fit?"'s practitioners switch, in the
real app in Debian's Chromium on a store with a generated survey. Screenshots at 1440 and 390 px
land in tests/screenshots/ (compare_survey_*.png, fit_practitioners.png) for a person to look at."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_pages import SHOTS, settle
from survey_store import build_survey_store

pytestmark = pytest.mark.browser
COMPARE = "compare?a=Machine+Learning+Engineer&b=Research+Scientist"


@pytest.fixture(scope="module")
def survey_url(serve: Callable[..., str], tmp_path_factory: pytest.TempPathFactory) -> str:
    store = build_survey_store(tmp_path_factory.mktemp("survey_app") / "jobs.duckdb")
    return serve(AIJOBS_STORE=str(store))


def _open(browser, url: str, width: int, height: int = 1000):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    return page


@pytest.mark.parametrize("width", [1440, 390])
def test_compare_shows_the_survey_sections_and_the_faq(chromium, survey_url: str, width) -> None:
    page = _open(chromium, f"{survey_url}/{COMPARE}", width, 1000)
    try:
        page.get_by_text("What people in these roles say").first.wait_for(timeout=90_000)
        page.get_by_text("Questions people ask").first.wait_for(timeout=90_000)
        page.get_by_text("hold a doctoral degree").first.wait_for(timeout=90_000)
        body = page.inner_text("body")
        assert "Demo practitioner survey (generated), 2022" in body
        assert "Do I need a PhD to be a research scientist?" in body
        assert "hold a doctoral degree (n = 90)" in body  # the first question is open
        assert "Traceback" not in body
        page.get_by_text("Which pays more, and where?").click()
        page.get_by_text("median band").first.wait_for(timeout=30_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        for n, heading in enumerate(("What people in these roles say", "Questions people ask")):
            page.get_by_text(heading).first.scroll_into_view_if_needed()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(SHOTS / f"compare_survey_{width}_{n}.png"))
    finally:
        page.close()


def test_fit_switch_to_practitioners_reaches_the_url(chromium, survey_url: str) -> None:
    page = _open(chromium, f"{survey_url}/fit?skill=PyTorch&skill=Python", 1440, 2400)
    try:
        choice = page.locator("[data-testid='stRadio'] label").filter(
            has_text="What practitioners use"
        )
        choice.first.wait_for(timeout=90_000)
        choice.first.click()
        page.wait_for_url("**weigh=practitioners**", timeout=60_000)
        settle(page)
        # the table's header cell (a hidden grid cell under its canvas)
        page.get_by_text("Respondents (survey)").first.wait_for(state="attached", timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "fit_practitioners.png"), full_page=True)
    finally:
        page.close()
