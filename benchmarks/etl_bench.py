"""ETL throughput at one size, run in its own process so its peak RSS is its own.

``python -m benchmarks.etl_bench --kind salaries|postings --file F [--out DIR]`` streams the scale
file chunk by chunk through the real staging and transform on the refresh's engine
(etl/engine.py: a Dask LocalCluster of AIJOBS_WORKERS processes, or the cluster at
AIJOBS_DASK_SCHEDULER), times it, times the naive baselines on a sample of the same rows, and
prints one JSON object. The workers read their own row groups of the file and write the contract
tables of every chunk as Parquet parts under ``--out`` (for the store), as in a refresh.
``peak_rss_mb`` is this process; ``worker_peak_rss_mb`` the largest worker process (ru_maxrss of
the children, for a LocalCluster).
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import baselines, dataset  # noqa: E402
from benchmarks.dataset import iter_chunks  # noqa: E402
from benchmarks.rss import peak_rss_mb  # noqa: E402
from etl.engine import Engine, chunk_rows, parquet_chunks, transform_chunks  # noqa: E402
from etl.normalise import location, pay, roles, skills  # noqa: E402
from etl.sources import load_sources, staged_columns  # noqa: E402
from etl.staging import stage  # noqa: E402

SALARY_SOURCE = "aijobs_salaries"
POSTING_SOURCE = "data_jobs"


def bench_sources() -> dict[str, dict]:
    """The real source configs; postings read skills from the description text, not a list,
    so every posting goes through text extraction (the expensive, honest case)."""
    by_name = {s["name"]: s for s in load_sources()}
    sal = by_name[SALARY_SOURCE]
    post = copy.deepcopy(by_name[POSTING_SOURCE])
    cols = {k: v for k, v in post["columns"].items() if v != "skills"}
    cols["description"] = "description"
    post["columns"] = cols
    return {"salaries": sal, "postings": post}


def warm_up() -> float:
    """Load the one-time knowledge (gazetteer, ECB rates, taxonomies) before timing rows.

    Returns its seconds: a fixed start-up cost, reported apart from the per-row throughput.
    """
    t0 = time.perf_counter()
    location.country_code("US")
    location.resolve_location("Austin, TX")
    pay.to_usd(pd.Series([1.0]), pd.Series(["EUR"]), pd.Series([2024]))
    pay.load_pay_rules()
    roles.load_role_rules()
    skills.SkillExtractor(skills.load_taxonomy())
    return time.perf_counter() - t0


def _time(func, *args):
    t0 = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - t0


def run(kind: str, file: Path, out: Path | None, sample: int, text_sample: int) -> dict:
    """Stream ``file`` through stage + transform; returns the figures as a dict.

    Timed: the whole pipeline of chunks, workers' start-up and the reading of the file included
    (each worker reads the row groups it transforms). The naive baselines (on the first row
    group) and the count of description characters run before the clock starts.
    """
    source = bench_sources()[kind]
    cols = staged_columns(source["kind"])
    engine = Engine()
    result: dict = {"kind": kind, "file": str(file), "workers": engine.workers}
    result["startup_seconds"] = round(warm_up(), 2)
    rss_start = peak_rss_mb()
    # untimed: the naive baselines on the first row group, and the text size (the MB/s divisor)
    first = next(iter_chunks(file))
    result.update(_baselines(kind, first, stage(first, source, cols), sample, text_sample))
    del first
    text_chars = dataset.text_bytes(file) if kind == "postings" else 0
    folder = out or Path(tempfile.mkdtemp(prefix="etl_bench_"))

    t_read = time.perf_counter()
    with engine:
        chunks = parquet_chunks(file, chunk_rows(kind))  # the refresh's chunks (raw_chunks)
        parts = transform_chunks(engine, chunks, source, folder)
        result["engine"] = engine.name
    seconds = wall = time.perf_counter() - t_read
    rows = parts.rows
    result.update(
        rows=rows,
        loaded=parts.loaded,
        rejected=parts.rejected,
        chunks=len(chunks),
        seconds=round(seconds, 3),
        wall_seconds=round(wall, 3),
        rows_per_s=round(rows / seconds, 1) if seconds else None,
        text_mb=round(text_chars / 1e6, 1),
        peak_rss_mb=round(peak_rss_mb(), 1),
        worker_peak_rss_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        rss_after_imports_mb=round(rss_start, 1),
    )
    return result


def _baselines(
    kind: str, raw: pd.DataFrame, staged: pd.DataFrame, sample: int, text_sample: int
) -> dict:
    """Title mapping (and, for postings, skill extraction) against the naive form, same rows."""
    titles = staged["title"].astype("object").head(sample)
    roles.load_role_rules()
    fast, t_fast = _time(roles.map_roles, titles)
    naive, t_naive = _time(baselines.naive_roles, titles)
    if not (fast.astype("object").to_numpy() == naive.astype("object").to_numpy()).all():
        raise AssertionError("naive and vectorised title mapping disagree")
    out = {
        "titles_rows": len(titles),
        "titles_fast_rows_per_s": round(len(titles) / t_fast, 1),
        "titles_naive_rows_per_s": round(len(titles) / t_naive, 1),
        "titles_ratio": round(t_naive / t_fast, 2),
    }
    if kind != "postings":
        return out
    texts = raw["description"].astype("object")
    extractor = skills.SkillExtractor()
    big = texts.head(sample)
    _, t_big = _time(extractor.extract_many, big)
    small = texts.head(text_sample)
    mb_small = small.str.len().sum() / 1e6
    _, t_fast_small = _time(extractor.extract_many, small)
    patterns = baselines.skill_patterns()
    _, t_naive_small = _time(baselines.naive_extract, small, patterns)
    out.update(
        extract_rows=len(big),
        extract_mb_per_s=round(big.str.len().sum() / 1e6 / t_big, 2),
        extract_sample_rows=len(small),
        extract_sample_fast_mb_per_s=round(mb_small / t_fast_small, 2),
        extract_naive_mb_per_s=round(mb_small / t_naive_small, 3),
        extract_ratio=round(t_naive_small / t_fast_small, 1),
        naive_skill_regexes=len(patterns),
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=("salaries", "postings"), required=True)
    ap.add_argument("--file", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--sample", type=int, default=50_000, help="rows for title/extract figures")
    ap.add_argument("--text-sample", type=int, default=1_000, help="rows for the naive regexes")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.kind, args.file, args.out, args.sample, args.text_sample)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
