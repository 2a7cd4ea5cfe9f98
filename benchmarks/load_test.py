"""Load test: concurrent browser sessions changing filters on one dashboard server.

N sessions (default 10) open the dashboard in Debian's Chromium (one browser, one context each,
every host but 127.0.0.1 blocked) and each makes M filter changes (default 50): a role chosen in
the sidebar's Role multiselect, then cleared, alternately. A change counts as registered when the
app has run with it: the URL carries the new filter (the app writes it from its state), no element
is stale (Streamlit greys them during a run) and its "running" widget is gone. It
prints (and with --write appends to benchmarks/LOAD.md and puts into RESULTS.md's "Under load"
block) p50/p95/max redraw time, lost changes
and the server's RSS growth per 100 changes (a least-squares slope over the whole run).

The driver checks that the page's widget shows each change within 5 s and acts once more if not
(counted as a driver retry: a click or keys that went astray in the browser, never the app's).
A change not registered within --change-timeout seconds is lost; the script then tells whose loss
it was: the **driver's** if the widget in the page never showed the new choice (the click or the
keys did not reach it), the **app's** if the page showed it but the app never ran with it. After
a loss the session reloads the page, so one loss does not cascade.

    python benchmarks/load_test.py --store data/processed/jobs.duckdb --sessions 10 --changes 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, running  # noqa: E402

ROLES = (
    "Data Scientist", "Machine Learning Engineer", "Data Engineer", "Data Analyst",
    "Research Scientist", "AI Engineer",
)  # fmt: skip
SIDEBAR_ROLE = "[data-testid='stSidebar'] [data-testid='stMultiSelect']"
IDLE = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
DRAWN = f"document.querySelector('.js-plotly-plot') !== null && {IDLE}"
# the app has run with the role chosen (or cleared): the URL it writes from its state carries the
# filter, no element is stale (greyed while a run is under way) and no run is in progress
REGISTERED = (
    "([role, chosen]) => {"
    f" if (!({DRAWN})) return false;"
    " if (document.querySelector('[data-stale=\"true\"]')) return false;"
    " const inUrl = new URLSearchParams(location.search).getAll('role').includes(role);"
    " return chosen ? inUrl : !inUrl;"
    "}"
)


@dataclass
class Tally:
    """Every session's outcomes, shared (asyncio: one thread, no lock needed)."""

    redraw_s: list[float] = field(default_factory=list)
    lost_app: int = 0
    lost_driver: int = 0
    late: list[float] = field(default_factory=list)  # lost, then seen registered later
    done: int = 0
    driver_retries: int = 0
    errors: list[str] = field(default_factory=list)  # sessions that could not go on
    rss: list[tuple[int, float]] = field(default_factory=list)  # (changes done, server MB)


def server_rss_mb(pid: int) -> float:
    try:
        proc = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20
    except psutil.Error:
        return float("nan")


async def _block_other_hosts(route) -> None:  # type: ignore[no-untyped-def]
    if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
        await route.continue_()
    else:
        await route.abort()


async def _chip_shown(page, role: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the page's Role widget shows ``role`` as chosen (the browser's own state)."""
    box = page.locator(SIDEBAR_ROLE).first
    return role in (await box.inner_text())


async def _act(page, role: str, chosen: bool) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(SIDEBAR_ROLE).first
    await page.keyboard.press("Escape")  # no menu left open from before
    if chosen:
        await box.click()
        await page.keyboard.type(role)
        await page.keyboard.press("Enter")
        await page.keyboard.press("Escape")
    else:  # the chip's own remove button: Streamlit's "Clear all" icon opens the menu instead
        # when a long chip is truncated ("Machine Learning E…"), a loss the driver caused
        await box.locator(f"[aria-label='Remove {role}']").first.click()


async def _change(page, role: str, chosen: bool, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    """Make the change in the page; if the widget does not show it within 5 s (the click or the
    keys went astray), act once more: the driver's retry, counted, not the app's doing."""
    await _act(page, role, chosen)
    for _ in range(50):
        if await _chip_shown(page, role) == chosen:
            return
        await asyncio.sleep(0.1)
    tally.driver_retries += 1
    await _act(page, role, chosen)


async def session(number: int, browser, url: str, args, tally: Tally, pid: int) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", _block_other_hosts)
    page = await context.new_page()
    timeout = args.change_timeout * 1000
    await asyncio.sleep(2 * number)  # sessions arrive a little apart, as people do
    await page.goto(url, timeout=300_000)
    await page.wait_for_function(DRAWN, timeout=300_000, polling=50)
    for n in range(args.changes):
        role = ROLES[(number + n // 2) % len(ROLES)]
        chosen = n % 2 == 0
        started = time.perf_counter()
        try:
            await _change(page, role, chosen, tally)
            await page.wait_for_function(
                REGISTERED, arg=[role, chosen], timeout=timeout, polling=50
            )
            tally.redraw_s.append(time.perf_counter() - started)
        except Exception:  # lost (or the driver could not even act): whose loss was it?
            shown = await _chip_shown(page, role)
            if shown == chosen:
                tally.lost_app += 1  # the page had it; the app never ran with it
            else:
                tally.lost_driver += 1
            try:  # registered a little later after all?
                await page.wait_for_function(
                    REGISTERED, arg=[role, chosen], timeout=timeout, polling=200
                )
                tally.late.append(time.perf_counter() - started)
            except Exception:
                pass
            await page.goto(url, timeout=300_000)  # start again from the plain page
            await page.wait_for_function(DRAWN, timeout=300_000, polling=50)
        tally.done += 1
        if tally.done % 10 == 0:
            tally.rss.append((tally.done, server_rss_mb(pid)))
    await context.close()


def slope_per_100(points: list[tuple[int, float]]) -> float | None:
    """Least-squares growth of the server's RSS, MB per 100 changes."""
    if len(points) < 3:
        return None
    xs, ys = zip(*points, strict=True)
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    if not var:
        return None
    return 100 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


