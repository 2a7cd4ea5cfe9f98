"""The "Where do you fit?" page in the real app, in Debian's Chromium: a shared link, pasted
text and picked skills, and the link on to Compare roles.

Uses the server and browser fixtures of tests/dashboard/conftest.py. Screenshots land in
tests/screenshots/ (fit_*.png) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_pages import SHOTS, open_page, settle, tables_drawn

from dashboard.queries import skills as skill_queries
from dashboard.queries.filters import Filters
from dashboard.stats import fit
from etl.store import store_version

pytestmark = pytest.mark.browser

PASTED = "Five years of Python and SQL; I trained PyTorch models and shipped them with Docker."


def _best(store: Path, skills: list[str]) -> list[str]:
    freq = skill_queries.role_skill_frequencies(str(store), store_version(store), Filters())
    return fit.best_roles(fit.coverage(freq, skills), 2)


def _chosen(page, expected: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The skills shown as chips in "Your skills" (waits for ``expected`` chips to be drawn:
    the chips can appear a moment after the rest of the run's output)."""
    tags = page.locator("[data-testid='stMultiSelect']").filter(has_text="Your skills")
    tags = tags.locator("[data-tag]")
    for _ in range(40):
        if tags.count() >= expected:
            break
        page.wait_for_timeout(250)
    return [tags.nth(i).get_attribute("aria-label") or "" for i in range(tags.count())]


def _wait_for_results(page) -> None:  # type: ignore[no-untyped-def]
    """Until the run is over and the chart and the three tables are drawn."""
    page.get_by_text("To fit ").first.wait_for(timeout=60_000)
    settle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    tables_drawn(page, 3)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_shared_link_reopens_the_same_view(browser, app_url: str, demo_store: Path) -> None:
    page = open_page(browser, f"{app_url}/fit?skill=PyTorch&skill=Python", height=2400)
    try:
        _wait_for_results(page)
        assert _chosen(page, 2) == ["PyTorch", "Python"]
        best = _best(demo_store, ["PyTorch", "Python"])
        assert page.get_by_text(f"To fit {best[0]} better, learn").is_visible()
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert "skill=PyTorch&skill=Python" in page.url
        _shot(page, "fit_shared_link.png")
    finally:
        page.close()


def test_pasted_text_fills_the_skills_and_the_url_reopens_them(
    browser,
    app_url: str,
    demo_store: Path,
) -> None:
    page = open_page(browser, f"{app_url}/fit", height=2400)
    try:
        settle(page)
        page.get_by_role("textbox", name="…or paste a CV or a skills paragraph").fill(PASTED)
        page.get_by_role("button", name="Find skills in the text").click()
        page.wait_for_url(re.compile(r"skill=Docker"), timeout=30_000)
        _wait_for_results(page)
        found = ["Python", "SQL", "PyTorch", "Docker"]
        assert _chosen(page, len(found)) == found
        assert "Five" not in page.url and "trained" not in page.url  # text never in the URL
        _shot(page, "fit_pasted_text.png")
        shared = page.url
    finally:
        page.close()
    again = open_page(browser, shared, height=2400)
    try:
        _wait_for_results(again)
        _shot(again, "fit_reopened.png")
        assert _chosen(again, len(found)) == found, shared  # the skills, not the text
        assert (
            again.get_by_role("textbox", name="…or paste a CV or a skills paragraph").input_value()
            == ""
        )
        best = _best(demo_store, found)
        assert again.get_by_text(f"To fit {best[0]} better, learn").is_visible()
    finally:
        again.close()


def test_skills_picked_in_the_list_reach_the_url_and_the_compare_link_works(
    browser,
    app_url: str,
    demo_store: Path,
) -> None:
    page = open_page(browser, f"{app_url}/fit", height=2400)
    try:
        settle(page)
        box = page.locator("[data-testid='stMultiSelect']").filter(has_text="Your skills")
        box.click()
        page.keyboard.type("LLMs")
        page.get_by_role("option", name="LLMs", exact=True).click()
        page.keyboard.press("Escape")
        page.wait_for_url(re.compile(r"skill=LLMs"), timeout=30_000)
        _wait_for_results(page)
        best = _best(demo_store, ["LLMs"])
        _shot(page, "fit_picked.png")
        page.get_by_role("link", name=f"Compare {best[0]} and {best[1]}").click()
        page.get_by_text("Compare roles").first.wait_for(timeout=30_000)
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        settle(page)
        page.get_by_text(f"{best[1]} postings").first.wait_for(timeout=30_000)
        labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
        assert labels[:2] == [f"{best[0]} postings", f"{best[1]} postings"]
        assert "Ignored in the link" not in page.content()
        _shot(page, "fit_to_compare.png")
    finally:
        page.close()
