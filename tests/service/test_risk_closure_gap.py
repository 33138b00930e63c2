"""A series fresh on the evening after a long market closure is not called stale (h_ep7).

US stock markets were shut 2001-09-11 to 09-14. `spillwatch risk --as-of 2001-09-17 --start
1997-01-01 --assets spx,ust10y,usdjpy` gave the S&P 500's VaR "as of 2001-09-10" with the note
"the 'next day' VaR ... from a last date past the series' staleness limit ... spx_pct (as of
2001-09-10, 7 days before, limit 6): the last readings the data allow by then", while the data
held its close of 2001-09-17 (1038.77, published that evening): the series was fresh, and its
move over the closure (-5.05%, log) is no daily change (more than five calendar days), so it
is in no history. The note now says that.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("equity/sp500_yahoo.csv", "fred/DGS10.csv")


def _store(shared_data, tmp_path, last: str = "2001-09-30", spx_last: str | None = None):
    """The real S&P 500 and 10-year from 1999-06-01 to ``last`` (the S&P to ``spx_last``)."""
    return cut_store(shared_data, tmp_path, FILES, first="1999-06-01", last=last,
                     ends={FILES[0]: spx_last} if spx_last else None)


def test_the_evening_after_the_2001_closure_says_the_move_is_unmeasured_not_stale(
        shared_data, tmp_path):
    db = _store(shared_data, tmp_path)
    with Workspace(open_source(db, read_only=True)) as ws:
        evening = vintage_workspace(ws, dt.date(2001, 9, 17))
        rep = risk.tail_risk(evening, assets=("spx",), start="1999-06-01", end="2001-09-17",
                             methods=("historical",), backtest=False)
    notes = " ".join(rep.notes)
    assert "staleness limit" not in notes, notes
    assert ("spx_pct printed on 2001-09-17 after no value since 2001-09-10 (7 days, more "
            "than 5: a market closure or a gap in its published figures), a move of "
            "-5.05%") in notes, notes


def test_a_series_that_stopped_after_the_closure_is_still_stale(shared_data, tmp_path):
    """The closure's note does not excuse a series that printed once after it and stopped:
    it is judged stale by its last print (2001-09-17), 28 days before 2001-10-15."""
    db = _store(shared_data, tmp_path, last="2001-10-31", spx_last="2001-09-17")
    with Workspace(open_source(db, read_only=True)) as ws:
        evening = vintage_workspace(ws, dt.date(2001, 10, 15))
        rep = risk.tail_risk(evening, assets=("spx",), start="1999-06-01", end="2001-10-15",
                             methods=("historical",), backtest=False)
    notes = " ".join(rep.notes)
    assert "spx_pct printed on 2001-09-17 after no value since 2001-09-10" in notes, notes
    assert "staleness limit" in notes and "spx_pct (as of 2001-09-17, 28 days" in notes, notes
