"""The empty health table (an evening before any point was out) has the columns and dtypes of
a full one: a caller that sums ``points`` or compares ``revisions`` reads the same types."""

from __future__ import annotations

import pandas as pd

from spillwatch.alerts.backtest import VintageSource
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.source import MarketSource


def test_the_empty_health_has_the_full_one_s_columns_and_dtypes(store):
    store.register_series([SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred",
                                      "DGS10", False)])
    days = pd.bdate_range("2025-03-03", "2025-03-14")
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10", "ts": days, "value": 4.2}))
    src = MarketSource(store, "t", owned=False)
    empty = VintageSource.of(src, "2025-03-01").health()
    full = VintageSource.of(src, "2025-03-13").health()
    assert empty.empty and not full.empty
    assert list(empty.columns) == list(full.columns)
    for c in ("points", "quarantined", "revisions"):
        assert str(empty[c].dtype) == str(full[c].dtype) == "int64", c
