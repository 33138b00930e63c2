"""The short rates a scenario's USD/JPY forward is priced at: those published by its first day."""

from __future__ import annotations

import pytest

from spillwatch.service.scenarios import FX_RATES_LAG_DAYS, fx_rates
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="module")
def demo():
    with Workspace("demo") as ws:
        yield ws


def test_the_rates_are_those_of_the_first_day_or_the_last_before_it(demo):
    """A scenario starting Sunday 2026-06-28 prices at Friday the 26th's rates, never at a
    later day's (the demo's gauge runs to 2026-10-30)."""
    got = fx_rates(demo, ["usdjpy"], "2026-06-28")["usdjpy"]
    assert got["date"] == "2026-06-26"
    assert fx_rates(demo, ["usdjpy"], "2025-06-30")["usdjpy"]["date"] == "2025-06-30"
    assert got["usd_source"] == "3-month bill" and got["ccy_source"] == "TONA"


def test_rates_up_to_a_week_old_are_used_older_are_not(demo):
    """FX_RATES_LAG_DAYS = 7 calendar days: the gauge's last day 2026-10-30 serves a first day
    of 2026-11-06 (7 days), not 2026-11-07 (8 days)."""
    assert FX_RATES_LAG_DAYS == 7
    assert fx_rates(demo, ["usdjpy"], "2026-11-06")["usdjpy"]["date"] == "2026-10-30"
    assert fx_rates(demo, ["usdjpy"], "2026-11-07") == {}
    assert fx_rates(demo, ["btc"], "2026-06-30") == {}            # no rates for a coin


def test_a_currency_without_both_rates_that_day_is_left_out(demo):
    """The demo's gauge reads the dollar's rate on 2019-05-06 and no yen rate (the end of
    Japan's ten-day Golden Week of 2019): no forward points rather than a
    forward at a NaN rate (the docstring: "a currency without both rates then is left out").
    h_mut26: checking the dollar's rate alone passed every test."""
    assert fx_rates(demo, ["usdjpy"], "2019-05-06") == {}
    assert fx_rates(demo, ["usdjpy"], "2019-05-07")["usdjpy"]["date"] == "2019-05-07"
