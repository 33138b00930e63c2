"""A bond-market holiday (Columbus, Veterans Day) names crypto's closes after the reading.

The 10-year prints nothing on those days while the stock market and crypto trade, so the evening
reads the day before; the note on crypto's closes after the reading was given only when one of
them fell on a weekend or a day the stock market is shut too (h_ep9).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import stress as stress_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def _close(shared_data, symbol: str, day: str) -> float:
    return float(pd.read_csv(shared_data / "crypto" / f"{symbol}.csv",
                             index_col="date")[symbol][day])


def test_the_evening_of_veterans_day_names_crypto_s_closes_after_the_reading(real_db,
                                                                             shared_data):
    """Friday 2022-11-11, FTX's bankruptcy filing: Veterans Day, no 10-year (fred/DGS10 has no
    row), the S&P 500 and crypto traded. The evening read 2022-11-10 and said nothing of
    BTC's 17,601.15 -> 17,070.31 (-3.0%) that day (`stress --as-of 2022-11-11`)."""
    day = dt.date(2022, 11, 11)
    with Workspace(open_source(real_db, read_only=True)) as ws, replay_day(day, published=True):
        w = vintage_workspace(ws, day)
        summary = stress_service.summary(w, stress_service.stress(w))
    assert summary["date"] == "2022-11-10"
    ten = pd.read_csv(shared_data / "fred" / "DGS10.csv", index_col="date")["DGS10"]
    assert "2022-11-11" not in ten.dropna().index
    btc = 100.0 * (_close(shared_data, "BTCUSDT", "2022-11-11")
                   / _close(shared_data, "BTCUSDT", "2022-11-10") - 1.0)
    eth = 100.0 * (_close(shared_data, "ETHUSDT", "2022-11-11")
                   / _close(shared_data, "ETHUSDT", "2022-11-10") - 1.0)
    assert f"{btc:+.1f}" == "-3.0"
    (note,) = [n for n in summary["notes"] if n.startswith("crypto closed")]
    # a bond-market holiday, not a "US market holiday": the stock market traded (h_small2)
    assert note.startswith("crypto closed on a US bond-market holiday (Veterans Day 2022-11-11: "
                           "the Treasury market shut, stocks traded) after the reading "
                           f"of 2022-11-10: btc {btc:+.1f}% to 2022-11-11, eth {eth:+.1f}% to "
                           "2022-11-11 (from the close of 2022-11-10)")


def test_bond_only_holidays_are_the_10_year_s_missing_weekdays(shared_data):
    """Every Columbus and Veterans Day the calendar names, and 1990-1997's Martin Luther King
    Days, have no 10-year in 1990-2025, and the Fridays before a Saturday Veterans Day, which
    have one, are not in it."""
    from spillwatch.timing import us_bond_only_holidays

    ten = pd.read_csv(shared_data / "fred" / "DGS10.csv", index_col="date",
                      parse_dates=True)["DGS10"].dropna()
    days = pd.DatetimeIndex(us_bond_only_holidays())
    days = days[(days >= "1990-01-01") & (days <= "2025-12-31")]
    assert len(days) == 67 + 8 and not days.isin(ten.index).any()
    for friday in ("2017-11-10", "2023-11-10"):
        assert pd.Timestamp(friday) in ten.index
        assert np.datetime64(friday) not in us_bond_only_holidays()
