"""A series off the standard calendar keeps its move of a date off it just before ``--start``
(h_meta1).

Gold printed on Martin Luther King Day 2023-01-16 (US markets shut); on the standard calendar
that move joins Tuesday 01-17. Cut at ``--start 2023-01-17`` before the join, gold's first
change read Monday's 1915.45 -> 1908.59 (-0.36%) beside the 10-year's and bitcoin's changes from
Friday; from Friday's 1920.29 it is -0.61%, as without ``--start``."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from _cut_store import cut_workspace
from spillwatch.service import risk

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "crypto/BTCUSDT.csv", "gold/XAUUSD.csv")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year, bitcoin and gold around MLK Day 2023, by the project's import."""
    with cut_workspace(shared_data, tmp_path_factory.mktemp("mlk"), FILES,
                       first="2022-11-01", last="2023-02-28") as w:
        yield w


def test_gold_s_first_change_after_start_runs_from_the_calendar_s_day_before(ws):
    whole = risk.risk_panel(ws, assets=("gold", "btc"))
    cut = risk.risk_panel(ws, assets=("gold", "btc"), start="2023-01-17")
    day = pd.Timestamp("2023-01-17")
    assert cut.index[0] == day
    # by hand from ../shared/data's gold/XAUUSD.csv: 1920.29 on Friday 2023-01-13, 1908.59 on
    # Tuesday 01-17 (and 1915.45 on the holiday between), a log change in percent
    by_hand = 100.0 * math.log(1908.59 / 1920.29)
    assert by_hand == pytest.approx(-0.6111, abs=1e-4)
    assert whole.loc[day, "gold_pct"] == pytest.approx(by_hand, rel=1e-9)
    assert cut.loc[day, "gold_pct"] == pytest.approx(by_hand, rel=1e-9)
    pd.testing.assert_frame_equal(cut, whole.loc[day:], check_freq=False)
