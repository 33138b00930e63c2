"""The CLI commands (volatility, risk, events) and the report sections of the risk analytics."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def test_volatility_command_json():
    res = runner.invoke(app, ["volatility", "--demo", "--json", "--assets", "ust10y,btc,eth",
                              "--model", "ewma"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["volatility"]["model"] == "ewma"
    assert doc["correlation"]["method"] == "dcc"
    assert set(doc["correlation"]["table"]["columns"]) == {"ust10y_bp", "btc_pct", "eth_pct"}


def test_one_asset_has_no_correlation_to_show():
    res = runner.invoke(app, ["volatility", "--demo", "--json", "--assets", "btc",
                              "--model", "ewma"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert "volatility" in doc and "correlation" not in doc   # (a DCC 'of' one series)


def test_risk_command_json():
    res = runner.invoke(app, ["risk", "--demo", "--json", "--assets", "btc",
                              "--methods", "historical,fhs", "--no-backtest"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    table = doc["var_es"]["table"]
    methods = {dict(zip(table["columns"], row, strict=True))["method"] for row in table["data"]}
    assert methods == {"historical", "fhs"}
    assert doc["covar"]["condition"] == "ust10y_bp"


def test_events_command_text_and_errors(tmp_path):
    res = runner.invoke(app, ["events", "--demo", "--event", "tariff_pause"])
    assert res.exit_code == 0, res.output
    assert "tariff_pause" in res.stdout and "CAR" in res.stdout
    bad = tmp_path / "ev.toml"
    bad.write_text('[[event]]\nid = "x"\nname = "no date"\n')
    res = runner.invoke(app, ["events", "--demo", "--file", str(bad)])
    assert res.exit_code == 2
    assert "has no 'date'" in res.output
    res = runner.invoke(app, ["events", "--demo", "--event", "nope"])
    assert res.exit_code == 2 and "unknown event id" in res.output


@pytest.fixture(scope="module")
def real_ctx(real_db):
    from spillwatch.data.source import open_source
    from spillwatch.report.context import ReportContext
    from spillwatch.service.workspace import Workspace

    src = open_source(real_db, read_only=True)
    yield ReportContext(Workspace(src))
    src.close()


@pytest.mark.realdata
def test_report_event_section_shows_april_2025(real_ctx):
    """Done-when: the early-April 2025 event study appears in the report from real data."""
    from spillwatch.report.sections import events

    sec = events.build(real_ctx)
    assert sec is not None and sec.key == "events"
    assert "liberation_day_tariffs" in sec.html and "tariff_pause" in sec.html
    for e in ("liberation_day_tariffs", "tariff_pause"):
        assert {"btc_pct", "eth_pct", "trump_pct"} <= set(sec.summary[e])
    assert len(sec.figures) == 2
    assert "2025-04-02" in sec.figures[0].layout.title.text
    # what the CLI says beside the numbers is in the table too: the liberation-day window
    # holds the pause (its +32.67 bp includes the pause's days), TRUMP's short estimation
    row = next(r for r in sec.html.split("<tr>") if "liberation_day_tariffs" in r)
    assert "window also holds tariff_pause" in row
    # (43: its first change, 2025-01-22, was lost when the months before it listed were merged
    # into it)
    # ... with the drift its short estimation window carries (the launch's fall)
    assert ("trump_pct estimated on 43 of 120 days; its drift there, -3.00% a day, is -21.00% "
            "of the expected move (the constant-mean model") in row
    # the units are what the panel holds: summed log returns x 100, not simple %
    assert "summed daily log returns &times; 100" in sec.html
    # COVID's 10-year read +53.54 (t 3.2) in bold beside a raw -19.0 and a constant-mean
    # -17.8: the constant-mean CAR is in the table, and a market-model CAR of the other sign
    # is marked, never bold
    from spillwatch.service import events as service

    car = service.events(real_ctx.workspace).car.set_index(["event", "series"])
    r = car.loc[("covid_oil_crash", "ust10y_bp")]
    assert r["car"] > 0 > r["car_mean_model"] and abs(r["t"]) >= 1.96
    row = next(x for x in sec.html.split("<tr>") if "covid_oil_crash" in x)
    cell = f"{r['car']:+.2f} ({r['t']:+.1f}) &dagger;"
    assert cell in row and f"<b>{cell}</b>" not in row
    assert f"constant mean {r['car_mean_model']:+.2f} ({r['t_mean_model']:+.1f})" in row


@pytest.mark.slow
@pytest.mark.realdata
def test_report_risk_section(real_ctx):
    from spillwatch.report.sections import risk

    sec = risk.build(real_ctx)
    assert sec is not None
    tail = sec.summary["tail_risk"]
    assert tail["backtest_passed"]["btc_pct/fhs"] is True
    assert "ΔCoVaR" in sec.figures[-1].layout.title.text
    # the sign is explained where the numbers are (TRUMP's positive ΔCoVaR read as added risk)
    assert "<b>positive</b>: the tail is shallower on those days (no added risk)" in sec.html
    assert {"btc_pct@0.95", "eth_pct@0.95", "trump_pct@0.95"} <= set(tail["delta_covar"])
    # the DCC's forecasts barely move on sell-off days (ust10y~btc -0.009): what the pair did
    # on them is shown beside them (-0.16 on the shared data)
    sell = sec.summary["correlation"]["calm_vs_selloff"]["ust10y_bp~btc_pct"]
    assert sell["realised_selloff"] < -0.1 < sell["selloff"]
    lo, hi = sell["realised_selloff_ci95"]
    assert lo < sell["realised_selloff"] < hi
    assert "realised sell-off" in sec.html and "made the evening before" in sec.html
    # the weekend changes' own test is in the report: ETH "passed" pooled while its spanning
    # changes broke the 99% VaR too often
    from spillwatch.service import risk as service

    bt = service.tail_risk(real_ctx.workspace).backtest.table()
    bad = bt[bt["kupiec_p_spanning"] < 0.05]
    assert len(bad) and "<b>Failing on those changes</b>" in sec.html
    for (n, m), r in bad.iterrows():
        assert (f"{n} {m} ({int(r['violations_spanning'])} of {int(r['days_spanning'])}, "
                f"Kupiec p {r['kupiec_p_spanning']:.3f})") in sec.html


@pytest.mark.slow
def test_volatility_keeps_each_series_forecast_when_the_joint_fit_cannot_run():
    """225 days: each series has its 200, the dynamic correlation not its 250 together; the
    command exited 2 and withheld every forecast."""
    res = runner.invoke(app, ["volatility", "--demo", "--start", "2025-12-20", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["volatility"]["table"]
    assert doc["correlation"]["title"] == "dynamic correlation"
    assert "needs two series with at least 250 observations" in doc["correlation"]["error"]
    text = runner.invoke(app, ["volatility", "--demo", "--start", "2025-12-20"])
    assert text.exit_code == 0
    assert "dynamic correlation: not estimated: " in text.output


def test_a_dcc_of_named_assets_fits_them_alone(tmp_path):
    """The DCC of ``--assets spx,btc`` took in the 10-year whenever the data held one (the risk
    panel adds it for CoVaR): its a and b are shared by every series, so the pair's correlation
    moved with a series never named (0.32 with it, 0.20 without, on simulated data whose true
    next-day correlation was 0.20)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(901)
    days = pd.date_range("2019-01-01", "2024-12-31", freq="D")
    bdays = days[days.day_of_week < 5]
    common = rng.standard_normal(len(days))
    btc = 30_000 * np.exp(np.cumsum(0.02 * (0.6 * common + 0.8 * rng.standard_normal(
        len(days)))))
    spx_moves = 0.01 * (0.6 * common + 0.8 * rng.standard_normal(len(days)))
    spx = 3_000 * np.exp(np.cumsum(pd.Series(spx_moves, index=days).loc[bdays].to_numpy()))
    ten = 2 + np.cumsum(0.05 * rng.standard_normal(len(bdays)))
    folders = {}
    for name, with_ten in (("with", True), ("without", False)):
        root = tmp_path / name
        (root / "fred").mkdir(parents=True)
        (root / "crypto").mkdir()
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "BTCUSDT": btc.round(2)}).to_csv(
            root / "crypto" / "BTCUSDT.csv", index=False)
        pd.DataFrame({"observation_date": bdays.strftime("%Y-%m-%d"),
                      "SP500": spx.round(2)}).to_csv(root / "fred" / "SP500.csv", index=False)
        if with_ten:
            pd.DataFrame({"observation_date": bdays.strftime("%Y-%m-%d"),
                          "DGS10": ten.round(2)}).to_csv(root / "fred" / "DGS10.csv",
                                                         index=False)
        folders[name] = root

    def dcc(root):
        res = runner.invoke(app, ["volatility", "--data", str(root), "--assets", "spx,btc",
                                  "--model", "ewma", "--correlation", "dcc", "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["correlation"]

    got, alone = dcc(folders["with"]), dcc(folders["without"])
    assert got["table"]["columns"] == ["spx_pct", "btc_pct"]
    assert got["params"] == pytest.approx(alone["params"], rel=1e-9)
    np.testing.assert_allclose(got["table"]["data"], alone["table"]["data"], rtol=1e-9)
    # the calm vs sell-off table, whose days are the 10-year's, says why it is not there
    assert got["summary"]["calm_vs_selloff"] == {}
    assert any(n.startswith("no calm vs Treasury sell-off table") for n in got["notes"])
