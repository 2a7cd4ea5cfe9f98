"""Cold start and filter change in a real browser, and the running dashboard's peak RSS.

Chromium is launched first (its own start is not the app's); the clock starts at `streamlit run`
and stops when the first page is fully drawn: a Plotly chart is on screen and Streamlit's
"running" status widget is gone. A filter change is a role typed into the sidebar's first
multiselect; it is done when a chart title names the role and the run has finished.
Debian's Chromium only (never `playwright install`).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout:.0f} s")


def run(store: Path, roles: list[str], timeout_ms: int = 120_000) -> dict:
    """Cold start to first page drawn, then filter change -> redrawn chart per role."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AIJOBS_STORE": str(store), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip
        sampler = RssSampler(proc.pid)
        sampler.start()
        try:
            _wait_healthy(url, proc)
            out["server_ready_s"] = round(time.perf_counter() - t0, 2)
            t1 = time.perf_counter()
            page.goto(url)
            page.wait_for_function(DRAWN, timeout=timeout_ms, polling=20)
            now = time.perf_counter()
            out["first_page_s"] = round(now - t0, 2)
            out["first_page_after_load_s"] = round(now - t1, 2)
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
            out["filter_change_s"] = changes
            out["filter_change_max_s"] = max(changes) if changes else None
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
            sampler.stop.set()
            sampler.join()
            out["dashboard_peak_rss_mb"] = round(sampler.peak / 2**20, 1)
            browser.close()
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--roles", nargs="*", default=["Data Scientist", "Data Engineer"])
    args = ap.parse_args(argv)
    print(json.dumps(run(args.store, args.roles)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
