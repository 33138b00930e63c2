"""The replay's alert lifecycle equals the engine's, evaluated twice a day on daily facts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest import firing_spans
from spillwatch.alerts.backtest.lifecycle import ABSENT, ACTIVE, INACTIVE, UNKNOWN
from spillwatch.alerts.engine import Engine
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.data.releases import days
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

RULES = parse_rules("""
[[rule]]
name = "now"
fact = "btc.chg_1d_pct"
op = "<="
value = -8

[[rule]]
name = "half_hour"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
for = "30m"

[[rule]]
name = "one_day"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
for = "1d"

[[rule]]
name = "three_days"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
for = "3d"

[[rule]]
name = "kept_ten_hours"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
keep_firing_for = "10h"

[[rule]]
name = "kept_two_days"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
keep_firing_for = "2d"

[[rule]]
name = "kept_a_week_after_a_day"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
for = "1d"
keep_firing_for = "7d"

[[rule]]
name = "stale"
fact = "*.stale_bdays"
op = ">="
value = 3
""")
CODE = {True: ACTIVE, False: INACTIVE, None: UNKNOWN}


def day_facts(state: str) -> FactSet:
    """``on``: the btc drop holds; ``off``: it does not; ``na``: the fact is unavailable;
    the wildcard series is present only when the day is not ``na``."""
    if state == "na":
        return FactSet([])
    v = -9.0 if state == "on" else 0.0
    return FactSet([Fact("btc.chg_1d_pct", v),
                    Fact("eth.stale_bdays", 4.0 if state == "on" else 1.0,
                         labels={"asset": "eth"})])


@pytest.mark.slow
def test_firing_days_match_the_engine(rng):
    dates = pd.bdate_range("2025-03-03", periods=34)
    states = rng.choice(["on", "on", "off", "na"], size=len(dates))
    states[4:10] = "on"             # a run long enough for the three-day rule to fire
    # dips of one to six days (a weekend inside some) and an unavailable day while held
    states[12:24] = ["on", "off", "on", "off", "off", "on", "off", "na", "on", "on", "off",
                     "off"]
    facts = [day_facts(s) for s in states]
    with Store() as store:
        engine = Engine(AlertTables(store), RULES)
        seen: dict[tuple[str, str], list[bool]] = {}
        for i, d in enumerate(dates):
            end = dates[i + 1] if i + 1 < len(dates) else d + pd.Timedelta(days=1)
            t = d.to_pydatetime()
            while t < end.to_pydatetime():
                engine.evaluate(facts[i], t)
                t += dt.timedelta(hours=12)
            st = AlertTables(store).frame("alert_state")
            for _, r in st.iterrows():
                key = (r["rule"], "eth" if "eth" in r["labels"] else "")
                seen.setdefault(key, [False] * len(dates))[i] = r["state"] == "firing"
    fired = set()
    runs: dict[str, np.ndarray] = {}
    for rule in RULES.rules:
        keys = {e.key for f in facts for e in rule.evaluate(f)}
        for key in keys:
            active = np.full(len(dates), ABSENT, dtype=np.int8)
            for i, f in enumerate(facts):
                for e in rule.evaluate(f):
                    if e.key == key:
                        active[i] = CODE[e.active]
            mine, spans = firing_spans(active, days(dates), rule.for_,
                                       rule.keep_firing_for)
            want = seen.get((rule.name, key), [False] * len(dates))
            assert mine.tolist() == want, rule.name
            starts = [b and not a for a, b in zip([False, *want], want, strict=False)]
            assert len(spans) == sum(starts)
            if any(want):
                fired.add(rule.name)
            runs[rule.name] = mine
    assert fired == {r.name for r in RULES.rules}
    # the holds held: the kept rules fired on days the plain rule did not (a hold shorter
    # than the evening-to-evening step resolves the day the conditions stop, as without one)
    for name in ("kept_two_days", "kept_a_week_after_a_day"):
        assert (runs[name] & ~runs["now"]).any(), name
    assert (runs["kept_ten_hours"] == runs["now"]).all()
