"""The replay's inhibition equals the engine's over random days: held back, and when told.

The engine is evaluated every evening (weekends included) on each business day's facts, as
in :mod:`.test_lifecycle`; every firing of the replay's lifecycle must name the inhibitor the
engine recorded on its first evening, and be told on the first evening the engine holds it
firing with no inhibitor (never, when none comes before it resolves).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from spillwatch.alerts.backtest._facts import FactColumns
from spillwatch.alerts.backtest._rules import evaluate_rule
from spillwatch.alerts.backtest.replay import _lifecycle
from spillwatch.alerts.engine import Engine
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.data.releases import days
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .._inhibition import RULES as PAIR

#: The shared pair, the shock kept firing two days: a shock outlasting the -8% day is held
#: back on that day and told the next evening.
RULES = parse_rules(PAIR.replace('match = { block = "crypto" }',
                                 'match = { block = "crypto" }\nkeep_firing_for = "2d"'))


def test_the_replay_holds_back_and_tells_on_the_evenings_the_engine_does(rng):
    dates = pd.bdate_range("2025-03-03", periods=24)
    n = len(dates)
    btc = np.where(rng.random(n) < 0.3, -9.0, -1.0)
    zb = np.where(rng.random(n) < 0.5, -5.0, -1.0)
    ze = np.where(rng.random(n) < 0.3, -5.0, -1.0)
    # a shock with its -8% day, then the shock alone (held, then told), then a -8% day alone
    btc[5:9], zb[5:9] = [-9.0, -1.0, -1.0, -1.0], [-5.0, -5.0, -1.0, -1.0]
    labels = {"block": "crypto"}
    # the engine, every evening on the last business day's facts
    seen: dict[tuple[str, str], dict[pd.Timestamp, tuple[bool, str | None]]] = {}
    with Store() as store:
        engine = Engine(AlertTables(store), RULES)
        t = dates[0]
        while t <= dates[-1]:
            i = int(np.searchsorted(dates, t, side="right")) - 1
            engine.evaluate(FactSet([Fact("btc.chg_1d_pct", btc[i]),
                                     Fact("btc.z_1d", zb[i], labels=labels),
                                     Fact("eth.z_1d", ze[i], labels=labels)]),
                            t.to_pydatetime() + dt.timedelta(hours=20))
            for _, r in AlertTables(store).frame("alert_state").iterrows():
                key = (r["rule"], "eth" if '"eth"' in r["labels"] else "btc")
                by = r["inhibited_by"] if isinstance(r["inhibited_by"], str) else None
                seen.setdefault(key, {})[t] = (r["state"] == "firing", by)
            t += pd.Timedelta(days=1)
    # the replay's lifecycle on the same facts
    cols = FactColumns(n)
    on = np.ones(n, dtype=bool)
    cols.put("btc.chg_1d_pct", btc, on)
    cols.put("btc.z_1d", zb, on, labels)
    cols.put("eth.z_1d", ze, on, labels)
    inst = [x for r in RULES.rules for x in evaluate_rule(r, cols)]
    _, frame = _lifecycle(inst, cols, dates, days(dates))
    held = late = 0
    for row in frame.itertuples(index=False):
        key = (row.rule, row.key or "btc")
        evenings = seen[key]
        fired = pd.Timestamp(row.fired)
        assert evenings[fired][0], row
        by = row.inhibited_by if isinstance(row.inhibited_by, str) else None
        assert by == evenings[fired][1], row
        end = pd.Timestamp(row.resolved) if pd.notna(row.resolved) else dates[-1] + pd.Timedelta(
            days=1)
        free = [d for d, (f, b) in sorted(evenings.items()) if fired <= d < end and f and b is None]
        want = free[0] if free else None
        assert (None if pd.isna(row.told) else pd.Timestamp(row.told)) == want, row
        held += by is not None
        late += by is not None and want is not None
    # not vacuous: bitcoin's shock was held back and, once, told after its -8% day
    assert held >= 2 and late >= 1
    shock = frame[(frame["rule"] == "shock") & (frame["key"] == "btc")
                  & (frame["fired"] == dates[5])].iloc[0]
    assert shock["inhibited_by"] == "drop for asset=btc" and shock["told"] == dates[6]
