"""Episodes one alert can hit are named also when only their windows overlap."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = pytest.mark.realdata


def test_episodes_sharing_a_window_are_named(real_db):
    """The note on episodes one alert can hit compared their trigger-to-peak spans only:
    uk_ldi_2022 (to 2022-10-12) and ftx_2022 (from 11-08) went unnamed, though ftx's window
    opens 20 business days before its trigger, 10-11, and the alert that hit uk_ldi from
    08-26 was still on there: ftx's hit is that alert ("already on"), counted twice."""
    res = CliRunner().invoke(app, ["backtest", "--db", str(real_db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    eps = {e["name"]: e["spillwatch"] for e in doc["episodes"]}
    assert eps["uk_ldi_2022"]["hit"] and eps["ftx_2022"]["hit"]
    assert eps["ftx_2022"]["already_on"] and eps["ftx_2022"]["first_alert"] == "2022-10-11"
    notes = " | ".join(doc["notes"])
    assert ("episodes uk_ldi_2022 and ftx_2022 are within one window of each other "
            "(ftx_2022's opens 2022-10-11, 20 business days before its trigger, by "
            "uk_ldi_2022's peak on 2022-10-12): one alert can be the hit of both") in notes
    # the spans that overlap read as before
    assert ("episodes covid_dash_for_cash_2020 and crypto_black_thursday_2020 overlap "
            "(2020-02-24 to 2020-03-16 and 2020-03-12 to 2020-03-12)") in notes
    # pairs further apart than a window are not named
    assert "svb_2023" not in notes and "yen_carry_unwind_2024" not in notes


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
