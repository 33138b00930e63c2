"""Round-8 mutant killers for analytics/volatility/covar.py (h_mut8).

Adrian & Brunnermeier (2016, eqs. 6-7): CoVaR_q at the stress state x_(s) and
ΔCoVaR = beta (x_(s) - x_(50)); Koenker (2005, 3.9): the pairs bootstrap. The numbers below are
read off the data directly (order statistics, counts), not through the module's formulas.
"""
import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.covar import covar, quantile_line_draws


@pytest.fixture(scope="module")
def ladder():
    """201 days: the 10-year's changes are the whole numbers -100..100 bp in shuffled order
    (so its 95th percentile, 90 bp, is a day's own value), the target noisy and falling
    with them."""
    rng = np.random.default_rng(8)
    x = rng.permutation(np.arange(-100.0, 101.0))
    y = 0.2 - 0.01 * x + rng.standard_t(4, x.size)
    idx = pd.bdate_range("2022-01-03", periods=x.size, name="date")
    return pd.DataFrame({"ust10y_bp": x, "btc_pct": y}, index=idx)


def test_stress_days_are_the_days_at_or_above_the_level(ladder):
    """'n days at or above the level' (the summary's words): x_(95) = 90 bp exactly, so the
    days with 90, 91, ..., 100 bp, eleven of them (the mutant's '>' counted ten)."""
    res = covar(ladder, q=0.05, stress=(0.95,), min_obs=150)
    st = res.fits["btc_pct"]["states"][0.95]
    assert st["x_stress"] == 90.0
    on = ladder["ust10y_bp"] >= 90.0
    assert st["n_stress_days"] == 11 == int(on.sum())
    assert st["mean_on_stress_days"] == pytest.approx(float(ladder.loc[on, "btc_pct"].mean()),
                                                      rel=1e-12)


def test_var_q_is_the_target_s_lower_tail_quantile(ladder):
    """var_q: the target's own q = 5% quantile (np.quantile's linear rule: position
    0.05 x 200 = 10, the 11th smallest of 201), a loss, below its median; the mutant read the
    95% quantile."""
    res = covar(ladder, q=0.05, min_obs=150)
    ys = np.sort(ladder["btc_pct"].to_numpy())
    assert res.fits["btc_pct"]["var_q"] == pytest.approx(ys[10], rel=1e-12)
    assert res.frame.loc[("btc_pct", 0.95), "var_q"] < float(np.median(ys))


def test_a_stress_state_below_the_median_keeps_its_t(ladder):
    """A stress percentile may lie below the median (stress=(0.05,): the 10-year's rally).
    se(ΔCoVaR) = |x_(s) - x_(50)| se(beta) (module docstring) is positive either side, so
    the t is beta's own t with the sign of x_(s) - x_(50); the mutant's signed distance gave a
    negative standard error and no t (NaN)."""
    res = covar(ladder, q=0.05, stress=(0.05, 0.95), min_obs=150)
    f = res.fits["btc_pct"]
    low, high = f["states"][0.05], f["states"][0.95]
    assert low["x_stress"] == -90.0 and f["x_median"] == 0.0
    assert low["delta_covar_se"] == pytest.approx(90.0 * f["beta_se"], rel=1e-12)
    assert low["delta_covar_t"] == pytest.approx(-f["beta"] / f["beta_se"], rel=1e-12)
    assert high["delta_covar_t"] == pytest.approx(f["beta"] / f["beta_se"], rel=1e-12)


def test_each_bootstrap_intercept_is_the_best_for_its_slope():
    """For a slope b the check loss sum rho_q(y - a - b x) is minimised by a = the
    ceil(n q)-th smallest of y - b x (Koenker 2005, 1.3). With n q = 19.5 (n = 390) that
    order statistic is the unique minimiser; checked against every candidate intercept (each
    residual) by brute force. The mutant took the 21st smallest."""
    rng = np.random.default_rng(3)
    n, q = 390, 0.05
    x = rng.normal(0.0, 5.0, n)
    y = 0.05 * x + rng.standard_t(3, n)
    lines = quantile_line_draws(y, x, q, draws=8, seed=5)
    pick = np.random.default_rng(5).integers(0, n, size=(8, n))      # the same resamples
    for r in range(8):
        xs, ys = x[pick[r]], y[pick[r]]
        a, b = lines[r]
        resid = ys - b * xs

        def loss(c, resid=resid):
            e = resid - c
            return float((e * (q - (e < 0))).sum())

        best = min(loss(c) for c in np.unique(resid))
        assert loss(a) == pytest.approx(best, rel=1e-12, abs=1e-12)
