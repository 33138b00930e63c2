"""Sell-America episodes are not cut by a US holiday.

The signature of a day on which neither leg reports (Columbus Day, Memorial Day: no 10-year
and no H.10 dollar) is ``unavailable``; ``SellAmericaCheck.episodes`` counted it as the end of
a run, so 2019-10-10..10-15 (sell America on the 10th, 11th and 15th around Columbus Day on
the 14th) was two episodes, and the report said 321 runs since 2006 on ../shared/data where
the sell-America days make 317.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.demand import demand, sell_america_check
from spillwatch.analytics.demand.inputs import DemandInputs


def _result(rng):
    wed = pd.date_range("2010-01-06", periods=200, freq="7D")
    custody = pd.Series(3e6 + np.cumsum(rng.normal(2e3, 1e4, len(wed))), index=wed)
    mof = pd.DataFrame({"assets_ltdebt_net_jpy100m": rng.normal(1000, 8000, len(wed))},
                       index=wed + pd.Timedelta(days=3))
    return demand(DemandInputs(custody=custody, mof_weekly=mof), min_groups=1, burn_in=50)


def test_a_holiday_does_not_split_a_sell_america_run(rng):
    res = _result(rng)
    labels = pd.Series(["none", "sell_america", "sell_america", "unavailable",
                        "sell_america", "none"],
                       index=pd.DatetimeIndex(["2013-10-09", "2013-10-10", "2013-10-11",
                                               "2013-10-14", "2013-10-15", "2013-10-16"]))
    ep = sell_america_check(labels, res).episodes()
    assert len(ep) == 1
    row = ep.iloc[0]
    assert row["start"] == pd.Timestamp("2013-10-10")
    assert row["end"] == pd.Timestamp("2013-10-15")
    assert row["days"] == 3


def test_a_long_outage_still_ends_a_run(rng):
    res = _result(rng)
    # the dollar missing for two weeks is not a holiday: the runs on either side stay apart
    idx = pd.bdate_range("2013-10-01", "2013-10-25")
    labels = pd.Series("unavailable", index=idx)
    labels.loc["2013-10-01"] = "sell_america"
    labels.loc["2013-10-25"] = "sell_america"
    ep = sell_america_check(labels, res).episodes()
    assert len(ep) == 2
    assert list(ep["days"]) == [1, 1]
