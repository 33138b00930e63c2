import duckdb
import numpy as np
import pandas as pd
import pytest

from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.exceptions import StoreError
from spillwatch.store import Store


def obs(values, sid="x:a", start="2024-01-01"):
    ts = pd.date_range(start, periods=len(values), freq="D")
    return pd.DataFrame({"series_id": sid, "ts": ts, "value": values})


def test_upsert_is_idempotent_and_counts(store):
    first = store.upsert(obs([1.0, 2.0, 3.0]))
    assert (first.stored, first.revised, first.unchanged) == (3, 0, 0)
    again = store.upsert(obs([1.0, 2.0, 3.0]))
    assert (again.stored, again.revised, again.unchanged) == (0, 0, 3)
    assert store.count() == 3
    assert store.revisions().empty


def test_changed_value_is_updated_and_old_value_kept(store):
    store.upsert(obs([1.0, 2.0, 3.0]), run_id=1)
    counts = store.upsert(obs([1.0, 2.5, 3.0, 4.0]), run_id=2)
    assert (counts.stored, counts.revised, counts.unchanged) == (1, 1, 2)
    wide = store.wide(["x:a"])
    assert wide["x:a"].tolist() == [1.0, 2.5, 3.0, 4.0]
    rev = store.revisions("x:a")
    assert len(rev) == 1
    assert rev.loc[0, "old_value"] == 2.0 and rev.loc[0, "new_value"] == 2.5
    assert rev.loc[0, "run_id"] == 2


def test_batch_is_deduplicated_before_upsert(store):
    batch = pd.concat([obs([1.0, 2.0]), obs([1.0, 2.0])])
    counts = store.upsert(batch)
    assert counts.stored == 2
    assert store.count() == 2


def test_transaction_rolls_back_everything_on_error(store):
    store.upsert(obs([1.0]))
    with pytest.raises(RuntimeError), store.transaction() as con:
        store.upsert(obs([9.0, 9.0, 9.0], sid="x:b"), con=con)
        raise RuntimeError("boom")
    assert store.count() == 1
    assert store.wide(["x:b"])["x:b"].isna().all()


def test_catalog_and_health(store):
    spec = SeriesSpec("x:a", "A", "usd", "daily", "crypto", "x", "a", True)
    store.register_series([spec])
    store.upsert(obs([1.0, 2.0]))
    store.add_quarantine(pd.DataFrame({
        "series_id": ["x:a"], "source": ["f.csv"], "line": [3], "column": ["a"],
        "raw_date": ["2024-01-05"], "raw_value": ["-1"], "reason": ["non-positive price -1"]}))
    h = store.health().set_index("series_id")
    assert h.loc["x:a", "points"] == 2
    assert h.loc["x:a", "quarantined"] == 1
    assert pd.Timestamp(h.loc["x:a", "last_ts"]) == pd.Timestamp("2024-01-02")


def test_health_counts_two_rejected_points_apart_when_one_lacks_a_field(store):
    """`data health` counted distinct joined strings of date, value and reason, and a join
    skips a missing field: a row with date '2024-01-05' and no value and a row with no date and
    value '2024-01-05' (same reason) read as one point, 2 rows stored and 1 counted (h_mut4).
    The same point rejected again from another path still counts once."""
    spec = SeriesSpec("x:a", "A", "usd", "daily", "crypto", "x", "a", True)
    store.register_series([spec])
    rows = pd.DataFrame({
        "series_id": ["x:a", "x:a", "x:a"], "source": ["f.csv", "f.csv", "g.csv"],
        "line": [3, 4, 9], "column": ["a", "a", "a"],
        "raw_date": ["2024-01-05", None, "2024-01-05"],
        "raw_value": [None, "2024-01-05", None], "reason": ["missing field"] * 3})
    assert store.add_quarantine(rows) == 3
    assert store.health().set_index("series_id").loc["x:a", "quarantined"] == 2


def test_quarantine_is_recorded_once_per_point_and_reason(store):
    rows = pd.DataFrame({
        "series_id": ["x:a"], "source": ["f.csv"], "line": [3], "column": ["a"],
        "raw_date": ["bad"], "raw_value": ["1"], "reason": ["unparseable date 'bad'"]})
    assert store.add_quarantine(rows) == 1
    assert store.add_quarantine(rows) == 0
    assert store.count("quarantine") == 1


def test_runs_are_logged(store):
    rid = store.start_run("import", message="test")
    store.finish_run(rid, status="ok", read=5, stored=4, quarantined=1)
    runs = store.runs()
    assert runs.loc[0, "status"] == "ok" and runs.loc[0, "stored"] == 4
    assert runs.loc[0, "finished_at"] >= runs.loc[0, "started_at"]


def test_file_store_persists(tmp_path):
    path = tmp_path / "sub" / "s.duckdb"
    with Store(path) as s:
        s.upsert(obs([1.0, 2.0]))
    with Store(path, read_only=True) as s:
        assert s.count() == 2


def test_unknown_table_is_an_error(store):
    with pytest.raises(StoreError):
        store.count("nope")


