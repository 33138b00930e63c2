"""The SVAR's reduced form on a short sample (h_mut17): its degrees of freedom, covariance and the
smallest sample it takes, against numpy's least squares."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.exceptions import ModelError
from spillwatch.scenarios.identification import _sampler as smp


def _var1(rows, n=2, seed=21):
    rng = np.random.default_rng(seed)
    y = np.zeros((rows, n))
    for t in range(1, rows):
        y[t] = 0.3 * y[t - 1] + rng.normal(size=n)
    return y


def test_dof_and_sigma_hat_are_those_of_ols_with_an_intercept():
    y = _var1(30)                              # 29 regression rows, m = 1 + 2 = 3
    rf = smp.fit_reduced_form(y, 1)
    x = np.column_stack([np.ones(29), y[:-1]])
    b, *_ = np.linalg.lstsq(x, y[1:], rcond=None)
    u = y[1:] - x @ b
    assert rf.nobs == 29 and rf.dof == 29 - 3
    np.testing.assert_allclose(rf.b_hat, b, atol=1e-12)
    np.testing.assert_allclose(rf.sigma_hat, u.T @ u / 26, rtol=1e-12)
    # the precision's Cholesky factor is that of (U'U)^-1
    np.testing.assert_allclose(rf.s_chol_inv @ rf.s_chol_inv.T, np.linalg.inv(u.T @ u),
                               rtol=1e-10)


def test_the_var_needs_more_than_m_plus_n_rows():
    # m = 3 coefficients an equation, n = 2 variables: 5 regression rows are refused, 6 fit
    with pytest.raises(ModelError, match="more than 5 joint days; got 5"):
        smp.fit_reduced_form(_var1(6), 1)
    assert smp.fit_reduced_form(_var1(7), 1).dof == 3


def test_the_effective_sample_size_is_kish_s():
    from spillwatch.scenarios.identification._sampler import Posterior

    w = np.array([0.5, 0.25, 0.25])
    post = Posterior(np.zeros((3, 1, 1)), np.zeros((3, 1, 1)), w, 1.0)
    assert post.ess == pytest.approx(1.0 / (0.25 + 0.0625 + 0.0625))      # 2.667
    assert Posterior(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.full(4, 0.25), 1.0).ess == \
        pytest.approx(4.0)


def test_bic_compares_every_order_on_the_same_rows():
    from spillwatch.scenarios.identification import SignRestrictedSVAR

    rng = np.random.default_rng(22)
    t, n = 300, 2
    y = np.zeros((t, n))
    for i in range(2, t):
        y[i] = 0.4 * y[i - 1] - 0.3 * y[i - 2] + rng.normal(size=n)
    top = 4
    lags, bic = SignRestrictedSVAR(lags="bic", max_lags=top)._choose_lags(y)
    want = {}
    for p in range(1, top + 1):
        # regress y_t on 1, y_{t-1} .. y_{t-p} for t = top .. T-1: the same rows for every p
        x = np.column_stack([np.ones(t - top)] + [y[top - lag:t - lag] for lag in range(1, p + 1)])
        b, *_ = np.linalg.lstsq(x, y[top:], rcond=None)
        u = y[top:] - x @ b
        nobs = t - top
        want[p] = np.linalg.slogdet(u.T @ u / nobs)[1] + np.log(nobs) * x.shape[1] * n / nobs
    assert set(bic) == set(want)
    for p in want:
        assert bic[p] == pytest.approx(want[p], abs=1e-9)
    assert lags == min(want, key=want.get) == 2


def test_a_default_variable_starting_31_days_in_is_long_enough_and_32_is_not():
    import pandas as pd

    from spillwatch.scenarios.identification import SignRestrictedSVAR

    idx = pd.date_range("2020-01-01", "2020-03-31", freq="D")
    panel = pd.DataFrame({"ust10y_bp": 1.0, "btc_pct": np.nan, "eth_pct": np.nan}, index=idx)
    panel.loc["2020-02-01":, "btc_pct"] = 1.0          # 31 days after 01-01
    panel.loc["2020-02-02":, "eth_pct"] = 1.0          # 32 days after
    spec = SignRestrictedSVAR(start=None)
    assert spec._long_enough(panel, "btc_pct")
    assert not spec._long_enough(panel, "eth_pct")
