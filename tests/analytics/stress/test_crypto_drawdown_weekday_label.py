"""The coins' drawdowns say they are from the high of weekday closes (h_ep9).

`stress --as-of 2021-01-27` printed "ETH drawdown from 3-month high (%) 10.02": the high of the
business-day panel's closes (Wednesday 01-20, 1,376.99), where ether's highest close of those
three months was Sunday 01-24's 1,392.51 (a drawdown of 11.02). The realised volatilities already
said "weekday closes"; the drawdowns did not.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import stress as stress_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def test_the_eth_drawdown_is_of_weekday_closes_and_says_so(real_db, shared_data):
    eth = pd.read_csv(shared_data / "crypto" / "ETHUSDT.csv", index_col="date",
                      parse_dates=True)["ETHUSDT"]
    last = eth["2021-01-27"]
    window = eth["2020-10-28":"2021-01-27"]
    weekdays = window[window.index.day_of_week < 5]
    every_close = 100.0 * (1.0 - last / window.max())
    weekday_close = 100.0 * (1.0 - last / weekdays.max())
    assert window.idxmax() == pd.Timestamp("2021-01-24")            # a Sunday
    assert (round(every_close, 2), round(weekday_close, 2)) == (11.02, 10.02)
    day = dt.date(2021, 1, 27)
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day, published=True):
        w = vintage_workspace(ws, day)
        table = stress_service.stress(w).signals_table()
    row = table.loc["eth_drawdown_pct"]
    assert round(float(row["value"]), 2) == round(weekday_close, 2)
    assert "weekday closes" in row["signal"]
    assert "weekday closes" in table.loc["btc_drawdown_pct", "signal"]
