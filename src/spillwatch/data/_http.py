"""The one HTTP client of spillwatch's live providers (httpx).

Every provider fetches through :class:`HttpClient`, which adds what a free public data source
needs to survive the real world:

* **timeouts**: a connect timeout, a read timeout (between two bytes) and an **overall deadline**
  per attempt, so that a server dripping one byte at a time cannot hang a fetch: the attempt runs
  in a worker thread that streams the body and checks the deadline after every chunk, and the
  caller stops waiting at the deadline whatever phase the worker is in (headers included);
* **retries** with exponential backoff and full jitter on connection errors, timeouts, broken
  bodies, HTTP 5xx and 429, honouring ``Retry-After`` (seconds or an HTTP date);
* a **rate limit** per host (``min_interval`` seconds between two requests, e.g. FRED's about two
  requests a second);
* a clear ``User-Agent``;
* an optional **on-disk cache** for history that cannot change (a past year of the Treasury curve,
  closed Binance klines), keyed by the URL and its parameters;
* **redirects** followed only to the same host (an ``http`` → ``https`` upgrade included) or to a
  host on the provider's allow-list; any other redirect is refused with a clear error (a 302 to a
  loopback admin page must not be fetched and stored);
* a **maximum response size** per provider (``max_bytes``; ``Content-Length`` is checked first,
  then the streamed body), refused with a clear error, not retried;
* **fast failure offline**: a host whose name does not resolve, or a network that is unreachable,
  is not retried; once two hosts failed that way and none answered, the client is *offline* and
  every further request fails at once ("not attempted"), so that a whole fetch without a network
  ends in seconds with one line per source. A host that refuses the connection or does not
  answer it in time is down, not the network: its later requests fail at once, the other hosts
  are still tried. Every such error says ``unreached`` (no answer at all), which a fetch reads
  as "no provider could be reached" only when every group failed so (an HTTP 503 is an
  answer). A host that takes the connection but sends no complete answer in time (read
  timeout, deadline) through every retry is not asked again by the same client either: a
  hanging server costs one request's retries, not every series' (one fetch, one monitor cycle).

Credentials passed in ``params`` (FRED's ``api_key``) are never logged nor put in error messages.

References
----------
AWS Architecture Blog, "Exponential Backoff and Jitter" (2015), the "full jitter" variant.
RFC 9110, section 10.2.3 (``Retry-After``).
"""

from __future__ import annotations

