"""The persisted outbox: notifications survive failures and restarts, each with one idempotency key.

The transactional-outbox pattern: the engine writes a notification into ``alert_outbox`` in the
same transaction as the decision to send it; delivery happens afterwards and marks a row
``sent`` only after the receiver accepted it (HTTP 2xx, SMTP accepted, console written). A
failed attempt is recorded in ``alert_attempts`` and retried after an exponential backoff
(``base · 2^(attempt−1)``, capped), with the **same idempotency key and the same body**. A row
left ``pending`` by a crash (even one killed between the receiver's answer and the mark) is
retried on restart: delivery is at-least-once, and a receiver that may see a key twice
de-duplicates on it (``Idempotency-Key`` header and ``idempotency_key`` in every payload).
A receiver's ``Retry-After`` (429, 503) is honoured, up to a day. Rows are never dropped: a
receiver that stays down keeps being retried at the capped backoff; a row whose receiver is no
longer in the rule file is marked ``abandoned`` (it cannot be sent), and one the receiver refused
for good (HTTP 400, 413, 415, 422; an SMTP 5xx reply to its data) ``rejected``: the receiver's
later rows go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import duckdb

from spillwatch._results import jsonable
from spillwatch.store.alerts import AlertTables

log = logging.getLogger(__name__)

BACKOFF_BASE = dt.timedelta(seconds=60)
BACKOFF_MAX = dt.timedelta(hours=1)
#: The longest ``Retry-After`` honoured (a longer one is read as this).
RETRY_AFTER_MAX = dt.timedelta(days=1)


class DeliveryError(Exception):
    """A receiver did not accept a notification (down, non-2xx answer, SMTP refusal).

    ``permanent``: the receiver refused this notification for good (HTTP 400, 413, 415, 422;
    an SMTP 5xx reply to its data): sending it again cannot succeed. ``retry_after``:
    seconds the receiver asked to wait (``Retry-After``), or ``None``.
    """

    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent
        self.retry_after = retry_after


class Notifier(Protocol):
    """Sends one notification payload; raises :class:`DeliveryError` when not accepted."""

    def send(self, payload: Mapping[str, Any]) -> int | None:
        """Deliver ``payload``; return the HTTP status (or ``None``) on success."""
        ...


def idempotency_key(group_key: str, receiver: str, now: dt.datetime,
                    alerts: list[dict[str, Any]]) -> str:
    """Deterministic key of one notification decision (group, receiver, time, alerts)."""
    raw = json.dumps({"g": group_key, "r": receiver, "t": now.isoformat(),
                      "a": [(a["fingerprint"], a["status"]) for a in alerts]}, sort_keys=True)
    return "sw-" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def backoff(attempts: int, base: dt.timedelta = BACKOFF_BASE,
            cap: dt.timedelta = BACKOFF_MAX) -> dt.timedelta:
    """Wait before attempt ``attempts + 1``: ``base · 2^(attempts−1)``, at most ``cap``."""
    return min(base * (2 ** max(attempts - 1, 0)), cap)


@dataclass
class DeliveryReport:
    """What one delivery pass did: keys sent and keys that failed (with the error)."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"sent": list(self.sent), "failed": dict(self.failed)}


