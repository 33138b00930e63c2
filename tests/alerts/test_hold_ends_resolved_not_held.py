"""The notice of an alert whose ``keep_firing_for`` hold ran out says resolved, not held
(h_mut25).

e07213c added ``annotations.held`` to a repeat sent during the hold; a mutant giving it to every
notice with an evening's reading (the resolved one too) survived the tests, which read the
resolved notice's keys one at a time.
"""

from __future__ import annotations

import datetime as dt

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import run_cycle
from spillwatch.alerts.notify import build_notifiers, render_text
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store

from .conftest import T0, Facts, webhook_rules

SPIKE = """
[[rule]]
name = "treasury_spike"
fact = "ust10y.chg_5d_bp"
op = ">="
value = 33
keep_firing_for = "2d"
repeat_interval = "1d"
summary = "10-year yield {ust10y.chg_5d_bp:+.0f} bp over 5 business days"
"""


def test_the_notice_when_the_hold_runs_out_is_resolved_with_no_hold(receiver):
    rules = parse_rules(webhook_rules(receiver.url, SPIKE))
    notifiers = build_notifiers(rules.receivers)
    clock = FakeClock(T0)
    facts = Facts(**{"ust10y.chg_5d_bp": 57.0})
    with Store() as store:
        for value in (57.0, 9.0, 9.0, 9.0, 9.0):   # fires; held two days; resolved
            facts.values["ust10y.chg_5d_bp"] = value
            run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts)
            clock.advance(dt.timedelta(days=1))
        bodies = [r["body"] for r in receiver.accepted()]
    alerts = [b["alerts"][0] for b in bodies]
    assert alerts[0]["status"] == "firing"
    assert "held" in alerts[1]["annotations"]          # the repeat during the hold
    done = alerts[-1]
    assert done["status"] == "resolved"
    assert done["annotations"] == {"summary": "10-year yield +57 bp over 5 business days",
                                   "now": "10-year yield +9 bp over 5 business days"}
    line = render_text(bodies[-1]).splitlines()[1]
    assert "held" not in line
    assert line.endswith(": was 10-year yield +57 bp over 5 business days; now 10-year yield "
                         "+9 bp over 5 business days")