import email.utils
import errno
import functools
import hashlib
import json
import logging
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from spillwatch._version import __version__
from spillwatch.config import settings
from spillwatch.exceptions import ConfigError, NetworkError, ProviderError, RateLimited


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every client of the process.

    httpx's default (certifi's roots, or ``SSL_CERT_FILE``/``SSL_CERT_DIR``). Building one
    loads the certificate store (about 20 ms); a fetch or a webhook delivery opened a new
    one per client.
    """
    return httpx.create_ssl_context()


log = logging.getLogger(__name__)

USER_AGENT = f"spillwatch/{__version__} (Treasury and dollar stress monitor; python-httpx)"
#: The fields the settings set (``http_<field>``, :meth:`HttpConfig.from_env`).
ENV_FIELDS = ("connect_timeout", "read_timeout", "deadline", "retries", "backoff",
              "backoff_max", "retry_after_max")
SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "x_cg_demo_api_key"})
RETRY_STATUS = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_DIGITS = re.compile(r"[0-9]{1,18}")
MAX_REDIRECTS = 5
#: Default largest answer accepted (a provider may set its own, smaller or larger).
MAX_BYTES = 64 * 1024 * 1024
#: Hosts that failed to resolve or were unreachable before the client counts as offline.
OFFLINE_AFTER = 2
#: Seconds between two looks at the stop flag while waiting (an answer, a retry's backoff).
STOP_POLL = 0.25
_DNS_WORDS = ("name or service not known", "nodename nor servname", "temporary failure in name "
              "resolution", "no address associated", "getaddrinfo failed", "name resolution",
              "could not resolve")


@dataclass(frozen=True)
class HttpConfig:
    """Timeouts, retries and cache of the client.

    Attributes
    ----------
    connect_timeout : float, default 10
        Seconds to open a connection.
    read_timeout : float, default 30
        Seconds to wait for the next bytes.
    deadline : float, default 120
        Seconds one attempt may take in all, however the server drips its answer.
    retries : int, default 4
        Further attempts after the first on a retryable failure.
    backoff : float, default 1
        Base of the exponential backoff in seconds: attempt ``k`` waits a uniform draw in
        ``[0, min(backoff_max, backoff * 2**k)]`` (full jitter).
    backoff_max : float, default 30
        Cap of one backoff wait.
    retry_after_max : float, default 120
        Longest ``Retry-After`` honoured; a server asking for more fails at once with
        :class:`~spillwatch.exceptions.RateLimited` (a fetch must not sleep for an hour).
    user_agent : str
        Sent with every request.
    cache_dir : Path or None
        Folder of the on-disk cache (default the setting ``$SPILLWATCH_HTTP_CACHE``; ``None``
        disables it).
    seed : int or None
        Seed of the jitter draws (tests).
    max_bytes : int, default 64 MiB
        Largest answer accepted when the provider sets no limit of its own.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0
    retries: int = 4
    backoff: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    user_agent: str = USER_AGENT
    cache_dir: Path | None = field(default_factory=lambda: settings().http_cache)
    seed: int | None = None
    max_bytes: int = MAX_BYTES

    @classmethod
    def from_env(cls, **overrides: Any) -> HttpConfig:
        """Build a config from the defaults, the environment, then ``overrides``.

        ``$SPILLWATCH_HTTP_<FIELD>`` sets a field, e.g. ``SPILLWATCH_HTTP_RETRIES=0`` or
        ``SPILLWATCH_HTTP_DEADLINE=30``: the settings' ``http_<field>``
        (:class:`spillwatch.config.Settings`, where each is documented and checked; five of
        them were read here alone, in no list a user could find).

        Raises
        ------
        ConfigError
            A variable holds a bad value (the message names it).
        """
        s = settings()
        env = {name: v for name in ENV_FIELDS if (v := getattr(s, f"http_{name}")) is not None}
        return cls(**{**env, **overrides})

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{name} must be > 0 seconds, got {getattr(self, name)!r}")
        if self.retries < 0:
            raise ConfigError(f"retries must be >= 0, got {self.retries!r}")


@dataclass(frozen=True)
class HttpResponse:
    """A complete response body (read within the deadline) with its status and headers."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    from_cache: bool = False
    attempts: int = 1

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (a byte-order mark is dropped; bad bytes replaced)."""
        return self.content.decode("utf-8-sig", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.content)


#: (host, port, path) of addresses whose path is a secret (a webhook's token): logged as "/…".
_HIDDEN: set[tuple[str, int | None, str]] = set()


def hide_in_logs(url: str) -> None:
    """Log ``url`` (a Slack or Discord webhook: its token is in the path) as host and port only."""
    try:
        u = httpx.URL(url)
    except Exception:   # an address httpx cannot parse is never requested, so never logged
        return
    _HIDDEN.add((u.host, u.port, u.path))


