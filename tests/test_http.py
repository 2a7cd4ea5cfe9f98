"""The polite HTTP client: retries, Retry-After, rate limit, size limit, defensive JSON."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug import Request, Response

from etl import http
from etl.errors import SourceError


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record every wait instead of sleeping; no rate-limit memory between tests."""
    waits: list[float] = []
    monkeypatch.setattr(http, "_sleep", waits.append)
    monkeypatch.setattr(http, "_last_request", {})
    monkeypatch.setenv("AIJOBS_HTTP_MIN_INTERVAL", "0")
    monkeypatch.setenv("AIJOBS_HTTP_BACKOFF", "0.5")
    monkeypatch.setenv("AIJOBS_HTTP_MAX_WAIT", "10")
    monkeypatch.setenv("AIJOBS_HTTP_RETRIES", "3")
    monkeypatch.setenv("AIJOBS_HTTP_TIMEOUT", "5")
    return waits


def test_get_json_parses_body_and_names_the_project_in_user_agent(httpserver):
    httpserver.expect_request("/api", query_string="page=2").respond_with_json({"jobs": [1]})
    assert http.get_json(httpserver.url_for("/api"), max_bytes=1000, params={"page": 2}) == {
        "jobs": [1]
    }
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith("aijobs-dashboard/") and "+https://" in agent


def test_get_json_accepts_a_utf8_bom_like_remotive_sends(httpserver):
    body = "\ufeff" + json.dumps({"jobs": [{"title": "Daten­analyst — Köln"}]}, ensure_ascii=False)
    httpserver.expect_request("/remote-jobs").respond_with_data(
        body.encode("utf-8"), content_type="application/json"
    )
    data = http.get_json(httpserver.url_for("/remote-jobs"), max_bytes=10_000)
    assert data["jobs"][0]["title"] == "Daten­analyst — Köln"


def test_truncated_json_is_a_one_line_malformed_json_error(httpserver):
    httpserver.expect_request("/api").respond_with_data('{"jobs": [{"id": 1, "title": "ML Eng')
    with pytest.raises(SourceError, match=r"^malformed JSON from http://.*/api: ") as info:
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert "\n" not in str(info.value)


def test_server_error_is_retried_with_exponential_backoff_then_reported(httpserver, fast_client):
    httpserver.expect_request("/api").respond_with_data("oops", status=500)
    gave_up = r"HTTP 500 from .*/api \(gave up after 3 attempts, \d+ s of its 30 s budget\)"
    with pytest.raises(SourceError, match=gave_up):
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert len(httpserver.log) == 3
    assert fast_client == [0.5, 1.0]


def test_429_waits_as_long_as_retry_after_says_then_succeeds(httpserver, fast_client):
    httpserver.expect_ordered_request("/api").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json([{"id": 1}])
    assert http.get_json(httpserver.url_for("/api"), max_bytes=1000) == [{"id": 1}]
    assert fast_client == [7.0]


def test_retry_after_is_capped_so_a_server_cannot_stall_the_refresh(httpserver, fast_client):
    httpserver.expect_ordered_request("/api").respond_with_data(
        "", status=503, headers={"Retry-After": "86400"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json({})
    http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert fast_client == [10.0]


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 7, 1, 12, 0, 0, tzinfo=UTC)
    assert http.retry_after_seconds("120") == 120.0
    assert http.retry_after_seconds("Wed, 01 Jul 2026 12:00:30 GMT", now) == 30.0
    assert http.retry_after_seconds("Wed, 01 Jul 2026 11:00:00 GMT", now) == 0.0
    assert http.retry_after_seconds("soon") is None
    assert http.retry_after_seconds(None) is None


def test_client_error_is_not_retried(httpserver):
    httpserver.expect_request("/v1/boards/nosuchboard/jobs").respond_with_data("", status=404)
    with pytest.raises(SourceError, match=r"^HTTP 404 from .*/v1/boards/nosuchboard/jobs$"):
        http.get_json(httpserver.url_for("/v1/boards/nosuchboard/jobs"), max_bytes=1000)
    assert len(httpserver.log) == 1


def test_a_declared_oversized_response_is_refused_before_reading(httpserver):
    httpserver.expect_request("/api").respond_with_data(b"[" + b"1," * 600 + b"1]")
    with pytest.raises(SourceError, match=r"is 1,203 bytes, over the limit of 1,000"):
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)


