"""Alert tables of the store: rule states, transitions with their values, groups, silences, outbox.

The tables are created idempotently the first time an :class:`AlertTables` is opened on a store
(``CREATE ... IF NOT EXISTS``), so a store written before alerts existed gains them on first use.

Tables
------
``alert_state``        one row per alert instance (fingerprint): its lifecycle state, since when,
                       the values of its last evaluation and when it was last notified.
``alert_transitions``  every state change (inactive → pending → firing → resolved) with the time,
                       the values that caused it and a reason.
``alert_groups``       per notification group and receiver: when it was last notified and which
                       fingerprints were firing then (for ``repeat_interval`` and change detection).
``alert_silences``     silences: a rule name and/or label matchers, an expiry, a comment.
``alert_outbox``       notifications to deliver: one row per (group, receiver, decision) with its
                       idempotency key, payload, attempts, next attempt time and status
                       (``pending`` → ``sent``).
``alert_attempts``     every delivery attempt: key, time, outcome, HTTP status or error.

Timestamps are naive ``TIMESTAMP`` values holding UTC wall time, like the rest of the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from spillwatch.store.duckdb import Store

ALERT_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS alert_state (
        fingerprint VARCHAR PRIMARY KEY,
        rule VARCHAR NOT NULL,
        labels VARCHAR NOT NULL,
        group_key VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        active_since TIMESTAMP,
        fired_at TIMESTAMP,
        resolved_at TIMESTAMP,
        last_eval TIMESTAMP,
        last_value DOUBLE,
        "values" VARCHAR,
        note VARCHAR,
        silenced BOOLEAN DEFAULT false
    )""",
    # the summary as the engine rendered it at the last evaluation (stores of earlier
    # versions gain the column)
    """ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS summary VARCHAR""",
    # when a firing alert's conditions stopped holding (kept firing for its rule's
    # keep_firing_for); NULL while they hold
    """ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS cleared_since TIMESTAMP""",
    # the firing alert that holds this one back (``rule for asset=btc``, the rule's
    # inhibited_by), at the last evaluation; NULL when none does
    """ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS inhibited_by VARCHAR""",
    # the value as the summary prints it (digits that keep its order against the rule's
    # threshold: 2433.4 for a rule "> 2433"), for tables that show the value without the rule
    """ALTER TABLE alert_state ADD COLUMN IF NOT EXISTS value_text VARCHAR""",
    """CREATE SEQUENCE IF NOT EXISTS alert_transition_ids START 1""",
    """CREATE TABLE IF NOT EXISTS alert_transitions (
        id BIGINT PRIMARY KEY,
        fingerprint VARCHAR NOT NULL,
        rule VARCHAR NOT NULL,
        labels VARCHAR NOT NULL,
        from_state VARCHAR NOT NULL,
        to_state VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        value DOUBLE,
        "values" VARCHAR,
        reason VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS alert_groups (
        group_key VARCHAR NOT NULL,
        receiver VARCHAR NOT NULL,
        last_sent_at TIMESTAMP,
        last_firing VARCHAR NOT NULL DEFAULT '[]',
        PRIMARY KEY (group_key, receiver)
    )""",
    """CREATE TABLE IF NOT EXISTS alert_silences (
        id VARCHAR PRIMARY KEY,
        rule VARCHAR,
        matchers VARCHAR NOT NULL DEFAULT '{}',
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        comment VARCHAR,
        created_by VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS alert_outbox (
        idempotency_key VARCHAR PRIMARY KEY,
        group_key VARCHAR NOT NULL,
        receiver VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        fingerprints VARCHAR NOT NULL,
        payload VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        next_attempt_at TIMESTAMP NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at TIMESTAMP,
        last_error VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS alert_attempts (
        idempotency_key VARCHAR NOT NULL,
        attempt INTEGER NOT NULL,
        ts TIMESTAMP NOT NULL,
        ok BOOLEAN NOT NULL,
        http_status INTEGER,
        error VARCHAR,
        PRIMARY KEY (idempotency_key, attempt)
    )""",
    """CREATE TABLE IF NOT EXISTS alert_cycles (
        cycle_id BIGINT PRIMARY KEY,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        as_of DATE,
        status VARCHAR NOT NULL,
        facts INTEGER,
        firing INTEGER,
        enqueued INTEGER,
        sent INTEGER,
        message VARCHAR
    )""",
)

_TABLES = ("alert_state", "alert_transitions", "alert_groups", "alert_silences", "alert_outbox",
           "alert_attempts", "alert_cycles")


class AlertTables:
    """The alert tables of one store, created on first use.

    Parameters
    ----------
    store : Store
        An open, writable store (or a read-only one whose file already has the tables).

    Examples
    --------
    >>> from spillwatch.store import Store
    >>> from spillwatch.store.alerts import AlertTables
    >>> with Store() as s:
    ...     AlertTables(s).frame("alert_state").empty
    True
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        if not store.read_only:
            with store.transaction() as con:
                for stmt in ALERT_DDL:
                    con.execute(stmt)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction on the store (committed on success, rolled back on error)."""
        with self.store.transaction() as con:
            yield con

    def frame(self, table: str, where: str = "", params: list[object] | None = None,
              order: str = "") -> pd.DataFrame:
        """Return rows of one alert table as a DataFrame."""
        if table not in _TABLES:
            raise ValueError(f"unknown alert table {table!r}; choose one of {_TABLES}")
        if not self.has_tables():
            return pd.DataFrame()
        sql = f"SELECT * FROM {table}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        return self.store.query(sql, params or [])

    def has_tables(self) -> bool:
        """Whether the store has the alert tables (a read-only store may not)."""
        got = self.store.query("SELECT count(*) AS n FROM information_schema.tables "
                               "WHERE table_name = 'alert_outbox' "
                               "AND table_catalog = current_database()")
        return bool(got["n"].iloc[0])
