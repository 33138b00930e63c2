"""The demand table's MOF report rows name the month of the report they read (h_ep13).

On the evening of 2011-10-31, the day of Japan's record ¥8.07tn yen-selling operation (settled
on 11-02, so in November's report), ``demand --as-of 2011-10-31`` read "MOF latest report:
dollars sold in interventions 0.00" with nothing to say it was October's report, where every
other monthly row (TIC, SAFE, MOF's by-investor figures, the OECD's short rate) names its
month. November's report, out on 11-30, holds the operations of 10-31 to 11-04:
8,072.2 + 282.6 + 227.9 + 202.8 + 306.2 = ¥9,091.7bn of dollars bought (MOF published ¥9,091.6bn
for 2011-10-28 to 2011-11-28, its figures rounded day by day).
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_the_report_rows_name_their_months(real_db):
    with Workspace(real_db, read_only=True) as ws:
        v = vintage_workspace(ws, dt.date(2011, 11, 30))
        table = service.demand(v, end="2011-11-30").signals_table()
    sold = table.loc["intervention_usd_sold_jpy_bn"]
    assert sold["signal"] == "MOF latest report (2011-11): dollars sold in interventions"
    assert sold["value"] == pytest.approx(-9091.7, abs=1e-6)
    two = table.loc["intervention_usd_sold_2m_jpy_bn"]
    assert two["signal"] == "MOF last two reports (2011-10 and 2011-11): dollars sold"
    assert two["value"] == pytest.approx(-9091.7, abs=1e-6)   # October's report held none
    assert table.loc["intervention_usd_sold_usd_bn", "signal"] == (
        "MOF latest report (2011-11): dollars sold (at the period's mean rate)")
    # the quarterly detail keeps its own quarter
    assert table.loc["intervention_days", "signal"] == (
        "MOF quarterly detail of 2011 Q3: dollar-selling intervention days")
