"""The published selling beside a scenario ("custody fell $N bn in 8 weeks ..."): the scenario's
own first 8 weeks and the 10-year's move over custody's window, checked by hand on the demo."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from spillwatch import universe
from spillwatch.scenarios.selloff import preset
from spillwatch.service.scenarios import observed_vs
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="module")
def demo():
    with Workspace("demo") as ws:
        yield ws


def test_the_scenario_s_first_8_weeks_are_40_business_days_of_its_sales(demo):
    """Custody's 8-week change is set against the scenario's first 8 weeks (40 business days).

    full-dump sells Japan's $565bn over 130 days and China's $380bn over 130 days from day 5:
    in the first 40 days 565 x 40/130 + 380 x 35/130 = $276.2bn, not its whole $945bn (nor
    56 calendar days' worth).
    """
    got = observed_vs(demo, preset("full-dump"))
    assert got is not None
    assert math.isclose(got["scenario_usd_bn"], 945.0, rel_tol=1e-12)
    want = 565.0 * 40 / 130 + 380.0 * 35 / 130
    assert math.isclose(got["scenario_first_8w_usd_bn"], want, rel_tol=1e-9)
    # China follows two weeks (10 days) later: 113 + 76 x 30/40
    coord = observed_vs(demo, preset("japan-china-coordinated"))
    assert math.isclose(coord["scenario_first_8w_usd_bn"], 113.0 + 76.0 * 30 / 40, rel_tol=1e-9)


def test_the_10_year_s_move_is_over_custody_s_8_weeks(demo):
    """``ust10y_over_custody_window``: 8 weeks (56 days) to custody's last print, in bp, later
    minus earlier, from the 10-year's closes on or before each end."""
    got = observed_vs(demo, preset("japan-10pct"))["ust10y_over_custody_window"]
    start, end = pd.Timestamp(got["from"]), pd.Timestamp(got["to"])
    assert (end - start).days == 56
    ten = demo.panel(["ust10y"], transform="levels")[universe.column("ust10y", "levels")].dropna()
    want = 100.0 * (float(ten.loc[:end].iloc[-1]) - float(ten.loc[:start].iloc[-1]))
    assert math.isclose(got["change_bp"], round(want, 1), abs_tol=1e-9)
