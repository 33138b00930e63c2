"""The store-wide memo keeps each asset's own answer, whatever was asked of it first (h_mut22).

What the store holds whatever the evening (each asset's first date and first release, each
asset's series ids) is read once for the whole store and shared by every past evening made
from it (:meth:`~spillwatch.service.workspace.Workspace.store_memo`,
:meth:`~spillwatch.alerts.backtest.vintage.VintageSource.read_series`). Its own tests ran on the
demo store, one series per asset, asked of one asset or of all at once: an asset's first date
taken from its best series alone, or its last series' first date, a first release memoised
without the asset's name, or the series list of the first evening's assets kept as the whole
store's, passed them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import VintageSource, vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("treasury/par_yield_curve.csv", "fred/DGS10.csv", "fred/DTWEXBGS.csv",
         "fred/WMTSECL1.csv")


@pytest.fixture(scope="module")
def db(shared_data, tmp_path_factory):
    """The par curve from 2019-01-02, FRED's 10-year from 2019-06-03 (the 10-year's two
    series), the broad dollar from Monday 2020-01-06 and custody from Wednesday 2020-01-08,
    each to 2020-03-31."""
    return cut_store(shared_data, tmp_path_factory.mktemp("two_series"), FILES,
                     first="2019-01-02", last="2020-03-31",
                     starts={"fred/DGS10.csv": "2019-06-03", "fred/DTWEXBGS.csv": "2020-01-06",
                             "fred/WMTSECL1.csv": "2020-01-08"})


def test_an_asset_begins_with_the_first_of_its_series(db):
    """The 10-year's first stored date is the par curve's 2019-01-02 (2.66%), not FRED's
    DGS10 of 2019-06-03, its best series."""
    with Workspace(open_source(db, read_only=True)) as ws:
        night = vintage_workspace(ws, dt.date(2020, 2, 3))
        got = night.stored_first(["ust10y", "usd_broad", "custody"])
    assert got == {"ust10y": pd.Timestamp("2019-01-02"), "usd_broad": pd.Timestamp("2020-01-06"),
                   "custody": pd.Timestamp("2020-01-08")}


def test_each_asset_keeps_its_own_first_release(db):
    """On 2020-01-08 the dollar's first figure (Monday 01-06, H.10) is out on Monday 01-13 and
    custody's (Wednesday 01-08, H.4.1) on Thursday 01-09, each asked of its own."""
    with Workspace(open_source(db, read_only=True)) as ws:
        # one asset asked first, on an evening of its own, then both on the next
        first = vintage_workspace(ws, dt.date(2020, 1, 8)).begins_later(["custody"])
        both = vintage_workspace(ws, dt.date(2020, 1, 8)).begins_later(["usd_broad", "custody"])
    assert first == ("the store's figures of it are first published later (custody 2020-01-08, "
                     "first published 2020-01-09); give a later --as-of")
    assert both == ("the store's figures of them are first published later (usd_broad "
                    "2020-01-06, first published 2020-01-13; custody 2020-01-08, first "
                    "published 2020-01-09); give a later --as-of")


def test_an_evening_reads_the_assets_asked_and_the_next_every_asset(db):
    """Two evenings share the store's frames: the first asks the dollar alone, the second the
    whole watch list, which reads every asset a vintage of its own reads."""
    with open_source(db, read_only=True) as src:
        shared: dict = {}
        alone = VintageSource.of(src, "2020-02-03", shared).read_series(["usd_broad"])
        assert sorted(alone.series) == ["usd_broad"]
        every = VintageSource.of(src, "2020-02-10", shared).read_series()
        fresh = VintageSource.of(src, "2020-02-10").read_series()
    assert sorted(every.series) == sorted(fresh.series)
    assert {"usd_broad", "ust10y", "ust2y"} <= set(every.series)
    for k, s in fresh.series.items():
        pd.testing.assert_series_equal(every.series[k], s)
    # the par curve of 02-10 is out that evening; the dollar's week to 02-07 on Monday 02-10
    assert every.series["ust10y"].index[-1] == pd.Timestamp("2020-02-10")
    assert every.series["usd_broad"].index[-1] == pd.Timestamp("2020-02-07")


def test_each_event_table_keeps_its_own_frame(shared_data, tmp_path):
    """Evenings sharing the store's frames read the auctions on one and MOF's interventions on
    the next: each table is its own (the intervention record's end bounds the gauge's months
    of zero)."""
    db = cut_store(shared_data, tmp_path, ("auctions/ust_auctions_notes_bonds.csv",
                                           "holdings/mof_fx_intervention_daily.csv"),
                   first="2022-01-03", last="2022-12-30")
    with open_source(db, read_only=True) as src:
        shared: dict = {}
        auctions = VintageSource.of(src, "2022-10-03", shared).events("auctions")
        night = VintageSource.of(src, "2022-10-03", shared)
        ops = night.events("fx_interventions")
        # the 7-year of 2022-09-28, the last auction out by then (2022's 63rd)
        assert len(auctions) == 63 and auctions["auction_date"].max() == pd.Timestamp("2022-09-28")
        # September's report: the yen support of 2022-09-22, 2,838.2 bn yen (October's not out)
        assert ops[["intervention_date", "amount_jpy_bn"]].to_dict("records") == [
            {"intervention_date": pd.Timestamp("2022-09-22"), "amount_jpy_bn": 2838.2}]
        assert night.record_end("fx_interventions") == pd.Timestamp("2022-10-24")
        assert night.record_end("auctions") == pd.Timestamp("2022-12-29")
