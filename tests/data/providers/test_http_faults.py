"""The shared HTTP client and the providers against a hostile local server (127.0.0.1 only).

Each fault ends in a retry that succeeds or in a clear error, and no partial rows are written.
"""

from __future__ import annotations

import json

import httpx
import pytest
from werkzeug import Request, Response

from spillwatch.data._http import HttpClient, HttpConfig, parse_retry_after, redact
from spillwatch.data.fetch import fetch
from spillwatch.data.providers.crypto import BinanceProvider, CoinGeckoProvider
from spillwatch.data.providers.fred import FredProvider
from spillwatch.data.providers.tic import TicProvider
from spillwatch.data.providers.treasury import TreasuryProvider
from spillwatch.exceptions import BadPayload, NetworkError, ProviderError, RateLimited

from .conftest import payload

FRED_CSV = "/graph/fredgraph.csv"


class Sleeps(list):
    """Records the waits instead of sleeping (the client's ``sleep`` hook)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# -- the client alone -------------------------------------------------------------------------
def test_429_with_retry_after_waits_then_succeeds(httpserver, fast):
    httpserver.expect_oneshot_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0.3"})
    httpserver.expect_oneshot_request("/x").respond_with_data("ok")
    sleeps = Sleeps()
    with HttpClient(fast, sleep=sleeps) as c:
        r = c.get(httpserver.url_for("/x"))
    assert r.text == "ok" and r.attempts == 2
    assert sleeps and sleeps[0] >= 0.3  # honoured Retry-After, not the 0.01 s backoff


def test_429_forever_is_rate_limited(httpserver, fast):
    httpserver.expect_request("/x").respond_with_data("no", status=429,
                                                      headers={"Retry-After": "0"})
    with HttpClient(fast) as c:
        with pytest.raises(RateLimited, match=r"429.*3 attempt"):
            c.get(httpserver.url_for("/x"))
        assert len(httpserver.log) == 3
        # the next series of the same host is not tried again: 14 FRED series x 5 attempts
        # waited out every Retry-After (about 112 minutes a fetch at the 120 s honoured)
        with pytest.raises(RateLimited, match=r"not attempted: .* kept answering HTTP 429"):
            c.get(httpserver.url_for("/y"))
        assert len(httpserver.log) == 3


def test_retry_after_too_long_fails_at_once(httpserver, fast):
    httpserver.expect_request("/x").respond_with_data("", status=503,
                                                      headers={"Retry-After": "3600"})
    with HttpClient(fast) as c, pytest.raises(RateLimited, match="3600 s"):
        c.get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 1


def test_500_then_success_with_backoff(httpserver, fast):
    httpserver.expect_oneshot_request("/x").respond_with_data("boom", status=500)
    httpserver.expect_oneshot_request("/x").respond_with_data("boom", status=502)
    httpserver.expect_oneshot_request("/x").respond_with_data("ok")
    sleeps = Sleeps()
    with HttpClient(fast, sleep=sleeps) as c:
        assert c.get(httpserver.url_for("/x")).text == "ok"
    assert len(sleeps) == 2 and all(0 <= s <= fast.backoff_max for s in sleeps)


def test_permanent_404_is_clear_and_not_retried(httpserver, fast):
    httpserver.expect_request("/x").respond_with_data("Not Found", status=404)
    with HttpClient(fast) as c, pytest.raises(ProviderError, match=r"HTTP 404.*not found") as e:
        c.get(httpserver.url_for("/x"), provider="fred")
    assert e.value.status == 404 and len(httpserver.log) == 1


def test_connect_timeout(blackhole, fast):
    sleeps = Sleeps()
    with HttpClient(fast, sleep=sleeps) as c, pytest.raises(NetworkError, match="connect"):
        c.get(blackhole + "/x", provider="treasury")
    assert len(sleeps) == fast.retries


def test_connection_refused_is_network_error(fast):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with HttpClient(fast) as c, pytest.raises(NetworkError, match="cannot connect"):
        c.get(f"http://127.0.0.1:{port}/x")


def test_drip_is_cut_by_the_deadline(drip_server):
    cfg = HttpConfig(connect_timeout=0.5, read_timeout=1.0, deadline=1.5, retries=0,
                     cache_dir=None)
    # the deadline cut it (one byte per 0.5 s would take 10 s): the error names it
    with HttpClient(cfg) as c, pytest.raises(NetworkError, match=r"deadline of 1.5 s"):
        c.get(drip_server + "/slow.csv")


def test_header_drip_is_cut_by_the_deadline_too(header_drip_server):
    cfg = HttpConfig(connect_timeout=0.5, read_timeout=1.0, deadline=1.5, retries=0,
                     cache_dir=None)
    with HttpClient(cfg) as c, pytest.raises(NetworkError, match=r"deadline of 1\.5 s"):
        c.get(header_drip_server + "/slow.csv")


def test_a_host_that_timed_out_is_not_asked_again(header_drip_server):
    # a hanging server was asked again for every series: FRED's fourteen series each waited out
    # five read timeouts (37 minutes of a fetch, and of a monitor cycle, at the defaults)
    cfg = HttpConfig(connect_timeout=0.5, read_timeout=1.0, deadline=1.5, retries=0,
                     cache_dir=None)
    with HttpClient(cfg) as c:
        with pytest.raises(NetworkError, match=r"deadline of 1\.5 s") as first:
            c.get(header_drip_server + "/DGS10.csv", provider="fred")
        assert not first.value.unreached and c.attempts == 1
        with pytest.raises(NetworkError, match=r"not attempted: 127\.0\.0\.1:\d+ gave no "
                           r"answer in time a moment ago \(no complete answer within the "
                           r"deadline") as second:
            c.get(header_drip_server + "/DGS2.csv", provider="fred")
        assert c.attempts == 1 and not second.value.unreached  # it took the connection


def test_a_host_that_answered_before_timing_out_is_asked_again(httpserver):
    # a 503 and then a timeout marked the host silent: its next series was "not attempted"
    import threading
    import time

    calls = []
    done = threading.Event()

    def busy_then_slow(request):
        calls.append(1)
        if len(calls) == 1:
            return Response("busy", status=503)
        time.sleep(1.5)
        done.set()
        return Response("late", status=200)

    httpserver.expect_request("/a.csv").respond_with_handler(busy_then_slow)
    httpserver.expect_request("/b.csv").respond_with_data("x\n1\n")
    cfg = HttpConfig(connect_timeout=0.5, read_timeout=0.5, deadline=5.0, retries=1,
                     backoff=0.0, cache_dir=None)
    with HttpClient(cfg, sleep=Sleeps()) as c:
        with pytest.raises(NetworkError, match="read timeout"):
            c.get(httpserver.url_for("/a.csv"))
        # the fake server busy with the late answer is not what is tested (on a loaded
        # machine its next answer came after the 0.5 s read timeout): wait for it
        assert done.wait(10)
        assert c.get(httpserver.url_for("/b.csv")).text == "x\n1\n"


def test_body_shorter_than_content_length_is_retried_then_fails(httpserver, fast):
    def handler(request: Request) -> Response:
        r = Response(b"observation_date,DGS10\n2025-04-01,4.1", content_type="text/csv")
        r.headers["Content-Length"] = "500"
        return r

    httpserver.expect_request("/x").respond_with_handler(handler)
    with HttpClient(fast) as c, pytest.raises(NetworkError, match=r"broken|peer closed"):
        c.get(httpserver.url_for("/x"))


def test_secrets_never_in_errors(httpserver, fast):
    httpserver.expect_request("/fred/series/observations").respond_with_data("x", status=500)
    with HttpClient(fast) as c, pytest.raises(NetworkError) as e:
        c.get(httpserver.url_for("/fred/series/observations"),
              params={"series_id": "DGS10", "api_key": "SECRET123"})
    assert "SECRET123" not in str(e.value) and "api_key=%2A%2A%2A" in str(e.value)
    assert "SECRET" not in redact("https://h/p?api_key=SECRET&x=1")


def test_parse_retry_after_forms():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_user_agent_and_cache(httpserver, fast, tmp_path):
    httpserver.expect_oneshot_request("/y").respond_with_data("history")
    cfg = HttpConfig(**{**vars(fast), "cache_dir": tmp_path})
    with HttpClient(cfg) as c:
        assert c.get(httpserver.url_for("/y"), cache=True).text == "history"
        again = c.get(httpserver.url_for("/y"), cache=True)
    assert again.from_cache and again.text == "history" and len(httpserver.log) == 1
    assert httpserver.log[0][0].headers["User-Agent"].startswith("spillwatch/")


@pytest.mark.parametrize("body", ["<!DOCTYPE html><html><body>Down</body></html>", "[]", ""])
def test_an_error_page_or_an_empty_page_is_not_cached(httpserver, fast, tmp_path, body):
    # a 200 HTML page or an empty page kept in the cache failed (or hid data) on every later
    # fetch, even after the service recovered
    httpserver.expect_ordered_request("/y").respond_with_data(body)
    httpserver.expect_ordered_request("/y").respond_with_data("history")
    cfg = HttpConfig(**{**vars(fast), "cache_dir": tmp_path})
    with HttpClient(cfg) as c:
        assert c.get(httpserver.url_for("/y"), cache=True).text == body
        again = c.get(httpserver.url_for("/y"), cache=True)
    assert not again.from_cache and again.text == "history" and len(httpserver.log) == 2


def test_rate_limit_spacing(httpserver, fast):
    httpserver.expect_request("/z").respond_with_data("ok")
    sleeps = Sleeps()
    with HttpClient(fast, sleep=sleeps) as c:
        for _ in range(3):
            c.get(httpserver.url_for("/z"), min_interval=5.0)
    # the client waited out the interval before the 2nd and 3rd request (hook, not the clock:
    # a 5-s interval costs no test time). The hook does not sleep, so the 2nd request waits
    # what is left of 5 s and the 3rd its own slot 5 s later; a loaded machine may take up to
    # a second for the requests themselves
    assert len(sleeps) == 2
    assert 4.0 < sleeps[0] <= 5.0 and 9.0 < sleeps[1] <= 10.0, sleeps


def test_mock_transport_read_timeout_then_success(fast):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, text="ok")

    with HttpClient(fast, transport=httpx.MockTransport(handler)) as c:
        assert c.get("https://fred.example/x").text == "ok"
    assert len(calls) == 2


# -- providers through fetch: no partial rows -------------------------------------------------
def _fred(httpserver):
    return {"fred": FredProvider(httpserver.url_for(""), min_interval=0.0)}


def _fetch_dgs10(httpserver, fast, store, body: bytes):
    """Serve ``body`` as FRED's DGS10 CSV and fetch it up to 2025-04-03."""
    httpserver.expect_request(FRED_CSV).respond_with_data(body, content_type="text/csv")
    return fetch(store, series=["fred:DGS10"], config=fast, providers=_fred(httpserver),
                 end="2025-04-03")