class Outbox:
    """Enqueue notifications (inside a transaction) and deliver the due ones.

    Parameters
    ----------
    tables : AlertTables
    base, cap : timedelta
        Backoff of failed deliveries (see :func:`backoff`).
    """

    def __init__(self, tables: AlertTables, *, base: dt.timedelta = BACKOFF_BASE,
                 cap: dt.timedelta = BACKOFF_MAX,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.tables = tables
        self.base, self.cap = base, cap
        # the time a send ended (sent_at, the attempt's time); without a clock, the ``now``
        # of the pass (a slow receiver then dates later sends too early)
        self.clock = clock

    def enqueue(self, con: duckdb.DuckDBPyConnection, *, group_key: str, receiver: str,
                alerts: list[dict[str, Any]], now: dt.datetime, facts: Any = None,
                kind: str | None = None) -> str:
        """Write one notification into the outbox inside the caller's transaction.

        Returns its idempotency key (the same row is never enqueued twice).
        """
        key = idempotency_key(group_key, receiver, now, alerts)
        status = "firing" if any(a["status"] == "firing" for a in alerts) else "resolved"
        common = dict(alerts[0]["labels"]) if alerts else {}
        for a in alerts[1:]:
            common = {k: v for k, v in common.items() if a["labels"].get(k) == v}
        payload = {
            "version": "1",
            "idempotency_key": key,
            "source": "spillwatch",
            "receiver": receiver,
            "status": status,
            "group_key": group_key,
            "common_labels": common,
            "generated_at": now.replace(microsecond=0).isoformat() + "Z",
            "data_as_of": getattr(facts, "as_of", None),
            "data_dates": facts.dates_line() if hasattr(facts, "dates_line") else None,
            "simulated": bool(getattr(facts, "simulated", False)),
            "alerts": alerts,
        }
        con.execute(
            "INSERT INTO alert_outbox (idempotency_key, group_key, receiver, status, kind, "
            "fingerprints, payload, created_at, next_attempt_at, attempts) "
            "VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
            [key, group_key, receiver, kind or status,
             json.dumps([a["fingerprint"] for a in alerts]),
             json.dumps(jsonable(payload), sort_keys=True), now, now])
        return key

    def pending(self) -> list[dict[str, Any]]:
        """Rows not yet delivered, oldest first."""
        frame = self.tables.frame("alert_outbox", "status = 'pending'", order="created_at, "
                                  "idempotency_key")
        return frame.to_dict(orient="records")

    def deliver_due(self, now: dt.datetime, notifiers: Mapping[str, Notifier]
                    ) -> DeliveryReport:
        """Try every pending row whose next attempt is due at ``now``, oldest first.

        After a failure, the receiver's later rows wait for the next pass, so that each receiver
        gets its notifications in the order they were decided (a ``resolved`` never overtakes
        its ``firing``).
        """
        now = now.astimezone(dt.UTC).replace(tzinfo=None) if now.tzinfo else now
        rep = DeliveryReport()
        rows = self.tables.store.query(
            "SELECT idempotency_key, receiver, payload, attempts, group_key, "
            "next_attempt_at <= ? AS due FROM alert_outbox WHERE status = 'pending' "
            "ORDER BY created_at, idempotency_key", [now])
        blocked: set[str] = set()
        for key, receiver, payload, attempts, gk, due in rows.itertuples(index=False):
            if receiver in blocked or not due:
                blocked.add(receiver)  # an older row still waits for its backoff
                continue
            notifier = notifiers.get(receiver)
            attempt = int(attempts) + 1
            status: int | None = None
            if notifier is None:
                # the receiver left the rule file (with its rule, say): no attempt can ever
                # succeed, and the row was retried for ever. It is kept, marked abandoned
                why = (f"receiver {receiver!r} is no longer in the rule file: not sent "
                       "(abandoned; the row is kept)")
                self._abandoned(key, attempt, self._now(now), why)
                rep.failed[key] = why
                log.warning("notification %s abandoned: %s", key, why)
                continue
            try:
                status = notifier.send(json.loads(payload))
            except DeliveryError as exc:
                if exc.permanent:
                    # refused for good (HTTP 413, 400, 422...): retried for ever, it held every
                    # later notification of the receiver, its resolutions too. Kept, marked
                    # rejected; the receiver's next rows go on
                    why = f"{exc} (rejected by the receiver: not retried; the row is kept)"
                    self._abandoned(key, attempt, self._now(now), why, status="rejected",
                                    http_status=exc.status)
                    rep.failed[key] = why
                    log.warning("notification %s to %s rejected: %s", key, receiver, exc)
                    continue
                self._failed(key, attempt, self._now(now), str(exc), exc.status,
                             exc.retry_after)
                rep.failed[key] = str(exc)
                blocked.add(receiver)
                log.warning("delivery of %s to %s failed (attempt %d): %s", key, receiver,
                            attempt, exc)
                continue
            sent = self._now(now)
            with self.tables.transaction() as con:
                con.execute("UPDATE alert_outbox SET status = 'sent', sent_at = ?, attempts = ?,"
                            " last_error = NULL WHERE idempotency_key = ?", [sent, attempt, key])
                con.execute("INSERT OR REPLACE INTO alert_attempts VALUES (?, ?, ?, true, ?, "
                            "NULL)", [key, attempt, sent, status])
                # repeat_interval counts from the pass that delivered the group's last
                # notification (a late one restarts it), not from the end of its send: a
                # daily cycle's next repeat then came the seconds the cycle took short of a
                # day, and a daily repeat was sent every other day
                con.execute("UPDATE alert_groups SET last_sent_at = greatest(last_sent_at, ?) "
                            "WHERE group_key = ? AND receiver = ?", [now, gk, receiver])
            rep.sent.append(key)
        return rep

    def _now(self, now: dt.datetime) -> dt.datetime:
        if self.clock is None:
            return now
        t = self.clock()
        t = t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t
        return max(t, now)

    def _abandoned(self, key: str, attempt: int, now: dt.datetime, error: str, *,
                   status: str = "abandoned", http_status: int | None = None) -> None:
        with self.tables.transaction() as con:
            con.execute("UPDATE alert_outbox SET status = ?, attempts = ?, "
                        "last_error = ? WHERE idempotency_key = ?",
                        [status, attempt, error[:500], key])
            con.execute("INSERT OR REPLACE INTO alert_attempts VALUES (?, ?, ?, false, ?, ?)",
                        [key, attempt, now, http_status, error[:500]])

    def _failed(self, key: str, attempt: int, now: dt.datetime, error: str,
                status: int | None, retry_after: float | None = None) -> None:
        wait = backoff(attempt, self.base, self.cap)
        if retry_after is not None:
            # the receiver said how long to wait (a 429 or 503 with Retry-After): not sooner,
            # and not past a day (it was retried at the backoff, 8 minutes into a 2-hour wait)
            wait = max(wait, min(dt.timedelta(seconds=retry_after), RETRY_AFTER_MAX))
        with self.tables.transaction() as con:
            con.execute("UPDATE alert_outbox SET attempts = ?, next_attempt_at = ?, "
                        "last_error = ? WHERE idempotency_key = ?",
                        [attempt, now + wait, error[:500], key])
            con.execute("INSERT OR REPLACE INTO alert_attempts VALUES (?, ?, ?, false, ?, ?)",
                        [key, attempt, now, status, error[:500]])

    def next_due(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest retry time of a pending row later than ``after`` (``None``: none)."""
        got = self.tables.store.query("SELECT min(next_attempt_at) AS t FROM alert_outbox "
                                      "WHERE status = 'pending' AND next_attempt_at > ?",
                                      [after])
        t = got["t"].iloc[0]
        return None if t is None or str(t) == "NaT" else t.to_pydatetime()
