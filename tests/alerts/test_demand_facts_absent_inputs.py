"""A ``demand.*`` fact whose input the store does not hold at all says so (h_data3).

On a store of FRED's files alone (custody, no MOF, auction, SAFE or JGB file) `alerts facts`
and the monitor's log read "its input is past its staleness limit or has not reported" for
MOF's weekly flows, the interventions, every auction and China's reserves, as of a feed that
stopped, beside the gauge's own reason of the same evening: "Japan private (no MOF weekly flows
in the data)". A fact of an input the store holds keeps its own reason.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store, facts_on

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

# custody (a gauge input) and the 10-year: no MOF weekly flows, interventions, auctions, JGBs
FILES = ("fred/WMTSECL1.csv", "fred/DGS10.csv")


def test_a_fact_of_an_input_not_in_the_store_says_so(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2023-01-01", last="2024-12-31")
    day = dt.date(2024, 12, 31)
    (facts,) = facts_on(db, day, stress=False, spillover=False)
    want = {
        "demand.japan_bond_net1_z": "no MOF weekly flows in the data",
        "demand.intervention_reported": "no MOF intervention reports in the data",
        "demand.weak_long_auction": "no auction results in the data",
        "demand.auction_weakness": "no auction results in the data",
        "demand.china_reserves_flow_usd_bn": "no SAFE reserves in the data",
        "demand.hedged_pickup_pct": (
            "the 10-year JGB yield is not in the data; a USD short rate (3-month bill or SOFR) "
            "is not in the data; a JPY short rate (3-month interbank or TONA) is not in the "
            "data"),
    }
    for name, why in want.items():
        fact = facts.get(name)
        assert fact.value is None
        assert fact.reason == f"no value on {day}: {why}", name
    # custody is in the store and current: its change has a value
    assert facts.get("demand.custody_chg4_usd_bn").value is not None
    # the count of stale inputs leaves custody to the stale_data rule: it has none of its own
    # to count, and says so without "no foreign-demand input has reported" (custody has)
    stale = facts.get("demand.stale_inputs")
    assert stale.value is None
    assert stale.reason == (
        f"no value on {day}: none of the inputs it counts has reported by then: MOF weekly "
        "flows, China's reserves, MOF's FX interventions (monthly report), auctions (custody "
        "and TIC are the stale_data rule's)")


def test_a_hedge_leg_held_through_one_of_its_series_is_not_called_missing(shared_data, tmp_path):
    """A leg of the hedged pick-up is in the data when either of its series is: TONA alone
    gives the JPY short rate (h_mut24: asking for both survived the test above)."""
    db = cut_store(shared_data, tmp_path, (*FILES, "japan/tona.csv"), first="2023-01-01",
                   last="2024-12-31")
    day = dt.date(2024, 12, 31)
    (facts,) = facts_on(db, day, stress=False, spillover=False)
    assert facts.get("demand.hedged_pickup_pct").reason == (
        f"no value on {day}: the 10-year JGB yield is not in the data; a USD short rate "
        "(3-month bill or SOFR) is not in the data")
