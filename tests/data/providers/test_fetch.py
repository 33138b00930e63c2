"""Incremental fetch end to end against a local fake of every service (127.0.0.1 only).

The fake answers like the real services do: FRED filters on ``cosd``, Binance on ``startTime`` /
``endTime`` / ``limit``, Treasury serves one CSV per year and TIC one text table.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner
from werkzeug import Request, Response

from spillwatch.data.fetch import fetch, plan, start_of
from spillwatch.data.providers.crypto import BinanceProvider, CoinGeckoProvider
from spillwatch.data.providers.fred import FredProvider
from spillwatch.data.providers.tic import TicProvider
from spillwatch.data.providers.treasury import TreasuryProvider
from spillwatch.exceptions import ConfigError

from .conftest import payload

TREASURY = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/"
SERIES = ["treasury", "fred:DGS10", "fred:DEXJPUS", "fred:WMTSECL1", "binance:BTCUSDT",
          "binance:BTCUSDT_1h", "tic"]
END = "2025-04-21 18:00"
#: mfh.txt as Treasury still serves it: its last release, of January 2023 (values illustrative)
FROZEN_MFH = (payload("tic/mfh.txt").decode()
              .replace("Apr      Mar      Feb", "Jan      Dec      Nov")
              .replace("2025     2025     2025", "2023     2022     2022"))


class FakeWorld:
    """Request handlers of the fake services; ``extra`` adds rows a later fetch should see."""

    def __init__(self) -> None:
        self.fred = {"DGS10": payload("fred/fredgraph_DGS10.csv").decode(),
                     "DEXJPUS": payload("fred/fredgraph_DEXJPUS_legacy.csv").decode(),
                     "WMTSECL1": payload("fred/fredgraph_WMTSECL1.csv").decode()}
        self.klines = {"1d": json.loads(payload("binance/klines_BTCUSDT_1d_page1.json"))
                       + json.loads(payload("binance/klines_BTCUSDT_1d_page2.json")),
                       "1h": json.loads(payload("binance/klines_BTCUSDT_1h.json"))}

    def fredgraph(self, request: Request) -> Response:
        sid, cosd = request.args["id"], request.args.get("cosd", "1776-07-04")
        coed = request.args.get("coed", "9999-12-31")
        if sid not in self.fred:
            return Response("Not Found", status=404)
        head, *rows = self.fred[sid].strip().split("\n")
        keep = [r for r in rows if cosd <= r.split(",")[0] <= coed]
        return Response("\n".join([head, *keep]) + "\n", content_type="text/csv")

    def klines_handler(self, request: Request) -> Response:
        a = request.args
        start, end, limit = int(a["startTime"]), int(a["endTime"]), int(a["limit"])
        rows = [k for k in self.klines[a["interval"]] if start <= k[0] <= end][:limit]
        return Response(json.dumps(rows), content_type="application/json")

    treasury_2025: bytes = payload("treasury/daily_treasury_rates_2025.csv")

    def treasury(self, request: Request) -> Response:
        year = request.path.split("/")[-2]
        if year == "2025":
            return Response(self.treasury_2025, content_type="text/csv")
        return Response('Date,"1 Mo","3 Mo","10 Yr"\n', content_type="text/csv")

    def install(self, httpserver) -> None:
        httpserver.expect_request("/graph/fredgraph.csv").respond_with_handler(self.fredgraph)
        httpserver.expect_request("/api/v3/klines").respond_with_handler(self.klines_handler)
        for year in (2024, 2025):
            httpserver.expect_request(f"{TREASURY}{year}/all").respond_with_handler(
                self.treasury)
        httpserver.expect_request(
            "/resource-center/data-chart-center/tic/Documents/slt_table5.txt").respond_with_data(
            payload("tic/slt_table5.txt"), content_type="text/plain")
        # the old current table, still served but frozen since early 2023
        httpserver.expect_request(
            "/resource-center/data-chart-center/tic/Documents/mfh.txt").respond_with_data(
            FROZEN_MFH, content_type="text/plain")
        httpserver.expect_request(
            "/resource-center/data-chart-center/tic/Documents/mfhhis01.txt").respond_with_data(
            payload("tic/mfhhis01_excerpt.txt"), content_type="text/plain")


def whole_year(excerpt: bytes) -> bytes:
    """The recorded 2025 excerpt (April) with its oldest row repeated back to 2 January.

    A year's file asked from its first day must reach back to it (a file cut short loses its
    oldest rows: newest first); the recording holds April only.
    """
    head, *rows = excerpt.decode().strip().split("\n")
    oldest = rows[-1].split(",", 1)[1]
    first = pd.Timestamp(rows[-1].split(",", 1)[0])
    days = pd.bdate_range("2025-01-02", first - pd.Timedelta(days=1))[::-1]
    more = [f"{d:%m/%d/%Y},{oldest}" for d in days]
    return ("\n".join([head, *rows, *more]) + "\n").encode()


@pytest.fixture
def world(httpserver):
    w = FakeWorld()
    w.install(httpserver)
    return w


def providers(httpserver) -> dict:
    url = httpserver.url_for("")
    gecko = CoinGeckoProvider(url, min_interval=0.0)
    return {"treasury": TreasuryProvider(url, history_start="2025-04-01"),
            "fred": FredProvider(url, min_interval=0.0, history_start="2025-03-01"),
            "binance": BinanceProvider(url, fallback=gecko, history_start="2025-04-06",
                                       hourly_days=14, page_size=2),
            "coingecko": gecko, "tic": TicProvider(url, history_start="2025-02-01")}


def _requests(httpserver, path: str) -> list[dict]:
    return [dict(r.args) for r, _ in httpserver.log if r.path == path]


def test_first_fetch_stores_every_provider(httpserver, world, fast, store):
    res = fetch(store, series=SERIES, end=END, config=fast, providers=providers(httpserver))
    assert res.ok, res.errors
    last = store.last_points()
    assert last["treasury:yield_10y_pct"] == pd.Timestamp("2025-04-11")
    assert last["fred:DGS10"] == pd.Timestamp("2025-04-21")
    assert last["binance:BTCUSDT"] == pd.Timestamp("2025-04-10")
    assert last["binance:BTCUSDT_1h"] == pd.Timestamp("2025-04-08 03:00")
    assert last["tic:japan_usd_bn"] == pd.Timestamp("2025-04-30")
    custody = store.observations(["fred:WMTSECL1"])["value"]
    assert custody.between(2000, 4000).all()  # millions on FRED, billions in the store
    # Binance daily history (5 klines) came in pages of 2
    assert len(_requests(httpserver, "/api/v3/klines")) >= 3 + 1
    runs = store.runs()
    assert runs.iloc[0]["kind"] == "fetch" and runs.iloc[0]["status"] == "ok"
    assert runs.iloc[0]["stored"] == res.totals["stored"] == store.count()
    cat = store.series().set_index("series_id")
    assert cat.loc["fred:WMTSECL1", "frequency"] == "weekly"
    assert cat.loc["binance:BTCUSDT_1h", "frequency"] == "hourly"
    assert bool(cat.loc["binance:BTCUSDT", "positive"]) is True


def test_second_fetch_asks_only_for_the_tail_and_writes_nothing(httpserver, world, fast,
                                                               store):
    provs = providers(httpserver)
    first = fetch(store, series=SERIES, end=END, config=fast, providers=provs)
    before = (store.count(), store.count("revisions"), store.count("quarantine"))
    httpserver.clear_log()
    second = fetch(store, series=SERIES, end=END, config=fast, providers=provs)
    assert second.ok and second.totals["stored"] == 0 and second.totals["revised"] == 0
    assert (store.count(), store.count("revisions"), store.count("quarantine")) == before
    assert second.totals["unchanged"] > 0 and first.totals["stored"] == before[0]
    # FRED asked from the last point minus a week (daily) or four weeks (weekly)
    asked = {a["id"]: a["cosd"] for a in _requests(httpserver, "/graph/fredgraph.csv")}
    assert asked == {"DGS10": "2025-04-14", "DEXJPUS": "2025-04-14",
                     "WMTSECL1": "2025-03-19"}
    # Binance asked from the last daily close minus a week, the hourly minus a day
    starts = sorted(int(a["startTime"]) for a in _requests(httpserver, "/api/v3/klines"))
    first_ms = {pd.Timestamp("2025-04-03").value // 10**6,
                pd.Timestamp("2025-04-07 03:00").value // 10**6}
    assert first_ms <= set(starts) and min(starts) == min(first_ms)
    # Treasury fetched only the current year
    years = [r.path.split("/")[-2] for r, _ in httpserver.log if r.path.startswith(TREASURY)]
    assert years == ["2025"]


def test_new_point_and_revision_are_picked_up(httpserver, world, fast, store):
    provs = providers(httpserver)
    fetch(store, series=["fred:DGS10"], end=END, config=fast, providers=provs)
    world.fred["DGS10"] = (world.fred["DGS10"].replace("2025-04-17,4.34", "2025-04-17,4.33")
                           + "2025-04-22,4.40\n")
    res = fetch(store, series=["fred:DGS10"], end="2025-04-23", config=fast, providers=provs)
    assert res.totals["stored"] == 1 and res.totals["revised"] == 1
    rev = store.revisions("fred:DGS10")
    assert rev["old_value"].tolist() == [4.34] and rev["new_value"].tolist() == [4.33]


def test_since_overrides_the_store(httpserver, world, fast, store):
    provs = providers(httpserver)
    fetch(store, series=["fred:DGS10"], end=END, config=fast, providers=provs)
    httpserver.clear_log()
    fetch(store, series=["fred:DGS10"], since="2025-04-01", end=END, config=fast,
          providers=provs)
    assert _requests(httpserver, "/graph/fredgraph.csv")[0]["cosd"] == "2025-04-01"


def test_tic_history_table_when_the_start_is_older(httpserver, world, fast, store):
    res = fetch(store, series=["tic:japan_usd_bn"], since="2024-12-01", end=END, config=fast,
                providers=providers(httpserver))
    japan = store.observations(["tic:japan_usd_bn"]).set_index("ts")["value"]
    assert res.totals["requests"] == 2 and store.series()["series_id"].tolist() == [
        "tic:japan_usd_bn"]
    assert japan.to_dict() == {pd.Timestamp("2024-12-31"): 1061.5,
                               pd.Timestamp("2025-01-31"): 1079.3,
                               pd.Timestamp("2025-02-28"): 1125.9,
                               pd.Timestamp("2025-03-31"): 1130.8,
                               pd.Timestamp("2025-04-30"): 1134.5}


def test_tic_reads_table_5_not_the_frozen_mfh_table(httpserver, world, fast, store):
    """Treasury replaced mfh.txt by SLT Table 5 in April 2023 and left mfh.txt frozen: read as
    the current table, it stored nothing newer and, being 'newer' than the history table,
    overwrote the history's revisions of its months."""
    res = fetch(store, series=["tic:japan_usd_bn"], since="2022-12-01", end=END, config=fast,
                providers=providers(httpserver))
    assert res.ok, res.errors
    paths = [r.path.rsplit("/", 1)[-1] for r, _ in httpserver.log]
    assert "slt_table5.txt" in paths and "mfh.txt" not in paths
    japan = store.observations(["tic:japan_usd_bn"]).set_index("ts")["value"]
    assert japan[pd.Timestamp("2025-04-30")] == 1134.5
    assert japan[pd.Timestamp("2024-12-31")] == 1061.5          # the history table's value