async def run(args) -> dict:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    env = {"AIJOBS_STORE": str(args.store)}
    pids: list[int] = []
    tally = Tally()
    started = time.perf_counter()
    with running(env, on_start=pids.append) as url:
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True
            )
            tally.rss.append((0, server_rss_mb(pids[0])))
            jobs = [session(i, browser, url, args, tally, pids[0]) for i in range(args.sessions)]
            try:
                outcomes = await asyncio.wait_for(
                    asyncio.gather(*jobs, return_exceptions=True), timeout=args.max_minutes * 60
                )
            except TimeoutError:
                outcomes = ["the run hit --max-minutes"]
            tally.errors = [f"{type(o).__name__}: {str(o)[:120]}" for o in outcomes if o]
            await browser.close()
        rss_end = server_rss_mb(pids[0])
    times = sorted(tally.redraw_s)
    q = statistics.quantiles(times, n=20) if len(times) >= 20 else []
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "store": str(args.store),
        "sessions": args.sessions,
        "changes_each": args.changes,
        "changes_done": tally.done,
        "registered": len(times),
        "lost_app": tally.lost_app,
        "lost_driver": tally.lost_driver,
        "lost_then_late": len(tally.late),
        "driver_retries": tally.driver_retries,
        "session_errors": tally.errors,
        "redraw_p50_s": round(statistics.median(times), 2) if times else None,
        "redraw_p95_s": round(q[18], 2) if len(times) >= 20 else None,  # not from < 20
        "redraw_max_s": round(times[-1], 2) if times else None,
        "rss_start_mb": round(tally.rss[0][1], 1),
        "rss_end_mb": round(rss_end, 1),
        "rss_growth_mb_per_100_changes": (
            None if (s := slope_per_100(tally.rss)) is None else round(s, 2)
        ),
        "wall_s": round(time.perf_counter() - started, 1),
        "cpus": psutil.cpu_count(),
    }


def markdown(result: dict, note: str) -> str:
    r = result
    return (
        f"\n### {r['when']}: {r['sessions']} sessions x {r['changes_each']} filter changes\n\n"
        f"{note}\n\n"
        "| changes done | registered | lost (app) | lost (driver) | driver retries | redraw p50 "
        "| p95 | max | server RSS start -> end | RSS growth per 100 changes | wall |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {r['changes_done']} | {r['registered']} | {r['lost_app']} | {r['lost_driver']} "
        f"| {r['driver_retries']} "
        f"| {r['redraw_p50_s']} s | {r['redraw_p95_s']} s | {r['redraw_max_s']} s "
        f"| {r['rss_start_mb']} -> {r['rss_end_mb']} MB | {r['rss_growth_mb_per_100_changes']} MB "
        f"| {r['wall_s']} s |\n"
    )


def write(result: dict, note: str) -> None:
    """Append the run to LOAD.md (the log) and make it RESULTS.md's "Under load" block (via
    benchmarks/load.json, which benchmarks/run.py also reads when it rewrites RESULTS.md)."""
    from benchmarks import report

    m = report.machine()
    result = {**result, "commit": m["commit"], "load": m["load"], "store_rows": _rows(result)}
    with (ROOT / "benchmarks" / "LOAD.md").open("a", encoding="utf-8") as fh:
        fh.write(markdown(result, note))
    report.LOAD_JSON.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    results = ROOT / "benchmarks" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    results.write_text(report.replace_load_section(text, result), encoding="utf-8")


def _rows(result: dict) -> str:
    """The store's size in words ("32,104 postings, 151,034 salary records")."""
    import duckdb

    try:
        con = duckdb.connect(result["store"], read_only=True)
        try:
            posts = con.execute("SELECT count(*) FROM postings").fetchone()[0]
            pays = con.execute("SELECT count(*) FROM salaries").fetchone()[0]
        finally:
            con.close()
    except duckdb.Error:
        return "size unknown"
    return f"{posts:,} postings, {pays:,} salary records"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True, help="a real store (etl refresh)")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--changes", type=int, default=50, help="filter changes per session")
    ap.add_argument("--change-timeout", type=float, default=60.0, help="seconds until lost")
    ap.add_argument("--max-minutes", type=float, default=30.0, help="stop the whole run after")
    ap.add_argument("--write", action="store_true", help="append the result to benchmarks/LOAD.md")
    ap.add_argument("--note", default="", help="a line written above the table (with --write)")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(json.dumps({"skipped": f"no Chromium at {CHROMIUM}"}))
        return 0
    result = asyncio.run(run(args))
    print(json.dumps(result))
    if args.write:
        write(result, args.note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
