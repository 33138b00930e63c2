"""The server under abuse (issue 19): floods, forged client addresses, slow clients, foreign hosts.

The tests talk to the app over real sockets through ``spillwatch serve``'s own server
configuration (:func:`spillwatch.api.server.server_config`: the timed h11 protocol, no banner, no
proxy headers at the uvicorn level), each on a server of its own so rate-limit state never leaks
between tests. Rates refill at 0.01 token a second: over a test's few seconds that is well under
one token, so the counts below are exact.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time

import httpx
import pytest

from spillwatch.alerts.rules import render
from spillwatch.alerts.schema import FIELD_MAX_WIDTH, SUMMARY_MAX_CHARS
from spillwatch.api.app import create_app
from spillwatch.api.limits import ClientResolver, RateLimit, TrustedHosts, client_key, host_of
from spillwatch.api.server import BODY_BACKSTOP_GRACE_S
from spillwatch.exceptions import ConfigError

TOKEN = "hardening-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WRONG = {"Authorization": "Bearer wrong-token-0123456789"}
READ = "/api/alerts/silences"
HEADER_S = 1.0
BODY_S = 1.0
N_DRIPPERS = 200


def _limit(burst: int) -> RateLimit:
    return RateLimit(per_second=0.01, burst=burst)


def _app(demo_source, **options):
    return create_app(demo_source, token=TOKEN, warm=False, **options)


def _rule(name: str, summary: str = "") -> dict:
    return {"name": name, "fact": "stress.percentile", "op": ">=", "value": 0,
            "summary": summary}


# -- authentication before rate limiting --------------------------------------------------------
def test_an_anonymous_flood_does_not_lock_out_the_token_holder(demo_source, serve):
    app = _app(demo_source, read_limit=_limit(5), write_limit=_limit(3),
               token_read_limit=_limit(8), token_write_limit=_limit(4))
    with serve(app) as url, httpx.Client(base_url=url, timeout=30) as c:
        # the flood, from the holder's own address (everything here is 127.0.0.1)
        reads = [c.get(READ).status_code for _ in range(40)]
        assert reads == [200] * 5 + [429] * 35
        # writes without the token, or with a wrong one, are 401 — never 429 — and spend nothing
        for headers in ({}, WRONG):
            for _ in range(25):
                r = c.post("/api/alerts/rules", json=_rule("flood"), headers=headers)
                assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
                r = c.delete("/api/alerts/rules/flood", headers=headers)
                assert r.status_code == 401
        # a write method on a read-only path is not gated; it spends the anonymous write budget
        assert [c.put("/api/scenarios", json={}).status_code for _ in range(5)] == (
            [405] * 3 + [429] * 2)
        # a wrong token is anonymous: its reads are refused with the flood's
        assert c.get(READ, headers=WRONG).status_code == 429
        # the holder still gets through, reads and writes...
        assert c.get(READ, headers=AUTH).status_code == 200
        r = c.post("/api/alerts/rules", json=_rule("holder_ok"), headers=AUTH)
        assert r.status_code == 201, r.text
        assert c.delete("/api/alerts/rules/holder_ok", headers=AUTH).status_code == 200
        # ...within a budget of its own (8 reads, 4 writes; 1 and 2 spent above)
        assert [c.get(READ, headers=AUTH).status_code for _ in range(9)] == [200] * 7 + [429] * 2
        writes = [c.delete("/api/alerts/rules/nosuch", headers=AUTH) for _ in range(4)]
        assert [w.status_code for w in writes] == [404, 404, 429, 429]
        assert int(writes[-1].headers["retry-after"]) >= 1
        # and the anonymous flood is still refused
        assert c.get(READ).status_code == 429


# -- proxy headers --------------------------------------------------------------------------------
def test_a_rotating_forwarding_header_does_not_bypass_the_limit(demo_source, serve):
    with serve(_app(demo_source, read_limit=_limit(5))) as url, \
            httpx.Client(base_url=url, timeout=30) as c:
        codes = []
        for i in range(30):
            fake = f"198.51.100.{i}"
            codes.append(c.get(READ, headers={
                "X-Forwarded-For": fake, "Forwarded": f"for={fake}", "X-Real-IP": fake,
            }).status_code)
        assert codes == [200] * 5 + [429] * 25


def test_a_trusted_proxy_names_the_client_and_cannot_be_fooled(demo_source, serve):
    app = _app(demo_source, read_limit=_limit(2), trusted_proxies=["127.0.0.1"])
    with serve(app) as url, httpx.Client(base_url=url, timeout=30) as c:
        # behind the trusted proxy, each client has its own budget
        for i in range(4):
            codes = [c.get(READ, headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                     for _ in range(3)]
            assert codes == [200, 200, 429]
        # a client writing its own X-Forwarded-For: the proxy appends the real address, and
        # only the rightmost untrusted entry is believed, so rotating the forged part is useless
        codes = [c.get(READ, headers={"X-Forwarded-For": f"10.{i}.0.1, 203.0.113.50"})
                 .status_code for i in range(8)]
        assert codes == [200, 200] + [429] * 6
        # a chain of trusted proxies is walked past
        codes = [c.get(READ, headers={"X-Forwarded-For": "203.0.113.60, 127.0.0.1"}).status_code
                 for _ in range(3)]
        assert codes == [200, 200, 429]
        # the RFC 7239 header is not the configured one: ignored, the proxy itself is the client
        codes = [c.get(READ, headers={"Forwarded": f"for=192.0.2.{i}"}).status_code
                 for i in range(3)]
        assert codes == [200, 200, 429]


def test_forwarded_header_and_ipv6_clients_grouped_by_network(demo_source, serve):
    app = _app(demo_source, read_limit=_limit(3), trusted_proxies=["127.0.0.0/8"],
               forwarded_header="forwarded")
    with serve(app) as url, httpx.Client(base_url=url, timeout=30) as c:
        # one IPv6 host owns a /64: rotating the interface part does not bypass the limit
        codes = [c.get(READ, headers={"Forwarded": f'for="[2001:db8:0:7::{i:x}]:4711";proto=http'})
                 .status_code for i in range(1, 9)]
        assert codes == [200] * 3 + [429] * 5
        # another /64 is another client
        assert c.get(READ, headers={"Forwarded": 'for="[2001:db8:0:8::1]"'}).status_code == 200


@pytest.mark.parametrize("trusted,header,peer,value,client", [
    ((), "x-forwarded-for", "127.0.0.1", "1.2.3.4", "127.0.0.1"),
    (("10.0.0.0/8",), "x-forwarded-for", "127.0.0.1", "1.2.3.4", "127.0.0.1"),
    (("10.0.0.0/8",), "x-forwarded-for", "10.1.2.3", "1.2.3.4", "1.2.3.4"),
    (("10.0.0.0/8",), "x-forwarded-for", "10.1.2.3", "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
    (("10.0.0.0/8",), "x-forwarded-for", "10.1.2.3", "1.2.3.4:5678", "1.2.3.4"),
    (("10.0.0.0/8",), "x-forwarded-for", "10.1.2.3", "10.0.0.8, 10.0.0.9", "10.0.0.8"),
    (("10.0.0.0/8",), "x-forwarded-for", "10.1.2.3", "unknown", "unknown"),
    (("10.0.0.0/8",), "x-forwarded-for", "10.1.2.3", "", "10.1.2.3"),
    (("::1",), "forwarded", "::1", 'for=192.0.2.43, for="[2001:db8::17]:4711"',
     "2001:db8::17"),
    (("::1",), "forwarded", "::1", "for=_hidden;proto=https", "_hidden"),
    (("*",), "forwarded", "192.0.2.9", "proto=https;for=198.51.100.1", "198.51.100.1"),
])
def test_client_resolution(trusted, header, peer, value, client):
    resolver = ClientResolver(trusted, header)
    assert resolver.client(peer, {header: value} if value else {}) == client


def test_client_keys_and_bad_proxy_settings():
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff:1") == "2001:db8::/64"
    assert client_key("2001:db8:0:1::1") != client_key("2001:db8::1")
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_key("192.0.2.1") == "192.0.2.1" and client_key("unknown") == "unknown"
    with pytest.raises(ConfigError, match="trusted proxy"):
        ClientResolver(["not-an-address"])
    with pytest.raises(ConfigError, match="x-forwarded-for"):
        ClientResolver([], "x-real-ip")
    assert RateLimit.parse("50:200") == RateLimit(50.0, 200)
    assert RateLimit.parse("0.5:3") == RateLimit(0.5, 3) and RateLimit.parse("off") is None
    for bad in ("fast", "50", "0:5", "5:0", "-1:3"):
        with pytest.raises(ConfigError):
            RateLimit.parse(bad)


# -- slow clients ---------------------------------------------------------------------------------
async def _drip(port: int, first: bytes, more: bytes | list[bytes], *, lead: bytes = b"",
                every: float = 0.25, wait: float = 0.0, limit: float = 6.0
                ) -> tuple[float, bytes]:
    """Send ``first``; after ``wait`` s send ``lead``, then ``more`` every ``every`` s.

    ``more`` is repeated until the server closes, or, given as a list, sent once chunk by chunk.
    Returns the seconds from the start of the drip (``lead``, or connecting when ``wait`` is 0)
    to the close, and what the server sent; ``inf`` if it was still open after ``limit`` s.
    """
    loop = asyncio.get_running_loop()
    start = loop.time()  # before connecting: never later than the server's own clock starts
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(first)

    async def feed() -> None:
        nonlocal start
        if wait:
            await asyncio.sleep(wait)
            start = loop.time()
        chunks = iter(more) if isinstance(more, list) else None
        try:
            writer.write(lead)
            while True:
                chunk = more if chunks is None else next(chunks, None)
                if not chunk:
                    return
                writer.write(chunk)
                await writer.drain()
                await asyncio.sleep(every)
        except OSError:
            return

    feeder = asyncio.create_task(feed())
    got = b""
    try:
        async with asyncio.timeout(limit):
            while chunk := await reader.read(65536):
                got += chunk
        elapsed = loop.time() - start
    except TimeoutError:
        elapsed = float("inf")
    except OSError:
        elapsed = loop.time() - start
    feeder.cancel()
    writer.close()
    return elapsed, got


@pytest.mark.slow
def test_slow_clients_are_cut_within_the_stated_timeouts(demo_source, serve):
    app = _app(demo_source, body_timeout_s=BODY_S)
    head = b"GET /api/alerts/silences HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    post = (b"POST /api/alerts/rules HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + TOKEN.encode() + b"\r\nContent-Type: application/json\r\nContent-Length: 200\r\n"
            b"\r\n{")
    drip = b"X-Drip: 1\r\n"

    async def run(port: int):
        return await asyncio.gather(
            _drip(port, b"", b""),                                   # connects, sends nothing
            _drip(port, head + b"\r\n", drip, lead=head, wait=0.3),  # kept alive, then drips
            _drip(port, post, b" "),                                 # a body byte at a time
            _drip(port, head + b"Content-Length: 99\r\n\r\n", b" "),  # a body no one reads
            _drip(port, b"GET /api/alerts/silences HTTP/1.1\r\n",    # slow, but in time
                  [b"Host: 127.0.0.1\r\n", b"Connection: close\r\n", b"\r\n"], every=0.2),
            *[_drip(port, head, drip) for _ in range(N_DRIPPERS)])

    with serve(app, header_timeout_s=HEADER_S, body_timeout_s=BODY_S) as url:
        idle, kept, body, unread, in_time, *dripped = asyncio.run(run(int(url.rsplit(":", 1)[1])))
    slack = 1.0  # two shared cores; the cut itself is a timer in the server's event loop
    cuts = sorted(t for t, _ in dripped)
    assert cuts[0] >= HEADER_S * 0.9 and cuts[-1] <= HEADER_S + slack, (cuts[0], cuts[-1])
    assert all(got.startswith(b"HTTP/1.1 408 ") and b"nosniff" in got for _, got in dripped)
    assert b"request headers not received within 1 s" in dripped[0][1]
    # nothing sent: closed silently at the header deadline
    assert HEADER_S * 0.9 <= idle[0] <= HEADER_S + slack and idle[1] == b""
    # a kept-alive connection: the first answer, then the next request's headers are cut
    assert kept[1].startswith(b"HTTP/1.1 200 ") and b"HTTP/1.1 408 " in kept[1]
    assert HEADER_S * 0.9 <= kept[0] <= HEADER_S + slack
    # a dripping body: the guard answers 408 in JSON (through uvicorn: it has a date header)
    assert BODY_S * 0.9 <= body[0] <= BODY_S + slack
    assert body[1].startswith(b"HTTP/1.1 408 ") and b"date: " in body[1]
    assert b'{"detail": "request body not received within 1 s"}' in body[1]
    # a body nobody reads (the GET was answered at once): closed by the protocol's backstop
    assert unread[1].startswith(b"HTTP/1.1 200 ")
    assert BODY_S <= unread[0] <= BODY_S + BODY_BACKSTOP_GRACE_S + slack
    # a request head that is slow but complete in time is served (a cut would be a 408)
    assert in_time[1].startswith(b"HTTP/1.1 200 ") and in_time[0] <= HEADER_S + slack


# -- hosts, headers, banner -----------------------------------------------------------------------
def test_a_foreign_host_header_is_refused(demo_source, serve):
    with serve(_app(demo_source)) as url, httpx.Client(base_url=url, timeout=30) as c:
        port = url.rsplit(":", 1)[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}",
                     "localhost."):
            assert c.get(READ, headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", f"evil.example:{port}", "localhost.evil.example",
                     "127.0.0.1.nip.io", "localhost@evil.example", "[::2]", "::1", ""):
            r = c.get(READ, headers={"Host": host})
            assert r.status_code == 400, host
            assert "not served here" in r.json()["detail"]
            assert r.headers["x-content-type-options"] == "nosniff"
        # the page and writes are checked too, before the token
        assert c.get("/", headers={"Host": "evil.example"}).status_code == 400
        r = c.post("/api/alerts/rules", json=_rule("h"), headers={**AUTH, "Host": "evil.example"})
        assert r.status_code == 400


def test_trusted_hosts_are_configurable():
    assert host_of("Example.ORG:8050") == "example.org" and host_of("[::1]:80") == "::1"
    assert host_of("a b") is None and host_of("[::1]x") is None and host_of(None) is None
    hosts = TrustedHosts(["dash.example.org", "*.corp.example", "[::1]"])
    assert hosts.allows("dash.example.org:443") and hosts.allows("a.corp.example")
    assert hosts.allows("[::1]:8050")
    assert not hosts.allows("corp.example") and not hosts.allows("localhost")
    assert not hosts.allows("dash.example.org.evil.example")
    assert TrustedHosts(["*"]).allows("anything.example")


def _raw(url: str, request: bytes, *, whole: bool = True) -> bytes:
    """Send ``request`` on a socket (at once, or 4 KiB at a time) and read until closed."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        for i in range(0, len(request), len(request) if whole else 4096):
            try:
                sock.sendall(request[i:i + (len(request) if whole else 4096)])
            except OSError:  # the server answered and closed before the rest
                break
            if not whole:
                time.sleep(0.01)
        got = b""
        try:
            while chunk := sock.recv(65536):
                got += chunk
        except ConnectionResetError:
            pass
    return got


