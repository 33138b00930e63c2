"""Short-lived store sessions vs DuckDB connections opened and closed for each read.

ours      : ``Store(file, read_only=True).query(...)`` outside a session, ``N`` times: each read
            takes the file lock, attaches the file to the process's DuckDB instance, reads one
            row of the catalogue, detaches and releases the lock (what the monitor, the server
            and every command do between their computations).
baseline  : ``duckdb.connect(file, read_only=True)`` + the same read + ``close()``, ``N`` times:
            the short-lived connection the store opened before (each starts a DuckDB database
            instance).
The file is a store of ../shared/data imported in a temporary folder (the real catalogue and
tables). Target: ours at most half the baseline.

A second line, ``store_wide``: ``Store.wide`` of every stored series (one column each, a row per
date) against the long frame of the same points (``Store.observations``) pivoted by pandas
(``DataFrame.pivot``), the frames checked equal. Target: ours within 1x of the baseline.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd
from _util import best_of, line, shared_data_or_exit

from spillwatch.data.ingest import import_path
from spillwatch.store import Store

#: The docstring's target: ours within this many times the baseline.
TARGET = 0.5
#: ``store_wide``'s target.
WIDE_TARGET = 1.0
#: Reads per measurement.
N = 200
SQL = "SELECT count(*) FROM series"


def ours(path: Path) -> int:
    store = Store(path, read_only=True)
    n = 0
    for _ in range(N):
        n = int(store.query(SQL).iloc[0, 0])
    return n


def baseline(path: Path) -> int:
    n = 0
    for _ in range(N):
        con = duckdb.connect(str(path), read_only=True)
        try:
            n = int(con.execute(SQL).df().iloc[0, 0])
        finally:
            con.close()
    return n


def pivoted(store: Store, ids: list[str]) -> pd.DataFrame:
    long = store.observations(ids)
    wide = long.pivot(index="ts", columns="series_id", values="value").reindex(columns=ids)
    wide.columns.name = None
    return wide.sort_index()


def main() -> None:
    root = shared_data_or_exit()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.duckdb"
        import_path(root, Store(path))
        t_base, n_base = best_of(lambda: baseline(path))
        t_ours, n_ours = best_of(lambda: ours(path))
        store = Store(path, read_only=True)
        ids = list(store.series()["series_id"])
        with store.session():
            t_pivot, want = best_of(lambda: pivoted(store, ids))
            t_wide, got = best_of(lambda: store.wide(ids))
        pd.testing.assert_frame_equal(got, want, check_freq=False)
    if n_ours != n_base or n_ours <= 0:
        raise SystemExit(f"the reads disagree: ours {n_ours} series, the baseline {n_base}")
    print(line("store_session", t_ours, t_base,
               f"reads={N} per_read_ours={t_ours / N * 1e3:.2f}ms "
               f"per_read_baseline={t_base / N * 1e3:.2f}ms", target=TARGET))
    print(line("store_wide", t_wide, t_pivot, f"series={len(ids)} dates={len(got)}",
               target=WIDE_TARGET))


if __name__ == "__main__":
    main()
