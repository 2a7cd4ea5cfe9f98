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