def test_tic_revisions_older_than_the_overlap_are_stored_and_a_frozen_table_said(
        httpserver, fast, store):
    # the annual survey revises a year of the current table at once: the months before the
    # overlap were downloaded and thrown away; and a table that stopped moving read as a clean
    # success
    table = payload("tic/slt_table5.txt").decode()
    path = "/resource-center/data-chart-center/tic/Documents/slt_table5.txt"
    httpserver.expect_ordered_request(path).respond_with_data(table, content_type="text/plain")
    httpserver.expect_ordered_request(path).respond_with_data(
        table.replace("1134.5\t1130.8\t1125.9", "1134.5\t1130.8\t1145.9"),
        content_type="text/plain")
    tic = {"tic": TicProvider(httpserver.url_for(""), history_start="2025-02-01")}
    first = fetch(store, series=["tic:japan_usd_bn"], end=END, config=fast, providers=tic)
    assert first.totals["stored"] == 3 and not any(o.notes for o in first.outcomes)
    second = fetch(store, series=["tic:japan_usd_bn"], end="2025-12-01", config=fast,
                   providers=tic, overlap={"monthly": pd.Timedelta(days=20)})
    assert second.totals["revised"] == 1 and second.totals["read"] == 3
    rev = store.revisions("tic:japan_usd_bn")
    assert rev[["old_value", "new_value"]].values.tolist() == [[1125.9, 1145.9]]
    assert second.outcomes[0].notes == [
        "tic:japan_usd_bn: the source's newest point is 2025-04-30, 215 days before 2025-12-01 "
        "(stale after 83); it has published nothing newer, or has stopped or moved"]


