"""Options the CLI must refuse or honour (h_mut21's mutants of ``cli.data`` and
``cli.scenario`` that no test saw)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def test_a_preset_and_sellers_at_once_are_refused_before_the_data_are_read(tmp_path):
    res = runner.invoke(app, ["scenario", "japan-10pct", "--seller", "japan:100e9:4w",
                              "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2
    assert "give either a PRESET or one or more --seller" in res.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_column_options_beside_a_mapping_file_are_refused(tmp_path):
    csv = tmp_path / "fund.csv"
    csv.write_text("day,nav\n2025-04-08,101.5\n")
    mapping = tmp_path / "map.toml"
    mapping.write_text('provider = "csv"\ndate_column = "day"\n')
    res = runner.invoke(app, ["import", str(csv), "--db", str(tmp_path / "s.duckdb"),
                              "--mapping", str(mapping), "--provider", "fund"])
    assert res.exit_code == 2
    assert "not both (--provider given with --mapping" in res.stderr


@pytest.mark.slow
def test_panel_levels_are_levels():
    res = runner.invoke(app, ["data", "panel", "--demo", "--asset", "ust10y", "--levels",
                              "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert set(rows[-1]) == {"date", "ust10y_pct"}        # a level in %, not a change in bp
    assert 0 < rows[-1]["ust10y_pct"] < 20
