"""Spillover's note on the series that start every window names them in one order whatever the
process's string hashes (they were a set's: `spillover --json` of one store printed "btc_pct
begins 2018-01-03, csv_froz_pct begins 2018-01-03" under PYTHONHASHSEED=1 and the other order
under 2, so two runs of one command differed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

_SCRIPT = """
import json, sys
from spillwatch.data.source import open_source
from spillwatch.service import spillover
from spillwatch.service.workspace import Workspace
with Workspace(open_source(sys.argv[1], read_only=True)) as ws:
    rep = spillover.spillover(ws, assets=("csv:FA", "csv:FB", "csv:FC"), window=60)
print(json.dumps([n for n in rep.notes if n.startswith("every window starts")]))
"""


@pytest.mark.slow
def test_the_late_starters_are_named_in_the_panel_s_order_whatever_the_hashes(tmp_path):
    rng = np.random.default_rng(5)
    days = pd.bdate_range("2020-01-02", "2026-10-30")
    late = days >= pd.Timestamp("2024-01-02")
    px = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, (len(days), 3)), axis=0))
    frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "a": px[:, 0],
                          "b": np.where(late, px[:, 1], np.nan),
                          "c": np.where(late, px[:, 2], np.nan)})
    frame.to_csv(tmp_path / "funds.csv", index=False)
    db = tmp_path / "own.duckdb"
    res = CliRunner().invoke(app, ["import", str(tmp_path / "funds.csv"), "--db", str(db),
                                   "--map", "a=csv:FA", "--map", "b=csv:FB", "--map",
                                   "c=csv:FC", "--positive"])
    assert res.exit_code == 0, res.output
    said = []
    for seed in ("0", "1", "8"):     # 0 and 8 put csv_fc_pct first in a set of the two
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", _SCRIPT, str(db)], env=env, check=True,
                             capture_output=True, text=True)
        said.append(json.loads(out.stdout))
    assert said[0] == [
        "every window starts on or after 2024-01-03, where csv_fb_pct begins 2024-01-03, "
        "csv_fc_pct begins 2024-01-03 (without them, the windows could begin 2020-01-03): the "
        "table and the means are over that span only; leave them out for the longer history"]
    assert all(s == said[0] for s in said), said
