"""The monitor's cycle record: cycles start every ``every`` from the last start, and a cycle's
``sent`` counts the retried deliveries it made as well as its own."""

from __future__ import annotations

import datetime as dt

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import Stopper, run_cycle, run_monitor
from spillwatch.alerts.outbox import DeliveryError
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .conftest import T0, Facts, webhook_rules

RULE = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "1d"
"""


class Hook:
    """A receiver down for its first ``down`` sends, then up."""

    def __init__(self, down: int) -> None:
        self.down, self.sends = down, 0

    def send(self, payload: dict) -> int:
        self.sends += 1
        if self.sends <= self.down:
            raise DeliveryError("503 Service Unavailable", status=503)
        return 200


def test_cycles_start_every_period_from_the_last_start():
    """``every`` is start to start: with cycles that take 10 minutes and ``every`` 15 minutes
    they start at 14:00, 14:15 and 14:30 (from the end of the last cycle they drifted to
    14:25 and 14:50)."""
    rules = parse_rules(webhook_rules("http://127.0.0.1:9/hook", RULE))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": 1.0})

    def slow_facts(store, today):
        clock.advance(dt.timedelta(minutes=10))
        return facts(store, today)

    with Store() as store:
        n = run_monitor(store, rules=rules, notifiers={"hook": Hook(0)},
                        every=dt.timedelta(minutes=15), clock=clock, sleep=clock.sleep,
                        stopper=Stopper(), max_cycles=3, facts_fn=slow_facts)
        cycles = AlertTables(store).frame("alert_cycles", order="cycle_id")
    assert n == 3
    assert [str(t.time()) for t in cycles["started_at"]] == ["14:00:00", "14:15:00", "14:30:00"]


def test_a_cycle_counts_the_retries_it_delivered():
    """Cycle 1's notification fails (receiver down) and is retried at the start of cycle 2,
    which delivers it: cycle 2's record says 1 sent, not 0 (it counted only the notifications
    the cycle itself decided)."""
    rules = parse_rules(webhook_rules("http://127.0.0.1:9/hook", RULE))
    clock = FakeClock(T0)
    hook = Hook(1)
    facts = Facts(**{"btc.chg_1d_pct": -9.0})
    with Store() as store:
        first = run_cycle(store, clock, rules=rules, notifiers={"hook": hook}, facts_fn=facts)
        clock.advance(dt.timedelta(minutes=15))
        second = run_cycle(store, clock, rules=rules, notifiers={"hook": hook}, facts_fn=facts)
        cycles = AlertTables(store).frame("alert_cycles", order="cycle_id")
    assert len(first.delivered.failed) == 1 and not first.delivered.sent
    assert len(second.retried.sent) == 1 and not second.delivered.sent
    assert cycles["sent"].tolist() == [0, 1]


def test_a_cycle_a_crash_cut_short_is_marked_interrupted():
    """A cycle left 'running' by a monitor that died is marked 'interrupted' when the monitor
    starts again (it read 'running' for ever, as if a cycle were still going)."""
    rules = parse_rules(webhook_rules("http://127.0.0.1:9/hook", RULE))
    clock = FakeClock(T0)
    with Store() as store:
        tables = AlertTables(store)
        with tables.transaction() as con:
            con.execute("INSERT INTO alert_cycles (cycle_id, started_at, status) VALUES "
                        "(1, ?, 'running')", [T0 - dt.timedelta(hours=1)])
        run_monitor(store, rules=rules, notifiers={"hook": Hook(0)},
                    every=dt.timedelta(minutes=15), clock=clock, sleep=clock.sleep,
                    stopper=Stopper(), max_cycles=1,
                    facts_fn=Facts(**{"btc.chg_1d_pct": 1.0}))
        cycles = tables.frame("alert_cycles", order="cycle_id")
    assert cycles["status"].tolist() == ["interrupted", "ok"]
