"""A business day after the calendar's last, which the 10-year has not published yet, is a row.

On the evening of Friday 2024-07-05 FRED's 10-year of that day is out on Monday, so risk's
business calendar ends on 07-03; gold and bitcoin closed on the holiday and on 07-05. Gold's
07-05 print is the row after the calendar (a business day, not the evening's closes after it)
with the holiday's move summed into it, in `risk` (:func:`~spillwatch.service.risk.
risk_panel`), and so are both in the scenario's market (:func:`~spillwatch.service.scenarios.
on_business_days`). The holiday tests ran on the par curve, out the same evening, whose
calendar ends on 07-05 itself: the rule for the day on or after the next business day (h_mut22).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import scenarios
from spillwatch.service.risk import risk_panel
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("crypto/BTCUSDT.csv", "gold/XAUUSD.csv", "fred/DGS10.csv")
KEYS = ["ust10y", "gold", "btc"]
#: BTCUSDT and XAUUSD closes of 07-03 and 07-05 (../shared/data)
BTC = 100 * math.log(56628.79 / 60208.58)
GOLD = 100 * math.log(2391.06 / 2356.07)


@pytest.fixture(scope="module")
def night(shared_data, tmp_path_factory):
    """The evening of 2024-07-05 of the three files from 2024-01-02 to 2024-07-31."""
    db = cut_store(shared_data, tmp_path_factory.mktemp("dgs10_gold"), FILES,
                   first="2024-01-02", last="2024-07-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        yield vintage_workspace(ws, dt.date(2024, 7, 5))


def test_risk_reads_the_day_the_10_year_has_not_published(night):
    panel = risk_panel(night, assets=("btc", "gold"))
    assert list(panel.index[-2:]) == [pd.Timestamp("2024-07-03"), pd.Timestamp("2024-07-05")]
    last = panel.loc["2024-07-05"]
    # gold's holiday print joins it (2356.07 on 07-03 to 2391.06 on 07-05)
    assert last["gold_pct"] == pytest.approx(GOLD, abs=1e-9)
    assert math.isnan(last["ust10y_bp"])        # FRED's DGS10 of 07-05: out on 07-08


def test_the_scenario_s_market_reads_the_same_row(night):
    built = night.panel(KEYS, transform="changes")
    read = scenarios.on_business_days(night, built, KEYS)
    assert pd.Timestamp("2024-07-04") in built.index        # gold's holiday print
    assert list(read.index[-2:]) == [pd.Timestamp("2024-07-03"), pd.Timestamp("2024-07-05")]
    assert read.loc["2024-07-05", "gold_pct"] == pytest.approx(GOLD, abs=1e-9)
    assert read.loc["2024-07-05", "btc_pct"] == pytest.approx(BTC, abs=1e-9)
    pd.testing.assert_frame_equal(read.loc[:"2024-07-03"], built.loc[:"2024-07-03"])
    # the panel's description goes with its rows: the fit names each series' source from it
    # (without it the scenario of the 2024-07-04 holiday named fred:DGS10 for a store's par
    # curve, the asset's first candidate)
    assert dict(read.attrs["sources"]) == dict(built.attrs["sources"]) == {
        "ust10y": ("fred:DGS10",), "gold": ("mt:XAUUSD",), "btc": ("binance:BTCUSDT",)}