def test_nosniff_on_every_response_and_no_server_banner(demo_source, serve):
    app = _app(demo_source, read_limit=_limit(30), token_write_limit=_limit(30),
               max_body_bytes=4096)

    @app.get("/api/test-crash", include_in_schema=False)
    def crash() -> None:  # a bug in a route: Starlette answers 500 outside every middleware
        raise RuntimeError("a bug")

    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        # what uvicorn itself answers: an unparsable request, a head over 16 KiB still
        # incomplete (sent in pieces); a head over 16 KiB that arrives whole: the guard's 431
        big = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000
        for request, status in ((b"NOT HTTP AT ALL\r\n\r\n", b"400"), (big, b"400"),
                                (big + b"\r\n\r\n", b"431")):
            got = _raw(url, request, whole=status == b"431")
            assert got.startswith(b"HTTP/1.1 " + status + b" "), got[:200]
            head = got.split(b"\r\n\r\n")[0].lower()
            assert b"x-content-type-options: nosniff" in head and b"server:" not in head
        logger = logging.getLogger("uvicorn.error")
        logger.disabled = True  # the traceback of the test's own crash is expected
        try:
            # on a connection of its own: uvicorn closes the connection of a request whose
            # app raised, and a pooled client could race that close on its next request
            responses = [httpx.get(f"{url}/api/test-crash", timeout=60)]
        finally:
            logger.disabled = False
        responses += [
            c.get("/"), c.get("/openapi.json"), c.get("/static/dashboard.js"),
            c.get("/static/nope.js"), c.get(READ), c.get("/api/series/nosuch"),
            c.get("/api/stress?days=-1"), c.put("/api/scenarios", json={}),
            c.post("/api/scenarios", json={}), c.post("/api/scenarios", json={}, headers=AUTH),
            c.post("/api/scenarios", content=b"x" * 5000, headers=AUTH),
            c.get(READ, headers={"Host": "evil.example"}), c.get("/nosuch"),
        ]
        while (r := c.get(READ)).status_code != 429:
            pass
        responses.append(r)
    codes = {r.status_code for r in responses}
    assert codes >= {200, 400, 401, 404, 405, 413, 422, 429, 500}, codes
    for r in responses:
        assert r.headers.get("x-content-type-options") == "nosniff", (r.request.url, r.status_code)
        assert "server" not in r.headers, (r.request.url, r.headers["server"])


