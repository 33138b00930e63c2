"""A foreign-demand reading older than the evening asked for says why (h_why1).

``demand --as-of 2008-09-15`` said "the foreign-demand gauge is as of 2008-08-15, 31 days
before 2008-09-15, the date asked for: the last reading the data allow by then" and no more:
that evening only Japan private and Japan official had a reading (the gauge needs 3): custody
holds zeros to mid-2007 (too few readings to rank), the auctions file begins 2015-01-12, SAFE's
reserves 2015-06-30, and TIC's June 2008 month (out by then) is a series break.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def evening(real_db):
    """The data as published by 2008-09-15, its gauge and summary (one per module)."""
    with Workspace(real_db, read_only=True) as ws:
        v = vintage_workspace(ws, dt.date(2008, 9, 15))
        res = service.demand(v, end="2008-09-15")
        yield v, res, service.summary(v, res, end="2008-09-15")


def test_an_older_reading_names_the_groups_the_evening_lacked_and_why(evening):
    _, res, out = evening
    note = out["freshness_note"]
    assert note == out["notes"][0]
    assert note.startswith("the foreign-demand gauge is as of 2008-08-15, 31 days before "
                           "2008-09-15, the date asked for: the last reading the data allow "
                           "by then: on 2008-09-15 only Japan private and Japan official have "
                           "a reading (the gauge needs 3): ")
    assert "foreign official custody (too few readings yet to rank it)" in note
    assert ("auctions (no auction results published by then: the store's figures begin "
            "2015-01-12)") in note
    assert "TIC's June 2008 change spans a series break" in note
    assert "no SAFE reserves published by then" in note
    # an evening whose gauge is current has no such note
    assert res.gap("2008-08-15") is None


def test_the_monitors_stale_gauge_facts_say_why_too(evening):
    """`alerts facts --as-of 2008-09-15`: demand.gauge read "stale input: the gauge was last
    read on 2008-08-15, more than 16 days before 2008-09-15" and no more."""
    from spillwatch.alerts.facts import _demand_facts

    day = dt.date(2008, 9, 15)
    facts, _ = _demand_facts(evening[0], pd.Timestamp(day), day)
    gauge = {f.name: f for f in facts}["demand.gauge"]
    assert gauge.value is None
    assert gauge.reason.startswith(
        "stale input: the gauge was last read on 2008-08-15, more than 16 days before "
        "2008-09-15: on 2008-09-15 only Japan private and Japan official have a reading "
        "(the gauge needs 3): foreign official custody")


def test_the_run_headline_says_why_too(evening):
    """The headline's demand line ("STALE: the foreign-demand gauge is as of ...") said
    nothing of why either; on the evening of 2008-09-15 (``run --as-of``, which replays the
    data as published by then) it does, and asks for no newer data, which that evening cannot
    have."""
    from spillwatch.service._today import replay_day

    with replay_day(dt.date(2008, 9, 15), published=True):
        line = service.headline(evening[0])
    assert line is not None and line["date"] == "2008-08-15"
    assert line["notes"][0].startswith(
        "the foreign-demand gauge is as of 2008-08-15, 31 days before 2008-09-15, the date "
        "asked for: the last reading the data allow by then: on 2008-09-15 only Japan private "
        "and Japan official have a reading (the gauge needs 3): foreign official custody")
