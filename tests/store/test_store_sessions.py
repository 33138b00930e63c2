"""A store session attaches its file to the process's DuckDB instance and gives it back whole.

Each session used to start a DuckDB database instance of its own (about 26 ms of CPU on the
store of ../shared/data); sessions now attach the file to one in-memory instance per process
and detach it at the end (`benchmarks/bench_store.py`). What the other processes and handles
rely on must hold as before: the file free (DuckDB's lock released, a written file
checkpointed) once the last session on it ends, and handles on one file in one process's
threads taking turns at it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spillwatch.exceptions import StoreError
from spillwatch.store import Store
from spillwatch.store import duckdb as store_module
from spillwatch.store._schema import DDL, SCHEMA_VERSION

#: Another process opening the file for writing (DuckDB refuses while any process holds it).
WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print(con.execute("SELECT count(*) FROM observations").fetchone()[0])
con.close()
"""


def _obs(n: int) -> pd.DataFrame:
    return pd.DataFrame({"series_id": "s", "ts": pd.date_range("2024-01-01", periods=n),
                         "value": range(n)})


def _other_process_count(path) -> int:
    out = subprocess.run([sys.executable, "-c", WRITER, str(path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def _attached() -> set[str]:
    host = store_module._host()
    return {r[0] for r in host.con.execute(
        "SELECT database_name FROM duckdb_databases() WHERE NOT internal").fetchall()}


def test_a_written_file_is_whole_and_free_once_the_session_ends(tmp_path):
    path = tmp_path / "s.duckdb"
    store = Store(path)
    store.upsert(_obs(5))
    with store.session():
        store.upsert(_obs(8))
        assert store.count() == 8
    # checkpointed at the detach: no write-ahead log left beside it, and another process may
    # open it for writing (DuckDB's own lock released) and read every row
    assert not (tmp_path / "s.duckdb.wal").exists()
    assert _other_process_count(path) == 8
    assert not any(str(path) in n for n in _attached())


def test_a_read_session_leaves_the_file_to_a_writer(tmp_path):
    path = tmp_path / "r.duckdb"
    Store(path).upsert(_obs(3))
    reader = Store(path, read_only=True)
    for _ in range(3):
        assert reader.count() == 3
    assert _other_process_count(path) == 3
    # and the reader reads the writer's later rows on its next session
    Store(path).upsert(_obs(6))
    assert reader.count() == 6


def test_handles_in_threads_take_turns_and_leave_nothing_attached(tmp_path):
    path = tmp_path / "t.duckdb"
    Store(path).upsert(_obs(4))
    handles = [Store(path, read_only=True) for _ in range(4)]
    before = _attached()

    def read(store: Store) -> list[int]:
        out = []
        for _ in range(10):
            with store.session():
                assert len(_attached() - before) == 1     # this session's attachment only
                with store.session():                      # re-entrant, as before
                    out.append(int(store.query(
                        "SELECT max(value) AS m FROM observations")["m"].iloc[0]))
        return out

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(read, handles))
    assert got == [[3] * 10] * 4
    assert _attached() == before


def test_a_failed_open_leaves_nothing_attached(tmp_path):
    path = tmp_path / "gone.duckdb"
    store = Store(path)
    store.upsert(_obs(2))
    before = _attached()
    path.unlink()
    with pytest.raises(StoreError, match="no longer exists"):
        store.count()
    assert _attached() == before


def test_a_damaged_file_is_a_store_error_and_not_left_attached(tmp_path):
    path = tmp_path / "bad.duckdb"
    store = Store(path)
    store.upsert(_obs(2))
    raw = bytearray(path.read_bytes())
    raw[4096:8192] = b"\xff" * 4096            # the database headers
    path.write_bytes(bytes(raw))
    before = _attached()
    with pytest.raises(StoreError, match=r"cannot open the store .*bad\.duckdb"):
        Store(path, read_only=True)
    assert _attached() == before


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 20),
                          st.floats(-1e6, 1e6)), max_size=30),
       st.lists(st.sampled_from(["a", "b", "c", "zz"]), max_size=5),
       st.one_of(st.none(), st.integers(0, 20)), st.one_of(st.none(), st.integers(0, 20)))
def test_wide_places_each_point_as_a_pivot_of_the_long_frame(points, ids, lo, hi):
    """`Store.wide` fills its frame by position (DuckDB numbers each point's column): the same
    frame as the long points pivoted, for any order, repeated or unknown names and any range."""
    day = pd.Timestamp("2024-01-01")
    with Store() as store:
        if points:
            frame = pd.DataFrame(points, columns=["series_id", "n", "value"])
            frame["ts"] = day + pd.to_timedelta(frame["n"], unit="D")
            store.upsert(frame[["series_id", "ts", "value"]])
        start = None if lo is None else day + pd.Timedelta(days=lo)
        end = None if hi is None else day + pd.Timedelta(days=hi)
        long = store.observations(list(ids), start=start, end=end)
        want = long.pivot(index="ts", columns="series_id", values="value").reindex(
            columns=list(ids))
        want.columns.name = None
        got = store.wide(list(ids), start=start, end=end)
    assert list(got.columns) == list(ids)
    if len(want) or len(got):
        pd.testing.assert_frame_equal(got, want.sort_index(), check_freq=False,
                                      check_index_type=False)


def test_a_store_of_this_version_is_opened_for_writing_without_a_write(tmp_path):
    """Opening a store of the current version for writing runs no DDL and rewrites no version
    row: the file is left byte for byte (each monitor cycle, import and server start opened
    it so, a write DuckDB checkpointed at the close)."""
    path = tmp_path / "v.duckdb"
    Store(path).upsert(_obs(3))
    before = path.read_bytes()
    store = Store(path)
    assert path.read_bytes() == before
    assert store.meta("schema_version") == str(SCHEMA_VERSION) and store.count() == 3


