"""A demand fact whose input the store holds only from later says so (h_ep11).

`spillwatch alerts test --as-of 1998-10-08` on the real store said of ``custody_4w_drop``
"demand.custody_chg4_usd_bn: no value on 1998-10-08: its input is past its staleness limit or
has not reported", beside ``custody_weekly_drop``'s "no data for series 'custody' published by
1998-10-08: the store's figures of it begin later: custody 2007-07-04" on the same evening.
Nothing was stale: fred/WMTSECL1.csv is zero (not reported) until 2007-06-27 and the auction
record (auctions/ust_auctions_notes_bonds.csv) begins 2015-01-12. The store holds them, with
MOF's intervention record (so the gauge's facts are computed that evening) and the 10-year of
1998, imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store, facts_on

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/WMTSECL1.csv", "auctions/ust_auctions_notes_bonds.csv",
         "holdings/mof_fx_intervention_daily.csv", "fred/DGS10.csv")


def test_an_input_that_begins_later_is_not_called_stale(shared_data, tmp_path):
    # the store's later figures: custody to 2007-08, the auctions of January 2015
    db = cut_store(shared_data, tmp_path, FILES, first="1998-01-01", last="2015-01-31",
                   ends={"fred/DGS10.csv": "1998-12-31", "fred/WMTSECL1.csv": "2007-08-31"})
    (fs,) = facts_on(db, dt.date(1998, 10, 8), stress=False, spillover=False)
    for name in ("demand.custody_chg4_usd_bn", "demand.custody_chg8_usd_bn"):
        got = fs.get(name)
        assert got.value is None and got.reason == (
            "no value on 1998-10-08: nothing of its input is published by then: the store's "
            "Fed custody holdings begin 2007-07-04"), (name, got.reason)
    for name in ("demand.weak_long_auction", "demand.weak_other_auction"):
        got = fs.get(name)
        assert got.value is None and got.reason == (
            "no value on 1998-10-08: nothing of its input is published by then: the store's "
            "auction results begin 2015-01-12"), (name, got.reason)
    # an input out by then keeps its value: MOF's report of 1998-09 sold no dollars
    assert fs.get("demand.intervention_jpy_bn").value == 0.0
    # the gauge, never read by then, says why (it read "no value on the last date" where
    # `demand` says the gauge needs 3 groups with a current reading and has 1)
    for name in ("demand.percentile", "demand.top_group"):
        got = fs.get(name)
        assert got.value is None and got.reason.startswith(
            "no value on the last date: on 1998-10-08 no group has a reading (the gauge "
            "needs 3): foreign official custody (no Fed custody holdings published by "
            "then: the store's figures begin 2007-07-04)"), (name, got.reason)
