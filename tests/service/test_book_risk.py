"""A book's one-day VaR and ES from history (`risk --portfolio`), against its P&L by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.cli import app
from spillwatch.exceptions import ConfigError, ScenarioError
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

BOOK = {"ust10y": 5e6, "usdjpy": -2e6, "btc": 1e6}


def _par_bond_return(prev_pct: np.ndarray, new_pct: np.ndarray, years: float) -> np.ndarray:
    """A par bond bought at yesterday's yield (its coupon), priced at today's."""
    c, y = prev_pct / 100.0, new_pct / 100.0
    disc = (1.0 + y / 2.0) ** (-2.0 * years)
    return c / y * (1.0 - disc) + disc - 1.0


def test_book_var_and_es_equal_the_pnl_by_hand():
    from spillwatch.scenarios import Portfolio

    ws = Workspace("demo")
    port = Portfolio(BOOK, kind="notional")
    rep = risk.tail_risk(ws, portfolio=port, backtest=False)
    book = rep.book
    assert book is not None and book["gross_usd"] == 8e6
    # by hand, from the levels: yields in percent, prices
    lv = sw.load("demo", assets=["ust10y", "usdjpy", "btc"], transform="levels")
    lv = lv.loc[risk.START:]
    y, jpy, btc = lv["ust10y_pct"], lv["usdjpy_jpy"], lv["btc_usd"]
    days = lv.index[(y.notna() & jpy.notna() & btc.notna()).to_numpy()]
    # each day's change from the previous row of the risk panel's calendar where each is held
    prev_y = y.ffill().shift(1).reindex(days)
    pnl = (5e6 * _par_bond_return(prev_y.to_numpy(), y.reindex(days).to_numpy(), 10.0)
           - 2e6 * (1.0 - jpy.ffill().shift(1).reindex(days).to_numpy()
                    / jpy.reindex(days).to_numpy())
           + 1e6 * (btc.reindex(days).to_numpy() / btc.ffill().shift(1).reindex(days).to_numpy()
                    - 1.0))
    pnl = pd.Series(pnl, index=days).dropna()
    assert book["days"] == len(pnl)
    last = np.sort(pnl.to_numpy()[-500:])          # the historical window: the last 500 days
    k = math.ceil(500 * 0.01)
    assert book["methods"]["historical"]["var_usd"] == pytest.approx(-last[k - 1], rel=1e-9)
    assert book["methods"]["historical"]["es_usd"] == pytest.approx(-last[:k].mean(), rel=1e-9)
    assert set(book["methods"]) == {"historical", "fhs", "t"}
    assert str(rep).startswith(f"book portfolio ($8,000,000 gross, {len(pnl):,} days ")


def test_risk_portfolio_on_the_cli(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("asset,notional_usd\nust10y,5e6\nusdjpy,-2e6\nbtc,1e6\n")
    res = CliRunner().invoke(app, ["risk", "--demo", "--portfolio", str(path), "--json",
                                   "--no-backtest"])
    assert res.exit_code == 0, res.output
    book = json.loads(res.stdout)["summary"]["book"]
    assert book["name"] == "b" and book["positions_usd"] == {"ust10y": 5e6, "usdjpy": -2e6,
                                                             "btc": 1e6}
    assert book["methods"]["historical"]["var_usd"] > 0
    bad = tmp_path / "bad.csv"
    bad.write_text("asset,weight\nbtc,0.5\nvix,0.5\n")
    res = CliRunner().invoke(app, ["risk", "--demo", "--portfolio", str(bad)])
    assert res.exit_code == 2
    # the assets a scenario's book may hold (VIX is no holding)
    assert f"error: {bad} line 3: unknown asset(s) in the portfolio: vix" in res.stderr
    with pytest.raises(ConfigError, match="not both"):
        risk.tail_risk(Workspace("demo"), portfolio=str(path), assets=("btc",))
    with pytest.raises(ScenarioError, match="line 2: unknown"):
        odd = tmp_path / "odd.csv"
        odd.write_text("asset,weight\ndoge,1\n")
        risk.tail_risk(Workspace("demo"), portfolio=str(odd))