def test_truncated_csv_writes_nothing(httpserver, fast, store):
    res = _fetch_dgs10(httpserver, fast, store,
                       b"observation_date,DGS10\n2025-04-01,4.17\n2025-04-02,4.2\n2025-04-0")
    assert "truncated" in res.errors["fred:DGS10"] and store.count() == 0
    assert store.runs().iloc[0]["status"] == "error"


@pytest.mark.parametrize("kind", ["fred", "tic"])
def test_a_body_cut_mid_number_without_a_length_writes_nothing(httpserver, fast, store, kind):
    # the connection closed mid-transfer and the server sent no Content-Length (chunked):
    # the last line "2025-04-02,4.4" (of 4.42) looks whole and was stored as 4.4; TIC's
    # Japan holdings "1134.5" cut to "11" read as $11bn
    from spillwatch.data.providers.tic import CURRENT, DOCS

    if kind == "fred":
        body = b"observation_date,DGS10\n2025-04-01,4.17\n2025-04-02,4.4"
        path, provs, series = FRED_CSV, _fred(httpserver), ["fred:DGS10"]
    else:
        text = payload("tic/slt_table5.txt")
        body = text[:text.index(b"1134.5") + 2] if b"1134.5" in text else text[:-40]
        path, provs, series = DOCS + CURRENT, {"tic": TicProvider(httpserver.url_for(""))}, \
            ["tic"]
    httpserver.expect_request(path).respond_with_response(
        Response(iter([body]), content_type="text/plain"))      # chunked: no length
    res = fetch(store, series=series, config=fast, providers=provs, end="2025-04-03")
    err = next(iter(res.errors.values()))
    assert "cut short (truncated" in err and store.count() == 0, err


