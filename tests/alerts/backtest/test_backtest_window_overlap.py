"""Episodes one alert can hit are named also when only their windows overlap.

The whole replay's pairs (uk_ldi_2022 and ftx_2022) are tested in ``test_backtest_realdata.py``
on the `backtest --json` its other tests read, which ran here a second time."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata


@pytest.mark.slow
def test_episodes_the_replay_does_not_score_are_not_paired(real_db):
    """A replay of 2023-2024 named the 2020 and 2022 pairs one alert could hit, though it
    scores neither episode: only episodes it scores share its alerts."""
    res = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--json",
                                   "--start", "2023-01-02", "--end", "2024-12-31"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    notes = " | ".join(doc["notes"])
    scored = {e["name"] for e in doc["episodes"] if e["spillwatch"]["covered"]}
    assert "svb_2023" in scored and "covid_dash_for_cash_2020" not in scored
    pairs = [n for n in doc["notes"] if n.startswith("episodes ")]
    for n in pairs:                      # each pair named is of two episodes it scores
        a, b = n.split()[1], n.split()[3]
        assert {a, b} <= scored, n
    assert "covid_dash_for_cash_2020" not in notes.split("not scored:")[0]
    assert "uk_ldi_2022 and ftx_2022" not in notes
