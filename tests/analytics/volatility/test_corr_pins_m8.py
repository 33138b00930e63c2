"""Round-8 mutant killers for analytics/volatility/correlation.py (h_mut8)."""
import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.correlation import correlation, dcc_loglik


def _panel(n=300, seed=21):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2))
    x[:, 1] = 0.6 * x[:, 0] + 0.8 * x[:, 1]
    return pd.DataFrame(x, index=pd.bdate_range("2023-01-02", periods=n), columns=["a", "b"])


def test_a_plus_b_of_one_is_outside_the_stationary_region():
    """Engle (2002, after eq. 26): the DCC needs a + b < 1; a + b = 1 exactly (0.25 + 0.75,
    exact in binary) is an integrated Q and scores -inf; just inside it scores finitely. The
    mutant (``a + b > 1``) scored the boundary."""
    z = _panel().to_numpy()
    qbar = z.T @ z / len(z)
    assert dcc_loglik(np.array([0.25, 0.75]), z, qbar) == -np.inf
    assert np.isfinite(dcc_loglik(np.array([0.25, 0.7499]), z, qbar))


def test_three_stress_days_have_a_correlation_but_no_fisher_interval():
    """On exactly three stress days the pair's sample correlation exists (np.corrcoef of the
    three days' changes, the EWMA's moves), but Fisher's interval tanh(atanh r +- 1.96 /
    sqrt(n - 3)) needs n > 3: NaN. (One mutant read no correlation on three days, another an
    'interval' with sqrt(0) replaced by 1.)"""
    df = _panel()
    res = correlation(df, method="ewma")
    days = res.data.index[[40, 120, 250]]
    t = res.stress_table(pd.Series(True, index=days))
    row = t.loc["a~b"]
    assert row["n_stress"] == 3
    on = res.data.loc[days]
    assert row["realised_stress"] == pytest.approx(np.corrcoef(on["a"], on["b"])[0, 1],
                                                   rel=1e-12)
    assert np.isnan(row["realised_stress_lo"]) and np.isnan(row["realised_stress_hi"])
    assert np.isfinite(row["realised_calm_lo"])
