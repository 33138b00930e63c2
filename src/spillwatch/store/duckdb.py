"""The embedded DuckDB store: series catalog, observations with revisions, quarantine and runs.

Short-lived connections
-----------------------
A :class:`Store` on a file is a *handle*, not an open connection: each :meth:`Store.session`
(and each :meth:`Store.query` or :meth:`Store.transaction` outside one) takes the store's file
lock ``<db>.lock`` (:mod:`filelock`), opens DuckDB, does its work, closes DuckDB and releases
the lock. Several processes — the monitor, the dashboard server, a user's CLI command — thus
take turns on one file instead of one of them owning it; a process that finds the file busy
waits up to ``timeout`` seconds (``$SPILLWATCH_STORE_WAIT_S``, default 10) and reports the wait
(:attr:`Store.waited_s`, logged when it is noticeable) or fails with a clear
:class:`~spillwatch.exceptions.StoreError`. Keep sessions short: read what you need, close,
then compute. An in-memory store (``":memory:"``) keeps its one connection for its life.

A writer of many small batches (an import of a folder: one transaction per file) holds one
connection across them with :meth:`Store.lease`, handing the file over for
:data:`LEASE_GAP_S` after each :data:`LEASE_HOLD_S` of holding: opening DuckDB and
checkpointing at each close cost as much as the writing itself (an import of ../shared/data took
5.5 s with a connection per file, 3.0 s with one), while a reader beside it still waits about a
second at most.

A session does not start a DuckDB database instance of its own: each process keeps one
in-memory instance (:func:`_host`) and a session ``ATTACH``-es the store file to it and
``DETACH``-es it at the end, which checkpoints a written file and releases DuckDB's own lock on
it as closing a connection does. Starting an instance registers DuckDB's whole catalogue of
functions (about 20 ms of CPU, in memory as on a file: 26 ms a connection opened and closed on
the store of ../shared/data, against 2 ms an attachment), and the monitor, the server and each
command open many sessions.

Every write method runs in one transaction, so a batch is stored whole or not at all: a process
killed mid-batch leaves the store as it was before that batch.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import filelock
import numpy as np
import pandas as pd

from spillwatch.config import settings
from spillwatch.exceptions import StoreError
from spillwatch.store._schema import DDL, SCHEMA_VERSION

#: Tables of events (not daily series) whose rows count in :meth:`Store.data_version`.
_EVENT_TABLES = ("auctions", "fx_interventions", "event_revisions")

MEMORY = ":memory:"
log = logging.getLogger(__name__)

#: A wait for the file lock longer than this is logged (seconds).
REPORT_WAIT_S = 0.05
#: :meth:`Store.lease`: hold the file at most this long between hand-overs (seconds) ...
LEASE_HOLD_S = 1.0
#: ... and leave it free this long at each hand-over: longer than the file lock's poll
#: interval (0.05 s), so a process waiting for it gets it (seconds).
LEASE_GAP_S = 0.1


@dataclass(frozen=True)
class UpsertCounts:
    """What one upsert did: new points, changed points (old value kept in ``revisions``), equal."""

    stored: int = 0
    revised: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.stored + other.stored, self.revised + other.revised,
                            self.unchanged + other.unchanged)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Lease:
    """What :meth:`Store.lease` yields: ``lease()`` breathes, ``lease.free()`` lets go."""

    def __init__(self, breathe: Callable[[], None], acquire: Callable[[], None] | None,
                 release: Callable[[], None] | None) -> None:
        self._breathe, self._acquire, self._release = breathe, acquire, release

    def __call__(self) -> None:
        self._breathe()

    @contextmanager
    def free(self) -> Iterator[None]:
        """Run a block with the store's file free for other processes, then take it again."""
        if self._release is None or self._acquire is None:
            yield
            return
        self._release()
        try:
            yield
        finally:
            self._acquire()


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back, if the transaction is still there to roll back (a failed commit's is not)."""
    with suppress(duckdb.Error):
        cur.execute("ROLLBACK")


class _Host:
    """The process's DuckDB instance, in memory, to which sessions attach store files.

    A file is attached once at a time: a session of one handle is re-entrant, and two handles
    on one file in one process take turns at the file lock as two processes do.
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        # where a query larger than memory spills: the system's temporary folder (an instance
        # in memory would spill to ``.tmp`` in the working folder, one on a file beside it)
        spill = Path(tempfile.gettempdir()) / f"spillwatch-duckdb-{self.pid}"
        self.con = duckdb.connect(MEMORY, config={"temp_directory": str(spill)})
        self.lock = threading.Lock()
        self.serial = 0

    def attach(self, path: str, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, str]:
        """Attach ``path`` (``ATTACH``); a connection reading it by default, and its alias."""
        with self.lock:
            self.serial += 1
            alias = f"store_{self.serial}"
            quoted = path.replace("'", "''")
            self.con.execute(f"ATTACH '{quoted}' AS {alias}"
                             + (" (READ_ONLY)" if read_only else ""))
            log.debug("attached %s as %s%s", path, alias, " (read-only)" if read_only else "")
        try:
            con = self.con.cursor()
            con.execute(f"USE {alias}")
        except BaseException:
            self.detach(alias, path)
            raise
        return con, alias

    def detach(self, alias: str, path: str) -> None:
        """Detach (``DETACH``): DuckDB checkpoints a written file and releases its lock.

        A checkpoint that fails (a full disk, a file size limit) after the file is detached is
        logged, not raised, as closing a connection passed over it: the session's commits are
        in the file's write-ahead log, which DuckDB replays at the next open (raising it told
        a committed write it had failed, and failed every later read-write session, reads
        included, until the disk had room).
        """
        with self.lock:
            try:
                self.con.execute(f"DETACH {alias}")
            except duckdb.Error as exc:
                still = self.con.execute("SELECT count(*) FROM duckdb_databases() "
                                         "WHERE database_name = ?", [alias]).fetchone()
                if still is None or still[0]:
                    raise
                log.warning("the store %s was not checkpointed (%s): its last writes stay "
                            "in %s.wal until a session can", path,
                            str(exc).splitlines()[0], path)


_HOST: _Host | None = None
_HOST_LOCK = threading.Lock()


def _keep_inherited(host: _Host) -> None:
    """Keep a host a forked child inherited alive to the child's end, never freed there.

    Its DuckDB instance's threads stayed in the parent: freeing it in the child crashed the
    child (SIGSEGV, or an abort at the interpreter's exit) or hung it. One more reference,
    never given back, keeps it through the interpreter's clean-up too.
    """
    import ctypes
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(host))


def _host() -> _Host:
    """The process's :class:`_Host` (a new one in a forked child: an instance is not shared)."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is not None and _HOST.pid != os.getpid():
            _keep_inherited(_HOST)
            _HOST = None
        if _HOST is None:
            _HOST = _Host()
        return _HOST


def _forget_host_in_child() -> None:
    """After a fork, in the child: the parent's host kept unused, and a lock nobody holds."""
    global _HOST, _HOST_LOCK
    if _HOST is not None:
        _keep_inherited(_HOST)
    _HOST, _HOST_LOCK = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_host_in_child)


