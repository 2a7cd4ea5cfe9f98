"""Query-layer latency at one size: every query each page issues, for random filter combinations.

Which queries a page issues is not hard-coded here: the real app is run once per page in
Streamlit's AppTest with the query functions wrapped to record their calls (name and arguments).
A page whose tabs are bound to the address (only the open tab is drawn) is recorded once per tab,
each a view of its own ("salary · By seniority"): what a person opening that address waits for.
The recorded calls are then replayed with 20 random Filters per page against the uncached SQL
(``func.__wrapped__``, bypassing st.cache_data), beside the same aggregates in pandas on in-memory
DataFrames (benchmarks/baselines.py) and a bare ``SELECT count(*)`` as the floor.

A call a page makes twice with the same arguments (e.g. the Salary page's one provenance caption
under five charts) is timed once per filter set: in the app the second call is an st.cache_data
hit, not a query. ``queries`` counts the distinct calls.

Each filter set's SQL is run ``REPEATS`` times (the page's calls in order, then again) and its
median kept: p95 is then the slowest *selections'* cost, not one run that a busy shared host
stalled (single runs of a 6 ms query measured 60 ms at p95 on this machine). The p95 over every
single run is reported beside it (``p95_any_run_ms``). pandas runs once per filter set.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.rss import peak_rss_mb  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
QUERY_MODULES = tuple(
    f"dashboard.queries.{p.stem}"
    for p in sorted((ROOT / "dashboard" / "queries").glob("*.py"))
    if p.stem not in ("__init__", "filters")
)
"""Every module of the query layer (a page calling a new module is recorded without an edit)."""
SKIP = frozenset({"fetch", "_cursor", "where", "_facts_where", "check", "cached"})
REPEATS = 3
"""Runs of each filter set's SQL, the median kept (pandas, seconds a call at 10M, runs once)."""


@dataclass
class Call:
    module: str
    name: str
    args: tuple
    kwargs: dict


