"""What the store holds whatever the evening is read once for it, and every past evening shares it.

A past evening's workspace (``--as-of``, the API's ``as_of``, a replay) says when an input it
lacks begins in the store. Each evening read the store's series list and each asset's whole
series again for it; they are read once, on the whole store's workspace, and give what the
store's rows give.
"""

from __future__ import annotations

import pandas as pd

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.panel import resolve_sources
from spillwatch.service.demand import stored_inputs
from spillwatch.service.workspace import Workspace


def test_past_evenings_share_the_store_s_first_dates_and_they_are_the_rows(tmp_path):
    ws = Workspace("demo", db=tmp_path / "demo.duckdb")
    newest = ws.newest()
    assert newest is not None
    early, later = vintage_workspace(ws, newest - pd.Timedelta(days=400)), vintage_workspace(
        ws, newest - pd.Timedelta(days=40))
    assert early.whole is ws and later.whole is ws and ws.whole is ws
    # a vintage made from a vintage reads the same whole store
    assert vintage_workspace(later, newest - pd.Timedelta(days=60)).whole is ws

    keys = ["ust10y", "btc", "trump", "custody"]
    got = early.stored_first(keys)
    # the first date of each asset's series in the store's own rows, published by then or not
    ids = resolve_sources(ws.store, keys, explicit=False)
    rows = ws.store.query("SELECT series_id, min(ts) AS first FROM observations "
                          "GROUP BY series_id")
    first = dict(zip(rows["series_id"], pd.to_datetime(rows["first"]), strict=True))
    want = {k: min(first[s] for s in sids).normalize() for k, sids in ids.items()}
    assert got == want and set(got) == set(ids)
    assert got["btc"] == pd.Timestamp(ws.raw().series["btc"].index[0]).normalize()

    # read once: the later evening and the whole store give the same objects, not a new read
    assert later.series_firsts() is early.series_firsts() is ws.series_firsts()
    assert stored_inputs(later) is stored_inputs(early) is stored_inputs(ws)
    assert later.stored_first(keys) == ws.stored_first(keys) == got


def test_a_workspace_of_its_own_reads_its_own_store(tmp_path):
    a = Workspace("demo", db=tmp_path / "a.duckdb")
    b = Workspace("demo", db=tmp_path / "b.duckdb")
    assert a.whole is a and b.whole is b
    assert a.series_firsts() is not b.series_firsts()
    assert a.series_firsts() == b.series_firsts()


def test_past_evenings_share_the_store_s_frames_and_read_what_a_fresh_one_reads(tmp_path):
    ws = Workspace("demo", db=tmp_path / "demo.duckdb")
    newest = ws.newest()
    days = [newest - pd.Timedelta(days=n) for n in (300, 90)]
    shared = [vintage_workspace(ws, d) for d in days]
    # one read of the store's frames for both evenings
    assert shared[0].source.cache is shared[1].source.cache
    assert "wide" in shared[0].source.cache or not shared[0].raw().series
    for d, v in zip(days, shared, strict=True):
        alone = vintage_workspace(Workspace("demo", db=tmp_path / "demo.duckdb"), d)
        assert alone.source.cache is not v.source.cache
        got, want = v.raw().series, alone.raw().series
        assert set(got) == set(want) and got
        for k in want:
            pd.testing.assert_series_equal(got[k], want[k])
        assert v.newest() == alone.newest() <= d


def test_the_shared_series_list_refuses_a_missing_asset_as_the_store_does(tmp_path):
    import pytest

    from spillwatch.exceptions import DataError

    ws = Workspace("demo", db=tmp_path / "demo.duckdb")
    night = vintage_workspace(ws, ws.newest() - pd.Timedelta(days=30))
    night.raw()
    every = night.source.cache["sources"]        # read once, for every evening of ``ws``
    assert every == resolve_sources(ws.store, sorted(every), explicit=False)
    assert vintage_workspace(ws, ws.newest()).source.cache["sources"] is every
    lacking = next(k for k in ("tic_uk", "wti", "anfci", "ecb_ciss") if k not in every)
    with pytest.raises(DataError) as want:
        resolve_sources(ws.store, [lacking], explicit=True)
    with pytest.raises(DataError) as got:
        night.source.read_series([lacking])
    assert str(got.value) == str(want.value) and lacking in str(got.value)
