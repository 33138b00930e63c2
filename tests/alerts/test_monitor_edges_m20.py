"""Edges of the monitor no other test pinned (h_mut20's mutation round).

Real inputs: in-memory and file stores, rules parsed by the project, the console receiver,
FactSets from the tests' fact source, the tests' fake clock.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import MonitorLock
from spillwatch.exceptions import StoreError

from ._btc_rule import BTC_DROP_RULES


def test_a_monitor_through_a_link_to_the_store_is_the_same_monitor(tmp_path):
    db = tmp_path / "real.duckdb"
    db.touch()
    link = tmp_path / "link.duckdb"
    link.symlink_to(db)
    held = MonitorLock(db)
    busy = (r"another spillwatch monitor runs on .*real\.duckdb "
            r"\(lock .*real\.duckdb\.monitor\.lock\)")
    with held, pytest.raises(StoreError, match=busy):
        MonitorLock(link).acquire()
    # the lock goes with the block (its holder still alive): the next monitor starts
    MonitorLock(link).acquire().release()
    assert held.path.exists()


def test_cached_facts_are_recomputed_on_a_new_day_or_new_data_and_only_then(tmp_path):
    from spillwatch.alerts.monitor import CachedFacts
    from spillwatch.data.ingest import import_path
    from spillwatch.store import Store

    day = dt.date(2025, 4, 9)
    fund = tmp_path / "fund.csv"
    fund.write_text("date,nav\n" + "".join(f"2025-03-{i:02d},{100 + i}\n" for i in range(3, 29)))
    cached = CachedFacts()
    with Store() as store:
        first = cached(store, day)
        ws = cached.workspace
        assert cached(store, day) is first and cached.workspace is ws      # nothing new
        second = cached(store, day + dt.timedelta(days=1))                 # a new day
        assert second is not first and cached.workspace is not ws
        assert cached(store, day + dt.timedelta(days=1)) is second
        import_path(fund, store)                                           # new data
        third = cached(store, day + dt.timedelta(days=1))
        assert third is not second
        assert cached(store, day + dt.timedelta(days=1)) is third


RULES = BTC_DROP_RULES
T0 = dt.datetime(2025, 4, 9, 14, 0)


def test_the_cycle_line_counts_the_retries_it_sent():
    from alerts.conftest import Facts
    from spillwatch.alerts.monitor import run_cycle
    from spillwatch.alerts.notify import build_notifiers
    from spillwatch.alerts.rules import parse_rules
    from spillwatch.store import Store

    rules = parse_rules(RULES)
    closed = io.StringIO()
    closed.close()
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.0})
    with Store() as store:
        first = run_cycle(store, clock, rules=rules,
                          notifiers=build_notifiers(rules.receivers, stream=closed),
                          facts_fn=facts)
        clock.advance(dt.timedelta(minutes=15))
        second = run_cycle(store, clock, rules=rules,
                           notifiers=build_notifiers(rules.receivers, stream=io.StringIO()),
                           facts_fn=facts)
        from spillwatch.store.alerts import AlertTables

        cycles = AlertTables(store).frame("alert_cycles", order="cycle_id")
    assert cycles["firing"].tolist() == [1, 1] and cycles["sent"].tolist() == [0, 1]
    assert first.as_of == second.as_of == T0.date()      # the facts of the cycle's own day
    assert ", 0 sent, 1 failed;" in first.line()
    assert len(second.retried.sent) == 1 and not second.delivered.sent
    assert ", 1 sent, 0 failed;" in second.line()


def test_a_cycle_whose_facts_fail_is_recorded_as_an_error():
    from spillwatch.alerts.monitor import run_cycle
    from spillwatch.alerts.rules import parse_rules
    from spillwatch.store import Store
    from spillwatch.store.alerts import AlertTables

    def broken(store, today):
        raise ValueError("no panel")

    with Store() as store:
        rep = run_cycle(store, FakeClock(T0), rules=parse_rules(RULES), notifiers={},
                        facts_fn=broken)
        row = AlertTables(store).frame("alert_cycles").iloc[0]
    assert rep.notes == ["facts could not be computed: ValueError: no panel"]
    assert row["status"] == "error" and row["message"] == rep.notes[0]


def test_every_must_be_positive():
    from alerts.conftest import Facts
    from spillwatch.alerts.monitor import run_monitor
    from spillwatch.alerts.rules import parse_rules
    from spillwatch.exceptions import ConfigError
    from spillwatch.store import Store

    with Store() as store, pytest.raises(ConfigError, match="--every must be positive"):
        clock = FakeClock(T0)
        run_monitor(store, rules=parse_rules(RULES), notifiers={}, every=dt.timedelta(0),
                    clock=clock, sleep=clock.sleep, max_cycles=1,
                    facts_fn=Facts(**{"btc.chg_1d_pct": 1.0}))


def test_a_rule_file_broken_while_the_monitor_runs_is_said_first_among_the_notes(tmp_path):
    from spillwatch.alerts.facts import Fact, FactSet
    from spillwatch.alerts.monitor import Stopper, run_monitor
    from spillwatch.alerts.rules import rules_reloader
    from spillwatch.store import Store

    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    clock = FakeClock(T0)

    def facts(store, today):
        return FactSet([Fact("btc.chg_1d_pct", 1.0, today)], as_of=today,
                       notes=["btc: the last close is of yesterday"])

    reports = []

    def on_cycle(rep):
        reports.append(rep)
        path.write_text(RULES + "\n[[rule]\n")         # an edit that breaks the file

    with Store() as store:
        run_monitor(store, rules=rules_reloader(path, store=store), notifiers={},
                    every=dt.timedelta(minutes=15), clock=clock, sleep=clock.sleep,
                    stopper=Stopper(), max_cycles=2, facts_fn=facts, on_cycle=on_cycle)
    assert reports[0].notes == ["btc: the last close is of yesterday"]
    assert reports[1].notes[0].startswith("rules not reloaded (the last good ones run): ")
    assert reports[1].notes[1:] == ["btc: the last close is of yesterday"]


def test_the_monitor_gives_the_signals_back_when_it_returns():
    import signal

    from alerts.conftest import Facts
    from spillwatch.alerts.monitor import Stopper, run_monitor
    from spillwatch.alerts.rules import parse_rules
    from spillwatch.store import Store

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    clock = FakeClock(T0)
    with Store() as store:
        assert run_monitor(store, rules=parse_rules(RULES), notifiers={},
                           every=dt.timedelta(minutes=15), clock=clock, sleep=clock.sleep,
                           stopper=Stopper(), max_cycles=1,
                           facts_fn=Facts(**{"btc.chg_1d_pct": 1.0})) == 1
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_a_fetch_that_says_nothing_is_ok_and_one_that_fails_is_skipped():
    from alerts.conftest import Facts
    from spillwatch.alerts.monitor import run_cycle
    from spillwatch.alerts.rules import parse_rules
    from spillwatch.store import Store

    def quiet(store):
        return None

    def down(store):
        raise ConnectionError("no route to host")

    facts = Facts(**{"btc.chg_1d_pct": 1.0})
    with Store() as store:
        ok = run_cycle(store, FakeClock(T0), rules=parse_rules(RULES), notifiers={},
                       fetch=quiet, facts_fn=facts)
        bad = run_cycle(store, FakeClock(T0), rules=parse_rules(RULES), notifiers={},
                        fetch=down, facts_fn=facts)
    assert ok.fetch == "ok"
    assert bad.fetch == "skipped: ConnectionError: no route to host"


def test_the_cycle_report_carries_what_the_facts_say_of_themselves():
    from spillwatch.alerts.facts import Fact, FactSet
    from spillwatch.alerts.monitor import run_cycle
    from spillwatch.alerts.rules import parse_rules
    from spillwatch.store import Store

    day = T0.date()

    def facts(store, today):
        return FactSet([Fact("btc.chg_1d_pct", 1.0, today),
                        Fact("stress.percentile", 40.0, today - dt.timedelta(days=1))],
                       as_of=today, simulated=True, newest=["btc"],
                       notes=["stress: the curve is of yesterday"])

    with Store() as store:
        rep = run_cycle(store, FakeClock(T0), rules=parse_rules(RULES), notifiers={},
                        facts_fn=facts)
    assert rep.facts == 2 and rep.simulated is True
    assert rep.stress_as_of == day - dt.timedelta(days=1)
    assert rep.dates == "newest data 2025-04-09 (btc); stress reading 2025-04-08"
    assert rep.notes == ["stress: the curve is of yesterday"]
    doc = rep.to_dict()
    assert doc["simulated"] is True and doc["facts"] == 2
    assert rep.line().startswith("cycle 1 at 2025-04-09 14:00 UTC: newest data 2025-04-09 "
                                 "(btc); stress reading 2025-04-08, 2 facts, 0 firing")


def test_the_stopper_s_sleep_says_it_was_stopped():
    from spillwatch.alerts.monitor import Stopper

    s = Stopper()
    assert s.sleep(0.0) is False
    s.event.set()
    assert s.sleep(5.0) is True and s.stopped
