"""The API's guard: trusted hosts, the write gate, size, per-client rates and the body timeout.

One ASGI middleware runs before FastAPI sees a request, in this order:

0. **header size**: a header block over 16 KiB gets ``431``, a query string over 4 KiB ``414``
   (every parameter of the API is short: a 60 KB query string was parsed, and its repeated
   keys checked, before any answer);
1. **host**: a ``Host`` header that is not one of the trusted hosts gets ``400`` (a DNS-rebinding
   page cannot talk to a server on localhost through a name it controls);
2. **client**: the client is the peer address of the connection; only when that peer is a trusted
   reverse proxy is the client taken from its forwarding header (``X-Forwarded-For`` or RFC 7239
   ``Forwarded``), walking from the right past trusted proxies, so a client cannot choose its own
   address by sending the header itself;
3. **auth**: a write under ``/api/`` without the right bearer token gets ``401`` with
   ``WWW-Authenticate: Bearer`` before anything else about it is checked — before the body is
   parsed (a malformed body without a token is still a 401, never a 422) and before the rate
   limit (so the answer is 401, never 429, and refused writes do not spend anybody's budget);
4. **size**: a body larger than ``max_body_bytes`` gets ``413`` (checked on ``Content-Length``
   and again while the body streams in, so a chunked upload cannot slip past);
5. **rate**: each client has a read and a write token bucket, and requests bearing the token use
   a second pair of its own, so a flood of anonymous requests from the token holder's own address
   cannot lock the holder out (the holder's budget still exists); an empty bucket gets ``429``
   with ``Retry-After``;
6. **body timeout**: a body that has not fully arrived within ``body_timeout_s`` of the guard
   starting to read it gets ``408`` and the connection is closed.

Every response leaving the app carries ``X-Content-Type-Options: nosniff``.

The token bucket is the classic one (Turner 1986; RFC 2697 describes the same meter): a bucket of
capacity ``burst`` refills at ``per_second`` tokens a second and a request takes one token.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import anyio

from spillwatch.api.auth import WRITE_METHODS, bearer_from_header, token_matches
from spillwatch.config import Settings

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

    @classmethod
    def parse(cls, text: str) -> RateLimit | None:
        """Parse ``"PER_SECOND:BURST"`` (e.g. ``"50:200"``); ``"off"`` gives ``None`` (no limit).

        Raises
        ------
        ConfigError
            Anything else, with the expected form.
        """
        from spillwatch.exceptions import ConfigError

        s = str(text).strip().lower()
        if s == "off":
            return None
        m = re.fullmatch(r"(\d+(?:\.\d+)?):(\d+)", s)
        if m is None:
            raise ConfigError(f"bad rate limit {text!r}; write PER_SECOND:BURST (e.g. '50:200') "
                              "or 'off'")
        return cls(per_second=float(m.group(1)), burst=int(m.group(2)))


_DEFAULTS = Settings.model_fields
DEFAULT_READ_LIMIT = RateLimit.parse(_DEFAULTS["rate_read"].default)
DEFAULT_WRITE_LIMIT = RateLimit.parse(_DEFAULTS["rate_write"].default)
DEFAULT_TOKEN_READ_LIMIT = RateLimit.parse(_DEFAULTS["rate_token_read"].default)
DEFAULT_TOKEN_WRITE_LIMIT = RateLimit.parse(_DEFAULTS["rate_token_write"].default)
DEFAULT_MAX_BODY_BYTES: int = _DEFAULTS["max_body_bytes"].default
DEFAULT_BODY_TIMEOUT_S: float = _DEFAULTS["body_timeout_s"].default
DEFAULT_TRUSTED_HOSTS: tuple[str, ...] = _DEFAULTS["trusted_hosts"].default
#: Largest header block (names and values) accepted; h11 only limits a head still incomplete
#: at this size, and one that arrives in a single read may be far larger.
#: Whether the request being answered takes gzip (set by :class:`ApiGuard` for a read that
#: goes on to the router): a view of a past date or with options is cached compressed too, and
#: was sent whole (about 2.5 times the bytes of the same view without a query string).
ACCEPTS_GZIP: ContextVar[bool] = ContextVar("spillwatch_accepts_gzip", default=False)

MAX_HEADER_BYTES = 16 * 1024
#: Longest query string accepted (bytes, as sent).
MAX_QUERY_BYTES = 4 * 1024


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


# -- hosts ----------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1024)
def host_of(header: str | None) -> str | None:
    """The host name of a ``Host`` header value (no port, lower case, IPv6 without brackets).

    Returns ``None`` for a missing or malformed value.
    """
    if not header:
        return None
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0 or (value[end + 1:] and not re.fullmatch(r":\d{1,5}", value[end + 1:])):
            return None
        return value[1:end] or None
    name, _, port = value.partition(":")
    if (port and not port.isdecimal()) or not re.fullmatch(r"[a-z0-9_.-]+", name):
        return None
    return name.rstrip(".") or None


class TrustedHosts:
    """The host names a server answers to.

    Parameters
    ----------
    hosts : iterable of str
        Exact names or addresses (``localhost``, ``127.0.0.1``, ``::1`` or ``[::1]``), a domain's
        subdomains (``*.example.org``), or ``*`` for any host.
    """

    def __init__(self, hosts: Iterable[str]) -> None:
        entries = [h.strip().lower().strip("[]").rstrip(".") for h in hosts if h.strip()]
        self.any = "*" in entries
        self.exact = frozenset(e for e in entries if not e.startswith("*"))
        self.suffixes = tuple(e[1:] for e in entries if e.startswith("*."))
        self.hosts = tuple(entries)

    def allows(self, header: str | None) -> bool:
        """Whether a request with this ``Host`` header value is served."""
        if self.any:
            return True
        host = host_of(header)
        if host is None:
            return False
        return host in self.exact or any(host.endswith(s) for s in self.suffixes)


# -- clients --------------------------------------------------------------------------------------
def _address(token: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from one forwarding-header entry (``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``)."""
    t = token.strip().strip('"')
    if t.startswith("["):
        t = t[1:t.find("]")] if "]" in t else ""
    elif t.count(":") == 1:
        t = t.partition(":")[0]
    try:
        return ipaddress.ip_address(t)
    except ValueError:
        return None


