"""The filtered TVP-VAR in data units (h_mut17): a change of units or of level moves its
estimates exactly as the model y_t = c + sum_l A_l y_{t-l} + e_t says, sigma0 included."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.analytics.connectedness._tvp import TVPVAR
from spillwatch.exceptions import ConfigError


def _data(seed=11, t=120, k=3):
    rng = np.random.default_rng(seed)
    y = np.zeros((t, k))
    a = np.array([[0.4, 0.1, 0.0], [0.0, 0.3, 0.2], [0.1, 0.0, 0.2]])
    for i in range(1, t):
        y[i] = a @ y[i - 1] + rng.normal(size=k)
    return y


def test_a_sigma0_in_data_units_follows_the_units():
    y = _data()
    s0 = np.diag([1.5, 0.5, 2.0]) + 0.1
    spec = TVPVAR(lags=1, variant="filtered", sigma0=tuple(map(tuple, s0)))
    scaled = TVPVAR(lags=1, variant="filtered", sigma0=tuple(map(tuple, 100.0 * s0)))
    a, b = spec.estimate(y), scaled.estimate(10.0 * y)
    # y -> 10 y: A unchanged, c and the errors' sd times 10
    np.testing.assert_allclose(b.coefs, a.coefs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.sigma, 100.0 * a.sigma, rtol=1e-9)
    np.testing.assert_allclose(b.intercept, 10.0 * a.intercept, rtol=1e-9, atol=1e-12)
    # and sigma0 matters: a different one gives other estimates
    other = TVPVAR(lags=1, variant="filtered", sigma0=tuple(map(tuple, 4.0 * s0))).estimate(y)
    assert not np.allclose(other.coefs, a.coefs)


@pytest.mark.parametrize("spec", [TVPVAR(lags=2, variant="filtered"),
                                  TVPVAR(lags=2, prior="minnesota")], ids=["filtered", "r"])
def test_a_shift_of_level_moves_only_the_intercept_by_i_minus_the_sum_of_a(spec):
    y = _data(seed=12)
    c = np.array([5.0, -2.0, 0.5])
    a, b = spec.estimate(y), spec.estimate(y + c)
    np.testing.assert_allclose(b.coefs, a.coefs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.sigma, a.sigma, rtol=1e-9, atol=1e-12)
    # y + c = (c0 + (I - A1 - A2) c) + A1 (y_{t-1} + c) + A2 (y_{t-2} + c) + e
    want = a.intercept + c - np.einsum("nij,j->ni", a.coefs.sum(axis=1), c)
    np.testing.assert_allclose(b.intercept, want, rtol=1e-9, atol=1e-9)


def test_the_bayes_prior_needs_k_residual_degrees_of_freedom_and_no_more():
    # its OLS has prior_window - 2p rows for 1 + k p coefficients and must leave k residual
    # degrees of freedom: k = 3, p = 1 -> prior_window >= 2 + 4 + 3 = 9
    y = _data(seed=13, t=40)
    assert np.isfinite(TVPVAR(lags=1, prior_window=9).estimate(y).sigma).all()
    with pytest.raises(ConfigError, match="prior_window=8 is too short"):
        TVPVAR(lags=1, prior_window=8).estimate(y)


def test_data_of_exactly_prior_window_rows_are_enough():
    y = _data(seed=14, t=20)
    est = TVPVAR(lags=1, prior_window=20).estimate(y)
    assert est.coefs.shape[0] == 20 and np.isfinite(est.coefs).all()
