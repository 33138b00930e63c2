"""``spillover --model tvp`` on assets of one side (no rates-and-dollar into crypto headline).

The empty headline series had a RangeIndex, and the summary compared it with the TVP-VAR's
first date: ``spillover --assets btc,eth --model tvp`` (or ``ust2y,ust10y``, ``paxg,ust2y``)
ended in a bare ``TypeError: '>' not supported between instances of 'numpy.ndarray' and
'Timestamp'`` traceback, exit 1 (found by fuzzing the CLI's --assets and --model).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


@pytest.mark.parametrize("assets", ["btc,eth", "ust2y,ust10y"])
def test_a_tvp_run_of_one_side_has_a_summary_and_no_headline(assets):
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--assets", assets,
                              "--window", "12", "--lags", "1", "--start", "2026-08-01",
                              "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)["summary"]
    assert summary["model"] == "tvp" and summary["prior_window"] == 12
    assert summary["readings_in_means"] > 0
    assert "net_rates_dollar_to_crypto" not in summary
