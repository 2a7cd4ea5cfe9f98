"""Cold start and filter change in a real browser, and the running dashboard's peak RSS.

Chromium is launched first (its own start is not the app's); the clock starts when the dashboard
is started the way `make run` should start it (dashboard.serve: `streamlit run dashboard/app.py`
plus its warm-up; `--no-warm-up` measures plain `streamlit run`) and stops when the first page is
fully drawn: a Plotly chart is on screen and Streamlit's "running" status widget is gone. The
parts: the server's start (until /_stcore/health answers), the browser's boot of Streamlit's
app shell (JS bundle, websocket), the first script run until its first output (the sidebar), and
the rest until the chart is drawn. The floors are the same measurement of two one-line scripts
in the same Streamlit with the same config: an empty page, and a page with one Plotly chart
(plotly.js loaded and drawn). A filter change is a role typed into the sidebar's first
multiselect; it is done when a chart title names the role and the run has finished. Debian's
Chromium only (never `playwright install`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from dashboard.serve import (
    CHROMIUM,
    ROOT,
    _stop,
    free_port,
    launch_chromium,
    running,
    wait_healthy,
)

FLOORS = {
    "empty": ("import streamlit as st\nst.write('floor page')\n", "text=floor page"),
    "plotly": (
        "import plotly.graph_objects as go\nimport streamlit as st\n"
        "st.plotly_chart(go.Figure(go.Bar(x=['a', 'b'], y=[1, 2])))\n",
        ".js-plotly-plot",
    ),
}
SHELL = "[data-testid='stApp']"
FIRST_OUTPUT = "[data-testid='stSidebar']"

DRAWN = (
    "document.querySelector('.js-plotly-plot') !== null && "
    "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
)
REDRAWN = (
    "(role) => !document.querySelector('[data-testid=\"stStatusWidget\"]') && "
    "[...document.querySelectorAll('.js-plotly-plot .gtitle')]"
    ".some(t => t.textContent.includes(role))"
)


class RssSampler(threading.Thread):
    """Peak RSS of a process tree (the Streamlit server), sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            time.sleep(0.05)


def run(store: Path, roles: list[str], timeout_ms: int = 120_000, warm: bool = True) -> dict:
    """Cold start to first page drawn, then filter change -> redrawn chart per role."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    env = {"AIJOBS_STORE": str(store)}
    out: dict = {"warm_up": warm}
    samplers: list[RssSampler] = []

    def sample(pid: int) -> None:
        samplers.append(RssSampler(pid))
        samplers[0].start()

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        try:
            with running(env, warm=warm, on_start=sample) as url:
                out["server_ready_s"] = round(time.perf_counter() - t0, 2)
                t1 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(SHELL, timeout=timeout_ms)
                out["app_shell_s"] = round(time.perf_counter() - t1, 2)
                page.wait_for_selector(FIRST_OUTPUT, timeout=timeout_ms)
                out["first_output_after_load_s"] = round(time.perf_counter() - t1, 2)
                page.wait_for_function(DRAWN, timeout=timeout_ms, polling=20)
                now = time.perf_counter()
                out["first_page_s"] = round(now - t0, 2)
                out["first_page_after_load_s"] = round(now - t1, 2)
                out["filter_change_s"] = _filter_changes(page, roles, timeout_ms)
                out["filter_change_max_s"] = max(out["filter_change_s"], default=None)
                # the same page again, server warm and queries cached: what is left is the
                # browser's own work (JS bundle, websocket, Plotly drawing)
                fresh = browser.new_page(viewport={"width": 1400, "height": 1000})
                t3 = time.perf_counter()
                fresh.goto(url)
                fresh.wait_for_selector(".js-plotly-plot", timeout=timeout_ms)
                out["warm_first_chart_s"] = round(time.perf_counter() - t3, 2)
                fresh.wait_for_function(DRAWN, timeout=timeout_ms, polling=20)
                out["warm_reload_s"] = round(time.perf_counter() - t3, 2)
        finally:
            for sampler in samplers:
                sampler.stop.set()
                sampler.join()
            out["dashboard_peak_rss_mb"] = round(samplers[0].peak / 2**20, 1) if samplers else None
        for name, (script, selector) in FLOORS.items():
            try:
                out[f"floor_{name}"] = floor(browser, script, selector, timeout_ms)
            except Exception as exc:  # a floor that fails must not lose the app's figures
                out[f"floor_{name}"] = {"error": " ".join(str(exc).split())[:200]}
        browser.close()
    return out


def floor(browser, script: str, selector: str, timeout_ms: int) -> dict:  # type: ignore[no-untyped-def]
    """Start to drawn for a one-line Streamlit script: what no app can beat on this machine."""
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as err:
        path = Path(folder) / "floor.py"
        path.write_text(script, encoding="utf-8")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "streamlit", "run", str(path), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]  # fmt: skip
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL,
                                stderr=err)  # fmt: skip
        try:
            wait_healthy(url, proc, err)
            ready = time.perf_counter() - t0
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t1 = time.perf_counter()
            page.goto(url)
            page.wait_for_selector(selector, timeout=timeout_ms)
            page.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=timeout_ms,
                polling=20,
            )
            drawn = time.perf_counter()
            page.close()
        finally:
            _stop(proc)
    return {
        "server_ready_s": round(ready, 2),
        "drawn_after_load_s": round(drawn - t1, 2),
        "total_s": round(drawn - t0, 2),
    }


def _filter_changes(page, roles: list[str], timeout_ms: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from choosing each role in the sidebar to the chart redrawn for it."""
    changes = []
    for role in roles:
        box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        box.click()
        page.keyboard.type(role)
        t2 = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function(REDRAWN, arg=role, timeout=timeout_ms, polling=20)
        changes.append(round(time.perf_counter() - t2, 2))
        page.keyboard.press("Escape")
        clear = box.locator("[aria-label^='Clear all'], [title^='Clear all']")
        if clear.count():  # back to no role before the next change
            clear.first.click()
            page.wait_for_function(DRAWN, timeout=timeout_ms, polling=20)
    return changes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--roles", nargs="*", default=["Data Scientist", "Data Engineer"])
    ap.add_argument("--no-warm-up", action="store_true", help="plain `streamlit run` (no warm-up)")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.store, args.roles, warm=not args.no_warm_up)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
