"""EWMA variance and covariance against plain loops and pandas' ewm (tolerance 1e-12, round-off)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.correlation import correlation
from spillwatch.analytics.volatility.ewma import (
    cov_to_corr,
    ewma_covariance,
    ewma_filter,
    ewma_variance,
)
from spillwatch.exceptions import ConfigError


def _loop_variance(r, lam, init):
    s = [init]
    for x in r:
        s.append(lam * s[-1] + (1 - lam) * x * x)
    return np.array(s)


def test_ewma_variance_matches_loop(rng):
    r = rng.standard_normal(400) * 2
    got = ewma_variance(r, lam=0.94, init_obs=30)
    want = _loop_variance(r, 0.94, np.mean(r[:30] ** 2))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert got.shape == (401,)


def test_ewma_matches_pandas_ewm(rng):
    # pandas: y_t = (1-a) y_{t-1} + a x_t, y_0 = x_0 (adjust=False); ours with s_0 = x_0 gives
    # s_{t+1} = y_t.
    df = pd.DataFrame(rng.standard_normal((300, 3)), columns=list("abc"))
    x2 = df.to_numpy() ** 2
    ours = ewma_filter(x2, lam=0.94, init=x2[0])
    theirs = (df**2).ewm(alpha=0.06, adjust=False).mean().to_numpy()
    np.testing.assert_allclose(ours[1:], theirs, rtol=1e-12)


def test_ewma_covariance_and_correlation_match_pandas(rng):
    df = pd.DataFrame(rng.standard_normal((250, 3)) @ np.array(
        [[1, 0.5, 0.2], [0, 1, 0.4], [0, 0, 1]]), columns=["x_pct", "y_pct", "z_pct"],
        index=pd.bdate_range("2020-01-01", periods=250))
    r = df.to_numpy()
    outer = r[:, :, None] * r[:, None, :]
    cov = ewma_covariance(r, lam=0.94)
    # element-wise pandas ewm of the cross products, started from the same value
    init = outer[:30].mean(axis=0)
    for i in range(3):
        for j in range(3):
            prod = pd.Series(np.r_[init[i, j], outer[:, i, j]])
            want = prod.ewm(alpha=0.06, adjust=False).mean().to_numpy()
            np.testing.assert_allclose(cov[:, i, j], want, rtol=1e-12)
    res = correlation(df, method="ewma", min_obs=100)
    np.testing.assert_allclose(res.corr, cov_to_corr(cov), rtol=1e-12)
    pair = res.pair("x_pct", "y_pct")
    manual = cov[:-1, 0, 1] / np.sqrt(cov[:-1, 0, 0] * cov[:-1, 1, 1])
    np.testing.assert_allclose(pair.to_numpy(), manual, rtol=1e-12)
    assert np.allclose(np.diagonal(res.corr, axis1=1, axis2=2), 1.0)


@pytest.mark.parametrize("lam", [0.0, 1.0, -0.5, 1.2])
def test_bad_lambda(lam):
    with pytest.raises(ConfigError, match="lam"):
        ewma_variance(np.ones(10), lam=lam)
