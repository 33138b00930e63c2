"""The hedged pick-up's fact says when the store's missing leg begins (h_verify25).

`spillwatch alerts facts --as-of 1998-10-08` on the real store said of
``demand.hedged_pickup_pct`` "no value on 1998-10-08: its input is past its staleness limit or
has not reported", where `spillwatch demand --as-of 1998-10-08` said "a JPY short rate
(3-month interbank or TONA) was not yet published (ir3tib and tona have no value out by then)":
nothing was stale, fred/IR3TIB01JPM156N.csv begins 2002-04-01 (out 45 days later) and
japan/tona.csv in 2021. The store holds the 10-year, the bill, the JGB of 1998 and the OECD
rate of 2002 (and MOF's intervention record, so that the gauge's facts are computed that
evening), imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store, facts_on

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS10.csv", "fred/DGS3MO.csv", "japan/jgb_yields_mof.csv",
         "fred/IR3TIB01JPM156N.csv", "holdings/mof_fx_intervention_daily.csv")


def test_the_hedge_leg_that_begins_later_is_not_called_stale(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="1998-01-01", last="1998-12-31",
                   ends={"fred/IR3TIB01JPM156N.csv": "2002-06-01"})
    (fs,) = facts_on(db, dt.date(1998, 10, 8), stress=False, spillover=False)
    got = fs.get("demand.hedged_pickup_pct")
    assert got.value is None and got.reason == (
        "no value on 1998-10-08: nothing of its input is published by then: the store's "
        "figures of a JPY short rate (3-month interbank or TONA) begin 2002-04-01"), got.reason
