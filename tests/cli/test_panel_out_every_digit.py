"""`data panel --out` writes the stored values with every digit, as `--json` gives them.

It wrote ten significant digits: a fund's NAV of 123456789012.5 came out 1.23456789e+11
(12.5 dollars lost) and 0.1234567890123456 as 0.123456789, where `--json` of the same
command gave both whole (h_fuzz4).
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()
VALUES = [0.1234567890123456, 123456789012.5, 1e-10, -2.5e15, 3.0000000000000004]


@pytest.mark.slow   # two CLI runs on a store file, ~3 s
def test_panel_levels_round_trip_through_out(tmp_path: Path):
    days = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"]
    src = tmp_path / "fund.csv"
    src.write_text("date,fund\n" + "".join(f"{d},{v!r}\n" for d, v in zip(days, VALUES,
                                                                        strict=True)))
    db, out = tmp_path / "s.duckdb", tmp_path / "out.csv"
    assert runner.invoke(app, ["import", str(src), "--db", str(db)]).exit_code == 0
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "csv:fund",
                              "--levels", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    written = pd.read_csv(out)
    assert written["date"].tolist() == days
    assert written["csv_fund_lvl"].tolist() == VALUES
    shown = [row["csv_fund_lvl"] for row in json.loads(res.stdout)["rows"]]
    assert shown == VALUES
