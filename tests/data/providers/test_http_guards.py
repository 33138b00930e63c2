"""The provider client's guards: redirects only to the same host or an allow-list, a maximum answer
size, no retries for names that do not resolve, fast failure once the network looks offline, and
JSON that cannot hurt the parser (deep nesting)."""

from __future__ import annotations

import httpx
import pytest
from werkzeug import Request, Response

from spillwatch.data._http import HttpClient, HttpConfig
from spillwatch.data.fetch import fetch
from spillwatch.data.providers._base import json_payload
from spillwatch.data.providers.fred import FredProvider
from spillwatch.data.providers.tic import TicProvider
from spillwatch.exceptions import BadPayload, NetworkError, ProviderError


def test_redirect_to_another_host_is_refused(httpserver, fast):
    # a 302 to a loopback admin URL on another host must not be fetched
    httpserver.expect_request("/x").respond_with_data(
        "", status=302, headers={"Location": "http://127.0.0.2:9/admin/secret"})
    with HttpClient(fast) as c, pytest.raises(ProviderError, match="another host; refused"):
        c.get(httpserver.url_for("/x"), provider="fred")
    assert len(httpserver.log) == 1


def test_redirect_to_the_same_host_is_followed(httpserver, fast):
    httpserver.expect_request("/old").respond_with_data("", status=301,
                                                        headers={"Location": "/new?x=1"})
    httpserver.expect_request("/new").respond_with_data("moved here")
    with HttpClient(fast) as c:
        r = c.get(httpserver.url_for("/old"))
    assert r.text == "moved here" and r.url.endswith("/new?x=1")


def test_redirect_to_an_allowed_host_and_a_loop(fast):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "ticdata.treasury.gov":
            return httpx.Response(302, headers={"Location": "https://home.treasury.gov/t.txt"})
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"Location": "/loop"})
        return httpx.Response(200, text="table")

    with HttpClient(fast, transport=httpx.MockTransport(handler)) as c:
        got = c.get("https://ticdata.treasury.gov/t.txt",
                    allow_hosts=("home.treasury.gov",))
        assert got.text == "table"
        with pytest.raises(ProviderError, match="another host"):
            c.get("https://ticdata.treasury.gov/t.txt")
        with pytest.raises(ProviderError, match="more than 5 redirects"):
            c.get("https://home.treasury.gov/loop")


def test_oversized_answer_is_refused_declared_or_streamed(httpserver, fast):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)

    def chunked(request: Request) -> Response:
        return Response((b"y" * 1000 for _ in range(10)), content_type="text/plain")

    httpserver.expect_request("/stream").respond_with_handler(chunked)
    with HttpClient(fast) as c:
        with pytest.raises(ProviderError, match=r"announced 5,000 bytes, over the 1,024 bytes "
                           r"limit for fred"):
            c.get(httpserver.url_for("/big"), provider="fred", max_bytes=1024)
        with pytest.raises(ProviderError, match="sent more than"):
            c.get(httpserver.url_for("/stream"), provider="fred", max_bytes=1024)
        assert len(c.get(httpserver.url_for("/big"), max_bytes=5000).content) == 5000
    assert len(httpserver.log) == 3  # refused answers are not retried


def test_a_provider_answer_over_its_limit_writes_nothing(httpserver, fast, store):
    httpserver.expect_request("/resource-center/data-chart-center/tic/Documents/slt_table5.txt"
                              ).respond_with_data(b"Table 5\n" + b" " * (9 << 20))
    res = fetch(store, series=["tic"], config=fast,
                providers={"tic": TicProvider(httpserver.url_for(""))})
    assert "over the 8.0 MiB limit for tic" in res.errors["tic"] and store.count() == 0


def test_unresolvable_host_is_not_retried_and_offline_is_detected(fast):
    sleeps: list[float] = []
    cfg = HttpConfig(**{**vars(fast), "retries": 4})
    with HttpClient(cfg, sleep=sleeps.append) as c:
        with pytest.raises(NetworkError, match=r"does not resolve.*not retried"):
            c.get("http://spillwatch-test-one.invalid/x", provider="fred")
        assert sleeps == [] and not c.offline
        with pytest.raises(NetworkError, match="does not resolve"):
            c.get("http://spillwatch-test-two.invalid/x", provider="tic")
        assert c.offline
        with pytest.raises(NetworkError, match="not attempted: the network looks unreachable"):
            c.get("http://spillwatch-test-three.invalid/x", provider="binance")
        assert sleeps == []  # no retry waited on an unresolvable host


def test_offline_fetch_is_fast_with_one_line_per_source(store, fast):
    dead = "http://spillwatch-offline.invalid"
    provs = {"fred": FredProvider(dead, min_interval=0.0), "tic": TicProvider(dead)}
    cfg = HttpConfig(**{**vars(fast), "retries": 4, "backoff": 1.0})
    res = fetch(store, series=["fred:DGS2", "fred:DGS10", "tic"], config=cfg, providers=provs)
    # fast by construction: an unresolvable host is never retried (no backoff of 1 s x 4)
    assert all("not retried" in line or "not attempted" in line for line in res.failure_lines)
    assert res.offline and not res.ok and len(res.failure_lines) == 3
    assert all("\n" not in line for line in res.failure_lines)
    assert store.runs().iloc[0]["status"] == "error"


def test_deeply_nested_json_is_a_bad_payload():
    class Resp:
        content = b"[" * 100_000 + b"]" * 100_000

        def json(self):
            import json

            return json.loads(self.content)

    with pytest.raises(BadPayload, match="nested too deeply"):
        json_payload("binance", Resp(), url="u")


def test_a_stop_ends_the_wait_for_a_silent_server_and_a_retry(fast):
    # a SIGTERM to the monitor waited out a hanging server's deadline and every retry (150 s
    # against a systemd stop timeout of 90 s)
    import socket
    import threading
    import time

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:              # accepts and never answers
        srv.settimeout(0.2)
        while not done.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{srv.getsockname()[1]}/x"
    cfg = HttpConfig(**{**vars(fast), "deadline": 30.0, "read_timeout": 30.0, "retries": 3})
    t0 = time.monotonic()
    stop_at = t0 + 0.6
    try:
        with HttpClient(cfg, should_stop=lambda: time.monotonic() > stop_at) as c:
            with pytest.raises(NetworkError, match=r"stopped while waiting \(SIGTERM\)"):
                c.get(url, provider="fred")
            tried = len(held)
            with pytest.raises(NetworkError, match=r"not fetched: stopping \(SIGTERM\)"):
                c.get(url, provider="fred")
    finally:
        done.set()
        for s in held:
            s.close()
        srv.close()
    assert tried == 1                   # stopped in the first attempt: no retry was made
