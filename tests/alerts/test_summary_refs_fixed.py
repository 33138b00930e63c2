"""A rule's own summary that prints both facts it compares keeps them in their order.

The packaged ``spillover_rates_dollar_to_crypto_high`` (net > its one-year 95th percentile)
read on the store of ../shared/data as of 2025-09-22 (`alerts test --as-of 2025-09-22`):
"Net spillover rates+dollar → crypto 9.7 on 2025-09-18 vs its one-year 95th percentile 9.7"
for 9.7082 over 9.6895.
"""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.rules import load_rules, parse_rules

DAY = dt.date(2025, 9, 18)
NET, P95 = "spillover.net_rates_dollar_to_crypto", "spillover.net_rates_dollar_to_crypto_p95_252d"


def _one(rule, net: float, p95: float):
    (e,) = rule.evaluate(FactSet([Fact(NET, net, DAY), Fact(P95, p95, DAY)]))
    return e


def test_the_packaged_spillover_rule_prints_its_net_above_its_95th_percentile():
    rule = next(r for r in load_rules(None).rules
                if r.name == "spillover_rates_dollar_to_crypto_high")
    e = _one(rule, 9.708189644331828, 9.689511320657079)
    assert e.active
    assert e.summary == ("Net spillover rates+dollar → crypto 9.71 on 2025-09-18 vs its "
                         "one-year 95th percentile 9.69")
    # apart at the summary's one decimal: as written
    e = _one(rule, 9.84, 9.61)
    assert e.summary.endswith("crypto 9.8 on 2025-09-18 vs its one-year 95th percentile 9.6")


def test_a_fixed_point_spec_keeps_its_sign_and_grouping():
    (rule,) = parse_rules(f"""
[[rule]]
name = "x"
summary = "{{{NET}:+,.0f}} vs {{{P95}:+,.0f}}"
fact = "{NET}"
op = "<"
ref = "{P95}"
""").rules
    assert _one(rule, 1234.4, 1234.6).summary == "+1,234 vs +1,235"     # apart: as written
    e = _one(rule, 1234.2, 1234.4)
    assert e.active and e.summary == "+1,234.2 vs +1,234.4"
