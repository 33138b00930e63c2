"""The API on ../shared/data: one column name, one set of numbers across endpoints."""

from __future__ import annotations

import json
import shutil

import httpx
import numpy as np
import pandas as pd
import pytest

from spillwatch.api.app import create_app
from spillwatch.api.limits import RateLimit

pytestmark = pytest.mark.realdata
HIGH = RateLimit(per_second=10_000.0, burst=100_000)


@pytest.fixture(scope="module")
def served(real_db, tmp_path_factory, live_server_cls):
    """The app serving a copy of the session's real store, for the tests below that only read
    it: one server, its store read and panels built once for all of them, as a desk's server
    serves its clients. Yields the copy's path and the server's URL."""
    db = tmp_path_factory.mktemp("served") / "real.duckdb"
    shutil.copyfile(real_db, db)
    app = create_app(db, token="t" * 24, read_limit=HIGH, write_limit=HIGH, warm=False)
    with live_server_cls(app) as server:
        yield db, server.url


@pytest.mark.slow
def test_an_asset_series_is_its_panel_column(served):
    # /api/series/btc kept BTC's US holidays as days of their own (1.19% on 2026-01-02)
    # while /api/panel's btc_pct merged the holiday into the next day (2.54%)
    db, url = served
    with httpx.Client(base_url=url, timeout=120) as c:
        window = {"start": "2025-12-15", "end": "2026-01-10"}
        one = c.get("/api/series/btc", params=window).json()
        # the coin's own last close, a Sunday, not the panel's last business day
        sunday = c.get("/api/series/btc", params={"start": "2025-12-15",
                                                  "end": "2025-12-28"}).json()
        panel = c.get("/api/panel", params={**window, "columns": "btc_pct"}).json()["frame"]
        # a dated view's notes name the data as the CLI does; a 200 gave the server's folders
        # ("store /srv/desk/real.duckdb as published by ..."), which its errors hide
        risk = c.get("/api/risk", params={"as_of": "2023-03-13"})
        # an error in the API's terms: it answered "give a --start", which /api/risk does not
        # take, and "--as-of" for its as_of
        early = c.get("/api/risk", params={"as_of": "2013-06-24"})
    assert early.status_code == 409, early.text
    # what the evening lacks, as `risk --as-of` and the report say it (h_par1): it still
    # gave volatility's "give a --start ... (--end, --start: the command line's ...)"
    assert early.json()["detail"] == (
        "as_of 2013-06-24: no asset to measure: store real.duckdb as published by 2013-06-24 "
        "holds none of btc, eth, trump: the store's figures of them begin later (btc "
        "2018-01-01, eth 2018-01-01, trump 2025-01-19); give a later as_of")
    assert risk.status_code == 200 and "store real.duckdb as published by 2023-03-13" in risk.text
    assert str(db.parent) not in risk.text and str(db.parent.resolve()) not in risk.text
    assert sunday["dates"][-1] == "2025-12-26" and sunday["last_observation"] == "2025-12-28"
    # the panel's rows, from the asset's first value to its last (BTC's data end on 01-02;
    # the panel runs on with other series)
    held = [d for d, r in zip(panel["index"], panel["data"], strict=True) if r[0] is not None]
    assert one["dates"] == panel["index"][:panel["index"].index(held[-1]) + 1]
    assert "2025-12-25" not in one["dates"] and "2026-01-01" not in one["dates"]
    got = np.array([np.nan if v is None else v for v in one["change"]])
    want = np.array([np.nan if r[0] is None else r[0]
                     for r in panel["data"][:len(one["dates"])]])
    np.testing.assert_allclose(got, want, atol=1e-12, equal_nan=True)
    assert one["last_observation"] == "2026-01-02"   # BTC's last close in the window
    jan2 = one["change"][one["dates"].index("2026-01-02")]
    assert jan2 == pytest.approx(100 * np.log(89902.17 / 87648.22), abs=1e-6)


