"""The monitor loop in a real subprocess, on a fake clock (used by test_monitor_process.py).

Usage: python _monitor_child.py DB RULES START_ISO EVERY MAX_CYCLES(0 = until SIGTERM)
Prints one JSON line per cycle on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from spillwatch.alerts.facts import compute_facts
from spillwatch.alerts.monitor import FakeClock, OwnerLock, Stopper, run_monitor
from spillwatch.alerts.notify import build_notifiers
from spillwatch.alerts.rules import load_rules, parse_duration
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

    with OwnerLock(db), Store(db) as store:
        run_monitor(store, rules=rules, notifiers=build_notifiers(rules.receivers),
                    every=parse_duration(every), clock=clock, sleep=sleep, stopper=stopper,
                    facts_fn=lambda s, today: compute_facts(s, today=today, stress=False,
                                                            spillover=False),
                    max_cycles=int(max_cycles) or None, db_path=db, on_cycle=show)
    sys.stderr.write("child: stopped cleanly\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
