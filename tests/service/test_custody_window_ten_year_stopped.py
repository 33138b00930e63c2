"""The 10-year's move over custody's 8 published weeks needs the 10-year's closes at both ends.

A store of Fed custody (fred/WMTSECL1.csv, 2024-01 to 2025-06) and the 10-year (fred/DGS10.csv)
cut at 2025-03-31: on 2025-03-20 the line gives the 10-year's move over custody's window
(4.25% on 2025-03-19 less 4.60% on 2025-01-22: -35 bp); on 2025-06-25 the 10-year's last close
is weeks before either end of the window, and no move is said (h_mut26's V13: without the
tolerance the line read March's close as June's).
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.scenarios.selloff import preset
from spillwatch.service.scenarios import observed_vs
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

CUSTODY, TEN = "fred/WMTSECL1.csv", "fred/DGS10.csv"


def test_a_stopped_10_year_gives_no_move_over_custody_s_window(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, (CUSTODY, TEN), first="2024-01-01",
                   last="2025-06-30", ends={TEN: "2025-03-31"})
    with Workspace(open_source(db, read_only=True)) as ws:
        current, stopped = (observed_vs(vintage_workspace(ws, d), preset("japan-10pct"))
                            for d in (dt.date(2025, 3, 20), dt.date(2025, 6, 25)))
    assert current["ust10y_over_custody_window"] == {
        "from": "2025-01-22", "to": "2025-03-19", "change_bp": -35.0}
    assert "over those 8 weeks (to 2025-03-19) the 10-year moved -35 bp" in current["sentence"]
    assert stopped["custody_chg8_usd_bn"] is not None
    assert stopped["ust10y_over_custody_window"] is None
    assert "10-year moved" not in stopped["sentence"]
