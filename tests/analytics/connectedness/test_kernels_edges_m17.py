"""The rolling VAR kernel (h_mut17): a left-hand variable the regressors explain almost exactly
is a good fit, not a singular window; checked against numpy's least squares."""

from __future__ import annotations

import numpy as np

from spillwatch.analytics.connectedness import _kernels, _var


def test_an_almost_exactly_fitted_left_hand_variable_is_not_flagged():
    # y1_t = 0.5 y2_{t-1} + 1e-7 noise: y1's residual share is ~1e-13, far below PIVOT_TOL
    # (1e-10), which bounds the relative pivots of the *regressors* only
    rng = np.random.default_rng(7)
    t, k, lags, window = 80, 3, 1, 60
    z = rng.normal(size=(t, k))
    z[1:, 0] = 0.5 * z[:-1, 1] + 1e-7 * rng.normal(size=t - 1)
    n = t - window + 1
    run1, runs = _kernels.running_sums(z, lags)
    for fn in (_kernels.rolling_solve, _kernels.rolling_solve.py_func):
        coefs, intercept, _sigma, ok = fn(run1, runs, lags, window, 0, n, _var.PIVOT_TOL,
                                         _kernels.LANES)
        assert ok.all()
        for w in (0, n - 1):
            rows = z[w:w + window]
            x = np.column_stack([np.ones(window - lags), rows[:-1]])
            b, *_ = np.linalg.lstsq(x, rows[1:], rcond=None)
            np.testing.assert_allclose(coefs[w, 0], b[1:].T, atol=1e-6)
            np.testing.assert_allclose(intercept[w], b[0], atol=1e-6)
            assert abs(coefs[w, 0, 0, 1] - 0.5) < 1e-6
