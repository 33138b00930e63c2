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
