"""A series' long gap is not called a market closure when its market was open (h_verify20).

FRED's broad dollar (DTWEXBGS) has empty cells from 2010-02-08 to 2010-02-11 while the yen of
the same H.10 release (DEXJPUS) printed every one of those days (89.32, 89.45, 89.88, 89.82).
`spillwatch risk --as-of 2010-02-16 --assets usd_broad,usdjpy,gold,spx,ust10y --start
2006-02-01` (and `volatility`) said "usd_broad_pct printed on 2010-02-12 after no value since
2010-02-05 (7 days, more than 5: a market closure), a move of -0.66%": the move is right
(100 ln(93.9976 / 94.6218) = -0.66), the cause is not. The note says the gap without one.
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

FILES = ("fred/DTWEXBGS.csv", "fred/DEXJPUS.csv")


def _store(shared_data, tmp_path):
    """The real broad dollar and yen from 2008-01-01 to 2010-03-31."""
    return cut_store(shared_data, tmp_path, FILES, first="2008-01-01", last="2010-03-31")


def test_the_dollars_publication_gap_of_february_2010_is_not_called_a_market_closure(
        shared_data, tmp_path):
    db = _store(shared_data, tmp_path)
    with Workspace(open_source(db, read_only=True)) as ws:
        evening = vintage_workspace(ws, dt.date(2010, 2, 16))
        rep = risk.tail_risk(evening, assets=("usd_broad", "usdjpy"), start="2008-01-02",
                             end="2010-02-16", methods=("historical",), backtest=False)
    notes = " ".join(rep.notes)
    assert ("usd_broad_pct printed on 2010-02-12 after no value since 2010-02-05 (7 days, "
            "more than 5") in notes, notes
    assert "a move of -0.66%" in notes, notes
    # the yen printed through the dollar's gap: the note does not call it a closure
    assert "more than 5: a market closure)" not in notes, notes
    assert "usdjpy_pct printed" not in notes, notes
