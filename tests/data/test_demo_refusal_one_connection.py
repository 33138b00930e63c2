"""Whether a store holds real data is read in one DuckDB connection before ``--demo`` writes.

Each connection to a file no other connection holds starts a DuckDB database instance (12-15 ms
of CPU): ``open_source("demo", db=FILE)`` (``--demo --db FILE``, ``Workspace("demo", db=...)``)
asked its three questions (real series, real auctions, real interventions) in three.
"""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.data.source import _refuse_real_store, open_source
from spillwatch.exceptions import DataError
from spillwatch.store import Store


def test_the_demo_s_check_of_a_store_is_one_connection_and_says_the_same(tmp_path, request):
    demo, real = tmp_path / "demo.duckdb", tmp_path / "real.duckdb"
    open_source("demo", db=demo).close()
    (tmp_path / "a.csv").write_text("date,x\n2025-04-07,1.5\n2025-04-08,1.6\n", "utf-8")
    open_source(tmp_path / "a.csv", db=real).close()
    opened = request.getfixturevalue("duckdb_connections")
    _refuse_real_store(Store(demo))                       # the demo's own store: written again
    with pytest.raises(DataError) as refused:
        _refuse_real_store(Store(real))
    assert opened == [str(demo)] * 2 + [str(real)] * 2    # each Store's opening, then the check
    assert str(refused.value).startswith(f"--demo would write the simulated market into {real}, "
                                         "which holds 1 series of real data (e.g. csv:")
    assert " rows of real data" not in str(refused.value)
    assert pd.Timestamp("2025-04-08") == Store(real, read_only=True).observations()["ts"].max()
