"""A wildcard rule's ``match`` on ``asset``, or with a list of values, in the replay.

The monitor gives every fact of an asset its ``asset`` label and reads a match value as one
value or a list (:meth:`spillwatch.alerts.rules.Rule.evaluate`); the replay compared the
fact's labels with ``==`` and its ``*.chg_1d_pct`` columns carry no labels, so a user's
``coin_drop`` on ``*.chg_1d_pct`` with ``match = { asset = ... }`` had no instance at all (no
firing, no note), and crypto_shock with the rule file's own ``match = { asset = ["btc",
"trump"] }`` fired nothing over 2018-2025 on ../shared/data (the monitor fired it).
"""

from __future__ import annotations

import numpy as np

from spillwatch.alerts.backtest._facts import FactColumns
from spillwatch.alerts.backtest._rules import evaluate_rule
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules

RULES = """
[[rule]]
name = "coin_drop"
fact = "*.chg_1d_pct"
op = "<="
value = -8
match = { asset = ["btc", "eth"] }

[[rule]]
name = "one_coin"
fact = "*.chg_1d_pct"
op = "<="
value = -8
match = { asset = "eth" }

[[rule]]
name = "shock"
fact = "*.z_1d"
op = "<="
value = -4
match = { asset = ["btc", "trump"] }
"""

CHG = {"btc": [-9.0, -1.0, -12.0], "eth": [-2.0, -15.0, -1.0], "spx": [-9.5, 0.5, -8.5]}
Z = {"btc": [-5.0, -1.0, -6.0], "eth": [-1.0, -9.0, -1.0], "trump": [-1.0, -1.0, -7.0]}


def columns() -> FactColumns:
    """Three replay days: the changes without labels (as the replay stores them), z with."""
    cols = FactColumns(3)
    on = np.ones(3, dtype=bool)
    for k, v in CHG.items():
        cols.put(f"{k}.chg_1d_pct", np.array(v), on)
    for k, v in Z.items():
        cols.put(f"{k}.z_1d", np.array(v), on, {"asset": k, "block": "crypto"})
    return cols


def firing_days(rule, cols):
    return {i.key: np.flatnonzero(i.active == 1).tolist() for i in evaluate_rule(rule, cols)}


def test_the_replay_keeps_the_instances_the_monitor_evaluates():
    rules = {r.name: r for r in parse_rules(RULES).rules}
    cols = columns()
    # the monitor's instances, evening by evening, on the same values
    for d in range(3):
        fs = FactSet([*(Fact(f"{k}.chg_1d_pct", v[d], labels={"asset": k})
                        for k, v in CHG.items()),
                      *(Fact(f"{k}.z_1d", v[d], labels={"asset": k, "block": "crypto"})
                        for k, v in Z.items())])
        for name, rule in rules.items():
            engine = sorted(e.key for e in rule.evaluate(fs))
            assert sorted(firing_days(rule, cols)) == engine, (name, d)
    assert firing_days(rules["coin_drop"], cols) == {"btc": [0, 2], "eth": [1]}
    assert firing_days(rules["one_coin"], cols) == {"eth": [1]}
    assert firing_days(rules["shock"], cols) == {"btc": [0, 2], "trump": [2]}