def test_env_url_override(httpserver, world, fast, store, monkeypatch):
    monkeypatch.setenv("SPILLWATCH_FRED_URL", httpserver.url_for("/"))
    res = fetch(store, series=["fred:DGS10"], since="2025-04-01", end=END, config=fast,
                providers={"fred": FredProvider(min_interval=0.0)})
    assert res.ok and res.totals["stored"] == 14


def test_a_fetch_over_an_import_keeps_each_series_catalog_entry(httpserver, world, fast,
                                                                store, tmp_path):
    """The FRED provider registered series the watch list does not name with no unit and not
    as a price, over the import's entries: after an ordinary fetch, Coinbase's bitcoin on FRED
    changed by dollars, not log returns (its 99% VaR 8.01 % became 5,849.23), and the TIPS
    yield and the 2s10s spread by points, not basis points. A fetch writes the import's entry."""
    from spillwatch.data.ingest import import_path

    days = pd.bdate_range("2025-03-03", "2025-04-18")
    values = {"DFII10": [round(1.9 + 0.01 * (i % 7), 2) for i in range(len(days))],
              "CBBTCUSD": [round(82_000 + 350.5 * (i % 9), 2) for i in range(len(days))],
              "T10Y2Y": [round(0.3 + 0.01 * (i % 5), 2) for i in range(len(days))]}
    (tmp_path / "fred").mkdir()
    for sid, v in values.items():
        rows = [f"{d:%Y-%m-%d},{x}" for d, x in zip(days, v, strict=True)]
        (tmp_path / "fred" / f"{sid}.csv").write_text("\n".join([f"date,{sid}", *rows]) + "\n")
        world.fred[sid] = "\n".join([f"observation_date,{sid}", *rows]) + "\n"
    import_path(tmp_path / "fred", store)
    ids = [f"fred:{s}" for s in values]

    def entries():
        cat = store.series().set_index("series_id").loc[ids]
        return cat.drop(columns=["created_at"]).to_dict(orient="index")

    before = entries()
    assert before["fred:CBBTCUSD"]["unit"] == "usd" and before["fred:CBBTCUSD"]["positive"]
    assert before["fred:DFII10"]["unit"] == "pct" and before["fred:T10Y2Y"]["unit"] == "pct"
    res = fetch(store, series=ids, since="2025-03-01", end=END, config=fast,
                providers={"fred": FredProvider(httpserver.url_for(""), min_interval=0.0)})
    assert res.ok and res.totals["stored"] == 0 and res.totals["revised"] == 0
    assert entries() == before


