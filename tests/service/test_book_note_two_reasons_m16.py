"""The default book's note with two reasons, and a short asset on the latest data (h_mut16).

Each reason is said apart ("; "), and on the latest data an asset too short by then is not
also called "not in the data". The demo's store with its gold deleted and, for the latest
data, TRUMP's figures after 2025-03-10 deleted (no project code: the table's rows).
"""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli

pytestmark = pytest.mark.slow     # two market fits (about 3 s each)
runner = CliRunner()


def _note(*args: str) -> str:
    res = runner.invoke(cli, ["scenario", "japan-10pct", "--paths", "200", "--no-alone",
                              "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)["book_note"]


def test_two_reasons_and_a_short_asset_on_the_latest_data(tmp_path):
    db = tmp_path / "demo.duckdb"
    res = runner.invoke(cli, ["stress", "--demo", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM observations WHERE series_id = 'demo:gold'")
    # TRUMP from 2025-01-20: 35 business days of changes by 2025-03-10 (01-21 to 03-10)
    assert _note("--db", str(db), "--as-of", "2025-03-10") == (
        "$850,000: the default $1m book without gold, trump (too little history by then: trump "
        "35 days of changes, the model needs 125; gold: not in the data published by then)")
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM observations WHERE series_id = 'demo:trump' "
                    "AND ts > '2025-03-10'")
    # (on the latest data no evening was asked for: "too little history", not "by then")
    assert _note("--db", str(db)) == (
        "$850,000: the default $1m book without gold, trump (too little history: trump 35 days "
        "of changes, the model needs 125; gold: not in the data)")
