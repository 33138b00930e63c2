"""A group of alerts of rules with different repeat intervals repeats at the shortest one.

A surviving mutant (h_mut2, EN04: ``min`` -> ``max`` of the members' ``repeat_interval``) made
a group holding a 4-hour rule and a 12-hour rule repeat every 12 hours: the 4-hour rule's
reminder was silently stretched threefold. Every grouped test used one interval.
"""

from __future__ import annotations

import datetime as dt

import pytest

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import run_cycle
from spillwatch.alerts.notify import build_notifiers
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store

from .conftest import T0, Facts, webhook_rules

RULES = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "4h"
group_by = ["severity"]

[[rule]]
name = "eth_drop"
fact = "eth.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "12h"
group_by = ["severity"]
"""


@pytest.mark.slow
def test_a_group_repeats_at_its_members_shortest_interval(receiver):
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    notifiers = build_notifiers(rules.receivers)
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": -9.0})
    with Store() as store:
        for _ in range(48):                                   # 12 hours of 15-minute cycles
            run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts)
            clock.advance(dt.timedelta(minutes=15))
    got = receiver.accepted()
    assert {r["body"]["group_key"] for r in got} == {"severity=warning"}
    assert [r["body"]["generated_at"] for r in got] == [
        "2025-04-09T14:00:00Z", "2025-04-09T18:00:00Z", "2025-04-09T22:00:00Z"]
    assert all(len(r["body"]["alerts"]) == 2 for r in got)
