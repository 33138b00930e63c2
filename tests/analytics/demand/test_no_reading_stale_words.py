"""The no-reading line of `demand` calls a group stale only when its inputs are (h_ep7).

`spillwatch demand --as-of 2003-10-31` on ../shared/data printed "no reading on 2003-10-31: ...;
past their staleness limit: China (last observed 2003-08-31)" while its `--json` gave TIC's
month 2003-08 as `stale: false` (released 2003-10-20, 61 days old against TIC's limit of 83):
China was current and too young to rank. The line with a reading already said so
(`why_unavailable`); the line without one did not ask.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("tic/major_foreign_holders.csv", "fred/DGS10.csv",
         "holdings/mof_fx_intervention_daily.csv")


def test_a_current_tic_month_is_not_called_stale_when_the_gauge_has_no_reading(
        shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, last="2004-12-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        evening = vintage_workspace(ws, dt.date(2003, 10, 31))   # demand --as-of 2003-10-31
        res = service.demand(evening, end="2003-10-31")
        text = " ".join(str(res).split())
    tic = res.latest()["inputs"]["tic"]
    assert (tic["observed"], tic["stale"]) == ("2003-08-31", False)
    assert "no reading on 2003-10-31" in text
    assert "past their staleness limit" not in text
    assert "China (last observed 2003-08-31: too little history to rank it)" in text
