"""Opening a store file reads what it needs in one DuckDB connection.

Each connection to a file no other connection holds starts a DuckDB database instance (12-15 ms
of CPU, 20-45 ms on the 2-core machine, as much for one in memory): ``open_source(FILE)``, which
every ``--db`` command and ``Workspace(open_source(...))`` make, opened the file once to check
its schema version and again to ask whether it holds the demo market.
"""

from __future__ import annotations

from spillwatch.data.source import open_source
from spillwatch.store import Store


def test_opening_a_store_file_is_one_connection_with_the_same_label(tmp_path, request):
    demo, plain = tmp_path / "demo.duckdb", tmp_path / "plain.duckdb"
    open_source("demo", db=demo).close()
    Store(plain).close()
    opened = request.getfixturevalue("duckdb_connections")
    for read_only in (True, False):
        with open_source(demo, read_only=read_only) as src:
            assert src.simulated and src.label == f"store {demo} (the simulated demo market)"
        with open_source(None, db=plain, read_only=read_only) as src:
            assert not src.simulated and src.label == f"store {plain}"
    assert opened == [str(demo), str(plain)] * 2
