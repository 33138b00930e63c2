"""EGARCH with Student-t shocks (median-path forecast) read in the series' own units."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from spillwatch.analytics.volatility.garch import Volatility


def _garch_t(n=400, seed=7):
    rng = np.random.default_rng(seed)
    r, s2 = np.zeros(n), 1.0
    for t in range(n):
        r[t] = math.sqrt(s2) * rng.standard_t(6) * math.sqrt(4 / 6)
        s2 = 0.05 + 0.08 * r[t] ** 2 + 0.9 * s2
    return r, pd.bdate_range("2021-01-04", periods=n)


def test_egarch_t_median_forecast_is_in_the_series_units_whatever_its_scale():
    """A series 100 times smaller (fitted after scaling by 100) forecasts 10^4 times less variance.

    The median-path forecast was divided by the scale, not its square, for a series in decimal
    units (a yield in percent points a day, a return as a fraction): its vol read 10x too high.
    Day 1 is Nelson's one-step recursion on the last day, written out here.
    """
    r, idx = _garch_t()
    spec = Volatility(model="egarch", dist="t", horizon=5, simulations=500)
    big = spec.fit_series(pd.Series(r, idx, name="a"))
    small = spec.fit_series(pd.Series(r / 100.0, idx, name="b"))
    assert big.forecast == small.forecast == "median"
    assert (big.scale, small.scale) == (1.0, 100.0)
    np.testing.assert_allclose(small.forecast_var * 1e4, big.forecast_var, rtol=1e-3)
    np.testing.assert_allclose(small.cumulative_var * 1e4, big.cumulative_var, rtol=1e-3)
    p, res = big.params, big.arch_result
    sig, e = float(res.conditional_volatility.iloc[-1]), float(res.resid.iloc[-1])
    z = e / sig
    ln = (p["omega"] + p["alpha[1]"] * (abs(z) - math.sqrt(2 / math.pi)) + p["gamma[1]"] * z
          + p["beta[1]"] * math.log(sig * sig))
    assert math.isclose(big.forecast_var[0], math.exp(ln), rel_tol=1e-6)
