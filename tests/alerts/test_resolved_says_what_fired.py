"""A resolved notice says what fired, then the reading that ended it."""

from __future__ import annotations

import datetime as dt

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import run_cycle
from spillwatch.alerts.notify import build_notifiers, render_text
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store

from .conftest import T0, Facts, webhook_rules

TRUMP = """
[[rule]]
name = "trump_daily_crash"
severity = "critical"
fact = "trump.chg_1d_pct"
op = "<="
value = -20
summary = "TRUMP {trump.chg_1d_pct:+.1f}% to {trump.level:.3f}"
"""


def test_the_resolved_notice_keeps_the_firing_reading(receiver):
    """The monitor fired "TRUMP -25.0% to 3.788"; the next day's +5% resolved it, and the
    notice read "[resolved/critical] trump_daily_crash …: was TRUMP +5.0% to 3.977" (its
    annotations.summary too): the crash it was about was gone from the only message saying
    it ended, and "was +5.0%" read as if the alert had been about a rise."""
    rules = parse_rules(webhook_rules(receiver.url, TRUMP))
    notifiers = build_notifiers(rules.receivers)
    clock = FakeClock(T0)
    facts = Facts(**{"trump.chg_1d_pct": -25.0, "trump.level": 3.788})
    with Store() as store:
        run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts)
        clock.advance(dt.timedelta(minutes=15))
        facts.values.update({"trump.chg_1d_pct": 5.0, "trump.level": 3.977})
        run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts)
        got = [r["body"] for r in receiver.accepted()]
    assert [b["status"] for b in got] == ["firing", "resolved"]
    assert got[0]["alerts"][0]["annotations"]["summary"] == "TRUMP -25.0% to 3.788"
    done = got[1]["alerts"][0]
    assert done["annotations"]["summary"] == "TRUMP -25.0% to 3.788"
    assert done["annotations"]["now"] == "TRUMP +5.0% to 3.977"
    assert done["value"] == 5.0          # the values are the reading that resolved it
    text = render_text(got[1])
    assert "trump_daily_crash at " in text
    assert text.splitlines()[1].endswith(": was TRUMP -25.0% to 3.788; now TRUMP +5.0% to 3.977")
