import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_run_demo_writes_self_contained_report(tmp_path):
    out = tmp_path / "rep"
    res = runner.invoke(app, ["run", "--demo", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "SIMULATED" in res.output
    html = (out / "report.html").read_text()
    assert "SIMULATED DATA" in html
    # plotly.js is inlined: no script is loaded from the network
    assert not re.search(r"<script[^>]+src=", html)
    assert 'src="https://cdn.plot.ly' not in html
    assert html.count("Plotly.newPlot") >= 3


def test_import_and_data_commands(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("date,A\n2024-01-01,1\n2024-01-02,x\n")
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["totals"]["stored"] == 1 and doc["totals"]["quarantined"] == 1
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--json"])
    assert json.loads(res.stdout)["totals"]["unchanged"] == 1
    res = runner.invoke(app, ["data", "quarantine", "--db", str(db), "--json"])
    rows = json.loads(res.stdout)["rows"]
    assert rows[0]["reason"] == "non-numeric value 'x'" and rows[0]["line"] == 3
    res = runner.invoke(app, ["data", "runs", "--db", str(db), "--json"])
    assert len(json.loads(res.stdout)["rows"]) == 2


def test_clear_error_exit_code(tmp_path):
    res = runner.invoke(app, ["import", str(tmp_path / "missing.csv"), "--db",
                              str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2
    assert "no such file" in res.output
    res = runner.invoke(app, ["run", "--db", str(tmp_path / "none.duckdb"), "--no-fetch"]
                        if False else ["data", "health", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2 and "no store at" in res.output


def test_panel_command_demo(tmp_path):
    out = tmp_path / "p.csv"
    res = runner.invoke(app, ["data", "panel", "--demo", "--asset", "ust10y", "--asset", "btc",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text().splitlines()[0] == "date,ust10y_bp,btc_pct"


def test_python_dash_m_entry_point():
    res = subprocess.run([sys.executable, "-m", "spillwatch", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0 and "run" in res.stdout


def test_out_csv_that_cannot_be_written_is_a_clear_error(tmp_path):
    target = tmp_path / "missing" / "stress.csv"
    res = runner.invoke(app, ["stress", "--demo", "--out", str(target)])
    assert res.exit_code == 2
    assert f"error: cannot write {target}" in res.output
    assert not target.parent.exists()
