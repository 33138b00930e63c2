"""``spillover --model tvp`` on too few days names the number of series, not an asset.

What was wrong: the error's loop over the asset keys reused ``k``, the number of series, so the
message read "at least 41 with eth series and 2 lags" (the last key) instead of "with 6 series".
"""

from __future__ import annotations

from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def test_short_tvp_sample_names_the_series_count():
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--start", "2026-06-01"])
    assert res.exit_code == 2, res.output
    assert "at least 41 with 6 series and 2 lags" in res.stderr
    assert "with eth series" not in res.stderr
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--start", "2026-06-01",
                              "--assets", "ust10y,btc", "--lags", "1"])
    assert res.exit_code == 2, res.output
    assert "with 2 series and 1 lags" in res.stderr
