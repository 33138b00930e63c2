"""Variance-targeting GARCH through arch against a plain likelihood written out here."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special

from spillwatch.scenarios._vtgarch import VarianceTargetingGARCH, fit_margin


def _simulate_garch(rng, n=3000, omega=0.05, alpha=0.08, beta=0.9, nu=6.0):
    e = rng.standard_t(nu, n) * np.sqrt((nu - 2) / nu)
    y, h = np.empty(n), omega / (1 - alpha - beta)
    for t in range(n):
        y[t] = np.sqrt(h) * e[t]
        h = omega + alpha * y[t] ** 2 + beta * h
    return y


def _reference_fit(y):
    """Concentrated Student-t likelihood, arch's backcast (EWMA of the first 75 squares)."""
    target = float(np.mean(y**2))
    tau = min(75, y.size)
    w = 0.94 ** np.arange(tau)
    backcast = float(np.sum(y[:tau] ** 2 * w / w.sum()))

    def nll(p):
        a, b, nu = p
        if a < 0 or b < 0 or a + b >= 1 or nu <= 2.05:
            return 1e10
        h = np.empty(y.size)
        prev_h, prev_y2 = backcast, backcast
        for t in range(y.size):
            h[t] = target * (1 - a - b) + a * prev_y2 + b * prev_h
            prev_h, prev_y2 = h[t], y[t] ** 2
        ll = (special.gammaln((nu + 1) / 2) - special.gammaln(nu / 2)
              - 0.5 * np.log(np.pi * (nu - 2)) - 0.5 * np.log(h)
              - (nu + 1) / 2 * np.log1p(y**2 / (h * (nu - 2))))
        return -float(ll.sum())

    res = optimize.minimize(nll, [0.05, 0.9, 8.0], method="Nelder-Mead",
                            options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": 4000})
    return res.x


def test_matches_a_plain_concentrated_likelihood(rng):
    """alpha, beta within 0.005 and nu within 2% of the written-out estimator (the optimisers
    differ: arch's SLSQP vs Nelder-Mead here)."""
    y = _simulate_garch(rng)
    fit = fit_margin(y)
    y0 = (y - y.mean()) * 1.0      # fit_margin demeans (and rescales, not needed: sd ~ 1)
    a, b, nu = _reference_fit(y0)
    assert fit.model == "vt-garch"
    assert fit.alpha == pytest.approx(a, abs=5e-3)
    assert fit.beta == pytest.approx(b, abs=5e-3)
    assert fit.nu == pytest.approx(nu, rel=0.02)


def test_targets_the_sample_variance_and_forecasts_with_the_recursion(rng):
    y = _simulate_garch(rng) * 7.0                    # bp-like scale: arch sees it rescaled
    fit = fit_margin(y)
    y0 = y - y.mean()
    assert fit.variance == pytest.approx(float(np.mean(y0**2)), rel=1e-12)
    assert fit.omega / (1 - fit.alpha - fit.beta) == pytest.approx(fit.variance, rel=1e-12)
    # the one-day forecast is omega + alpha y_T^2 + beta h_T, h_T from the standardised resid
    h_t = (y0[-1] / fit.z[-1]) ** 2
    assert fit.h_next == pytest.approx(fit.omega + fit.alpha * y0[-1] ** 2 + fit.beta * h_t,
                                       rel=1e-8)


def test_constant_variance_when_asked_and_bad_target():
    fit = fit_margin(np.random.default_rng(1).standard_t(5, 200), constant=True)
    assert fit.alpha == fit.beta == 0.0 and fit.model.startswith("constant")
    with pytest.raises(ValueError, match="positive variance"):
        VarianceTargetingGARCH(0.0)
