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
