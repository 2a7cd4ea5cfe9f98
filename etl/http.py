"""A polite HTTP client for public job-board APIs and dataset downloads.

Public, keyless APIs stay available because clients are gentle with them: every request names the
project in its User-Agent, waits a minimum interval per host, times out, retries 429/5xx with
exponential backoff (honouring ``Retry-After``, capped), and never loads more than ``max_bytes``
(the limit is enforced while streaming, so a 50 MB answer is refused, not read). Every failure is a
``SourceError`` whose message is one line for a person.

Nothing can hold a refresh: all the requests of one source share a time budget (retries and
waits included; no attempt or wait starts past it), each request has a total deadline (start to
last byte, so a server dripping one byte at a time is cut off), and redirects are followed only on
the same host or over https to a source's ``redirect_hosts``, never to a private, loopback or
link-local address unless the source itself is one (a local test server).

Settings come from the environment so a refresh run in a subprocess (tests, the dashboard) can be
tuned without code: ``AIJOBS_HTTP_TIMEOUT`` (seconds, read timeout), ``AIJOBS_HTTP_RETRIES``
(attempts), ``AIJOBS_HTTP_BACKOFF`` (first backoff, seconds), ``AIJOBS_HTTP_MAX_WAIT`` (cap of one
wait, seconds), ``AIJOBS_HTTP_MIN_INTERVAL`` (seconds between two requests to one host),
``AIJOBS_HTTP_BUDGET`` (seconds per source, default 30; a source's ``time_budget`` wins),
``AIJOBS_HTTP_DEADLINE`` (one API request, default 30 s), ``AIJOBS_HTTP_DOWNLOAD_DEADLINE`` (one
dataset download, default 900 s), ``AIJOBS_HTTP_REDIRECT_HOSTS`` (comma-separated hosts).
"""

from __future__ import annotations

import contextlib
import contextvars
import email.utils
import ipaddress
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type

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
    budget: float = 30.0  # all the time one source may spend on attempts and waits
    deadline: float = 30.0  # one API request, start to last byte
    download_deadline: float = 900.0  # one dataset download, start to last byte
    redirect_hosts: tuple[str, ...] = ()  # other hosts a redirect may lead to (https only)


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
    hosts = os.environ.get("AIJOBS_HTTP_REDIRECT_HOSTS", "")
    return HttpSettings(
        connect_timeout=min(d.connect_timeout, timeout),
        read_timeout=timeout,
        attempts=max(1, int(_env_float("AIJOBS_HTTP_RETRIES", d.attempts))),
        backoff=_env_float("AIJOBS_HTTP_BACKOFF", d.backoff),
        max_wait=_env_float("AIJOBS_HTTP_MAX_WAIT", d.max_wait),
        min_interval=_env_float("AIJOBS_HTTP_MIN_INTERVAL", d.min_interval),
        budget=_env_float("AIJOBS_HTTP_BUDGET", d.budget),
        deadline=_env_float("AIJOBS_HTTP_DEADLINE", d.deadline),
        download_deadline=_env_float("AIJOBS_HTTP_DOWNLOAD_DEADLINE", d.download_deadline),
        redirect_hosts=tuple(h.strip().lower() for h in hosts.split(",") if h.strip()),
    )


@dataclass
class Budget:
    """The time one source may lose to a network that does not answer: failed attempts (errors,
    timeouts, deadlines) and the waits between retries, across all its requests. Answers that
    arrive cost nothing (a source of many good pages is not cut short); each is bounded by its
    request deadline instead.

    ``notify`` (if given) hears each retry with the time used, for the refresh's progress.
    """

    source: str
    seconds: float
    redirect_hosts: tuple[str, ...] = ()
    notify: Callable[[str], None] | None = None
    failing: float = 0.0

    def used(self) -> float:
        return self.failing

    def remaining(self) -> float:
        return self.seconds - self.used()

    def spent(self) -> str:
        return f"{self.used():.0f} s of its {self.seconds:g} s budget"


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


