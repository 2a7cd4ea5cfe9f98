"""The benchmark, in one command: `python benchmarks/run.py` (or `make bench`).

For each size: build (or reuse) the scale files, stream them through the ETL (salaries, then
postings with text skill extraction) beside the naive baselines, publish a store, time every
page's queries against pandas and the count(*) floor, then cold-start the app in Chromium.
Each step runs in its own process so its peak RSS is its own. Prints the table and writes
benchmarks/RESULTS.md (the smoke run writes benchmarks/data/RESULTS.smoke.md instead).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import dataset, report  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


class StepFailed(RuntimeError):
    """A benchmark step's process failed; the message is its last error line."""


def step(module: str, *args: str, timeout: float = 6 * 3600) -> dict:
    """Run ``python -m benchmarks.<module> args`` and parse the JSON it prints last."""
    cmd = [sys.executable, "-m", f"benchmarks.{module}", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        err = [x for x in done.stderr.splitlines() if x.strip()]
        raise StepFailed(f"{module} {' '.join(args)}: {err[-1] if err else 'no output'}")
    return json.loads(lines[-1])


def run_size(size: int, args: argparse.Namespace, log) -> tuple[dict, list[str]]:
    """Every measurement at one size; failures are recorded, the other steps still run."""
    label = dataset.size_label(size)
    data_dir = args.data_dir
    result: dict = {}
    errors: list[str] = []
    log(f"[{label}] scale files")
    paths = dataset.build(size, args.shared, data_dir, log=log)
    work = data_dir / f"work_{label}"
    sample = str(5_000 if args.quick else 50_000)  # rows timed against the naive baselines
    text_sample = str(100 if args.quick else 1_000)
    for kind in ("salaries", "postings"):
        log(f"[{label}] ETL {kind}")
        out = work / f"etl_{kind}"
        _clear(out)
        try:
            result[kind] = step("etl_bench", "--kind", kind, "--file", str(paths[kind]),
                                "--out", str(out), "--sample", sample,
                                "--text-sample", text_sample)  # fmt: skip
        except StepFailed as exc:
            errors.append(f"{label} ETL {kind}: {exc}")
    store = work / "store" / "jobs.duckdb"
    try:
        log(f"[{label}] store")
        result["store"] = step("bench_store", "--parts", str(work / "etl_salaries"),
                               str(work / "etl_postings"), "--out", str(store))  # fmt: skip
    except StepFailed as exc:
        errors.append(f"{label} store: {exc}")
        return result, errors
    try:
        log(f"[{label}] queries")
        combos = str(min(args.combos, 5) if args.quick else args.combos)
        budget = "10" if args.quick else "180"
        result["queries"] = step(
            "query_bench", "--store", str(store), "--combos", combos, "--budget", budget
        )
    except StepFailed as exc:
        errors.append(f"{label} queries: {exc}")
    if not args.skip_browser:
        try:
            log(f"[{label}] browser")
            result["browser"] = step("browser_bench", "--store", str(store), timeout=1800)
        except (StepFailed, subprocess.TimeoutExpired) as exc:
            errors.append(f"{label} browser: {exc}")
    return result, errors


def chosen_sizes(text: str, skip_10m: bool = False) -> list[int]:
    """The sizes to measure from ``--sizes`` ('100k,1M,10M'); ``--skip-10m`` drops 10M and above."""
    sizes = [dataset.parse_size(s) for s in text.split(",") if s.strip()]
    return [s for s in sizes if not (skip_10m and s >= 10_000_000)]


def _clear(folder: Path) -> None:
    for part in folder.glob("*/part-*.parquet"):
        part.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="ETL and dashboard benchmark (writes RESULTS.md)")
    ap.add_argument("--sizes", default="100k,1M,10M",
                    help="comma-separated sizes in postings (default 100k,1M,10M)")  # fmt: skip
    ap.add_argument("--skip-10m", action="store_true",
                    help="leave out 10M (small machines: its scale files take ~6 GB of disk "
                         "and its run ~40 min on 2 cores)")  # fmt: skip
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: at most 5 filter combinations, fewer baseline rows; writes "
                         "benchmarks/data/RESULTS.smoke.md, not RESULTS.md")  # fmt: skip
    ap.add_argument("--skip-browser", action="store_true", help="no Streamlit/Chromium step")
    ap.add_argument("--combos", type=int, default=20, help="random filter sets per page")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the real datasets folder")
    ap.add_argument("--data-dir", type=Path, default=dataset.DATA_DIR)
    ap.add_argument("--results", type=Path, default=None, help="where to write the markdown")
    ap.add_argument(
        "--fresh", action="store_true", help="forget the sizes of earlier runs in results.json"
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="re-render the markdown from the last run's results.json (and findings.md)",
    )
    args = ap.parse_args(argv)
    try:
        sizes = chosen_sizes(args.sizes, args.skip_10m)
    except dataset.DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not (args.shared / "PROVENANCE.md").exists():
        print(f"error: real datasets not found at {args.shared} (use --shared)", file=sys.stderr)
        return 2
    out_md = args.results or (args.data_dir / "RESULTS.smoke.md" if args.quick else RESULTS)
    t0 = time.monotonic()

    def log(msg: str) -> None:
        print(f"{time.monotonic() - t0:7.1f}s {msg}", file=sys.stderr, flush=True)

    results: dict[str, dict] = {}
    errors: list[str] = []
    measured: dict | None = None
    saved = args.data_dir / "results.json"
    if args.report_only and not saved.exists():
        print(f"error: no {saved} yet: run the benchmark first", file=sys.stderr)
        return 2
    if saved.exists() and not args.fresh:  # sizes measured earlier stay in the table
        doc = json.loads(saved.read_text())
        results = doc.get("results", doc)
        measured = doc.get("machine")
        redo = {dataset.size_label(s) for s in sizes}
        errors = [e for e in doc.get("errors", []) if e.split(" ", 1)[0] not in redo]
    if args.report_only:
        sizes = []
    for size in sizes:
        try:
            results[dataset.size_label(size)], errs = run_size(size, args, log)
        except dataset.DatasetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        errors += errs
        measured = report.machine()  # date, commit and load of the measurement itself
        doc = {"results": results, "errors": errors, "machine": measured}
        saved.write_text(json.dumps(doc, indent=1))
    notes_file = ROOT / "benchmarks" / "findings.md"
    notes = notes_file.read_text(encoding="utf-8").splitlines() if notes_file.exists() else []
    text = report.render(results, notes, errors, measured)
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text(text, encoding="utf-8")
    print(report.summary_table(results))
    print(f"\nwritten {out_md}" + (f"; {len(errors)} step(s) failed" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
