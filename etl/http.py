"""A polite HTTP client for public job-board APIs and dataset downloads.

Public, keyless APIs stay available because clients are gentle with them: every request names the
project in its User-Agent, waits a minimum interval per host, times out, retries 429/5xx with
exponential backoff (honouring ``Retry-After``, capped), and never loads more than ``max_bytes``
(the limit is enforced while streaming, so a 50 MB answer is refused, not read). Every failure is a
``SourceError`` whose message is one line for a person.

Settings come from the environment so a refresh run in a subprocess (tests, the dashboard) can be
tuned without code: ``AIJOBS_HTTP_TIMEOUT`` (seconds, read timeout), ``AIJOBS_HTTP_RETRIES``
(attempts), ``AIJOBS_HTTP_BACKOFF`` (first backoff, seconds), ``AIJOBS_HTTP_MAX_WAIT`` (cap of one
wait, seconds), ``AIJOBS_HTTP_MIN_INTERVAL`` (seconds between two requests to one host).
"""

from __future__ import annotations

import email.utils
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from etl import __version__
from etl.errors import SourceError

USER_AGENT = (
    f"aijobs-dashboard/{__version__} (+https://github.com/aijobs-dashboard/aijobs-dashboard)"
)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0
    min_interval: float = 1.0


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        raise SourceError(f"{name}={value!r} is not a number") from None


def settings() -> HttpSettings:
    """The client settings, read from the environment at every call (cheap)."""
    d = HttpSettings()
    timeout = _env_float("AIJOBS_HTTP_TIMEOUT", d.read_timeout)
    return HttpSettings(
        connect_timeout=min(d.connect_timeout, timeout),
        read_timeout=timeout,
        attempts=max(1, int(_env_float("AIJOBS_HTTP_RETRIES", d.attempts))),
        backoff=_env_float("AIJOBS_HTTP_BACKOFF", d.backoff),
        max_wait=_env_float("AIJOBS_HTTP_MAX_WAIT", d.max_wait),
        min_interval=_env_float("AIJOBS_HTTP_MIN_INTERVAL", d.min_interval),
    )


