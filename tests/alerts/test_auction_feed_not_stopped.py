"""A class's own last auction weeks ago is not a stopped auction feed (h_ep10).

`spillwatch alerts facts 'demand.*auction*' --as-of 2015-05-01 --db <real store>` said of
``demand.long_auction_weakness``: "stale input: the auction record's last result is of
2015-04-09, more than 21 days before 2015-05-01 (...): the feed has stopped", beside
``demand.auction_date`` 2015-04-29 in the same table. The record ran on: the 2-, 5- and 7-year
were auctioned on 2015-04-27/28/29 (auctions/ust_auctions_notes_bonds.csv); the 10- and
30-year are monthly (2015-04-08/09, then 05-13/14). The feed is stopped when no auction of any
tenor came for more than 21 days (analytics/demand/facts.py), not when one class's did.
The store holds the real auction results (and the 10-year) of January to May 2015, imported
with the project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.alerts.facts import compute_facts
from spillwatch.data.source import open_source

pytestmark = pytest.mark.realdata

FILES = ("auctions/ust_auctions_notes_bonds.csv", "fred/DGS10.csv")


def _cut(shared_data, folder):
    for name in FILES:
        lines = (shared_data / name).read_text().splitlines()
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("\n".join(
            [lines[0]] + [x for x in lines[1:] if "2015-01-01" <= x[:10] <= "2015-05-31"]) + "\n")


def test_a_monthly_class_weeks_old_is_not_a_stopped_feed(shared_data, tmp_path):
    folder = tmp_path / "data"
    _cut(shared_data, folder)
    april = [x.split(",")[:2] for x in (folder / FILES[0]).read_text().splitlines()[1:]
             if x.startswith("2015-04")]
    assert april[-1] == ["2015-04-29", "7-Year"] and ["2015-04-09", "30-Year"] in april
    with open_source(folder, db=tmp_path / "cut.duckdb") as src:
        # a past evening is a vintage view of the store (compute_facts makes it from as_of)
        assert not isinstance(src, VintageSource)
        fs = compute_facts(src, as_of=dt.date(2015, 5, 1), today=dt.date(2026, 12, 6),
                           stress=False, spillover=False)
    assert fs.get("demand.auction_date").value == "2015-04-29"
    long = fs.get("demand.long_auction_weakness")
    assert long.value is None and long.as_of == dt.date(2015, 4, 9)
    assert "stopped" not in long.reason and "stale input" not in long.reason
    # the record is current; the weakness needs more of the class's auctions than it holds
    assert long.reason == ("no value on 2015-05-01: its input is current (last observation "
                           "2015-04-09) but its record is too short for it")


def test_a_current_auction_too_early_in_the_record_to_score_says_so(shared_data, tmp_path):
    """On 2015-01-15 (the record begins 2015-01-12) the weakness of the 30-year of the day
    before read "its input is past its staleness limit or has not reported" (h_ep10): it is
    current, the record too short to score it."""
    folder = tmp_path / "data"
    _cut(shared_data, folder)
    rows = [x.split(",")[:2] for x in (folder / FILES[0]).read_text().splitlines()[1:]]
    assert rows[0][0] == "2015-01-12" and ["2015-01-14", "30-Year"] in rows
    with open_source(folder, db=tmp_path / "cut.duckdb") as src:
        fs = compute_facts(src, as_of=dt.date(2015, 1, 15), today=dt.date(2026, 12, 6),
                           stress=False, spillover=False)
    assert fs.get("demand.long_auction_date").value == "2015-01-14"
    for name in ("demand.long_auction_weakness", "demand.weak_long_auction"):
        got = fs.get(name)
        assert got.value is None and got.reason == (
            "no value on 2015-01-15: its input is current (last observation 2015-01-14) but "
            "its record is too short for it"), (name, got.reason)
    # a fact whose record does not hold the auction's own figure is not such a case: the
    # bid-to-cover is a value
    assert fs.get("demand.long_auction_bid_to_cover").value is not None