def test_html_error_page_writes_nothing(httpserver, fast, store):
    httpserver.expect_request(FRED_CSV).respond_with_data(
        "<!DOCTYPE html><html><body><h1>Down for maintenance</h1></body></html>",
        content_type="text/html")
    res = fetch(store, series=["fred:DGS10"], config=fast, providers=_fred(httpserver),
                end="2025-04-03")
    assert "HTML page" in res.errors["fred:DGS10"] and store.count() == 0
    assert res.outcomes[0].error_type == "BadPayload"


def test_json_field_missing_writes_nothing(httpserver, fast, store):
    doc = json.loads(payload("fred/api_series_observations_DGS10.json"))
    del doc["observations"][-1]["date"]
    httpserver.expect_request("/fred/series/observations").respond_with_json(doc)
    prov = {"fred": FredProvider(api_url=httpserver.url_for(""), api_key="k",
                                 min_interval=0.0)}
    res = fetch(store, series=["fred:DGS10"], config=fast, providers=prov, end="2025-04-22")
    assert "lacks 'date' or 'value'" in res.errors["fred:DGS10"] and store.count() == 0


def test_one_bad_year_fails_the_whole_treasury_group(httpserver, fast, store):
    path = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{}/all"
    httpserver.expect_request(path.format(2024)).respond_with_data(
        payload("treasury/daily_treasury_rates_2017.csv").replace(b"2017", b"2024"))
    httpserver.expect_request(path.format(2025)).respond_with_data(
        b'Date,"10 Yr","30 Yr"\n04/11/2025,4.48,4.85\n04/10/2025,4.4')
    res = fetch(store, series=["treasury"], since="2024-01-01", end="2025-04-12", config=fast,
                providers={"treasury": TreasuryProvider(httpserver.url_for(""))})
    assert "truncated" in res.errors["treasury"] and store.count() == 0


