"""Yield impact: the cited band, the decay to the stock effect, and a plain reference."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios.impact import MONTH_DAYS, ImpactModel, sales_schedule


def _reference_path(sales, coef, horizon):
    """Double loop over days and sales: the module formula written out."""
    out = np.zeros((len(coef), horizon))
    for p, (flow, stock, hl) in enumerate(coef):
        for d in range(horizon):
            for u in range(min(d + 1, len(sales))):
                lag = d - u
                k = 1.0 if lag < MONTH_DAYS else 2.0 ** (-(lag - MONTH_DAYS + 1) / hl)
                out[p, d] += sales[u] / 100e9 * (stock + (flow - stock) * k)
    return out


def test_fast_path_matches_reference(rng):
    model = ImpactModel()
    coef = model.draw(rng.random((4, 3)))
    sales = sales_schedule(100e9, 4, 120) + sales_schedule(60e9, 3, 120, start_day=30)
    fast = model.path(sales, coef, 120)
    np.testing.assert_allclose(fast, _reference_path(sales, coef, 120), rtol=0, atol=1e-9)


def test_100bn_in_a_month_peaks_in_band_and_decays_to_about_20bp(rng):
    model = ImpactModel()
    coef = model.draw(rng.random((5000, 3)))
    sales = sales_schedule(100e9, MONTH_DAYS / 5, 400)        # $100bn over one month
    path = model.path(sales, coef, 400)
    peak = path.max(axis=1)
    # Beltran et al. (2013): 40-60 bp on the 5-year in the short run
    assert peak.min() >= 40.0 - 1e-9 and peak.max() <= 60.0 + 1e-9
    assert np.all(np.argmax(path, axis=1) == MONTH_DAYS - 1)    # the peak is at month end
    # ...and about 20 bp in the long run: after 379 more days (>= 6 half-lives) within 15-25 bp
    late = path[:, -1]
    assert np.all((late >= 15.0 - 1e-9) & (late <= 25.0 + 0.8))
    assert abs(late.mean() - 20.0) < 1.0
    assert np.all(np.diff(path[:, MONTH_DAYS:], axis=1) <= 1e-12)   # monotone decay after peak


def test_upper_band_is_above_central(rng):
    u = rng.random((2000, 3))
    sales = sales_schedule(100e9, 4, 300)
    central = ImpactModel().path(sales, ImpactModel().draw(u), 300)
    upper = ImpactModel(band="upper").path(sales, ImpactModel(band="upper").draw(u), 300)
    assert np.all(upper >= central - 1e-9)


def test_no_uncertainty_uses_midpoints():
    m = ImpactModel(uncertainty=False)
    coef = m.draw(np.random.default_rng(0).random((3, 3)))
    np.testing.assert_allclose(coef, [[50.0, 20.0, 40.0]] * 3)


@pytest.mark.parametrize("kwargs", [
    {"band": "extreme"}, {"flow_bp": (60.0, 40.0)}, {"stock_bp": (-1.0, 5.0)},
    {"half_life_days": (0.0, 10.0)}, {"stock_bp": (30.0, 50.0)}, {"curve": {"ust2y": -1.0}},
])
def test_bad_impact_options(kwargs):
    with pytest.raises(ScenarioError):
        ImpactModel(**kwargs)


def test_split_into_common_steps_and_a_smooth_remainder(rng):
    """path = flow * A + (flow - stock) * E, E is zero in the first month and smooth after."""
    model = ImpactModel()
    coef = model.draw(rng.random((50, 3)))
    sales = sales_schedule(100e9, 8, 200) + sales_schedule(50e9, 3, 200, start_day=30)
    a, e = model.split(sales, coef, 200)
    np.testing.assert_allclose(coef[:, :1] * a + (coef[:, :1] - coef[:, 1:2]) * e,
                               model.path(sales, coef, 200), atol=1e-9)
    np.testing.assert_allclose(e[:, :MONTH_DAYS], 0.0, atol=1e-15)
    assert np.all(e <= 1e-15)
    # smooth: day-to-day changes of dE are tiny next to those of the step part dA
    assert np.abs(np.diff(e, n=2, axis=1)).max() < 0.05 * np.abs(np.diff(a)).max()
