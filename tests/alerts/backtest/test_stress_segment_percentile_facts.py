"""``stress.<sub-index>_percentile``: each sub-index's own percentile as an alert fact.

The stress reading ranks each sub-index within its own history (``subindex_percentiles``), which
``stress``, its JSON, the API, the report and the dashboard show; a rule could not name it
(the facts skipped it: flattened with the sub-indices, keyed by the same names, it overwrote
them). The facts are named apart (``stress.rates_percentile``), read as the reading reads them,
go without a value (with the same reason) where the sub-index fact does, and the backtest's
replay gives what the monitor gave on each evening.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from spillwatch.alerts.backtest import replay
from spillwatch.alerts.backtest.lifecycle import ACTIVE
from spillwatch.alerts.facts import compute_facts, fact_groups, fact_kind
from spillwatch.alerts.rules import parse_rules
from spillwatch.analytics.stress import SUBINDEX_COLUMNS
from spillwatch.exceptions import ConfigError
from spillwatch.service.stress import stress
from spillwatch.service.workspace import Workspace

from ._compare import differences

pytestmark = pytest.mark.slow     # the stress index of the lagged market, a few times

RULE = """
[[rule]]
name = "rates_own_top_decile"
summary = "rates {stress.rates:.2f}, percentile {stress.rates_percentile:.0f} of its own history"
fact = "stress.rates_percentile"
op = ">="
value = {value}
keep_firing_for = "7d"
"""


def test_a_rule_can_name_them_on_the_percentile_scale():
    names = fact_groups()["stress"]
    # no two stress facts share a name (a nested reading flattened into another's overwrote it)
    assert len(set(names)) == len(names)
    for g in SUBINDEX_COLUMNS:
        assert f"stress.{g}_percentile" in names
        assert fact_kind(f"stress.{g}_percentile").unit == "pct"
    assert len(parse_rules(RULE.replace("{value}", "90"), path="<r>").rules) == 1
    with pytest.raises(ConfigError, match=r"a percentile lies in \[0, 100\]"):
        parse_rules(RULE.replace("{value}", "120"), path="<r>")


def test_the_facts_are_the_reading_s_own_percentiles_beside_the_values(lagged_db):
    ws = Workspace(str(lagged_db))
    try:
        latest = stress(ws).latest()
        day = dt.date.fromisoformat(latest["date"])
        fs = compute_facts(ws, today=day, spillover=False, demand=False)
        pct, subs = latest["subindex_percentiles"], latest["subindices"]
        read = [g for g in SUBINDEX_COLUMNS if pct[g] is not None]
        assert {"rates", "dollar", "equity_vol"} <= set(read)
        for g in read:
            f = fs.get(f"stress.{g}_percentile")
            assert f.value == pct[g] and 0.0 <= f.value <= 100.0 and f.as_of == day, g
            # the sub-index's own fact keeps its value (0-1), not the percentile
            assert fs.get(f"stress.{g}").value == subs[g] != pct[g], g
        # a month on, the reading is stale: no value, and the sub-index fact's own reason
        later = compute_facts(ws, today=day + dt.timedelta(days=30), spillover=False,
                              demand=False)
        for g in SUBINDEX_COLUMNS:
            f, sub = later.get(f"stress.{g}_percentile"), later.get(f"stress.{g}")
            assert f.value is None and f.stale and sub.stale
            assert f.reason == sub.reason and f.reason.startswith("stale input: the stress "
                                                                   f"index was last published "
                                                                   f"for {day}")
    finally:
        ws.close()


def test_the_replay_reads_them_as_the_monitor_did_each_evening(lagged_db):
    ws = Workspace(str(lagged_db))
    try:
        rules = parse_rules(RULE.replace("{value}", "90"), path="<r>")
        rp = replay(ws, rules)
        v = rp.facts.value("stress.rates_percentile").astype(float)
        got = ~np.isnan(v)
        assert got.sum() > 0.8 * len(v[300:])        # burn-in aside, every evening
        # evenings across the history, the rule on and off among them
        hi = np.flatnonzero(got & (v >= 90))
        lo = np.flatnonzero(got & (v < 50))
        assert len(hi) and len(lo)
        # the first evening with a value, and the one before it (the burn-in's last: no value)
        first = int(np.flatnonzero(got)[0])
        picks = {int(hi[0]), int(hi[-1]), int(lo[len(lo) // 2]), int(lo[-1]), first, first - 1}
        # each sub-index's last evening at the top of its history (100: at or above every
        # earlier reading, the ragged edge's included)
        for g in SUBINDEX_COLUMNS:
            top = np.flatnonzero(rp.facts.value(f"stress.{g}_percentile").astype(float) == 100.0)
            picks |= {int(top[-1])} if len(top) else set()
        picks = sorted(picks)
        cache: dict = {}
        bad = []
        for i in picks:
            bad += differences(rp, rules, ws, rp.dates[i], cache)[0]
        assert bad == []
        # the rule reads it: on where the fact is 90 or more
        assert rp.instances[0].active[hi[0]] == ACTIVE
    finally:
        ws.close()