def _store_error(path: str, exc: duckdb.Error) -> StoreError:
    """A DuckDB failure said as the store's (a full disk, a damaged file).

    Exit 2 with the reason, not a traceback; the monitor skips a cycle on it, not dying.
    """
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(f"the store {path} failed: {type(exc).__name__}: {msg}", path=path)


def _between(start: Any, end: Any, params: list[Any]) -> str:
    """The SQL of ``ts`` from ``start`` to ``end`` (both kept; None: open), its values added."""
    sql = ""
    if start is not None:
        sql += " AND ts >= ?"
        params.append(pd.Timestamp(start).to_pydatetime())
    if end is not None:
        sql += " AND ts <= ?"
        params.append(pd.Timestamp(end).to_pydatetime())
    return sql


def lock_path(db: str | Path) -> Path:
    """The lock file that serialises connections to a store file.

    Beside the file itself, symbolic links resolved: a store opened through a link and by its
    own path is one store (two locks let a monitor and the server fail on DuckDB's own lock).
    """
    return Path(str(Path(db).expanduser().resolve()) + ".lock")


def _is_duckdb(file: Path) -> bool:
    """Whether ``file`` starts as a DuckDB database does (``DUCK`` at byte 8 of its header)."""
    try:
        with file.open("rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return True          # unreadable: let DuckDB say why


class Store:
    """A spillwatch store in one DuckDB file (or in memory).

    Parameters
    ----------
    path : str or Path, default ":memory:"
        The database file; its folder is created when missing.
    read_only : bool, default False
        Open connections without write access (commands that only read).
    timeout : float, optional
        Longest wait (seconds) for another process's connection to close; default
        ``settings.store_wait_s``.
    on_open : callable, optional
        Called with the store inside the session that opens it: a first read there costs no
        session of its own (each session takes the file lock and attaches the file).

    Attributes
    ----------
    waited_s : float
        Total seconds this handle waited for the file lock.
    longest_wait_s : float
        The longest single wait.

    Examples
    --------
    >>> from spillwatch.store import Store
    >>> with Store() as store:
    ...     store.series().empty
    True
    """

    def __init__(self, path: str | Path = MEMORY, *, read_only: bool = False,
                 timeout: float | None = None,
                 on_open: Callable[[Store], object] | None = None) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.timeout = settings().store_wait_s if timeout is None else float(timeout)
        self.waited_s = 0.0
        self.longest_wait_s = 0.0
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._alias = "memory"      # the attachment a session's connections read by default
        self._depth = 0
        self._file_lock: filelock.BaseFileLock | None = None
        self._opened = False
        if self.in_memory:
            self._con = duckdb.connect(MEMORY)
            self._create()
            if on_open is not None:
                on_open(self)
            return
        file = Path(self.path).expanduser()
        if read_only and not file.exists():
            raise StoreError(f"no store at {self.path}", path=self.path)
        if file.is_file() and not _is_duckdb(file):
            empty = " (an empty file)" if not file.stat().st_size else ""
            raise StoreError(f"{self.path} is not a spillwatch store (a DuckDB file){empty}; "
                             "give a store with --db, or a CSV file or folder with --data",
                             path=self.path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of the store {self.path}: "
                             f"{exc.strerror or exc}", path=self.path) from None
        self._file_lock = filelock.FileLock(str(lock_path(file)), thread_local=False)
        with self.session():
            version = self._check_version()
            # a store of this version holds every table and column of DDL (a change to DDL
            # comes with a new version): writing them again, and the version row, made each
            # opening a write to checkpoint
            if not read_only and version != SCHEMA_VERSION:
                self._create()
            if on_open is not None:
                on_open(self)
        self._opened = True

    def _check_version(self) -> int | None:
        """Refuse a store a newer spillwatch wrote (its tables may mean other things).

        Returns the store's schema version (0 for a store from before it was written, None
        for a file without the ``meta`` table: a new one).
        """
        with self._lock:
            con = self._con
        if con is None:
            return None
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.Error:     # a new file, or a store from before the meta table
            return None
        raw = row[0] if row else None
        try:
            have = int(raw) if raw is not None else 0
        except ValueError:     # '3.1': not a version this one wrote, nor an older one
            raise StoreError(f"the store {self.path} has schema version {raw!r}, which "
                             f"this spillwatch (version {SCHEMA_VERSION}) does not know: "
                             "it was neither read nor changed", path=self.path) from None
        if have > SCHEMA_VERSION:
            raise StoreError(f"the store {self.path} has schema version {have}, written by a "
                             f"newer spillwatch; this one reads up to {SCHEMA_VERSION}: "
                             "upgrade spillwatch (it was neither read nor changed)",
                             path=self.path)
        return have

    @property
    def in_memory(self) -> bool:
        """Whether the store lives in memory only."""
        return self.path == MEMORY

    def __repr__(self) -> str:
        mode = "in memory" if self.in_memory else ("read-only" if self.read_only else
                                                    "read-write")
        return f"<Store {self.path} ({mode})>"

    def _create(self) -> None:
        with self.transaction() as con:
            for stmt in DDL:
                con.execute(stmt)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                        [str(SCHEMA_VERSION)])

    # -- plumbing -------------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Store]:
        """Hold one connection for a block (re-entrant); on a file, also the file lock.

        Raises
        ------
        StoreError
            Another process kept the store busy for longer than ``timeout`` seconds, or DuckDB
            cannot open the file.
        """
        with self._lock:
            if self._con is not None:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            if self._file_lock is None:     # an in-memory store, closed: its data are gone
                raise StoreError(f"the store {self.path} is closed", path=self.path)
            t0 = time.monotonic()
            locked = True
            try:
                self._file_lock.acquire(timeout=self.timeout)
            except filelock.Timeout:
                raise StoreError(
                    f"the store {self.path} is busy: another spillwatch process kept it for "
                    f"more than {self.timeout:g} s; try again, or raise "
                    "$SPILLWATCH_STORE_WAIT_S", path=self.path) from None
            except OSError as exc:
                if not self.read_only:
                    raise StoreError(
                        f"cannot create the lock file {self._file_lock.lock_file} "
                        f"({exc.strerror or exc}): a store that is written needs a writable "
                        "folder", path=self.path) from None
                # a folder nobody can write to: no spillwatch process can hold the lock (or
                # write the store), so a reader has nothing to wait for
                locked = False
            waited = time.monotonic() - t0
            self.waited_s += waited
            self.longest_wait_s = max(self.longest_wait_s, waited)
            if waited > REPORT_WAIT_S:
                log.info("waited %.2f s for the store %s", waited, self.path)
            try:
                if self._opened and not Path(self.path).expanduser().is_file():
                    # moved or deleted under a running server or monitor: DuckDB would make
                    # a new empty file (silences gone, every view a 500, the monitor alerting
                    # on nothing while it looked alive)
                    raise StoreError(f"the store {self.path} no longer exists (moved or "
                                     "deleted while this process ran); nothing was written",
                                     path=self.path)
                host = _host()
                file = str(Path(self.path).expanduser())
                try:
                    self._con, self._alias = host.attach(file, self.read_only)
                except duckdb.Error as exc:
                    raise StoreError(f"cannot open the store {self.path}: {exc}",
                                     path=self.path) from None
                self._depth = 1
                try:
                    yield self
                except duckdb.Error as exc:     # a checksum failure of a damaged file, ...
                    raise _store_error(self.path, exc) from exc
                finally:
                    con, self._con, self._depth = self._con, None, 0
                    con.close()
                    try:       # DuckDB checkpoints a written file and unlocks it
                        host.detach(self._alias, self.path)
                    except duckdb.Error as exc:
                        raise _store_error(self.path, exc) from exc
            finally:
                if locked:
                    self._file_lock.release()

    @contextmanager
    def lease(self, hold_s: float = LEASE_HOLD_S, gap_s: float = LEASE_GAP_S
              ) -> Iterator[Lease]:
        """Hold one session across many short transactions, handing the file over at times.

        Yields a :class:`Lease`: call it between units of work (files of an import); once the
        session has been held ``hold_s`` seconds, it closes the session, leaves the file free
        for ``gap_s`` seconds (a waiting process takes it then) and opens a new one. Its
        ``free()`` block runs with the session closed (a long parse: an hourly CSV of 95 MB
        held the store 59 s, and a monitor waiting on it exited). On an in-memory store, or
        inside a session the caller already holds, both do nothing.
        """
        with self._lock:        # (a session of this thread holds the lock: re-entrant)
            nested = self.in_memory or self._con is not None
        if nested:
            yield Lease(lambda: None, None, None)
            return
        held: list[Any] = []

        def acquire() -> None:
            cm = self.session()
            cm.__enter__()
            held[:] = [cm, time.monotonic()]

        def release() -> None:
            if held:
                cm = held[0]
                held.clear()
                cm.__exit__(None, None, None)

        def breathe() -> None:
            if held and time.monotonic() - held[1] >= hold_s:
                release()
                time.sleep(gap_s)      # other threads and processes take their turn here
                acquire()

        acquire()
        try:
            yield Lease(breathe, acquire, release)
        finally:
            release()

    def close(self) -> None:
        """Close the store (an in-memory store loses its data)."""
        with self._lock:
            if self.in_memory and self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection of the session's instance, reading the store's file by default."""
        assert self._con is not None
        cur = self._con.cursor()
        if not self.in_memory:
            cur.execute(f"USE {self._alias}")
        return cur

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction: committed on success, rolled back on any error."""
        with self.session():
            if self._con is None:
                raise StoreError(f"the store {self.path} is closed", path=self.path)
            cur = self._cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except duckdb.Error as exc:
                _rollback(cur)
                raise _store_error(self.path, exc) from exc
            except BaseException:
                _rollback(cur)
                raise
            else:
                try:
                    cur.execute("COMMIT")
                except duckdb.Error as exc:      # a full disk fails at the commit
                    raise _store_error(self.path, exc) from exc
            finally:
                cur.close()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        with self.session():
            if self._con is None:
                raise StoreError(f"the store {self.path} is closed", path=self.path)
            cur = self._cursor()
            try:
                return cur.execute(sql, params or []).df()
            except duckdb.Error as exc:     # a damaged file (a checksum), a full disk
                raise _store_error(self.path, exc) from exc
            finally:
                cur.close()

    def data_version(self) -> str:
        """A fingerprint of the stored data: point count, last timestamp, revision count, ...

        Changes whenever an import or fetch stores or revises a point, or an event (an auction,
        an intervention) or its revision, quarantines a point, or changes the catalog (a series'
        frequency, unit or price flag): the dashboard and the monitor recompute their analytics
        only when it changes (a weak auction imported alone went unseen by both; a user's series
        re-imported with ``frequency = "weekly"`` stayed daily in a running server, its
        /api/series and its book risk, until midnight UTC, while a new one read it weekly).
        """
        events = [t for t in _EVENT_TABLES if t in set(self.query(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "AND database_name = current_database()")["table_name"])]
        extra = "".join(f", (SELECT count(*) FROM {t}) AS {t}" for t in events)
        row = self.query("SELECT (SELECT count(*) FROM observations) AS n, "
                         "(SELECT max(ts) FROM observations) AS last_ts, "
                         "(SELECT count(*) FROM revisions) AS r, "
                         "(SELECT count(*) FROM quarantine) AS q, "
                         "(SELECT hash(string_agg(concat_ws('|', series_id, name, unit, "
                         "frequency, block, provider, symbol, positive), ',' "
                         f"ORDER BY series_id)) FROM series) AS cat{extra}").iloc[0]
        last = pd.Timestamp(row["last_ts"]).value if pd.notna(row["last_ts"]) else 0
        tail = "".join(f"-{int(row[t])}" for t in events)
        return (f"{int(row['n'])}-{last}-{int(row['r'])}{tail}-q{int(row['q'])}"
                f"-c{int(row['cat']):x}")

    # -- catalog --------------------------------------------------------------------------------
    def register_series(self, specs: Iterable[Any],
                        con: duckdb.DuckDBPyConnection | None = None) -> None:
        """Insert or update catalog entries (``SeriesSpec``-like objects or dicts)."""
        rows = [s if isinstance(s, dict) else asdict(s) for s in specs]
        if not rows:
            return
        frame = pd.DataFrame(rows)[["series_id", "name", "unit", "frequency", "block",
                                    "provider", "symbol", "positive"]]
        frame = frame.drop_duplicates("series_id", keep="last")
        with self._maybe_tx(con) as c:
            c.register("_series_new", frame)
            changed = c.execute(
                "SELECT count(*) FROM _series_new n LEFT JOIN series s USING (series_id) "
                "WHERE s.series_id IS NULL OR s.name <> n.name OR s.unit <> n.unit "
                "OR s.frequency <> n.frequency OR s.block <> n.block "
                "OR s.provider <> n.provider OR s.symbol <> n.symbol "
                "OR s.positive <> n.positive").fetchall()[0][0]
            c.unregister("_series_new")
            if not changed:
                return
            c.register("_series_batch", frame)
            # created_at given in UTC: the column's DEFAULT current_timestamp is the session's
            # local time (23:14 in Tokyo beside the runs' 14:14)
            c.execute("""
                INSERT INTO series (series_id, name, unit, frequency, block, provider, symbol,
                                    positive, created_at)
                SELECT *, ? FROM _series_batch
                ON CONFLICT (series_id) DO UPDATE SET
                    name = excluded.name, unit = excluded.unit, frequency = excluded.frequency,
                    block = excluded.block, provider = excluded.provider,
                    symbol = excluded.symbol, positive = excluded.positive
            """, [_utcnow()])
            c.unregister("_series_batch")

    def series(self) -> pd.DataFrame:
        """Return the series catalog."""
        return self.query("SELECT * FROM series ORDER BY series_id")

    @contextmanager
    def _maybe_tx(self, con: duckdb.DuckDBPyConnection | None
                  ) -> Iterator[duckdb.DuckDBPyConnection]:
        if con is not None:
            yield con
        else:
            with self.transaction() as c:
                yield c

    # -- observations ---------------------------------------------------------------------------
    def upsert(self, observations: pd.DataFrame, *, run_id: int | None = None,
               con: duckdb.DuckDBPyConnection | None = None) -> UpsertCounts:
        """Insert new points, update changed ones (keeping the old value in ``revisions``).

        Parameters
        ----------
        observations : DataFrame
            Columns ``series_id, ts, value``. Rows repeating a ``(series_id, ts)`` must agree;
            they are de-duplicated here (keep last) before the upsert.
        run_id : int, optional
            The run that wrote them.
        con : connection, optional
            An open transaction to join; by default the upsert is its own transaction.

        Returns
        -------
        UpsertCounts
        """
        if observations.empty:
            return UpsertCounts()
        batch = observations[["series_id", "ts", "value"]].drop_duplicates(
            ["series_id", "ts"], keep="last")
        batch = batch.assign(ts=pd.to_datetime(batch["ts"]).astype("datetime64[us]"),
                             value=batch["value"].astype("float64"), run_id=run_id)
        with self._maybe_tx(con) as c:
            c.register("_obs_batch", batch)
            known = c.execute("SELECT count(*) FROM observations WHERE series_id IN "
                              "(SELECT DISTINCT series_id FROM _obs_batch)").fetchall()[0][0]
            if not known:
                # fast path: none of these series has a stored point yet, so all are new
                c.execute("INSERT INTO observations SELECT series_id, ts, value, run_id "
                          "FROM _obs_batch")
                c.unregister("_obs_batch")
                return UpsertCounts(len(batch), 0, 0)
            c.execute("CREATE OR REPLACE TEMP TABLE _obs_diff AS "
                      "SELECT b.series_id, b.ts, b.value, o.value AS old_value, b.run_id "
                      "FROM _obs_batch b LEFT JOIN observations o "
                      "ON o.series_id = b.series_id AND o.ts = b.ts")
            c.unregister("_obs_batch")
            new, changed, same = c.execute(
                "SELECT count(*) FILTER (WHERE old_value IS NULL), "
                "count(*) FILTER (WHERE old_value IS NOT NULL AND old_value <> value), "
                "count(*) FILTER (WHERE old_value = value) FROM _obs_diff").fetchall()[0]
            if changed:
                c.execute("INSERT INTO revisions (series_id, ts, old_value, new_value, "
                          "revised_at, run_id) SELECT series_id, ts, old_value, value, ?, run_id "
                          "FROM _obs_diff WHERE old_value IS NOT NULL AND old_value <> value",
                          [_utcnow()])
                c.execute("UPDATE observations o SET value = d.value, run_id = d.run_id "
                          "FROM _obs_diff d WHERE o.series_id = d.series_id AND o.ts = d.ts "
                          "AND d.old_value IS NOT NULL AND d.old_value <> d.value")
            if new:
                c.execute("INSERT INTO observations SELECT series_id, ts, value, run_id "
                          "FROM _obs_diff WHERE old_value IS NULL")
            c.execute("DROP TABLE _obs_diff")
        return UpsertCounts(int(new), int(changed), int(same))

    def observations(self, series_ids: Sequence[str] | None = None, *,
                     start: Any = None, end: Any = None) -> pd.DataFrame:
        """Return stored points as a long frame ``series_id, ts, value`` (sorted)."""
        sql = "SELECT series_id, ts, value FROM observations WHERE 1=1"
        params: list[Any] = []
        if series_ids is not None:
            if not series_ids:
                return pd.DataFrame({"series_id": [], "ts": pd.to_datetime([]), "value": []})
            sql += " AND series_id IN (SELECT unnest(?))"
            params.append(list(series_ids))
        sql += _between(start, end, params)
        return self.query(sql + " ORDER BY series_id, ts", params)

    def wide(self, series_ids: Sequence[str], *, start: Any = None, end: Any = None
             ) -> pd.DataFrame:
        """Return stored points as a wide frame: one column per series, indexed by ``ts``.

        The points are placed by position (each point's column as DuckDB numbers it in
        ``series_ids``, its row by its sorted date): a third of the time of pandas' ``pivot``
        of the long frame on the store of ../shared/data (183 series, 690,000 points).
        """
        names = list(dict.fromkeys(series_ids))
        if not names:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="ts"), columns=list(series_ids))
        sql = ("SELECT CAST(list_position(?, series_id) AS INTEGER) - 1 AS col, ts, value "
               "FROM observations WHERE series_id IN (SELECT unnest(?))")
        params: list[Any] = [names, names]
        sql += _between(start, end, params)
        long = self.query(sql, params)
        ts = long["ts"].to_numpy()
        if ts.dtype.kind != "M":          # no rows: DuckDB's frame may type the column as object
            ts = ts.astype("datetime64[us]")
        days, row = np.unique(ts.view("int64"), return_inverse=True)
        values = np.full((len(days), len(names)), np.nan)
        values[row, long["col"].to_numpy(dtype="int64")] = long["value"].to_numpy(dtype="float64")
        wide = pd.DataFrame(values, index=pd.DatetimeIndex(days.view(ts.dtype), name="ts"),
                            columns=names)
        return wide if len(names) == len(series_ids) else wide[list(series_ids)]

    def count(self, table: str = "observations") -> int:
        """Return the number of rows of a table."""
        if table not in {"observations", "revisions", "quarantine", "runs", "series", "auctions",
                         "fx_interventions", "event_revisions"}:
            raise StoreError(f"unknown table {table!r}")
        return int(self.query(f"SELECT count(*) AS n FROM {table}")["n"].iloc[0])

    def health(self) -> pd.DataFrame:
        """Return per series: first and last point, point count, quarantined and revised counts."""
        return self.query("""
            SELECT s.series_id, s.name, s.provider, s.frequency, s.unit,
                   o.first_ts, o.last_ts, coalesce(o.n, 0) AS points,
                   coalesce(q.n, 0) AS quarantined, coalesce(r.n, 0) AS revisions
            FROM series s
            LEFT JOIN (SELECT series_id, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS n
                       FROM observations GROUP BY series_id) o USING (series_id)
            LEFT JOIN (SELECT series_id,   -- a point rejected again from another path: once
                              -- (a row, not a joined string: concat_ws skips NULLs, so a
                              -- blank date with value X and a date X with no value were one)
                              count(DISTINCT (raw_date, raw_value, reason)) AS n
                       FROM quarantine GROUP BY series_id) q
                USING (series_id)
            LEFT JOIN (SELECT series_id, count(*) AS n FROM revisions GROUP BY series_id) r
                USING (series_id)
            ORDER BY s.series_id
        """)

    def meta(self, key: str) -> str | None:
        """A value of the store's ``meta`` table (None when absent)."""
        frame = self.query("SELECT value FROM meta WHERE key = ?", [key])
        return None if frame.empty else str(frame["value"].iloc[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the store's ``meta`` table."""
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def last_points(self) -> dict[str, pd.Timestamp]:
        """Return the timestamp of the last stored point of each series."""
        frame = self.query("SELECT series_id, max(ts) AS last_ts FROM observations "
                           "GROUP BY series_id")
        return dict(zip(frame["series_id"], pd.to_datetime(frame["last_ts"]), strict=True))

    def revisions(self, series_id: str | None = None) -> pd.DataFrame:
        """Return the revision history (optionally of one series)."""
        if series_id is None:
            return self.query("SELECT * FROM revisions ORDER BY series_id, ts, revised_at")
        return self.query("SELECT * FROM revisions WHERE series_id = ? ORDER BY ts, revised_at",
                          [series_id])

    # -- quarantine -----------------------------------------------------------------------------
    def add_quarantine(self, rows: pd.DataFrame, *, run_id: int | None = None,
                       con: duckdb.DuckDBPyConnection | None = None) -> int:
        """Record rejected points; a point already quarantined for the same reason is kept once.

        Returns the number of rows newly recorded.
        """
        if rows.empty:
            return 0
        frame = rows[["series_id", "source", "line", "column", "raw_date", "raw_value",
                      "reason"]].copy()
        frame["line"] = frame["line"].astype("Int64")
        frame = frame.astype({c: "object" for c in ("series_id", "source", "column", "raw_date",
                                                    "raw_value", "reason")})
        frame = frame.drop_duplicates(["series_id", "source", "line", "reason"])
        frame["created_at"] = _utcnow()
        frame["run_id"] = run_id
        with self._maybe_tx(con) as c:
            before = c.execute("SELECT count(*) FROM quarantine").fetchall()[0]
            c.register("_q_batch", frame)
            c.execute('INSERT INTO quarantine (series_id, source, line, "column", raw_date, '
                      "raw_value, reason, created_at, run_id) SELECT * FROM _q_batch "
                      "ON CONFLICT DO NOTHING")
            c.unregister("_q_batch")
            after = c.execute("SELECT count(*) FROM quarantine").fetchall()[0]
        return int(after[0] - before[0])

    def resolve_quarantine(self, source: str, keep: pd.DataFrame, *,
                           con: duckdb.DuckDBPyConnection | None = None) -> int:
        """Remove the quarantine rows of ``source`` that its latest import no longer rejects.

        ``keep``: the rows that import rejected (``series_id``, ``line``, ``reason``). A file
        fixed by hand, or imported by a release that now reads what an older one rejected,
        left its old rows in the quarantine for ever (6,292 rows in `data health` against 237
        on a fresh store). Returns the number removed.
        """
        with self._maybe_tx(con) as c:      # most files have none: no frame to register
            had = c.execute("SELECT count(*) FROM quarantine WHERE source = ?",
                            [source]).fetchall()[0][0]
        if not had:
            return 0
        k = pd.DataFrame({"series_id": keep["series_id"].astype(object),
                          "line": keep["line"].astype("Int64"),
                          "reason": keep["reason"].astype(object)}) if len(keep) else \
            pd.DataFrame({"series_id": pd.Series([], dtype=object),
                          "line": pd.Series([], dtype="Int64"),
                          "reason": pd.Series([], dtype=object)})
        with self._maybe_tx(con) as c:
            c.register("_q_keep", k)
            n = c.execute(
                "SELECT count(*) FROM quarantine q WHERE q.source = ? AND NOT EXISTS (SELECT 1 "
                "FROM _q_keep k WHERE k.series_id = q.series_id AND k.line IS NOT DISTINCT "
                "FROM q.line AND k.reason = q.reason)", [source]).fetchall()[0][0]
            if n:
                c.execute(
                    "DELETE FROM quarantine q WHERE q.source = ? AND NOT EXISTS (SELECT 1 FROM "
                    "_q_keep k WHERE k.series_id = q.series_id AND k.line IS NOT DISTINCT FROM "
                    "q.line AND k.reason = q.reason)", [source])
            c.unregister("_q_keep")
        return int(n)

    def quarantine(self, series_id: str | None = None) -> pd.DataFrame:
        """Return quarantined points (optionally of one series)."""
        if series_id is None:
            return self.query("SELECT * FROM quarantine ORDER BY series_id, source, line")
        return self.query("SELECT * FROM quarantine WHERE series_id = ? ORDER BY source, line",
                          [series_id])

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self, kind: str, message: str | None = None) -> int:
        """Record the start of a run (with this process's id) and return its id."""
        with self.transaction() as c:
            run_id = int(c.execute("SELECT nextval('run_ids')").fetchall()[0][0])
            c.execute("INSERT INTO runs (run_id, kind, started_at, status, message, pid) "
                      "VALUES (?, ?, ?, 'running', ?, ?)",
                      [run_id, kind, _utcnow(), message, os.getpid()])
        return run_id

    def finish_run(self, run_id: int, *, status: str = "ok", read: int = 0, stored: int = 0,
                   unchanged: int = 0, revised: int = 0, quarantined: int = 0,
                   message: str | None = None) -> None:
        """Record the end of a run with its counts."""
        with self.transaction() as c:
            c.execute("UPDATE runs SET finished_at = ?, status = ?, read = ?, stored = ?, "
                      "unchanged = ?, revised = ?, quarantined = ?, "
                      "message = coalesce(?, message) WHERE run_id = ?",
                      [_utcnow(), status, read, stored, unchanged, revised, quarantined,
                       message, run_id])

    def runs(self) -> pd.DataFrame:
        """Return the run log, newest first."""
        return self.query("SELECT * FROM runs ORDER BY run_id DESC")
