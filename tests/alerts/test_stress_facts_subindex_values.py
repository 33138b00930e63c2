"""``stress.<sub-index>`` facts read the sub-index's value, not its own percentile.

The stress reading gives ``subindices`` and ``subindex_percentiles``, two dicts keyed by the
same names; the facts flattened both, and the percentile overwrote the value: the monitor's
``stress.rates`` read 11.18 on 1992-06-04 where the backtest's replay read 0.30.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.facts import compute_facts
from spillwatch.analytics.stress import SUBINDEX_COLUMNS
from spillwatch.data.source import open_source
from spillwatch.service.stress import stress
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.slow     # the demo's stress index, twice


def test_sub_index_facts_are_the_values():
    with open_source("demo") as src:
        fs = compute_facts(src.store, today=dt.date(2030, 1, 1), spillover=False)
        latest = stress(Workspace(src)).latest()
    subs, pct = latest["subindices"], latest["subindex_percentiles"]
    read = [k for k in SUBINDEX_COLUMNS if subs[k] is not None and pct[k] is not None]
    assert "rates" in read and "dollar" in read
    for k in read:
        assert 0.0 <= subs[k] <= 1.0 and subs[k] != pct[k]
        assert fs.get(f"stress.{k}").value == subs[k], k
