"""A benchmark store from the ETL's Parquet parts, built as the refresh builds it.

The ETL benchmark (benchmarks/etl_bench.py) already ran every chunk through stage + transform and
wrote the contract tables as parts; this builds the store from them with the refresh's own
streaming build (etl.build.build_store: DuckDB reads the parts, checks the contract in SQL and
publishes atomically), with the sources table from data/sources/. No table passes through pandas.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.rss import peak_rss_mb  # noqa: E402
from etl.build import BuildPlan, build_store  # noqa: E402
from etl.sources import load_sources, sources_table  # noqa: E402
from etl.store import connect  # noqa: E402
from etl.validate import validate_tables  # noqa: E402

TABLES = ("salaries", "postings", "posting_skills", "rejects")


def build(parts: list[Path], out: Path) -> dict:
    """Build the store at ``out`` from the tables found under each of ``parts`` (one folder
    per kind, ``<table>/part-*.parquet``)."""
    t0 = time.perf_counter()
    plan = BuildPlan(scratch=out.parent / ".bench_scratch")
    for name in TABLES:
        for folder in parts:
            plan.add_parts(name, sorted((folder / name).glob("part-*.parquet")))
    plan.frames = validate_tables({"sources": sources_table(load_sources())})
    build_store(out, plan, meta={"run_id": "benchmark"}, kind="real")
    seconds = time.perf_counter() - t0
    con = connect(out)
    try:
        names = (*TABLES, "sources")
        rows = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()
    return {
        "rows": rows,
        "read_seconds": 0.0,
        "publish_seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "store_mb": round(out.stat().st_size / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", type=Path, nargs="+", required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    print(json.dumps(build(args.parts, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
