"""Scale datasets: the real rows of ../shared/data resampled to 100k, 1M or 10M postings.

Why resample instead of generate: the normalisers' cost depends on real value shapes (messy titles,
"Sudan" countries, hourly pay, mojibake-free but long HTML-derived descriptions), which invented
values would not exercise. Dates, pay and locations are jittered so rows are not exact repeats
(the pipeline would otherwise reject them as duplicates and caches would make it look faster).

Files are written once into benchmarks/data/ (git-ignored) in chunks of ``CHUNK`` rows, one
Parquet row group per chunk, so memory stays bounded at 10M, and reused on later runs. Columns
keep the sources' raw names and are strings, exactly as etl/extract.py reads the source files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.normalise.text import html_to_text

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "benchmarks" / "data"
CHUNK = 100_000
DESCRIPTION_BYTES = 2_000
SALARIES = "aijobs_salaries/salaries_2020-2025_asof-2025-08.csv.gz"
POSTINGS = "data_jobs/data_jobs_salary_all.csv.gz"
DATASET_VERSION = "1"  # bump to regenerate cached files when the builder changes

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")


class DatasetError(RuntimeError):
    """The scale data cannot be built; the message is meant for a person."""


def parse_size(text: str) -> int:
    """'100k' -> 100_000, '1M' -> 1_000_000, '2500' -> 2500."""
    m = _SIZE.match(str(text))
    if not m:
        raise DatasetError(f"bad size {text!r}: use a number with an optional k or M, e.g. 100k")
    mult = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    return int(float(m.group(1)) * mult)


def size_label(n: int) -> str:
    """100_000 -> '100k', 1_000_000 -> '1M' (the inverse of parse_size for round numbers)."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DatasetError(f"missing source file {path} (set --shared to ../shared/data)")
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _api_texts(shared: Path) -> list[str]:
    """Plain-text descriptions of every real job in api_samples/ (HTML stripped)."""
    fields = ("content", "description", "descriptionHtml", "descriptionPlain")
    texts: list[str] = []
    for path in sorted((shared / "api_samples").rglob("*_raw.json")) + sorted(
        (shared / "api_samples").rglob("*.json")
    ):
        if "sample5" in path.name or "edited" in path.name:
            continue
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
        records = doc
        if isinstance(doc, dict):
            records = next((v for v in doc.values() if isinstance(v, list)), [])
        for rec in records if isinstance(records, list) else []:
            if not isinstance(rec, dict):
                continue
            raw = next((rec[f] for f in fields if isinstance(rec.get(f), str) and rec[f]), None)
            if raw:
                text = html_to_text(raw)
                if len(text) > 200:
                    texts.append(text)
    texts = list(dict.fromkeys(texts))
    if not texts:
        raise DatasetError(f"no job descriptions found under {shared / 'api_samples'}")
    return texts


def _descriptions(rng: np.random.Generator, pool: list[str], n: int) -> list[str]:
    """~2 KB windows of two real texts joined, at random offsets: unique per row, real wording."""
    a = rng.integers(0, len(pool), n)
    b = rng.integers(0, len(pool), n)
    offs = rng.random(n)
    out = []
    for i, j, o in zip(a.tolist(), b.tolist(), offs.tolist(), strict=True):
        text = pool[i] + "\n\n" + pool[j]
        start = int(o * max(0, len(text) - DESCRIPTION_BYTES))
        start = text.rfind(" ", 0, start) + 1  # start on a word
        out.append(text[start : start + DESCRIPTION_BYTES])
    return out


def _jitter_money(rng: np.random.Generator, values: pd.Series) -> pd.Series:
    """Amounts times a log-normal factor (sigma 8%), rounded like survey answers."""
    x = pd.to_numeric(values, errors="coerce")
    factor = np.exp(rng.normal(0.0, 0.08, len(x)))
    out = (x * factor).round(0)
    return out.map(lambda v: None if pd.isna(v) else f"{v:.0f}").astype("object")


def salary_chunk(src: pd.DataFrame, rng: np.random.Generator, n: int) -> pd.DataFrame:
    """``n`` salary-survey rows resampled from ``src`` with pay and countries jittered."""
    df = src.iloc[rng.integers(0, len(src), n)].reset_index(drop=True)
    factor = np.exp(rng.normal(0.0, 0.08, n))
    for col in ("salary", "salary_in_usd"):
        x = pd.to_numeric(df[col], errors="coerce") * factor
        df[col] = x.round(0).map(lambda v: None if pd.isna(v) else f"{v:.0f}").astype("object")
    countries = src["company_location"].dropna().to_numpy()
    move = rng.random(n) < 0.10  # one row in ten moves to another real country of the data
    picked = countries[rng.integers(0, len(countries), n)]
    df["company_location"] = np.where(move, picked, df["company_location"].to_numpy())
    df["employee_residence"] = np.where(move, picked, df["employee_residence"].to_numpy())
    return df


