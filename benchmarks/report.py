"""RESULTS.md: one markdown table (sizes as rows), the per-page detail and the targets."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent

TARGETS = """\
- Query layer: every page's queries p95 ≤ 100 ms at 1M postings, ≤ 300 ms at 10M; every page
  ≥ 10× faster than the naive pandas baseline at 1M.
- ETL: ≥ 100k salary records/s; ≥ 20k postings/s incl. skill extraction from ~2 KB descriptions
  (2 cores); extraction ≥ 10× naive; peak RSS bounded (no linear growth past 1M rows).
- Refresh memory: peak RSS of any one process of a refresh (the ETL's parent, its largest Dask
  worker, the store build) ≤ 4 GB at 10M postings, and flat from 1M to 10M (< 1.5×).
- Browser: first page drawn ≤ 2.5 s; filter change → redrawn chart ≤ 1 s at 1M postings."""

REFRESH_RSS_LIMIT_MB = 4096


def machine() -> dict[str, str]:
    """Cores, RAM, date and the git commit the figures were measured on."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()  # fmt: skip
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (+ uncommitted changes)"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "cores": str(os.cpu_count()),
        "ram_gb": f"{psutil.virtual_memory().total / 2**30:.1f}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "load": load,
    }


def _g(d: dict | None, *keys: str, default: object = None) -> object:
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


def _num(v: object, fmt: str = ",.0f", suffix: str = "") -> str:
    if v is None or v == "":
        return "–"
    if isinstance(v, str):
        return v
    return f"{v:{fmt}}{suffix}"


def _max(*values: object) -> float | None:
    found = [v for v in values if isinstance(v, int | float)]
    return max(found) if found else None


def refresh_peak_rss(r: dict) -> float | None:
    """The largest peak RSS of any one process of the refresh at one size: the ETL's parents,
    their largest worker, the store build (each measured in its own process)."""
    sal, post, st = (r.get(k) for k in ("salaries", "postings", "store"))
    return _max(
        _g(sal, "peak_rss_mb"), _g(post, "peak_rss_mb"), _g(sal, "worker_peak_rss_mb"),
        _g(post, "worker_peak_rss_mb"), _g(st, "peak_rss_mb"),
    )  # fmt: skip


def worst_page(q: dict | None) -> tuple[str | None, float | None]:
    pages = _g(q, "pages") or {}
    if not pages:
        return None, None
    name = max(pages, key=lambda p: pages[p]["p95_ms"])
    return name, pages[name]["p95_ms"]


def min_ratio(q: dict | None) -> float | None:
    pages = _g(q, "pages") or {}
    ratios = [
        p["naive_p50_ms"] / p["matched_p50_ms"]
        for p in pages.values()
        if p.get("naive_queries") and p.get("matched_p50_ms")
    ]
    return min(ratios) if ratios else None


