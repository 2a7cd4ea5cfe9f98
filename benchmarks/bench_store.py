"""A benchmark store from the ETL's Parquet parts, published with the real etl.store.publish.

The ETL benchmark (benchmarks/etl_bench.py) already ran every chunk through stage + transform and
wrote the contract tables as parts; this concatenates them and publishes atomically, exactly as
the pipeline does, with the sources table from data/sources/.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.rss import peak_rss_mb  # noqa: E402
from etl.sources import load_sources, sources_table  # noqa: E402
from etl.store import publish  # noqa: E402

TABLES = ("salaries", "postings", "posting_skills", "rejects")


def read_parts(folder: Path) -> pd.DataFrame | None:
    """Every part-*.parquet under ``folder`` as one frame (None when there is none)."""
    files = sorted(folder.glob("part-*.parquet"))
    if not files:
        return None
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def build_store(parts: list[Path], out: Path) -> dict:
    """Publish the tables found under each of ``parts`` (one folder per kind) to ``out``."""
    t0 = time.perf_counter()
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        frames = [f for f in (read_parts(p / name) for p in parts) if f is not None]
        if frames:
            tables[name] = pd.concat(frames, ignore_index=True)
    tables["sources"] = sources_table(load_sources())
    rows = {k: len(v) for k, v in tables.items()}
    t_read = time.perf_counter() - t0
    publish(tables, out, meta={"run_id": "benchmark"}, kind="real")
    return {
        "rows": rows,
        "read_seconds": round(t_read, 2),
        "publish_seconds": round(time.perf_counter() - t0 - t_read, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "store_mb": round(out.stat().st_size / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", type=Path, nargs="+", required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    print(json.dumps(build_store(args.parts, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
