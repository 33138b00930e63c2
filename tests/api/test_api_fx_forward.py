"""POST /api/scenarios with a currency per dollar in the book: its forward, as the CLI's."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.slow
def test_the_forward_is_the_cli_s_and_the_api_s(tmp_path, http, auth):
    f = tmp_path / "book.csv"
    f.write_text("asset,notional_usd\nusdjpy,-2000000\nust10y,1000000\n")
    res = CliRunner().invoke(app, ["scenario", "japan-10pct", "--demo", "--paths", "500",
                                   "--portfolio", str(f), "--json", "--no-alone"])
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    fwd = cli["portfolio"]["fx_forwards"]["usdjpy"]
    assert fwd["points_pct"] > 0
    r = http.post("/api/scenarios", headers=auth, json={
        "preset": "japan-10pct", "paths": 500, "alone": False,       # weights of $1m
        "portfolio": [{"asset": "usdjpy", "weight": -2.0}, {"asset": "ust10y", "weight": 1.0}]})
    assert r.status_code == 200, r.text
    api = r.json()
    assert api["result"]["portfolio"]["fx_forwards"] == cli["portfolio"]["fx_forwards"]
    assert api["result"]["portfolio"]["var"] == cli["portfolio"]["var"]
    # the headline (the dashboard's) carries the sentences under the CLI's VaR
    notes = api["headline"]["book_notes"]
    assert any(n.startswith("USD/JPY held as a forward") and "short position" in n
               for n in notes)
    assert any(n.startswith("Treasuries held as par bonds") for n in notes)
