"""Request-size and per-client rate limits, and the write gate, as one ASGI middleware.

The guard runs before FastAPI sees a request, in this order:

1. **size**: a body larger than ``max_body_bytes`` gets ``413`` (checked on ``Content-Length``
   and again while the body streams in, so a chunked upload cannot slip past);
2. **rate**: each client (its IP address) has two token buckets, one for reads and one for writes;
   an empty bucket gets ``429`` with ``Retry-After``;
3. **auth**: a write method under ``/api/`` without the right bearer token gets ``401`` with
   ``WWW-Authenticate: Bearer`` — before the body is parsed, so a malformed body without a token is
   still a 401, never a 422.

The token bucket is the classic one (Turner 1986; RFC 2697 describes the same meter): a bucket of
capacity ``burst`` refills at ``per_second`` tokens a second and a request takes one token.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from spillwatch.api.auth import WRITE_METHODS, bearer_from_header, token_matches

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class RateLimit:
    """A token-bucket rate: ``per_second`` sustained, ``burst`` at once.

    Raises
    ------
    ConfigError
        A rate or burst that is not positive.
    """

    per_second: float
    burst: int

    def __post_init__(self) -> None:
        from spillwatch.exceptions import ConfigError

        if not (self.per_second > 0 and math.isfinite(self.per_second)):
            raise ConfigError(f"per_second must be a positive number, got {self.per_second!r}")
        if self.burst < 1:
            raise ConfigError(f"burst must be a positive int, got {self.burst!r}")


DEFAULT_READ_LIMIT = RateLimit(per_second=50.0, burst=200)
DEFAULT_WRITE_LIMIT = RateLimit(per_second=2.0, burst=20)
DEFAULT_MAX_BODY_BYTES = 64 * 1024


class TokenBuckets:
    """Per-client token buckets, bounded in the number of clients remembered.

    Parameters
    ----------
    limit : RateLimit
    max_clients : int
        Least recently seen clients beyond this many are forgotten (their next request starts
        with a full bucket), so memory stays bounded whatever the number of addresses.
    clock : callable
        Monotonic clock in seconds (injectable for tests).
    """

    def __init__(self, limit: RateLimit, *, max_clients: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token for ``client``; return 0.0 if allowed, else seconds until a token."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - last) * self.limit.per_second)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1.0 - tokens) / self.limit.per_second
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


async def _reply(send: Send, status: int, detail: str,
                 headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class ApiGuard:
    """ASGI middleware applying the size limit, the rate limits and the write gate.

    Parameters
    ----------
    app : ASGI app
    token : str
        The bearer token writes must present.
    max_body_bytes : int
    read_limit, write_limit : RateLimit or None
        ``None`` disables that limit (the benchmark measures the endpoints, not the limiter).
    prefix : str
        Only paths under this prefix are rate limited (the page and its static files are
        size-limited only).
    is_write : callable, optional
        ``is_write(method, path)`` tells whether a request targets a write endpoint (gated by the
        token). Default: any write method under ``prefix``. The app passes its write routes, so
        a write method on a read-only path is still answered 405 by the router.
    cached : callable, optional
        ``cached(path)`` returns ``(body, gzipped)`` of a cached read (a GET without a query
        string) or ``None``; a hit is answered here, past the limits, without entering the
        router — the same JSON the route sends, gzip-compressed (once, when it was cached) for
        a client that accepts it.
    """

    def __init__(self, app: ASGIApp, *, token: str,
                 max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 read_limit: RateLimit | None = DEFAULT_READ_LIMIT,
                 write_limit: RateLimit | None = DEFAULT_WRITE_LIMIT,
                 prefix: str = "/api/",
                 is_write: Callable[[str, str], bool] | None = None,
                 cached: Callable[[str], tuple[bytes, bytes | None] | None] | None = None
                 ) -> None:
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes
        self.reads = TokenBuckets(read_limit) if read_limit is not None else None
        self.writes = TokenBuckets(write_limit) if write_limit is not None else None
        self.prefix = prefix
        self.is_write = is_write or (lambda method, _path: method in WRITE_METHODS)
        self.cached = cached

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        length = headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body_bytes
            except ValueError:
                await _reply(send, 400, "Content-Length is not a number")
                return
            if too_big:
                await _reply(send, 413, f"request body over {self.max_body_bytes} bytes")
                return
        method = scope.get("method", "GET").upper()
        path: str = scope.get("path", "")
        if path.startswith(self.prefix):
            client = (scope.get("client") or ("unknown", 0))[0]
            buckets = self.writes if method in WRITE_METHODS else self.reads
            wait = buckets.take(client) if buckets is not None else 0.0
            if wait > 0:
                await _reply(send, 429, "too many requests; slow down",
                             {"Retry-After": str(max(1, math.ceil(wait)))})
                return
            if self.is_write(method, path) and not token_matches(
                    bearer_from_header(headers.get("authorization")), self.token):
                await _reply(send, 401, "this endpoint needs 'Authorization: Bearer <token>' "
                             "(the token is $SPILLWATCH_TOKEN, or the one printed when the "
                             "server started)", {"WWW-Authenticate": "Bearer"})
                return
        if method in {"GET", "HEAD", "OPTIONS"}:
            if method == "GET" and self.cached is not None and not scope.get("query_string"):
                hit = self.cached(path)
                if hit is not None:
                    body, gzipped = hit
                    raw = [(b"content-type", b"application/json"),
                           (b"cache-control", b"no-cache"), (b"vary", b"Accept-Encoding")]
                    if gzipped is not None and "gzip" in headers.get("accept-encoding", ""):
                        body = gzipped
                        raw.append((b"content-encoding", b"gzip"))
                    raw.append((b"content-length", str(len(body)).encode()))
                    await send({"type": "http.response.start", "status": 200, "headers": raw})
                    await send({"type": "http.response.body", "body": body})
                    return
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read_body(receive)
        except _TooLarge:
            await _reply(send, 413, f"request body over {self.max_body_bytes} bytes")
            return
        done = False

        async def replay() -> Message:
            nonlocal done
            if not done:
                done = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)
