"""One refusal, one reason, on every surface (h_par1).

On the data as published by 2008-09-15 (and 1990-01-10, 2011-08-31, 2015-01-02) ``risk`` was
refused with three reasons: the CLI said the window ends before the default start
(2015-01-01), ``/api/risk`` gave volatility's "give a --start" (an option it does not take)
and the report's risk section said the store lacks btc. What the evening lacks is crypto: the
store's btc and eth (Binance's closes) begin on 2018-01-01. And ``risk --as-of D`` on a store
of bitcoin alone asked for a 10-year yield, where ``--end D`` gave the VaR.
"""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.api.app import create_app
from spillwatch.api.limits import RateLimit
from spillwatch.cli import app as cli
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.html import build_sections
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

HIGH = RateLimit(per_second=10_000.0, burst=100_000)
runner = CliRunner()
EVENING = "2008-09-15"
#: What the evening lacks, as every surface must say it (the CSVs' first rows: 2018-01-01).
REASON = ("holds none of btc, eth, trump: the store's figures of them begin later "
          "(btc 2018-01-01, eth 2018-01-01)")


def _import(db, *files) -> None:
    for f in files:
        res = runner.invoke(cli, ["import", str(f), "--db", str(db)])
        assert res.exit_code == 0, res.output


@pytest.fixture(scope="module")
def rates_and_crypto(shared_data, tmp_path_factory):
    """The 10-year (from 1962) and Binance's BTC and ETH (from 2018), by the project's import."""
    db = tmp_path_factory.mktemp("refusal") / "store.duckdb"
    _import(db, shared_data / "fred" / "DGS10.csv", shared_data / "crypto" / "BTCUSDT.csv",
            shared_data / "crypto" / "ETHUSDT.csv")
    return db


@pytest.fixture(scope="module")
def btc_only(shared_data, tmp_path_factory):
    db = tmp_path_factory.mktemp("btc") / "btc.duckdb"
    _import(db, shared_data / "crypto" / "BTCUSDT.csv")
    return db


def test_the_cli_says_what_the_evening_lacks(rates_and_crypto):
    """Was: "the window ends (2008-09-15, ...) before it starts (2015-01-01 ...)"."""
    for extra in ([], ["--json"]):
        res = runner.invoke(cli, ["risk", "--as-of", EVENING, "--db", str(rates_and_crypto),
                                  *extra])
        assert res.exit_code == 2
        text = " ".join(res.output.split())
        assert REASON in text and text.endswith("give a later --as-of"), text
        assert "window ends" not in text


def test_the_api_says_it_in_its_own_words(rates_and_crypto, live_server_cls):
    """Was volatility's "... give a --start before 2008-09-15 ... (--end, --start: the command
    line's; this endpoint takes as_of)"."""
    application = create_app(rates_and_crypto, token="t" * 24, read_limit=HIGH,
                             write_limit=HIGH, warm=False)
    with live_server_cls(application) as server, httpx.Client(base_url=server.url,
                                                              timeout=120) as client:
        got = client.get("/api/risk", params={"as_of": EVENING})
    assert got.status_code == 409
    detail = got.json()["detail"]
    # its own parameter, and no option it does not take
    assert REASON in detail and detail.endswith("give a later as_of"), detail
    assert "--" not in detail


def test_the_reports_risk_section_says_it(rates_and_crypto):
    """Was "... it needs btc and ust10y; store ... lacks btc (...)"."""
    day = dt.date.fromisoformat(EVENING)
    with open_source(None, db=rates_and_crypto, read_only=True) as src:
        ws = vintage_workspace(Workspace(src), day)
        with replay_day(day, published=True):
            _, failures = build_sections(ReportContext(ws), ["risk"])
    assert REASON in failures["risk"] and "lacks btc" not in failures["risk"], failures


def test_risk_as_of_on_a_bitcoin_store_is_the_var_end_gives(btc_only):
    """The LUNA evening 2022-05-12: BTC's 99% historical VaR 13.521, ES 14.931 (the last 500
    daily log changes' 5 worst, as h_ep6 computed them from the CSV), with --as-of as --end."""
    out = {}
    for option in ("--as-of", "--end"):
        res = runner.invoke(cli, ["risk", option, "2022-05-12", "--db", str(btc_only),
                                  "--methods", "historical", "--no-backtest", "--json"])
        assert res.exit_code == 0, res.output
        out[option] = json.loads(res.stdout)["summary"]
    assert out["--as-of"] == out["--end"]
    assert round(out["--as-of"]["var"]["btc_pct/historical"], 3) == 13.521
    assert round(out["--as-of"]["es"]["btc_pct/historical"], 3) == 14.931


@pytest.fixture(scope="module")
def ten_year_only(shared_data, tmp_path_factory):
    db = tmp_path_factory.mktemp("ten") / "ten.duckdb"
    _import(db, shared_data / "fred" / "DGS10.csv")
    return db


