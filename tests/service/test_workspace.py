"""The workspace reads the store once and builds each panel once per request or cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.monitor import CachedFacts, run_cycle
from spillwatch.alerts.rules import load_rules
from spillwatch.data.source import open_source
from spillwatch.exceptions import DataError
from spillwatch.service.workspace import Workspace


def test_one_monitor_cycle_builds_each_panel_once(tmp_path):
    from alerts._clock import FakeClock

    db = tmp_path / "demo.duckdb"
    with open_source("demo", db=db) as src:
        facts = CachedFacts()
        rep = run_cycle(src.store, FakeClock(dt.datetime(2026, 11, 2, 12)), rules=load_rules(),
                        notifiers={}, facts_fn=facts)
        ws = facts.workspace
        assert rep.facts > 50 and rep.evaluation is not None
        assert ws is not None and ws.reads == 1
        assert set(ws.builds.values()) == {1}, ws.builds
        # a second cycle on unchanged data recomputes nothing
        run_cycle(src.store, FakeClock(dt.datetime(2026, 11, 2, 12, 15)), rules=load_rules(),
                  notifiers={}, facts_fn=facts)
        assert facts.workspace is ws and ws.reads == 1 and set(ws.builds.values()) == {1}


def test_panels_are_memoised_and_cut_without_rebuilding():
    ws = Workspace("demo")
    try:
        a = ws.panel(["ust10y", "btc"])
        b = ws.panel(["ust10y", "btc"], start="2025-01-01", end="2025-06-30")
        assert b.index[0] >= a.index[0] and b.index[-1] <= a.index[-1]
        assert ws.builds[(("ust10y", "btc"), "changes", "business")] == 1
        assert ws.have(["btc", "gold", "usdcny"]) == ["btc", "gold"]
        with pytest.raises(DataError, match="no data for asset"):
            ws.panel(["btc", "usdcny"], explicit=True)  # the demo simulates no yuan
    finally:
        ws.close()


def test_a_long_lived_workspace_keeps_the_analyses_and_panels_last_asked_for():
    """A server's workspace lives as long as its data version and kept every analysis and
    panel a client had asked for: each asset list of /api/spillover (1.4 MB) and each book of
    /api/risk/portfolio (0.75 MB), the server from 3.7 to 5.0 GB over 1,000 requests. The
    least recently asked for are dropped past a bound; what is asked for again stays."""
    import itertools

    from spillwatch.service import workspace as workspace_mod

    ws = Workspace("demo")
    calls: list[int] = []

    def analysis(i: int):
        calls.append(i)
        return i

    assert ws.memo("catalog", lambda: analysis(-1)) == -1
    for i in range(3 * workspace_mod.MEMO_KEPT):
        assert ws.memo(("spillover", i), lambda i=i: analysis(i)) == i
        ws.memo("catalog", lambda: analysis(-1))          # asked for all along: kept
    assert calls.count(-1) == 1
    last = 3 * workspace_mod.MEMO_KEPT - 1
    ws.memo(("spillover", last), lambda: analysis(last))   # among the last: not recomputed
    assert calls.count(last) == 1
    ws.memo(("spillover", 0), lambda: analysis(0))         # long dropped: computed again
    assert calls.count(0) == 2

    assets = ["ust2y", "ust10y", "ust30y", "usd_broad", "usdjpy", "btc", "eth", "gold"]
    lists = list(itertools.combinations(assets, 3))[:workspace_mod.PANELS_KEPT + 10]
    for keys in lists:
        ws.panel(list(keys))
    first, recent = lists[0], lists[-1]
    ws.panel(list(recent))
    ws.panel(list(first))
    built = {k[0]: n for k, n in ws.builds.items() if k[1] == "changes"}
    assert built[recent] == 1
    assert built[first] == 2
