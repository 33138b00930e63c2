"""An import killed with SIGKILL halfway, then run again, leaves every row exactly once."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

from spillwatch.data.ingest import import_path
from spillwatch.store import Store

N_FILES = 30
N_ROWS = 6000


def make_files(folder):
    folder.mkdir()
    dates = pd.bdate_range("1990-01-01", periods=N_ROWS).strftime("%Y-%m-%d")
    for i in range(N_FILES):
        vals = np.round(np.linspace(1, 2, N_ROWS) + i, 6)
        pd.DataFrame({"date": dates, f"S{i:02d}": vals, f"T{i:02d}": vals * 2}).to_csv(
            folder / f"f{i:02d}.csv", index=False)


CHILD = textwrap.dedent("""
    import sys, time
    from spillwatch.data.ingest import import_path
    from spillwatch.store import Store
    store = Store(sys.argv[1])
    def on_file(path, report):
        print("done", path.name, flush=True)
        time.sleep(0.05)
    import_path(sys.argv[2], store, on_file=on_file)
    print("finished", flush=True)
""")


@pytest.mark.slow
def test_sigkill_mid_import_then_rerun(tmp_path):
    folder = tmp_path / "csvs"
    make_files(folder)
    db = tmp_path / "store.duckdb"
    with subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(folder)],
                          stdout=subprocess.PIPE, text=True) as proc:
        done = 0
        deadline = time.monotonic() + 120
        while done < N_FILES // 2 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.startswith("done"):
                done += 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert N_FILES // 2 <= done < N_FILES

    with Store(db) as store:
        # each file is all-or-nothing: every stored series is complete
        counts = store.query("SELECT series_id, count(*) AS n FROM observations "
                             "GROUP BY series_id")
        assert set(counts["n"]) == {N_ROWS}
        assert len(counts) >= 2 * done
        left = int(counts["n"].sum())
        report = import_path(folder, store)
        totals = report.totals
        assert totals["stored"] + totals["unchanged"] == 2 * N_FILES * N_ROWS
        assert totals["revised"] == 0
        assert store.count() == 2 * N_FILES * N_ROWS
        dupes = store.query("SELECT series_id, ts, count(*) AS n FROM observations "
                            "GROUP BY ALL HAVING n > 1")
        assert dupes.empty
        # a folder import qualifies generic columns by their file (f07.csv → csv:f07.S07)
        w = store.wide(["csv:f07.S07", "csv:f29.T29"])
        assert w["csv:f07.S07"].iloc[0] == 8.0 and w["csv:f29.T29"].iloc[-1] == 62.0
        # the killed run was marked when the next import started
        runs = store.runs().set_index("run_id")
        assert runs["status"].tolist() == ["ok", "interrupted"]
        assert "interrupted" in runs["message"].iloc[-1]
        # with the rows it left counted (it read 0 / stored 0 with thousands of its rows in)
        killed = runs[runs["status"] == "interrupted"].iloc[0]
        assert killed["stored"] == left and killed["read"] == left
        assert f"({left:,} stored, 0 revised, 0 quarantined;" in killed["message"]


def test_data_runs_shows_a_killed_run_as_interrupted_before_the_next_import(tmp_path):
    """`data runs` showed a killed import as 'running' until the next import or fetch
    recorded it; it reads 'interrupted' at once now, and the store is left as it was."""
    import json

    from typer.testing import CliRunner

    from spillwatch.cli import app

    db = tmp_path / "s.duckdb"
    store = Store(db)
    run_id = store.start_run("import", message="x")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with store.transaction() as con:
        con.execute("UPDATE runs SET pid = ?, started_at = started_at - INTERVAL 1 MINUTE "
                    "WHERE run_id = ?", [dead.pid, run_id])
    res = CliRunner().invoke(app, ["data", "runs", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    text = json.dumps(json.loads(res.stdout))
    assert '"interrupted"' in text and "its process ended before it finished" in text, text
    assert store.query("SELECT status FROM runs WHERE run_id = ?", [run_id]).iloc[0, 0] == \
        "running"                                  # read-only: recorded at the next import