def posting_chunk(
    src: pd.DataFrame, pool: list[str], rng: np.random.Generator, n: int
) -> pd.DataFrame:
    """``n`` postings resampled from ``src``: dates, pay and locations jittered, a description."""
    df = src.iloc[rng.integers(0, len(src), n)].reset_index(drop=True)
    stamps = pd.to_datetime(df["job_posted_date"], errors="coerce")
    years = rng.integers(0, 3, n)  # 2023 -> 2023..2025, keeps the seasonality of the real year
    secs = rng.integers(-3 * 86400, 3 * 86400, n)
    shifted = stamps + pd.to_timedelta(years * 365, unit="D") + pd.to_timedelta(secs, unit="s")
    df["job_posted_date"] = shifted.dt.strftime("%Y-%m-%d %H:%M:%S").astype("object")
    df["salary_year_avg"] = _jitter_money(rng, df["salary_year_avg"])
    hourly = pd.to_numeric(df["salary_hour_avg"], errors="coerce") * np.exp(
        rng.normal(0.0, 0.08, n)
    )
    df["salary_hour_avg"] = hourly.round(2).map(lambda v: None if pd.isna(v) else f"{v:.2f}")
    places = src[["job_location", "job_country"]].dropna().to_numpy()
    move = rng.random(n) < 0.30
    picked = places[rng.integers(0, len(places), n)]
    df["job_location"] = np.where(move, picked[:, 0], df["job_location"].to_numpy())
    df["job_country"] = np.where(move, picked[:, 1], df["job_country"].to_numpy())
    df["description"] = _descriptions(rng, pool, n)
    return df


def _as_strings(df: pd.DataFrame) -> pa.Table:
    cols = {c: pa.array(df[c].astype("object").where(df[c].notna(), None).tolist(), pa.string())
            for c in df.columns}  # fmt: skip
    return pa.table(cols)


def dataset_paths(size: int, data_dir: Path = DATA_DIR) -> dict[str, Path]:
    """Where the scale files of ``size`` live (salaries and postings Parquet)."""
    tag = f"{size_label(size)}.v{DATASET_VERSION}"
    return {
        "salaries": data_dir / f"salaries_{tag}.parquet",
        "postings": data_dir / f"postings_{tag}.parquet",
    }


def build(
    size: int,
    shared: Path,
    data_dir: Path = DATA_DIR,
    seed: int = 42,
    log=print,
) -> dict[str, Path]:
    """Write (or reuse) ``size`` postings and ``size`` salary records; returns their paths.

    Chunked: one CHUNK-row frame in memory at a time. A half-written file (crash) is never
    reused, because files are written under a temporary name and renamed when complete.
    """
    paths = dataset_paths(size, data_dir)
    if all(p.exists() for p in paths.values()):
        return paths
    data_dir.mkdir(parents=True, exist_ok=True)
    sal_src = _read_csv(shared / SALARIES)
    post_src = _read_csv(shared / POSTINGS)
    pool = _api_texts(shared)
    for kind, path in paths.items():
        if path.exists():
            continue
        rng = np.random.default_rng([seed, size, 0 if kind == "salaries" else 1])
        tmp = path.with_name(path.name + ".tmp")
        writer = None
        done = 0
        try:
            while done < size:
                n = min(CHUNK, size - done)
                if kind == "salaries":
                    chunk = salary_chunk(sal_src, rng, n)
                else:
                    chunk = posting_chunk(post_src, pool, rng, n)
                table = _as_strings(chunk)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                writer.write_table(table, row_group_size=CHUNK)
                done += n
                if done % 1_000_000 == 0 or done == size:
                    log(f"  {path.name}: {done:,} / {size:,} rows")
        finally:
            if writer is not None:
                writer.close()
        tmp.replace(path)
    return paths


def iter_chunks(path: Path, columns: list[str] | None = None):
    """The file's row groups as string DataFrames, one at a time (bounded memory)."""
    pf = pq.ParquetFile(path)
    for i in range(pf.num_row_groups):
        table = pf.read_row_group(i, columns=columns)
        yield table.to_pandas(types_mapper=None).astype("object").where(lambda d: d.notna(), None)


def text_bytes(path: Path, column: str = "description") -> int:
    """Characters of ``column`` in the whole file (the MB/s denominator), read column-only."""
    import pyarrow.compute as pc

    pf = pq.ParquetFile(path)
    total = 0
    for g in range(pf.num_row_groups):
        col = pf.read_row_group(g, columns=[column]).column(0)
        total += int(pc.sum(pc.utf8_length(col)).as_py() or 0)
    return total
