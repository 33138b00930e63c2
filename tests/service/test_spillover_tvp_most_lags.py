"""The TVP refusal's "--lags N or fewer" is the most lags whose rows fit the window (h_mut9).

With 2 series a VAR(p) needs min_window(2, p) = 3 * (2p + 1) + p rows: 199 for 28 lags, 206
for 29. ``--window 203`` fits 28 (not 29, which 203 // 7 would give).
"""

from __future__ import annotations

from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.service.spillover import min_window


def test_the_most_lags_fit_the_window_exactly():
    assert min_window(2, 28) <= 203 < min_window(2, 29)
    res = CliRunner().invoke(app, ["spillover", "--demo", "--model", "tvp", "--assets",
                                   "btc,eth", "--window", "203", "--lags", "99999"])
    assert res.exit_code == 2, res.output
    assert res.stderr.rstrip().endswith("or --lags 28 or fewer")
