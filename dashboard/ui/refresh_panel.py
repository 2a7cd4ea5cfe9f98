"""The Data page's "Refresh data" panel.

Refreshing downloads from public sources, so a public deployment must not let every visitor start
it: the panel is only active when enabled by configuration (environment variable
``AIJOBS_ENABLE_REFRESH=1`` or ``enable_refresh = true`` in ``.streamlit/secrets.toml``).

The refresh runs as ``python -m etl refresh --progress-file ...`` in a detached background process,
so it survives the Streamlit script run (and the visitor closing the tab). The panel remembers the
job in a small JSON file beside the store, polls the progress file with ``st.fragment(run_every=)``
and, once the refresh has published, reruns the app: its caches are keyed on ``store_version``, so
the new store is picked up without a restart. Two refreshes never run at once: the ETL's lock makes
a second one exit with "already running".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psutil
import streamlit as st

from dashboard.stats.text import plain

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 2.0
FINAL_STATES = {"done", "ok", "failed", "finished", "error"}


def refresh_enabled() -> bool:
    """Whether this deployment allows visitors to start a refresh."""
    if os.environ.get("AIJOBS_ENABLE_REFRESH", "").strip().lower() in {"1", "true", "yes"}:
        return True
    try:
        return bool(st.secrets.get("enable_refresh", False))
    except Exception:  # no secrets file at all, or an unreadable one
        return False


@dataclass(frozen=True)
class RefreshJob:
    """A background refresh started from the dashboard."""

    pid: int
    started_at: str
    progress_file: str
    log_file: str


def job_file(store: Path) -> Path:
    """Where the panel remembers the last refresh it started (beside the store)."""
    return Path(store).with_name(f".{Path(store).name}.refresh-job.json")


def refresh_command(store: Path, progress_file: Path, python: str | None = None) -> list[str]:
    """The command line of a refresh of ``store`` that reports progress to ``progress_file``."""
    return [
        python or sys.executable,
        "-m",
        "etl",
        "refresh",
        "--out",
        str(store),
        "--progress-file",
        str(progress_file),
    ]


def start_refresh(store: Path, command: list[str] | None = None) -> RefreshJob:
    """Start a refresh in a detached process (its own session) and remember it."""
    store = Path(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    progress = store.with_name(f".{store.name}.refresh-progress.json")
    log = store.with_name(f".{store.name}.refresh.log")
    progress.unlink(missing_ok=True)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command or refresh_command(store, progress),
            cwd=PROJECT_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # not killed with the script run or the server's group
        )
    job = RefreshJob(
        pid=process.pid,
        started_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        progress_file=str(progress),
        log_file=str(log),
    )
    job_file(store).write_text(json.dumps(asdict(job)))
    _children[process.pid] = process
    return job


_children: dict[int, subprocess.Popen] = {}
"""Processes started by this server: polled so that finished ones are reaped, not zombies."""


def load_job(store: Path) -> RefreshJob | None:
    """The last refresh started from the dashboard, if the panel remembers one."""
    try:
        data = json.loads(job_file(store).read_text())
        return RefreshJob(**{k: data[k] for k in RefreshJob.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_running(pid: int) -> bool:
    """Whether the process is still working (a finished, unreaped child counts as finished)."""
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def exit_code(pid: int) -> int | None:
    """The exit code of a refresh this server started (None if unknown or still running)."""
    child = _children.get(pid)
    return None if child is None else child.poll()


def read_progress(path: Path) -> dict | None:
    """The progress JSON written by the refresh; None while absent or half-written."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def progress_table(progress: dict | None) -> pd.DataFrame:
    """One row per source: source, status, rows read, rows loaded, message.

    Accepts ``sources`` as a list of objects with a ``name`` or as a mapping name -> object.
    """
    columns = ["source", "status", "rows read", "rows loaded", "message"]
    sources = (progress or {}).get("sources") or []
    if isinstance(sources, dict):
        sources = [{"name": name, **(info or {})} for name, info in sources.items()]
    rows = [
        {
            "source": item.get("name") or item.get("source"),
            "status": item.get("status") or "pending",
            "rows read": item.get("rows_read"),
            "rows loaded": item.get("rows_loaded"),
            "message": item.get("message") or "",
        }
        for item in sources
        if isinstance(item, dict)
    ]
    return pd.DataFrame(rows, columns=columns)


def last_line(path: Path) -> str:
    """The last non-empty line of a log file ("" if none): the refresh's one-line outcome."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def outcome(job: RefreshJob, running: bool, code: int | None, progress: dict | None) -> tuple:
    """(kind, text) for the panel: kind is "running", "success", "warning" or "error"."""
    state = str((progress or {}).get("state") or "").lower()
    message = (progress or {}).get("message") or last_line(Path(job.log_file))
    if running:
        return "running", f"Refresh started {job.started_at} is running…"
    table = progress_table(progress)
    failed_sources = table[table["status"].isin(["failed", "kept_previous"])]
    if code == 2 or "already running" in message:
        return "warning", message or "Another refresh is already running."
    if (code not in (None, 0)) or state in {"failed", "error"}:
        return "error", f"Refresh failed: {message}" if message else "Refresh failed."
    if state in FINAL_STATES or code == 0:
        if len(failed_sources):
            names = ", ".join(failed_sources["source"].astype(str))
            return "warning", f"Refresh finished; previous data kept for: {names}."
        return "success", f"Refresh finished ({job.started_at}). {message}".strip()
    return "warning", f"The refresh started {job.started_at} stopped without reporting. {message}"


def render_refresh_panel(store: Path) -> None:
    """Show the refresh button (or why it is not available) and the progress of a refresh."""
    st.subheader("Refresh data")
    if not refresh_enabled():
        st.button(
            "Refresh data", disabled=True, key="refresh_data", help="Disabled on this deployment"
        )
        st.caption(
            "Refreshing is disabled on this deployment. To enable it, set "
            "`AIJOBS_ENABLE_REFRESH=1` or `enable_refresh = true` in `.streamlit/secrets.toml`; "
            "or run `python -m etl refresh` from a shell on the server."
        )
        return
    job = load_job(store)
    running = job is not None and is_running(job.pid)
    st.caption(
        "Downloads the latest postings from the configured sources (see the sources table). "
        "The dashboard keeps showing the current data until the new store is published."
    )
    if st.button("Refresh data", key="refresh_data", disabled=running, type="primary"):
        start_refresh(store)
        st.rerun()
    if job is not None:
        # poll only while a refresh runs; a finished one is shown once, without polling
        st.fragment(_show_progress, run_every=POLL_SECONDS if running else None)(str(store))


def _show_progress(store: str) -> None:
    job = load_job(Path(store))
    if job is None:
        return
    running = is_running(job.pid)
    progress = read_progress(Path(job.progress_file))
    kind, text = outcome(job, running, exit_code(job.pid), progress)
    show = {"running": st.info, "success": st.success, "warning": st.warning, "error": st.error}
    show[kind](plain(text, 400))  # the refresh's own words may quote a source's answer
    table = progress_table(progress)
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch")
    if running:
        st.session_state["refresh_seen_running"] = job.pid
    elif st.session_state.get("refresh_seen_running") == job.pid:
        # it finished while this page watched: rerun the whole app once to read the new store
        st.session_state["refresh_seen_running"] = None
        st.rerun(scope="app")
