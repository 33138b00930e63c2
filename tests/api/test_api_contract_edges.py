"""Edges of the API's contract that no other test pinned (found by mutation testing).

Each test uses the demo market or the guard around a tiny ASGI app, and asks nothing that builds
a view: the answers here are refusals and headers, decided before any computation.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from spillwatch.api.auth import bearer_from_header
from spillwatch.api.limits import ApiGuard, RateLimit, TokenBuckets

TOKEN = "edge-token-0123456789abcdef"
HIGH = RateLimit(per_second=10_000.0, burst=100_000)


class Client:
    """Requests to an app in this process (httpx's ASGI transport: starlette's TestClient
    warns), on a trusted host; the app's own source is closed on leaving."""

    def __init__(self, app, *, close: bool = False) -> None:
        self.app, self.close = app, close

    def request(self, method: str, url: str, **kw) -> httpx.Response:
        async def run() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                         base_url="http://localhost", timeout=60) as c:
                return await c.request(method, url, **kw)

        return asyncio.run(run())

    def get(self, url: str, **kw) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw) -> httpx.Response:
        return self.request("POST", url, **kw)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        if self.close:
            self.app.state.source.close()


def _app(source, **kw):
    from spillwatch.api.app import create_app

    return create_app(source, token=TOKEN, read_limit=HIGH, write_limit=HIGH,
                      token_read_limit=HIGH, token_write_limit=HIGH, warm=False, **kw)


@pytest.fixture(scope="module")
def client(demo_source):
    return Client(_app(demo_source))


def test_a_get_refuses_the_query_parameter_of_the_path_s_post(client):
    """``stream`` is POST /api/scenarios's parameter: GET /api/scenarios?stream=banana answered
    200 with the presets, as if the caller had asked nothing (every other GET names what it
    does not take)."""
    r = client.get("/api/scenarios", params={"stream": "banana"})
    assert r.status_code == 400, r.text
    assert r.json()["detail"] == ("unknown query parameter(s) stream; /api/scenarios takes: "
                                  "no query parameters")
    # the POST still takes it (refused here for the missing token, not for the parameter)
    assert client.post("/api/scenarios?stream=true", json={}).status_code == 401


def test_each_preset_says_the_holdings_it_is_sized_on(client):
    """A preset sells a share of holdings: its description says which (the demo: the fallback
    book), as the CLI's list does."""
    r = client.get("/api/scenarios")
    assert r.status_code == 200, r.text
    presets = r.json()["presets"]
    assert presets and all(p["description"].endswith("(holdings: fallback (spring 2025))")
                           for p in presets), presets


@pytest.mark.parametrize("path", ["/api/stress?as_of=0", "/api/summary?as_of=1744156800",
                                  "/api/risk?as_of=2025-04-09T00:00",
                                  "/api/series/ust10y?start=0"])
def test_a_get_view_s_date_is_written_yyyy_mm_dd(client, path):
    """pydantic alone reads '0' as 1970-01-01 and a datetime at midnight as its date: a view
    of an evening the caller did not write (the POST bodies were pinned, the GETs not)."""
    r = client.get(path)
    assert r.status_code == 422, r.text
    assert "YYYY-MM-DD" in r.text


def test_a_query_parameter_given_twice_is_refused(client):
    """``?days=30&days=0`` asks two things; FastAPI would read the last one."""
    r = client.get("/api/stress?days=30&days=0")
    assert r.status_code == 400
    assert r.json()["detail"] == ("query parameter(s) days given more than once; each takes "
                                  "one value")


def test_every_operation_declares_the_guard_s_answers(client):
    """The guard may answer any request 400, 408, 413, 414, 429 (with Retry-After) or 431:
    every operation of the spec says so, so a generated client knows to wait on a 429."""
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert {"400", "408", "413", "414", "429", "431"} <= codes, (method, path)
            assert "Retry-After" in op["responses"]["429"]["headers"], (method, path)


EVENING = "2024-06-28"