def test_a_store_without_crypto_says_so_alike_on_the_cli_and_the_api(ten_year_only,
                                                                      live_server_cls):
    """No later evening helps a store that holds no crypto: the command that measures what
    it holds is named (a command written out, left as it is by the API)."""
    reason = ("holds none of btc, eth, trump (spillwatch risk --assets measures what it "
              "holds)")
    res = runner.invoke(cli, ["risk", "--as-of", EVENING, "--db", str(ten_year_only)])
    assert res.exit_code == 2 and " ".join(res.output.split()).endswith(reason), res.output
    application = create_app(ten_year_only, token="t" * 24, read_limit=HIGH,
                             write_limit=HIGH, warm=False)
    with live_server_cls(application) as server, httpx.Client(base_url=server.url,
                                                              timeout=120) as client:
        got = client.get("/api/risk", params={"as_of": EVENING})
    assert got.status_code == 409 and got.json()["detail"].endswith(reason), got.text


def test_a_var_too_young_withholds_no_forecast_the_report_shows(rates_and_crypto,
                                                                 live_server_cls):
    """2018-06-01: BTC and ETH have 5 months of closes, fewer than the VaR's 200 days. The
    report's risk section showed the 10-year's volatility forecast with "VaR/ES not computed:
    ..."; /api/risk refused it all (409). Now the same parts and the same note."""
    day = "2018-06-01"
    why = ("VaR/ES not computed: no default asset (btc, eth, trump) has 200 observations "
           "between 2015-01-01 and 2018-06-01 (the most: btc_pct, 103 from 2018-01-03); their "
           "history begins there: give a later --as-of")
    res = runner.invoke(cli, ["risk", "--as-of", day, "--db", str(rates_and_crypto)])
    assert res.exit_code == 2 and why.removeprefix("VaR/ES not computed: ") in res.output
    with open_source(None, db=rates_and_crypto, read_only=True) as src:
        ws = vintage_workspace(Workspace(src), dt.date.fromisoformat(day))
        with replay_day(dt.date.fromisoformat(day), published=True):
            built, failures = build_sections(ReportContext(ws), ["risk"])
    assert failures == {} and why in built[0].html
    application = create_app(rates_and_crypto, token="t" * 24, read_limit=HIGH,
                             write_limit=HIGH, warm=False)
    with live_server_cls(application) as server, httpx.Client(base_url=server.url,
                                                              timeout=120) as client:
        got = client.get("/api/risk", params={"as_of": day})
    assert got.status_code == 200, got.text
    summary = got.json()["summary"]
    assert summary["tail_risk"] is None and why.replace("--as-of", "as_of") in summary["notes"]
    assert summary["volatility"] == json.loads(json.dumps(built[0].summary["volatility"]))
    assert "ust10y_bp" in summary["volatility"]


def test_volatility_too_short_says_an_option_that_helps(rates_and_crypto):
    """2015-01-05 with the default start 2015-01-01: FRED's 10-year of 2015-01-02 (2.12, from
    2.17 on 2014-12-31) is out, that of the 5th not yet: one change. The advice was the
    library's "load a longer history (an earlier start) or shorten the window": a shorter
    window has fewer days still."""
    res = runner.invoke(cli, ["volatility", "--as-of", "2015-01-05", "--start", "2015-01-01",
                              "--db", str(rates_and_crypto)])
    text = " ".join(res.output.split())
    assert res.exit_code == 2, text
    assert ("'ust10y_bp' has 1 observations from 2015-01-02 to 2015-01-02; a volatility "
            "model needs at least 200. Give an earlier --start or a later --as-of.") in text
    assert "shorten the window" not in text
    # by default the window of an evening before 2018 starts three years before it: the
    # 10-year's history in the store from then is fitted
    res = runner.invoke(cli, ["volatility", "--as-of", "2015-01-05", "--json",
                              "--db", str(rates_and_crypto)])
    assert res.exit_code == 0, res.output
    table = json.loads(res.output)["volatility"]["table"]
    row = dict(zip(table["columns"], table["data"][table["index"].index("ust10y_bp")],
                   strict=True))
    # FRED's DGS10 prints from 2012-01-05 to 2015-01-02 (the business days less the holidays
    # on which H.15 prints no yield): its changes from the second of them
    assert 745 <= row["nobs"] <= 755, row
    assert row["last_date"] == "2015-01-02"


@pytest.mark.realdata
def test_spillover_and_the_scenario_say_when_the_store_s_figures_begin(real_db):
    """On ../shared/data as published by 2008-09-15 spillover said "holds no crypto series" of a
    store whose bitcoin and ether begin on 2018-01-01 (crypto/BTCUSDT.csv, ETHUSDT.csv), and
    the scenario as of 1990-01-10 "none published by the evening asked for, or 'usd_broad'
    not loaded" of a broad dollar stored from 2006-01-02 (fred/DTWEXBGS.csv)."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.exceptions import DataError
    from spillwatch.service import scenarios, spillover
    from spillwatch.service.workspace import Workspace

    with Workspace(real_db, read_only=True) as ws:
        assert ws.begins_later(["btc"]) is None             # the latest data: nothing later
        then = vintage_workspace(ws, dt.date(2008, 9, 15))
        with pytest.raises(DataError) as err:
            spillover.spillover(then)
        assert str(err.value).endswith(
            "holds no crypto series (btc, eth): the store's figures of them begin later (btc "
            "2018-01-01, eth 2018-01-01); give a later --as-of. Name the assets (--assets) for "
            "the connectedness of what it holds")
        early = vintage_workspace(ws, dt.date(1990, 1, 10))
        with pytest.raises(DataError) as err:
            scenarios.market(early)
        assert str(err.value).endswith(
            "holds none of its changes: the store's figures of it begin later (usd_broad "
            "2006-01-02); give a later --as-of")