def forwarded_for(value: str) -> list[str]:
    """The ``for=`` nodes of an RFC 7239 ``Forwarded`` header, leftmost (original client) first."""
    nodes = []
    for element in value.split(","):
        for pair in element.split(";"):
            key, _, node = pair.strip().partition("=")
            if key.strip().lower() == "for":
                nodes.append(node.strip().strip('"'))
    return nodes


@functools.lru_cache(maxsize=4096)
def client_key(address: str) -> str:
    """The rate-limit key of a client address: IPv6 clients are grouped by their /64 network.

    A single IPv6 host usually owns a whole /64, so one key per address would let it rotate
    through 2**64 addresses; IPv4-mapped IPv6 addresses count as the IPv4 address.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


class ClientResolver:
    """Who the client is: the peer address, or what a trusted proxy says.

    Parameters
    ----------
    trusted_proxies : sequence of str
        Addresses or networks (``10.0.0.1``, ``10.0.0.0/8``, ``::1``) of reverse proxies, or
        ``*`` for any peer. Empty (the default): forwarding headers are ignored.
    header : {"x-forwarded-for", "forwarded"}
        The header the proxies set. Only that one is read: a proxy that sets one usually passes
        the other through from the client untouched.

    Notes
    -----
    With a trusted peer, the header's addresses are walked from the right (the hop nearest to
    this server) past every trusted proxy; the first untrusted address is the client. Addresses
    further left were written by the client itself and are never believed. If every address is
    a trusted proxy, the leftmost is the client; an entry that is not an address (``unknown``,
    an obfuscated ``_name``) is used as the key as it stands.
    """

    def __init__(self, trusted_proxies: Sequence[str] = (),
                 header: str = "x-forwarded-for") -> None:
        from spillwatch.exceptions import ConfigError

        if header not in ("x-forwarded-for", "forwarded"):
            raise ConfigError(f"unknown forwarding header {header!r}; choose one of: "
                              "'x-forwarded-for', 'forwarded'")
        self.header = header
        self.any = "*" in trusted_proxies
        try:
            self.networks = tuple(ipaddress.ip_network(p.strip().strip("[]"), strict=False)
                                  for p in trusted_proxies if p.strip() and p.strip() != "*")
        except ValueError as exc:
            raise ConfigError(f"bad trusted proxy: {exc}; give addresses or networks such as "
                              "10.0.0.1, 10.0.0.0/8, ::1") from None

    @property
    def enabled(self) -> bool:
        """Whether any proxy is trusted."""
        return self.any or bool(self.networks)

    def trusts(self, address: str) -> bool:
        """Whether ``address`` is a trusted proxy."""
        if self.any:
            return True
        ip = _address(address)
        if ip is None:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip.version == n.version and ip in n for n in self.networks)

    def client(self, peer: str, headers: Mapping[str, str]) -> str:
        """The client's address given the connection's ``peer`` and the request headers."""
        if not self.enabled or not self.trusts(peer):
            return peer
        value = headers.get(self.header)
        if not value:
            return peer
        nodes = (forwarded_for(value) if self.header == "forwarded"
                 else [n.strip() for n in value.split(",")])
        nodes = [n for n in nodes if n]
        for node in reversed(nodes):
            ip = _address(node)
            if ip is None:
                return node[:64]
            if not self.trusts(str(ip)):
                return str(ip)
        if not nodes:
            return peer
        first = _address(nodes[0])
        return str(first) if first is not None else nodes[0][:64]


# -- the middleware -------------------------------------------------------------------------------
async def _reply(send: Send, status: int, detail: str,
                 headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header takes gzip (RFC 9110, section 12.5.3).

    ``gzip`` or ``*`` with a quality above zero; ``gzip;q=0`` refuses it (a substring test
    sent gzip to a client that had said no).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("gzip;q=0, br"), accepts_gzip("*")
    (True, False, True)
    >>> accepts_gzip(None), accepts_gzip("identity"), accepts_gzip("x-gzip")
    (False, False, False)
    """
    q_of: dict[str, float] = {}
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            key, _, value = p.strip().partition("=")
            if key.lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name:
            q_of[name.strip().lower()] = q
    return q_of.get("gzip", q_of.get("*", 0.0)) > 0


