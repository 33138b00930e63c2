"""Which weeks the data's own slopes of the 10-year on selling are read on (h_mut14).

The slopes' tests read a noise-free slope back on complete weeks; these pin the weeks left
out and the dates said: a custody change over more than 7 days (a missing Wednesday) is not a
week, each source's ``start`` and ``end`` are of the weeks actually fitted (a week whose
Friday-to-Friday change the yields do not cover is not one), a source whose selling never
varies has no slope, and two years (104 weeks) are the fewest fitted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.demand import DemandInputs
from spillwatch.analytics.demand.inputs import MOF_BOND_NET
from spillwatch.analytics.demand.yield_impact import yield_on_selling


def _inputs(weeks: int, *, seed: int = 7, net: np.ndarray | None = None) -> DemandInputs:
    """MOF weeks ending Saturdays from 2010-01-09, Wednesday custody, daily yields and yen."""
    rng = np.random.default_rng(seed)
    sat = pd.date_range("2010-01-09", periods=weeks, freq="W-SAT")
    days = pd.date_range("2009-12-01", sat[-1] + pd.Timedelta(days=7))
    y = pd.Series(3.0 + np.cumsum(rng.normal(0, 0.05, len(days))), index=days)
    fx = pd.Series(100.0 + rng.normal(0, 2, len(days)), index=days)
    net = rng.normal(0, 5000, weeks) if net is None else net
    wed = pd.date_range("2010-01-06", periods=weeks, freq="W-WED")
    cust = pd.Series(3.0e6 - np.cumsum(rng.normal(0, 2.0e4, weeks)), index=wed)
    return DemandInputs(ust10y=y, usdjpy=fx, mof_weekly=pd.DataFrame({MOF_BOND_NET: net},
                                                                      index=sat), custody=cust)


def test_a_custody_change_over_a_missing_wednesday_is_not_a_week():
    """200 Wednesdays less one in the middle: 198 changes, one of them over 14 days, so 197
    weeks; the first week ends on the second Wednesday, the last on the last."""
    full = _inputs(200)
    wed = full.custody.index
    gap = full.custody.drop(wed[100])
    got = yield_on_selling(DemandInputs(ust10y=full.ust10y, custody=gap))["custody"]
    assert got["weeks"] == 197
    assert (got["start"], got["end"]) == (str(wed[1].date()), str(wed[-1].date()))
    # and the complete series: 199 weeks, the same first and last
    got = yield_on_selling(DemandInputs(ust10y=full.ust10y, custody=full.custody))["custody"]
    assert got["weeks"] == 199
    assert (got["start"], got["end"]) == (str(wed[1].date()), str(wed[-1].date()))


def test_the_dates_said_are_of_the_weeks_fitted():
    """Yields that begin on the Friday before MOF's 11th week's Friday: its change (Friday to
    Friday) is the first the data cover, so 190 of 200 weeks, from the 11th; a yield on that
    very Friday is read (the first value of a level is a value)."""
    full = _inputs(200)
    sat = full.mof_weekly.index
    first = sat[10] - pd.Timedelta(days=8)              # the Friday a week before its Friday
    y = full.ust10y[full.ust10y.index >= first]
    got = yield_on_selling(DemandInputs(ust10y=y, usdjpy=full.usdjpy,
                                        mof_weekly=full.mof_weekly))["japan"]
    assert got["weeks"] == 190
    assert (got["start"], got["end"]) == (str(sat[10].date()), str(sat[-1].date()))
    # a custody record whose last change spans a missing Wednesday ends a week before it
    wed = full.custody.index
    got = yield_on_selling(DemandInputs(ust10y=full.ust10y,
                                        custody=full.custody.drop(wed[-2])))["custody"]
    assert got["end"] == str(wed[-3].date()) and got["weeks"] == 197


def test_selling_that_never_varies_has_no_slope():
    """The same sale every week (0.03 x $100bn): no slope to fit. HEAD stopped on an
    IndexError: the float sales' standard deviation was 1e-17, not 0, and statsmodels'
    add_constant then took them for the constant and added none."""
    flat = _inputs(200, net=np.full(200, -3000.0))
    fx = pd.Series(100.0, index=flat.usdjpy.index)
    got = yield_on_selling(DemandInputs(ust10y=flat.ust10y, usdjpy=fx,
                                        mof_weekly=flat.mof_weekly))
    assert "japan" not in got


def test_two_years_of_weeks_are_the_fewest():
    assert "japan" not in yield_on_selling(_inputs(103))
    assert yield_on_selling(_inputs(104))["japan"]["weeks"] == 104