def test_a_past_evening_s_history_is_the_days_asked_for(client):
    """``days`` is part of a past evening's view: ``days=30`` then ``days=0`` of one evening are
    two histories (one cache entry for both served the first to the second), each ending on
    or before that evening."""
    import pandas as pd

    month = client.get("/api/stress", params={"as_of": EVENING, "days": 30})
    every = client.get("/api/stress", params={"as_of": EVENING, "days": 0})
    assert month.status_code == every.status_code == 200
    m, e = month.json()["history"]["index"], every.json()["history"]["index"]
    assert len(e) > len(m) > 0
    assert e[-1] == m[-1] <= EVENING
    assert pd.Timestamp(m[0]) >= pd.Timestamp(m[-1]) - pd.Timedelta(days=30)


def test_each_figure_of_a_past_evening_is_itself(client):
    """Two figures of one evening are two figures (one cache key for all the evening's figures
    served the first one asked under every name)."""
    for name in ("stress_gauge", "stress_history"):
        r = client.get(f"/api/figures/{name}", params={"as_of": EVENING})
        assert r.status_code == 200, r.text
        assert r.json()["name"] == name


def test_spillover_of_named_assets_is_theirs_beside_the_standard_one(client):
    """``assets`` picks the series (the CLI's --assets), now and on a past evening, whatever
    the standard view cached before it: a key without the assets served the standard five."""
    for when in ({}, {"as_of": EVENING}):
        standard = client.get("/api/spillover", params=when)
        named = client.get("/api/spillover", params={**when, "assets": "ust10y,btc"})
        assert standard.status_code == named.status_code == 200, (standard.text, named.text)
        assert len(standard.json()["net"]) > 2
        assert sorted(named.json()["net"]) == ["btc_pct", "ust10y_bp"]
        if when:
            assert named.json()["date"] == standard.json()["date"] <= EVENING


def test_a_window_of_one_day_is_that_day(client):
    """``start`` equal to ``end`` is a window of one day (as the CLI's --start/--end), not a
    window "whose start is after its end" (409)."""
    one = {"start": EVENING, "end": EVENING}
    series = client.get("/api/series/ust10y", params=one)
    assert series.status_code == 200, series.text
    assert series.json()["dates"] == [EVENING]
    panel = client.get("/api/panel", params={**one, "columns": "ust10y_bp"})
    assert panel.status_code == 200, panel.text
    assert panel.json()["frame"]["index"] == [EVENING]


def test_an_unknown_preset_is_a_404_naming_the_presets(client):
    """No such item (404), streamed or not, before anything runs: not a 409 "cannot be done"."""
    from spillwatch.scenarios import PRESETS

    auth = {"Authorization": f"Bearer {TOKEN}"}
    for path in ("/api/scenarios", "/api/scenarios?stream=true"):
        r = client.post(path, json={"preset": "no-such-preset", "paths": 100}, headers=auth)
        assert r.status_code == 404, r.text
        assert r.json()["detail"] == ("unknown preset 'no-such-preset'; choose one of: "
                                      + ", ".join(PRESETS))


def test_a_store_gone_under_the_server_is_a_503_with_retry_after(tmp_path):
    """The store's failure is a 503 the client may retry, so it says when (``Retry-After``, as
    the spec declares for every 503), on a view and on a write alike."""
    import pandas as pd

    from spillwatch.data.source import open_source
    from spillwatch.store import Store

    db = tmp_path / "s.duckdb"
    Store(db).upsert(pd.DataFrame({"series_id": "fred:DGS10",
                                   "ts": pd.date_range("2024-01-01", periods=5),
                                   "value": [4.0, 4.1, 4.2, 4.1, 4.0]}))
    source = open_source(db, read_only=True)
    with Client(_app(source)) as c:
        db.rename(tmp_path / "away.duckdb")
        for r in (c.get("/api/alerts/silences"), c.get("/api/stress", params={"as_of":
                                                                               "2024-01-04"})):
            assert r.status_code == 503, r.text
            assert "no longer exists" in r.json()["detail"]
            assert r.headers["Retry-After"] == "30"


def test_a_cached_read_sees_new_data_once_the_probe_is_due(tmp_path):
    """The guard answers a cached view without the router, but not past the probe interval:
    with ``refresh_s=0`` every read asks whether the data changed, and a point imported while
    the server runs is in the next /api/health (a peek that ignored the interval served the
    first answer for as long as reads kept coming)."""
    import pandas as pd

    from spillwatch.data.source import open_source
    from spillwatch.store import Store

    store = Store(tmp_path / "s.duckdb")
    rows = pd.DataFrame({"series_id": "fred:DGS10", "ts": pd.date_range("2024-01-01", periods=6),
                         "value": [4.0, 4.1, 4.2, 4.1, 4.0, 4.2]})
    store.upsert(rows.iloc[:5])
    with Client(_app(open_source(store), refresh_s=0.0)) as c:
        def last() -> str:
            r = c.get("/api/health")
            assert r.status_code == 200, r.text
            return r.json()["detail"]["latest"]["ust10y"]["date"]

        assert last() == last() == "2024-01-05"
        store.upsert(rows.iloc[5:])
        assert last() == "2024-01-06"


