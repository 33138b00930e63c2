"""A currency per dollar in a scenario's book is a forward: its points are in the P&L.

A long USD/JPY book was priced as spot, without the rate differential a forward carries
(2.9-5.6 pp a year in 2023-25: about +1% of the notional over 60 business days), where a
Treasury's coupon was in.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.scenarios import Portfolio, preset
from spillwatch.scenarios.portfolio import forward_factor, held_years
from spillwatch.service import demand as demand_service
from spillwatch.service import scenarios as service
from spillwatch.service.workspace import Workspace


def _gauge_rates(ws: Workspace, day: str) -> tuple[float, float]:
    frame = demand_service.demand(ws).signals.frame.loc[:pd.Timestamp(day)]
    return float(frame["usd_short_rate_pct"].iloc[-1]), float(frame["jpy_short_rate_pct"].iloc[-1])


@pytest.mark.slow
def test_a_usdjpy_book_is_a_forward_at_the_gauge_s_rates():
    ws = Workspace("demo")
    book = Portfolio({"usdjpy": 1e6, "btc": 2e5}, kind="notional")
    res = service.run(ws, preset("japan-10pct"), paths=2_000, seed=3, portfolio=book)
    m = res.market
    rates = m.info["fx_rates_pct"]["usdjpy"]
    usd, jpy = _gauge_rates(ws, m.info["as_of"])
    assert (rates["usd_pct"], rates["ccy_pct"]) == (usd, jpy)
    assert usd > jpy                     # the demo's dollar pays more: a long earns the points
    tau = held_years(res.horizon)
    fwd = (1.0 + jpy / 100.0 * tau) / (1.0 + usd / 100.0 * tau)
    assert forward_factor(usd, jpy, tau) == pytest.approx(fwd, rel=1e-15)
    # every path's P&L by hand: the long forward returns 1 - (F/S0) exp(-x)
    x = res.kept_paths[:, -1, :].astype(np.float64) / 100.0
    j, b = m.assets.index("usdjpy"), m.assets.index("btc")
    mine = 1e6 * (1.0 - fwd * np.exp(-x[j])) + 2e5 * np.expm1(x[b])
    np.testing.assert_allclose(res.portfolio().samples, mine, rtol=1e-9, atol=1e-6)
    spot = 1e6 * (1.0 - np.exp(-x[j])) + 2e5 * np.expm1(x[b])
    gain = float(np.mean(mine - spot))
    assert gain == pytest.approx(1e6 * (1.0 - fwd) * float(np.mean(np.exp(-x[j]))), rel=1e-9)
    assert gain > 0.0
    # said, in the JSON and in the text under the VaR, with the points a long earns
    doc = res.to_dict()["portfolio"]["fx_forwards"]["usdjpy"]
    assert doc["points_pct"] == pytest.approx(100.0 * (1.0 - fwd), rel=1e-12)
    assert doc["usd_source"] and doc["ccy_source"] and doc["date"] <= m.info["as_of"]
    text = " ".join(str(res).split())
    assert (f"USD/JPY held as a forward struck on the first day: the dollar's {usd:.2f}% "
            f"({doc['usd_source']}) against {jpy:.2f}% ({doc['ccy_source']}) as read on "
            f"{doc['date']} add {100 * (1 - fwd):+.2f}% of its notional to the book's long "
            f"position over the {res.horizon} business days") in text
    assert text.count("held as a forward") == 1


@pytest.mark.slow
def test_a_market_without_rates_says_the_forward_has_no_points():
    """The library's own market (a panel, no gauge) has no rates: spot, and said."""
    ws = Workspace("demo")
    fit = service.market(ws)
    bare = fit.market.__class__(**{**fit.market.__dict__,
                                   "info": {**fit.market.info, "fx_rates_pct": {}}})
    book = Portfolio({"usdjpy": -1e6}, kind="notional")
    res = preset("japan-10pct").simulate(bare, paths=1_000, seed=3, portfolio=book)
    x = res.kept_paths[:, -1, :].astype(np.float64) / 100.0
    j = bare.assets.index("usdjpy")
    np.testing.assert_allclose(res.portfolio().samples, -1e6 * (1.0 - np.exp(-x[j])),
                               rtol=1e-9, atol=1e-6)
    assert res.to_dict()["portfolio"]["fx_forwards"] == {"usdjpy": None}
    assert ("USD/JPY held without forward points: no fresh short rates of both currencies"
            in " ".join(str(res).split()))
    # a book without a currency per dollar says nothing of forwards
    other = preset("japan-10pct").simulate(fit.market, paths=1_000, seed=3,
                                           portfolio=Portfolio({"btc": 1e6}, kind="notional"))
    assert other.to_dict()["portfolio"]["fx_forwards"] == {}
    assert "forward" not in str(other)


@pytest.mark.slow
def test_on_real_data_the_rates_are_the_published_ones(shared_data, real_db, tmp_path):
    """As of 2025-04-09 the bill of that day and the OECD yen rate of February (March's
    appears 45 days after its month begins): checked against the raw files. The bill is the
    Treasury par curve's of the 9th (4.35%, out that evening), not FRED's of the 8th (4.31%:
    H.15 is out the next business day), which the forward used while the store held both."""
    par = pd.read_csv(shared_data / "treasury" / "par_yield_curve.csv", index_col=0,
                      parse_dates=True)["yield_3m_pct"]
    fred = pd.read_csv(shared_data / "fred" / "DGS3MO.csv", index_col=0, parse_dates=True,
                       na_values=".").iloc[:, 0]
    oecd = pd.read_csv(shared_data / "fred" / "IR3TIB01JPM156N.csv", index_col=0,
                       parse_dates=True).iloc[:, 0]
    book = tmp_path / "book.csv"
    book.write_text("asset,notional_usd\nusdjpy,1000000\n")
    res = CliRunner().invoke(app, ["scenario", "japan-10pct", "--db", str(real_db), "--paths",
                                   "500", "--as-of", "2025-04-09", "--no-alone", "--json",
                                   "--portfolio", str(book)])
    assert res.exit_code == 0, res.output
    fwd = json.loads(res.stdout)["portfolio"]["fx_forwards"]["usdjpy"]
    assert fwd["date"] == "2025-04-09"
    assert fwd["usd_pct"] == pytest.approx(float(par.loc["2025-04-09"])) == 4.35
    assert float(fred.loc[:"2025-04-08"].iloc[-1]) == 4.31   # what it read before
    assert fwd["ccy_pct"] == pytest.approx(float(oecd.loc["2025-02-01"]))
    assert (fwd["usd_source"], fwd["ccy_source"]) == ("3-month bill", "3-month interbank (OECD)")
    tau = held_years(60)
    assert fwd["points_pct"] == pytest.approx(
        100 * (1 - (1 + fwd["ccy_pct"] / 100 * tau) / (1 + fwd["usd_pct"] / 100 * tau)))
    assert 0.7 < fwd["points_pct"] < 0.9

