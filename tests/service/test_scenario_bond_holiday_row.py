"""Columbus Day is a row of the scenario's market: the stock market traded (h_mut22).

Risk's business calendar (:func:`spillwatch.service._calendar.business_calendar`) is made by
the 10-year, the dollar and the S&P 500, so a US bond-market holiday on which stocks trade is
a day of it, and the scenario's rows after its joint sample
(:func:`~spillwatch.service.scenarios.on_business_days`) keep the S&P 500's and bitcoin's
changes of that day as their own. The holiday tests ran on 2024-07-04, when every US market
was shut: a calendar of the 10-year and the dollar alone passed them, and summed Columbus
Day's moves into Tuesday's.
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
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("crypto/BTCUSDT.csv", "treasury/par_yield_curve.csv", "fred/DTWEXBGS.csv",
         "fred/SP500.csv")
KEYS = ["ust10y", "usd_broad", "spx", "btc"]


def test_columbus_day_keeps_its_own_row(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2022-01-03", last="2023-10-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        night = vintage_workspace(ws, dt.date(2023, 10, 10))
        built = night.panel(KEYS, transform="changes")
        read = scenarios.on_business_days(night, built, KEYS)
    day = pd.Timestamp("2023-10-09")          # Columbus Day: no par curve, no H.10
    assert list(read.index[-2:]) == [day, pd.Timestamp("2023-10-10")]
    assert math.isnan(read.loc[day, "ust10y_bp"])
    # SP500 4,308.50 on Friday 10-06 to 4,335.66; BTCUSDT 27,931.09 to 27,590.12
    assert read.loc[day, "spx_pct"] == pytest.approx(100 * math.log(4335.66 / 4308.5), abs=1e-9)
    assert read.loc[day, "btc_pct"] == pytest.approx(100 * math.log(27590.12 / 27931.09),
                                                     abs=1e-9)
    # and Tuesday's its own (SP500 4,358.24)
    assert read.loc["2023-10-10", "spx_pct"] == pytest.approx(
        100 * math.log(4358.24 / 4335.66), abs=1e-9)
    pd.testing.assert_frame_equal(read, built)
