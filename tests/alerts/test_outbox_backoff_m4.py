"""The outbox's wait after a failure: the longer of its backoff and the receiver's Retry-After."""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.outbox import DeliveryError, Outbox
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

T0 = dt.datetime(2025, 4, 9, 14, 0, 0)
ALERT = {"fingerprint": "f1", "status": "firing", "labels": {"rule": "btc_drop"},
         "annotations": {"summary": "BTC -9.5%"}, "starts_at": None, "ends_at": None}


class _Limited:
    """A receiver that answers 429 with a fixed Retry-After."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after, self.calls = retry_after, 0

    def send(self, payload):
        self.calls += 1
        raise DeliveryError("HTTP 429", status=429, retry_after=self.retry_after)


def _next(t: AlertTables) -> dt.datetime:
    return t.frame("alert_outbox").iloc[0]["next_attempt_at"].to_pydatetime()


def test_a_short_retry_after_does_not_shorten_the_backoff():
    """Third attempt failed: the backoff is 60 x 2^2 = 240 s; a Retry-After of 5 s asks for
    less, and the row still waits 240 s (a receiver cannot make the monitor hammer it)."""
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            box.enqueue(con, group_key="rule=btc_drop", receiver="hook", alerts=[ALERT], now=T0)
        hook = _Limited(5.0)
        now = T0
        for wait in (60, 120, 240):
            box.deliver_due(now, {"hook": hook})
            assert _next(t) == now + dt.timedelta(seconds=wait)
            now = _next(t)
        assert hook.calls == 3


def test_a_long_retry_after_is_honoured_up_to_a_day():
    """A Retry-After longer than the backoff is waited, at most a day."""
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            box.enqueue(con, group_key="rule=btc_drop", receiver="hook", alerts=[ALERT], now=T0)
        box.deliver_due(T0, {"hook": _Limited(7200.0)})
        assert _next(t) == T0 + dt.timedelta(hours=2)
        later = _next(t)
        box.deliver_due(later, {"hook": _Limited(10 * 86400.0)})
        assert _next(t) == later + dt.timedelta(days=1)


def test_the_next_retry_is_strictly_later_than_asked():
    """``next_due(after)``: the earliest retry *after* ``after``; a row due at that very time is
    the current pass's, not the next one (the monitor slept 0 s and woke on it again)."""
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t)
        with t.transaction() as con:
            box.enqueue(con, group_key="rule=btc_drop", receiver="hook", alerts=[ALERT], now=T0)
        assert box.next_due(T0) is None                      # due at T0: not later than T0
        assert box.next_due(T0 - dt.timedelta(seconds=1)) == T0
        box.deliver_due(T0, {"hook": _Limited(5.0)})
        assert box.next_due(T0) == T0 + dt.timedelta(seconds=60)
        assert box.next_due(T0 + dt.timedelta(seconds=60)) is None


class _Ok:
    def send(self, payload):
        return 204


def test_a_slow_send_is_dated_when_it_ended():
    """With a clock, a send is dated when it ended (the pass began 30 s before): ``sent_at``
    and a failure's backoff count from then, not from the start of the pass."""
    late = T0 + dt.timedelta(seconds=30)
    with Store() as store:
        t = AlertTables(store)
        box = Outbox(t, clock=lambda: late)
        with t.transaction() as con:
            box.enqueue(con, group_key="g1", receiver="ok", alerts=[ALERT], now=T0)
            box.enqueue(con, group_key="g2", receiver="down", alerts=[ALERT], now=T0)
        box.deliver_due(T0, {"ok": _Ok(), "down": _Limited(1.0)})
        rows = t.frame("alert_outbox").set_index("receiver")
        assert rows.loc["ok", "sent_at"].to_pydatetime() == late
        assert rows.loc["down", "next_attempt_at"].to_pydatetime() == late + dt.timedelta(
            seconds=60)


def test_a_group_with_one_alert_still_firing_is_a_firing_notification():
    """Alertmanager's rule: a group's notification is ``firing`` while any of its alerts fires
    (one resolved beside one firing is not "resolved"); common labels are those all share."""
    import json

    gone = {**ALERT, "fingerprint": "f2", "status": "resolved",
            "labels": {"rule": "btc_drop", "asset": "eth"}}
    still = {**ALERT, "labels": {"rule": "btc_drop", "asset": "btc"}}
    with Store() as store:
        t = AlertTables(store)
        with t.transaction() as con:
            Outbox(t).enqueue(con, group_key="rule=btc_drop", receiver="hook",
                              alerts=[gone, still], now=T0)
        payload = json.loads(t.frame("alert_outbox").iloc[0]["payload"])
        assert payload["status"] == "firing"
        assert payload["common_labels"] == {"rule": "btc_drop"}