def test_an_undeclared_oversized_stream_is_cut_off_at_the_limit(httpserver):
    sent: list[int] = []

    def endless(request: Request) -> Response:
        def chunks():
            for _ in range(10_000):  # would be 640 MB if it were all read
                sent.append(1)
                yield b"x" * 65536

        return Response(chunks(), content_type="application/json")  # chunked, no length

    httpserver.expect_request("/api").respond_with_handler(endless)
    with pytest.raises(SourceError, match=r"over the limit of 200,000 bytes"):
        http.get_json(httpserver.url_for("/api"), max_bytes=200_000)
    assert len(sent) < 100


def test_a_slow_server_times_out_with_a_clear_message(httpserver, monkeypatch):
    monkeypatch.setenv("AIJOBS_HTTP_TIMEOUT", "0.2")
    monkeypatch.setenv("AIJOBS_HTTP_RETRIES", "1")

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response("[]")

    httpserver.expect_request("/api").respond_with_handler(slow)
    with pytest.raises(SourceError, match=r"^timed out after 0.2s reading .*/api \(gave up"):
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)


def test_an_unreachable_host_is_reported_not_raised_as_a_traceback():
    with pytest.raises(SourceError, match=r"could not connect to http://127.0.0.1:9/api"):
        http.get_json("http://127.0.0.1:9/api", max_bytes=1000)


def test_requests_to_one_host_are_spaced_by_the_minimum_interval(
    httpserver, fast_client, monkeypatch
):
    monkeypatch.setenv("AIJOBS_HTTP_MIN_INTERVAL", "5")
    httpserver.expect_request("/api").respond_with_json([])
    http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert len(fast_client) == 1 and 4.0 < fast_client[0] <= 5.0


def test_download_replaces_the_destination_only_when_complete(httpserver, tmp_path: Path):
    dest = tmp_path / "raw" / "file.csv"
    httpserver.expect_ordered_request("/file.csv").respond_with_data("a,b\n1,2\n")
    httpserver.expect_ordered_request("/file.csv").respond_with_data("x" * 5000)
    assert http.download(httpserver.url_for("/file.csv"), dest, max_bytes=1000) == dest
    assert dest.read_text() == "a,b\n1,2\n"
    with pytest.raises(SourceError, match="over the limit"):
        http.download(httpserver.url_for("/file.csv"), dest, max_bytes=1000)
    assert dest.read_text() == "a,b\n1,2\n"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["file.csv"]


def test_read_json_file_applies_the_same_checks_to_a_mirror(tmp_path: Path):
    good = tmp_path / "good.json"
    good.write_bytes(b"\xef\xbb\xbf" + b'{"jobs": []}')
    assert http.read_json_file(good, max_bytes=100) == {"jobs": []}
    bad = tmp_path / "bad.json"
    bad.write_text('{"jobs": [')
    with pytest.raises(SourceError, match=r"^malformed JSON from .*bad.json"):
        http.read_json_file(bad, max_bytes=100)
    with pytest.raises(SourceError, match="over the limit of 5"):
        http.read_json_file(good, max_bytes=5)
    with pytest.raises(SourceError, match="cannot read"):
        http.read_json_file(tmp_path / "missing.json", max_bytes=5)


def test_a_bad_setting_in_the_environment_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("AIJOBS_HTTP_TIMEOUT", "ten")
    with pytest.raises(SourceError, match=r"AIJOBS_HTTP_TIMEOUT='ten' is not a number"):
        http.settings()


def test_any_reachable_is_true_when_one_url_answers_even_with_an_error_status(httpserver):
    import socket

    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    assert http.any_reachable([dead, httpserver.url_for("/gone")], timeout=2)
    assert not http.any_reachable([dead], timeout=2)
    assert not http.any_reachable([], timeout=2)