# -- rule templates -------------------------------------------------------------------------------
def test_rule_templates_any_unicode_bounded_width_and_length(http, auth):
    summary = "🚨 {rule} at {value:>8.1f} — ünïcode ✓ 日本語 👩🏽‍💻 مرحبا e\u0301"
    r = http.post("/api/alerts/rules", json=_rule("unicode_ok", summary), headers=auth)
    try:
        assert r.status_code == 201, r.text
        assert r.json()["item"]["summary"] == summary
        stored = next(x for x in http.get("/api/alerts/rules").json()["rules"]
                      if x["name"] == "unicode_ok")
        assert stored["summary"] == summary
        fired = next(a for a in http.get("/api/alerts").json()["alerts"]
                     if a["rule"] == "unicode_ok")
        assert fired["state"] == "firing"
        text = render(stored["summary"], {"value": fired["value"]}, {"rule": "unicode_ok"})
        assert text.startswith("🚨 unicode_ok at ") and text.endswith("مرحبا e\u0301")
        assert f"{fired['value']:>8.1f}" in text
    finally:
        http.delete("/api/alerts/rules/unicode_ok", headers=auth)
    # wide fields, long templates, nested fields: a clear 422 naming the problem
    for bad, says in [("{rule:>20000000}", f"at most {FIELD_MAX_WIDTH}"),
                      ("{value:.100000f}", "asks for 100000 characters"),
                      ("{rule:{value}}", "nested"),
                      ("😀" * (SUMMARY_MAX_CHARS + 1), f"at most {SUMMARY_MAX_CHARS}"),
                      ("{rule", "not a valid template")]:
        r = http.post("/api/alerts/rules", json=_rule("bad_tpl", bad), headers=auth)
        assert r.status_code == 422, (bad, r.status_code)
        assert says in str(r.json()["detail"]), (bad, r.json())
    assert not any(x["name"] == "bad_tpl" for x in http.get("/api/alerts/rules").json()["rules"])