def test_a_scenario_is_a_preset_or_sellers_not_both(client):
    """A preset and sellers in one request ask two scenarios: a 409 saying to give one, before
    anything is fitted (the run took the preset's name and the sellers' sales)."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for body in ({"preset": "japan-intervention", "sellers": ["japan:10bn:1w"], "paths": 100},
                 {"paths": 100}):
        r = client.post("/api/scenarios", json=body, headers=auth)
        assert r.status_code == 409, r.text
        assert r.json()["detail"] == ("give either a preset or sellers (e.g. "
                                      "['japan:100e9:4w'])")


def test_a_book_of_zero_lines_is_refused_before_anything_runs(client):
    """Every line zero is no book (the CLI's file of zeros is refused): a 409 saying so."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/scenarios", headers=auth, json={
        "preset": "japan-intervention", "paths": 100,
        "portfolio": [{"asset": "btc", "weight": 0}, {"asset": "ust10y", "weight": 0.0}]})
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == "the portfolio is empty: every line is zero"


@pytest.mark.parametrize("field, value", [("paths", 99), ("paths", 20_001), ("paths", True),
                                          ("seed", False), ("horizon", True), ("horizon", 0),
                                          ("seed", 2**32)])
def test_a_monte_carlo_setting_out_of_its_range_is_a_422(client, field, value):
    """The ranges the spec declares (paths 100 to 20,000, horizon from 1 day, seed below
    2**32), and no true/false for a number (JSON true read as 1: a one-day horizon)."""
    r = client.post("/api/scenarios", headers={"Authorization": f"Bearer {TOKEN}"},
                    json={"preset": "japan-intervention", field: value})
    assert r.status_code == 422, r.text
    (err,) = r.json()["detail"]
    assert err["loc"] == ["body", field]


@pytest.mark.parametrize("path, body, loc", [
    ("/api/scenarios", {"preset": "japan-intervention", "path": 200}, ["body", "path"]),
    ("/api/scenarios", {"preset": "japan-intervention",
                        "portfolio": [{"asset": f"csv:A{i}", "weight": 1.0} for i in range(21)]},
     ["body", "portfolio"]),
    ("/api/risk/portfolio", {"portfolio": [{"asset": f"csv:A{i}", "weight": 1.0}
                                           for i in range(21)]}, ["body", "portfolio"]),
    ("/api/risk/portfolio", {"portfolio": [{"asset": "a" * 65, "weight": 1.0}]},
     ["body", "portfolio", 0, "asset"]),
])
def test_a_body_field_misspelt_or_a_book_past_twenty_lines_is_a_422(client, path, body, loc):
    """A misspelt field (``path`` for ``paths``) would run the default silently; a book is at
    most 20 lines and an asset id at most 64 characters, as the spec says."""
    r = client.post(path, headers={"Authorization": f"Bearer {TOKEN}"}, json=body)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["detail"]] == [loc]


# -- the guard ----------------------------------------------------------------------------------

async def _ok(scope, receive, send):
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _send(guard, requests):
    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guard),
                                     base_url="http://localhost") as c:
            return [await c.request(m, p, headers=h) for m, p, h in requests]

    return asyncio.run(run())


def test_retry_after_is_at_least_one_second_when_the_wait_is_shorter():
    """A bucket refilling 4 tokens a second is empty for a quarter of a second: Retry-After is
    whole seconds rounded up (1), never 0 ("retry now", and the client is refused again)."""
    guard = ApiGuard(_ok, token=TOKEN, read_limit=RateLimit(4.0, 1), write_limit=None,
                     token_read_limit=None, token_write_limit=None)
    # the guard's own bucket on a clock that does not move: the wait is exactly 0.25 s
    guard.buckets[(False, False)] = TokenBuckets(RateLimit(4.0, 1), clock=lambda: 100.0)
    first, second = _send(guard, [("GET", "/api/x", {}), ("GET", "/api/x", {})])
    assert first.status_code == 200
    assert second.status_code == 429 and second.headers["retry-after"] == "1"


