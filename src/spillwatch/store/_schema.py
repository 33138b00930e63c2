"""The DuckDB schema of the store, created idempotently on open.

Timestamps are ``TIMESTAMP`` holding UTC wall time (daily points at 00:00 UTC); DuckDB's
``TIMESTAMPTZ`` would make every read depend on the session time zone.

Tables
------
``series``       catalog: id, name, unit, frequency, asset block, provider, symbol, positivity rule.
``observations`` one value per ``(series_id, ts)``; the primary key makes re-imports idempotent.
``revisions``    the old value each time an observation changed.
``quarantine``   rejected points with where they came from and why; unique per point and reason.
``runs``         every pipeline run or import: start, end, status and counts, and the process id
                 that started it (a run left ``running`` by a killed process is marked
                 ``interrupted`` by the next import or fetch).
``meta``         key/value facts about the store (schema version).
``auctions``, ``fx_interventions``, ``event_revisions``
                 events that are not daily series (several Treasury auctions on one date, two
                 interventions on one day): see :mod:`spillwatch.store.events`.
"""

from __future__ import annotations

#: The version of :data:`DDL`: any change to it takes a new version (a store opened for
#: writing runs DDL only when its version differs; tests/store/test_store_sessions.py holds the
#: statements of each version).
SCHEMA_VERSION = 2

DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS series (
        series_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        unit VARCHAR NOT NULL,
        frequency VARCHAR NOT NULL,
        block VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        symbol VARCHAR NOT NULL,
        positive BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )""",
    """CREATE TABLE IF NOT EXISTS observations (
        series_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        value DOUBLE NOT NULL,
        run_id BIGINT,
        PRIMARY KEY (series_id, ts)
    )""",
    """CREATE TABLE IF NOT EXISTS revisions (
        series_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        old_value DOUBLE NOT NULL,
        new_value DOUBLE NOT NULL,
        revised_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        run_id BIGINT
    )""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        series_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        line BIGINT,
        "column" VARCHAR,
        raw_date VARCHAR,
        raw_value VARCHAR,
        reason VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        run_id BIGINT,
        UNIQUE (series_id, source, line, reason)
    )""",
    """CREATE SEQUENCE IF NOT EXISTS run_ids START 1""",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id BIGINT PRIMARY KEY,
        kind VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        status VARCHAR NOT NULL,
        read BIGINT DEFAULT 0,
        stored BIGINT DEFAULT 0,
        unchanged BIGINT DEFAULT 0,
        revised BIGINT DEFAULT 0,
        quarantined BIGINT DEFAULT 0,
        message VARCHAR
    )""",
    # version 2: the process that started a run (to mark runs of killed processes)
    """ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid BIGINT""",
    """CREATE TABLE IF NOT EXISTS auctions (
        auction_date DATE NOT NULL,
        cusip VARCHAR NOT NULL,
        tenor VARCHAR NOT NULL,
        term VARCHAR NOT NULL,
        reopening BOOLEAN NOT NULL,
        security_type VARCHAR,
        size_bn DOUBLE,
        high_yield DOUBLE,
        median_yield DOUBLE,
        bid_to_cover DOUBLE,
        dealer_pct DOUBLE,
        direct_pct DOUBLE,
        indirect_pct DOUBLE,
        dispersion_bp DOUBLE,
        source VARCHAR NOT NULL,
        line BIGINT,
        run_id BIGINT,
        PRIMARY KEY (auction_date, cusip)
    )""",
    """CREATE TABLE IF NOT EXISTS fx_interventions (
        intervention_date DATE NOT NULL,
        currency_pair VARCHAR NOT NULL,
        direction VARCHAR NOT NULL,
        amount_jpy_bn DOUBLE NOT NULL,
        source VARCHAR NOT NULL,
        line BIGINT,
        run_id BIGINT,
        PRIMARY KEY (intervention_date, currency_pair, direction)
    )""",
    """CREATE TABLE IF NOT EXISTS event_revisions (
        table_name VARCHAR NOT NULL,
        event_key VARCHAR NOT NULL,
        old_values VARCHAR NOT NULL,
        new_values VARCHAR NOT NULL,
        revised_at TIMESTAMP NOT NULL,
        run_id BIGINT
    )""",
)
