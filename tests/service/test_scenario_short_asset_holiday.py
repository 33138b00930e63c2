"""A holiday evening whose market leaves out a too-short asset is still on business days (h_mut22).

When an asset of the scenario's standard set has too little history by the evening (bitcoin
in the first weeks of 2018) the market is built again without it
(:func:`spillwatch.service.scenarios.market`); that second panel goes through
:func:`~spillwatch.service.scenarios.on_business_days` as the first does. On Martin Luther
King Day 2018-01-15 gold printed (XAUUSD 1,339.93), and the paths started from the holiday's
close if the second panel did not; the session's tests reached only the first panel.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import scenarios
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("crypto/BTCUSDT.csv", "gold/XAUUSD.csv", "treasury/par_yield_curve.csv",
         "fred/DTWEXBGS.csv", "fred/SP500.csv")


@pytest.mark.slow
def test_the_market_without_bitcoin_starts_from_the_business_day_before(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2015-01-02", last="2018-01-31",
                   starts={"crypto/BTCUSDT.csv": "2018-01-02"})
    with Workspace(open_source(db, read_only=True)) as ws:
        fit = scenarios.market(vintage_workspace(ws, dt.date(2018, 1, 15))).market
    assert "btc" not in fit.assets               # 14 closes by then (01-02 to 01-15): too short
    last = {k: v["last_date"] for k, v in fit.info["series"].items()}
    assert fit.info["as_of"] == "2018-01-12"
    # gold's 1,338.17 of Friday 01-12, not the holiday's 1,339.93
    assert last["gold"] == last["spx"] == last["ust10y"] == "2018-01-12", last
    assert last["usd_broad"] == "2018-01-05"     # H.10's week, out on Monday 01-08
