"""Static and rolling results against a plain reference: statsmodels VAR per window + a direct
GFEVD with explicit loops (conn_reference.py). Tolerance 1e-10 (absolute, in percentage points):
both sides are exact least squares; the batched path differs only by rounding (normal equations
of standardised data vs statsmodels' pinv-based OLS).

The rolling path has two engines, the compiled kernels (numba) and batched numpy (the fallback,
``SPILLWATCH_DISABLE_NUMBA=1``): the ``engine`` fixture runs the rolling tests on both, and the
kernels are compared with the numpy code directly (tolerance 1e-12: same sums in the same order,
the factorisation's rounding differs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conn_reference import (
    direct_tables_rolling,
    direct_tci,
    simulate_var,
    sm_cholesky_table,
    sm_table,
)

import spillwatch as sw
from spillwatch._compat.numba import DISABLE_ENV
from spillwatch.analytics.connectedness import _kernels, _spec, _var
from spillwatch.analytics.connectedness._fevd import (
    generalized_fevd,
    generalized_fevd_var,
    ma_coefficients,
)
from spillwatch.exceptions import SingularWindowError, SingularWindowWarning

TOL = 1e-10


@pytest.fixture(params=["compiled", "numpy"])
def engine(request, monkeypatch):
    if request.param == "numpy":
        monkeypatch.setenv(DISABLE_ENV, "1")
    return request.param


def frame_of(y, start="2015-01-01"):
    idx = pd.bdate_range(start, periods=len(y), name="date")
    return pd.DataFrame(y, index=idx, columns=[f"x{i}" for i in range(y.shape[1])])


@pytest.mark.parametrize(("k", "lags", "horizon"), [(2, 1, 10), (4, 2, 10), (3, 3, 7)])
def test_static_table_matches_statsmodels(rng, k, lags, horizon):
    y = simulate_var(rng, 400, k, lags, scale=rng.uniform(0.01, 50, k))
    res = sw.connectedness(frame_of(y), lags=lags, horizon=horizon)
    ref = sm_table(y, lags, horizon)
    np.testing.assert_allclose(res.theta, ref, atol=TOL, rtol=0)
    assert abs(res.tci - direct_tci(ref)) < TOL
    np.testing.assert_allclose(res.table().loc[res.columns, res.columns], ref, atol=TOL, rtol=0)


def test_static_cholesky_matches_statsmodels_fevd(rng):
    y = simulate_var(rng, 300, 3, 2)
    res = sw.connectedness(frame_of(y), lags=2, horizon=10, decomposition="cholesky")
    np.testing.assert_allclose(res.theta, sm_cholesky_table(y, 2, 10), atol=TOL, rtol=0)


def test_static_coefficients_match_statsmodels(rng):
    from conn_reference import sm_var

    y = simulate_var(rng, 300, 3, 2, scale=[1.0, 100.0, 0.01])
    res = sw.connectedness(frame_of(y), lags=2)
    sm = sm_var(y, 2)
    np.testing.assert_allclose(res.estimates.coefs[0], sm.coefs, atol=1e-10, rtol=1e-9)
    np.testing.assert_allclose(res.estimates.intercept[0], sm.intercept, atol=1e-9, rtol=1e-9)
    np.testing.assert_allclose(res.estimates.sigma[0], sm.sigma_u, rtol=1e-9)


def test_rolling_matches_statsmodels_per_window(rng, engine):
    k, lags, horizon, window = 3, 2, 10, 100
    y = simulate_var(rng, 700, k, lags)
    roll = sw.connectedness(frame_of(y), lags=lags, horizon=horizon, window=window)
    ref = direct_tables_rolling(y, lags, horizon, window)
    assert roll.theta.shape == ref.shape == (601, k, k)
    np.testing.assert_allclose(roll.theta, ref, atol=TOL, rtol=0)
    ref_tci = np.array([direct_tci(t) for t in ref])
    np.testing.assert_allclose(roll.tci.to_numpy(), ref_tci, atol=TOL, rtol=0)
    for pos in (0, 300, 600):
        date = roll.tci.index[pos]
        np.testing.assert_allclose(
            roll.table(at=date).loc[roll.columns, roll.columns].to_numpy(), ref[pos], atol=TOL
        )


def test_batches_restart_exactly(rng, engine):
    """The engine's batching (rolling_var_batches: running sums restarted every ``block``
    windows, ``chunk`` windows solved at once) gives the same fit for any cut, equal to a direct
    least-squares fit of each window. The test checked rolling_ols_var, a helper the engine
    never called."""
    from spillwatch.analytics.connectedness._var import design, rolling_var_batches

    k, lags, window = 8, 4, 60
    assert _spec.chunk_size(k, lags) < 400
    z = simulate_var(rng, 300, k, 1)
    n = len(z) - window + 1

    def glued(chunk, block):
        batches = list(rolling_var_batches(z, lags, window, chunk=chunk, block=block))
        assert [b0 for b0, _ in batches] == sorted({b0 for b0, _ in batches})
        assert sum(len(est.coefs) for _, est in batches) == n
        return {name: np.concatenate([getattr(est, name) for _, est in batches])
                for name in ("coefs", "intercept", "sigma")}

    whole = glued(n, n)
    for chunk, block in ((7, 100), (100, 107), (n, 134), (3, 10)):
        parts = glued(chunk, block)
        for name in ("coefs", "intercept", "sigma"):
            np.testing.assert_allclose(parts[name], whole[name], atol=1e-11)
    for w in (0, 57, 240):
        za = design(z[w : w + window], lags)
        m = 1 + k * lags
        beta, *_ = np.linalg.lstsq(za[:, :m], za[:, m:], rcond=None)
        np.testing.assert_allclose(whole["intercept"][w], beta[0], atol=1e-10)
        np.testing.assert_allclose(whole["coefs"][w, 0], beta[1 : 1 + k].T, atol=1e-10)


def test_rolling_many_variables_matches_statsmodels(rng, engine):
    k, lags, horizon, window = 6, 2, 10, 80
    y = simulate_var(rng, 200, k, lags, scale=rng.uniform(0.1, 10, k))
    roll = sw.connectedness(frame_of(y), lags=lags, horizon=horizon, window=window)
    np.testing.assert_allclose(roll.theta, direct_tables_rolling(y, lags, horizon, window),
                               atol=TOL, rtol=0)


def test_rolling_convention_counts_and_labels(rng, engine):
    y = simulate_var(rng, 150, 2, 1)
    frame = frame_of(y)
    roll = sw.connectedness(frame, lags=2, window=60)
    assert len(roll.tci) == 150 - 60 + 1
    assert roll.tci.index[0] == frame.index[59]
    assert roll.tci.index[-1] == frame.index[-1]
    assert roll.tci.index.name == "date"
    # the first window is exactly rows 0..59
    first = sw.connectedness(frame.iloc[:60], lags=2)
    np.testing.assert_allclose(roll.theta[0], first.theta, atol=TOL)


def test_singular_window_raises_naming_dates(rng, engine):
    y = simulate_var(rng, 200, 3, 1)
    y[80:150, 1] = 2.5  # constant for 70 rows: every window inside is singular
    frame = frame_of(y)
    with pytest.raises(SingularWindowError) as err:
        sw.connectedness(frame, lags=1, window=50)
    msg = str(err.value)
    # the first singular window holds rows 79..128: x1 is constant on every regression row
    # (80..128), so its equation fits exactly; from row 80 on its lag is constant too
    assert frame.index[79].date().isoformat() in msg
    assert frame.index[128].date().isoformat() in msg
    assert "on_singular='nan'" in msg


def test_singular_window_nan_with_warning(rng, engine):
    y = simulate_var(rng, 200, 3, 1)
    y[80:150, 1] = 2.5
    frame = frame_of(y)
    with pytest.warns(SingularWindowWarning, match="singular"):
        roll = sw.connectedness(frame, lags=1, window=50, on_singular="nan")
    bad = roll.tci.isna()
    # window w: x1 constant on its regression rows w+1 .. w+49 (w >= 79) or its lag constant
    # on rows w .. w+48 (w = 80 .. 101): w = 79 .. 101
    assert bad.sum() == 23
    assert roll.tci.index[bad][0] == frame.index[128]
    assert list(roll.failures["date"]) == list(roll.tci.index[bad])
    assert roll.failures["start"].iloc[0] == frame.index[79]
    for pos in np.flatnonzero(~bad.to_numpy())[::10]:
        np.testing.assert_allclose(roll.theta[pos], sm_table(y[pos : pos + 50], 1, 10),
                                   atol=TOL)
    # the latest table is still available
    assert np.isfinite(roll.table().to_numpy(dtype=float)[:3, :3]).all()


def test_static_singular_raises(rng):
    y = simulate_var(rng, 100, 3, 1)
    y[:, 2] = 2 * y[:, 0] - y[:, 1]
    with pytest.raises(SingularWindowError, match="singular"):
        sw.connectedness(frame_of(y), lags=1)
    # the message names the columns of the combination (it said "every window failed")
    with pytest.raises(SingularWindowError, match="are linearly dependent"):
        sw.connectedness(frame_of(y), lags=1)


def test_kernels_equal_numpy_engine(rng):
    k, lags, window = 4, 3, 60
    z = _var.Standardizer.of(y := simulate_var(rng, 260, k, lags)).apply(y)
    z[150:215, 2] = 0.7  # a constant stretch: singular windows in the middle
    run1, runs = _var.running_sums(z, lags)
    for fn in (_kernels.running_sums, _kernels.running_sums.py_func):
        k1, kd = fn(z, lags)
        np.testing.assert_array_equal(k1, run1)  # the same sequential sums
        for d in range(lags + 1):
            np.testing.assert_array_equal(kd[d], runs[d])
    n = 260 - window + 1
    ref = _var._solve_normal(_var.assemble_cross_products((run1, runs), lags, window, 0, n),
                             window - lags, k, lags)
    assert 0 < ref.ok.sum() < n
    for fn in (_kernels.rolling_solve, _kernels.rolling_solve.py_func):
        for lanes in (1, 5, _kernels.LANES):
            coefs, intercept, sigma, ok = fn(run1, np.stack(runs), lags, window, 0, n,
                                             _var.PIVOT_TOL, lanes)
            np.testing.assert_array_equal(ok, ref.ok)
            np.testing.assert_allclose(coefs, ref.coefs, atol=1e-12, equal_nan=True)
            np.testing.assert_allclose(intercept, ref.intercept, atol=1e-12, equal_nan=True)
            np.testing.assert_allclose(sigma, ref.sigma, atol=1e-12, equal_nan=True)


def test_rolling_engines_agree(rng, monkeypatch):
    y = simulate_var(rng, 900, 5, 2, scale=rng.uniform(0.1, 10, 5))
    fast = sw.connectedness(frame_of(y), lags=2, window=150)
    monkeypatch.setenv(DISABLE_ENV, "1")
    slow = sw.connectedness(frame_of(y), lags=2, window=150)
    np.testing.assert_allclose(fast.theta, slow.theta, atol=1e-12, rtol=0)


def test_gfevd_straight_from_var_equals_via_ma_terms(rng):
    coefs = rng.normal(0, 0.2, (7, 3, 4, 4))
    chol = np.tril(rng.normal(0, 1, (7, 4, 4)))
    sigma = chol @ np.swapaxes(chol, 1, 2) + np.eye(4)
    for horizon in (1, 2, 10):
        np.testing.assert_allclose(generalized_fevd_var(coefs, sigma, horizon),
                                   generalized_fevd(ma_coefficients(coefs, horizon), sigma),
                                   atol=1e-12, rtol=0)
