"""Edges of the outbox no other test pinned (h_mut20's mutation round).

Real inputs: an in-memory store with the alert tables, the project's own console notifier
(an open text stream accepts, a closed one fails the delivery) and FactSets.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.notify import ConsoleNotifier
from spillwatch.alerts.outbox import Outbox, idempotency_key
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from ._btc_rule import BTC_DROP_RULES

T0 = dt.datetime(2025, 4, 9, 14, 0, 0)


def _alert(fp: str, status: str = "firing") -> dict:
    return {"fingerprint": fp, "status": status, "labels": {"rule": fp, "severity": "warning"},
            "annotations": {"summary": f"{fp} fired"}, "starts_at": None, "ends_at": None}


def test_the_key_is_sw_and_32_hex_digits_and_differs_by_receiver():
    key = idempotency_key("rule=a", "desk", T0, [_alert("a")])
    assert re.fullmatch(r"sw-[0-9a-f]{32}", key)
    assert idempotency_key("rule=a", "risk", T0, [_alert("a")]) != key


def test_one_decision_to_two_receivers_is_two_rows_and_the_same_one_twice_is_one():
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            a = box.enqueue(con, group_key="rule=a", receiver="desk", alerts=[_alert("a")],
                            now=T0)
            b = box.enqueue(con, group_key="rule=a", receiver="risk", alerts=[_alert("a")],
                            now=T0)
            again = box.enqueue(con, group_key="rule=a", receiver="desk",
                                alerts=[_alert("a")], now=T0)
        rows = t.frame("alert_outbox")
    assert again == a != b
    assert sorted(rows["receiver"]) == ["desk", "risk"]


def test_the_payload_says_simulated_and_is_dated_to_the_second():
    facts = FactSet([Fact("btc.chg_1d_pct", -9.0, dt.date(2025, 4, 8))],
                    as_of=dt.date(2025, 4, 8), simulated=True)
    with Store() as store:
        t = AlertTables(store)
        with t.transaction() as con:
            Outbox(t).enqueue(con, group_key="rule=a", receiver="desk", alerts=[_alert("a")],
                              now=T0 + dt.timedelta(microseconds=654321), facts=facts)
        payload = json.loads(t.frame("alert_outbox")["payload"].iloc[0])
    assert payload["simulated"] is True
    assert payload["generated_at"] == "2025-04-09T14:00:00Z"
    assert payload["data_as_of"] == "2025-04-08"


def test_a_kind_given_is_stored_and_the_status_is_the_default():
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            box.enqueue(con, group_key="g1", receiver="desk", alerts=[_alert("a")], now=T0,
                        kind="test")
            box.enqueue(con, group_key="g2", receiver="desk",
                        alerts=[_alert("b", "resolved")], now=T0)
        rows = t.frame("alert_outbox", order="group_key")
    assert rows["kind"].tolist() == ["test", "resolved"]


def test_pending_lists_the_oldest_first():
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            for i in range(8):     # decided one minute apart, latest first
                box.enqueue(con, group_key=f"g{i}", receiver="desk", alerts=[_alert("a")],
                            now=T0 - dt.timedelta(minutes=i))
        got = box.pending()
    assert [r["group_key"] for r in got] == [f"g{i}" for i in reversed(range(8))]


RULES = BTC_DROP_RULES


class _Ticking:
    """A clock that moves 7 seconds on each reading (a cycle whose steps take time)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start - dt.timedelta(seconds=7)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=7)
        return self.now


def test_the_repeat_counts_from_the_pass_that_delivered_not_from_the_end_of_the_send():
    from alerts.conftest import Facts
    from spillwatch.alerts.monitor import run_cycle
    from spillwatch.alerts.notify import build_notifiers
    from spillwatch.alerts.rules import parse_rules

    rules = parse_rules(RULES)
    buf = io.StringIO()
    with Store() as store:
        rep = run_cycle(store, _Ticking(T0), rules=rules,
                        notifiers=build_notifiers(rules.receivers, stream=buf),
                        facts_fn=Facts(**{"btc.chg_1d_pct": -9.0}))
        t = AlertTables(store)
        groups = t.frame("alert_groups")
        sent = t.frame("alert_outbox")["sent_at"].iloc[0]
    assert rep.at == T0 and len(rep.delivered.sent) == 1 and "btc_drop" in buf.getvalue()
    assert sent > T0                                   # the send ended later ...
    assert groups["last_sent_at"].tolist() == [T0]     # ... the repeat counts from the pass