def test_a_change_to_the_ddl_takes_a_new_schema_version():
    """A store at the current version is not given DDL again, so new statements must come with
    a new version (and this pin updated beside it)."""
    pinned = {2: "c4ad9cbeb9ef0643a323a3be4a4f18ae0dc005e817348b9d747fb62df522250e"}
    assert hashlib.sha256("\n".join(DDL).encode()).hexdigest() == pinned[SCHEMA_VERSION]


def test_a_store_from_before_the_version_row_is_given_the_tables(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.close()
    store = Store(path)
    assert store.meta("schema_version") == str(SCHEMA_VERSION) and store.count() == 0
#: A process whose files may not grow past the store's size (RLIMIT_FSIZE): a batch fits in the
#: write-ahead log, while the checkpoint at the session's end cannot grow the file (a full disk).
NO_ROOM = """
import resource, signal, sys
from spillwatch.exceptions import StoreError
from spillwatch.store import Store
path = sys.argv[1]
store = Store(path)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
size = __import__("os").path.getsize(path)
resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))
for step in ("write", "read"):
    try:
        if step == "write":
            with store.transaction() as con:
                con.execute("CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS s "
                            "FROM range(5000)")
            print("write ok")
        else:
            print("read", store.meta("schema_version"))
    except StoreError as exc:
        print(step, "failed:", exc)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE, SIGXFSZ")
def test_a_checkpoint_without_room_fails_neither_the_commit_nor_later_sessions(tmp_path):
    # a session's commit is in the WAL; its checkpoint at the detach failing (a full disk)
    # used to raise "CHECKPOINT during DETACH failed" after the write had been stored, and at
    # every later read-write session, reads included, as a connection's close never did
    path = tmp_path / "s.duckdb"
    out = subprocess.run([sys.executable, "-c", NO_ROOM, str(path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["write ok", f"read {store_module.SCHEMA_VERSION}"]
    assert "was not checkpointed" in out.stderr      # said, not silent
    assert (tmp_path / "s.duckdb.wal").exists()      # the batch waits there, not lost
    assert int(Store(path).query("SELECT count(*) AS n FROM big")["n"].iloc[0]) == 5000
    assert _other_process_count(path) == 0


def test_a_session_spills_to_the_system_temporary_folder(tmp_path, monkeypatch):
    """A query larger than memory spills to the system's temporary folder, not to ``.tmp`` in
    whatever folder the process runs in (an in-memory instance's default)."""
    monkeypatch.chdir(tmp_path)
    store = Store(tmp_path / "x.duckdb")
    spill = store.query("SELECT current_setting('temp_directory') AS d")["d"].iloc[0]
    assert Path(spill).parent == Path(tempfile.gettempdir())
    assert Path(spill).name.startswith("spillwatch-duckdb-")


def test_a_read_only_store_refuses_every_write(tmp_path):
    """A read-only handle attaches its file read-only: a statement that would write (a query's
    DELETE, a transaction's INSERT) is refused, and the file keeps its rows."""
    path = tmp_path / "ro.duckdb"
    Store(path).upsert(_obs(3))
    ro = Store(path, read_only=True)
    with pytest.raises(StoreError, match=r"ro\.duckdb failed: .*read-only mode"):
        ro.query("DELETE FROM observations")
    with pytest.raises(StoreError, match=r"read-only mode"), ro.transaction() as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', '0')")
    assert ro.count() == 3 and _other_process_count(path) == 3
    assert ro.meta("schema_version") == str(SCHEMA_VERSION)
    assert _attached() == {"memory"}


def test_a_store_of_this_version_is_not_given_the_ddl_again(tmp_path):
    """Opening a store of the current version for writing runs none of DDL: a table dropped
    from it (by hand, outside spillwatch) is not made again, while a store of an older version
    is given every table (the test above)."""
    path = tmp_path / "v.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE auctions")
    con.close()
    store = Store(path)
    tables = set(store.query("SELECT table_name FROM duckdb_tables() "
                             "WHERE database_name = current_database()")["table_name"])
    assert "auctions" not in tables and {"observations", "meta", "fx_interventions"} <= tables
    assert store.meta("schema_version") == str(SCHEMA_VERSION)


def test_handles_on_different_files_in_threads_attach_at_once(tmp_path):
    """Sessions on different files do not wait for each other's file lock, so their ATTACH and
    DETACH reach the process's one DuckDB connection at once: the host takes them in turn
    (DuckDB refuses a second call on a busy connection: "connection is busy with another
    call")."""
    stores = []
    for i in range(4):
        store = Store(tmp_path / f"s{i}.duckdb")
        store.upsert(_obs(i + 1))
        stores.append(store)

    def sessions(store: Store) -> list[int]:
        counts = []
        for _ in range(40):
            with store.session():
                counts.append(store.count())
        return counts

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(sessions, stores))
    assert got == [[i + 1] * 40 for i in range(4)]
    assert _attached() == {"memory"}


def test_a_store_in_a_folder_named_with_a_quote_is_attached(tmp_path):
    """The file's path goes into ATTACH's SQL quoted: a folder named ``o'brien`` holds a store
    like any other (a bare quote ended the string: a parser error, "cannot open the store")."""
    folder = tmp_path / "o'brien"
    folder.mkdir()
    Store(folder / "s.duckdb").upsert(_obs(4))
    assert Store(folder / "s.duckdb", read_only=True).count() == 4
    assert _other_process_count(folder / "s.duckdb") == 4
