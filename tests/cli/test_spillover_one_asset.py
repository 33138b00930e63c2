"""``spillover --assets ust10y``: one asset named is refused as such.

It read "spillover needs at least two series; of the assets asked for, demo market
(simulated) holds only ust10y_bp": a column's name where the CLI speaks of assets, and as if
the store lacked the others (it holds them; one was asked for). The API refuses one asset
by its own check (2 to 20).
"""
from typer.testing import CliRunner

from spillwatch.cli import app


def test_one_asset_is_refused_by_name():
    res = CliRunner().invoke(app, ["spillover", "--demo", "--assets", "ust10y"])
    assert res.exit_code == 2, res.output
    assert ("error: --assets names one asset (ust10y); spillover measures what moves between "
            "two or more: give at least two") in " ".join(res.output.split())
    assert "ust10y_bp" not in res.output
