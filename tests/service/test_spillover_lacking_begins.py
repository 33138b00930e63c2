"""Spillover's note on a standard asset the evening lacks says when the store's figures of it
begin, as risk's does (session 52; the note said "holds no data of it" of an asset the store
holds from later on)."""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import spillover as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/DTWEXBGS.csv",
         "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv")


def test_an_asset_the_store_holds_from_later_on_says_when(shared_data, tmp_path):
    # the broad dollar from 2019-03-01 only (its file begins 2006): as of 2018-12-03 the
    # standard set lacks it
    db = cut_store(shared_data, tmp_path, FILES, first="2018-01-01", last="2019-06-28",
                   starts={"fred/DTWEXBGS.csv": "2019-03-01"})
    with Workspace(open_source(db, read_only=True)) as ws:
        notes = service.spillover(vintage_workspace(ws, dt.date(2018, 12, 3))).notes
    (note,) = [n for n in notes if n.startswith("without usd_broad")]
    assert note.startswith("without usd_broad (store ")
    assert ("as published by 2018-12-03 holds no data of it; the store's figures of it begin "
            "later: usd_broad 2019-03-01): the table and the headline are over 5 series, "
            "not 6") in note
