"""A refresh that meets a failing API never damages the published store.

A good store is first published from the captured responses; then APIs misbehave on a real local
HTTP server (127.0.0.1) and ``python -m etl refresh`` runs again in a subprocess. Each failing
source keeps its previous rows and its failure is in ``runs`` with its reason, while the sources
served well still refresh.

Each misbehaviour touches only its own source, so one refresh shows several of them at once (a
refresh is ~10 s): ``misbehaving`` gives every API its own fault of the network or the payload,
``refused`` the ones the client must refuse or give up on. The lock and the kill tests run their
own refreshes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from test_refresh_live import ROOT, ApiWorld, need_pipeline, ok
from werkzeug import Request, Response

from etl.store import read_tables, refresh_lock

# every test runs `python -m etl refresh` (~10 s): handed to an xdist worker first
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The store folder one refresh publishes from good responses, built once per module: every
    world gets a copy of it as its previous store."""
    need_pipeline()
    w = ApiWorld(tmp_path_factory.mktemp("good_world"), shared_data)
    try:
        w.serve()
        ok(w.refresh())
    finally:
        w.close()
    return w.store.parent


def _world(root: Path, shared_data: Path, good_store: Path) -> ApiWorld:
    """A world whose store was already published once from good responses (a copy of
    ``good_store``: the same files a first refresh in this world would have published)."""
    w = ApiWorld(root, shared_data)
    shutil.copytree(good_store, w.store.parent)
    w.serve()
    w.before = read_tables(w.store)
    return w


@pytest.fixture
def world(tmp_path: Path, shared_data: Path, good_store: Path) -> Iterator[ApiWorld]:
    w = _world(tmp_path, shared_data, good_store)
    yield w
    w.close()


