"""The filtered TVP-VAR's Minnesota prior: standard deviation gamma / l, variance (gamma / l)^2.

A surviving mutant (h_mut2, CN05) gave the prior variance gamma / l (0.1 instead of 0.01 at
the default gamma = 0.1): a prior ten times looser, so the early coefficients and every early
TVP connectedness table moved, and no test looked at the prior's scale. Here the filter's
first step is computed by hand: one Kalman update of beta from the prior.
"""
import numpy as np

from spillwatch.analytics.connectedness._tvp import kalman_filter


def test_first_kalman_step_uses_variance_gamma_over_lag_squared():
    rng = np.random.default_rng(3)
    z = rng.standard_normal((6, 2))
    k, gamma, k1, k2 = 2, 0.1, 0.99, 0.98
    s0 = np.array([[1.0, 0.3], [0.3, 1.0]])
    est = kalman_filter(z, 1, kappa1=k1, kappa2=k2, prior="minnesota", gamma=gamma, sigma0=s0)
    # by hand: beta = vec(B), B (k, 1 + k) row by row; prior mean 0, variance 1 (intercept)
    # and (gamma / 1)^2 (lag 1); P_{1|0} = P_0 / kappa1; Z = I_k (x) x', x = [1, z_0], y = z_1
    x, y = np.r_[1.0, z[0]], z[1]
    p = np.diag(np.tile(np.r_[1.0, gamma ** 2, gamma ** 2], k)) / k1
    zm = np.kron(np.eye(k), x[None, :])
    e = y.copy()                                  # the prior predicts 0
    sig = k2 * s0 + (1 - k2) * np.outer(e, e)
    beta = p @ zm.T @ np.linalg.solve(zm @ p @ zm.T + sig, e)
    b = beta.reshape(k, 1 + k)
    np.testing.assert_allclose(est.intercept[0], b[:, 0], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(est.coefs[0, 0], b[:, 1:], rtol=1e-10, atol=1e-14)
