"""The hedged pick-up's note tells a leg not yet published from one the store lacks."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.analytics.demand._results import hedge_notes
from spillwatch.cli import app

FRESH = {"observed": "1995-06-29", "released": "1995-06-30", "stale": False}
LAST = {"date": "1995-06-30",
        "signals": {"hedged_pickup_pct": None, "ust_jgb_10y_spread_pct": 3.24},
        "inputs": {"ust10y": FRESH, "jgb10y": FRESH, "dgs3mo": FRESH}}


def test_a_leg_the_store_holds_later_is_not_yet_published():
    """Before the yen's short rates began (ir3tib 2002, tona 2021) the note read "a JPY
    short rate ... is not in the data", though the store held both."""
    assert hedge_notes(LAST, stored={"ir3tib", "tona", "ust10y"}) == [
        "no hedged pick-up on 1995-06-30: a JPY short rate (3-month interbank or TONA) was "
        "not yet published (ir3tib and tona have no value out by then)"]
    assert hedge_notes(LAST, stored={"tona"}) == [
        "no hedged pick-up on 1995-06-30: a JPY short rate (3-month interbank or TONA) was "
        "not yet published (tona has no value out by then)"]
    # a store without either says so, as before
    assert hedge_notes(LAST) == [
        "no hedged pick-up on 1995-06-30: a JPY short rate (3-month interbank or TONA) is "
        "not in the data"]


@pytest.mark.realdata
def test_the_evening_before_the_yen_rates_on_real_data(real_db):
    """`demand --as-of 1995-06-30` (and /api/demand, the report) said the yen's short rate
    "is not in the data": ../shared/data holds IR3TIB from 2002 and TONA from 2021."""
    res = CliRunner().invoke(app, ["demand", "--db", str(real_db), "--as-of", "1995-06-30",
                                   "--json"])
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["summary"]["notes"]
    assert ("no hedged pick-up on 1995-06-30: a JPY short rate (3-month interbank or TONA) "
            "was not yet published (ir3tib and tona have no value out by then)") in notes
    assert not any("not in the data" in n for n in notes)


@pytest.mark.realdata
@pytest.mark.slow
def test_the_hedged_pickup_over_golden_week_on_real_data(real_db):
    """`demand --as-of 2019-05-03` said "the 10-year JGB yield is past its staleness limit"
    with Tokyo shut since 04-27: the pick-up is the raw files' 10-year Treasury of 05-03
    (2.54) less the latest JGB MOF had posted, Thursday 04-25's (-0.031: Friday 04-26's was
    posted at 00:30 in Tokyo on its next business day, 05-07), less the hedge (the 3-month
    bill's 2.43 less the OECD's March yen rate 0.05)."""
    res = CliRunner().invoke(app, ["demand", "--db", str(real_db), "--as-of", "2019-05-03",
                                   "--json"])
    assert res.exit_code == 0, res.output
    latest = json.loads(res.stdout)["latest"]
    assert latest["inputs"]["jgb10y"] == {"observed": "2019-04-25", "released": "2019-04-25",
                                          "stale": False}
    assert latest["signals"]["ust_jgb_10y_spread_pct"] == pytest.approx(2.54 + 0.031)
    assert latest["signals"]["hedged_pickup_pct"] == pytest.approx(2.54 + 0.031 - 2.43 + 0.05)
