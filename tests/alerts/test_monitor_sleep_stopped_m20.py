"""A ``sleep`` that says it was stopped stops the monitor (``sleep(seconds) -> stopped``).

A sleep of the caller's own that returned True broke only the wait between cycles: the next
cycle started at once, and without ``max_cycles`` the loop ran on with no wait at all.
"""

from __future__ import annotations

import datetime as dt

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import Stopper, run_monitor
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from ._btc_rule import BTC_DROP_RULES
from .conftest import Facts

RULES = BTC_DROP_RULES


def test_a_sleep_that_says_stopped_stops_the_monitor():
    clock = FakeClock(dt.datetime(2025, 4, 9, 14, 0))
    asked: list[float] = []

    def sleep(seconds: float) -> bool:
        asked.append(seconds)
        return True                       # stopped (a shutdown flag of the caller's own)

    stopper = Stopper()
    with Store() as store:
        n = run_monitor(store, rules=parse_rules(RULES), notifiers={},
                        every=dt.timedelta(hours=1), clock=clock, sleep=sleep,
                        stopper=stopper, max_cycles=4,
                        facts_fn=Facts(**{"btc.chg_1d_pct": 1.0}))
        cycles = AlertTables(store).frame("alert_cycles")
    assert n == 1 and len(cycles) == 1 and asked == [3600.0]
    assert stopper.stopped