def test_plan_items_and_errors():
    provs = {"treasury": TreasuryProvider("http://x"), "fred": FredProvider("http://x"),
             "binance": BinanceProvider("http://x"), "tic": TicProvider("http://x")}
    units = plan(["ust10y", "btc,fred:VIXCLS", "tic"], provs)
    labels = [u.label for u in units]
    assert labels == ["tic", "fred:DGS10", "binance:BTCUSDT", "fred:VIXCLS"]
    with pytest.raises(ConfigError, match="unknown series 'nope'"):
        plan(["nope"], provs)
    with pytest.raises(ConfigError, match="no live source"):
        plan(["move"], provs)
    last = {"fred:DGS10": pd.Timestamp("2025-04-21")}
    assert start_of(units[1], last) == pd.Timestamp("2025-04-14")
    assert start_of(units[2], last) is None


@pytest.mark.slow
def test_cli_fetch_then_run_offline(httpserver, world, tmp_path, monkeypatch):
    from spillwatch.cli import app

    url = httpserver.url_for("/")
    for name in ("TREASURY", "FRED", "BINANCE", "COINGECKO", "TIC", "MOF", "FISCALDATA"):
        monkeypatch.setenv(f"SPILLWATCH_{name}_URL", url)
    monkeypatch.setenv("SPILLWATCH_HTTP_RETRIES", "0")
    db = tmp_path / "fresh" / "s.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["fetch", "--db", str(db), "--series", "fred:DGS10,tic",
                              "--since", "2025-04-01", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["totals"]["stored"] > 0 and db.exists() and doc["errors"] == {}
    res = runner.invoke(app, ["fetch", "--db", str(db), "--series", "fred:NOSUCH"])
    assert res.exit_code == 1 and "HTTP 404" in res.output
    # nothing listens on the port any more: run says so per source and writes no report;
    # --no-fetch then runs on the store as it is
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()
    for name in ("TREASURY", "FRED", "BINANCE", "COINGECKO", "TIC", "MOF", "FISCALDATA"):
        monkeypatch.setenv(f"SPILLWATCH_{name}_URL", dead)
    res = runner.invoke(app, ["run", "--db", str(db), "--out", str(tmp_path / "rep")])
    assert res.exit_code == 1, res.output
    assert "the network is down" in res.output and "--no-fetch" in res.output
    assert not (tmp_path / "rep" / "report.html").exists()
    res = runner.invoke(app, ["run", "--db", str(db), "--no-fetch",
                              "--out", str(tmp_path / "rep")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "rep" / "report.html").exists(), res.output
    runs = __import__("spillwatch.store", fromlist=["Store"]).Store(db, read_only=True)
    try:
        kinds = runs.runs()["kind"].tolist()
    finally:
        runs.close()
    assert kinds[:2] == ["run", "fetch"]


def test_providers_do_not_import_interfaces():
    import subprocess
    import sys

    # httpx itself imports rich (its CLI), so _http is imported only when a fetch runs
    code = ("import sys, spillwatch.data.fetch, spillwatch.data.providers.crypto, "
            "spillwatch.data.providers.tic, spillwatch.data.providers.fred, "
            "spillwatch.data.providers.treasury\n"
            "print(','.join(m for m in ('typer', 'fastapi', 'rich', 'plotly') "
            "if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0 and res.stdout.strip() == "", res.stderr


def test_closed_history_comes_from_the_disk_cache(httpserver, world, fast, store, tmp_path):
    from spillwatch.data._http import HttpConfig

    cfg = HttpConfig(**{**vars(fast), "cache_dir": tmp_path / "cache"})
    provs = providers(httpserver)
    world.treasury_2025 = whole_year(payload("treasury/daily_treasury_rates_2025.csv"))
    for _ in range(2):
        res = fetch(store, series=["treasury"], since="2024-06-01", end=END, config=cfg,
                    providers=provs)
        assert res.ok, res.errors
    years = [r.path.split("/")[-2] for r, _ in httpserver.log if r.path.startswith(TREASURY)]
    assert years == ["2024", "2025", "2025"]  # 2024 is over: served from the cache the 2nd time
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_fred_api_pages_on_offset_and_hides_the_key(httpserver, fast, store, caplog):
    doc = json.loads(payload("fred/api_series_observations_DGS10.json"))

    def handler(request: Request) -> Response:
        offset, limit = int(request.args["offset"]), int(request.args["limit"])
        page = {**doc, "offset": offset, "limit": limit,
                "observations": doc["observations"][offset:offset + limit]}
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request("/fred/series/observations").respond_with_handler(handler)
    prov = FredProvider(api_url=httpserver.url_for(""), api_key="TOPSECRET", min_interval=0.0,
                        page_limit=3)  # pages of three (the service's limit is 100000)
    with caplog.at_level("DEBUG"):
        res = fetch(store, series=["fred:DGS10"], since="2025-04-14", end="2025-04-22",
                    config=fast, providers={"fred": prov})
    client_side = "\n".join(r.getMessage() for r in caplog.records
                            if r.name.startswith(("spillwatch", "httpx", "httpcore")))
    assert res.ok and res.totals["stored"] == 5 and res.totals["requests"] == 2
    assert [r.args["offset"] for r, _ in httpserver.log] == ["0", "3"]
    assert "HTTP Request" in client_side  # httpx's own line, redacted by our log filter
    assert "TOPSECRET" not in client_side and "api_key=%2A%2A%2A" in client_side
    assert "TOPSECRET" not in store.runs().to_string()


@pytest.mark.parametrize("status", [200, 404])
@pytest.mark.parametrize("end, ok", [("2026-01-02 12:00", True), ("2026-01-20", False)])
def test_a_new_year_s_empty_file_before_its_first_close_is_no_error(httpserver, fast, store,
                                                                     end, ok, status):
    # an empty (or not yet existing) 2026 file on the morning of 2 January failed the whole
    # curve, December included
    httpserver.expect_request(f"{TREASURY}2025/all").respond_with_data(
        payload("treasury/daily_treasury_rates_2025.csv"), content_type="text/csv")
    httpserver.expect_request(f"{TREASURY}2026/all").respond_with_data(
        "" if status == 200 else "<html>Not Found</html>", status=status,
        content_type="text/csv" if status == 200 else "text/html")
    prov = {"treasury": TreasuryProvider(httpserver.url_for(""), history_start="2025-04-01")}
    res = fetch(store, series=["treasury"], end=end, config=fast, providers=prov)
    assert res.ok is ok, res.errors
    if ok:
        assert res.totals["stored"] > 0
        said = ("is empty" if status == 200 else "is not there yet (HTTP 404)")
        assert f"treasury: the 2026 file {said}: no day of 2026 is published yet" in \
            res.outcomes[0].notes
    else:   # weeks into the year an empty answer (or none) is a broken one
        assert ("empty" if status == 200 else "404") in res.errors["treasury"]
        assert store.count() == 0


def test_a_server_answering_fewer_klines_than_asked_loses_none(httpserver, world, fast,
                                                               store):
    """The pager went on from the end of the page it asked for, not from the last kline it
    got: a server capping pages below the limit (or a duplicate in a full page) lost the rest
    of each page, and the fetch said "ok" (1,757 of 3,257 days behind a 500-row cap)."""
    cap = 1

    def capped(request: Request) -> Response:
        a = request.args
        start, end = int(a["startTime"]), int(a["endTime"])
        rows = [k for k in world.klines[a["interval"]] if start <= k[0] <= end][:cap]
        return Response(json.dumps(rows), content_type="application/json")

    httpserver.clear_all_handlers()
    httpserver.expect_request("/api/v3/klines").respond_with_handler(capped)
    res = fetch(store, series=["binance:BTCUSDT"], end=END, config=fast,
                providers=providers(httpserver))
    assert res.ok, res.errors
    want = pd.to_datetime([k[0] for k in world.klines["1d"]], unit="ms")
    want = want[(want >= pd.Timestamp("2025-04-06")) & (want + pd.Timedelta(days=1)
                                                       <= pd.Timestamp(END))]
    got = store.observations(["binance:BTCUSDT"])["ts"]
    assert list(got) == list(want) and len(want) >= 3



def test_a_year_s_file_cut_at_a_row_boundary_is_refused_not_a_hole(httpserver, world, fast,
                                                                    store):
    """The Treasury file is newest first: cut after 60 rows it lost its oldest days, ended in
    a line break and passed; the 10-year then jumped from July to October, and the next
    fetches (a week's overlap) never filled the hole. Each year must reach back to the first
    day asked of it."""
    whole = whole_year(payload("treasury/daily_treasury_rates_2025.csv"))
    head, *rows = whole.decode().strip().split("\n")
    world.treasury_2025 = ("\n".join([head, *rows[:40]]) + "\n").encode()
    prov = {"treasury": TreasuryProvider(httpserver.url_for(""), history_start="2025-01-01")}
    res = fetch(store, series=["treasury"], end=END, config=fast, providers=prov)
    assert not res.ok and "an answer cut short (the file is newest first)" in \
        res.errors["treasury"]
    assert store.count() == 0
    world.treasury_2025 = whole
    res = fetch(store, series=["treasury"], end=END, config=fast, providers=prov)
    assert res.ok, res.errors
    assert store.observations(["treasury:yield_10y_pct"])["ts"].min() == pd.Timestamp(
        "2025-01-02")


def test_a_tenor_that_starts_late_in_the_year_is_no_cut_file(httpserver, world, fast, store):
    """The reach-back check read the wanted tenors' oldest day: a single-tenor fetch of one
    that starts late in its year (the 20-year in 1993, the 1.5-month bill in 2025) was
    refused as "an answer cut short". The file's oldest row decides."""
    whole = whole_year(payload("treasury/daily_treasury_rates_2025.csv")).decode()
    head, *rows = whole.strip().split("\n")
    col = [c.strip('"') for c in head.split(",")].index("10 Yr")
    late = [r if r.startswith("04/") else ",".join(
        "" if i == col else v for i, v in enumerate(r.split(","))) for r in rows]
    world.treasury_2025 = ("\n".join([head, *late]) + "\n").encode()
    prov = {"treasury": TreasuryProvider(httpserver.url_for(""), history_start="2025-01-01")}
    res = fetch(store, series=["treasury:yield_10y_pct"], end=END, config=fast,
                providers=prov)
    assert res.ok, res.errors
    assert store.observations(["treasury:yield_10y_pct"])["ts"].min() >= pd.Timestamp(
        "2025-04-01")
