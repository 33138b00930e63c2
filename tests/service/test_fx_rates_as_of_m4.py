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
    """The demo's 2019-05-06, the end of Japan's ten-day Golden Week of 2019, reads 04-25's
    TONA (04-26's is out on the Bank's next business day, 05-07): the yen's rate is not stale
    while the Bank is shut (it read none there before staleness was counted on the Bank's
    calendar)."""
    got = fx_rates(demo, ["usdjpy"], "2019-05-06")["usdjpy"]
    assert got["date"] == "2019-05-06" and got["ccy_source"] == "TONA"
    assert fx_rates(demo, ["usdjpy"], "2019-05-07")["usdjpy"]["date"] == "2019-05-07"


@pytest.mark.realdata
@pytest.mark.slow
def test_a_currency_without_both_rates_on_real_data_is_left_out(real_db):
    """Before the OECD's 3-month yen rate (first out 2002-05) the real store has the 3-month
    bill and no yen rate: no forward points rather than a forward at a NaN rate (the
    docstring: "a currency without both rates then is left out"). h_mut26: checking the
    dollar's rate alone passed every test."""
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as demand_service

    with Workspace(open_source(real_db, read_only=True)) as ws:
        frame = demand_service.demand(ws).signals.frame.loc[:"2001-06-29"]
        assert frame["usd_short_rate_pct"].iloc[-1] == frame["usd_short_rate_pct"].iloc[-1]
        assert frame["jpy_short_rate_pct"].isna().all()
        assert fx_rates(ws, ["usdjpy"], "2001-06-29") == {}
