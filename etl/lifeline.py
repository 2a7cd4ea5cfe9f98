"""Worker processes that end when the process that started them ends, on every platform.

Why: a refresh SIGKILLed mid-transform left its pool workers running for minutes (a killed
parent cannot tell them to stop, and they keep working through the chunks they hold). A worker
calls ``exit_with_parent()`` once at start: a daemon thread then checks every ``interval`` seconds
(``psutil``, no signals, so it works on Windows and macOS too) that its parent is still the same
process, and ends the worker at once when it is not.
"""

from __future__ import annotations

import os
import threading

import psutil

from etl.lock import process_alive


def exit_with_parent(interval: float = 1.0) -> threading.Thread | None:
    """Start the watch on this process's parent (None when it has no parent to watch)."""
    try:
        parent = psutil.Process().parent()
    except psutil.Error:
        return None
    if parent is None:
        return None
    pid, started = parent.pid, parent.create_time()

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            if not process_alive(pid, started):
                os._exit(1)  # the parent is gone: nobody will read what this worker makes

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread
