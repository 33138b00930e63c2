"""Fixtures of the data package's tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import duckdb
import pytest

from spillwatch.store import duckdb as store_module


@pytest.fixture
def duckdb_connections(monkeypatch) -> Iterator[list[str]]:
    """The database of each DuckDB connection or attachment made after the test asks for it.

    A session on a store file attaches the file to the process's DuckDB instance (the store's
    debug log says so); an in-memory store connects (``duckdb.connect``, DuckDB's own function,
    wrapped): each is work a test of "one connection" counts.
    """
    opened: list[str] = []
    store_module._host()                  # the process's instance itself is no connection
    connect = duckdb.connect

    def counted(database=":memory:", *args, **kwargs):
        opened.append(str(database))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", counted)

    class Attached(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.msg.startswith("attached "):
                opened.append(str(record.args[0]))   # type: ignore[index]

    logger = logging.getLogger(store_module.__name__)
    handler, level = Attached(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield opened
    logger.removeHandler(handler)
    logger.setLevel(level)