def test_the_bearer_scheme_is_case_insensitive():
    """RFC 9110 (11.1): the auth scheme is case-insensitive; ``bearer <token>`` is the token."""
    assert bearer_from_header(f"bearer {TOKEN}") == TOKEN
    assert bearer_from_header(f"BEARER {TOKEN}") == TOKEN
    guard = ApiGuard(_ok, token=TOKEN, read_limit=None, write_limit=None,
                     token_read_limit=None, token_write_limit=None)
    (r,) = _send(guard, [("POST", "/api/x", {"Authorization": f"bearer {TOKEN}"})])
    assert r.status_code == 200


def test_a_token_sharing_the_right_one_s_first_characters_is_refused():
    """The whole token is compared: one that differs in its last character is not this
    server's (401), nor one that only starts with it."""
    guard = ApiGuard(_ok, token=TOKEN, read_limit=None, write_limit=None,
                     token_read_limit=None, token_write_limit=None)
    near = TOKEN[:-1] + ("x" if TOKEN[-1] != "x" else "y")
    got = _send(guard, [("POST", "/api/x", {"Authorization": f"Bearer {near}"}),
                        ("POST", "/api/x", {"Authorization": f"Bearer {TOKEN}extra"}),
                        ("POST", "/api/x", {"Authorization": f"Bearer {TOKEN[:16]}"}),
                        ("POST", "/api/x", {"Authorization": f"Bearer {TOKEN}"})])
    assert [r.status_code for r in got] == [401, 401, 401, 200]
    assert all("is not this server's" in r.json()["detail"] for r in got[:3])


# -- small stores of real series --------------------------------------------------------------

def _small_app(shared_data, folder, files, first="2023-10-01"):
    from _cut_store import cut_store

    db = cut_store(shared_data, folder, files, first=first, last="2024-03-31")
    return Client(_app(str(db)), close=True)


@pytest.fixture(scope="module")
def btc_only(shared_data, tmp_path_factory):
    """The app on ../shared/data's BTC alone, October 2023 to March 2024."""
    with _small_app(shared_data, tmp_path_factory.mktemp("btc"), ["crypto/BTCUSDT.csv"]) as c:
        yield c


@pytest.mark.realdata
def test_a_view_the_latest_data_cannot_support_is_a_503_with_the_reason(btc_only):
    """A store without the 10-year yield has no stress index: /api/stress is a 503 saying why
    (the latest data), and the view of a past evening a 409 (the caller's date), as the spec's
    503 and 409 descriptions say."""
    latest = btc_only.get("/api/stress")
    assert latest.status_code == 503, latest.text
    assert latest.json()["detail"] == ("the stress index needs the 10-year yield (ust10y), "
                                       "which store cut.duckdb lacks")
    past = btc_only.get("/api/stress", params={"as_of": "2024-03-01"})
    assert past.status_code == 409, past.text
    assert past.json()["detail"].startswith("as_of 2024-03-01: the stress index needs")


@pytest.mark.realdata
def test_a_refusal_names_the_endpoint_s_parameter_not_the_command_line_s(btc_only):
    """The service says "Name the assets (--assets)"; the 409 of /api/spillover?as_of= says
    the parameter the endpoint takes (``assets``)."""
    r = btc_only.get("/api/spillover", params={"as_of": "2024-03-01"})
    assert r.status_code == 409, r.text
    assert r.json()["detail"].endswith("Name the assets (assets) for the connectedness of what "
                                       "it holds")
    assert "--" not in r.json()["detail"]
    # the latest data's 503 alike (it kept "--assets")
    now = btc_only.get("/api/spillover")
    assert now.status_code == 503, now.text
    assert now.json()["detail"].endswith("Name the assets (assets) for the connectedness of what "
                                         "it holds")
    assert "--" not in now.json()["detail"]


@pytest.mark.realdata
def test_an_asset_the_store_holds_nothing_of_is_a_404_naming_it(btc_only):
    """The store has no broad dollar: a 404 saying so (a known asset, not a typo)."""
    none = btc_only.get("/api/series/usd_broad")
    assert none.status_code == 404, none.text
    assert none.json()["detail"] == "no data for 'usd_broad' in store cut.duckdb"
    assert btc_only.get("/api/series/btc").status_code == 200


