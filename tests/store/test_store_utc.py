"""The store keeps UTC wall times whatever the machine's time zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import duckdb


def test_a_series_created_in_tokyo_is_dated_in_utc_as_its_run(tmp_path):
    """``series.created_at`` took DuckDB's DEFAULT current_timestamp, the session's local time:
    23:14 in Tokyo beside the run's 14:14 (the schema says every time is UTC)."""
    (tmp_path / "a.csv").write_text("date,x\n2025-04-07,1.5\n2025-04-08,1.6\n", "utf-8")
    db = tmp_path / "s.duckdb"
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    res = subprocess.run([sys.executable, "-m", "spillwatch", "import", str(tmp_path / "a.csv"),
                          "--db", str(db)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "TZ": "Asia/Tokyo"})
    assert res.returncode == 0, res.stderr
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with duckdb.connect(str(db), read_only=True) as con:
        (created,), = con.execute("SELECT created_at FROM series").fetchall()
        (started,), = con.execute("SELECT started_at FROM runs").fetchall()
    slack = dt.timedelta(seconds=5)
    assert before - slack <= started <= after + slack
    assert before - slack <= created <= after + slack, (created, started)
