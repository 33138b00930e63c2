"""A huge ``--lags`` or ``--window`` is refused at once, not searched for ever.

The advice of the refusals ("--lags 28 or fewer", "use --window N or more") was found by
walking every value from 1 to ``--lags`` (or from ``--window`` up): ``spillover --model tvp
--lags 99999999999999999999`` and ``spillover --window 1000000000000 --lags 128571428571`` ran
until killed (found by fuzzing the CLI's numbers). The timeout mark only turns such a hang
into a failure; the run itself takes about a second.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


@pytest.mark.timeout(60)
def test_a_tvp_run_with_huge_lags_names_the_most_that_fit():
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--assets", "btc,eth",
                              "--lags", "99999999999999999999"])
    assert res.exit_code == 2, res.output
    assert ("error: --window 200 is too short for the TVP-VAR's Bayes prior with 2 series "
            "and 99999999999999999999 lags") in res.stderr
    # 3 * (2 * 28 + 1) + 28 = 199 rows fit in 200; 29 lags need 206
    assert res.stderr.rstrip().endswith("or --lags 28 or fewer")


@pytest.mark.timeout(60)
def test_a_huge_window_names_the_window_the_headline_needs():
    res = runner.invoke(app, ["spillover", "--demo", "--assets", "btc,ust10y",
                              "--window", "1000000000000", "--lags", "128571428571"])
    assert res.exit_code == 2, res.output
    # the VAR needs 3 * (2 * 128571428571 + 1) + 128571428571 = 9e11 rows; the two-day
    # headline's window is round(w * 150 / 200), 9e11 from w = 1.2e12 on
    assert "a window of 750000000000 readings, fewer than the 900000000000" in res.stderr
    assert res.stderr.rstrip().endswith("use --window 1200000000000 or more")