def test_500_then_success_through_a_provider(httpserver, fast, store):
    httpserver.expect_oneshot_request(FRED_CSV).respond_with_data("oops", status=500)
    httpserver.expect_oneshot_request(FRED_CSV).respond_with_data(
        payload("fred/fredgraph_DGS10.csv"), content_type="text/csv")
    res = fetch(store, series=["fred:DGS10"], config=fast, providers=_fred(httpserver),
                end="2025-04-21")
    assert res.ok and res.totals["stored"] == 14 and res.totals["requests"] == 1


def test_404_and_offline_flags(httpserver, fast, store, blackhole):
    httpserver.expect_request(FRED_CSV).respond_with_data("Not Found", status=404)
    res = fetch(store, series=["fred:NOSUCH"], config=fast, providers=_fred(httpserver),
                end="2025-04-21")
    assert "HTTP 404" in res.errors["fred:NOSUCH"] and not res.offline
    cfg = HttpConfig(**{**vars(fast), "retries": 0})
    res = fetch(store, series=["tic"], config=cfg, providers={"tic": TicProvider(blackhole)})
    assert res.offline and store.count() == 0


def test_binance_451_falls_back_to_coingecko(httpserver, fast, store):
    httpserver.expect_request("/api/v3/klines").respond_with_json(
        {"code": 0, "msg": "Service unavailable from a restricted location"}, status=451)
    httpserver.expect_request("/api/v3/coins/bitcoin/market_chart").respond_with_data(
        payload("coingecko/market_chart_bitcoin_daily.json"), content_type="application/json")
    gecko = CoinGeckoProvider(httpserver.url_for(""), min_interval=0.0)
    prov = {"binance": BinanceProvider(httpserver.url_for(""), fallback=gecko),
            "coingecko": gecko}
    res = fetch(store, series=["binance:BTCUSDT"], since="2025-04-05",
                end="2025-04-10 12:00", config=fast, providers=prov)
    assert res.ok, res.errors
    note = " ".join(res.outcomes[0].notes)
    assert "HTTP 451" in note and "blocks requests from this region" in note
    assert "CoinGecko" in note
    close = store.observations(["coingecko:bitcoin"])
    assert len(close) == 5 and store.observations(["binance:BTCUSDT"]).empty


def test_binance_and_fallback_both_failing(httpserver, fast, store):
    httpserver.expect_request("/api/v3/klines").respond_with_data("", status=451)
    httpserver.expect_request("/api/v3/coins/bitcoin/market_chart").respond_with_json(
        {"prices": [[1743897600000, 1.0]]})
    gecko = CoinGeckoProvider(httpserver.url_for(""), min_interval=0.0)
    res = fetch(store, series=["btc"], since="2025-04-05", end="2025-04-10", config=fast,
                providers={"binance": BinanceProvider(httpserver.url_for(""), fallback=gecko)})
    msg = res.errors["binance:BTCUSDT"]
    assert "451" in msg and "fallback failed" in msg and "total_volumes" in msg
    assert store.count() == 0


