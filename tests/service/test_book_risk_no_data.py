"""`risk --portfolio`: a position the window holds nothing of is named with its file and line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.realdata
@pytest.mark.parametrize("window, said", [
    (["--as-of", "2024-07-06"], "b.csv line 4: the book holds trump, but store"),
    (["--end", "2024-07-06"], "b.csv line 4: the book holds trump, which has no change in"),
    (["--start", "2025-11-01"], "b.csv line 3: the book holds gold, which has no change in"),
])
def test_a_position_with_no_data_in_the_window_is_named_with_its_line(real_db, tmp_path,
                                                                      window, said):
    """A book holding TRUMP run --as-of 2024-07-06 said "no data for asset(s) trump in
    store ...; import a file that carries them or drop them from --assets": an option
    `risk --portfolio` was not given, and neither the book's file nor its line (the scenario
    names both). With --end 2024-07-06 it said "the book's positions (btc, eth, gold, trump)
    share no day of changes", naming none of them; gold's data end on 2025-10-03."""
    path = tmp_path / "b.csv"
    path.write_text("asset,weight\nbtc,0.5\ngold,0.2\ntrump,0.1\n")
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--portfolio", str(path),
                                   "--no-backtest", *window])
    assert res.exit_code == 2, res.output
    text = " ".join(res.stderr.split())
    assert said in text, text
    assert "--assets" not in text and "share no day" not in text