def test_any_stored_asset_is_served_from_its_first_value(served):
    """/api/series/ust7y said "no data" with 14,739 rows stored (it read the watch-list panel
    only), and /api/series/trump gave 25,157 dates from 1927 holding 248 values."""
    from typer.testing import CliRunner

    from spillwatch.cli import app as cli

    db, url = served
    with httpx.Client(base_url=url, timeout=120) as c:
        ust7y = c.get("/api/series/ust7y", params={"start": "2025-01-01"})
        trump = c.get("/api/series/trump").json()
    assert ust7y.status_code == 200, ust7y.text
    body = ust7y.json()
    assert body["simulated"] is False and body["level_column"] == "ust7y_pct"
    res = CliRunner().invoke(cli, ["data", "panel", "--asset", "ust7y", "--start", "2025-01-01",
                                   "--levels", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert body["dates"] == [r["date"][:10] for r in rows]       # the CLI's rows, one by one
    assert body["level"] == [r["ust7y_pct"] for r in rows]
    assert trump["dates"][0] >= "2025-01-01" and trump["level"][0] is not None
    assert len(trump["dates"]) < 600


def test_market_figures_say_their_series_are_stale(real_db):
    """The yield-dollar and crypto figures drew 11-month-old lines without a word, while the
    curve beside them said STALE; every figure of the market names its own stale series, as
    the report's market section does."""
    from spillwatch.api.views import Views
    from spillwatch.data.source import open_source
    from spillwatch.service import summary as summary_service
    from spillwatch.service.workspace import Workspace

    src = open_source(real_db, read_only=True)
    try:
        views = Views(src)
        for name, keys, words in (("yield_dollar", ["ust10y", "usd_broad"],
                                   "Nominal broad US dollar index"),
                                  ("crypto", ["btc", "eth", "trump"], "Bitcoin")):
            layout = json.loads(views.figure(name).body)["figure"]["layout"]
            notes = " ".join(a.get("text", "") for a in layout.get("annotations", []))
            want = summary_service.stale_note(Workspace(src), keys)
            assert want is not None and want.startswith("STALE as of ")   # the data end in 2026
            assert "STALE as of " in notes and words in notes.replace("<br>", " ")
    finally:
        src.close()


def test_a_weekly_series_says_its_last_print(served, shared_data):
    """/api/series/custody ran on 7 business days past the last Wednesday's print with its
    value repeated (the panel's carry), and a widget read dates[-1] as the last print."""
    import pandas as pd

    _, url = served
    with httpx.Client(base_url=url, timeout=120) as c:
        body = c.get("/api/series/custody", params={"start": "2026-01-01"}).json()
    raw = pd.read_csv(shared_data / "fred" / "WMTSECL1.csv").dropna()
    assert body["last_observation"] == str(raw.iloc[-1, 0])[:10]
    assert body["dates"][-1] > body["last_observation"]    # carried on the panel's days


@pytest.mark.slow
def test_a_book_too_short_by_as_of_is_refused_before_a_stream(real_db, tmp_path,
                                                              live_server_cls):
    """A book holding TRUMP as of 2025-03-24 (44 days of it in the model's sample) streamed its
    200 and then the error event; the check now fits the day's market first and says it as a
    409, the run's own words, on both forms of the request."""
    from typer.testing import CliRunner

    from spillwatch.cli import app as cli

    db = tmp_path / "real.duckdb"
    shutil.copyfile(real_db, db)
    # a fund of the user's from 2019 (the verifier's case: TRUMP beside an own series, and
    # TRUMP or bitcoin by their store ids, still streamed 200 and then the error)
    dates = pd.bdate_range("2019-03-01", "2025-12-31")
    nav = 100 * np.exp(np.cumsum(np.random.default_rng(5).normal(0, 0.01, len(dates))))
    fund = tmp_path / "fund.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "nav": nav}).to_csv(fund, index=False)
    imp = CliRunner().invoke(cli, ["import", str(fund), "--db", str(db), "--map",
                                   "nav=csv:FUND", "--positive"])
    assert imp.exit_code == 0, imp.output
    app = create_app(db, token="t" * 24, read_limit=HIGH, write_limit=HIGH, warm=False)
    body = {"sellers": ["japan:100e9:4w"], "as_of": "2025-03-24", "paths": 200,
            "portfolio": [{"asset": "ust10y", "weight": 1.0}, {"asset": "trump", "weight": -1.0}]}
    books = {"with a fund": [{"asset": "csv:FUND", "weight": 0.5},
                             {"asset": "trump", "weight": -1.0}],
             "by its id": [{"asset": "binance:TRUMPUSDT", "weight": -1.0}]}
    with live_server_cls(app) as server, httpx.Client(base_url=server.url, timeout=300) as c:
        auth = {"Authorization": "Bearer " + "t" * 24}
        streamed = c.post("/api/scenarios?stream=true", json=body, headers=auth)
        plain = c.post("/api/scenarios", json=body, headers=auth)
        others = {k: c.post("/api/scenarios?stream=true", json={**body, "portfolio": b},
                            headers=auth) for k, b in books.items()}
        # the fund alone before its first day (the run said "no data of it", after a 200)
        early = c.post("/api/scenarios?stream=true", headers=auth, json={
            **body, "as_of": "2018-06-01", "portfolio": [{"asset": "csv:FUND", "weight": 1.0}]})
        # without TRUMP the same request runs
        ok = c.post("/api/scenarios", json={**body, "portfolio": body["portfolio"][:1]},
                    headers=auth)
    assert streamed.status_code == 409, streamed.text[:300]
    assert plain.status_code == 409 and streamed.json() == plain.json()
    held = ("the book holds trump, but store real.duckdb as published by 2025-03-24 has 44 "
            "days of its changes in the model's sample")
    assert held in plain.json()["detail"]
    for name, r in others.items():
        assert r.status_code == 409, (name, r.text[:300])
        assert held in r.json()["detail"], name
    assert ok.status_code == 200, ok.text[:300]
    assert early.status_code == 409, early.text[:300]
    assert ("the book holds csv:FUND, but store real.duckdb as published by 2018-06-01 has no "
            "data of it") in early.json()["detail"]