def test_a_row_sent_after_a_failure_keeps_no_error():
    closed = io.StringIO()
    closed.close()
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            key = box.enqueue(con, group_key="g", receiver="desk", alerts=[_alert("a")], now=T0)
        failed = box.deliver_due(T0, {"desk": ConsoleNotifier(closed)})
        assert "console: I/O operation on closed file" in failed.failed[key]
        assert t.frame("alert_outbox")["last_error"].iloc[0].startswith("console:")
        box.deliver_due(T0 + dt.timedelta(minutes=5), {"desk": ConsoleNotifier(io.StringIO())})
        row = t.frame("alert_outbox").iloc[0]
    assert row["status"] == "sent" and row["attempts"] == 2
    assert row["last_error"] is None


def test_a_clock_stepped_back_does_not_date_a_send_before_its_pass():
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t, clock=lambda: T0 - dt.timedelta(minutes=3))   # NTP stepped it back
        with t.transaction() as con:
            box.enqueue(con, group_key="g", receiver="desk", alerts=[_alert("a")], now=T0)
        box.deliver_due(T0, {"desk": ConsoleNotifier(io.StringIO())})
        row = t.frame("alert_outbox").iloc[0]
        att = t.frame("alert_attempts").iloc[0]
    assert row["sent_at"] == T0 and att["ts"] == T0


def test_an_aware_now_is_read_in_utc():
    cest = dt.timezone(dt.timedelta(hours=2))
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            key = box.enqueue(con, group_key="g", receiver="desk", alerts=[_alert("a")], now=T0)
        # 15:59 in Paris is 13:59 UTC: a minute before the row is due
        early = box.deliver_due(dt.datetime(2025, 4, 9, 15, 59, tzinfo=cest),
                                {"desk": ConsoleNotifier(io.StringIO())})
        assert early.sent == [] and t.frame("alert_outbox")["status"].iloc[0] == "pending"
        due = box.deliver_due(dt.datetime(2025, 4, 9, 16, 0, tzinfo=cest),
                              {"desk": ConsoleNotifier(io.StringIO())})
    assert due.sent == [key]


def test_an_abandoned_row_keeps_the_whole_reason():
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            box.enqueue(con, group_key="g", receiver="desk", alerts=[_alert("a")], now=T0)
        box.deliver_due(T0, {})
        row = t.frame("alert_outbox").iloc[0]
    assert row["status"] == "abandoned"
    assert row["last_error"] == ("receiver 'desk' is no longer in the rule file: not sent "
                                 "(abandoned; the row is kept)")


def test_a_failed_attempt_keeps_the_http_status(receiver):
    from spillwatch.alerts.notify import WebhookNotifier

    receiver.mode = "error"
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            box.enqueue(con, group_key="g", receiver="hook", alerts=[_alert("a")], now=T0)
        box.deliver_due(T0, {"hook": WebhookNotifier(receiver.url, timeout=5)})
        att = t.frame("alert_attempts")
    assert att["http_status"].tolist() == [503] and att["ok"].tolist() == [False]


def test_an_aware_clock_is_read_in_utc():
    cest = dt.timezone(dt.timedelta(hours=2))
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t, clock=lambda: dt.datetime(2025, 4, 9, 16, 0, 5, tzinfo=cest))
        with t.transaction() as con:
            box.enqueue(con, group_key="g", receiver="desk", alerts=[_alert("a")], now=T0)
        box.deliver_due(T0, {"desk": ConsoleNotifier(io.StringIO())})
        row = t.frame("alert_outbox").iloc[0]
    assert row["sent_at"] == T0 + dt.timedelta(seconds=5)
