"""A store asks the catalogue about its own file, not about the others the process has open.

Sessions attach their files to one DuckDB instance per process (ff94d5b): ``information_schema``
and ``duckdb_tables()`` list the tables of every attached file. "Has this store the event
tables?" said yes for an old store without them while another store was open in the process
(a thread's, or an outer session's), and the next query failed on the missing table.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import duckdb

from spillwatch.alerts.rules import STORE_RULES_DDL, store_rules
from spillwatch.data.ingest import drop_if_empty
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables
from spillwatch.store.events import has_event_tables


def _old_store(path) -> Store:
    """A store without the event and alert tables (as an older spillwatch left it), read-only."""
    Store(path).close()
    con = duckdb.connect(str(path))
    for table in ("auctions", "event_revisions", "fx_interventions"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    return Store(path, read_only=True)


def _full_store(path) -> Store:
    store = Store(path)
    AlertTables(store)                   # makes the alert tables
    with store.transaction() as con:
        con.execute(STORE_RULES_DDL)
        con.execute("INSERT INTO api_alert_rules VALUES ('r', 'x = 1', now())")
    return store


def _answers(old: Store) -> tuple[bool, bool, dict[str, str], str]:
    return (has_event_tables(old), AlertTables(old).has_tables(), store_rules(old),
            old.data_version())


@contextlib.contextmanager
def _open_in_another_thread(store: Store) -> Iterator[None]:
    """``store``'s session held open by another thread while the block runs."""
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with store.session():
            held.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        yield
    finally:
        done.set()
        thread.join()


def test_an_old_store_beside_a_full_one_answers_for_itself(tmp_path):
    old, full = _old_store(tmp_path / "old.duckdb"), _full_store(tmp_path / "full.duckdb")
    alone = _answers(old)
    assert alone[:3] == (False, False, {})
    with full.session():                                  # the full store open around it
        assert _answers(old) == alone
    with _open_in_another_thread(full):                  # ... and open in another thread
        assert _answers(old) == alone
    assert has_event_tables(full) and AlertTables(full).has_tables()
    assert store_rules(Store(tmp_path / "full.duckdb", read_only=True)) == {"r": "x = 1"}


def test_a_refused_first_import_s_empty_store_goes_while_another_store_is_open(tmp_path):
    """``drop_if_empty`` counts the rows of its own file's tables: with a store holding alert
    tables open in another thread, a new store left empty by a refused import is removed (it
    read the other file's table names, and failed on a table its own file has not)."""
    full = _full_store(tmp_path / "full.duckdb")
    fresh = tmp_path / "new.duckdb"
    Store(fresh).close()
    with _open_in_another_thread(full):
        drop_if_empty(fresh)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new")) == []
    assert AlertTables(full).has_tables() and full.count() == 0
