"""The monitor: fetch → facts (analytics) → rules → delivery, every interval, until stopped.

One cycle is :func:`run_cycle` (tests call it directly with a fake clock); :func:`run_monitor`
repeats it, sleeping through an injectable ``sleep`` that a SIGTERM interrupts.

The monitor shares its store
----------------------------
The store is opened with short-lived connections (:mod:`spillwatch.store.duckdb`): each step
of a cycle opens the file, does its work and closes it, and the analytics run on data read into
memory, so between steps — and between cycles — the dashboard server, ``spillwatch stress`` or
``alerts list`` and ``alerts silence`` use the same file. Only one *monitor* may run on a store
(:class:`MonitorLock`, a :mod:`filelock` lock on ``<db>.monitor.lock``): a second one fails at
once instead of evaluating the rules twice.

Crash safety
------------
A cycle's decisions are one transaction (see :mod:`spillwatch.alerts.engine`); delivery marks an
outbox row ``sent`` only after the receiver accepted it; every cycle starts by retrying the
pending rows. So after a SIGKILL nothing decided is lost, nothing delivered is re-sent, and the
one notification that may have been in flight is retried with its original idempotency key.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filelock

from spillwatch._results import jsonable
from spillwatch.alerts.engine import Engine, EvaluationReport
from spillwatch.alerts.facts import FactSet, compute_facts
from spillwatch.alerts.outbox import DeliveryReport, Notifier, Outbox
from spillwatch.alerts.rules import RuleSet
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import ConfigError, StoreError
from spillwatch.service.workspace import Workspace
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
FactsFn = Callable[[Store, dt.date], FactSet]
FetchFn = Callable[[Store], Any]


def system_clock() -> dt.datetime:
    """The current UTC time (naive, like the store's timestamps)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class MonitorLock:
    """At most one monitor per store file: a non-blocking lock on ``<db>.monitor.lock``.

    The lock goes with the process (the kernel releases it on any exit, SIGKILL included), so a
    restart after a crash needs no clean-up.
    """

    def __init__(self, db: str | Path) -> None:
        # the file's own path, links resolved: a monitor started through a link to the store
        # ran beside one started on its path
        self.path = Path(str(Path(db).expanduser().resolve()) + ".monitor.lock")
        self._lock = filelock.FileLock(str(self.path), thread_local=False)

    def acquire(self) -> MonitorLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout:
            raise StoreError(f"another spillwatch monitor runs on {str(self.path)[:-13]} (lock "
                             f"{self.path}); stop it (SIGTERM) or use another --db",
                             path=str(self.path)) from None
        return self

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> MonitorLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# -- one cycle ----------------------------------------------------------------------------------
@dataclass
class CycleReport:
    """What one monitor cycle did."""

    cycle_id: int
    at: dt.datetime
    as_of: dt.date | None = None
    dates: str = ""
    stress_as_of: dt.date | None = None
    facts: int = 0
    fetch: str = "skipped"
    retried: DeliveryReport = field(default_factory=DeliveryReport)
    evaluation: EvaluationReport | None = None
    delivered: DeliveryReport = field(default_factory=DeliveryReport)
    notes: list[str] = field(default_factory=list)
    finished: dt.datetime | None = None
    simulated: bool = False

    @property
    def seconds(self) -> float | None:
        """How long the cycle took (``None`` until it finished)."""
        return None if self.finished is None else (self.finished - self.at).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"cycle_id": self.cycle_id, "at": self.at,
                         "finished": self.finished, "seconds": self.seconds,
                         "as_of": self.as_of,
                         "stress_as_of": self.stress_as_of, "dates": self.dates,
                         "facts": self.facts, "fetch": self.fetch,
                         "retried": self.retried.to_dict(),
                         "evaluation": self.evaluation.to_dict() if self.evaluation else None,
                         "delivered": self.delivered.to_dict(), "notes": self.notes,
                         # the facts were of the simulated demo market (a demo store)
                         "simulated": self.simulated})

    def line(self) -> str:
        """One log line."""
        ev = self.evaluation
        return (f"cycle {self.cycle_id} at {self.at:%Y-%m-%d %H:%M} UTC: "
                f"{self.dates or f'data as of {self.as_of}'}, "
                f"{self.facts} facts, {ev.firing if ev else 0} firing, "
                f"{len(ev.unavailable) if ev else 0} not evaluated, "
                f"{len(ev.transitions) if ev else 0} transitions, "
                f"{len(ev.enqueued) if ev else 0} enqueued, "
                f"{len(self.retried.sent) + len(self.delivered.sent)} sent, "
                f"{len(self.delivered.failed)} failed; fetch {self.fetch}"
                + ("" if self.seconds is None else f"; took {self.seconds:.1f} s"))


def _default_facts(store: Store, today: dt.date) -> FactSet:
    return compute_facts(Workspace(MarketSource(store, f"store {store.path}", owned=False)),
                         today=today)


