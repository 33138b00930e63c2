"""The no-reading line of `demand` sorts its groups into stale and "current but not read"
(h_mut16: the stale case and the words "current but not read" were pinned by no test).

TIC's major foreign holders cut to the month of 2003-08 (released 2003-10-20, TIC's limit 83
days), with DGS10 and MOF's interventions, by the project's import: on 2003-10-31 China's TIC
month is 11 days old and too short to rank; on 2004-03-31 it is 163 days old, stale.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("tic/major_foreign_holders.csv", "fred/DGS10.csv",
         "holdings/mof_fx_intervention_daily.csv")
HEAD = ("foreign demand for Treasuries: no reading on {day}: the gauge needs 3 groups with a "
        "current reading and has 1; no data (or too short a history) for foreign official "
        "custody, Japan private, auctions; ")


def test_current_and_stale_groups_are_said_apart(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, last="2004-12-31",
                   ends={FILES[0]: "2003-08-31"})
    with Workspace(open_source(db, read_only=True)) as ws:
        text = {day: " ".join(str(service.demand(vintage_workspace(ws, day),
                                                 end=str(day))).split())
                for day in (dt.date(2003, 10, 31), dt.date(2004, 3, 31))}
    assert text[dt.date(2003, 10, 31)] == HEAD.format(day="2003-10-31") + (
        "current but not read: China (last observed 2003-08-31: too little history to rank it)")
    assert text[dt.date(2004, 3, 31)] == HEAD.format(day="2004-03-31") + (
        "past their staleness limit: China (last observed 2003-08-31)")


def test_figures_that_begin_later_and_rows_deleted(shared_data, tmp_path):
    """With MOF's weekly flows (in the store from 2005-01-08) the line says Japan private's
    figures begin later, in full; with their rows deleted (the series still catalogued) it is
    no data again: the store's observations are read, not the catalog's names."""
    import duckdb

    files = (*FILES, "holdings/mof_weekly_intl_securities.csv")
    db = cut_store(shared_data, tmp_path, files, last="2005-06-30",
                   ends={FILES[0]: "2003-08-31"})

    def line() -> str:
        with Workspace(open_source(db, read_only=True)) as ws:
            return " ".join(str(service.demand(vintage_workspace(ws, dt.date(2003, 10, 31)),
                                               end="2003-10-31")).split())

    china = "current but not read: China (last observed 2003-08-31: too little history to rank it)"
    assert line() == (
        "foreign demand for Treasuries: no reading on 2003-10-31: the gauge needs 3 groups "
        "with a current reading and has 1; no data (or too short a history) for foreign "
        "official custody, auctions; none published by then for Japan private (MOF weekly "
        "flows from 2005-01-08): the store's figures begin later; " + china)
    with duckdb.connect(str(db)) as con:   # no project code: the table's rows
        con.execute("DELETE FROM observations WHERE series_id LIKE 'mof:weekly%'")
    assert line() == HEAD.format(day="2003-10-31") + china


def test_a_group_with_one_of_its_inputs_stored_begins_later(shared_data, tmp_path):
    """China's inputs are its reserves and TIC: a store with TIC (from 2000-03-31) and no
    reserves says on 1999-10-29 that China's figures begin later, not that it has none."""
    db = cut_store(shared_data, tmp_path, FILES, last="2000-12-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        text = " ".join(str(service.demand(vintage_workspace(ws, dt.date(1999, 10, 29)),
                                           end="1999-10-29")).split())
    assert text == HEAD.format(day="1999-10-29").removesuffix("; ") + (
        "; none published by then for China (TIC holdings from 2000-03-31): the store's "
        "figures begin later")
