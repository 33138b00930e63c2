"""The monitor: fetch → facts (analytics) → rules → delivery, every interval, until stopped.

One cycle is :func:`run_cycle` (tests call it directly with a fake clock); :func:`run_monitor`
repeats it, sleeping through an injectable ``sleep`` that a SIGTERM interrupts.

One process owns the store
--------------------------
DuckDB lets one process open a database file for writing. The monitor takes an exclusive
``flock`` on ``<db>.lock`` (next to the store, holding its PID) before opening the store and keeps
it until it exits; a second monitor, or a write command, fails at once with the PID of the owner
instead of waiting on DuckDB's lock. The kernel drops the lock when the process dies, even by
SIGKILL, so a restart after a crash needs no clean-up. While the monitor runs:

* ``spillwatch alerts silence`` writes the silence into the spool folder ``<db>.spool/`` and the
  monitor stores it at the start of its next cycle;
* ``spillwatch alerts list`` reads the snapshot ``<db>.alerts.json`` the monitor writes after
  every cycle.

Crash safety
------------
A cycle's decisions are one transaction (see :mod:`spillwatch.alerts.engine`); delivery marks an
outbox row ``sent`` only after the receiver accepted it; every cycle starts by retrying the
pending rows. So after a SIGKILL nothing decided is lost, nothing delivered is re-sent, and the
one notification that may have been in flight is retried with its original idempotency key.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import signal
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from spillwatch._results import jsonable
from spillwatch.alerts.engine import Engine, EvaluationReport, add_silence
from spillwatch.alerts.facts import FactSet, compute_facts
from spillwatch.alerts.outbox import DeliveryReport, Notifier, Outbox
from spillwatch.alerts.rules import RuleSet, parse_duration
from spillwatch.exceptions import ConfigError, StoreError
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
FactsFn = Callable[[Store, dt.date], FactSet]
FetchFn = Callable[[Store], Any]


def system_clock() -> dt.datetime:
    """The current UTC time (naive, like the store's timestamps)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class FakeClock:
    """A clock for tests: returns ``now`` and moves only when told (``sleep`` advances it)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start.replace(tzinfo=None)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float | dt.timedelta) -> None:
        """Move the clock forward."""
        self.now += seconds if isinstance(seconds, dt.timedelta) else dt.timedelta(
            seconds=seconds)

    def sleep(self, seconds: float) -> bool:
        """Advance by ``seconds`` instead of sleeping; returns False (not stopped)."""
        self.advance(seconds)
        return False


# -- the one-owner lock -------------------------------------------------------------------------
def lock_path(db: str | Path) -> Path:
    """The lock file of a store file."""
    return Path(str(db) + ".lock")


def spool_dir(db: str | Path) -> Path:
    """The folder where silences wait while a monitor owns the store."""
    return Path(str(db) + ".spool")


def snapshot_path(db: str | Path) -> Path:
    """The JSON snapshot of alert states the monitor writes after each cycle."""
    return Path(str(db) + ".alerts.json")


class OwnerLock:
    """An exclusive, non-blocking ``flock`` on ``<db>.lock`` (see the module docstring)."""

    def __init__(self, db: str | Path) -> None:
        self.path = lock_path(db)
        self._fh: IO[str] | None = None

    def acquire(self) -> OwnerLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held open for the life of the lock
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            owner = fh.read().strip() or "?"
            fh.close()
            raise StoreError(f"the store {str(self.path)[:-5]} is owned by a running monitor "
                             f"(pid {owner}, lock {self.path}); stop it (SIGTERM) or use "
                             "another --db", path=str(self.path)) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> OwnerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_owned(db: str | Path) -> bool:
    """Whether a running process holds the store's lock."""
    p = lock_path(db)
    if not p.exists():
        return False
    with open(p) as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    return False


def spool_silence(db: str | Path, request: Mapping[str, Any]) -> Path:
    """Queue a silence for the running monitor (written atomically into the spool folder)."""
    folder = spool_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{request['id']}.json"
    tmp = folder / f".{request['id']}.tmp"
    tmp.write_text(json.dumps(jsonable(dict(request))), "utf-8")
    tmp.replace(target)
    return target


def _apply_spool(tables: AlertTables, db: str | Path) -> int:
    folder = spool_dir(db)
    if not folder.exists():
        return 0
    n = 0
    for f in sorted(folder.glob("*.json")):
        try:
            req = json.loads(f.read_text("utf-8"))
            add_silence(tables, now=dt.datetime.fromisoformat(req["created_at"]),
                        duration=parse_duration(req["duration"]), rule=req.get("rule"),
                        matchers=req.get("matchers") or {}, comment=req.get("comment", ""),
                        created_by=req.get("created_by", ""), silence_id=req["id"])
            n += 1
        except (ValueError, KeyError, ConfigError) as exc:
            log.error("ignoring bad silence request %s: %s", f, exc)
        f.unlink()
    return n


# -- one cycle ----------------------------------------------------------------------------------
@dataclass
class CycleReport:
    """What one monitor cycle did."""

    cycle_id: int
    at: dt.datetime
    as_of: dt.date | None = None
    facts: int = 0
    fetch: str = "skipped"
    retried: DeliveryReport = field(default_factory=DeliveryReport)
    evaluation: EvaluationReport | None = None
    delivered: DeliveryReport = field(default_factory=DeliveryReport)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"cycle_id": self.cycle_id, "at": self.at, "as_of": self.as_of,
                         "facts": self.facts, "fetch": self.fetch,
                         "retried": self.retried.to_dict(),
                         "evaluation": self.evaluation.to_dict() if self.evaluation else None,
                         "delivered": self.delivered.to_dict(), "notes": self.notes})

    def line(self) -> str:
        """One log line."""
        ev = self.evaluation
        return (f"cycle {self.cycle_id} at {self.at:%Y-%m-%d %H:%M}: data as of {self.as_of}, "
                f"{self.facts} facts, {ev.firing if ev else 0} firing, "
                f"{len(ev.transitions) if ev else 0} transitions, "
                f"{len(ev.enqueued) if ev else 0} enqueued, "
                f"{len(self.retried.sent) + len(self.delivered.sent)} sent, "
                f"{len(self.delivered.failed)} failed; fetch {self.fetch}")


