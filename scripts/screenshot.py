"""Regenerate docs/screenshot.png from the real running app (Streamlit + Debian's Chromium).

Uses the store at AIJOBS_STORE (or the default store path); when there is none, a demo store is
generated in a temporary folder (and the screenshot shows its DEMO banner).
Usage: python scripts/screenshot.py [--page overview] [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.serve import CHROMIUM, ServerError, launch_chromium, running  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="", help="url path of the page ('' = overview)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    if not CHROMIUM.exists():
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
    try:
        with running({"AIJOBS_STORE": str(store)}) as url, sync_playwright() as p:
            browser = launch_chromium(p)
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
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if tmp:
            tmp.cleanup()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
