"""The words of a foreign-demand reading's gap no other test pins (h_mut13, mutation testing).

``DemandResult.gap`` says, for an evening without a gauge, which groups had a reading and why
each other group had none. The tests of h_why1 check the start of the sentence and a few of
its parts; mutants that listed the groups *with* a reading as well, dropped the indicator
names of a group missing for two different reasons, or said "has" of two groups survived.
Every reason below is checked against ../shared/data:

- custody (fred/WMTSECL1.csv) is 0 from 2002-12-18 to its first non-zero week 2007-07-04,
  63 non-zero weeks by 2008-09-15: too few to rank;
- MOF's weekly flows (holdings/mof_weekly_intl_securities.csv) begin with the week to
  2005-01-08; MOF's interventions (holdings/mof_fx_intervention_daily.csv) on 1991-05-13;
- the auctions file begins 2015-01-12, SAFE's reserves 2015-06-30;
- TIC (tic/major_foreign_holders.csv) begins 2000-03-31; June 2008 is one of
  ``TIC_SERIES_BREAKS`` and was TIC's last month out on 2008-09-15 (July's came on 09-16).

The store's event tables (auctions, MOF's interventions) count as stored inputs, read once
per workspace.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import MarketSource, open_source
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

CHINA_2008 = ("China (China reserves flow vs its fit: no SAFE reserves published by then: the "
              "store's figures begin 2015-06-30; TIC China change net of valuation vs its past: "
              "TIC's June 2008 change spans a series break: Treasury's benchmark revision, not "
              "a flow)")


def later(first: str) -> str:
    """The words of an input whose first figure in the store is dated ``first``."""
    return f"published by then: the store's figures begin {first}"


@pytest.fixture(scope="module")
def evening(real_db):
    """The gauge of the data as published by 2008-09-15."""
    with Workspace(real_db, read_only=True) as ws:
        v = vintage_workspace(ws, dt.date(2008, 9, 15))
        yield v, service.demand(v, end="2008-09-15")


@pytest.mark.realdata
def test_the_whole_sentence_of_2008_09_15_names_only_the_groups_without_a_reading(evening):
    v, res = evening
    gap = res.gap()
    assert gap == (
        "on 2008-09-15 only Japan private and Japan official have a reading (the gauge needs "
        "3): foreign official custody (too few readings yet to rank it), auctions (no auction "
        f"results {later('2015-01-12')}), {CHINA_2008}")
    # the note of `demand --as-of` ends with it, after the freshness note
    note = service.summary(v, res, end="2008-09-15")["freshness_note"]
    assert note.endswith(": the last reading the data allow by then: " + gap)


@pytest.mark.realdata
def test_one_group_has_a_reading_and_none_has(evening):
    _, res = evening
    # before MOF's weekly flows (2005) and Fed custody (2002): the interventions only
    assert res.gap("1993-04-30") == (
        f"on 1993-04-30 only Japan official has a reading (the gauge needs 3): foreign "
        f"official custody (no Fed custody holdings {later('2007-07-04')}), Japan private (no "
        f"MOF weekly flows {later('2005-01-08')}), auctions (no auction results "
        f"{later('2015-01-12')}), China (China reserves flow vs its fit: no SAFE reserves "
        f"{later('2015-06-30')}; TIC China change net of valuation vs its past: no TIC "
        f"holdings {later('2000-03-31')})")
    # 18 days after MOF's first operation: a group of one indicator gives no indicator name
    one = res.gap("1991-05-31")
    assert one.startswith("on 1991-05-31 no group has a reading (the gauge needs 3): ")
    assert ", Japan official (too few readings yet to rank it), " in one


@pytest.mark.realdata
def test_a_group_missing_for_two_reasons_names_each_indicator_and_one_reason_once(evening):
    _, res = evening
    # MOF's weekly flows a year old: the weekly change has a value not yet ranked, the 4-week
    # change none yet
    assert ("Japan private (Japan weekly net purchases vs their past: too few readings yet "
            "to rank it; Japan 4-week net purchases vs their past: too little history to rank "
            "it)") in res.gap("2006-01-11")
    # a week after their first: both for the same reason, said once without the names
    assert ", Japan private (too little history to rank it), " in res.gap("2005-01-12")


@pytest.mark.realdata
def test_a_gauge_needing_more_groups_says_how_many_and_lists_three_with_commas(evening):
    """The gauge's own ``min_groups``: a gauge needing 4 lacks one on 2008-08-15, the evening
    the default gauge (3) was last read, with three groups (Japan private, Japan official and
    China on TIC's May 2008 change)."""
    from spillwatch.analytics.demand.gauge import DemandGauge

    v, _ = evening
    res = DemandGauge(min_groups=4).fit(service.inputs(v), end="2008-08-15")
    assert res.gap("2008-08-15") == (
        "on 2008-08-15 only Japan private, Japan official and China have a reading (the gauge "
        "needs 4): foreign official custody (too few readings yet to rank it), auctions (no "
        "auction results in the data by then)")


AUCTIONS = ("date,tenor,term,reopening,cusip,size_bn,high_yield,median_yield,bid_to_cover,"
            "dealer_pct,direct_pct,indirect_pct,dispersion_bp\n"
            "2015-01-12,3-Year,3-Year,False,912828H37,24.0,1.1,1.05,3.2,30.0,20.0,50.0,2.0\n")
INTERVENTIONS = ("date,currency_pair,direction,amount_jpy_bn\n"
                 "1991-05-13,USD/JPY,sell_USD_buy_JPY,13.9\n")


def _events_store(tmp_path, *files: str):
    """A store imported from event files (the first row of ../shared/data's)."""
    for name in files:
        path = tmp_path / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text({"auctions/ust_auctions_notes_bonds.csv": AUCTIONS,
                         "holdings/mof_fx_intervention_daily.csv": INTERVENTIONS}[name])
    return open_source(tmp_path / "data", db=tmp_path / "s.duckdb")


#: Each event file's first figure: its date and the day it is out (an auction's result on its
#: day; the operation of 1991-05-13 with MOF's report for May, on its last business day).
FIRST = {"auctions": ("2015-01-12", "2015-01-12"), "interventions": ("1991-05-13", "1991-05-31")}


@pytest.mark.parametrize(("files", "want"), [
    (("auctions/ust_auctions_notes_bonds.csv",), {"auctions"}),
    (("holdings/mof_fx_intervention_daily.csv",), {"interventions"}),
    (("auctions/ust_auctions_notes_bonds.csv", "holdings/mof_fx_intervention_daily.csv"),
     {"auctions", "interventions"}),
])
def test_the_event_tables_count_as_stored_inputs(tmp_path, files, want):
    with _events_store(tmp_path, *files) as src:
        got = service.stored_inputs(Workspace(MarketSource(src.store, "s", owned=False)))
    assert {k: (f"{v.dated:%Y-%m-%d}", f"{v.published:%Y-%m-%d}") for k, v in got.items()} \
        == {k: FIRST[k] for k in want}


def test_the_stored_inputs_are_read_once_per_workspace(tmp_path):
    with _events_store(tmp_path, "auctions/ust_auctions_notes_bonds.csv") as src:
        ws = Workspace(MarketSource(src.store, "store", owned=False))
        got = service.stored_inputs(ws)
        assert got.keys() == {"auctions"}
        with src.store.transaction() as con:      # a store made before the event tables
            con.execute("DROP TABLE auctions")
            con.execute("DROP TABLE fx_interventions")
        # the workspace read them once: the same set, not read anew
        assert service.stored_inputs(ws) is got
        # a new workspace reads the store as it is now: no event tables, no stored input
        assert service.stored_inputs(
            Workspace(MarketSource(src.store, "old", owned=False))) == {}


def test_a_stale_gauge_fact_without_a_why_says_no_more():
    """``why`` is said after a stale gauge fact's reason; without one, nothing (not ": None")."""
    from spillwatch.alerts.facts import demand_fact_list

    read, today = dt.date(2008, 8, 15), dt.date(2008, 9, 15)
    base = ("stale input: the gauge was last read on 2008-08-15, more than 16 days before "
            "2008-09-15")
    facts = {f.name: f for f in demand_fact_list({}, read, today)}
    assert facts["demand.gauge"].reason == base
    facts = {f.name: f for f in demand_fact_list({}, read, today, why="on 2008-09-15 ...")}
    assert facts["demand.gauge"].reason == base + ": on 2008-09-15 ..."


@pytest.mark.realdata
def test_the_inputs_reported_are_the_gauge_reading_s_the_gap_the_evening_s(evening):
    """``inputs_reported(at)`` is read on the gauge's date on or before ``at`` (2008-08-15),
    ``gap`` on the evening itself: custody (fred/WMTSECL1.csv) had the week of 2008-08-13 by
    the gauge's date, that of 2008-09-10 by the evening; too few to rank either way."""
    _, res = evening
    assert res.inputs_reported("2008-09-15")["custody"]["observed"] == "2008-08-13"
    assert res.inputs_reported("2008-09-15") == res.inputs_reported("2008-08-15")


@pytest.mark.realdata
def test_enough_groups_without_a_gauge_is_no_gap_this_explains(evening):
    """A gauge weighing only custody and the auctions has no value on 2008-08-15, when only
    Japan private, Japan official and China had a reading: three groups, as many as it needs,
    so it is not the missing groups that explain it (``gap`` says nothing rather than "only
    three groups have a reading (the gauge needs 3)")."""
    from spillwatch.analytics.demand.gauge import DemandGauge

    v, _ = evening
    res = DemandGauge(weights=(1, 0, 0, 1, 0)).fit(service.inputs(v), end="2008-08-15")
    row = res.frame.loc["2008-08-15"]
    assert pd.isna(row["gauge"]) and row["groups"] == 3
    assert res.gap("2008-08-15") is None
