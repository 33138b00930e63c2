"""A figure dated before the evening but published after it is not one that "begins later".

The scenario as of 2006-01-04 on ../shared/data said "the store's figures of it begin later
(usd_broad 2006-01-02)": 2006-01-02 is before the evening. The broad dollar (fred/DTWEXBGS.csv,
first row 2006-01-02) is H.10's, published the next Monday: its first week is out on
2006-01-09, the first evening whose vintage holds it (h_verify19).
"""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.cli import app as cli
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata
runner = CliRunner()


@pytest.fixture(scope="module")
def rates_and_dollar(shared_data, tmp_path_factory):
    """The 10-year (from 1962) and the broad dollar (from 2006-01-02), by the project's import."""
    db = tmp_path_factory.mktemp("dollar") / "store.duckdb"
    for f in ("DGS10.csv", "DTWEXBGS.csv"):
        res = runner.invoke(cli, ["import", str(shared_data / "fred" / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    return db


def test_a_figure_stored_before_the_evening_is_said_to_be_published_later(rates_and_dollar):
    with Workspace(rates_and_dollar, read_only=True) as ws:
        evening = vintage_workspace(ws, dt.date(2006, 1, 4))
        assert "usd_broad" not in evening.have(["usd_broad"])
        assert evening.begins_later(["usd_broad"]) == (
            "the store's figures of it are first published later (usd_broad 2006-01-02, first "
            "published 2006-01-09); give a later --as-of")
        # the release day is the first evening that holds it
        assert "usd_broad" in vintage_workspace(ws, dt.date(2006, 1, 9)).have(["usd_broad"])
        # an evening before the first figure: "begin later", as before
        assert vintage_workspace(ws, dt.date(2005, 12, 30)).begins_later(["usd_broad"]) == (
            "the store's figures of it begin later (usd_broad 2006-01-02); give a later --as-of")


@pytest.fixture(scope="module")
def rates_and_crypto(shared_data, tmp_path_factory):
    """The 10-year and Binance's BTC and ETH (from 2018-01-01), by the project's import."""
    db = tmp_path_factory.mktemp("crypto") / "store.duckdb"
    for f in ("fred/DGS10.csv", "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv"):
        res = runner.invoke(cli, ["import", str(shared_data / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    return db


def test_the_default_var_too_young_names_its_way_out(rates_and_crypto, live_server_cls):
    """Crypto's first week (2018-01-05): `risk --as-of` said "no default asset (btc, eth,
    trump) has 200 observations between 2015-01-01 and 2018-01-05" and named no way out, where
    `risk --assets btc --as-of 2018-01-05` says "give a later --as-of"; /api/risk's note too."""
    import httpx

    from spillwatch.api.app import create_app
    from spillwatch.api.limits import RateLimit

    way = ("no default asset (btc, eth, trump) has 200 observations between 2015-01-01 and "
           "2018-01-05 (the most: btc_pct, 2 from 2018-01-03); their history begins there: "
           "give a later --as-of")
    res = runner.invoke(cli, ["risk", "--as-of", "2018-01-05", "--db", str(rates_and_crypto)])
    assert res.exit_code == 2 and way in " ".join(res.output.split()), res.output
    # an earlier --start cannot help: the store's bitcoin begins on 2018-01-01
    res = runner.invoke(cli, ["risk", "--as-of", "2018-01-05", "--start", "2018-01-01",
                              "--db", str(rates_and_crypto)])
    assert res.exit_code == 2 and "give a later --as-of" in res.output, res.output
    assert "earlier --start" not in res.output
    high = RateLimit(per_second=10_000.0, burst=100_000)
    application = create_app(rates_and_crypto, token="t" * 24, read_limit=high,
                             write_limit=high, warm=False)
    with live_server_cls(application) as server, httpx.Client(base_url=server.url,
                                                              timeout=120) as client:
        got = client.get("/api/risk", params={"as_of": "2018-01-05"})
    assert got.status_code == 200, got.text
    assert (f"VaR/ES not computed: {way.replace('--as-of', 'as_of')}"
            in got.json()["summary"]["notes"])


def test_a_named_asset_the_store_holds_from_later_on_is_not_sent_to_import(rates_and_crypto):
    """`risk --assets btc --as-of 2010-01-04` said "no data for asset(s) btc in store ... as
    published by 2010-01-04; import a file that carries them": the store's bitcoin begins on
    2018-01-01 (crypto/BTCUSDT.csv); a later evening is the way out."""
    res = runner.invoke(cli, ["volatility", "--assets", "btc", "--as-of", "2010-01-04", "--db",
                              str(rates_and_crypto)])
    text = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert ("no data for asset(s) btc in store" in text and "as published by 2010-01-04; the "
            "store's figures of it begin later (btc 2018-01-01): give a later --as-of or drop "
            "them from --assets") in text
    assert "import a file" not in text
