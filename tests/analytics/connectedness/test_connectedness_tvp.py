"""TVP-VAR: the vectorised filter against a dense textbook filter (conn_reference.py).

Tolerance 1e-9 on coefficients and covariances: same recursion, different algebra (einsum on
the k×m×k×m state covariance vs Kronecker products with full matrices).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from conn_reference import direct_gfevd, kalman_reference, simulate_var

import spillwatch as sw
from spillwatch.analytics.connectedness import TVPVAR, Connectedness, ma_coefficients
from spillwatch.analytics.connectedness._tvp import kalman_filter, prior_moments
from spillwatch.analytics.connectedness._var import Standardizer
from spillwatch.exceptions import ConfigError


@pytest.mark.parametrize(("k", "lags", "kappa1", "kappa2", "prior"),
                         [(3, 1, 0.99, 0.99, "minnesota"), (2, 2, 0.97, 0.96, "flat"),
                          (4, 1, 1.0, 0.99, "minnesota")])
def test_filter_matches_dense_reference(rng, k, lags, kappa1, kappa2, prior):
    z = Standardizer.of(y := simulate_var(rng, 160, k, lags)).apply(y)
    ours = kalman_filter(z, lags, kappa1=kappa1, kappa2=kappa2, prior=prior, gamma=0.1,
                         sigma0=None)
    mean, var = prior_moments(k, lags, prior, 0.1)
    betas, sigmas = kalman_reference(z, lags, kappa1, kappa2, mean, var,
                                     np.cov(z, rowvar=False))
    np.testing.assert_allclose(ours.intercept, betas[:, :, 0], atol=1e-9)
    np.testing.assert_allclose(ours.coefs[:, 0], betas[:, :, 1 : 1 + k], atol=1e-9)
    np.testing.assert_allclose(ours.sigma, sigmas, atol=1e-9)


def test_tvp_tables_match_direct_gfevd_of_filtered_path(rng):
    y = simulate_var(rng, 200, 3, 1)
    frame = pd.DataFrame(y, index=pd.bdate_range("2021-01-01", periods=200, name="date"),
                         columns=["a", "b", "c"])
    res = sw.connectedness(frame, lags=1, horizon=10, model="tvp")
    assert len(res.tci) == 199
    assert res.tci.index[0] == frame.index[1]
    z = Standardizer.of(y).apply(y)
    est = kalman_filter(z, 1, kappa1=0.99, kappa2=0.99, prior="minnesota", gamma=0.1,
                        sigma0=None)
    psi = ma_coefficients(est.coefs, 10)
    for pos in (0, 100, 198):
        np.testing.assert_allclose(res.theta[pos], direct_gfevd(psi[pos], est.sigma[pos]),
                                   atol=1e-10)
    np.testing.assert_allclose(res.theta.sum(axis=2), 100.0, atol=1e-9)


def test_tvp_memory_is_linear_in_time(rng):
    def peak(t):
        z = rng.standard_normal((t, 4))
        tracemalloc.start()
        kalman_filter(z, 2, kappa1=0.99, kappa2=0.99, prior="minnesota", gamma=0.1,
                      sigma0=None)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, big = peak(500), peak(4000)
    # kept per date: k*m coefficients + k*k covariance (8 bytes each), not a (k m)^2 matrix
    k, m = 4, 9
    assert big < 4000 * (k * m + k * k) * 8 * 3 + 2_000_000
    assert big / small < 8 * 1.5  # linear growth (a stored P_t per date would be far larger)


def test_tvp_is_not_rolled():
    frame = pd.DataFrame(np.random.default_rng(3).standard_normal((100, 2)), columns=["a", "b"])
    spec = Connectedness(model=TVPVAR())
    with pytest.raises(ConfigError, match="already time-varying"):
        spec.fit_rolling(frame, window=50)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kappa1": 0.0}, "kappa1 must be in"), ({"kappa2": 1.5}, "kappa2 must be in"),
    ({"prior": "wishart"}, "unknown prior"), ({"lags": 0}, "lags must be"),
    ({"sigma0": [[1.0, 0.0]]}, "square"),
])
def test_tvp_spec_validation(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        TVPVAR(**kwargs)


def test_sigma0_shape_must_match_data():
    frame = pd.DataFrame(np.random.default_rng(4).standard_normal((80, 3)), columns=list("abc"))
    with pytest.raises(ConfigError, match="3 columns"):
        Connectedness(model=TVPVAR(sigma0=np.eye(2))).fit(frame)


@pytest.mark.realdata
def test_tvp_on_acg2020_runs_and_is_sane(shared_data):
    fx = sw.read_csv(shared_data / "reference" / "acg2020.csv")
    res = sw.connectedness(fx, lags=1, horizon=10, model="tvp")
    assert len(res.tci) == len(fx) - 1
    tci = res.tci.iloc[24:]  # after the prior has washed out
    assert tci.between(20, 90).all()
    # the four European currencies against the dollar are strongly connected (ACG 2020, Fig. 1)
    assert tci.mean() > 40