def page_paths() -> list[str]:
    """The page scripts of dashboard/app.py's PAGES (read, not imported: import runs it)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            return [f"routes/{entry[0]}.py" for entry in ast.literal_eval(node.value)]
    raise RuntimeError(f"no PAGES tuple in {APP}")


def _query_functions() -> dict[tuple[str, str], object]:
    import importlib

    found = {}
    for mod_name in QUERY_MODULES:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        for name, obj in vars(mod).items():
            if name not in SKIP and hasattr(obj, "__wrapped__") and callable(obj):
                found[(mod_name, name)] = obj
    return found


def _tab_views(node: object) -> list[tuple[str, str]]:
    """(query parameter, label) of each tab but the open one, of every tab set under ``node``
    that is bound to the address (AppTest's element tree)."""
    out = []
    if getattr(node, "type", None) == "tab_container":
        key = node.proto.tab_container.query_param_key  # type: ignore[attr-defined]
        if key:
            labels = [child.proto.label for child in node.children.values()]  # type: ignore
            out += [(key, label) for label in labels[1:]]
    for child in getattr(node, "children", {}).values():
        out += _tab_views(child)
    return out


def record_pages(store: Path) -> dict[str, list[Call]]:
    """view -> the query calls the real page makes on its first draw (default filters): one view
    per page, and one more per other tab of a tab set bound to the address."""
    import importlib

    from streamlit.testing.v1 import AppTest

    os.environ["AIJOBS_STORE"] = str(store)
    funcs = _query_functions()
    log: list[Call] = []

    def recorder(mod_name: str, name: str, func):
        def wrapper(*args, **kwargs):
            log.append(Call(mod_name, name, args, kwargs))
            return func(*args, **kwargs)

        return wrapper

    originals = {}
    for (mod_name, name), func in funcs.items():
        mod = importlib.import_module(mod_name)
        originals[(mod_name, name)] = func
        setattr(mod, name, recorder(mod_name, name, func))
    pages: dict[str, list[Call]] = {}
    try:
        at = AppTest.from_file(str(APP), default_timeout=900)
        at.run()
        for path in page_paths():
            log.clear()
            at.switch_page(path).run()
            if at.exception:
                raise RuntimeError(f"{path} raised: {at.exception[0].value}")
            pages[Path(path).stem] = list(log)
            for key, label in _tab_views(at.main):
                log.clear()
                at.query_params[key] = label
                at.run()
                if at.exception:
                    raise RuntimeError(f"{path} ?{key}={label} raised: {at.exception[0].value}")
                pages[f"{Path(path).stem} · {label}"] = list(log)
                del at.query_params[key]
    finally:
        for (mod_name, name), func in originals.items():
            setattr(importlib.import_module(mod_name), name, func)
    return pages


def random_filters(options, rng: random.Random, n: int) -> list:
    """``n`` Filters: the default view first, then random mixes of the global filters."""
    from dashboard.queries.filters import Filters

    out = [Filters()]
    while len(out) < n:
        kw: dict = {}
        top_roles = options.roles[:8]
        if top_roles and rng.random() < 0.6:
            kw["roles"] = tuple(rng.sample(top_roles, rng.randint(1, min(2, len(top_roles)))))
        if options.regions and rng.random() < 0.4:
            kw["regions"] = (rng.choice(options.regions),)
        if options.seniority and rng.random() < 0.4:
            kw["seniority"] = tuple(rng.sample(options.seniority, rng.randint(1, 2)))
        if options.remote and rng.random() < 0.3:
            kw["remote"] = (rng.choice(options.remote),)
        if len(options.months) > 1 and rng.random() < 0.5:
            a, b = sorted(rng.sample(range(len(options.months)), 2))
            kw["months"] = (options.months[a], options.months[b])
        if len(options.years) > 1 and rng.random() < 0.5:
            a, b = sorted(rng.sample(range(len(options.years)), 2))
            kw["years"] = (options.years[a], options.years[b])
        out.append(Filters(**kw))
    return out


def _with_filters(call: Call, f):
    from dashboard.queries.filters import Filters

    args = tuple(f if isinstance(a, Filters) else a for a in call.args)
    kwargs = {k: (f if isinstance(v, Filters) else v) for k, v in call.kwargs.items()}
    return args, kwargs


def distinct_calls(calls: list[Call]) -> list[Call]:
    """``calls`` without repeats of the same function with the same arguments, first kept: what
    a page's run really queries (st.cache_data answers the repeats). Filters are part of the
    arguments, so calls equal under the default filters stay equal under any other."""
    seen: set[str] = set()
    out = []
    for call in calls:
        key = repr((call.module, call.name, call.args, sorted(call.kwargs.items())))
        if key not in seen:
            seen.add(key)
            out.append(call)
    return out


def _filtered(call: Call) -> bool:
    """Whether the call depends on the global filters (re-runs when a filter changes)."""
    from dashboard.queries.filters import Filters

    return any(isinstance(a, Filters) for a in (*call.args, *call.kwargs.values()))


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def load_frames(store: Path) -> dict:
    """The store's data tables as in-memory DataFrames (what a naive app would hold)."""
    from etl.store import read_tables

    return read_tables(store, ("postings", "salaries", "posting_skills"))


def time_pages(
    store: Path,
    pages: dict[str, list[Call]],
    combos: int,
    seed: int,
    budget: float = 180.0,
    repeats: int = REPEATS,
) -> dict:
    """p50/p95 per page and per query over filter sets (each set's SQL the median of
    ``repeats`` runs), DuckDB vs pandas vs the count(*) floor.

    A page stops taking new filter sets once it has used ``budget`` seconds (at least 5 sets
    are always run): a page whose queries take seconds would otherwise run for an hour at 1M.
    """
    from benchmarks.baselines import NAIVE
    from dashboard.queries import store as queries
    from etl.store import store_version

    funcs = _query_functions()
    s, v = str(store), store_version(store)
    options = queries.filter_options.__wrapped__(s, v)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    frames = load_frames(store)
    load_seconds = time.perf_counter() - t0
    with queries._cursor(s, v) as cur:  # warm: open the connection once, like a live app
        cur.execute("SELECT count(*) FROM postings").fetchall()
    floor = []
    for _ in range(combos):
        t0 = time.perf_counter()
        with queries._cursor(s, v) as cur:
            cur.execute("SELECT count(*) FROM postings").fetchall()
        floor.append((time.perf_counter() - t0) * 1000)
    result: dict = {
        "floor_p50_ms": round(_pct(floor, 50), 2),
        "pandas_load_seconds": round(load_seconds, 2),
        "pages": {},
    }
    for page, recorded in pages.items():
        calls = distinct_calls(recorded)
        filtered = [_filtered(c) for c in calls]
        filters = random_filters(options, rng, combos)
        per_query: dict[str, list[float]] = {}
        page_ms, single, duck_matched, naive_ms, static_ms = [], [], [], [], []
        started = time.perf_counter()
        for k, f in enumerate(filters):
            if k >= 5 and time.perf_counter() - started > budget:
                break
            bound = [(funcs[(c.module, c.name)].__wrapped__, *_with_filters(c, f)) for c in calls]
            runs = [[0.0] * len(calls) for _ in range(repeats)]
            naive_total = 0.0
            for r in range(repeats):
                for i, (func, args, kwargs) in enumerate(bound):
                    t0 = time.perf_counter()
                    func(*args, **kwargs)
                    runs[r][i] = (time.perf_counter() - t0) * 1000
                    naive = NAIVE.get(calls[i].name) if filtered[i] and r == 0 else None
                    if naive is not None:
                        t0 = time.perf_counter()
                        naive(frames, *args[2:], **kwargs)
                        naive_total += (time.perf_counter() - t0) * 1000
            total = matched = static = 0.0
            for i, call in enumerate(calls):
                ms = statistics.median(run[i] for run in runs)
                star = "" if filtered[i] else "*"  # * = store-level
                per_query.setdefault(f"{i}:{call.name}{star}", []).append(ms)
                if not filtered[i]:  # store-level: cached once per store, not per filter
                    static += ms
                    continue
                total += ms
                if call.name in NAIVE:
                    matched += ms
            page_ms.append(total)
            single.extend(sum(ms for ms, x in zip(run, filtered, strict=True) if x) for run in runs)
            duck_matched.append(matched)
            naive_ms.append(naive_total)
            static_ms.append(static)
        result["pages"][page] = {
            "queries": sum(filtered),
            "filter_sets": len(page_ms),
            "store_level_queries": len(calls) - sum(filtered),
            "store_level_p95_ms": round(_pct(static_ms, 95), 1),
            "p50_ms": round(_pct(page_ms, 50), 1),
            "p95_ms": round(_pct(page_ms, 95), 1),
            "p95_any_run_ms": round(_pct(single, 95), 1),
            "repeats": repeats,
            "naive_p50_ms": round(_pct(naive_ms, 50), 1),
            "naive_p95_ms": round(_pct(naive_ms, 95), 1),
            "matched_p50_ms": round(_pct(duck_matched, 50), 1),
            "naive_queries": sum(c.name in NAIVE for c in calls),
            "per_query_p95_ms": {k: round(_pct(x, 95), 1) for k, x in per_query.items()},
            "per_query_p50_ms": {k: round(_pct(x, 50), 1) for k, x in per_query.items()},
        }
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--combos", type=int, default=20)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--budget", type=float, default=180.0, help="seconds per page at most")
    ap.add_argument("--pages", nargs="*", default=None, help="only these pages (e.g. data salary)")
    ap.add_argument("--repeats", type=int, default=REPEATS, help="runs of each filter set's SQL")
    args = ap.parse_args(argv)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    pages = record_pages(args.store)
    if args.pages:
        pages = {p: calls for p, calls in pages.items() if p in args.pages}
    out = time_pages(args.store, pages, args.combos, args.seed, args.budget, args.repeats)
    out["recorded"] = {p: [c.name for c in calls] for p, calls in pages.items()}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
