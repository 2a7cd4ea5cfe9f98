"""The refresh on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1 build the same store as the in-process run, and losing a worker mid-run either still
completes with that store or fails cleanly with the previous store intact.

One source (data_jobs, 32k postings) in chunks of 4,000 rows keeps it to about a minute.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.contract import MARTS, TABLES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "data_jobs"
VOLATILE = {"runs": ("run_id", "started_at", "finished_at"), "meta": ()}

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIJOBS_CHUNK_ROWS": "4000"}
    env.pop("AIJOBS_DASK_SCHEDULER", None)
    return {**env, **extra}


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *args],
        cwd=ROOT,
        env=_env(),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a kill takes the nanny and its worker
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers; yields (address, worker processes)."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask_logs")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(
        ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        logs / "scheduler.log",
    )
    worker = ["worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
              "--host", "127.0.0.1"]  # fmt: skip
    workers = [
        _start([*worker, "--local-directory", str(logs / f"w{i}")], logs / f"worker{i}.log")
        for i in range(2)
    ]
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers
    finally:
        for proc in [*workers, scheduler]:
            _stop(proc)


def refresh(out: Path, mirror: Path, **env: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "etl", "refresh", "--mirror", str(mirror), "--source", SOURCE,
           "--out", str(out), "--quiet"]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, env=_env(**env), capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def digest(path: Path) -> dict[str, tuple[int, int]]:
    """Per table: row count and an order-independent checksum of every row (the run's id and
    times left out: they differ between any two runs)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for name, cols in {**TABLES, **MARTS}.items():
            names = [c.name for c in cols if c.name not in VOLATILE.get(name, ())]
            where = " WHERE key NOT IN ('built_at', 'run_id')" if name == "meta" else ""
            row = ", ".join(f'"{c}"' for c in names)
            out[name] = con.execute(
                f'SELECT count(*), coalesce(sum(hash({row})::HUGEINT), 0) FROM "{name}"{where}'
            ).fetchone()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def in_process_store(tmp_path_factory, shared_data) -> Path:
    out = tmp_path_factory.mktemp("in_process") / "jobs.duckdb"
    done = refresh(out, shared_data, AIJOBS_WORKERS="1")
    assert done.returncode == 0, done.stderr
    return out


def test_a_refresh_on_a_dask_cluster_builds_the_in_process_store(
    cluster, in_process_store, shared_data, tmp_path
):
    address, _ = cluster
    out = tmp_path / "jobs.duckdb"
    done = refresh(out, shared_data, AIJOBS_DASK_SCHEDULER=address)
    assert done.returncode == 0, done.stderr
    ours, theirs = digest(out), digest(in_process_store)
    assert ours == theirs
    assert ours["postings"][0] > 30_000 and ours["posting_skills"][0] > 0
    con = duckdb.connect(str(out), read_only=True)
    try:
        loaded = con.execute("SELECT rows_loaded FROM runs").fetchone()[0]
    finally:
        con.close()
    assert loaded == ours["postings"][0]


def test_a_worker_killed_mid_run_completes_or_leaves_the_previous_store(
    cluster, in_process_store, shared_data, tmp_path
):
    address, workers = cluster
    out = tmp_path / "jobs.duckdb"
    shutil.copy(in_process_store, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    cmd = [sys.executable, "-m", "etl", "refresh", "--mirror", str(shared_data), "--source",
           SOURCE, "--out", str(out), "--quiet"]  # fmt: skip
    run = subprocess.Popen(
        cmd, cwd=ROOT, env=_env(AIJOBS_DASK_SCHEDULER=address, AIJOBS_CHUNK_ROWS="2000"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    parts = f".{out.name}.parts.*.tmp/{SOURCE}/tables/postings/part-*.parquet"
    while time.monotonic() < deadline and run.poll() is None:
        if len(list(tmp_path.glob(parts))) >= 2:  # the cluster is transforming chunks
            break
        time.sleep(0.2)
    assert run.poll() is None, "the refresh ended before a worker could be killed"
    os.killpg(workers[1].pid, signal.SIGKILL)
    workers[1].wait(timeout=30)
    _, stderr = run.communicate(timeout=600)
    print(f"refresh after a worker was killed: exit {run.returncode}; {stderr.strip()[-300:]}")
    if run.returncode == 0:
        after, expected = digest(out), digest(in_process_store)
        assert {k: v for k, v in after.items() if k != "runs"} == {
            k: v for k, v in expected.items() if k != "runs"
        }
        assert after["runs"][0] == expected["runs"][0] + 1  # one more run row, same data
    else:
        assert run.returncode == 2, stderr
        assert stderr.strip() and "Traceback" not in stderr
        assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob(f".{out.name}.*.tmp")), "work files left behind"
