"""``--as-of``'s vintage reads the store's series once (h_speed4).

``vintage_workspace`` read and spliced every watch-list series of the latest data only to learn
the newest date (0.2 s of each ``--as-of`` command on ../shared/data), then the vintage read
them again to cut them. The newest date now comes off the vintage's own read, and is the same.
"""
from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import VintageSource, vintage_workspace
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import DataError
from spillwatch.service.workspace import Workspace


@pytest.fixture
def src(store):
    store.register_series([
        SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False),
        SeriesSpec("binance:BTCUSDT", "btc", "usd", "daily", "crypto", "binance", "BTCUSDT")])
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10",
                               "ts": pd.bdate_range("2020-01-02", "2020-01-31"), "value": 1.8}))
    store.upsert(pd.DataFrame({"series_id": "binance:BTCUSDT",
                               "ts": pd.date_range("2020-01-01", "2020-02-02"), "value": 9e3}))
    return MarketSource(store, "t", owned=False)


def test_the_vintage_is_the_only_read_of_the_series(src):
    ws = Workspace(src)
    out = vintage_workspace(ws, "2020-01-20")
    assert ws.reads == 0          # the latest data's series: not read for the newest date
    assert out.have(["ust10y", "btc"]) == ["ust10y", "btc"] and out.reads == 1
    assert out.newest() == pd.Timestamp("2020-01-20")   # bitcoin's close of that day


def test_the_newest_date_is_the_latest_datas(src):
    assert VintageSource.of(src, "2020-01-20").stored_newest() == Workspace(src).newest() \
        == pd.Timestamp("2020-02-02")
    with pytest.raises(DataError, match=r"--as-of 2020-02-03 is after the newest data "
                                        r"\(2020-02-02\); leave it out for the latest data"):
        vintage_workspace(Workspace(src), "2020-02-03")
    vintage_workspace(Workspace(src), "2020-02-02")