@contextmanager
def source_budget(source: Mapping, notify: Callable[[str], None] | None = None) -> Iterator[Budget]:
    """Every request made inside shares one time budget: the source's ``time_budget`` (seconds),
    else ``AIJOBS_HTTP_BUDGET`` (default 30 s). Redirects may also go to its ``redirect_hosts``."""
    cfg = settings()
    seconds = float(source.get("time_budget") or cfg.budget)
    hosts = tuple(str(h).lower() for h in source.get("redirect_hosts") or ())
    budget = Budget(str(source.get("name", "")), seconds, hosts + cfg.redirect_hosts, notify)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


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


def _stream(response: requests.Response, url: str, max_bytes: int, sink, cancel=None) -> int:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise SourceError(
            f"response from {_short(url)} is {int(length):,} bytes, over the limit of {max_bytes:,}"
        )
    total = 0
    for chunk in response.iter_content(CHUNK):
        if cancel is not None and cancel.is_set():  # past the deadline: the caller has moved on
            raise OSError("cancelled at the request deadline")
        total += len(chunk)
        if total > max_bytes:
            raise SourceError(
                f"response from {_short(url)} is over the limit of {max_bytes:,} bytes"
            )
        sink(chunk)
    return total


REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


def _is_internal(host: str) -> bool:
    """Whether ``host`` is, or resolves to, a private, loopback, link-local or reserved address."""
    try:
        addresses = {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except (OSError, UnicodeError):
            return True  # cannot tell where it leads: refuse
        addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    return any(
        a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_multicast
        or a.is_unspecified
        for a in addresses
    )  # fmt: skip


def check_redirect(origin: str, target: str, allowed: tuple[str, ...] = ()) -> None:
    """Refuse (SourceError) a redirect from ``origin`` to ``target`` unless it stays on the same
    host (https, or the origin's own scheme) or goes over https to an allowed host; never to a
    private, loopback or link-local address unless the origin itself is one (a local test)."""
    a, b = urlsplit(origin), urlsplit(target)
    same_host = (b.hostname or "") == (a.hostname or "") and b.port == a.port
    if same_host and b.scheme in ("https", a.scheme):
        return
    why = ""
    if b.scheme != "https":
        why = "not https"
    elif (b.hostname or "") not in allowed:
        why = "another host (add it to the source's redirect_hosts to allow it)"
    elif _is_internal(b.hostname or "") and not _is_internal(a.hostname or ""):
        why = "a private or local address"
    if why:
        raise SourceError(f"refused a redirect from {_short(origin)} to {_short(target)}: {why}")


def _request(url, params, cfg: HttpSettings, timeout, allowed) -> requests.Response:
    """GET ``url``, following at most MAX_REDIRECTS redirects that check_redirect allows."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response = requests.get(
            current,
            params=params if current == url else None,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json, */*;q=0.5"},
            timeout=timeout,
            stream=True,
            allow_redirects=False,
        )
        location = response.headers.get("Location")
        if response.status_code not in REDIRECTS or not location:
            return response
        response.close()
        target = urljoin(response.url, location)
        check_redirect(url, target, allowed)
        current = target
    raise SourceError(f"too many redirects from {_short(url)}")


def _attempt(url, params, max_bytes, sink_factory, cfg: HttpSettings, budget: Budget, deadline):
    """One request, run in a worker thread so that it has a total deadline: a server that drips
    bytes (each read within the read timeout) cannot hold the refresh past ``deadline``."""
    _wait_for_host(url, cfg.min_interval)
    left = max(0.5, budget.remaining())
    timeout = (min(cfg.connect_timeout, left), min(cfg.read_timeout, left))
    box: dict = {}
    cancel = threading.Event()

    def work() -> None:
        try:
            box["result"] = _attempt_now(url, params, max_bytes, sink_factory, cfg, timeout,
                                         budget, cancel, box)  # fmt: skip
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="http-attempt", daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        cancel.set()
        _abort(box.get("response"))
        raise _Retryable(
            f"no complete answer from {_short(url)} within {deadline:g} s (the request deadline)"
        )
    if "error" in box:
        raise box["error"]
    return box["result"]


def _abort(response: requests.Response | None) -> None:
    """Wake a worker blocked reading ``response`` (it then ends; nobody waits for it)."""
    if response is None:
        return
    sock = getattr(getattr(response.raw, "_connection", None), "sock", None)
    with contextlib.suppress(OSError, AttributeError):
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        response.close()


def _attempt_now(url, params, max_bytes, sink_factory, cfg, timeout, budget, cancel, box):
    where = _short(url)
    try:
        response = _request(url, params, cfg, timeout, budget.redirect_hosts)
    except requests.Timeout:
        raise _Retryable(f"timed out after {timeout[1]:g}s reading {where}") from None
    except requests.ConnectionError as exc:
        reason = type(exc).__name__
        raise _Retryable(f"could not connect to {where} ({reason})") from None
    except requests.RequestException as exc:
        raise SourceError(f"bad request for {where}: {type(exc).__name__}") from None
    box["response"] = response
    with response:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(
                f"HTTP {status} from {where}",
                retry_after_seconds(response.headers.get("Retry-After")),
            )
        if status >= 400:
            raise SourceError(f"HTTP {status} from {where}")
        sink = sink_factory()
        try:
            _stream(response, url, max_bytes, sink.write, cancel)
            return sink.finish()
        except requests.Timeout:
            raise _Retryable(f"timed out after {timeout[1]:g}s reading {where}") from None
        except (requests.RequestException, OSError, ValueError) as exc:
            raise _Retryable(f"connection lost reading {where} ({type(exc).__name__})") from None
        finally:
            sink.close()


def _next_wait(cfg: HttpSettings, state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    backoff = cfg.backoff * 2 ** (state.attempt_number - 1)
    if isinstance(exc, _Retryable) and exc.retry_after is not None:
        backoff = exc.retry_after
    return min(backoff, cfg.max_wait)


def _fetch(url: str, params: dict | None, max_bytes: int, sink_factory, *, download=False):
    """Attempts until one succeeds, the attempts run out or the source's time budget does
    (no attempt and no wait past the budget), each with its own total deadline."""
    cfg = settings()
    budget = _budget.get() or Budget(_short(url), cfg.budget)
    limit = cfg.download_deadline if download else cfg.deadline

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number >= cfg.attempts:
            return True
        return _next_wait(cfg, state) >= budget.remaining() - 0.5

    def wait(state: RetryCallState) -> float:
        seconds = _next_wait(cfg, state)
        budget.failing += seconds
        if budget.notify is not None:
            error = state.outcome.exception() if state.outcome else None
            budget.notify(f"{error}; retrying in {seconds:.0f} s ({budget.spent()} used)")
        return seconds

    def attempt() -> object:
        if budget.remaining() <= 0:
            raise SourceError(f"no time left for {_short(url)} ({budget.spent()} used)")
        deadline = limit if download else max(0.5, min(limit, budget.remaining()))
        started = time.monotonic()
        try:
            return _attempt(url, params, max_bytes, sink_factory, cfg, budget, deadline)
        except _Retryable:
            budget.failing += time.monotonic() - started
            raise

    retrying = Retrying(
        stop=stop,
        wait=wait,
        retry=retry_if_exception_type(_Retryable),
        reraise=True,
        sleep=lambda seconds: _sleep(seconds),
    )
    try:
        return retrying(attempt)
    except _Retryable as exc:
        tries = retrying.statistics.get("attempt_number", cfg.attempts)
        tries_text = "attempt" if tries == 1 else f"{tries} attempts"
        raise SourceError(f"{exc} (gave up after {tries_text}, {budget.spent()})") from None


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
        self.tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")
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
    return _fetch(url, None, max_bytes, lambda: _FileSink(dest), download=True)


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