# --- nothing holds a refresh: a time budget per source, a deadline per request, safe redirects ---


@pytest.fixture
def real_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "_sleep", time.sleep)


def test_a_failing_source_gives_up_when_its_time_budget_is_spent(httpserver, monkeypatch,
                                                                  real_sleep):  # fmt: skip
    monkeypatch.setenv("AIJOBS_HTTP_RETRIES", "100")
    monkeypatch.setenv("AIJOBS_HTTP_BACKOFF", "0.5")
    httpserver.expect_request("/api").respond_with_data("oops", status=500)
    heard: list[str] = []
    started = time.monotonic()
    budget = http.source_budget({"name": "board", "time_budget": 3}, notify=heard.append)
    spent = r"HTTP 500 .*gave up after \d+ attempts, \d s of its 3 s budget"
    with budget, pytest.raises(SourceError, match=spent):
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert time.monotonic() - started < 4
    assert 2 <= len(httpserver.log) < 10
    assert heard and "retrying in" in heard[0] and "of its 3 s budget used" in heard[0]


def test_a_host_that_never_answers_is_given_up_within_the_budget(httpserver, monkeypatch,
                                                                 real_sleep):  # fmt: skip
    monkeypatch.setenv("AIJOBS_HTTP_TIMEOUT", "60")  # the read timeout alone would wait a minute
    monkeypatch.setenv("AIJOBS_HTTP_BUDGET", "2")

    def hang(request: Request) -> Response:
        time.sleep(8)
        return Response("late")

    httpserver.expect_request("/api").respond_with_handler(hang)
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert time.monotonic() - started < 5
    assert "2 s budget" in str(err.value)


def test_a_server_dripping_bytes_is_cut_off_at_the_request_deadline(httpserver, monkeypatch,
                                                                     real_sleep):  # fmt: skip
    monkeypatch.setenv("AIJOBS_HTTP_DEADLINE", "2")
    monkeypatch.setenv("AIJOBS_HTTP_RETRIES", "1")

    def drip(request: Request) -> Response:
        def body():
            for _ in range(60):  # one byte every 0.25 s: each read is well within its timeout
                yield b" "
                time.sleep(0.25)

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/api").respond_with_handler(drip)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"no complete answer from .*/api within 2 s"):
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert time.monotonic() - started < 5


def test_a_redirect_on_the_same_host_is_followed(httpserver):
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_json({"ok": True})
    assert http.get_json(httpserver.url_for("/old"), max_bytes=1000) == {"ok": True}


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("https://example.org/jobs", "another host"),
        ("http://169.254.169.254/latest/meta-data", "not https"),
        ("http://example.org/jobs", "not https"),
    ],
)
def test_a_redirect_off_the_host_is_refused_without_following_it(httpserver, target, says):
    httpserver.expect_request("/api").respond_with_data(
        "", status=302, headers={"Location": target}
    )
    with pytest.raises(SourceError, match=f"refused a redirect from .*/api to .*: {says}"):
        http.get_json(httpserver.url_for("/api"), max_bytes=1000)
    assert len(httpserver.log) == 1  # not retried, nothing else asked


def test_check_redirect_rules():
    ok = http.check_redirect
    ok("https://boards.example.com/a", "https://boards.example.com/b")
    ok("https://boards.example.com/a", "https://cdn.example.net/b", ("cdn.example.net",))
    ok("http://127.0.0.1:8000/a", "https://10.1.2.3/b", ("10.1.2.3",))  # the origin is local too
    for origin, target, allowed in [
        ("https://boards.example.com/a", "http://boards.example.com/b", ()),  # a downgrade
        ("https://boards.example.com/a", "https://evil.example.org/b", ()),
        ("https://93.184.215.14/a", "https://10.1.2.3/b", ("10.1.2.3",)),  # public -> private
        ("https://93.184.215.14/a", "https://127.0.0.1/b", ("127.0.0.1",)),
        ("https://93.184.215.14/a", "https://[fe80::1]/b", ("fe80::1",)),
    ]:
        with pytest.raises(SourceError, match="refused a redirect"):
            ok(origin, target, allowed)
