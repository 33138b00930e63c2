"""A scenario of a US-holiday evening starts from the state `risk` and `stress` read (h_hol1).

Gold's broker feed prints on US holidays, so the scenario's panel had a row on them: as of
2024-07-04 the fitted market's bitcoin, ether and gold started from the holiday's closes (BTC
60,208.58 to 57,050.01 that day, -5.2%, BTCUSDT), with no note, while `risk` and `stress` read
07-03 and put the holiday's closes into the next business day's change. After the joint sample
the market's rows are now risk's calendar
(:func:`spillwatch.service.scenarios.on_business_days`).
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

# the curve, the S&P 500 and the broad dollar (published the Monday after its week, so the
# joint sample ends before the evening), bitcoin and gold, which prints on US holidays
FILES = ("crypto/BTCUSDT.csv", "gold/XAUUSD.csv", "treasury/par_yield_curve.csv",
         "fred/DTWEXBGS.csv", "fred/SP500.csv")
KEYS = ["ust10y", "usd_broad", "gold", "btc"]


def _panel(ws: Workspace, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, Workspace]:
    """The evening's changes panel as built, and as the scenario's market reads it."""
    night = vintage_workspace(ws, day)
    built = night.panel(KEYS, transform="changes")
    return built, scenarios.on_business_days(night, built, KEYS), night


@pytest.fixture
def store(shared_data, tmp_path):
    """The files from 2021-01-04 (the fit's 500 days of changes) to 2024-07-31."""
    return cut_store(shared_data, tmp_path, FILES, first="2021-01-04", last="2024-07-31")


@pytest.mark.slow
def test_the_holiday_evening_starts_from_the_business_day_before(store):
    with Workspace(open_source(store, read_only=True)) as ws:
        night = vintage_workspace(ws, dt.date(2024, 7, 4))
        built = night.panel(KEYS, transform="changes")
        fit = scenarios.market(night).market
        note = scenarios.closes_after_note(night, list(fit.assets), end=night.source.known_by)
    assert built.index[-1] == pd.Timestamp("2024-07-04")       # gold's print made the row
    last = {k: v["last_date"] for k, v in fit.info["series"].items()}
    # the paths start from 07-03's closes, the state risk and stress read (was 07-04's for
    # bitcoin and gold, their holiday move a day of their volatility state)
    assert fit.info["as_of"] == "2024-07-03"
    assert {last[k] for k in ("btc", "gold", "ust10y", "spx")} == {"2024-07-03"}, last
    assert last["usd_broad"] == "2024-06-28"
    # 100 * (57050.01 / 60208.58 - 1) = -5.25: risk's words for the same closes
    assert note is not None and "btc -5.2% from 2024-07-03 to 2024-07-04" in note, note
    assert "the paths start from that last row's close" in note, note


def test_the_holiday_s_closes_join_the_next_business_day(store):
    with Workspace(open_source(store, read_only=True)) as ws:
        built, read, _ = _panel(ws, dt.date(2024, 7, 5))
    # the dollar of 07-05's evening ends on 06-28: 07-01 to 07-05 are each asset's own rows
    assert pd.Timestamp("2024-07-04") in built.index
    assert pd.Timestamp("2024-07-04") not in read.index
    day = pd.Timestamp("2024-07-05")
    assert read.loc[day, "btc_pct"] == pytest.approx(100 * math.log(56628.79 / 60208.58),
                                                     abs=1e-9)
    assert read.loc[day, "gold_pct"] == pytest.approx(100 * math.log(2391.06 / 2356.07),
                                                      abs=1e-9)
    assert read.loc[day, "ust10y_bp"] == pytest.approx(-8.0, abs=1e-9)   # 4.36 to 4.28
    # the rows before the holiday are as built
    pd.testing.assert_frame_equal(read.loc[:"2024-07-03"], built.loc[:"2024-07-03"])


def test_an_evening_without_a_holiday_in_its_tail_is_read_as_built(store):
    with Workspace(open_source(store, read_only=True)) as ws:
        built, read, _ = _panel(ws, dt.date(2024, 7, 12))
    pd.testing.assert_frame_equal(read, built)
    assert read.index[-1] == pd.Timestamp("2024-07-12")
