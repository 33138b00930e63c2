"""A weekend evening's gauge is ranked in Friday's place, not beside it (h_mut28).

``DemandGauge.fit``: "A weekend ``end`` is a row of its own after Friday's: ... the percentile
ranked in Friday's place." On a Saturday or Sunday whose gauge equals Friday's (nothing went
stale or came out), the percentile must be Friday's to the last digit. Mutants that ranked the
weekend row beside Friday's (a second Friday in the history), or treated only Sunday as a
weekend, survived the fast tests.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.demand import DemandInputs, demand


def _inputs(weeks=160, seed=8):
    rng = np.random.default_rng(seed)
    wed = pd.date_range("2010-01-06", periods=weeks, freq="7D")
    custody = pd.Series(3e6 + np.cumsum(rng.normal(2e3, 1e4, weeks)), index=wed)
    mof = pd.DataFrame({"assets_ltdebt_net_jpy100m": rng.normal(1000, 8000, weeks)},
                       index=wed + pd.Timedelta(days=3))
    return DemandInputs(custody=custody, mof_weekly=mof)


def test_saturday_and_sunday_read_friday_s_percentile_when_nothing_changed():
    inputs = _inputs()
    friday = pd.Timestamp("2012-06-15")
    fri = demand(inputs, end=friday, burn_in=50, min_groups=2).frame.iloc[-1]
    assert np.isfinite(fri["percentile"]) and 0 < fri["percentile"] < 100
    for day in (friday + pd.Timedelta(days=1), friday + pd.Timedelta(days=2)):
        row = demand(inputs, end=day, burn_in=50, min_groups=2).frame
        assert row.index[-1] == day and row.index[-2] == friday
        assert row["gauge"].iloc[-1] == fri["gauge"]
        assert row["percentile"].iloc[-1] == fri["percentile"], day