class CachedFacts:
    """:func:`compute_facts` on a fresh workspace, recomputed only when the data or date changed.

    The key is the date and the store's data version (point count, last timestamp, number of
    revisions): a monitor cycling every 15 minutes on a store that fetches daily data recomputes
    the analytics once per new batch of data, not every cycle. Each recomputation reads the
    store once and builds each panel once (:attr:`workspace` keeps the last one's counters).
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._facts: FactSet | None = None
        self.workspace: Workspace | None = None

    def __call__(self, store: Store, today: dt.date) -> FactSet:
        key = (today, store.data_version())
        if key != self._key or self._facts is None:
            ws = Workspace(MarketSource(store, f"store {store.path}", owned=False))
            self._facts = compute_facts(ws, today=today)
            self._key, self.workspace = key, ws
        return self._facts


def default_fetch(store: Store, *, should_stop: Callable[[], bool] | None = None) -> str:
    """Fetch live data into the store with :mod:`spillwatch.data.fetch`.

    ``should_stop`` is asked between provider groups (:func:`run_monitor` passes its
    stopper's flag, so a SIGTERM does not wait for every provider to time out).
    """
    from spillwatch.data.fetch import fetch

    res = fetch(store, should_stop=should_stop)
    if res.offline:
        msg = "skipped: no provider could be reached (every connection failed)"
        log.warning("fetch %s; the rules run on the stored data", msg)
        return msg
    t = res.totals
    errors = res.errors
    done = f"stored {t['stored']}, revised {t['revised']}"
    if not errors:
        return f"ok: {done}"
    log.warning("fetch: %d group(s) failed: %s", len(errors), errors)
    # which groups failed, in the cycle's own record (it read "ok: ... failed groups 8")
    return (f"partial: {done}; {len(errors)} of {len(res.outcomes)} group(s) failed: "
            + ", ".join(errors))


def run_cycle(store: Store, clock: Clock, *, rules: RuleSet,
              notifiers: Mapping[str, Notifier], fetch: FetchFn | None = None,
              facts_fn: FactsFn | None = None, outbox: Outbox | None = None) -> CycleReport:
    """Run one cycle: retry the outbox, fetch, compute facts, evaluate rules, deliver.

    Parameters
    ----------
    store : Store
        The writable store (holding market data and the alert tables).
    clock : callable
        Returns the current time (naive UTC); tests pass a fake clock.
    rules : RuleSet
    notifiers : mapping of receiver name to notifier
    fetch : callable, optional
        ``fetch(store)`` fills the store with new data; failures are logged and skipped.
        ``None`` (``--demo``, ``--data``): no fetch.
    facts_fn : callable, optional
        ``facts_fn(store, today) -> FactSet`` (default :func:`compute_facts`).
    outbox : Outbox, optional

    Returns
    -------
    CycleReport
    """
    tables = AlertTables(store)
    outbox = outbox or Outbox(tables, clock=clock)
    now = clock()
    with tables.transaction() as con:
        cid = int(con.execute("SELECT coalesce(max(cycle_id), 0) + 1 FROM alert_cycles"
                              ).fetchall()[0][0])
        con.execute("INSERT INTO alert_cycles (cycle_id, started_at, status) VALUES (?, ?, "
                    "'running')", [cid, now])
    rep = CycleReport(cid, now)
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
        _finish(tables, rep, "error", msg, clock())
        return rep
    rep.as_of, rep.facts = facts.as_of, len(facts)
    rep.simulated = bool(getattr(facts, "simulated", False))
    rep.stress_as_of = getattr(facts, "stress_as_of", None)
    rep.dates = facts.dates_line() if hasattr(facts, "dates_line") else ""
    rep.notes += facts.notes
    rep.evaluation = Engine(tables, rules, outbox).evaluate(facts, now)
    rep.delivered = outbox.deliver_due(now, notifiers)
    _finish(tables, rep, "ok", None, clock())
    return rep


def _finish(tables: AlertTables, rep: CycleReport, status: str, message: str | None,
            finished: dt.datetime) -> None:
    ev = rep.evaluation
    rep.finished = finished
    with tables.transaction() as con:
        con.execute("UPDATE alert_cycles SET finished_at = ?, as_of = ?, status = ?, facts = ?,"
                    " firing = ?, enqueued = ?, sent = ?, message = ? WHERE cycle_id = ?",
                    [finished, rep.as_of, status, rep.facts, ev.firing if ev else 0,
                     len(ev.enqueued) if ev else 0,
                     len(rep.retried.sent) + len(rep.delivered.sent), message, rep.cycle_id])




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


def run_monitor(store: Store, *, rules: RuleSet | Callable[[], RuleSet],
                notifiers: Mapping[str, Notifier],
                every: dt.timedelta, clock: Clock = system_clock,
                sleep: Callable[[float], bool] | None = None, stopper: Stopper | None = None,
                fetch: FetchFn | None = None, facts_fn: FactsFn | None = None,
                max_cycles: int | None = None,
                on_cycle: Callable[[CycleReport], None] | None = None) -> int:
    """Repeat :func:`run_cycle` every ``every`` until stopped; return the number of cycles.

    Between cycles the loop wakes early to retry outbox rows whose backoff has passed. A SIGTERM
    (or SIGINT) sets the stopper: the loop finishes the step it is in and returns.

    Parameters
    ----------
    store : Store
        The writable store (holding market data and the alert tables).
    rules : RuleSet or callable
        The rules, or a callable returning the rules of each cycle
        (:func:`~spillwatch.alerts.rules.rules_reloader`: rules added or deleted through the
        API take effect at the next cycle). When it fails, the last good rules are kept and
        the cycle's notes say why.
    notifiers : mapping of receiver name to notifier
    every : timedelta
        Time from the start of one cycle to the start of the next (positive).
    clock : callable, default :func:`system_clock`
        Returns the current time (naive UTC); tests pass a fake clock.
    sleep : callable, optional
        ``sleep(seconds) -> stopped``; default the stopper's (interruptible) wait. Tests pass a
        fake clock's.
    stopper : Stopper, optional
        Set by SIGTERM or SIGINT (its handlers are installed here); default a new one.
    fetch : callable, optional
        ``fetch(store)`` as in :func:`run_cycle` (``None``: no fetch).
    facts_fn : callable, optional
        ``facts_fn(store, today) -> FactSet``; default a :class:`CachedFacts`.
    max_cycles : int, optional
        Stop after this many cycles.
    on_cycle : callable, optional
        Called with each cycle's :class:`CycleReport` when it ends.
    """
    if every <= dt.timedelta(0):
        raise ConfigError(f"--every must be positive, got {every}")
    stopper = stopper or Stopper()
    stopper.install()
    snooze = sleep or stopper.sleep
    tables = AlertTables(store)
    outbox = Outbox(tables, clock=clock)
    facts_fn = facts_fn or CachedFacts()
    with tables.transaction() as con:  # cycles that a crash cut short
        con.execute("UPDATE alert_cycles SET status = 'interrupted' WHERE status = 'running'")
    if fetch is default_fetch:         # a SIGTERM stops the fetch between providers
        stop = stopper

        def fetch(st: Store) -> str:
            return default_fetch(st, should_stop=lambda: stop.stopped)
    cycles = 0
    reload = rules if callable(rules) else None
    current = rules() if callable(rules) else rules
    try:
        while not stopper.stopped:
            kept = None
            if reload is not None and cycles:
                try:
                    current = reload()
                except (ConfigError, StoreError) as exc:
                    # a bad file, or the store busy past the wait while the rules are stored
                    # (a long import): the last good rules run (the monitor exited for good)
                    kept = f"rules not reloaded (the last good ones run): {exc.message}"
                    log.error(kept)
            try:
                rep = run_cycle(store, clock, rules=current, notifiers=notifiers, fetch=fetch,
                                facts_fn=facts_fn, outbox=outbox)
            except StoreError as exc:
                # another process held the store past the wait (a long import): this cycle
                # is skipped and said so; the monitor keeps running and tries at the next one
                log.error("cycle skipped: %s", exc.message)
                rep = CycleReport(0, clock(), notes=[f"cycle skipped: {exc.message}"])
                rep.fetch = ("skipped: the store was busy" if "busy" in exc.message
                             else "skipped: the store could not be used")
                rep.finished = clock()
            if kept:
                rep.notes.insert(0, kept)
            cycles += 1
            log.info(rep.line())
            if on_cycle is not None:
                on_cycle(rep)
            if max_cycles is not None and cycles >= max_cycles:
                break
            next_cycle = rep.at + every
            while not stopper.stopped:
                now = clock()
                try:
                    due = outbox.next_due(now)
                except StoreError as exc:      # busy: retry the deliveries at the next cycle
                    log.error("deliveries wait for the next cycle: %s", exc.message)
                    due = None
                wake = min(next_cycle, due) if due is not None else next_cycle
                if snooze(max((wake - now).total_seconds(), 0.0)) or stopper.stopped:
                    # the sleep said it was stopped (``sleep(seconds) -> stopped``): a sleep of
                    # the caller's own that returned True started the next cycle at once
                    stopper.event.set()
                    break
                if clock() >= next_cycle:
                    break
                try:
                    outbox.deliver_due(clock(), notifiers)
                except StoreError as exc:
                    log.error("deliveries wait for the next cycle: %s", exc.message)
    finally:
        stopper.restore()
    log.info("monitor stopped after %d cycle(s)", cycles)
    return cycles