@pytest.mark.realdata
def test_a_scenario_the_data_cannot_run_is_the_caller_s_409_only_for_the_caller_s_book(btc_only):
    """No 10-year yield, no scenario model: with the caller's own book it is a 409 (the
    caller can change the request), on the default book a 503 (the server's data)."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    why = ("the scenario could not be run on these data: fitting the scenario model needs "
           "'ust10y_bp'; load asset 'ust10y'")
    own = btc_only.post("/api/scenarios", headers=auth, json={
        "preset": "japan-intervention", "paths": 100,
        "portfolio": [{"asset": "btc", "weight": 1.0}]})
    assert (own.status_code, own.json()["detail"]) == (409, why), own.text
    default = btc_only.post("/api/scenarios", headers=auth,
                            json={"preset": "japan-intervention", "paths": 100})
    assert (default.status_code, default.json()["detail"]) == (503, why), default.text


@pytest.mark.realdata
def test_a_past_evening_s_headline_is_judged_on_that_evening(shared_data, tmp_path):
    """`run --as-of`'s headline: the evening asked is its today (judged on the clock's today,
    every input of 2024-03-01 read years stale)."""
    with _small_app(shared_data, tmp_path, ["fred/DGS10.csv", "crypto/BTCUSDT.csv"]) as c:
        r = c.get("/api/summary", params={"as_of": "2024-03-01"})
        stress = c.get("/api/stress", params={"as_of": "2024-03-01"})
    assert r.status_code == stress.status_code == 200, (r.text, stress.text)
    assert r.json()["summary"]["today"] == "2024-03-01"
    # the stress reading of that evening (its last business day) judged on that evening
    latest = stress.json()["latest"]
    assert (latest["date"], latest["as_of"], latest["age_days"]) == ("2024-02-29",
                                                                   "2024-03-01", 1)


# -- serve ----------------------------------------------------------------------------------------

def test_the_url_serve_prints_brackets_an_ipv6_address():
    """`serve --host ::1` printed http://::1:8050/, which no client reads (httpx: "Invalid
    port: ':1:8050'"); an IPv6 literal goes in brackets (RFC 3986, 3.2.2)."""
    from spillwatch.cli.serve import dashboard_url

    assert dashboard_url("::1", 8050) == "http://[::1]:8050/"
    assert dashboard_url("127.0.0.1", 0) == "http://127.0.0.1:0/"
    assert dashboard_url("localhost", 8050) == "http://localhost:8050/"
    httpx.URL(dashboard_url("::1", 8050))       # a URL a client takes


@pytest.mark.realdata
def test_a_book_s_risk_as_of_an_evening_reads_the_data_published_by_then(shared_data, tmp_path):
    """The broad dollar (H.10) comes out on Mondays for the week before: on Wednesday
    2024-03-06 its last value was of Friday 03-01, so the book's P&L ends there (read with
    the newest data cut at that date, it ended on 03-06, on values published days later)."""
    book = [{"asset": "usd_broad", "weight": 1.0}, {"asset": "btc", "weight": 0.5}]
    with _small_app(shared_data, tmp_path, ["fred/DGS10.csv", "fred/DTWEXBGS.csv",
                                            "crypto/BTCUSDT.csv"], first="2022-10-01") as c:
        r = c.post("/api/risk/portfolio", headers={"Authorization": f"Bearer {TOKEN}"},
                   json={"portfolio": book, "as_of": "2024-03-06", "backtest": False})
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["book"]["last"] == "2024-03-01"


def test_the_query_string_limit_is_inclusive_and_the_port_a_number():
    """A query string of exactly MAX_QUERY_BYTES passes, one byte more is a 414; a Host whose
    port is not a number is no host of ours (400), whatever its name."""
    from spillwatch.api.limits import MAX_QUERY_BYTES

    guard = ApiGuard(_ok, token=TOKEN, read_limit=None, write_limit=None,
                     token_read_limit=None, token_write_limit=None)
    exact = "/api/x?q=" + "a" * (MAX_QUERY_BYTES - 2)
    over = exact + "a"
    got = _send(guard, [("GET", exact, {}), ("GET", over, {}),
                        ("GET", "/api/x", {"Host": "localhost:8050"}),
                        ("GET", "/api/x", {"Host": "localhost:80a"})])
    assert [r.status_code for r in got] == [200, 414, 200, 400]


