"""The impact model's documented ranges: a point range (low = high) and a zero curve loading.

Mutation testing (h_mut26) found that refusing ``low == high`` (``0 <= low < high``) or a
loading of 0 (``v > 0``) passed every scenario test, though the error messages and the
docstrings allow both ("0 <= low <= high", "a number >= 0"). A point range is how a desk
pins one coefficient (Beltran et al.'s 50 bp alone); a zero loading takes a tenor off the
curve. The expected figures are the module formula written out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios.impact import ImpactModel, sales_schedule


def test_a_point_range_draws_that_value_on_every_path():
    m = ImpactModel(flow_bp=(50.0, 50.0), stock_bp=(20.0, 20.0), half_life_days=(40.0, 40.0))
    coef = m.draw(np.random.default_rng(3).random((4, 3)))
    np.testing.assert_array_equal(coef, [[50.0, 20.0, 40.0]] * 4)
    # $100bn over 21 business days: 50 bp at the month's end (index 20), then on day 40
    # (index 39) the first day's $100bn/21 has decayed for 19 days past its month:
    # sum over the 21 days u of (100/21)/100 * (20 + 30 * 2^(-(39 - u - 20)/40)) for lags >= 21
    sales = sales_schedule(100e9, 21 / 5, 60)
    path = m.path(sales, coef[:1], 60)[0]
    assert path[20] == pytest.approx(50.0, abs=1e-9)
    want = sum(1 / 21 * (20.0 + 30.0 * (2.0 ** (-(39 - u - 20) / 40.0) if 39 - u >= 21 else 1.0))
               for u in range(21))
    assert path[39] == pytest.approx(want, abs=1e-9)


def test_a_zero_loading_takes_a_tenor_off_the_curve():
    m = ImpactModel(curve={"ust2y": 0.0, "ust10y": 0.9})
    assert m.loading("ust2y") == 0.0
    assert m.loading("ust10y") == 0.9
    assert m.loading("ust30y") == 0.0          # not on the curve at all


@pytest.mark.parametrize("band, lo, hi", [
    # the module docstring: Beltran et al. (2013) 40-60 bp flow, 15-25 bp stock; the upper band
    # 55-60 and 25-35; the half-life 20-60 business days in both
    ("central", [40.0, 15.0, 20.0], [60.0, 25.0, 60.0]),
    ("upper", [55.0, 25.0, 20.0], [60.0, 35.0, 60.0]),
])
def test_each_band_draws_over_its_documented_ranges(band, lo, hi):
    m = ImpactModel(band=band)
    np.testing.assert_array_equal(m.draw(np.zeros((1, 3)))[0], lo)
    np.testing.assert_array_equal(m.draw(np.ones((1, 3)))[0], hi)
