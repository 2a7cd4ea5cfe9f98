"""Helpers of the browser tests (tests/dashboard/test_browser*.py): the Chromium profile they
share, open a page, wait for a run."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, ROOT

SHOTS = ROOT / "tests" / "screenshots"
"""Where the browser tests leave screenshots for a person to look at."""


class Profile:
    """Every browser test's pages, as tabs of one Chromium profile on disk (one per test process).

    Why one profile: each new browser context starts with an empty in-memory cache, so every page
    load fetched Streamlit's frontend again and compiled its scripts from scratch; in one profile
    the second load of a server's pages takes them from the HTTP cache with V8's compiled code
    (measured on the real store: ~2 CPU-seconds less per load, a third of a load's cost). Tabs
    share cookies, which the app does not use, and nothing else (storage is per server origin).
    The same ``new_page(viewport=…)`` as Playwright's Browser, so tests read as before.
    """

    def __init__(self, context: Any) -> None:
        self.context = context

    def new_page(
        self, viewport: dict[str, int] | None = None, accept_downloads: bool = True
    ) -> Any:
        """A new tab at ``viewport``'s size (this profile always accepts downloads)."""
        assert accept_downloads, "the shared profile accepts downloads in every tab"
        page = self.context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        return page


@contextmanager
def offline_profile(playwright: Any, user_data_dir: Path) -> Iterator[Profile]:
    """Headless Debian Chromium on a profile in ``user_data_dir`` that reaches no host but
    127.0.0.1: every other request goes to a proxy port that this process holds bound and never
    listens on, so it is refused at once (loopback never goes through a proxy). No per-request
    interception (Playwright's routing turns the HTTP cache off and sends each request through
    this process); tests that must show nothing was asked of another host record requests."""
    with socket.socket() as refuser:
        refuser.bind(("127.0.0.1", 0))
        proxy = f"--proxy-server=http://127.0.0.1:{refuser.getsockname()[1]}"
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, proxy],
            headless=True,
            accept_downloads=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield Profile(context)
        finally:
            context.close()


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


def tables_drawn(page, n: int) -> None:  # type: ignore[no-untyped-def]
    """Until ``n`` st.dataframe grids have a drawn canvas (they paint after the run ends)."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] canvas')]"
        ".filter(c => c.width > 0 && c.height > 0).length >= n",
        arg=n,
        timeout=30_000,
    )
    page.wait_for_timeout(800)


PLOT_GEOMETRY = """[...document.querySelectorAll('.js-plotly-plot')].map(p => {
    const r = p.getBoundingClientRect();
    const area = p.querySelector('.cartesianlayer .bg, .nsewdrag');
    const a = area ? area.getBoundingClientRect() : null;
    const legend = p.querySelector('.legend');
    const xtitle = p.querySelector('.g-xtitle, .xtitle');
    const ticks = [...p.querySelectorAll('.xtick text, .ytick text')];
    return {
        title: (p.querySelector('.gtitle') || {}).textContent || '',
        top: r.top, width: r.width, height: r.height,
        plot_top: a ? a.top : null, plot_width: a ? a.width : null,
        plot_height: a ? a.height : null,
        legend_top: legend ? legend.getBoundingClientRect().top : null,
        xtitle_bottom: xtitle ? xtitle.getBoundingClientRect().bottom : null,
        yticks: p.querySelectorAll('.ytick text').length,
        bars: p.querySelectorAll('.barlayer .point').length,
        rotated: ticks.filter(
            t => /rotate\\(-?[1-9]/.test(t.getAttribute('transform') || '')).length,
    };
}).filter(g => g.height > 0)"""
"""JavaScript giving each visible Plotly chart's box, its plot area's box, where its legend and
x-axis title sit, its tick labels (how many on y, how many tilted) and its bars, for the phone
layout checks."""


def plot_geometry(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """The geometry of every visible chart on ``page`` (see PLOT_GEOMETRY)."""
    return page.evaluate(PLOT_GEOMETRY)
