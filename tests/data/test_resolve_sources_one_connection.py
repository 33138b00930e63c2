"""Which store series carry each asset is read in one DuckDB connection.

Each connection to a file no other connection holds starts a DuckDB database instance (12-15 ms
of CPU): ``resolve_sources`` outside a session (a past evening's first read of the store, the
workspace's stored ids) opened a demo store twice, for its series list and then its catalogue.
"""

from __future__ import annotations

from spillwatch.data.panel import resolve_sources
from spillwatch.data.source import open_source
from spillwatch.store import Store


def test_a_demo_store_s_sources_are_read_in_one_connection(tmp_path, request):
    db = tmp_path / "demo.duckdb"
    open_source("demo", db=db).close()
    store = Store(db, read_only=True)
    opened = request.getfixturevalue("duckdb_connections")
    got = resolve_sources(store, ["ust10y", "btc", "custody"], explicit=True)
    assert opened == [str(db)]
    # the demo's own market series, and custody under the real id the demo wrote it as
    assert got == {"ust10y": ["demo:ust10y"], "btc": ["demo:btc"],
                   "custody": ["fred:WMTSECL1"]}
