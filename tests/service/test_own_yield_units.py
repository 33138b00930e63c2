"""An own yield imported with its unit spelled "%" or "Percent" is a yield, as "pct" is."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.cli import app
from spillwatch.data.providers.demo import write_demo
from spillwatch.store import Store

runner = CliRunner()


@pytest.mark.parametrize("unit", ["%", "Percent", "PCT"])
def test_a_yield_in_percent_spelled_otherwise_loses_on_its_rises(tmp_path, rng, unit):
    """The importer reads a column of unit "%", "Percent" or "PCT" as percent, but `risk`
    read such a yield as a plain level: its VaR on the falls (`loss_when` "fall") in
    percentage points, not on the rises in bp. The 10-year of ../shared/data imported with
    unit = "%" gave a 99% ES of 0.168 (the falls) where unit = "pct" gives 16.2 bp."""
    db = tmp_path / "y.duckdb"
    with Store(db) as store:
        write_demo(store)
    dates = pd.bdate_range("2019-03-01", "2026-10-30")
    # small steps up, rare large falls: the two tails differ
    steps = np.where(rng.random(len(dates)) < 0.03, -rng.exponential(0.15, len(dates)),
                     rng.exponential(0.01, len(dates)))
    level = 1.0 + np.cumsum(steps) - np.linspace(0, np.cumsum(steps)[-1] - 0.5, len(dates))
    csv = tmp_path / "jgb.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"),
                  "y": [f"{v:.4f}" for v in level]}).to_csv(csv, index=False)
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'[columns.y]\nseries_id = "csv:JGB10"\nunit = "{unit}"\n')
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--mapping", str(mapping)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["risk", "--db", str(db), "--assets", "csv:JGB10", "--json",
                              "--no-backtest", "--methods", "historical"])
    assert res.exit_code == 0, res.output
    t = json.loads(res.stdout)["var_es"]["table"]
    row = dict(zip(t["columns"], t["data"][0], strict=True))
    assert row["series"] == "csv_jgb10_bp"
    assert row["loss_when"] == "rise"
    x = sw.load(db, assets=["csv:JGB10"])["csv_jgb10_bp"].dropna().iloc[-500:].to_numpy()
    assert row["var"] == pytest.approx(np.sort(x)[-5], rel=1e-9)   # the 5th largest rise, bp
