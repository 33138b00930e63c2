"""A book's first day after ``--start`` spans the same closes as without it (h_meta1).

``risk --portfolio`` merges a day one market missed into the next day every position has; cut at
``--start`` first, the merge lost the missed day's moves of the other positions. A book of
bitcoin and USD/JPY (H.10 has no 2021-12-31) read +$5,826 on 2022-01-03 with ``--start
2022-01-03``: bitcoin's move from 12-31 beside the yen's from 12-30, where the book's P&L from
the close of 12-30 is -$13,452 (the same book without ``--start``)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from _cut_store import cut_workspace
from spillwatch.scenarios import Portfolio
from spillwatch.service import risk

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS10.csv", "fred/DEXJPUS.csv", "crypto/BTCUSDT.csv")
BOOK = Portfolio({"btc": 1e6, "usdjpy": 1e6}, kind="notional")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """Bitcoin, the yen and the 10-year around the 2021 year end, by the project's import."""
    with cut_workspace(shared_data, tmp_path_factory.mktemp("yearend"), FILES,
                       first="2021-11-01", last="2022-01-14") as w:
        yield w


def test_the_first_day_after_start_runs_from_the_book_s_day_before(ws):
    whole = risk.book_returns(ws, BOOK, start=None)[2]
    cut = risk.book_returns(ws, BOOK, start="2022-01-03")[2]
    day = pd.Timestamp("2022-01-03")
    assert cut.index[0] == day
    # by hand from the raw closes of ../shared/data: bitcoin 47,120.87 on 2021-12-30 and
    # 46,446.10 on 2022-01-03; USD/JPY 115.17 and 115.27 (none on 12-31); a long USD/JPY line
    # gains 1 - S0/S1 of its notional
    by_hand = 1e6 * (46446.10 / 47120.87 - 1.0) + 1e6 * (1.0 - 115.17 / 115.27)
    assert by_hand == pytest.approx(-13452.45, abs=0.01)
    assert whole[day] == pytest.approx(by_hand, rel=1e-9)
    assert cut[day] == pytest.approx(by_hand, rel=1e-9)
    # every later day is the same book's
    pd.testing.assert_series_equal(cut, whole.loc[day:])
    assert math.isfinite(cut.sum())
