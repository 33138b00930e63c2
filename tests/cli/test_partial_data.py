"""A store holding only some inputs: commands say what is missing, in one line each."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def rates_only(tmp_path_factory) -> str:
    """A store with the Treasury curve (2y, 10y, 30y) of two years and nothing else."""
    from spillwatch.data.ingest import import_path
    from spillwatch.store import Store

    folder = tmp_path_factory.mktemp("rates")
    (folder / "fred").mkdir()
    days = pd.bdate_range("2023-01-02", periods=520)
    rng = np.random.default_rng(5)
    for sid, level in (("DGS2", 4.2), ("DGS10", 3.9), ("DGS30", 4.0)):
        y = level + np.cumsum(rng.normal(0, 0.05, len(days)))
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"), sid: y.round(2)}).to_csv(
            folder / "fred" / f"{sid}.csv", index=False)
    db = folder / "rates.duckdb"
    with Store(db) as store:
        import_path(folder, store)
    return str(db)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spillwatch", *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})


@pytest.mark.slow
def test_report_names_sections_it_cannot_build_without_a_traceback(rates_only, tmp_path):
    res = _cli("report", "--db", rates_only, "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    failed = [x for x in res.stdout.splitlines() + res.stderr.splitlines()
              if "failed" in x.lower()]
    assert failed, res.stdout + res.stderr          # some sections need inputs it lacks
    assert "spx" in res.stdout + res.stderr        # ... and the message names one
    assert (tmp_path / "report.html").exists()


def test_stress_lists_missing_inputs_in_text_output(rates_only):
    res = _cli("stress", "--db", rates_only)
    assert res.returncode == 0, res.stderr
    assert "missing inputs:" in res.stdout and "usd_broad" in res.stdout, res.stdout


def test_a_store_of_ones_own_series_only_says_so(tmp_path):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    f = tmp_path / "fund.csv"
    days = pd.bdate_range("2024-01-02", periods=30)
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "MYFUND": np.linspace(100, 110, 30)}
                 ).to_csv(f, index=False)
    db = str(tmp_path / "own.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(f), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["data", "panel", "--db", db])
    assert res.exit_code == 2
    assert "it holds your own series csv:MYFUND: name them as the assets (e.g. csv:MYFUND)" \
        in " ".join(res.output.split())
    res = runner.invoke(app, ["data", "panel", "--db", db, "--asset", "csv:MYFUND"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", db])
    assert res.exit_code == 2
    assert "the scenario model needs market series (ust2y, ust5y, ust10y" in \
        " ".join(res.output.split())
