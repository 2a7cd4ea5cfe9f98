"""Regenerate docs/screenshot.png from the real running app (Streamlit + Debian's Chromium).

Uses the store at AIJOBS_STORE (or the default store path); when there is none, a demo store is
generated in a temporary folder (and the screenshot shows its DEMO banner).
Usage: python scripts/screenshot.py [--page overview] [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("streamlit exited before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"streamlit did not answer at {url} within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="", help="url path of the page ('' = overview)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install it with `make chromium`", file=sys.stderr)
        return 1
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from etl.config import store_path

    store = store_path()
    tmp = None
    if not store.exists():
        from etl.demo import build_demo_store

        tmp = tempfile.TemporaryDirectory()
        store = build_demo_store(Path(tmp.name) / "jobs.duckdb")
        print(f"no store found; using a generated demo store at {store}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "AIJOBS_STORE": str(store)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_healthy(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            # Warm-up: the first session after a start shows a spurious "Page not found" modal on
            # a non-default page (streamlit/streamlit#9992).
            page.goto(url)
            page.wait_for_selector("h1", timeout=60_000)
            page.goto(f"{url}/{args.page}")
            try:
                page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            except PlaywrightTimeout:
                print("warning: no chart appeared within 60 s; capturing the page as it is")
            page.wait_for_timeout(1500)  # let plotly finish its transitions
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if tmp:
            tmp.cleanup()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