def test_coingecko_says_when_more_than_365_days_is_asked(httpserver, fast, store):
    httpserver.expect_request("/api/v3/coins/bitcoin/market_chart").respond_with_data(
        payload("coingecko/market_chart_bitcoin_daily.json"), content_type="application/json")
    gecko = CoinGeckoProvider(httpserver.url_for(""), min_interval=0.0)
    res = fetch(store, series=["coingecko:bitcoin"], since="2020-01-01",
                end="2025-04-10 12:00", config=fast, providers={"coingecko": gecko})
    assert "only the last 365 days" in res.outcomes[0].notes[0]
    assert httpserver.log[0][0].args["days"] == "365"


def test_coingecko_s_first_fetch_keeps_the_first_day_of_its_year(httpserver, fast, store):
    """A first fetch asks for the last 365 days from now (12:00): the close of that first day,
    labelled 00:00, fell outside the window and was dropped."""
    httpserver.expect_request("/api/v3/coins/bitcoin/market_chart").respond_with_data(
        payload("coingecko/market_chart_bitcoin_daily.json"), content_type="application/json")
    gecko = CoinGeckoProvider(httpserver.url_for(""), min_interval=0.0)
    res = fetch(store, series=["coingecko:bitcoin"], end="2026-04-06 12:00", config=fast,
                providers={"coingecko": gecko})
    assert res.ok, res.errors
    # asked for no more than the year it serves: no note says it asked for more
    assert not [n for n in res.outcomes[0].notes if "only the last 365 days" in n]
    close = store.observations(["coingecko:bitcoin"])
    assert str(close["ts"].min().date()) == "2025-04-06"


def test_bad_payload_type_is_bad_payload(httpserver, fast):
    httpserver.expect_request("/api/v3/klines").respond_with_data("not json at all")
    with HttpClient(fast) as c, pytest.raises(BadPayload, match="not JSON"):
        BinanceProvider(httpserver.url_for(""), use_fallback=False)._klines(
            c, "BTCUSDT", "1d", __import__("pandas").Timestamp("2025-04-01"),
            __import__("pandas").Timestamp("2025-04-02"))


def test_the_readme_s_fred_key_variable_switches_fred_to_its_api(monkeypatch):
    # the README lists SPILLWATCH_FRED_API_KEY; only FRED_API_KEY was read
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    monkeypatch.setenv("SPILLWATCH_FRED_API_KEY", "k123")
    assert FredProvider().api_key == "k123"
    monkeypatch.delenv("SPILLWATCH_FRED_API_KEY")
    monkeypatch.setenv("FRED_API_KEY", "k456")
    assert FredProvider().api_key == "k456"
    monkeypatch.delenv("FRED_API_KEY")
    assert FredProvider().api_key is None


def test_treasury_columns_renamed_fail_or_say_which_tenor_stopped(httpserver, fast, store):
    # the service renamed every column (BC_10YEAR): read 0, exit 0, only "ignored" notes;
    # and "1 Mo" renamed "4 Weeks": the 1-month series stopped updating without a word
    from spillwatch.data.providers.treasury import TreasuryProvider

    text = payload("treasury/daily_treasury_rates_2025.csv").decode()
    head = text.splitlines()[0]
    renamed = text.replace(head, ",".join(
        ["Date"] + [f"BC_{i}" for i in range(len(head.split(",")) - 1)]), 1)
    prov = {"treasury": TreasuryProvider(httpserver.url_for(""), min_interval=0.0)}
    httpserver.expect_ordered_request(prov["treasury"].year_url(2025)[0].replace(
        httpserver.url_for(""), "/")).respond_with_data(renamed, content_type="text/csv")
    res = fetch(store, series=["treasury"], since="2025-04-01", end="2025-04-21",
                config=fast, providers=prov)
    assert "no tenor column of the yield-curve CSV was recognised" in res.errors["treasury"]
    assert store.count() == 0
    one = text.replace('"1 Mo"', '"4 Weeks"', 1).replace("1 Mo,", "4 Weeks,", 1)
    httpserver.expect_ordered_request(prov["treasury"].year_url(2025)[0].replace(
        httpserver.url_for(""), "/")).respond_with_data(one, content_type="text/csv")
    res = fetch(store, series=["treasury:yield_1m_pct", "treasury:yield_10y_pct"],
                since="2025-04-01", end="2025-04-21", config=fast, providers=prov)
    assert res.ok
    assert any("has no column for treasury:yield_1m_pct" in n for n in res.outcomes[0].notes)