def _nosniff(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if not any(k.lower() == b"x-content-type-options" for k, _ in headers):
                headers.append((b"x-content-type-options", b"nosniff"))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class ApiGuard:
    """ASGI middleware: trusted hosts, the write gate, the size and rate limits, body timeout.

    Parameters
    ----------
    app : ASGI app
    token : str
        The bearer token writes must present.
    max_body_bytes : int
    read_limit, write_limit : RateLimit or None
        Per-client limits of requests without the token; ``None`` disables that limit (the
        benchmark measures the endpoints, not the limiter).
    token_read_limit, token_write_limit : RateLimit or None
        Per-client limits of requests with the token: separate buckets, so anonymous requests
        never spend the token holder's budget.
    prefix : str
        Only paths under this prefix are rate limited and gated (the page and its static files
        are host-checked and size-limited only).
    is_write : callable, optional
        ``is_write(method, path)`` tells whether a request targets a write endpoint (gated by the
        token). Default: any write method under ``prefix``. The app passes its write routes, so
        a write method on a read-only path is still answered 405 by the router.
    cached : callable, optional
        ``cached(path)`` returns ``(body, gzipped)`` of a cached read (a GET without a query
        string) or ``None``; a hit is answered here, past the limits, without entering the
        router — the same JSON the route sends, gzip-compressed (once, when it was cached) for
        a client that accepts it.
    trusted_hosts : sequence of str
        Host names served (see :class:`TrustedHosts`); ``("*",)`` serves any.
    trusted_proxies : sequence of str
        Reverse proxies whose forwarding header is believed (see :class:`ClientResolver`).
    forwarded_header : {"x-forwarded-for", "forwarded"}
    body_timeout_s : float
        Longest time a request body may take to arrive once the guard starts reading it.
    """

    def __init__(self, app: ASGIApp, *, token: str,
                 max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 read_limit: RateLimit | None = DEFAULT_READ_LIMIT,
                 write_limit: RateLimit | None = DEFAULT_WRITE_LIMIT,
                 token_read_limit: RateLimit | None = DEFAULT_TOKEN_READ_LIMIT,
                 token_write_limit: RateLimit | None = DEFAULT_TOKEN_WRITE_LIMIT,
                 prefix: str = "/api/",
                 is_write: Callable[[str, str], bool] | None = None,
                 cached: Callable[[str], tuple[bytes, bytes | None] | None] | None = None,
                 trusted_hosts: Sequence[str] = DEFAULT_TRUSTED_HOSTS,
                 trusted_proxies: Sequence[str] = (),
                 forwarded_header: str = "x-forwarded-for",
                 body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S) -> None:
        from spillwatch.exceptions import ConfigError

        if not (body_timeout_s > 0 and math.isfinite(body_timeout_s)):
            raise ConfigError(f"body_timeout_s must be a positive number, got {body_timeout_s!r}")
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes

        def buckets(limit: RateLimit | None) -> TokenBuckets | None:
            return TokenBuckets(limit) if limit is not None else None

        # (has the token, is a write) -> buckets
        self.buckets = {(False, False): buckets(read_limit), (False, True): buckets(write_limit),
                        (True, False): buckets(token_read_limit),
                        (True, True): buckets(token_write_limit)}
        self.prefix = prefix
        self.is_write = is_write or (lambda method, _path: method in WRITE_METHODS)
        self.cached = cached
        self.hosts = TrustedHosts(trusted_hosts)
        self.resolver = ClientResolver(trusted_proxies, forwarded_header)
        self.body_timeout_s = body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _nosniff(send)
        raw_headers = scope.get("headers", [])
        if sum(len(k) + len(v) + 4 for k, v in raw_headers) > MAX_HEADER_BYTES:
            await _reply(send, 431, f"request headers over {MAX_HEADER_BYTES} bytes",
                         {"Connection": "close"})
            return
        if len(scope.get("query_string") or b"") > MAX_QUERY_BYTES:
            await _reply(send, 414, f"query string over {MAX_QUERY_BYTES} bytes",
                         {"Connection": "close"})
            return
        headers: dict[str, str] = {}
        for k, v in raw_headers:
            name, value = k.decode("latin-1").lower(), v.decode("latin-1")
            # repeated forwarding headers are one list (RFC 9110 section 5.3)
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if not self.hosts.allows(headers.get("host")):
            shown = (headers.get("host") or "")[:100]
            await _reply(send, 400, f"host {shown!r} is not served here; add it to "
                         "SPILLWATCH_TRUSTED_HOSTS (or spillwatch serve --trusted-host) to "
                         "serve it", {"Connection": "close"})
            return
        peer_host, peer_port = scope.get("client") or ("unknown", 0)
        client = self.resolver.client(peer_host, headers)
        if client != peer_host:
            scope["client"] = (client, peer_port)
        method = scope.get("method", "GET").upper()
        path: str = scope.get("path", "")
        given = bearer_from_header(headers.get("authorization"))
        authed = token_matches(given, self.token)
        api = path.startswith(self.prefix)
        if api and not authed and self.is_write(method, path):
            # a token sent but not this server's is said so: "needs 'Authorization: Bearer'"
            # under the dashboard's token field read as if none had been sent
            await _reply(send, 401, ("the token sent ('Authorization: Bearer …') is not this "
                                     "server's" if given is not None else
                                     "this endpoint needs 'Authorization: Bearer <token>'") +
                         " (the token is $SPILLWATCH_TOKEN, or the one printed when the "
                         "server started)", {"WWW-Authenticate": "Bearer"})
            return
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
        if api:
            buckets = self.buckets[(authed, method in WRITE_METHODS)]
            wait = buckets.take(client_key(client)) if buckets is not None else 0.0
            if wait > 0:
                await _reply(send, 429, "too many requests; slow down",
                             {"Retry-After": str(max(1, math.ceil(wait)))})
                return
        if method in {"GET", "HEAD", "OPTIONS"}:
            if method == "GET" and self.cached is not None and not scope.get("query_string"):
                hit = self.cached(path)
                if hit is not None:
                    body, gzipped = hit
                    raw = [(b"content-type", b"application/json"),
                           (b"cache-control", b"no-cache"), (b"vary", b"Accept-Encoding")]
                    if gzipped is not None and accepts_gzip(headers.get("accept-encoding")):
                        body = gzipped
                        raw.append((b"content-encoding", b"gzip"))
                    raw.append((b"content-length", str(len(body)).encode()))
                    await send({"type": "http.response.start", "status": 200, "headers": raw})
                    await send({"type": "http.response.body", "body": body})
                    return
            mark = ACCEPTS_GZIP.set(accepts_gzip(headers.get("accept-encoding")))
            try:
                await self.app(scope, receive, send)
            finally:
                ACCEPTS_GZIP.reset(mark)
            return
        try:
            with anyio.fail_after(self.body_timeout_s):
                body = await self._read_body(receive)
        except _TooLarge:
            await _reply(send, 413, f"request body over {self.max_body_bytes} bytes",
                         {"Connection": "close"})
            return
        except TimeoutError:
            await _reply(send, 408, f"request body not received within {self.body_timeout_s:g} "
                         "s", {"Connection": "close"})
            return
        except _Disconnected:
            return  # the client left mid-body: nothing to answer, and never act on half a body
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
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)
