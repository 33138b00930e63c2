"""A default summary prints the rule's threshold as written, not cut to six figures.

``{:g}`` printed ``stress.index > 0.1521197`` as "> 0.15212", and the value's digits were
chosen against that cut number: the alert that fired on 0.15211998 read "stress.index = 0.1521
(rule: > 0.15212)", ``custody.chg_1w_usd_bn < 9.633904`` on 9.6339025 "9.634 (rule: <
9.6339)", each a comparison that does not hold as printed.
"""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import parse_rules
from spillwatch.cli.alerts import _not_met

DAY = dt.date(2026, 10, 30)
FACTS = [Fact("stress.index", 0.15211997516775394, DAY),
         Fact("custody.chg_1w_usd_bn", 9.633902465987376, DAY),
         Fact("btc.level", 145636.8964596283, DAY)]
RULES = """
[[rule]]
name = "idx"
fact = "stress.index"
op = ">"
value = 0.1521197

[[rule]]
name = "flow"
fact = "custody.chg_1w_usd_bn"
op = "<"
value = 9.633904

[[rule]]
name = "btc"
fact = "btc.level"
op = "<"
value = 145636.9

[[rule]]
name = "btc_not"
fact = "btc.level"
op = ">"
value = 145636.9

[[rule]]
name = "million"
fact = "btc.level"
op = "<"
value = 1234567
"""


def _evaluations() -> dict[str, tuple[object, object]]:
    return {e.rule: (r, e) for r in parse_rules(RULES).rules for e in r.evaluate(FactSet(FACTS))}


def test_a_fired_alert_prints_its_threshold_as_written_and_the_value_on_its_side():
    ev = _evaluations()
    assert ev["idx"][1].active and ev["flow"][1].active and ev["btc"][1].active
    assert ev["idx"][1].summary == "stress.index = 0.15212 (rule: > 0.1521197) on 2026-10-30"
    assert ev["flow"][1].summary == (
        "custody.chg_1w_usd_bn = 9.6339 (rule: < 9.633904) on 2026-10-30")
    assert ev["btc"][1].summary == "btc.level = 145636.896 (rule: < 145636.9) on 2026-10-30"
    # a whole threshold of a million or more is written whole, not 1.23457e+06
    assert ev["million"][1].summary == "btc.level = 145637 (rule: < 1234567) on 2026-10-30"


def test_not_met_prints_the_threshold_as_written():
    rule, e = _evaluations()["btc_not"]
    assert e.active is False
    assert _not_met(rule, e) == "not met: btc.level = 145636.896 (rule: > 145636.9)"
