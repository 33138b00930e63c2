"""Staleness is counted on a daily series' own market: shut is not stale, stopped still is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.demand._asof import Native
from spillwatch.timing import timing_of

GOLDEN_WEEK = ["2019-05-03", "2019-05-04", "2019-05-05", "2019-05-06"]


def test_the_jgb_is_not_stale_while_tokyo_is_shut():
    """2019's Golden Week ran ten days (04-27..05-06, the Emperor's accession): Friday 04-26's
    yields were the latest that existed, yet read stale from 05-03 (7 days, limit 6), and the
    hedged pick-up went blank with the market shut."""
    jgb = timing_of("mof:jgb_10y")
    for day in GOLDEN_WEEK:
        assert not jgb.is_stale("2019-04-26", day), day
    assert jgb.market == "boj"
    assert list(jgb.days_past_limit(np.datetime64("2019-04-26"),
                                    np.array(GOLDEN_WEEK, dtype="datetime64[D]"))) == [0] * 4
    # 05-07 is open: without its print the value is as stale as the calendar days say
    assert jgb.is_stale("2019-04-26", "2019-05-07")
    assert float(jgb.days_past_limit(np.datetime64("2019-04-26"),
                                     np.datetime64("2019-05-07"))) == 5.0


def test_a_series_that_stopped_is_stale_on_the_same_evening():
    """An open day missed keeps the calendar-day rule: Treasury dropped the 30-year after
    2002-02-15 (02-18 Presidents' Day, 02-19 open) and ICE's Bloomberg MOVE file ends on
    2023-06-30 (07-04 shut, 07-03 open): both stale on the seventh day, as before."""
    assert timing_of("treasury:yield_30y_pct").is_stale("2002-02-15", "2002-02-22")
    assert not timing_of("treasury:yield_30y_pct").is_stale("2002-02-15", "2002-02-21")
    assert timing_of("ice:move_index_bbg").is_stale("2023-06-30", "2023-07-07")
    assert not timing_of("ice:move_index_bbg").is_stale("2023-06-30", "2023-07-06")


def test_weekly_and_monthly_releases_keep_their_calendar_limits():
    """Their limits are a period and a release lag, the publisher's closures in the release
    rule: counting every holiday in 83 days would let a TIC month that never came (Australia's
    January 2003) read fresh three days longer."""
    tic = timing_of("tic:australia_usd_bn")
    assert tic.is_stale("2002-12-31", "2003-03-25")
    assert tic.market == ""


def test_market_calendars():
    """The JGB market trades on 29-30 December (the store's yields print then) and shuts
    31 December-3 January; the NYSE shuts on Good Friday, the Fed does not."""
    from spillwatch.timing import market_holidays

    boj = set(market_holidays("boj", 2024, 2025).astype(str))
    assert {"2024-12-31", "2025-01-02", "2025-01-03"} <= boj
    assert "2024-12-30" not in boj
    assert np.datetime64("2024-03-29") in market_holidays("nyse")
    assert np.datetime64("2024-03-29") not in market_holidays("fed")
    with pytest.raises(ValueError, match="unknown market calendar"):
        market_holidays("lse")


def test_the_demand_calendar_carries_the_jgb_over_golden_week():
    """The gauge's as-of calendar (and so the hedged pick-up) carries the JGB across Golden
    Week: MOF posts a day's yields at 00:30 in Tokyo on its next business day, so Thursday
    04-25's are read from that evening to 05-05 (Friday 04-26's were posted on 05-07 in
    Tokyo, 05-06 in New York and UTC), fresh though up to ten days old, and 05-07's from
    05-07."""
    values = pd.DataFrame({"jgb10y": [-0.031, -0.045, -0.049]},
                          index=pd.DatetimeIndex(["2019-04-25", "2019-04-26", "2019-05-07"]))
    grid = pd.date_range("2019-04-25", "2019-05-07", freq="D")
    on = Native.timed(values, "mof:jgb_10y", "jgb10y").on(grid)["jgb10y"]
    assert on.loc["2019-04-25":"2019-05-05"].tolist() == [-0.031] * 11
    assert on.loc["2019-05-06"] == -0.045
    assert on.loc["2019-05-07"] == -0.049
    # without 05-07's print, 05-07 reads nothing (stale), as it did
    gone = Native.timed(values.iloc[:2], "mof:jgb_10y", "jgb10y").on(grid)["jgb10y"]
    assert np.isnan(gone.loc["2019-05-07"])