def summary_table(results: dict[str, dict]) -> str:
    head = (
        "| size | salary ETL rows/s | postings ETL rows/s (incl. extraction) | extraction MB/s "
        "| extraction × naive | titles × naive (row apply) | ETL peak RSS MB (sal / post) "
        "| largest worker RSS MB | store build s | store build RSS MB | refresh peak RSS MB "
        "| worst page p95 ms | pages × pandas (min) | count(*) floor ms "
        "| first page s | filter change s | dashboard peak RSS MB | ETL engine |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for size, r in results.items():
        sal, post, q, b, st = (r.get(k) for k in ("salaries", "postings", "queries", "browser",
                                                    "store"))  # fmt: skip
        page, p95 = worst_page(q)
        ratio = min_ratio(q)
        lines.append(
            "| "
            + " | ".join(
                [
                    size,
                    _num(_g(sal, "rows_per_s")),
                    _num(_g(post, "rows_per_s")),
                    _num(_g(post, "extract_mb_per_s"), ".1f"),
                    _num(_g(post, "extract_ratio"), ".0f", "×"),
                    _num(_g(sal, "titles_ratio"), ".1f", "×"),
                    f"{_num(_g(sal, 'peak_rss_mb'))} / {_num(_g(post, 'peak_rss_mb'))}",
                    _num(_max(_g(sal, "worker_peak_rss_mb"), _g(post, "worker_peak_rss_mb"))),
                    _num(
                        (_g(st, "read_seconds") or 0) + (_g(st, "publish_seconds") or 0)
                        if st and "publish_seconds" in st
                        else None,
                        ".1f",
                    ),
                    _num(_g(st, "peak_rss_mb")),
                    _num(refresh_peak_rss(r)),
                    f"{_num(p95, '.0f')} ({page})" if page else "–",
                    _num(ratio, ".1f", "×"),
                    _num(_g(q, "floor_p50_ms"), ".1f"),
                    _num(_g(b, "first_page_s"), ".1f"),
                    _num(_g(b, "filter_change_max_s"), ".2f"),
                    _num(_g(b, "dashboard_peak_rss_mb")),
                    str(_g(post, "engine") or _g(sal, "engine") or "–"),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def page_table(size: str, q: dict) -> str:
    lines = [
        f"#### {size}: query layer per page (random filter sets, uncached SQL)",
        "",
        "| page | queries | filter sets | p50 ms | p95 ms | p95 of single runs ms | pandas p50 ms "
        "| × pandas | slowest query (p95 ms) | store-level queries p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, p in q["pages"].items():
        filtered = {k: v for k, v in p["per_query_p95_ms"].items()
                    if not k.endswith("*") and k.split(":", 1)[1] not in
                    ("store_meta", "filter_options", "sources_table")}  # fmt: skip
        slow = max(filtered, key=filtered.get) if filtered else None
        ratio = (p["naive_p50_ms"] / p["matched_p50_ms"]) if p.get("matched_p50_ms") else None
        lines.append(
            f"| {page} | {p['queries']} | {p.get('filter_sets', '–')} | {p['p50_ms']:.0f} | "
            f"{p['p95_ms']:.0f} | {_num(p.get('p95_any_run_ms'), '.0f')} | "
            f"{_num(p['naive_p50_ms'] if p['naive_queries'] else None, '.0f')} "
            f"({p['naive_queries']} of {p['queries']}) | {_num(ratio, '.1f', '×')} | "
            f"{slow.split(':', 1)[1] if slow else '–'} ({_num(filtered.get(slow), '.0f')}) | "
            f"{p.get('store_level_p95_ms', 0):.0f} |"
        )
    return "\n".join(lines)


def targets(results: dict[str, dict]) -> list[str]:
    """One line per target and size: met / MISSED with the figure."""
    out = []

    def line(ok: bool | None, text: str) -> None:
        mark = "–" if ok is None else ("met" if ok else "**MISSED**")
        out.append(f"- {mark}: {text}")

    for size, r in results.items():
        sal, post, q, b = (r.get(k) for k in ("salaries", "postings", "queries", "browser"))
        if sal:
            line(sal["rows_per_s"] >= 100_000,
                 f"{size} salary ETL {sal['rows_per_s']:,.0f} rows/s (≥ 100,000)")  # fmt: skip
        if post:
            line(post["rows_per_s"] >= 20_000,
                 f"{size} postings ETL {post['rows_per_s']:,.0f} rows/s (≥ 20,000)")  # fmt: skip
            if "extract_ratio" in post:
                line(post["extract_ratio"] >= 10,
                     f"{size} extraction {post['extract_ratio']:.0f}× naive (≥ 10×)")  # fmt: skip
        limit = {"1M": 100, "10M": 300}.get(size)
        page, p95 = worst_page(q)
        if limit and page:
            line(p95 <= limit, f"{size} worst page p95 {p95:.0f} ms on {page} (≤ {limit} ms)")
        if size == "1M" and q:
            ratio = min_ratio(q)
            if ratio is not None:
                line(ratio >= 10, f"1M slowest page ratio vs pandas {ratio:.1f}× (≥ 10×)")
        if b and "first_page_s" in b:
            line(
                b["first_page_s"] <= 2.5,
                f"{size} first page drawn {b['first_page_s']:.1f} s (≤ 2.5 s)",
            )
            if size == "1M":
                line(b["filter_change_max_s"] <= 1,
                     f"1M filter change {b['filter_change_max_s']:.2f} s (≤ 1 s)")  # fmt: skip
    for kind in ("salaries", "postings"):
        sizes = rss_sizes(results, kind)
        if len(sizes) >= 2:
            a, z = results[sizes[0]][kind], results[sizes[-1]][kind]
            grow = z["peak_rss_mb"] / a["peak_rss_mb"]
            text = (
                f"{kind} ETL peak RSS {a['peak_rss_mb']:,.0f} MB at {sizes[0]} → "
                f"{z['peak_rss_mb']:,.0f} MB at {sizes[-1]} ({grow:.1f}× for "
                f"{z['rows'] / a['rows']:.0f}× the rows; bounded < 2×)"
            )
            line(grow < 2, text)
    peaks = {s: refresh_peak_rss(r) for s, r in results.items()}
    if peaks.get("10M"):
        line(peaks["10M"] <= REFRESH_RSS_LIMIT_MB,
             f"10M refresh peak RSS {peaks['10M']:,.0f} MB (≤ 4,096 MB)")  # fmt: skip
    if peaks.get("1M") and peaks.get("10M"):
        grow = peaks["10M"] / peaks["1M"]
        line(grow < 1.5, f"refresh peak RSS {peaks['1M']:,.0f} MB at 1M → {peaks['10M']:,.0f} MB "
                         f"at 10M ({grow:.1f}×; flat < 1.5×)")  # fmt: skip
    elif not peaks.get("10M"):
        line(None, "10M refresh peak RSS: not measured in this run")
    return out


def rss_sizes(results: dict[str, dict], kind: str) -> list[str]:
    """The sizes to compare peak RSS across: from 1M up when there are two such, else all.

    The target is "no linear growth past 1M rows", so 100k (where fixed costs dominate) is
    only the reference when nothing bigger than 1M was measured.
    """
    sizes = sorted(
        (s for s in results if (results[s].get(kind) or {}).get("peak_rss_mb")),
        key=lambda s: results[s][kind].get("rows", 0),
    )
    big = [s for s in sizes if results[s][kind].get("rows", 0) >= 1_000_000]
    return big if len(big) >= 2 else sizes


def floors(b: dict) -> str:
    """The floors of the first page: one-line Streamlit scripts started and drawn the same way."""
    said = []
    for name, label in (("empty", "empty Streamlit page"), ("plotly", "page with plotly.js")):
        f = b.get(f"floor_{name}")
        if not f:
            continue
        if "error" in f:
            said.append(f"floor {label}: failed ({f['error']})")
            continue
        said.append(
            f"floor {label}: {f['total_s']} s (server {f['server_ready_s']} s + drawn "
            f"{f['drawn_after_load_s']} s after load)"
        )
    return "; ".join(said) or "floors not measured"


LOAD_JSON = Path(__file__).resolve().parent / "load.json"
LOAD_START, LOAD_END = "<!-- load test: start -->", "<!-- load test: end -->"


def load_section(result: dict | None) -> str:
    """RESULTS.md's "Under load" block from benchmarks/load_test.py's last ``--write`` run
    (benchmarks/load.json), between markers so either script can rewrite it in place."""
    if not result:
        body = "Not measured yet: `python benchmarks/load_test.py --store STORE --write`."
    else:
        r = result
        body = (
            f"Measured by `benchmarks/load_test.py` on {r['when']}, commit `{r.get('commit', '?')}`"
            f", {r.get('cpus', '?')} cores (load average at the end: {r.get('load', '?')}), on the "
            f"store `{Path(r['store']).name}` ({r.get('store_rows', '?')}): {r['sessions']} "
            f"concurrent Chromium sessions, {r['changes_each']} sidebar filter changes each. "
            "A change counts when the app has run with it (the URL carries it, nothing stale, "
            "no run in progress); method and whose lost changes were whose in "
            "[LOAD.md](LOAD.md).\n\n"
            "| changes done | registered | lost (app) | of which registered later | lost (driver) "
            "| redraw p50 | p95 | max | server RSS start → end | RSS growth per 100 changes "
            "| wall |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            f"| {r['changes_done']} | {r['registered']} | {r['lost_app']} "
            f"| {r.get('lost_then_late', '–')} | {r['lost_driver']} "
            f"| {r['redraw_p50_s']} s | {r['redraw_p95_s']} s | {r['redraw_max_s']} s "
            f"| {r['rss_start_mb']} → {r['rss_end_mb']} MB "
            f"| {r['rss_growth_mb_per_100_changes']} MB | {r['wall_s']} s |"
        )
    return "\n".join([LOAD_START, "## Under load", "", body, LOAD_END])


def read_load() -> dict | None:
    try:
        return json.loads(LOAD_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def replace_load_section(text: str, result: dict) -> str:
    """``text`` (RESULTS.md) with its load block replaced, or the block appended."""
    block = load_section(result)
    a, b = text.find(LOAD_START), text.find(LOAD_END)
    if a >= 0 and b > a:
        return text[:a] + block + text[b + len(LOAD_END) :]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def _repeats(results: dict[str, dict]) -> int:
    """How many times the query step ran each filter set's SQL (1 in runs before it repeated)."""
    pages = [p for r in results.values() for p in r.get("queries", {}).get("pages", {}).values()]
    return max((p.get("repeats", 1) for p in pages), default=1)


def render(
    results: dict[str, dict], notes: list[str], errors: list[str], m: dict | None = None
) -> str:
    """The whole RESULTS.md; ``m`` is the machine/date/commit of the measurement."""
    m = m or machine()
    parts = [
        "# Benchmark results",
        "",
        f"Measured by `benchmarks/run.py` on {m['date']}, commit `{m['commit']}`, "
        f"{m['cores']} cores, {m['ram_gb']} GB RAM (load average at the end: {m['load']}; "
        "the machine is shared, so absolute times are noisy, ratios measured in the same "
        "process hold better).",
        "",
        summary_table(results),
        "",
        "Columns: ETL figures stream the scale files through the pipeline's chunked transform "
        "(`etl.engine.transform_chunks`: real `etl.staging.stage` + `etl.transform` on the "
        "engine named in the detail, a Dask LocalCluster of worker processes that read their own "
        "row groups and write Parquet parts; reading, the cluster's start-up and the "
        "whole-source duplicate and country passes are inside the time); one-time start-up "
        "of the parent (gazetteer, ECB rates, taxonomies) is excluded and listed below. Postings "
        "take their skills from the "
        "description text (every row goes through extraction). Naive baselines run on a sample "
        "of the same rows. Query figures replay the calls each page really makes (recorded "
        f"from the app) against the uncached SQL, each filter set's SQL run {_repeats(results)}× "
        "and its median kept (p95 = the slowest selections; the p95 over every single run, host "
        "stalls included, is listed beside it); '× pandas' compares the queries that have a "
        "pandas equivalent (pandas run once). Browser: `streamlit run` → first page with a "
        "chart and no running indicator, in headless Chromium.",
        "",
        "## Targets",
        "",
        TARGETS,
        "",
        *targets(results),
        "",
        "## Detail",
        "",
    ]
    for size, r in results.items():
        if r.get("queries"):
            parts += [page_table(size, r["queries"]), ""]
        bits = []
        for kind in ("salaries", "postings"):
            e = r.get(kind)
            if e:
                bits.append(
                    f"{kind}: {e['rows']:,} rows ({e['loaded']:,} loaded, {e['rejected']:,} "
                    f"rejected) in {e['seconds']:.1f} s + {e['startup_seconds']:.1f} s start-up, "
                    f"engine {e.get('engine', 'process pool')}, "
                    f"largest worker peak RSS {_num(e.get('worker_peak_rss_mb'))} MB"
                )
        if r.get("store"):
            st = r["store"]
            bits.append(f"store: {st['store_mb']:,.0f} MB, built in "
                        f"{st.get('publish_seconds', 0):.1f} s, peak RSS "
                        f"{st['peak_rss_mb']:,.0f} MB, rows {st['rows']}")  # fmt: skip
        if r.get("browser"):
            b = r["browser"]
            bits.append(
                f"browser: server ready {b.get('server_ready_s')} s, page drawn "
                f"{b.get('first_page_after_load_s')} s after load (app shell "
                f"{b.get('app_shell_s', '–')} s, first script output "
                f"{b.get('first_output_after_load_s', '–')} s), filter changes "
                f"{b.get('filter_change_s')} s, warm reload (queries cached) "
                f"{b.get('warm_reload_s', '–')} s (first chart after "
                f"{b.get('warm_first_chart_s', '–')} s); " + floors(b)
            )
        if bits:
            parts += [f"- **{size}** " + "; ".join(bits), ""]
    parts += [load_section(read_load()), ""]
    if notes:
        parts += ["## Findings", "", *notes, ""]
    if errors:
        parts += ["## Steps that failed", "", *(f"- {e}" for e in errors), ""]
    return "\n".join(parts) + "\n"
