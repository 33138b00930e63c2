"""The no-reading line of `demand` tells a group the store holds from later on from one it
lacks (h_verify20).

`spillwatch demand --as-of 2003-10-31` on ../shared/data printed "no data (or too short a
history) for foreign official custody, Japan private, auctions" of a store whose custody
holdings (fred:WMTSECL1) begin on 2007-07-04, MOF's weekly flows on 2005-01-08 and the auctions
on 2015-01-12: none was out by that evening, and the words left the trader to guess which of
the two it was, as the book's "(not in the data, or too little of it by then)" did. The line
now says a group's inputs are in the store but published later, as the gauge's "why" of an
indicator already did ("published by then: the store's figures begin later").
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
         "holdings/mof_fx_intervention_daily.csv", "holdings/mof_weekly_intl_securities.csv")


def test_a_group_whose_figures_begin_later_is_not_called_missing(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, last="2005-06-30")
    with Workspace(open_source(db, read_only=True)) as ws:
        evening = vintage_workspace(ws, dt.date(2003, 10, 31))   # demand --as-of 2003-10-31
        res = service.demand(evening, end="2003-10-31")
        text = " ".join(str(res).split())
    assert "no reading on 2003-10-31" in text, text
    # MOF's weekly flows are in the store from 2005-01-08: published later, not absent
    assert ("none published by then for Japan private (MOF weekly flows from 2005-01-08): the "
            "store's figures begin later") in text
    # custody and the auctions are not in this store at all
    assert "no data (or too short a history) for foreign official custody, auctions;" in text


def test_a_first_figure_dated_before_the_evening_is_first_published_later(shared_data,
                                                                          tmp_path):
    """MOF's first week in the store ends on Saturday 2005-01-08 and is out on Wednesday
    01-12 (its release lag, the timing's): `demand --as-of 2005-01-10` said "the store's
    figures begin later" of a figure dated two days before the evening (h_verify21). The line
    says when each begins, or when a figure dated by then is first out."""
    db = cut_store(shared_data, tmp_path, FILES, last="2005-06-30")
    with Workspace(open_source(db, read_only=True)) as ws:
        def line(day: dt.date) -> str:
            res = service.demand(vintage_workspace(ws, day), end=day.isoformat())
            return " ".join(str(res).split())

        monday, early = line(dt.date(2005, 1, 10)), line(dt.date(2004, 12, 31))
    assert ("none published by then for Japan private (MOF weekly flows of 2005-01-08, first "
            "published 2005-01-12): the store's figures are first published later") in monday
    assert "begin later" not in monday
    assert ("none published by then for Japan private (MOF weekly flows from 2005-01-08): the "
            "store's figures begin later") in early


def test_the_summary_of_an_evening_without_a_reading_says_why(shared_data, tmp_path):
    """`demand --as-of 2005-01-10 --json` (and `/api/demand`, the report) gave ``"gauge":
    null`` with no note: the why was in the text's first line only (session 52)."""
    db = cut_store(shared_data, tmp_path, FILES, last="2005-06-30")
    day = dt.date(2005, 1, 10)
    with Workspace(open_source(db, read_only=True)) as ws:
        v = vintage_workspace(ws, day)
        res = service.demand(v, end=day.isoformat())
        out = service.summary(v, res, end=day.isoformat())
    assert out["gauge"] is None and not len(res.valid)
    assert out["notes"][0] == res.no_reading()
    assert out["notes"][0].startswith("foreign demand for Treasuries: no reading on 2005-01-10: "
                                      "the gauge needs 3 groups with a current reading")
