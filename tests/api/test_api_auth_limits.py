"""Writes need the token (401 without it, before anything else); CORS is closed by default; size
and rate limits (the server under abuse is tested in ``test_api_hardening.py``)."""

from __future__ import annotations

import asyncio
import json
import os
import stat

import httpx
import numpy as np
import pytest

from spillwatch.api.auth import bearer_from_header, load_or_create_token, resolve_token
from spillwatch.api.limits import RateLimit, TokenBuckets
from spillwatch.exceptions import ConfigError

VALID_BODIES = {
    "/api/scenarios": {"preset": "japan-intervention", "paths": 100, "seed": 1},
    "/api/alerts/rules": {"name": "t401", "fact": "btc.chg_1d_pct", "op": "<=", "value": -8},
    "/api/alerts/silences": {"rule": "stress_crisis", "duration": "1h"},
}


def _write_operations(http):
    spec = http.get("/openapi.json").json()
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
                ops.append((method.upper(), path.replace("{rule_id}", "t401")
                            .replace("{silence_id}", "sil-x"), op))
    return ops


def test_every_write_declares_bearer_auth_and_401(http):
    ops = _write_operations(http)
    assert {m for m, _, _ in ops} == {"POST", "DELETE"}
    assert len(ops) == 6            # with POST /api/risk/portfolio
    for _, _, op in ops:
        assert op["security"] == [{"HTTPBearer": []}]
        assert "401" in op["responses"]


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong-token-0123456789"},
    {"Authorization": "Basic dGVzdDp0ZXN0"}, {"Authorization": "Bearer"},
], ids=["none", "wrong", "basic", "empty"])
def test_writes_without_the_token_get_401(http, headers):
    for method, path, _ in _write_operations(http):
        for content in (json.dumps(VALID_BODIES.get(path, {})), "{not json"):
            r = http.request(method, path, content=content,
                             headers={**headers, "Content-Type": "application/json"})
            assert r.status_code == 401, (method, path, content, r.status_code, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
            assert "Bearer" in r.json()["detail"]


def test_the_gate_comes_before_the_size_limit(http):
    # a write without the token is a 401 whatever else is wrong with it
    r = http.post("/api/scenarios", content=b"x" * 70_000,
                  headers={"Content-Type": "application/json"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


def test_writes_with_the_token_pass_the_gate(http, auth):
    r = http.post("/api/alerts/rules", json=VALID_BODIES["/api/alerts/rules"], headers=auth)
    assert r.status_code == 201, r.text
    assert any(x["name"] == "t401" and x["source"] == "api"
               for x in http.get("/api/alerts/rules").json()["rules"])
    r = http.delete("/api/alerts/rules/t401", headers=auth)
    assert r.status_code == 200 and r.json() == {"id": "t401", "deleted": True}
    assert http.delete("/api/alerts/rules/t401", headers=auth).status_code == 404
    # a malformed body with the token is a validation error, not an auth error
    r = http.post("/api/scenarios", content="{not json", headers={
        **auth, "Content-Type": "application/json"})
    assert r.status_code == 422


def test_a_read_method_on_a_write_path_is_not_gated(http):
    assert http.get("/api/alerts/rules").status_code == 200
    r = http.put("/api/scenarios", json={})
    assert r.status_code == 405 and set(r.headers["allow"].split(", ")) >= {"GET", "POST"}


def test_cors_closed_by_default(http):
    r = http.options("/api/series", headers={"Origin": "https://evil.example",
                                             "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in r.headers
    r = http.get("/api/series", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def _asgi(app, requests):
    """Send ``requests`` (method, path, headers) to an ASGI app in order; return the responses."""

    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://localhost") as c:
            return [await c.request(m, p, headers=h) for m, p, h in requests]

    return asyncio.run(run())


def test_cors_open_to_listed_origins_only(demo_source):
    from spillwatch.api.app import create_app

    app = create_app(demo_source, token="t" * 20, cors_origins=["https://desk.example"],
                     warm=False)
    pre = {"Access-Control-Request-Method": "GET"}
    ok, bad = _asgi(app, [("OPTIONS", "/api/series", {"Origin": "https://desk.example", **pre}),
                          ("OPTIONS", "/api/series", {"Origin": "https://evil.example", **pre})])
    assert ok.headers["access-control-allow-origin"] == "https://desk.example"
    assert "access-control-allow-origin" not in bad.headers


def test_request_body_limit(http, auth):
    big = json.dumps({"preset": "x" * 70_000})
    r = http.post("/api/scenarios", content=big, headers={**auth,
                                                          "Content-Type": "application/json"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: the guard counts the bytes as they stream in
        for _ in range(20):
            yield b"x" * 8192

    r = http.post("/api/scenarios", content=chunks(), headers=auth)
    assert r.status_code == 413


def test_rate_limit_answers_429_with_retry_after(demo_source):
    from spillwatch.api.app import create_app

    app = create_app(demo_source, token="t" * 20, read_limit=RateLimit(0.5, 3), warm=False)
    *got, last, page = _asgi(app, [("GET", "/api/alerts/silences", {})] * 5 + [("GET", "/", {})])
    codes = [r.status_code for r in got]
    # the page itself is not rate limited
    assert codes == [200, 200, 200, 429]
    assert last.status_code == 429 and int(last.headers["retry-after"]) >= 1
    assert page.status_code == 200


def _gcra_reference(times, rate, burst):
    """Generic cell rate algorithm (ITU-T I.371 virtual scheduling): the token bucket's twin."""
    interval, tau, tat, out = 1.0 / rate, (burst - 1) / rate, -np.inf, []
    for t in times:
        if tat - t <= tau + 1e-12:
            tat = max(tat, t) + interval
            out.append(True)
        else:
            out.append(False)
    return out


@pytest.mark.parametrize("rate,burst", [(1.0, 1), (5.0, 3), (50.0, 20), (0.2, 5)])
def test_token_bucket_matches_gcra(rng, rate, burst):
    times = np.cumsum(rng.exponential(1.0 / (rate * 1.7), size=400))
    clock = iter(times.tolist())
    buckets = TokenBuckets(RateLimit(rate, burst), clock=lambda: next(clock))
    ours = [buckets.take("c") == 0.0 for _ in times]
    ref = _gcra_reference(times.tolist(), rate, burst)
    assert ours == ref  # exact: the times are random floats, never on a boundary
    assert 0 < sum(ours) < len(ours)


def test_token_buckets_forget_old_clients():
    t = [0.0]
    b = TokenBuckets(RateLimit(1.0, 1), max_clients=3, clock=lambda: t[0])
    for c in "abcd":
        assert b.take(c) == 0.0
    assert b.take("d") > 0          # d is remembered (bucket empty)
    assert b.take("a") == 0.0       # a was forgotten: a fresh bucket
    assert len(b._buckets) == 3


def test_token_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("SPILLWATCH_TOKEN", raising=False)
    path = tmp_path / "cfg" / "token"
    tok, origin = load_or_create_token(path)
    assert origin == "created" and len(tok) >= 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_token(path) == (tok, "file")
    monkeypatch.setenv("SPILLWATCH_TOKEN", "e" * 24)
    assert load_or_create_token(path) == ("e" * 24, "env")
    with pytest.raises(ConfigError, match="at least 16"):
        resolve_token("short")
    assert bearer_from_header("Bearer abc") == "abc"
    assert bearer_from_header("bearer  abc ") == "abc"
    assert bearer_from_header("Basic abc") is None


def test_page_security_headers(http):
    r = http.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    js = http.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert js.headers["x-content-type-options"] == "nosniff"
    assert http.get("/static/nope.js").status_code == 404
    # FastAPI's /docs and /redoc pull their JavaScript from a CDN: not served here
    assert http.get("/docs").status_code == 404 and http.get("/redoc").status_code == 404
    assert "//" not in "".join(line for line in r.text.splitlines() if "src=" in line)


def test_plotly_is_sent_gzipped_to_a_browser_that_takes_it_and_revalidated_by_its_etag(http):
    """4.8 MB went uncompressed on every dashboard load a day apart (max-age one day, no
    validator): gzip when asked (a quarter of it, the same bytes once inflated), a 304 for the
    copy a browser holds, and plain bytes to a client that refuses gzip."""
    import gzip

    plain = http.get("/static/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with http.stream("GET", "/static/plotly.min.js",
                     headers={"Accept-Encoding": "gzip, deflate, br"}) as r:
        packed = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["vary"] == "Accept-Encoding"
        assert int(r.headers["content-length"]) == len(packed)
    assert len(packed) < len(plain.content) / 3
    assert gzip.decompress(packed) == plain.content
    refused = http.get("/static/plotly.min.js", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "content-encoding" not in refused.headers and refused.content == plain.content
    etag = plain.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    # the gzip body is other bytes: its own strong validator (RFC 9110, 8.8.3)
    zipped = r.headers["etag"]
    assert zipped != etag and zipped.endswith('-gzip"')
    for coding, tag in (("identity", etag), ("gzip", zipped)):
        for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
            again = http.get("/static/plotly.min.js",
                             headers={"If-None-Match": sent, "Accept-Encoding": coding})
            assert again.status_code == 304 and again.content == b"", sent
            assert again.headers["etag"] == tag
    assert http.get("/static/plotly.min.js", headers={
        "If-None-Match": etag, "Accept-Encoding": "gzip"}).status_code == 200
    assert http.get("/static/plotly.min.js",
                    headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.slow
def test_a_view_with_a_query_string_is_sent_gzipped_too(http):
    """A past evening's views (``as_of``) went whole, at about 2.5 times the bytes of the
    latest's: only the guard's fast path for reads without a query string compressed. Every
    cached view is sent gzipped to a client that takes it: the same bytes once inflated."""
    import gzip

    for path, params in (("/api/figures/crypto", {"as_of": "2026-06-30"}),
                         ("/api/stress", {"as_of": "2026-06-30"}),
                         ("/api/summary", {"as_of": "2026-06-30"}),
                         ("/api/stress", {}),
                         # built per request: a window of the panel or of one series
                         ("/api/panel", {"start": "2025-01-01"}),
                         ("/api/series/btc", {"start": "2025-01-01"})):
        plain = http.get(path, params=params, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers, path
        with http.stream("GET", path, params=params,
                         headers={"Accept-Encoding": "gzip, br"}) as r:
            packed = b"".join(r.iter_raw())
            assert r.status_code == 200
            assert r.headers["content-encoding"] == "gzip", (path, params)
            assert r.headers["vary"] == "Accept-Encoding"
            assert int(r.headers["content-length"]) == len(packed)
        assert gzip.decompress(packed) == plain.content and len(packed) < len(plain.content)
        refused = http.get(path, params=params, headers={"Accept-Encoding": "gzip;q=0"})
        assert "content-encoding" not in refused.headers and refused.content == plain.content


def test_a_wrong_token_is_told_from_a_missing_one(http):
    """A token sent but wrong got "this endpoint needs 'Authorization: Bearer <token>'": under
    the dashboard's token field (which sends it) it read as if none had been sent."""
    wrong = http.post("/api/scenarios", json=VALID_BODIES["/api/scenarios"],
                      headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert wrong.status_code == 401
    assert "is not this server's" in wrong.json()["detail"]
    assert "needs" not in wrong.json()["detail"]
    missing = http.post("/api/scenarios", json=VALID_BODIES["/api/scenarios"])
    assert missing.status_code == 401
    assert "this endpoint needs 'Authorization: Bearer <token>'" in missing.json()["detail"]
