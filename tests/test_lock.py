"""The refresh lock through its interface: two processes, a stale lock, a timeout.

The lock belongs to the process that took it (etl/lock.py): a live owner keeps others out, a dead
owner's record is cleared at once with a message, even when a forked child of the dead owner (a
pool worker) is still running.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest

from etl.lock import LockBusy, Owner, RunLock, process_alive
from etl.store import RefreshInProgress, refresh_lock

ROOT = Path(__file__).resolve().parent.parent

HOLDER = textwrap.dedent(
    """
    import multiprocessing, sys, time
    from etl.store import refresh_lock

    def worker():  # a pool worker: a forked child that outlives its parent
        time.sleep(60)

    with refresh_lock(sys.argv[1]):
        if sys.argv[2] == "fork":
            multiprocessing.get_context("fork").Process(target=worker, daemon=False).start()
        print("held", flush=True)
        sys.stdin.read()  # hold until the test closes stdin (or kills us)
    print("released", flush=True)
    """
)


class Holder:
    """A separate process that takes the refresh lock of ``store`` and holds it."""

    def __init__(self, store: Path, fork: bool = False) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(store), "fork" if fork else "-"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "held"
        self.children = psutil.Process(self.process.pid).children()

    def release(self) -> None:
        self.process.stdin.close()
        assert self.process.stdout.readline().strip() == "released"
        assert self.process.wait(timeout=30) == 0

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        self.process.wait(timeout=30)

    def cleanup(self) -> None:
        for proc in [self.process, *self.children]:
            with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError):
                proc.kill()
        self.process.wait(timeout=30)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store" / "jobs.duckdb"


def test_a_second_process_is_refused_while_the_first_holds_the_lock(store):
    holder = Holder(store)
    try:
        busy = rf"already running \(held by pid {holder.process.pid} "
        with pytest.raises(RefreshInProgress, match=busy), refresh_lock(store):
            pass
        holder.release()
        with refresh_lock(store) as lock:  # free again once the holder has finished
            assert lock.cleared is None
        assert not store.with_name("jobs.duckdb.lock").exists()
    finally:
        holder.cleanup()


def test_a_killed_holder_leaves_a_stale_lock_that_is_cleared_at_once_with_a_message(store):
    holder = Holder(store, fork=True)
    try:
        (worker,) = holder.children
        holder.kill()
        assert worker.is_running()  # its forked worker lives on, as pool workers did
        started = time.monotonic()
        with refresh_lock(store) as lock:
            assert time.monotonic() - started < 2
            assert lock.cleared is not None
            assert f"pid {holder.process.pid}" in lock.cleared
            assert "ended without releasing it" in lock.cleared
    finally:
        holder.cleanup()


def test_waiting_up_to_a_timeout_gets_the_lock_when_the_holder_finishes(store):
    holder = Holder(store)
    try:
        started = time.monotonic()
        with pytest.raises(RefreshInProgress, match=r"waited 1s"), refresh_lock(store, timeout=1):
            pass
        assert 1 <= time.monotonic() - started < 5
        threading.Timer(1.0, holder.process.stdin.close).start()  # finishes while we wait
        started = time.monotonic()
        with refresh_lock(store, timeout=20) as lock:
            assert lock.cleared is None
        assert 0.5 < time.monotonic() - started < 20
        assert holder.process.wait(timeout=30) == 0
    finally:
        holder.cleanup()


def record(path: Path, owner: Owner) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(owner.__dict__), encoding="utf-8")


def test_a_record_of_a_reused_pid_is_stale_but_a_live_owner_is_not(tmp_path):
    path = tmp_path / "x.lock"
    me = Owner.me()
    record(path, me)  # this very process, alive: busy
    with pytest.raises(LockBusy, match=f"held by pid {me.pid}"):
        RunLock(path).acquire()
    record(path, Owner(me.pid, me.started - 3600, me.host, me.since))  # same pid, another start
    lock = RunLock(path).acquire()
    assert "has ended without releasing it" in lock.cleared
    lock.release()
    assert not path.exists()


def test_an_unreadable_record_is_cleared_with_a_message(tmp_path):
    path = tmp_path / "x.lock"
    path.write_text("pid 123 since yesterday")  # the old fcntl lock's text
    with RunLock(path) as lock:
        assert lock.cleared.startswith("cleared a stale lock (unreadable lock record")


def test_release_leaves_a_record_that_is_not_ours(tmp_path):
    path = tmp_path / "x.lock"
    lock = RunLock(path).acquire()
    other = Owner(os.getpid() + 1, 0.0, "elsewhere", "now")
    record(path, other)
    lock.release()
    assert path.exists()


def test_process_alive_tells_running_dead_and_reused_pids_apart():
    me = psutil.Process()
    assert process_alive(me.pid)
    assert process_alive(me.pid, me.create_time())
    assert not process_alive(me.pid, me.create_time() - 10)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not process_alive(child.pid)
