"""The monitor as a real process: SIGKILL mid-delivery and restart, SIGTERM, one monitor."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.monitor import MonitorLock
from spillwatch.exceptions import StoreError
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .conftest import webhook_rules

CHILD = Path(__file__).with_name("_monitor_child.py")
START = dt.datetime(2025, 4, 9, 0, 0)
RULE = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "2h"
"""


def make_db(tmp_path: Path, url: str) -> tuple[Path, Path]:
    db = tmp_path / "mon.duckdb"
    dates = pd.bdate_range(end="2025-04-08", periods=30)
    btc = 80_000 * np.exp(np.linspace(0, 0.05, 30))
    btc[-1] = btc[-2] * 0.9                       # the last day: -10%
    with Store(db) as store:
        store.upsert(pd.DataFrame({"series_id": "binance:BTCUSDT", "ts": dates, "value": btc}))
    rules = tmp_path / "rules.toml"
    rules.write_text(webhook_rules(url, RULE))
    return db, rules


def child(db: Path, rules: Path, start: dt.datetime, every: str, max_cycles: int
          ) -> subprocess.Popen:
    env = dict(os.environ)
    return subprocess.Popen([sys.executable, str(CHILD), str(db), str(rules), start.isoformat(),
                             every, str(max_cycles)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.slow
def test_sigkill_mid_delivery_then_restart_loses_and_resends_nothing(tmp_path, receiver):
    db, rules = make_db(tmp_path, receiver.url)
    receiver.hold, receiver.hold_at = threading.Event(), 2      # hold the 3rd notification
    proc = child(db, rules, START, "1h", 0)
    try:
        deadline = 60
        while len(receiver.requests) < 3 and deadline > 0:
            receiver.arrived.wait(0.5)
            receiver.arrived.clear()
            deadline -= 0.5
            assert proc.poll() is None, proc.stderr.read()
        assert len(receiver.requests) == 3
        # the child is the store's monitor: a second monitor is refused, but the store itself
        # stays shared (the child holds no connection while it waits on the receiver)
        with pytest.raises(StoreError, match="another spillwatch monitor runs"):
            MonitorLock(db).acquire()
        with Store(db, read_only=True, timeout=2) as store:
            assert int(store.query("SELECT count(*) AS n FROM alert_outbox")["n"].iloc[0]) >= 3
        proc.send_signal(signal.SIGKILL)                         # mid-cycle, mid-delivery
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        receiver.hold.set()
    lines = [json.loads(x) for x in proc.stdout.read().splitlines()]
    proc.stdout.close()
    proc.stderr.close()
    assert [x["at"] for x in lines] == ["2025-04-09T00:00:00", "2025-04-09T01:00:00",
                                        "2025-04-09T02:00:00", "2025-04-09T03:00:00"]
    before = [r["key"] for r in receiver.requests]
    held = receiver.requests[2]["key"]
    assert receiver.requests[2]["held"]
    # restart one hour after the killed cycle (04:00), run four cycles, exit by itself
    proc = child(db, rules, START + dt.timedelta(hours=5), "1h", 4)
    _out, errs = proc.communicate(timeout=60)
    assert proc.returncode == 0, errs
    assert "stopped cleanly" in errs
    after = [r["key"] for r in receiver.requests[3:]]
    # nothing re-sent: what was acknowledged before the kill never comes again
    assert not set(before[:2]) & set(after)
    # nothing lost: the in-flight notification is retried first, with its original key
    assert after[0] == held
    with Store(db, read_only=True) as store:
        t = AlertTables(store)
        outbox = t.frame("alert_outbox", order="created_at")
        assert (outbox["status"] == "sent").all()
        keys = outbox["idempotency_key"].tolist()
        assert keys == list(dict.fromkeys(before + after))
        gen = [json.loads(p)["generated_at"] for p in outbox["payload"]]
        # every 2h while firing; the repeat clock restarts from the late delivery at 05:00
        assert gen == ["2025-04-09T00:00:00Z", "2025-04-09T02:00:00Z",
                       "2025-04-09T04:00:00Z", "2025-04-09T07:00:00Z"]
        cyc = t.frame("alert_cycles", order="cycle_id")
        assert cyc["status"].tolist() == ["ok"] * 4 + ["interrupted"] + ["ok"] * 4
        tr = t.frame("alert_transitions")
        assert len(tr) == 1 and tr["to_state"].iloc[0] == "firing"   # no re-fire on restart
        att = t.frame("alert_attempts", f"idempotency_key = '{held}'")
        assert att["ok"].tolist() == [True]
        assert str(att["ts"].iloc[0]) == "2025-04-09 05:00:00"
    assert [r["key"] for r in receiver.accepted()].count(held) == 2  # at-least-once, same key
    assert all(n == 1 for k, n in pd.Series(
        [r["key"] for r in receiver.accepted()]).value_counts().items() if k != held)


@pytest.mark.slow
def test_sigterm_stops_cleanly(tmp_path, receiver):
    db, rules = make_db(tmp_path, receiver.url)
    proc = child(db, rules, START, "15m", 0)
    try:
        first = proc.stdout.readline()
        assert json.loads(first)["cycle"] == 1
        proc.send_signal(signal.SIGTERM)
        _out, errs = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 0, errs
    assert "stopped cleanly" in errs
    MonitorLock(db).acquire().release()              # the lock went with the process
    with Store(db, read_only=True) as store:
        cyc = AlertTables(store).frame("alert_cycles")
        assert (cyc["status"] == "ok").all()         # no half-finished cycle left behind
