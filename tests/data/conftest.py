"""Fixtures of the data package's tests."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture
def duckdb_connections(monkeypatch) -> list[str]:
    """The database of each ``duckdb.connect`` made after the test asks for it (DuckDB's own
    function, wrapped: each connection to a file no other connection holds starts a database
    instance, 12-15 ms of CPU)."""
    opened: list[str] = []
    connect = duckdb.connect

    def counted(database=":memory:", *args, **kwargs):
        opened.append(str(database))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", counted)
    return opened
