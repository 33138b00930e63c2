"""`alerts list --all` prints an alert without a value as a blank cell, not "nan" (h_data3).

After a monitor cycle on a store without coins (or with every input stale, as the real store is
months after its last import), each rule whose facts had no value was listed with "nan" in the
value column (19 rows on a copy of the real store), beside a note saying why; ``--json`` gives
null, and `alerts facts` a blank cell.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from _cut_store import cut_store
from spillwatch.cli import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

runner = CliRunner()


def test_an_alert_without_a_value_is_blank(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, ("fred/DGS10.csv",), first="2025-01-01")
    res = runner.invoke(app, ["monitor", "--once", "--no-fetch", "--db", str(db)])
    assert res.exit_code == 0, res.output
    doc = json.loads(runner.invoke(app, ["alerts", "list", "--all", "--db", str(db),
                                         "--json"]).stdout)
    btc = [r for r in doc["rows"] if r["rule"] == "btc_daily_drop"]
    assert len(btc) == 1 and btc[0]["last_value"] is None
    assert btc[0]["note"] == "btc.chg_1d_pct: no data for series 'btc' in the store"
    res = runner.invoke(app, ["alerts", "list", "--all", "--db", str(db)],
                        env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    row = next(ln for ln in res.stdout.splitlines() if "btc_daily_drop" in ln)
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[:4] == ["btc_daily_drop", "btc", "critical", "inactive"]
    assert cells[5] == ""                            # the value: none, and no "nan"
    assert " nan " not in res.stdout