def redact(url: str | httpx.URL) -> str:
    """Return ``url`` fit for logs.

    Secret query parameters (``api_key`` ...) and a password in it become ``***``; the path and
    query of a :func:`hide_in_logs` address become ``/…``.
    """
    u = httpx.URL(str(url))
    if u.password:
        u = u.copy_with(username=u.username, password="***")
    if (u.host, u.port, u.path) in _HIDDEN:
        return f"{u.scheme}://{u.netloc.decode('ascii').rpartition('@')[2]}/…"
    if not u.query:
        return str(u)
    params = [(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in u.params.multi_items()]
    return str(u.copy_with(params=params))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _RedactFilter(logging.Filter):
    """Redact secret query parameters from httpx's own request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact(a) if isinstance(a, httpx.URL) else a
                                for a in record.args)
        return True


if not any(isinstance(f, _RedactFilter) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(_RedactFilter())


class _Retryable(Exception):
    def __init__(self, message: str, wait: float | None = None, status: int | None = None,
                 unreachable: bool = False, final: bool = False, no_answer: bool = False,
                 timed_out: bool = False):
        super().__init__(message)
        self.message, self.wait, self.status = message, wait, status
        # no route to any host (a name that does not resolve, a network unreachable): counts
        # toward "offline"
        self.unreachable = unreachable
        # this host did not answer (refused, connect timeout): the host is down, not the
        # network (two closed ports had stopped every other provider as "offline")
        self.no_answer = no_answer or unreachable
        self.final = final  # not worth retrying (a name that does not resolve, no route)
        # the host took the connection but sent no complete answer in time (read timeout, the
        # deadline): after every retry it is down for this fetch too (each of FRED's fourteen
        # series waited out five 30-second timeouts from a hanging server, 37 minutes)
        self.timed_out = timed_out


class _Stopped(Exception):
    """A stop was asked for (SIGTERM) while waiting for an answer or a retry."""


class _TooLarge(Exception):
    def __init__(self, size: int, limit: int, declared: bool):
        super().__init__(f"{size} > {limit}")
        self.size, self.limit, self.declared = size, limit, declared


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _is_unresolvable(exc: BaseException) -> bool:
    """Whether a connect error is a name that does not resolve or a network without a route."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, socket.gaierror):
            return True
        if isinstance(cur, OSError) and cur.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return True
        text = str(cur).lower()
        if any(w in text for w in _DNS_WORDS) or "network is unreachable" in text:
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _origin(url: str) -> tuple[str, str, int]:
    u = urlsplit(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    return u.scheme, (u.hostname or "").lower(), port


def _cacheable(body: bytes) -> bool:
    """Whether a 2xx body may be kept for good: not empty, not an HTML page, not an empty list.

    The cache holds history that cannot change; an error page served with 200 or an empty
    page of a paged API kept there would fail (or hide data) on every later fetch.
    """
    head = body.lstrip()[:512].lower()
    return bool(head) and not head.startswith((b"<!doctype html", b"<html")) and \
        b"<html" not in head and body.strip() not in (b"[]", b"{}")


class HttpClient:
    """The shared client: one ``httpx.Client`` with timeouts, a deadline, retries and a cache.

    Parameters
    ----------
    config : HttpConfig, optional
    transport : httpx.BaseTransport, optional
        For tests (``httpx.MockTransport``); by default the network.
    sleep : callable, optional
        Used to wait between attempts (tests may pass a recorder).

    Examples
    --------
    >>> import httpx
    >>> t = httpx.MockTransport(lambda request: httpx.Response(200, text="ok"))
    >>> with HttpClient(transport=t) as client:
    ...     client.get("https://example.org/x").text
    'ok'
    """

    def __init__(self, config: HttpConfig | None = None, *,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 should_stop: Callable[[], bool] | None = None) -> None:
        self.config = config or HttpConfig()
        self._sleep = sleep
        # asked while waiting for an answer and between retries: a SIGTERM to the monitor
        # waited out a hanging server's deadline and every retry (150 s)
        self._should_stop = should_stop
        self._rng = random.Random(self.config.seed)
        self._last: dict[str, float] = {}
        self._unreachable: dict[str, str] = {}
        self._down: dict[str, str] = {}
        self._slow: dict[str, str] = {}  # hosts whose every attempt timed out (answered late)
        # hosts that kept answering 429 through every retry: the next series of the same
        # host fails at once (14 FRED series x 5 attempts waited 120 s; at the honoured
        # 120 s Retry-After, about 112 minutes a fetch, crypto queued behind it)
        self._limited: dict[str, str] = {}
        self._answered: set[str] = set()
        #: Requests sent (every attempt, answered or not): a failed group's count comes from it.
        self.attempts = 0
        self._lock = threading.Lock()
        c = self.config
        self._client = httpx.Client(
            timeout=httpx.Timeout(c.read_timeout, connect=c.connect_timeout),
            verify=ssl_context(),
            headers={"User-Agent": c.user_agent},
            follow_redirects=False,  # followed by hand: same host or allow-list only
            transport=transport,
        )

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def offline(self) -> bool:
        """Whether the network looks unreachable: hosts failed to connect and none answered."""
        return len(self._unreachable) >= OFFLINE_AFTER and not self._answered

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _throttle(self, host: str, min_interval: float) -> None:
        if min_interval <= 0:
            return
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else last + min_interval - now
            self._last[host] = now + max(wait, 0.0)
        if wait > 0:
            self._sleep(wait)

    def _cache_path(self, url: str, params: Mapping[str, Any] | None) -> Path | None:
        if self.config.cache_dir is None:
            return None
        key = json.dumps([url, sorted((str(k), str(v)) for k, v in (params or {}).items())])
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return Path(self.config.cache_dir) / f"{digest}.bin"

    def _stopping(self) -> bool:
        return self._should_stop is not None and bool(self._should_stop())

    def _wait(self, seconds: float) -> None:
        """Sleep ``seconds`` (the ``sleep`` hook), in slices when a stop can be asked for."""
        if self._should_stop is None:
            self._sleep(seconds)
            return
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self._stopping():
                raise _Stopped
            self._sleep(min(STOP_POLL, left))

    def _backoff(self, attempt: int) -> float:
        c = self.config
        return self._rng.uniform(0.0, min(c.backoff_max, c.backoff * 2.0 ** attempt))

    # -- one attempt ----------------------------------------------------------------------------
    def _attempt(self, url: str, params: Mapping[str, Any] | None, max_bytes: int
                 ) -> tuple[int, dict[str, str], bytes, str]:
        """Run one attempt in a worker thread and wait for it at most the deadline.

        The worker checks the deadline between body chunks and stops cleanly; a server that
        drips its *headers* keeps the worker inside httpx's read, so the caller stops waiting
        at the deadline and leaves the (daemon) worker to end with its connection.
        """
        c = self.config
        deadline = time.monotonic() + c.deadline
        box: dict[str, Any] = {}
        cancel = threading.Event()

        def work() -> None:
            try:
                box["ok"] = self._stream(url, params, deadline, cancel, max_bytes)
            except BaseException as exc:  # re-raised in the caller's thread
                box["err"] = exc

        worker = threading.Thread(target=work, name="spillwatch-http", daemon=True)
        worker.start()
        end = time.monotonic() + c.deadline + 0.2
        while worker.is_alive() and time.monotonic() < end:
            worker.join(min(STOP_POLL, max(end - time.monotonic(), 0.0)))
            if self._stopping():
                cancel.set()
                raise _Stopped
        if worker.is_alive():
            cancel.set()
            safe = redact(httpx.URL(url, params=params or {}))
            raise _Retryable(f"{safe}: no complete answer within the deadline of "
                             f"{c.deadline:g} s (the server is too slow)", timed_out=True)
        if "err" in box:
            raise box["err"]
        return box["ok"]

    def _stream(self, url: str, params: Mapping[str, Any] | None, deadline: float,
                cancel: threading.Event, max_bytes: int
                ) -> tuple[int, dict[str, str], bytes, str]:
        c = self.config
        timeout = httpx.Timeout(min(c.read_timeout, c.deadline),
                                connect=min(c.connect_timeout, c.deadline))
        safe = redact(httpx.URL(url, params=params or {}))
        try:
            with self._client.stream("GET", url, params=params, timeout=timeout) as resp:
                declared = resp.headers.get("content-length", "").strip()
                if _DIGITS.fullmatch(declared) and int(declared) > max_bytes:
                    raise _TooLarge(int(declared), max_bytes, True)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        raise _TooLarge(size, max_bytes, False)
                    if time.monotonic() > deadline or cancel.is_set():
                        raise _Retryable(
                            f"{safe}: no complete answer within the deadline of {c.deadline:g} s "
                            f"({size} bytes received); the server is too slow", timed_out=True)
                return resp.status_code, dict(resp.headers), b"".join(chunks), str(resp.url)
        except httpx.ConnectTimeout:
            raise _Retryable(f"{safe}: connect timeout after {timeout.connect:g} s",
                             no_answer=True) from None
        except httpx.ReadTimeout:
            raise _Retryable(f"{safe}: no data for {timeout.read:g} s (read timeout)",
                             timed_out=True) from None
        except httpx.ConnectError as exc:
            if _is_unresolvable(exc):
                raise _Retryable(f"{safe}: cannot connect: the host name does not resolve or "
                                 f"the network is unreachable ({exc})", unreachable=True,
                                 final=True) from None
            raise _Retryable(f"{safe}: cannot connect ({exc})", no_answer=True) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise _Retryable(f"{safe}: connection broken mid-answer ({exc})") from None
        except httpx.DecodingError as exc:
            raise _Retryable(f"{safe}: corrupt compressed body ({exc})") from None
        except httpx.TimeoutException as exc:
            raise _Retryable(f"{safe}: timed out ({exc.__class__.__name__})",
                             timed_out=True) from None

    # -- public ---------------------------------------------------------------------------------
    def get(self, url: str, *, params: Mapping[str, Any] | None = None, provider: str = "http",
            min_interval: float = 0.0, cache: bool = False, series_id: str | None = None,
            max_bytes: int | None = None, allow_hosts: Sequence[str] = ()) -> HttpResponse:
        """GET ``url`` with retries; return the whole body or raise a clear error.

        Parameters
        ----------
        url : str
        params : mapping, optional
            Query parameters (secrets among them are redacted from logs and errors).
        provider : str
            Named in errors.
        min_interval : float
            Seconds to keep between two requests to this host (rate limit).
        cache : bool
            Whether the answer is history that cannot change (read from and written to the
            on-disk cache when one is configured).
        series_id : str, optional
            Named in errors.
        max_bytes : int, optional
            Largest answer accepted (default ``config.max_bytes``).
        allow_hosts : sequence of str
            Hosts a redirect may lead to besides the requested one.

        Returns
        -------
        HttpResponse
            Status 2xx only.

        Raises
        ------
        NetworkError
            Connection failures, timeouts, the deadline or 5xx persisted after every retry; a
            host name that does not resolve (not retried); the client is offline.
        RateLimited
            HTTP 429 persisted, or the server asked to wait longer than ``retry_after_max``.
        ProviderError
            Any other 4xx (not retried; ``status`` says which, e.g. 404 or 451), a redirect to
            another host, or an answer over ``max_bytes``.
        """
        if self._stopping():
            raise NetworkError(f"{provider}: not fetched: stopping (SIGTERM)",
                               provider=provider, series_id=series_id, status=None)
        try:
            return self._get(url, params=params, provider=provider, min_interval=min_interval,
                             cache=cache, series_id=series_id, max_bytes=max_bytes,
                             allow_hosts=allow_hosts)
        except _Stopped:
            safe = redact(httpx.URL(url, params=params or {}))
            raise NetworkError(f"{provider}: {safe}: stopped while waiting (SIGTERM); nothing "
                               "of it was stored", provider=provider, series_id=series_id,
                               status=None) from None

    def _get(self, url: str, *, params: Mapping[str, Any] | None, provider: str,
             min_interval: float, cache: bool, series_id: str | None, max_bytes: int | None,
             allow_hosts: Sequence[str]) -> HttpResponse:
        c = self.config
        limit = int(max_bytes if max_bytes is not None else c.max_bytes)
        safe = redact(httpx.URL(url, params=params or {}))
        cpath = self._cache_path(url, params) if cache else None
        if cpath is not None and cpath.exists():
            log.debug("cache hit %s", safe)
            return HttpResponse(safe, 200, {}, cpath.read_bytes(), from_cache=True, attempts=0)
        host = urlsplit(url).netloc
        if host in self._slow:
            # a host that took the connection but never answered in time, after every retry
            raise NetworkError(f"{provider}: {safe}: not attempted: {host} gave no answer in "
                               f"time a moment ago ({self._slow[host]}); check the provider's "
                               "status, then fetch again", provider=provider,
                               series_id=series_id, status=None, unreached=False)
        if host in self._limited:
            raise RateLimited(f"{provider}: {safe}: not attempted: {host} kept answering HTTP "
                              f"429 (rate limited) a moment ago ({self._limited[host]}); wait "
                              "a while and fetch again", provider=provider,
                              series_id=series_id, status=429)
        if host in self._unreachable or host in self._down:
            # a host that refused every connection a moment ago: fail fast, not N times slowly
            raise NetworkError(f"{provider}: {safe}: {host} was unreachable a moment ago "
                               "(not retried); check the network or the provider's status",
                               provider=provider, series_id=series_id, status=None,
                               unreached=True)
        if self.offline:
            raise NetworkError(f"{provider}: not attempted: the network looks unreachable "
                               f"({len(self._unreachable)} host names did not resolve or had "
                               "no route, none answered)", provider=provider,
                               series_id=series_id, status=None, unreached=True)
        last: _Retryable | None = None
        tries = 0
        silent = True   # every attempt timed out (a 503 before a timeout is an answer)
        for attempt in range(c.retries + 1):
            tries = attempt + 1
            self._throttle(host, min_interval)
            log.debug("GET %s (attempt %d)", safe, attempt + 1)
            self.attempts += 1
            try:
                status, headers, body, final = self._follow(url, params, limit, provider,
                                                            series_id, allow_hosts)
                self._answered.add(host)
                if status == 429 or status in RETRY_STATUS or 500 <= status < 600:
                    wait = parse_retry_after(headers.get("retry-after"))
                    if wait is not None and wait > c.retry_after_max:
                        raise RateLimited(
                            f"{provider}: {safe} answered HTTP {status} asking to wait "
                            f"{wait:.0f} s (more than {c.retry_after_max:g} s); try again later",
                            provider=provider, series_id=series_id, status=status)
                    raise _Retryable(f"{safe}: HTTP {status}", wait=wait, status=status)
            except _Retryable as exc:
                last = exc
                silent = silent and exc.timed_out
                if exc.final or attempt == c.retries:
                    break
                if exc.unreachable:
                    self._unreachable.setdefault(host, exc.message)
                    if self.offline:
                        break
                    del self._unreachable[host]
                wait = exc.wait if exc.wait is not None else self._backoff(attempt)
                log.info("%s: %s; retry %d/%d in %.2f s", provider, exc.message, attempt + 1,
                         c.retries, wait)
                self._wait(wait)
                continue
            if status >= 400:
                raise ProviderError(_status_message(provider, safe, status, body),
                                    provider=provider, series_id=series_id, status=status,
                                    url=safe)
            resp = HttpResponse(redact(final), status, headers, body, attempts=attempt + 1)
            if cpath is not None and _cacheable(body):
                cpath.parent.mkdir(parents=True, exist_ok=True)
                tmp = cpath.with_suffix(".tmp")
                tmp.write_bytes(body)
                tmp.replace(cpath)
            return resp
        assert last is not None
        if last.unreachable:
            self._unreachable[host] = last.message
        elif last.no_answer:
            self._down[host] = last.message
        elif silent and host not in self._answered:
            self._slow[host] = last.message.removeprefix(f"{safe}: ")
        if last.status == 429:
            self._limited[host] = f"{tries} attempt(s) for {safe}"
            raise RateLimited(f"{provider}: {safe} kept answering HTTP 429 (rate limited) after "
                              f"{tries} attempt(s); wait a while and fetch again",
                              provider=provider, series_id=series_id, status=429)
        why = ("not retried" if last.final else f"gave up after {tries} attempt(s)")
        raise NetworkError(f"{provider}: {last.message} ({why}); check the network or the "
                           "provider's status, then fetch again",
                           provider=provider, series_id=series_id, status=last.status,
                           unreached=last.no_answer)

    def _follow(self, url: str, params: Mapping[str, Any] | None, limit: int, provider: str,
                series_id: str | None, allow_hosts: Sequence[str]
                ) -> tuple[int, dict[str, str], bytes, str]:
        """One attempt, following redirects to the same host or an allowed one only."""
        origin = _origin(str(httpx.URL(url)))
        allowed = {origin[1], *(h.lower() for h in allow_hosts)}
        current, cur_params = url, params
        for _ in range(MAX_REDIRECTS + 1):
            try:
                status, headers, body, final = self._attempt(current, cur_params, limit)
            except _TooLarge as exc:
                safe = redact(httpx.URL(current, params=cur_params or {}))
                what = ("announced" if exc.declared else "sent more than")
                raise ProviderError(
                    f"{provider}: {safe} {what} {_mb(exc.size)}, over the {_mb(exc.limit)} "
                    f"limit for {provider}; not stored. If the service really sends this much, "
                    "ask for a shorter period", provider=provider, series_id=series_id,
                    url=safe) from None
            if status not in REDIRECT_STATUS or "location" not in headers:
                return status, headers, body, final
            target = urljoin(final, headers["location"])
            scheme, host, _port = _origin(target)
            same = host in allowed and (scheme == origin[0] or scheme == "https")
            if scheme not in ("http", "https") or not same:
                raise ProviderError(
                    f"{provider}: {redact(final)} redirected to {redact(target)}, another host; "
                    f"refused (redirects are followed to {', '.join(sorted(allowed))} only). "
                    "Check the provider's URL setting", provider=provider,
                    series_id=series_id, status=status, url=redact(final))
            current, cur_params = target, None
        raise ProviderError(f"{provider}: more than {MAX_REDIRECTS} redirects from "
                            f"{redact(httpx.URL(url, params=params or {}))}", provider=provider,
                            series_id=series_id)


def _status_message(provider: str, url: str, status: int, body: bytes) -> str:
    snippet = body[:200].decode("utf-8", errors="replace").strip().replace("\n", " ")
    if status == 404:
        hint = "not found: check the series id or symbol, or the provider's URL setting"
    elif status == 451:
        hint = ("unavailable for legal reasons: the provider blocks requests from this region")
    elif status in (401, 403):
        hint = "refused: the endpoint needs a key or blocks this client"
    else:
        hint = "the request was rejected"
    return f"{provider}: {url} answered HTTP {status} ({hint}); body: {snippet[:160]!r}"
