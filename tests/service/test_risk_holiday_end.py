"""A series off risk's calendar does not add a US holiday after its last day (h_hol1).

`risk --assets btc,gold --as-of 2024-07-04` gave gold's VaR "as of 2024-07-04" (its broker feed
prints on US holidays, and a date after the calendar's span was added as a row) beside
bitcoin's of 07-03, whose holiday close (-5.2%) the note puts into the next business day's
change. Gold's holiday print now joins the next business day too, as it does from 07-05 on.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service.risk import risk_panel
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("crypto/BTCUSDT.csv", "gold/XAUUSD.csv", "treasury/par_yield_curve.csv",
         "fred/SP500.csv")


@pytest.fixture
def store(shared_data, tmp_path):
    """The four files from 2024-01-02 to 2024-07-31."""
    return cut_store(shared_data, tmp_path, FILES, first="2024-01-02", last="2024-07-31")


@pytest.mark.slow
def test_gold_s_holiday_print_is_no_row_after_the_last_business_day(store):
    with Workspace(open_source(store, read_only=True)) as ws:
        holiday = risk_panel(vintage_workspace(ws, dt.date(2024, 7, 4)), assets=("btc", "gold"))
        after = risk_panel(vintage_workspace(ws, dt.date(2024, 7, 5)), assets=("btc", "gold"))
    assert holiday.index[-1] == pd.Timestamp("2024-07-03")
    assert holiday["gold_pct"].last_valid_index() == pd.Timestamp("2024-07-03")
    assert holiday["btc_pct"].last_valid_index() == pd.Timestamp("2024-07-03")
    # XAUUSD 2356.07 on 07-03
    assert holiday.loc["2024-07-03", "gold_pct"] == pytest.approx(
        100 * math.log(2356.07 / 2329.35), abs=1e-9)
    # the next evening, 07-03 to 07-05 in one change (2356.07 to 2391.06), no 07-04 row
    assert pd.Timestamp("2024-07-04") not in after.index
    assert after.loc["2024-07-05", "gold_pct"] == pytest.approx(
        100 * math.log(2391.06 / 2356.07), abs=1e-9)
