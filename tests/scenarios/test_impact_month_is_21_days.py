"""The flow effect lasts one month of 21 business days (impact.py: K(j) = 1 for j < 21, then
2^{-(j-20)/tau}; Beltran et al. 2013 measure the short run over a month).

Mutation testing (h_mut) found that ``MONTH_DAYS = 20`` (or 22) passed every scenario test:
the reference path in test_scenario_impact.py imports MONTH_DAYS from the module under test, so
it moves with the bug. These figures are written out by hand."""

from __future__ import annotations

import numpy as np

from spillwatch.scenarios.impact import ImpactModel, sales_schedule


def test_a_one_day_sale_holds_the_flow_effect_21_days_then_decays():
    """$100bn sold on day 1, midpoint coefficients (flow 50 bp, stock 20 bp, half-life 40
    days): 50 bp on days 1..21 (lags 0..20), then 20 + 30 * 2^(-(j-20)/40)."""
    m = ImpactModel(uncertainty=False)
    coef = m.draw(np.zeros((1, 3)))
    np.testing.assert_allclose(coef, [[50.0, 20.0, 40.0]])
    sales = np.zeros(80)
    sales[0] = 100e9
    path = m.path(sales, coef, 80)[0]
    np.testing.assert_allclose(path[:21], 50.0, rtol=0, atol=1e-9)
    for j in (21, 22, 40, 60, 79):
        assert abs(path[j] - (20.0 + 30.0 * 2.0 ** (-(j - 20) / 40.0))) < 1e-9, (j, path[j])
    assert path[21] < 50.0 - 0.5                      # the decay has started on lag 21


def test_100bn_over_21_days_peaks_at_exactly_the_flow_coefficient_on_day_21():
    """'So $100bn sold within one month raises the 5-year yield by exactly kappa_f at the end of
    that month': $100bn spread over 21 business days peaks at 50 bp on day 21 (index 20)."""
    m = ImpactModel(uncertainty=False)
    coef = m.draw(np.zeros((1, 3)))
    sales = sales_schedule(100e9, 21 / 5, 120)
    assert np.count_nonzero(sales) == 21
    path = m.path(sales, coef, 120)[0]
    assert abs(path[20] - 50.0) < 1e-9
    assert int(np.argmax(path)) == 20
    assert path[21] < 50.0
