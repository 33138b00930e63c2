"""A ``match`` list on a label the replay holds per day (``series`` of ``*.stale_bdays``) (h_mut9).

The leading source of a held series changes over the replay (``stale_bdays``'s ``series``
label is an array, one value a day); a rule matching it on a list of values keeps the days
whose label is any of them, as the monitor does evening by evening.
"""

from __future__ import annotations

import numpy as np

from spillwatch.alerts.backtest._facts import FactColumns
from spillwatch.alerts.backtest._rules import evaluate_rule
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules

RULE = parse_rules("""
[[rule]]
name = "stale_feed"
fact = "*.stale_bdays"
op = ">="
value = 3
match = { series = ["DGS10", "H15_10Y"] }
""").rules[0]

SERIES = ["DGS10", "DGS10", "H15_10Y", "OTHER", "H15_10Y"]
STALE = [5.0, 1.0, 4.0, 6.0, 7.0]


def test_a_list_match_on_a_per_day_label_keeps_each_listed_value():
    n = len(SERIES)
    cols = FactColumns(n)
    cols.put("ust10y.stale_bdays", np.array(STALE), np.ones(n, dtype=bool),
             {"asset": "ust10y", "series": np.array(SERIES, dtype=object)})
    inst = evaluate_rule(RULE, cols)
    assert [i.key for i in inst] == ["ust10y"]
    replay = np.flatnonzero(inst[0].active == 1).tolist()
    engine = [d for d in range(n)
              if any(e.active for e in RULE.evaluate(FactSet([Fact(
                  "ust10y.stale_bdays", STALE[d],
                  labels={"asset": "ust10y", "series": SERIES[d]})])))]
    assert engine == [0, 2, 4]
    assert replay == engine