def test_a_lease_holds_one_connection_and_hands_the_file_over(tmp_path):
    """A writer's lease keeps its connection between batches (other handles wait for it), and
    at each hand-over a process waiting for the file gets it."""
    import threading
    import time

    path = tmp_path / "s.duckdb"
    writer = Store(path)
    writer.upsert(obs([1.0, 2.0]))
    reader = Store(path, read_only=True, timeout=5)
    got: dict[str, float] = {}

    def read() -> None:
        t0 = time.monotonic()
        got["n"] = reader.count()
        got["waited"] = time.monotonic() - t0

    with writer.lease(hold_s=0.3, gap_s=0.1) as breathe:
        writer.upsert(obs([3.0], start="2024-02-01"))
        t = threading.Thread(target=read)
        t.start()
        time.sleep(0.1)
        assert "n" not in got                     # the lease holds the file between batches
        deadline = time.monotonic() + 3
        while t.is_alive() and time.monotonic() < deadline:
            writer.upsert(obs([4.0], start="2024-03-01"))
            breathe()
        t.join(3)
    assert got["n"] == 4 and got["waited"] < 1.0, got   # handed over within hold_s + gap_s
    with writer.session(), writer.lease(hold_s=0.0) as breathe:   # inside a session: no-op
        breathe()
        with breathe.free():
            assert writer.count() == 4
    assert Store(path, read_only=True).count() == 4
    # free(): the file is another process's to take while the block runs (a long parse)
    other = Store(path, timeout=0.2)
    with writer.lease(hold_s=60.0) as lease:
        with pytest.raises(StoreError, match="busy"):
            other.count()
        with lease.free():
            assert other.count() == 4
            other.upsert(obs([5.0], start="2024-04-01"))
        assert writer.count() == 5                 # taken again after the block
        with pytest.raises(StoreError, match="busy"):
            other.count()


def test_a_store_moved_under_a_running_process_is_not_made_again(tmp_path):
    """`mv` of the store under a server made DuckDB create a new empty file on the next
    session: silences gone, every view a 500, the monitor alerting on nothing."""
    path = tmp_path / "s.duckdb"
    store = Store(path)
    store.upsert(obs([1.0], sid="x:a"))
    path.rename(tmp_path / "away.duckdb")
    with pytest.raises(StoreError, match=r"no longer exists .*nothing was written"):
        store.query("SELECT 1")
    with pytest.raises(StoreError, match="no longer exists"), store.transaction() as con:
        con.execute("SELECT 1")
    assert not path.exists()
    (tmp_path / "away.duckdb").rename(path)        # back: it works again
    assert len(store.observations(["x:a"])) == 1


def test_duckdb_failures_are_store_errors_and_roll_back(tmp_path):
    """A full disk fails at the commit, a damaged file on a read: both came out as DuckDB
    tracebacks (exit 1) and killed the monitor, which skips a cycle on a StoreError."""
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(StoreError, match=r"the store .* failed: \w+: "), \
            store.transaction() as con:
        con.execute("INSERT INTO meta VALUES ('x', 'y')")
        con.execute("SELECT * FROM no_such_table")
    assert store.query("SELECT * FROM meta WHERE key = 'x'").empty       # rolled back
    for k in range(10):            # enough blocks that half the file loses some
        store.upsert(obs(list(np.random.default_rng(k).random(20_000)), sid=f"x:{k}",
                         start="1950-01-01"))
    store.query("CHECKPOINT")
    data = (tmp_path / "s.duckdb").read_bytes()
    damaged = tmp_path / "d.duckdb"
    damaged.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError, match="failed: IOException: "):
        Store(damaged, read_only=True).query("SELECT sum(value) FROM observations")


def test_a_store_of_a_newer_schema_is_refused_and_left_alone(tmp_path):
    """An older release set a current store's schema_version back to 1 and rewrote series in
    its own way; this one would have done the same to a v3 store. It refuses it now."""
    from spillwatch.store._schema import SCHEMA_VERSION

    path = tmp_path / "s.duckdb"
    Store(path).upsert(obs([1.0]))
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                [str(SCHEMA_VERSION + 1)])
    con.close()
    before = path.read_bytes()
    for ro in (False, True):
        with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}, written "
                                             "by a newer spillwatch"):
            Store(path, read_only=ro)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION + 1),)
    con.close()
    assert len(before) == path.stat().st_size


def test_a_checksum_failure_is_a_store_error_and_an_odd_version_is_refused(tmp_path):
    """A damaged block fails DuckDB's checksum with a plain duckdb.Error (not an IOException):
    it came out as a traceback; a schema version that is no number ('3.1') was read as an old
    store and rewritten to this version's."""
    path = tmp_path / "s.duckdb"
    store = Store(path)
    for k in range(10):
        store.upsert(obs(list(np.random.default_rng(k).random(20_000)), sid=f"x:{k}",
                         start="1950-01-01"))
    store.query("CHECKPOINT")
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(0)
    for off in range(1 << 20, len(data) - (1 << 16), 1 << 20):
        data[off:off + (1 << 16)] = rng.bytes(1 << 16)
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="failed: "):
        Store(bad, read_only=True).query("SELECT sum(value), count(*) FROM observations")
    odd = tmp_path / "odd.duckdb"
    Store(odd)
    con = duckdb.connect(str(odd))
    con.execute("UPDATE meta SET value = '3.1' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match=r"schema version '3\.1', which this spillwatch"):
        Store(odd)
    con = duckdb.connect(str(odd), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
        ("3.1",)
    con.close()