def source_failed(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """The store was published, but a source failed: the CLI says so with exit code 1."""
    assert result.returncode == 1, f"expected exit 1:\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr
    return result


def rows_of(tables: dict[str, pd.DataFrame], source: str) -> pd.DataFrame:
    postings = tables["postings"]
    keep = postings[postings["source"] == source].drop(columns=["first_seen", "last_seen"])
    return keep.sort_values("posting_id").reset_index(drop=True)


def run_row(world: ApiWorld, source: str) -> pd.Series:
    runs = world.after["runs"]
    return runs[runs["source"] == source].iloc[-1]


def assert_kept_and_reported(world: ApiWorld, source: str, reason: str) -> None:
    """The source's previous rows are unchanged and its run says why it failed."""
    pd.testing.assert_frame_equal(rows_of(world.before, source), rows_of(world.after, source))
    run = run_row(world, source)
    assert run["status"] in {"failed", "kept_previous"}, run.to_dict()
    assert reason in run["message"], run["message"]
    assert "\n" not in run["message"]


def status(code: int, headers: dict | None = None, body: str = ""):
    return lambda request: Response(body, status=code, headers=headers or {})


def _refreshed(world: ApiWorld, served_well: set[str], **faults) -> ApiWorld:
    """``world`` after one refresh in which the APIs named in ``faults`` answer with their fault;
    the refresh itself published (exit 1: some sources failed), and ``served_well`` refreshed."""
    world.serve(**faults)
    world.result = source_failed(world.refresh())
    world.after = world.tables()
    world.served_well = served_well
    return world


@pytest.fixture(scope="module")
def misbehaving(tmp_path_factory, shared_data: Path, good_store: Path) -> Iterator[ApiWorld]:
    """One refresh where greenhouse answers 500, lever 429 once (then its data), ashby too slowly
    (over the 2 s read timeout), remotive truncated JSON and remoteok a renamed field; arbeitnow
    is served well but capped at one page of its two."""
    w = _world(tmp_path_factory.mktemp("misbehaving"), shared_data, good_store)
    w.lever_calls = []
    lever, ashby = w.sample("lever"), w.sample("ashby")

    def busy_once(request: Request) -> Response:
        w.lever_calls.append(1)
        if len(w.lever_calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(lever, content_type="application/json")

    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response(ashby, content_type="application/json")

    truncated = w.sample("remotive")[:5000]
    renamed = w.sample("remoteok").replace(b'"position":', b'"job_title":')
    w.source("arbeitnow")["max_pages"] = 1
    w.write_config()
    try:
        yield _refreshed(
            w,
            {"lever", "arbeitnow"},
            greenhouse=status(500),
            lever=busy_once,
            ashby=slow,
            remotive=lambda request: Response(truncated, content_type="application/json"),
            remoteok=lambda request: Response(renamed, content_type="application/json"),
        )
    finally:
        w.close()


@pytest.fixture(scope="module")
def refused(tmp_path_factory, shared_data: Path, good_store: Path) -> Iterator[ApiWorld]:
    """One refresh where greenhouse redirects to another host, lever streams 50 MiB against a
    5 MB limit and ashby answers 500 for ever (100 retries allowed, a 3 s time budget); the
    other three are served well."""
    w = _world(tmp_path_factory.mktemp("refused"), shared_data, good_store)
    w.sent = []

    def fifty_megabytes(request: Request) -> Response:
        def chunks():
            for _ in range(800):  # 800 x 64 KiB = 50 MiB, streamed without a length
                w.sent.append(1)
                yield b" " * 65536

        return Response(chunks(), content_type="application/json")

    w.env.update({"AIJOBS_HTTP_RETRIES": "100", "AIJOBS_HTTP_BACKOFF": "0.5"})
    w.source("lever")["max_bytes"] = 5_000_000
    w.source("ashby")["time_budget"] = 3
    w.write_config()
    try:
        yield _refreshed(
            w,
            {"remotive", "remoteok", "arbeitnow"},
            greenhouse=status(302, {"Location": "https://example.org/steal"}),
            lever=fifty_megabytes,
            ashby=status(500),
        )
    finally:
        w.close()


@pytest.mark.parametrize("name", ["misbehaving", "refused"])
def test_the_sources_served_well_still_refresh(name: str, request: pytest.FixtureRequest):
    world = request.getfixturevalue(name)
    for source in world.served_well:
        assert run_row(world, source)["status"] == "ok", source
        assert len(rows_of(world.after, source)) >= len(rows_of(world.before, source)), source


def test_http_500_keeps_the_previous_rows_and_reports_it(misbehaving):
    assert_kept_and_reported(misbehaving, "greenhouse", "HTTP 500")
    assert misbehaving.requests_to("greenhouse") == 3  # retried, then gave up


def test_429_with_retry_after_is_waited_out_then_succeeds(misbehaving):
    assert len(misbehaving.lever_calls) == 2
    assert run_row(misbehaving, "lever")["status"] == "ok"
    lever = rows_of(misbehaving.after, "lever")
    assert len(lever) == len(rows_of(misbehaving.before, "lever"))


def test_a_timeout_keeps_the_previous_rows_and_reports_it(misbehaving):
    assert_kept_and_reported(misbehaving, "ashby", "timed out")


def test_truncated_json_keeps_the_previous_rows_and_reports_it(misbehaving):
    assert_kept_and_reported(misbehaving, "remotive", "malformed JSON")


def test_a_renamed_field_keeps_the_previous_rows_and_names_the_field(misbehaving):
    assert_kept_and_reported(misbehaving, "remoteok", "'position'")


def test_pagination_follows_next_pages_up_to_max_pages(misbehaving):
    assert misbehaving.requests_to("arbeitnow") == 1  # links.next is set, but max_pages is 1
    assert run_row(misbehaving, "arbeitnow")["status"] == "ok"
    # accumulate: page-2 postings seen by the first refresh are kept
    after, before = (
        rows_of(misbehaving.after, "arbeitnow"),
        rows_of(misbehaving.before, "arbeitnow"),
    )
    assert len(after) == len(before)


def test_an_oversized_response_is_refused_not_loaded(refused):
    assert_kept_and_reported(refused, "lever", "over the limit of 5,000,000 bytes")
    assert len(refused.sent) < 800


def test_a_permanent_500_is_given_up_within_the_time_budget(refused):
    assert_kept_and_reported(refused, "ashby", "of its 3 s budget")
    run = run_row(refused, "ashby")
    assert (run["finished_at"] - run["started_at"]).total_seconds() < 10
    assert 2 <= refused.requests_to("ashby") < 20


def test_a_redirect_to_another_host_is_refused_and_reported(refused):
    assert_kept_and_reported(refused, "greenhouse", "refused a redirect")
    assert refused.requests_to("greenhouse") == 1


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_concurrent_refresh_says_already_running_and_exits_2(world):
    before = digest(world.store)
    with refresh_lock(world.store):
        result = world.refresh()
    assert result.returncode == 2, result.stdout + result.stderr
    assert "already running" in result.stdout + result.stderr
    assert len((result.stdout + result.stderr).strip().splitlines()) <= 3  # no traceback
    assert digest(world.store) == before


def test_sigkill_during_publish_leaves_the_previous_store_intact(world):
    """Needs the hook AIJOBS_TEST_PAUSE_BEFORE_SWAP in etl/store.py (sleep before os.replace)."""
    import inspect

    import etl.store

    if "AIJOBS_TEST_PAUSE_BEFORE_SWAP" not in inspect.getsource(etl.store):
        pytest.skip("etl/store.py has no AIJOBS_TEST_PAUSE_BEFORE_SWAP hook yet")
    before = digest(world.store)
    env = {**world.env, "AIJOBS_TEST_PAUSE_BEFORE_SWAP": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "etl", "refresh", "--out", str(world.store)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # every table is written (meta, the last one, is in the temporary parquet folder): the
    # refresh is now checkpointing or pausing just before the swap
    ready = world.store.with_name(f".{world.store.name}.parquet.{process.pid}.tmp") / "meta.parquet"
    try:
        deadline = time.monotonic() + 180
        while not ready.exists():
            assert process.poll() is None, "the refresh ended before publishing"
            assert time.monotonic() < deadline, "the refresh never reached the swap"
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert digest(world.store) == before
    assert read_tables(world.store)["postings"].shape == world.before["postings"].shape
    # the next refresh sweeps the orphan and publishes normally
    ok(world.refresh())
    leftovers = [p.name for p in world.store.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