def test_a_token_is_sixteen_characters_at_least():
    """MIN_TOKEN_CHARS is the shortest token taken: 16 characters pass, 15 are refused."""
    from spillwatch.api.auth import resolve_token
    from spillwatch.exceptions import ConfigError

    assert resolve_token("k" * 16) == ("k" * 16, False)
    with pytest.raises(ConfigError, match="at least 16 characters, got 15"):
        resolve_token("k" * 15)


def _raw(app, method: str, headers: list[tuple[bytes, bytes]]) -> list[dict]:
    """The ASGI messages ``app`` sends for one bodiless request to /api/x from 127.0.0.1, its
    raw header lines as given (repeated or malformed ones, which a client library tidies)."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/api/x", "query_string": b"",
             "client": ("127.0.0.1", 1), "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent


def test_a_cached_read_answered_by_the_guard_is_json_and_a_bad_length_a_400():
    """The guard's own answers: a cached view is ``application/json`` like the route's; a
    Content-Length that is no number is a malformed request (400), not one too large (413)."""
    guard = ApiGuard(_ok, token=TOKEN, read_limit=None, write_limit=None,
                     token_read_limit=None, token_write_limit=None,
                     cached=lambda path: (b'{"cached": true}', None) if path == "/api/v" else None)
    (hit,) = _send(guard, [("GET", "/api/v", {})])
    assert hit.status_code == 200 and hit.json() == {"cached": True}
    assert hit.headers["content-type"] == "application/json"

    sent = _raw(guard, "POST", [(b"host", b"localhost"), (b"content-length", b"ten"),
                                (b"authorization", f"Bearer {TOKEN}".encode())])
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"]) == {"detail": "Content-Length is not a number"}


def test_forwarding_headers_sent_twice_are_one_list():
    """Two X-Forwarded-For lines are one list (RFC 9110, 5.3): behind two trusted proxies
    the client is the address the outer one wrote, not the inner proxy's own (last line
    wins), which would put every client behind it in one rate-limit bucket."""
    seen = []

    async def who(scope, receive, send):
        seen.append(scope["client"][0])
        await _ok(scope, receive, send)

    guard = ApiGuard(who, token=TOKEN, read_limit=None, write_limit=None,
                     token_read_limit=None, token_write_limit=None,
                     trusted_proxies=("127.0.0.0/8", "10.0.0.0/8"))
    sent = _raw(guard, "GET", [(b"host", b"localhost"), (b"x-forwarded-for", b"203.0.113.7"),
                               (b"x-forwarded-for", b"10.0.0.2")])
    assert sent[0]["status"] == 200
    assert seen == ["203.0.113.7"]


def test_a_silence_s_matchers_are_listed_as_an_object(tmp_path):
    """GET /api/alerts/silences gives each silence's matchers as the JSON object it was made
    with (the store keeps them as text)."""
    import pandas as pd

    from spillwatch.data.source import open_source
    from spillwatch.store import Store

    store = Store(tmp_path / "s.duckdb")
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10",
                               "ts": pd.date_range("2024-01-01", periods=5),
                               "value": [4.0, 4.1, 4.2, 4.1, 4.0]}))
    with Client(_app(open_source(store))) as c:
        made = c.post("/api/alerts/silences", headers={"Authorization": f"Bearer {TOKEN}"},
                      json={"rule": "stress_crisis", "duration": "1h"})
        assert made.status_code == 201, made.text
        listed = c.get("/api/alerts/silences")
    assert listed.status_code == 200, listed.text
    (silence,) = listed.json()["silences"]
    assert isinstance(silence["matchers"], dict)
    assert silence["id"] == made.json()["id"]


def test_two_one_off_builds_at_once_and_the_third_is_busy(demo_source):
    """MAX_ONE_OFF_BUILDS (2) views of other dates or windows are built at once; a third is
    refused as busy at once (each holds a worker thread and a core)."""
    from spillwatch.api.views import Busy, Views

    views = Views(demo_source)
    with (views.one_off_slot("2024-06-27"), views.one_off_slot("2024-06-28"),
          pytest.raises(Busy, match="busy: 2 views of other dates or windows"),
          views.one_off_slot("2024-07-01")):
        pass
