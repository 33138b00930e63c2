"""The monitor loop in a real subprocess, on a fake clock (used by test_monitor_process.py).

Usage: python _monitor_child.py DB RULES START_ISO EVERY MAX_CYCLES(0 = until SIGTERM)
Prints one JSON line per cycle on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from _clock import FakeClock

from spillwatch.alerts.facts import compute_facts
from spillwatch.alerts.monitor import MonitorLock, Stopper, run_monitor
from spillwatch.alerts.notify import build_notifiers
from spillwatch.alerts.rules import load_rules
from spillwatch.alerts.schema import parse_duration
from spillwatch.data.source import MarketSource
from spillwatch.service.workspace import Workspace
from spillwatch.store import Store


def main() -> int:
    db, rules_path, start, every, max_cycles = sys.argv[1:6]
    rules = load_rules(rules_path)
    clock = FakeClock(dt.datetime.fromisoformat(start))
    stopper = Stopper()

    def sleep(seconds: float) -> bool:
        clock.advance(seconds)
        return stopper.sleep(0.02)  # real time passes a little; SIGTERM wakes it

    def show(rep) -> None:
        sys.stdout.write(json.dumps({"cycle": rep.cycle_id, "at": rep.at.isoformat(),
                                     "sent": rep.retried.sent + rep.delivered.sent}) + "\n")
        sys.stdout.flush()

    def facts(store: Store, today: dt.date):
        ws = Workspace(MarketSource(store, "test store", owned=False))
        return compute_facts(ws, today=today, stress=False, spillover=False)

    with MonitorLock(db), Store(db) as store:
        run_monitor(store, rules=rules, notifiers=build_notifiers(rules.receivers),
                    every=parse_duration(every), clock=clock, sleep=sleep, stopper=stopper,
                    facts_fn=facts, max_cycles=int(max_cycles) or None, on_cycle=show)
    sys.stderr.write("child: stopped cleanly\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