class _Retryable(Exception):
    """A failure worth another attempt (429, 5xx, connection error, timeout)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


_last_request: dict[str, float] = {}
_sleep = time.sleep  # one place for every wait, so tests can record waits instead of sleeping
_rate_lock = threading.Lock()


def _wait_for_host(url: str, min_interval: float) -> None:
    """Sleep so that two requests to one host are at least ``min_interval`` seconds apart."""
    host = urlsplit(url).netloc.lower()
    with _rate_lock:
        now = time.monotonic()
        ready = _last_request.get(host, 0.0) + min_interval
        _last_request[host] = max(now, ready)
    if ready > now:
        _sleep(ready - now)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _short(url: str) -> str:
    """The URL without its query string, for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _stream(response: requests.Response, url: str, max_bytes: int, sink) -> int:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise SourceError(
            f"response from {_short(url)} is {int(length):,} bytes, over the limit of {max_bytes:,}"
        )
    total = 0
    for chunk in response.iter_content(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise SourceError(
                f"response from {_short(url)} is over the limit of {max_bytes:,} bytes"
            )
        sink(chunk)
    return total


def _attempt(url: str, params: dict | None, max_bytes: int, sink_factory, cfg: HttpSettings):
    where = _short(url)
    _wait_for_host(url, cfg.min_interval)
    try:
        response = requests.get(
            url,
            params=params,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json, */*;q=0.5"},
            timeout=(cfg.connect_timeout, cfg.read_timeout),
            stream=True,
            allow_redirects=True,
        )
    except requests.Timeout:
        raise _Retryable(f"timed out after {cfg.read_timeout:g}s reading {_short(url)}") from None
    except requests.ConnectionError as exc:
        reason = type(exc).__name__
        raise _Retryable(f"could not connect to {_short(url)} ({reason})") from None
    except requests.RequestException as exc:
        raise SourceError(f"bad request for {_short(url)}: {type(exc).__name__}") from None
    with response:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(
                f"HTTP {status} from {_short(url)}",
                retry_after_seconds(response.headers.get("Retry-After")),
            )
        if status >= 400:
            raise SourceError(f"HTTP {status} from {_short(url)}")
        sink = sink_factory()
        try:
            _stream(response, url, max_bytes, sink.write)
            return sink.finish()
        except requests.Timeout:
            raise _Retryable(f"timed out after {cfg.read_timeout:g}s reading {where}") from None
        except requests.RequestException as exc:
            raise _Retryable(f"connection lost reading {where} ({type(exc).__name__})") from None
        finally:
            sink.close()


def _wait(cfg: HttpSettings):
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        backoff = cfg.backoff * 2 ** (state.attempt_number - 1)
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            backoff = exc.retry_after
        return min(backoff, cfg.max_wait)

    return wait


def _fetch(url: str, params: dict | None, max_bytes: int, sink_factory):
    cfg = settings()
    retrying = Retrying(
        stop=stop_after_attempt(cfg.attempts),
        wait=_wait(cfg),
        retry=retry_if_exception_type(_Retryable),
        reraise=True,
        sleep=lambda seconds: _sleep(seconds),
    )
    try:
        return retrying(_attempt, url, params, max_bytes, sink_factory, cfg)
    except _Retryable as exc:
        tries = "attempt" if cfg.attempts == 1 else f"{cfg.attempts} attempts"
        raise SourceError(f"{exc} (gave up after {tries})") from None


class _MemorySink:
    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.write = self.parts.append

    def finish(self) -> bytes:
        return b"".join(self.parts)

    def close(self) -> None:
        pass


class _FileSink:
    """Writes to a temporary file beside ``dest``; ``finish`` renames it over ``dest``."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
        self.fh = open(self.tmp, "wb")  # noqa: SIM115 - closed in close()
        self.write = self.fh.write

    def finish(self) -> Path:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.dest)
        return self.dest

    def close(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def fetch_bytes(url: str, *, max_bytes: int, params: dict | None = None) -> bytes:
    """The body of a GET, at most ``max_bytes`` long (SourceError otherwise)."""
    return _fetch(url, params, max_bytes, _MemorySink)


def download(url: str, dest: Path, max_bytes: int) -> Path:
    """Download ``url`` to ``dest`` atomically (a partial download never replaces ``dest``)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    return _fetch(url, None, max_bytes, lambda: _FileSink(dest))


def parse_json(data: bytes, where: str) -> object:
    """Decode JSON bytes (a UTF-8 BOM is allowed), else SourceError "malformed JSON from ..."."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"malformed JSON from {where}: not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise SourceError(f"malformed JSON from {where}: nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"malformed JSON from {where}: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


def get_json(url: str, *, max_bytes: int, params: dict | None = None) -> object:
    """GET ``url`` and parse its JSON body defensively (BOM allowed, size-limited)."""
    return parse_json(fetch_bytes(url, max_bytes=max_bytes, params=params), _short(url))


def read_json_file(path: Path, *, max_bytes: int) -> object:
    """A mirrored API response from disk, with the same checks as ``get_json``."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise SourceError(f"{path} is {size:,} bytes, over the limit of {max_bytes:,}")
    return parse_json(path.read_bytes(), str(path))


def any_reachable(urls: list[str], timeout: float = 3.0) -> bool:
    """True when at least one of ``urls`` answers at all (any HTTP status), within ``timeout``.

    A cheap probe before a full refresh: "can this machine reach the sources now?". HEAD requests
    run in parallel, so an offline machine waits ``timeout`` seconds at most, not one per URL.
    """
    urls = [u for u in dict.fromkeys(urls) if u]
    if not urls:
        return False

    def answers(url: str) -> bool:
        try:
            requests.head(
                url, timeout=timeout, allow_redirects=False, headers={"User-Agent": USER_AGENT}
            ).close()
        except (requests.RequestException, ValueError):
            return False
        return True

    pool = ThreadPoolExecutor(max_workers=min(8, len(urls)))
    try:
        futures = [pool.submit(answers, url) for url in urls]
        try:
            for future in as_completed(futures, timeout=timeout + 1):
                if future.result():
                    return True
        except TimeoutError:
            return False
        return False
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
