"""TIC's series breaks are revisions, not flows (tests/analytics/demand/)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _ten_year(months: pd.DatetimeIndex):
    from spillwatch.analytics.demand.reserves import Published

    days = pd.bdate_range(months[0] - pd.Timedelta(days=40), months[-1] + pd.Timedelta(days=60))
    ten = pd.Series(3.0 + 0.1 * np.sin(np.arange(len(days)) / 40.0), days)
    return Published(ten, pd.DatetimeIndex(days) + pd.Timedelta(days=1))


def test_a_june_series_break_is_not_a_flow_nor_in_the_yardstick(rng):
    """TIC's history (``mfhhis01.txt``) prints June 2002-2011 twice, the new series and the
    old; the data keep the new one, so June's change held the benchmark revision (China's line
    +$244 bn in June 2010 against about $9 bn in other months). It was read as a flow and, in
    the 36-month yardstick of ``tic_china_mainland_flow_z``, muted real sales for three years
    (a $40 bn sale read z of about -1 instead of below -5). The change into a break month is
    missing, its flow too, and the later sale stands out."""
    from spillwatch.analytics.demand.reserves import tic_signals

    months = pd.date_range("2005-01-31", "2012-12-31", freq="ME")
    flow = rng.normal(0.0, 4.0, len(months))
    brk, sale = pd.Timestamp("2010-06-30"), pd.Timestamp("2011-03-31")
    flow[months.get_loc(brk)] = 244.0          # the benchmark revision of June 2010
    flow[months.get_loc(sale)] = -40.0         # a real sale nine months later
    tic = pd.DataFrame({"china_mainland_usd_bn": 500.0 + np.cumsum(flow)}, index=months)
    out = tic_signals(tic, ust10y=_ten_year(months),
                      released=lambda idx: idx + pd.Timedelta(days=49))
    assert np.isnan(out.loc[brk, "tic_china_mainland_chg1_usd_bn"])
    assert np.isnan(out.loc[brk, "tic_china_mainland_flow_usd_bn"])
    assert np.isnan(out.loc[brk, "tic_china_mainland_flow_z"])
    # the 3-month change spans the break through August
    assert out.loc["2010-07-31":"2010-08-31", "tic_china_mainland_chg3_usd_bn"].isna().all()
    assert out.loc["2010-09-30", "tic_china_mainland_chg3_usd_bn"] == pytest.approx(
        tic.loc["2010-09-30", "china_mainland_usd_bn"] - tic.loc["2010-06-30",
                                                                 "china_mainland_usd_bn"])
    # a month that is not a break keeps its change
    assert out.loc["2010-05-31", "tic_china_mainland_chg1_usd_bn"] == pytest.approx(
        flow[months.get_loc(pd.Timestamp("2010-05-31"))])
    assert out.loc[sale, "tic_china_mainland_flow_z"] < -5.0
    assert out.loc[sale, "tic_china_mainland_chg1_z"] < -5.0


@pytest.mark.realdata
def test_real_tic_june_breaks_leave_china_s_flow(demand_result):
    """On ../shared/data the as-of rows of August 2010 (June's TIC, out on 08-18) read China's
    flow z +8.17 from the +$244 bn series break, and the gauge's percentile moved by up to 70
    points (2010-06-16) and its top group on 265 days over 2007-2025. The break months'
    changes are now missing."""
    f = demand_result.frame
    for y in range(2002, 2012):
        rows = f.loc[f"{y}-08-19":f"{y}-09-14"]    # June's TIC is the latest out
        assert rows["tic_china_mainland_chg1_usd_bn"].isna().all(), y
        assert rows["tic_china_mainland_flow_z"].isna().all(), y
    # the month after a break is an ordinary change again (July 2010, out 2010-09-17/20)
    sept = f.loc["2010-09-21", "tic_china_mainland_chg1_usd_bn"]
    assert np.isfinite(sept) and abs(sept) < 60.0
