"""Refreshing from live job-board APIs: end to end against a local server, and from the dashboard.

The end-to-end tests run ``python -m etl refresh`` in a subprocess against a real local HTTP
server (pytest-httpserver on 127.0.0.1) that serves the captured API responses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest
from werkzeug import Request, Response

from dashboard.ui import refresh_panel as panel
from etl.store import read_tables

ROOT = Path(__file__).resolve().parent.parent


# --- the dashboard's refresh panel ---------------------------------------------------------------


def test_refresh_command_runs_the_etl_cli_with_a_progress_file(tmp_path):
    cmd = panel.refresh_command(tmp_path / "jobs.duckdb", tmp_path / "p.json", python="py")
    assert cmd == [
        "py", "-m", "etl", "refresh", "--out", str(tmp_path / "jobs.duckdb"),
        "--progress-file", str(tmp_path / "p.json"),
    ]  # fmt: skip


def test_progress_table_reads_sources_as_a_list_or_a_mapping():
    as_list = {"sources": [{"name": "lever", "status": "ok", "rows_read": 4, "rows_loaded": 4}]}
    as_map = {"sources": {"lever": {"status": "ok", "rows_read": 4, "rows_loaded": 4}}}
    for progress in (as_list, as_map):
        table = panel.progress_table(progress)
        assert table.to_dict("records") == [
            {"source": "lever", "status": "ok", "rows read": 4, "rows loaded": 4, "message": ""}
        ]
    assert panel.progress_table(None).empty
    assert panel.progress_table({"sources": ["junk", None]}).empty


def test_a_half_written_progress_file_reads_as_no_progress_yet(tmp_path):
    path = tmp_path / "progress.json"
    assert panel.read_progress(path) is None
    path.write_text('{"state": "running", "sour')
    assert panel.read_progress(path) is None
    path.write_text('{"state": "running"}')
    assert panel.read_progress(path) == {"state": "running"}


def job(tmp_path: Path, log: str = "") -> panel.RefreshJob:
    (tmp_path / "log").write_text(log)
    return panel.RefreshJob(
        1, "2026-07-01 10:00:00 UTC", str(tmp_path / "p"), str(tmp_path / "log")
    )


def test_outcome_says_what_happened_in_one_line(tmp_path):
    running = panel.outcome(job(tmp_path), True, None, None)
    assert running[0] == "running"
    busy = job(tmp_path, "error: a refresh of x is already running (pid 7); try again later\n")
    assert panel.outcome(busy, False, 2, None)[0] == "warning"
    assert "already running" in panel.outcome(busy, False, 2, None)[1]
    crashed = job(tmp_path, "Traceback...\nerror: cannot write the store\n")
    assert panel.outcome(crashed, False, 1, None) == (
        "error",
        "Refresh failed: error: cannot write the store",
    )
    partial = {
        "state": "done",
        "sources": [{"name": "lever", "status": "ok"}, {"name": "remotive", "status": "failed"}],
    }
    kind, text = panel.outcome(job(tmp_path), False, 0, partial)
    assert kind == "warning" and "remotive" in text and "lever" not in text
    kind, _ = panel.outcome(job(tmp_path), False, 0, {"state": "done", "sources": []})
    assert kind == "success"


def test_start_refresh_detaches_the_process_and_remembers_the_job(tmp_path):
    store = tmp_path / "jobs.duckdb"
    script = (
        "import json, os, sys; "
        "open(sys.argv[1], 'w').write(json.dumps({'leader': os.getsid(0) == os.getpid()}))"
    )
    progress = tmp_path / ".jobs.duckdb.refresh-progress.json"
    started = panel.start_refresh(store, [sys.executable, "-c", script, str(progress)])
    assert panel.load_job(store) == started
    child = panel._children[started.pid]
    assert child.wait(timeout=30) == 0
    assert not panel.is_running(started.pid)
    # its own session: not killed with the Streamlit script run or the server's process group
    assert panel.read_progress(Path(started.progress_file)) == {"leader": True}


def _app(store: str) -> None:
    from pathlib import Path

    from dashboard.ui.refresh_panel import render_refresh_panel

    render_refresh_panel(Path(store))


def test_panel_is_disabled_unless_enabled_by_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv("AIJOBS_ENABLE_REFRESH", raising=False)
    at = AppTest.from_function(_app, args=(str(tmp_path / "jobs.duckdb"),)).run()
    assert at.button(key="refresh_data").disabled
    assert "disabled on this deployment" in at.caption[0].value
    monkeypatch.setenv("AIJOBS_ENABLE_REFRESH", "1")
    at = AppTest.from_function(_app, args=(str(tmp_path / "jobs.duckdb"),)).run()
    assert not at.button(key="refresh_data").disabled


def test_panel_shows_the_outcome_of_a_finished_refresh(tmp_path, monkeypatch):
    monkeypatch.setenv("AIJOBS_ENABLE_REFRESH", "1")
    store = tmp_path / "jobs.duckdb"
    progress = tmp_path / "p.json"
    progress.write_text(
        json.dumps(
            {"state": "done", "sources": [{"name": "lever", "status": "ok", "rows_read": 4}]}
        )
    )
    (tmp_path / "log").write_text("refresh done\n")
    finished = panel.RefreshJob(2**22 + 12345, "2026-07-01 10:00:00 UTC", str(progress), "x")
    panel.job_file(store).write_text(json.dumps(finished.__dict__))
    at = AppTest.from_function(_app, args=(str(store),)).run()
    assert not at.exception
    assert not at.button(key="refresh_data").disabled  # nothing running any more
    assert "Refresh finished" in at.success[0].value
    assert at.dataframe[0].value["source"].tolist() == ["lever"]


def test_clicking_refresh_starts_a_background_refresh_and_shows_its_outcome(tmp_path, monkeypatch):
    monkeypatch.setenv("AIJOBS_ENABLE_REFRESH", "1")
    script = (
        "import json, sys; open(sys.argv[1], 'w').write(json.dumps("
        "{'state': 'done', 'sources': [{'name': 'remotive', 'status': 'ok', 'rows_read': 35}]}))"
    )
    monkeypatch.setattr(
        panel, "refresh_command", lambda store, progress: [sys.executable, "-c", script, progress]
    )
    store = tmp_path / "jobs.duckdb"
    at = AppTest.from_function(_app, args=(str(store),)).run()
    assert not at.button(key="refresh_data").disabled
    at.button(key="refresh_data").click().run()
    started = panel.load_job(store)
    assert started is not None
    assert panel._children[started.pid].wait(timeout=30) == 0
    at = AppTest.from_function(_app, args=(str(store),)).run()
    assert not at.exception
    assert "Refresh finished" in at.success[0].value
    assert at.dataframe[0].value["rows read"].tolist() == [35]


# --- end to end: `python -m etl refresh` against a local server -----------------------------
# The harness below is shared with tests/test_refresh_safety.py.

SAMPLES = {  # source -> (path the API serves, captured response under shared/data)
    "greenhouse": (
        "/v1/boards/anthropic/jobs",
        "api_samples/greenhouse/anthropic_jobs_content_true.json",
    ),
    "lever": ("/v0/postings/spotify", "api_samples/lever/spotify_postings_mode_json.json"),
    "ashby": ("/posting-api/job-board/ramp", "api_samples/ashby/ramp_job_board.json"),
    "remotive": ("/api/remote-jobs", "api_samples/remotive/remote_jobs_raw.json"),
    "remoteok": ("/api", "api_samples/remoteok/api_raw.json"),
    "arbeitnow": ("/api/job-board-api", "api_samples/arbeitnow/job_board_api_raw.json"),
}
PAGE_2_JOBS = 3
EXPECTED_ROWS = {  # staged rows per source from the served responses (page 2 of arbeitnow: 3 more)
    "greenhouse": 4, "lever": 4, "ashby": 4, "remotive": 35, "remoteok": 97,
    "arbeitnow": 100 + PAGE_2_JOBS,
}  # fmt: skip


def need_pipeline() -> None:
    for module in ("etl.pipeline", "etl.cli"):
        try:
            __import__(module)
        except ImportError as exc:
            pytest.skip(f"{module} is not available yet ({exc})")


class ApiWorld:
    """A local copy of the project's data/ whose only sources are the six APIs, served locally."""

    def __init__(self, root: Path, shared: Path) -> None:
        self.root, self.shared = root, shared
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.start()
        self.data_dir = root / "data"
        shutil.copytree(ROOT / "data", self.data_dir, ignore=shutil.ignore_patterns("processed"))
        for other in (self.data_dir / "sources").glob("*.yaml"):
            other.unlink()  # no file sources: they would download or need the big files
        self.config = yaml.safe_load((ROOT / "data/sources/job_boards.yaml").read_text())
        for source in self.config["sources"]:
            source["targets"] = [t for t in source["targets"] if t.get("mirror_path")]
        self.write_config()
        self.store = root / "store" / "jobs.duckdb"
        self.env = {
            **os.environ,
            "AIJOBS_DATA_DIR": str(self.data_dir),
            "AIJOBS_STORE": str(self.store),
            "AIJOBS_HTTP_MIN_INTERVAL": "0",
            "AIJOBS_HTTP_BACKOFF": "0.05",
            "AIJOBS_HTTP_RETRIES": "3",
            "AIJOBS_HTTP_TIMEOUT": "2",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("AIJOBS_MIRROR", None)
        for name in SAMPLES:
            self.env[f"AIJOBS_API_BASE_{name.upper()}"] = self.server.url_for("")

    def write_config(self) -> None:
        path = self.data_dir / "sources" / "job_boards.yaml"
        path.write_text(yaml.safe_dump(self.config, sort_keys=False))

    def source(self, name: str) -> dict:
        return next(s for s in self.config["sources"] if s["name"] == name)

    def sample(self, name: str) -> bytes:
        return (self.shared / SAMPLES[name][1]).read_bytes()

    def serve(self, **overrides) -> None:
        """Serve every API's captured response; ``name=handler`` replaces one API's answer."""
        self.server.clear()
        for name, (path, _) in SAMPLES.items():
            handler = overrides.get(name) or self._sample_handler(name)
            self.server.expect_request(path).respond_with_handler(handler)

    def _sample_handler(self, name: str):
        body = self.sample(name)
        if name != "arbeitnow":
            return lambda request: Response(body, content_type="application/json")
        first = json.loads(body)
        second = {
            "data": [dict(j, slug=j["slug"] + "-p2") for j in first["data"][:PAGE_2_JOBS]],
            "links": {"next": None},
            "meta": {"current_page": 2},
        }

        def paged(request: Request) -> Response:
            page = first if request.args.get("page", "1") == "1" else second
            return Response(json.dumps(page), content_type="application/json")

        return paged

    def requests_to(self, name: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == SAMPLES[name][0])

    def refresh(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", "refresh", "--out", str(self.store), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        return read_tables(self.store)

    def close(self) -> None:
        if self.server.is_running():
            self.server.clear()
            self.server.stop()


@pytest.fixture
def world(tmp_path: Path, shared_data: Path):
    need_pipeline()
    w = ApiWorld(tmp_path, shared_data)
    w.serve()
    yield w
    w.close()


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"refresh failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_refresh_loads_postings_from_every_api_with_sources_and_urls(world):
    ok(world.refresh())
    tables = world.tables()
    postings, runs = tables["postings"], tables["runs"]
    per_source = postings.groupby("source").size().to_dict()
    assert set(per_source) == set(SAMPLES)
    rejects = tables["rejects"].groupby("source").size().to_dict()
    for name, rows in EXPECTED_ROWS.items():
        assert per_source[name] + rejects.get(name, 0) == rows, name
    assert postings["url"].str.startswith("https://").all()
    assert set(tables["sources"]["name"]) >= set(SAMPLES)
    assert (runs.set_index("source").loc[list(SAMPLES), "status"] == "ok").all()
    assert world.requests_to("arbeitnow") == 2  # followed links.next to page 2, then stopped
    ashby = postings[postings["source"] == "ashby"].set_index("title")
    assert ashby.loc["Technical Consultant, Mid-Market", "salary_min_usd"] == 151000


@pytest.mark.slow
def test_a_second_identical_refresh_changes_no_row_counts(world):
    ok(world.refresh())
    first = {name: len(frame) for name, frame in world.tables().items() if name != "runs"}
    ok(world.refresh())
    second = {name: len(frame) for name, frame in world.tables().items() if name != "runs"}
    assert first == second


@pytest.mark.slow
def test_refresh_from_the_mirror_reads_the_captured_files(world, shared_data):
    world.server.stop()  # the network is not used at all
    ok(world.refresh("--mirror", str(shared_data)))
    postings = world.tables()["postings"]
    assert set(postings["source"]) == set(SAMPLES)
    assert (postings["source"] == "arbeitnow").sum() + (
        world.tables()["rejects"]["source"] == "arbeitnow"
    ).sum() == 100  # one page in the mirror
