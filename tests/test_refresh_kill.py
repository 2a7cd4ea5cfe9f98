"""A refresh SIGKILLed in the middle of its transform never blocks the next one.

The killed refresh runs its transform on 2 worker processes (as a real refresh does), so its
workers may outlive it; the next refresh must still start at once, say that it cleared the stale
lock, and publish.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import yaml

from etl.store import read_tables

ROOT = Path(__file__).resolve().parent.parent
ROWS = 45_000  # three transform chunks: ~10 s of work on two processes

TITLES = (
    "Senior Machine Learning Engineer", "Data Scientist", "AI Researcher", "Data Analyst",
    "MLOps Engineer", "Research Scientist, NLP",
)  # fmt: skip
PLACES = ("Berlin, Germany", "Austin, TX", "London, UK", "Remote", "Paris, France")


def write_postings(path: Path, rows: int) -> None:
    """A plain postings CSV big enough that its transform takes seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Id", "Job Title", "Employer", "City", "Published", "Tags"])
        for i in range(rows):
            title = f"{TITLES[i % len(TITLES)]} {i % 997}"
            place = PLACES[i % len(PLACES)]
            out.writerow([f"K-{i}", title, f"Co {i % 300}", place, "2024-03-01", "python, sql"])


@pytest.fixture
def world(tmp_path: Path) -> dict:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("processed", "raw", "cache"))
    for other in (data / "sources").glob("*.yaml"):
        other.unlink()
    source = {
        "name": "big_board",
        "kind": "postings",
        "title": "generated postings",
        "license": "test",
        "mirror_path": "big.csv",
        "columns": {
            "Id": "source_id", "Job Title": "title", "Employer": "company",
            "City": "location", "Published": "posted_date", "Tags": "skills",
        },
    }  # fmt: skip
    (data / "sources" / "big.yaml").write_text(yaml.safe_dump({"sources": [source]}))
    mirror = tmp_path / "mirror"
    write_postings(mirror / "big.csv", ROWS)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "AIJOBS_DATA_DIR": str(data),
        "AIJOBS_CACHE_DIR": str(ROOT / "data" / "cache"),  # the gazetteer index, built once
        "AIJOBS_WORKERS": "2",
    }
    env.pop("AIJOBS_MIRROR", None)
    return {"store": tmp_path / "store" / "jobs.duckdb", "mirror": mirror, "env": env}


def refresh_command(world: dict, progress: Path) -> list[str]:
    return [
        sys.executable, "-m", "etl", "refresh", "--quiet", "--out", str(world["store"]),
        "--mirror", str(world["mirror"]), "--progress-file", str(progress),
    ]  # fmt: skip


def source_state(progress: Path) -> str | None:
    try:
        return json.loads(progress.read_text())["sources"]["big_board"]["status"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


@pytest.mark.slow
def test_a_refresh_killed_mid_transform_lets_the_next_one_start_at_once_and_publish(
    world, tmp_path
):
    progress = tmp_path / "progress-1.json"
    first = subprocess.Popen(
        refresh_command(world, progress),
        cwd=ROOT,
        env=world["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[psutil.Process] = []
    second: subprocess.Popen | None = None
    try:
        deadline = time.monotonic() + 120
        while source_state(progress) != "running":
            assert first.poll() is None, "the refresh ended before reaching the source"
            assert time.monotonic() < deadline, "the refresh never started the source"
            time.sleep(0.05)
        # the transform is under way once the worker processes exist (or after a few seconds)
        running_since = time.monotonic()
        while time.monotonic() - running_since < 4:
            workers = psutil.Process(first.pid).children(recursive=True)
            if workers:
                time.sleep(1.0)  # well inside the first chunks
                break
            time.sleep(0.05)
        assert first.poll() is None, "the refresh finished before it could be killed"
        assert source_state(progress) == "running"
        workers = psutil.Process(first.pid).children(recursive=True)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        killed_at = time.monotonic()
        assert not world["store"].exists()  # nothing half-published

        progress_2 = tmp_path / "progress-2.json"
        second = subprocess.Popen(
            refresh_command(world, progress_2),
            cwd=ROOT,
            env=world["env"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert time.monotonic() - killed_at < 10  # started at once, not after a wait
        # the killed refresh's workers end on their own (etl/lifeline.py), within seconds
        _, alive = psutil.wait_procs(workers, timeout=30)
        assert alive == [], [p.pid for p in alive]
        out, err = second.communicate(timeout=600)
        output = out + err
        assert second.returncode == 0, output  # not 2: "already running"
        assert "cleared a stale lock" in output, output
        assert f"pid {first.pid}" in output, output
        assert "Traceback" not in output
        assert json.loads(progress_2.read_text())["state"] == "done"
        postings = read_tables(world["store"])["postings"]
        assert len(postings) == ROWS
        assert not world["store"].with_name("jobs.duckdb.lock").exists()
    finally:
        if second is not None and second.poll() is None:
            second.kill()
            second.wait(timeout=30)
        for proc in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)
