"""The edges of an off-calendar series' first change in the risk panel (h_mut25).

:func:`spillwatch.service.risk._first_change_spans` leaves out a series' first change when it
runs from a close after the calendar's day before it. Two edges no test reached (mutants of the
comparison survived): a series whose first close is on a calendar day keeps its first change
(it spans the calendar's day exactly), and one starting on a holiday loses its first change
when that lands on the calendar's second row (the first being the other series' first closes).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS10.csv", "crypto/BTCUSDT.csv", "gold/XAUUSD.csv")


def _panel(shared_data, tmp, *, first: str, gold: str) -> pd.DataFrame:
    """The risk panel of gold and bitcoin, gold's file starting at ``gold``."""
    folder = cut_files(shared_data, tmp, FILES, first=first, last="2023-02-28",
                       starts={"gold/XAUUSD.csv": gold})
    ws = Workspace(open_source(folder))
    try:
        return risk.risk_panel(ws, assets=("gold", "btc"))
    finally:
        ws.close()


def test_a_first_close_on_a_calendar_day_keeps_its_first_change(shared_data, tmp_path):
    # gold's file from Thursday 2022-12-01 (1802.86), Friday 12-02 1797.98: the calendar's
    # day before 12-02 is 12-01, so the change spans the same time as the 10-year's
    gold = _panel(shared_data, tmp_path, first="2022-11-01", gold="2022-12-01")["gold_pct"]
    assert gold.first_valid_index() == pd.Timestamp("2022-12-02")
    assert gold.iloc[gold.index.get_loc(pd.Timestamp("2022-12-02"))] == pytest.approx(
        100.0 * math.log(1797.98 / 1802.86), rel=1e-9)


def test_a_first_change_on_the_calendar_s_second_row_from_a_holiday_is_left_out(shared_data,
                                                                                 tmp_path):
    # the 10-year and bitcoin from Friday 2023-01-13 (the calendar's first row), gold from
    # MLK Day 01-16 (1915.45): its 01-17 change (1908.59) runs from Monday beside the others'
    # from Friday, so its first change is Wednesday's (1908.59 -> 1904.16)
    gold = _panel(shared_data, tmp_path, first="2023-01-13", gold="2023-01-16")["gold_pct"]
    assert gold.index[1] == pd.Timestamp("2023-01-17")
    assert gold.first_valid_index() == pd.Timestamp("2023-01-18")
    assert gold[pd.Timestamp("2023-01-18")] == pytest.approx(
        100.0 * math.log(1904.16 / 1908.59), rel=1e-9)
