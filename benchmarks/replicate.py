"""A benchmark-only shortcut: a larger store's ETL parts made by replicating a smaller one's.

Running the ETL over 1M or 10M rows takes (much) longer than the page queries need to be measured
on a busy 2-core machine. For the query benchmark only, this copies the ETL's Parquet parts of a
smaller size ``factor`` times in DuckDB: copy ``k`` gets ids suffixed ``~k`` (posting_id, record_id;
posting_skills follow their posting), its posting dates shifted back by ``k`` days and its pay
scaled by ``1 + k/1000`` so that copies are not exact repeats of each other (the months, cells
and quantiles a page computes then differ from copy to copy as real rows would). Rejects are
copied once. The store is then built from the replicated parts by the refresh's own build
(benchmarks/bench_store.py), marts included. Never used for ETL figures: only the query step.

    python -m benchmarks.replicate --parts DIR_SALARIES DIR_POSTINGS --factor 10 --out DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_SHIFTS: dict[str, dict[str, str]] = {
    # table -> column -> its value in copy {k}
    "postings": {
        "posting_id": "posting_id || '~{k}'",
        "posted_date": "posted_date - INTERVAL {k} DAY",
        "salary_usd": "salary_usd * (1 + {k} / 1000)",
    },
    "posting_skills": {"posting_id": "posting_id || '~{k}'"},
    "salaries": {
        "record_id": "record_id || '~{k}'",
        "salary_usd": "salary_usd * (1 + {k} / 1000)",
    },
}


def _select(con: duckdb.DuckDBPyConnection, files: str, table: str, k: int) -> str:
    """Copy ``k`` of the table's rows (copy 0 is the rows as they are)."""
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({files})").fetchall()
    shifts = _SHIFTS.get(table, {})
    exprs = ", ".join(
        f'CAST({shifts[c].format(k=int(k))} AS {t}) AS "{c}"' if c in shifts else f'"{c}"'
        for c, t, *_ in rows
    )
    return f"SELECT {exprs} FROM read_parquet({files})"


def replicate(parts: list[Path], factor: int, out: Path) -> dict[str, int]:
    """Write ``out/<kind folder>/<table>/part-*.parquet``: one part per copy of each table
    (rejects: one copy only, they are not what the pages read)."""
    con = duckdb.connect()
    rows: dict[str, int] = {}
    try:
        for folder in parts:
            for table_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
                found = sorted(table_dir.glob("part-*.parquet"))
                if not found:
                    continue
                files = "[" + ", ".join(f"'{p}'" for p in found) + "]"
                target = out / folder.name / table_dir.name
                target.mkdir(parents=True, exist_ok=True)
                for old in target.glob("part-*.parquet"):
                    old.unlink()
                copies = factor if table_dir.name in _SHIFTS else 1
                for k in range(copies):
                    part = target / f"part-{k:05d}.parquet"
                    con.execute(
                        f"COPY ({_select(con, files, table_dir.name, k)}) TO '{part}' "
                        "(FORMAT PARQUET)"
                    )
                n = con.execute(f"SELECT count(*) FROM read_parquet('{target}/*.parquet')")
                rows[f"{folder.name}/{table_dir.name}"] = int(n.fetchone()[0])
    finally:
        con.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", type=Path, nargs="+", required=True)
    ap.add_argument("--factor", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = replicate(args.parts, args.factor, args.out)
    print(json.dumps({"rows": rows, "seconds": round(time.perf_counter() - t0, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