def _default_facts(store: Store, today: dt.date) -> FactSet:
    return compute_facts(store, today=today)


class CachedFacts:
    """:func:`compute_facts`, recomputed only when the data or the date changed.

    The key is the date and a fingerprint of the observations (count, last timestamp, number
    of revisions): a monitor cycling every 15 minutes on a store that fetches daily data
    recomputes the analytics once per new batch of data, not every cycle.
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._facts: FactSet | None = None

    def __call__(self, store: Store, today: dt.date) -> FactSet:
        got = store.query("SELECT (SELECT count(*) FROM observations) AS n, "
                          "(SELECT max(ts) FROM observations) AS t, "
                          "(SELECT count(*) FROM revisions) AS r")
        key = (today, *(str(v) for v in got.iloc[0].tolist()))
        if key != self._key or self._facts is None:
            self._facts = compute_facts(store, today=today)
            self._key = key
        return self._facts


def default_fetch(store: Store) -> str:
    """Fetch live data into the store with :mod:`spillwatch.data.fetch` when it is installed."""
    try:
        from spillwatch.data.fetch import fetch
    except ImportError as exc:
        return f"skipped: no live fetcher ({exc})"
    res = fetch(store)
    if res.offline:
        msg = "skipped: the network is down (every provider failed to connect)"
        log.warning("fetch %s; the rules run on the stored data", msg)
        return msg
    t = res.totals
    errors = res.errors
    if errors:
        log.warning("fetch: %d group(s) failed: %s", len(errors), errors)
    return f"ok: stored {t['stored']}, revised {t['revised']}, failed groups {len(errors)}"


def run_cycle(store: Store, clock: Clock, *, rules: RuleSet,
              notifiers: Mapping[str, Notifier], fetch: FetchFn | None = None,
              facts_fn: FactsFn | None = None, outbox: Outbox | None = None,
              db_path: str | Path | None = None) -> CycleReport:
    """Run one cycle: retry the outbox, fetch, compute facts, evaluate rules, deliver.

    Parameters
    ----------
    store : Store
        The writable store (holding market data and the alert tables).
    clock : callable
        Returns the current time (naive UTC); tests pass a :class:`FakeClock`.
    rules : RuleSet
    notifiers : mapping of receiver name to notifier
    fetch : callable, optional
        ``fetch(store)`` fills the store with new data; failures are logged and skipped.
        ``None`` (``--demo``, ``--data``): no fetch.
    facts_fn : callable, optional
        ``facts_fn(store, today) -> FactSet`` (default :func:`compute_facts`).
    outbox : Outbox, optional
    db_path : path, optional
        The store file, for the silence spool.

    Returns
    -------
    CycleReport
    """
    tables = AlertTables(store)
    outbox = outbox or Outbox(tables)
    now = clock()
    with tables.transaction() as con:
        cid = int(con.execute("SELECT coalesce(max(cycle_id), 0) + 1 FROM alert_cycles"
                              ).fetchall()[0][0])
        con.execute("INSERT INTO alert_cycles (cycle_id, started_at, status) VALUES (?, ?, "
                    "'running')", [cid, now])
    rep = CycleReport(cid, now)
    if db_path is not None:
        n = _apply_spool(tables, db_path)
        if n:
            rep.notes.append(f"stored {n} spooled silence(s)")
    rep.retried = outbox.deliver_due(now, notifiers)
    if fetch is not None:
        try:
            rep.fetch = str(fetch(store) or "ok")
        except Exception as exc:  # network down, provider error: skip the fetch, keep going
            rep.fetch = f"skipped: {type(exc).__name__}: {exc}"
            log.warning("fetch failed, using stored data: %s", exc)
    try:
        facts = (facts_fn or _default_facts)(store, now.date())
    except Exception as exc:
        msg = f"facts could not be computed: {type(exc).__name__}: {exc}"
        log.error(msg)
        rep.notes.append(msg)
        _finish(tables, rep, "error", msg)
        return rep
    rep.as_of, rep.facts = facts.as_of, len(facts)
    rep.notes += facts.notes
    rep.evaluation = Engine(tables, rules, outbox).evaluate(facts, now)
    rep.delivered = outbox.deliver_due(now, notifiers)
    _finish(tables, rep, "ok", None)
    return rep


def _finish(tables: AlertTables, rep: CycleReport, status: str, message: str | None) -> None:
    ev = rep.evaluation
    with tables.transaction() as con:
        con.execute("UPDATE alert_cycles SET finished_at = ?, as_of = ?, status = ?, facts = ?,"
                    " firing = ?, enqueued = ?, sent = ?, message = ? WHERE cycle_id = ?",
                    [rep.at, rep.as_of, status, rep.facts, ev.firing if ev else 0,
                     len(ev.enqueued) if ev else 0,
                     len(rep.retried.sent) + len(rep.delivered.sent), message, rep.cycle_id])


def write_snapshot(tables: AlertTables, path: str | Path) -> None:
    """Write the alert states and pending outbox rows as JSON (atomically)."""
    doc = {"written_at": system_clock(),
           "alerts": tables.frame("alert_state", order="rule, fingerprint"
                                  ).to_dict(orient="records"),
           "outbox_pending": tables.frame("alert_outbox", "status = 'pending'",
                                          order="created_at").drop(columns=["payload"],
                                                                   errors="ignore"
                                                                   ).to_dict(orient="records"),
           "silences": tables.frame("alert_silences", order="expires_at"
                                    ).to_dict(orient="records")}
    p = Path(path)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(json.dumps(jsonable(doc), indent=1), "utf-8")
    tmp.replace(p)


# -- the loop -----------------------------------------------------------------------------------
class Stopper:
    """A stop flag set by SIGTERM/SIGINT; its ``sleep`` waits on it (and wakes when set)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._old: dict[int, Any] = {}

    def install(self) -> Stopper:
        """Handle SIGTERM and SIGINT (only possible in the main thread)."""
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, _frame: Any) -> None:
        log.info("received signal %d: stopping after the current step", signum)
        self.event.set()

    def restore(self) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()

    def sleep(self, seconds: float) -> bool:
        """Wait up to ``seconds``; return True when stopped."""
        return self.event.wait(max(seconds, 0.0))

    @property
    def stopped(self) -> bool:
        return self.event.is_set()