def test_a_future_date_from_the_service_is_quarantined_and_counted(httpserver, fast, store):
    # rows after the fetch window vanished before counting, so the future-date rule never
    # fired in a fetch: read 2 of 3, and nothing said a 2099 row came
    res = _fetch_dgs10(httpserver, fast, store, b"observation_date,DGS10\n2025-04-01,4.17\n"
                       b"2025-04-02,4.2\n2099-01-01,4.3\n")
    o = res.outcomes[0]
    assert (o.read, o.stored, o.quarantined) == (3, 2, 1)
    q = store.quarantine("fred:DGS10")
    assert len(q) == 1 and "future" in q["reason"].iloc[0]


def test_a_row_dated_tomorrow_is_counted_not_dropped(httpserver, fast, store):
    """A row after the clock's now but within the future-date rule's day of tolerance was
    neither kept in the window nor quarantined: "read 8" of 9 rows, and it vanished."""
    import pandas as pd

    tomorrow = (pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
                + pd.Timedelta(days=1))
    body = (f"observation_date,DGS10\n2025-04-01,4.17\n2025-04-02,4.2\n"
            f"{tomorrow:%Y-%m-%d},4.25\n2099-01-01,4.3\n").encode()
    res = _fetch_dgs10(httpserver, fast, store, body)
    o = res.outcomes[0]
    assert o.read == 4 and o.read == o.stored + o.quarantined + o.unchanged + o.revised


def _closed_port() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_hosts_that_refuse_do_not_stop_the_others(httpserver, fast, store):
    # two providers on closed ports made the client "offline": every other source was "not
    # attempted: the network looks unreachable" and the healthy server got 0 requests
    httpserver.expect_request(FRED_CSV).respond_with_data(
        payload("fred/fredgraph_DGS10.csv"), content_type="text/csv")
    a, b = _closed_port(), _closed_port().replace("127.0.0.1", "localhost")
    cfg = HttpConfig(**{**vars(fast), "retries": 0})
    res = fetch(store, series=["tic", "treasury", "fred:DGS10"], config=cfg, end="2025-04-21",
                providers={"tic": TicProvider(a), "treasury": TreasuryProvider(b),
                           **_fred(httpserver)})
    assert res.totals["stored"] == 14 and len(httpserver.log) == 1
    assert set(res.errors) == {"tic", "treasury"} and not res.offline
    assert all("cannot connect" in e and "not attempted" not in e for e in res.errors.values())


def test_servers_that_answer_503_are_not_offline(httpserver, fast, store):
    # every provider answering HTTP 503 was reported "offline: no provider could be reached"
    httpserver.expect_request(FRED_CSV).respond_with_data("busy", status=503)
    cfg = HttpConfig(**{**vars(fast), "retries": 1})
    res = fetch(store, series=["fred:DGS10", "fred:DGS2"], config=cfg, end="2025-04-21",
                providers=_fred(httpserver))
    assert len(res.errors) == 2 and all("HTTP 503" in e for e in res.errors.values())
    assert not res.offline
    # each failed group counts the requests it made (it said "with 0 request(s)")
    assert [o.requests for o in res.outcomes] == [2, 2] and res.totals["requests"] == 4
    assert "offline" not in "\n".join(res._summary_lines())
    # no answer at all from the only host: that is "no provider could be reached"
    res = fetch(store, series=["tic"], config=cfg, providers={"tic": TicProvider(
        _closed_port())})
    assert res.offline


def test_an_empty_answer_is_said(httpserver, fast, store):
    # an all-"." CSV (or an empty array) was "read 0 ... failed 0" with no word
    httpserver.expect_request(FRED_CSV).respond_with_data(
        "observation_date,DGS10\n2025-04-01,.\n2025-04-02,.\n", content_type="text/csv")
    res = fetch(store, series=["fred:DGS10"], config=fast, providers=_fred(httpserver),
                since="2025-04-01", end="2025-04-03")
    assert res.ok and res.totals["read"] == 0
    assert any("fred:DGS10: the answer held no observation from 2025-04-01" in n
               for o in res.outcomes for n in o.notes)
