"""A lock that belongs to a run (a process), not to an open file: cross-platform, stale-proof.

Why not simply hold an OS file lock for the whole refresh: forked worker processes inherit the
open lock file, so after a SIGKILL of the refresh its surviving workers kept the lock held and
blocked the next refresh for minutes. Here the OS lock (``filelock``: ``fcntl`` on Unix, ``msvcrt``
on Windows) is held only for the milliseconds it takes to read or write the *owner record*, a
small JSON file naming the owning process (pid, its start time, host). Whoever finds a record
whose process is gone (``psutil``: no such pid, a pid reused by a younger process, or a zombie)
clears it, says so, and takes the lock: a killed refresh never blocks the next one for longer than
the time it takes to notice, whatever its workers do.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil
from filelock import FileLock
from filelock import Timeout as GuardTimeout

POLL_SECONDS = 0.2
GUARD_SECONDS = 10.0  # the guard is held for milliseconds; waiting longer means a broken disk


class LockBusy(Exception):
    """A live process holds the lock; the message names it."""


@dataclass(frozen=True)
class Owner:
    """Who holds a lock: enough to tell a live owner from a dead one whose pid was reused."""

    pid: int
    started: float  # the process's creation time (psutil), seconds since the epoch
    host: str
    since: str  # when the lock was taken, UTC, for people

    @classmethod
    def me(cls) -> Owner:
        return cls(
            pid=os.getpid(),
            started=psutil.Process().create_time(),
            host=socket.gethostname(),
            since=f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC",
        )

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.since}"


def process_alive(pid: int, started: float | None = None) -> bool:
    """Whether ``pid`` is a running process (and, given ``started``, the same one as then).

    A zombie counts as dead. A process we may not inspect counts as alive (the safe answer).
    """
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return started is None or abs(process.create_time() - started) < 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _read_owner(path: Path) -> Owner | str | None:
    """The owner record at ``path``: None if there is none, a string if it is unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable lock record ({exc.strerror or exc})"
    try:
        doc = json.loads(text)
        return Owner(int(doc["pid"]), float(doc["started"]), str(doc["host"]), str(doc["since"]))
    except (ValueError, KeyError, TypeError):
        return f"unreadable lock record {' '.join(text.split())[:80]!r}"


class RunLock:
    """An exclusive lock at ``path`` owned by this process until ``release``.

    ``acquire(timeout)`` waits up to ``timeout`` seconds for a live owner, then raises LockBusy.
    ``cleared`` is a one-line message when acquiring removed a stale record, else None.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.guard = FileLock(str(self.path) + ".guard", timeout=GUARD_SECONDS)
        self.owner: Owner | None = None
        self.cleared: str | None = None

    def _try(self) -> Owner | None:
        """Take the lock if free or stale; the live owner otherwise."""
        with self.guard:
            found = _read_owner(self.path)
            if isinstance(found, Owner):
                if found.host != socket.gethostname():
                    return found  # another machine's process: cannot tell if it is alive
                if process_alive(found.pid, found.started):
                    return found
                self.cleared = (
                    f"cleared a stale lock: the process that held it ({found.describe()}) "
                    "has ended without releasing it"
                )
            elif isinstance(found, str):
                self.cleared = f"cleared a stale lock ({found})"
            me = Owner.me()
            tmp = self.path.with_name(f".{self.path.name}.{me.pid}.tmp")
            tmp.write_text(json.dumps(me.__dict__), encoding="utf-8")
            os.replace(tmp, self.path)
            self.owner = me
            return None

    def acquire(self, timeout: float = 0.0) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                holder = self._try()
            except GuardTimeout:
                raise LockBusy(f"cannot lock {self.path}: its guard file stays locked") from None
            if holder is None:
                return self
            if time.monotonic() >= deadline:
                waited = f" (waited {timeout:g}s)" if timeout > 0 else ""
                raise LockBusy(f"held by {holder.describe()}{waited}")
            time.sleep(POLL_SECONDS)

    def release(self) -> None:
        """Remove the record if it is still ours (a record someone else wrote stays)."""
        if self.owner is None:
            return
        with self.guard:
            if _read_owner(self.path) == self.owner:
                self.path.unlink(missing_ok=True)
        self.owner = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
