"""A refresh that meets a failing API never damages the published store.

Each test first publishes a good store from the captured responses, then makes one API misbehave
on a real local HTTP server (127.0.0.1) and runs ``python -m etl refresh`` again in a subprocess.
It asserts that the previous data is still there and that the failure is in ``runs`` with its
reason, while the other sources still refresh.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_refresh_live import ROOT, SAMPLES, ApiWorld, need_pipeline, ok
from werkzeug import Request, Response

from etl.store import read_tables, refresh_lock

# every test runs `python -m etl refresh` (~10 s): handed to an xdist worker first
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The store folder one refresh publishes from good responses, built once per module: every
    test gets a copy of it as its previous store (the tests differ only in the second refresh)."""
    need_pipeline()
    w = ApiWorld(tmp_path_factory.mktemp("good_world"), shared_data)
    try:
        w.serve()
        ok(w.refresh())
    finally:
        w.close()
    return w.store.parent


@pytest.fixture
def world(tmp_path: Path, shared_data: Path, good_store: Path):
    """A world whose store was already published once from good responses (a copy of
    ``good_store``: the same files a first refresh in this world would have published)."""
    w = ApiWorld(tmp_path, shared_data)
    shutil.copytree(good_store, w.store.parent)
    w.serve()
    w.before = read_tables(w.store)
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
    runs = world.tables()["runs"]
    return runs[runs["source"] == source].iloc[-1]


def assert_kept_and_reported(world: ApiWorld, source: str, reason: str) -> None:
    """The source's previous rows are unchanged and its run says why it failed."""
    after = world.tables()
    pd.testing.assert_frame_equal(rows_of(world.before, source), rows_of(after, source))
    run = run_row(world, source)
    assert run["status"] in {"failed", "kept_previous"}, run.to_dict()
    assert reason in run["message"], run["message"]
    assert "\n" not in run["message"]
    for other in set(SAMPLES) - {source}:
        assert run_row(world, other)["status"] == "ok", other


def status(code: int, headers: dict | None = None, body: str = ""):
    return lambda request: Response(body, status=code, headers=headers or {})


def test_http_500_keeps_the_previous_rows_and_reports_it(world):
    world.serve(greenhouse=status(500))
    source_failed(world.refresh())
    assert_kept_and_reported(world, "greenhouse", "HTTP 500")
    assert world.requests_to("greenhouse") == 3  # retried, then gave up


def test_429_with_retry_after_is_waited_out_then_succeeds(world):
    calls: list[int] = []
    body = world.sample("lever")

    def busy_once(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(body, content_type="application/json")

    world.serve(lever=busy_once)
    ok(world.refresh())
    assert len(calls) == 2
    assert run_row(world, "lever")["status"] == "ok"
    assert len(rows_of(world.tables(), "lever")) == len(rows_of(world.before, "lever"))


def test_a_timeout_keeps_the_previous_rows_and_reports_it(world):
    world.env["AIJOBS_HTTP_TIMEOUT"] = "0.5"
    world.env["AIJOBS_HTTP_RETRIES"] = "1"
    body = world.sample("ashby")

    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response(body, content_type="application/json")

    world.serve(ashby=slow)
    source_failed(world.refresh())
    assert_kept_and_reported(world, "ashby", "timed out")


def test_truncated_json_keeps_the_previous_rows_and_reports_it(world):
    truncated = world.sample("remotive")[:5000]
    world.serve(remotive=lambda request: Response(truncated, content_type="application/json"))
    source_failed(world.refresh())
    assert_kept_and_reported(world, "remotive", "malformed JSON")


def test_a_renamed_field_keeps_the_previous_rows_and_names_the_field(world):
    renamed = world.sample("remoteok").replace(b'"position":', b'"job_title":')
    world.serve(remoteok=lambda request: Response(renamed, content_type="application/json"))
    source_failed(world.refresh())
    assert_kept_and_reported(world, "remoteok", "'position'")


def test_an_oversized_response_is_refused_not_loaded(world):
    sent: list[int] = []

    def fifty_megabytes(request: Request) -> Response:
        def chunks():
            for _ in range(800):  # 800 x 64 KiB = 50 MiB, streamed without a length
                sent.append(1)
                yield b" " * 65536

        return Response(chunks(), content_type="application/json")

    world.source("greenhouse")["max_bytes"] = 5_000_000
    world.write_config()
    world.serve(greenhouse=fifty_megabytes)
    source_failed(world.refresh())
    assert_kept_and_reported(world, "greenhouse", "over the limit of 5,000,000 bytes")
    assert len(sent) < 800


def test_pagination_follows_next_pages_up_to_max_pages(world):
    world.source("arbeitnow")["max_pages"] = 1
    world.write_config()
    world.serve()
    ok(world.refresh())
    assert world.requests_to("arbeitnow") == 1  # links.next is set, but max_pages is 1
    assert run_row(world, "arbeitnow")["status"] == "ok"
    # accumulate: page-2 postings seen by the first refresh are kept
    assert len(rows_of(world.tables(), "arbeitnow")) == len(rows_of(world.before, "arbeitnow"))


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


def test_a_permanent_500_is_given_up_within_the_time_budget(world):
    world.env.update({"AIJOBS_HTTP_RETRIES": "100", "AIJOBS_HTTP_BACKOFF": "0.5"})
    world.env["AIJOBS_HTTP_BUDGET"] = "3"
    world.serve(greenhouse=status(500))
    source_failed(world.refresh())
    assert_kept_and_reported(world, "greenhouse", "of its 3 s budget")
    run = run_row(world, "greenhouse")
    assert (run["finished_at"] - run["started_at"]).total_seconds() < 10
    assert 2 <= world.requests_to("greenhouse") < 20


def test_a_redirect_to_another_host_is_refused_and_reported(world):
    world.serve(greenhouse=status(302, {"Location": "https://example.org/steal"}))
    source_failed(world.refresh())
    assert_kept_and_reported(world, "greenhouse", "refused a redirect")
    assert world.requests_to("greenhouse") == 1
