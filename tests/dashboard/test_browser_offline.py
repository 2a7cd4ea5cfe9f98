"""The real app in Chromium with every host but 127.0.0.1 blocked, at 1440 px and at phone width
(390 px): nothing is fetched from another site (the favicon and the world map's shapes are the
app's own), every page draws under the demo banner, no Deploy button, no console error, the map
draws its countries, and on a phone the first screen shows a chart and legends sit below their
plots. The same loads show the insight charts, the About page's definitions and the skill movers
with their download; choices in a closed Skills tab are kept. Screenshots of every page at both
widths land in tests/screenshots/ (offline_<page>_<width>.png) for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse, urlsplit

import pytest
from browser_pages import SHOTS, plot_geometry, tables_drawn
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dashboard.queries import skills as skill_queries
from dashboard.queries.filters import Filters
from dashboard.ui.charts import MAP_DATA
from etl.store import store_version

pytestmark = pytest.mark.browser

PAGES = ("", "demand", "salary", "skills", "compare", "fit", "offer", "data", "about")
DRAWS = {"offer": "text=Enter the offered pay to see where it falls."}
"""What a page draws before anyone touches it, where that is not a chart or a table."""
PHONE = (390, 844)
FIRST_SCREEN_PLOT = 60
"""Pixels of the first chart's plot area (its data, under its title) a phone's first screen shows
at least, on the demo store (whose banner takes ~150 px more than a real store's pages)."""


class Loaded:
    """One page as loaded, with what its load asked of other hosts and what it logged."""

    def __init__(self, browser, url: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport=viewport)
        self.page.on("request", self._request)
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.goto(url)
        self.page.wait_for_selector("h1", timeout=60_000)
        self.page.wait_for_timeout(300)
        self.page.wait_for_function(
            "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )
        self.page.wait_for_timeout(1500)  # plots draw (and would fetch) after the run ends

    def _request(self, request) -> None:  # type: ignore[no-untyped-def]
        # the profile refuses every other host (conftest); this records that one was asked
        url = request.url
        if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1":
            self.blocked.append(url)

    def _console(self, msg) -> None:  # type: ignore[no-untyped-def]
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.errors.append(msg.text)  # failed loads are recorded with their address below

    def _response(self, response) -> None:  # type: ignore[no-untyped-def]
        # Streamlit's own client probes /<page>/_stcore/… before the root (a 404 by design)
        if response.status >= 400 and "/_stcore/" not in response.url:
            self.errors.append(f"{response.status} {response.url}")


class Offline:
    """The pages at one width, each with the requests it asked of any host but 127.0.0.1 (which
    the browser refuses) and the console's errors. Each URL is loaded once, in its own tab, and
    kept: the tests of one width read the same loads (a load of a page is seconds of the suite)."""

    def __init__(self, browser, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.viewport = {"width": width, "height": height}
        self.loaded: dict[str, Loaded] = {}

    def open(self, url: str) -> Loaded:
        if url not in self.loaded:
            self.loaded[url] = Loaded(self.browser, url, self.viewport)
        return self.loaded[url]

    def close(self) -> None:
        for load in self.loaded.values():
            load.page.close()

    @staticmethod
    def shot(load: Loaded, name: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        load.page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.fixture(scope="module")
def desktop(browser) -> Iterator[Offline]:  # type: ignore[no-untyped-def]
    view = Offline(browser, 1440, 1000)
    yield view
    view.close()


@pytest.fixture(scope="module")
def phone(browser) -> Iterator[Offline]:  # type: ignore[no-untyped-def]
    view = Offline(browser, *PHONE)
    yield view
    view.close()


def _drawn(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """Until the page has drawn what it draws first (mostly a chart's SVG or a table's canvas):
    on a busy machine plotly.js arrives after the run's status has gone, and a screenshot taken
    then shows grey placeholders."""
    drawn = DRAWS.get(path, ".js-plotly-plot .main-svg, [data-testid='stDataFrame'] canvas")
    try:
        page.locator(drawn).first.wait_for(state="attached", timeout=30_000)
    except PlaywrightTimeout:
        pytest.fail(f"{path or 'overview'} drew no {drawn} within 30 s")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_draws_at_1440px_with_nothing_from_another_host(
    desktop: Offline, app_url: str, path: str
) -> None:
    load = desktop.open(f"{app_url}/{path}")
    page = load.page
    _drawn(page, path)  # under the demo banner and the data's date (below)
    desktop.shot(load, f"offline_{path or 'overview'}_1440.png")
    assert page.locator("[data-testid='stException']").count() == 0
    assert load.blocked == [], f"requests to other hosts: {load.blocked}"
    assert load.errors == [], f"console errors: {load.errors}"
    assert page.get_by_text("Demo data — generated, not real").first.is_visible()
    assert page.get_by_text("Data as of").first.is_visible()
    assert page.locator("[data-testid='stAppDeployButton']").count() == 0  # a local install
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert icon.startswith((f"{app_url}/media/", "data:image/png")), icon  # the app's own file


def test_demand_and_skills_draw_the_insight_charts(desktop: Offline, app_url: str) -> None:
    """The AI share of postings (Demand) and the raw vs seniority-adjusted pay premiums, a chart
    and its table with sample sizes (Skills)."""
    demand = desktop.open(f"{app_url}/demand").page
    demand.get_by_text("AI share of job postings per month").first.wait_for(timeout=60_000)
    assert demand.get_by_text("AI job", exact=False).first.is_visible()
    skills = desktop.open(f"{app_url}/skills?tab=Pay+premium").page
    skills.get_by_text("Pay premium: raw vs seniority-adjusted").wait_for(timeout=60_000)
    tables_drawn(skills, 1)  # the premiums' table


def test_the_world_map_draws_its_countries_with_the_network_blocked(
    desktop: Offline, app_url: str
) -> None:
    if not MAP_DATA.exists():
        pytest.skip("the map's shapes are not installed (`make map-data` needs npm)")
    load = desktop.open(f"{app_url}/demand")
    # the coloured countries and the base map (land, coastlines) from the app's own shapes
    load.page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .geo .choroplethlocation').length > 10",
        timeout=60_000,
    )
    assert load.page.locator(".js-plotly-plot .geo .coastlines path, .geo .land path").count() > 0
    assert load.blocked == [] and load.errors == []


@pytest.mark.parametrize("path", PAGES)
def test_every_page_at_phone_width_has_a_chart_or_content_on_the_first_screen(
    phone: Offline, app_url: str, path: str
) -> None:
    load = phone.open(f"{app_url}/{path}")
    page = load.page
    _drawn(page, path)
    phone.shot(load, f"offline_{path or 'overview'}_390.png")
    assert page.locator("[data-testid='stException']").count() == 0
    assert load.blocked == []
    # nothing wider than the screen
    overflow = page.evaluate(
        "document.querySelector('[data-testid=\"stMain\"]').scrollWidth - window.innerWidth"
    )
    assert overflow <= 2, f"{overflow}px wider than the screen"
    # every legend sits below its plot, not beside it
    beside = page.evaluate(
        """[...document.querySelectorAll('.js-plotly-plot')].filter(p => {
               const legend = p.querySelector('.legend');
               const plot = p.querySelector('.cartesianlayer .bg, .geolayer');
               if (!legend || !plot) return false;
               return legend.getBoundingClientRect().top < plot.getBoundingClientRect().bottom - 1;
           }).length"""
    )
    assert beside == 0, f"{beside} legend(s) beside their plot"
    # and below its x-axis title, not over it (a legend wrapping to many rows used to climb up)
    over = [
        g["title"]
        for g in plot_geometry(page)
        if g["legend_top"] is not None and g["xtitle_bottom"] is not None
        if g["legend_top"] < g["xtitle_bottom"] - 1
    ]
    assert over == [], f"legend over the x-axis title: {over}"


@pytest.mark.parametrize("path", ["demand", "salary", "skills", "compare"])
def test_a_chart_page_shows_a_chart_on_a_phones_first_screen(
    phone: Offline, app_url: str, path: str
) -> None:
    page = phone.open(f"{app_url}/{path}").page
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    first = min(plot_geometry(page), key=lambda g: g["top"])  # visible charts (not other tabs)
    shown = PHONE[1] - first["plot_top"]  # of the plot itself, not only the chart's title
    assert shown >= FIRST_SCREEN_PLOT, f"{shown:.0f}px of the first plot on the first screen"


def _chart(page, title: str) -> dict:  # type: ignore[no-untyped-def]
    """The geometry of the visible chart whose title starts with ``title``, once drawn."""
    page.wait_for_selector(".js-plotly-plot .gtitle", timeout=30_000)
    page.wait_for_timeout(500)
    found = [g for g in plot_geometry(page) if g["title"].startswith(title)]
    assert found, [g["title"] for g in plot_geometry(page)]
    return found[0]


def test_every_bar_of_the_top_skills_is_labelled_on_a_phone(phone: Offline, app_url: str) -> None:
    """The colour legend (skill categories) is added to the chart's height: it must not squeeze
    the bars until Plotly skips every other skill's name."""
    top = _chart(phone.open(f"{app_url}/skills").page, "Top 15 skills")
    assert top["bars"] == 15 and top["yticks"] == 15, top
    assert top["legend_top"] >= top["xtitle_bottom"] - 1, top


def test_the_coverage_map_leaves_most_of_a_phone_to_its_grid(phone: Offline, app_url: str) -> None:
    cov = _chart(phone.open(f"{app_url}/about").page, "What the store covers")
    assert cov["plot_width"] >= 0.5 * cov["width"], cov  # source labels used to take 60 %


def test_the_pay_boxes_read_across_on_a_phone(phone: Offline, app_url: str) -> None:
    """Roles lie along the y axis: no tilted labels squeezing the boxes into a strip."""
    box = _chart(phone.open(f"{app_url}/salary").page, "Annual pay by role")
    assert box["rotated"] == 0, box
    assert box["plot_height"] >= 0.5 * box["height"], box


def test_a_salary_tab_draws_when_opened_and_is_kept_in_the_address(
    desktop: Offline, app_url: str
) -> None:
    """Only the open tab is drawn: the address opens one, a click draws another in its place."""
    load = desktop.open(f"{app_url}/salary?tab=By+country")
    page = load.page
    titles = page.locator(".js-plotly-plot .gtitle")
    titles.filter(has_text="Annual pay by country").first.wait_for(timeout=30_000)
    page.get_by_role("tab", name="Trend by year").click()
    page.wait_for_url("**tab=Trend*", timeout=30_000)
    titles.filter(has_text="Annual pay by year").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    # Streamlit removes the last run's stale elements a moment after the run ends, so the closed
    # tab's chart is waited out (15 s) rather than counted at once; one that stays fails the test
    expect(titles.filter(has_text="Annual pay by country")).to_have_count(0, timeout=15_000)
    assert load.errors == [], f"console errors: {load.errors}"
    assert load.blocked == [], f"requests to other hosts: {load.blocked}"


def test_choices_in_a_closed_skills_tab_are_there_when_it_opens_again(
    desktop: Offline, app_url: str, demo_store: Path
) -> None:
    """Streamlit forgets a widget's value in a run that does not draw it (its tab closed): the
    trend's skills and the movers' period (in the address too) and the premiums' role must still
    be there when their tab opens again."""
    top = skill_queries.top_skills(str(demo_store), store_version(demo_store), Filters(), 15)
    pick = top["skill"].iloc[-1]  # not one of the three shown by default
    page = desktop.open(f"{app_url}/skills?tab=Over+time&trend={pick}").page
    trend = page.locator("[data-testid='stMultiSelect']").filter(has_text="Skill trend for")
    trend.wait_for(timeout=60_000)
    page.get_by_role("tab", name="Movers").click()
    period_a = page.locator("[data-testid='stSlider']").filter(has_text="Period A")
    period_a.wait_for(timeout=60_000)
    period_a.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")  # its start one month later
    page.wait_for_url("**ma=*", timeout=30_000)
    moved = parse_qs(urlparse(page.url).query)["ma"]
    page.get_by_role("tab", name="Pay premium").click()
    role_box = page.locator("[data-testid='stSelectbox']").filter(has_text="Within role")
    role_box.click()
    role = page.get_by_role("option").nth(2)
    role_name = role.inner_text()
    role.click()
    _idle(page)
    page.get_by_role("tab", name="Top skills").click()
    page.wait_for_url(re.compile(r"^(?!.*tab=Movers)"), timeout=30_000)
    _idle(page)
    page.get_by_role("tab", name="Over time").click()
    trend.wait_for(timeout=60_000)
    _idle(page)
    assert trend.locator("[data-tag]").evaluate_all("ts => ts.map(t => t.ariaLabel)") == [pick]
    assert parse_qs(urlparse(page.url).query)["trend"] == [pick]
    page.get_by_role("tab", name="Movers").click()
    period_a.wait_for(timeout=60_000)
    _idle(page)
    assert parse_qs(urlparse(page.url).query)["ma"] == moved
    lo, hi = moved[0].split("~")
    assert lo in period_a.inner_text() and hi in period_a.inner_text()
    page.get_by_role("tab", name="Pay premium").click()
    role_box.wait_for(timeout=60_000)
    _idle(page)
    assert role_box.locator("input").input_value() == role_name  # not bound to the address


def _idle(page) -> None:  # type: ignore[no-untyped-def]
    """Until the app's run is over (no running indicator)."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_the_about_page_shows_its_metric_definitions(
    view: str, app_url: str, request: pytest.FixtureRequest
) -> None:
    page = request.getfixturevalue(view).open(f"{app_url}/about").page
    assert page.get_by_role("heading", name="Metric definitions").is_visible()


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_skill_movers_draw_with_their_noise_screen_and_download(
    view: str, app_url: str, request: pytest.FixtureRequest
) -> None:
    """Last in this file: it scrolls the kept Skills page (and scrolls it back)."""
    page = request.getfixturevalue(view).open(f"{app_url}/skills?tab=Movers").page
    page.get_by_role("heading", name="Skill movers").wait_for(timeout=60_000)
    visible = page.locator("[data-testid='stDownloadButton'] button").filter(visible=True)
    visible.first.wait_for(timeout=60_000)
    assert page.get_by_text("How the noise screen works").first.is_visible()
    button = visible.last
    button.scroll_into_view_if_needed()
    with page.expect_download() as download:
        button.click()  # no rerun: the app's downloads are on_click="ignore"
    assert download.value.suggested_filename.startswith("skill-movers")
    page.evaluate(
        """() => [document.scrollingElement, ...document.querySelectorAll(
               '[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
           .forEach(e => { if (e) e.scrollTop = 0; })"""
    )


def test_the_browser_reaches_no_host_but_127_0_0_1(browser, app_url: str) -> None:
    """Every browser test's profile refuses other hosts, by name or by address, and still
    reaches the app (conftest's offline_profile)."""
    page = browser.new_page()
    try:
        page.goto(f"{app_url}/_stcore/health")
        reached = page.evaluate(
            """urls => Promise.all(urls.map(u => fetch(u, {mode: 'no-cors'})
                .then(() => 'reached', () => 'refused')))""",
            ["http://example.com/", "http://93.184.215.14/", f"{app_url}/_stcore/health"],
        )
        assert reached == ["refused", "refused", "reached"]
    finally:
        page.close()
