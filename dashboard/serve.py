"""Start the dashboard: ``python -m dashboard.serve`` for people, ``running()`` for tests and tools.

``python -m dashboard.serve [streamlit flags]`` is ``streamlit run dashboard/app.py`` plus a
warm-up: while a visitor's browser loads Streamlit's JavaScript (1–2 s), a background thread loads
the code the first page needs (pandas, DuckDB, Plotly and its figure validators, the dashboard's
modules), so the first script run does not pay ~2 s of imports. It does no data work: every query
still runs when a visitor asks for it. ``--no-warm-up`` leaves it out (to measure the difference).

``running(env)`` starts that same command on 127.0.0.1 on a free port in a subprocess, waits for
``/_stcore/health``, yields the base URL and stops the server afterwards. A server that exits or
never answers raises ServerError with the tail of its stderr; an error inside the ``with`` block
while the server is dead gets that tail as a note.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
NO_WARM_UP = "--no-warm-up"
# Debian's Chromium and the flags the browser tests, the screenshot and the benchmark run it with.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# What the entry page imports. The app's modules create st.cache_data functions at import, which
# must find the runtime's cache storage, so the warm-up waits for Streamlit's runtime to exist (and,
# importing nothing while the server itself starts, cannot cross its imports).
MODULES = (
    "pandas",
    "duckdb",
    "pyarrow",
    "plotly.express",
    "plotly.graph_objects",
    "pycountry",
    "etl.config",
    "etl.contract",
    "etl.store",
    "dashboard.queries",  # with its subject modules (store, demand, pay, skills, sources…)
    "dashboard.queries.filters",
    "dashboard.queries.store",
    "dashboard.stats",
    "dashboard.stats.currency",
    "dashboard.stats.format",
    "dashboard.stats.honesty",
    "dashboard.stats.provenance",
    "dashboard.stats.headlines",
    "dashboard.stats.text",
    "dashboard.ui",
    "dashboard.ui.context",
    "dashboard.ui.url",
    "dashboard.ui.sidebar",
    "dashboard.ui.charts",
    "dashboard.ui.download",
    "dashboard.ui.freshness",
    "dashboard.views.overview",
    "dashboard.views.overview.series_headline",
)
STDERR_TAIL = 3000
_log = logging.getLogger(__name__)


class ServerError(RuntimeError):
    """The dashboard server exited or did not answer; the message ends with its stderr tail."""


# ----------------------------------------------------------------------------- warm-up
def import_all(modules: Sequence[str]) -> list[str]:
    """Import ``modules``; the ones that failed (a warm-up must never stop the server)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # reported; the page then shows the real error
            _log.warning("warm-up: cannot import %s: %s", name, exc)
            failed.append(name)
    return failed


def _draw_once() -> None:
    """Build and serialise one tiny chart: Plotly loads its figure validators on first use."""
    import pandas as pd
    import plotly.io

    from dashboard.ui import charts

    frame = pd.DataFrame({"label": ["a", "b"], "n": [1, 2]})
    plotly.io.to_json(charts.ranked_bar(frame, "label", "n", "warm-up", "", "n"), validate=False)


def _runtime_exists() -> bool:
    from streamlit import runtime

    return runtime.exists()


def warm_up(ready: Callable[[], bool] = _runtime_exists, wait_s: float = 60) -> list[str]:
    """Load what the first page needs; the modules that failed to import.

    Starts once ``ready()`` (Streamlit's runtime exists); gives up after ``wait_s`` without it.
    """
    deadline = time.monotonic() + wait_s
    while not ready():
        if time.monotonic() > deadline:
            return []
        time.sleep(0.02)
    failed = import_all(MODULES)
    if "dashboard.ui.charts" not in failed:
        try:
            _draw_once()
        except Exception as exc:  # the first page shows the real error
            _log.warning("warm-up: cannot draw a chart: %s", exc)
    import inspect

    inspect.stack()  # Streamlit's first st.* call walks the stack: fills inspect's module cache
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    """``streamlit run dashboard/app.py`` with ``argv`` as its flags, warmed up unless told not."""
    from streamlit.web import cli  # before the thread starts: no two threads import Streamlit

    args = list(sys.argv[1:] if argv is None else argv)
    if NO_WARM_UP in args:
        args.remove(NO_WARM_UP)
    else:
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    return cli.main(["run", str(APP), *args], prog_name="streamlit")


# ----------------------------------------------------------------------------- for tools
def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium through Playwright's sync API (never `playwright install`)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True
    )


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(port: int, *, warm: bool = True, extra: Sequence[str] = ()) -> list[str]:
    """The command line of a headless dashboard on 127.0.0.1:``port``."""
    return [
        sys.executable, "-m", "dashboard.serve", *(() if warm else (NO_WARM_UP,)),
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false", *extra,
    ]  # fmt: skip


def _tail(err: IO[bytes]) -> str:
    err.flush()
    err.seek(0)
    text = err.read().decode(errors="replace").strip()
    return text[-STDERR_TAIL:] or "(nothing on stderr)"


def wait_healthy(url: str, proc: subprocess.Popen, err: IO[bytes], timeout: float = 120) -> None:
    """Until ``url`` answers /_stcore/health; ServerError if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise ServerError(
                f"the dashboard exited (code {proc.returncode}) before it answered on {url}; "
                f"its stderr:\n{_tail(err)}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerError(
                f"the dashboard did not answer on {url} within {timeout:g} s; "
                f"its stderr:\n{_tail(err)}"
            )
        time.sleep(0.02)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def running(
    env: Mapping[str, str] | None = None,
    *,
    warm: bool = True,
    extra: Sequence[str] = (),
    timeout: float = 120,
    on_start: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """The dashboard in a subprocess (``env`` added to the environment): yields its base URL.

    ``extra``: more Streamlit flags; ``on_start(pid)`` runs as soon as the process exists
    (the benchmark samples its memory from there).
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            command(port, warm=warm, extra=extra),
            cwd=ROOT,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            if on_start is not None:
                on_start(proc.pid)
            wait_healthy(url, proc, err, timeout)
            try:
                yield url
            except BaseException as exc:
                if proc.poll() is not None:
                    exc.add_note(f"the dashboard had exited (code {proc.returncode}): {_tail(err)}")
                raise
        finally:
            _stop(proc)


if __name__ == "__main__":
    raise SystemExit(main())
