"""The note on presets sized on TIC holdings past TIC's staleness limit (83 days from the month)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from spillwatch import universe
from spillwatch.data.source import open_source
from spillwatch.scenarios.selloff import preset
from spillwatch.service.scenarios import holdings_note
from spillwatch.service.workspace import Workspace
from spillwatch.store import Store


def test_holdings_are_stale_only_past_the_limit(tmp_path):
    """February 2025's figure (2025-02-28) is within the limit on day 83 and past it on day 84;
    a seller given in dollars is never said to be sized on holdings."""
    store = Store(tmp_path / "s.duckdb")
    store.upsert(pd.DataFrame({"series_id": ["tic:japan_usd_bn"] * 2,
                               "ts": pd.to_datetime(["2025-01-31", "2025-02-28"]),
                               "value": [1079.3, 1125.9]}))
    limit = universe.ASSETS["tic_japan"].timing.stale_after_days
    assert limit == 83
    ws = Workspace(open_source(store))
    sc = preset("japan-10pct", {"japan": 1125.9e9}, "TIC, month of 2025-02")
    month = dt.date(2025, 2, 28)
    assert holdings_note(ws, sc, today=month + dt.timedelta(days=limit)) is None
    note = holdings_note(ws, sc, today=month + dt.timedelta(days=limit + 1))
    assert note is not None and "Japan's of 2025-02 (84 days before, limit 83)" in note
    dollars = preset("japan-intervention", {"japan": 1125.9e9}, "TIC, month of 2025-02")
    assert holdings_note(ws, dollars, today=month + dt.timedelta(days=400)) is None
