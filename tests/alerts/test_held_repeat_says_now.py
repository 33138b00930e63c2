"""A repeat of an alert held by ``keep_firing_for`` says it is held and gives the evening's reading.

The live loop on the real data of April 2025 (h_live1): ``treasury_spike`` fired on 2025-04-10,
its conditions stopped on 04-14, and the daily repeat of 04-15 (the week's hold) re-told
"10-year yield +57 bp over 5 business days to 4.48%" as that evening's data, the facts then
reading +9 bp with the 10-year at 4.35%; only ``alerts list`` said the alert was held.
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
keep_firing_for = "{hold}"
repeat_interval = "1d"
summary = "10-year yield {{ust10y.chg_5d_bp:+.0f}} bp over 5 business days"
"""


def _notices(receiver, hold: str, readings: tuple[float, ...]) -> list[dict]:
    """The webhook bodies of one cycle a day, the 5-day change reading each of ``readings``."""
    rules = parse_rules(webhook_rules(receiver.url, SPIKE.format(hold=hold)))
    notifiers = build_notifiers(rules.receivers)
    clock = FakeClock(T0)
    facts = Facts(**{"ust10y.chg_5d_bp": readings[0]})
    with Store() as store:
        for value in readings:
            facts.values["ust10y.chg_5d_bp"] = value
            run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts)
            clock.advance(dt.timedelta(days=1))
        return [r["body"] for r in receiver.accepted()]


def test_a_repeat_during_the_hold_says_held_and_gives_the_reading_of_its_evening(receiver):
    bodies = _notices(receiver, "7d", (57.0, 9.0, 48.0))  # fires; held at +9; holds again
    assert [b["generated_at"] for b in bodies] == [
        "2025-04-09T14:00:00Z", "2025-04-10T14:00:00Z", "2025-04-11T14:00:00Z"]
    first, held, again = (b["alerts"][0] for b in bodies)
    assert first["annotations"] == {
        "summary": "10-year yield +57 bp over 5 business days"}
    # what made it fire stays (summary, values), and the hold and the evening's reading are said
    assert held["status"] == "firing"
    assert held["values"] == {"ust10y.chg_5d_bp": 57.0}
    assert held["annotations"] == {
        "summary": "10-year yield +57 bp over 5 business days",
        "held": ("conditions not met since 2025-04-10T14:00:00Z; kept firing for 7d "
                 "(keep_firing_for)"),
        "now": "10-year yield +9 bp over 5 business days"}
    line = render_text(bodies[1]).splitlines()[1]
    assert line == ("- [firing/warning] treasury_spike: 10-year yield +57 bp over 5 business "
                    "days (since 2025-04-09T14:00:00Z); held: conditions not met since "
                    "2025-04-10T14:00:00Z; kept firing for 7d (keep_firing_for); now 10-year "
                    "yield +9 bp over 5 business days")
    # holding again: its own reading, no hold
    assert again["annotations"] == {"summary": "10-year yield +48 bp over 5 business days"}


def test_the_notice_when_the_hold_runs_out_is_resolved_with_no_hold(receiver):
    # h_mut25: a mutant giving "held" to every notice with an evening's reading (the resolved
    # one too) survived the keys read one at a time
    bodies = _notices(receiver, "2d", (57.0, 9.0, 9.0, 9.0, 9.0))  # fires; held two days
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