def run_monitor(store: Store, *, rules: RuleSet, notifiers: Mapping[str, Notifier],
                every: dt.timedelta, clock: Clock = system_clock,
                sleep: Callable[[float], bool] | None = None, stopper: Stopper | None = None,
                fetch: FetchFn | None = None, facts_fn: FactsFn | None = None,
                max_cycles: int | None = None, db_path: str | Path | None = None,
                on_cycle: Callable[[CycleReport], None] | None = None) -> int:
    """Repeat :func:`run_cycle` every ``every`` until stopped; return the number of cycles.

    Between cycles the loop wakes early to retry outbox rows whose backoff has passed. A SIGTERM
    (or SIGINT) sets the stopper: the loop finishes the step it is in and returns.

    Parameters
    ----------
    sleep : callable, optional
        ``sleep(seconds) -> stopped``; default the stopper's (interruptible) wait. Tests pass
        :meth:`FakeClock.sleep`.
    max_cycles : int, optional
        Stop after this many cycles.
    """
    if every <= dt.timedelta(0):
        raise ConfigError(f"--every must be positive, got {every}")
    stopper = stopper or Stopper()
    stopper.install()
    snooze = sleep or stopper.sleep
    tables = AlertTables(store)
    outbox = Outbox(tables)
    facts_fn = facts_fn or CachedFacts()
    with tables.transaction() as con:  # cycles that a crash cut short
        con.execute("UPDATE alert_cycles SET status = 'interrupted' WHERE status = 'running'")
    cycles = 0
    try:
        while not stopper.stopped:
            rep = run_cycle(store, clock, rules=rules, notifiers=notifiers, fetch=fetch,
                            facts_fn=facts_fn, outbox=outbox, db_path=db_path)
            cycles += 1
            log.info(rep.line())
            if db_path is not None:
                write_snapshot(tables, snapshot_path(db_path))
            if on_cycle is not None:
                on_cycle(rep)
            if max_cycles is not None and cycles >= max_cycles:
                break
            next_cycle = rep.at + every
            while not stopper.stopped:
                now = clock()
                due = outbox.next_due(now)
                wake = min(next_cycle, due) if due is not None else next_cycle
                if snooze(max((wake - now).total_seconds(), 0.0)) or stopper.stopped:
                    break
                if clock() >= next_cycle:
                    break
                outbox.deliver_due(clock(), notifiers)
    finally:
        stopper.restore()
    log.info("monitor stopped after %d cycle(s)", cycles)
    return cycles
