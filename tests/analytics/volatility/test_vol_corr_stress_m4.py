"""EWMA correlation on a date and the calm vs stress table, against loops and pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.correlation import correlation


def _panel(n=300, seed=11):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2))
    x[:, 1] = 0.6 * x[:, 0] + 0.8 * x[:, 1]
    return pd.DataFrame(x, index=pd.bdate_range("2023-01-02", periods=n), columns=["a", "b"])


def _ewma_corr_before(x: np.ndarray, t: int, lam=0.94, init_obs=30) -> float:
    """Correlation of day t from the changes before it (RiskMetrics loop)."""
    s = np.mean([np.outer(r, r) for r in x[:init_obs]], axis=0)
    for r in x[:t]:
        s = lam * s + (1 - lam) * np.outer(r, r)
    return float(s[0, 1] / np.sqrt(s[0, 0] * s[1, 1]))


def test_the_correlation_on_a_date_is_the_one_made_the_evening_before():
    """``at(date)`` is day t's correlation given the days before it (no look-ahead)."""
    df = _panel()
    res = correlation(df, method="ewma")
    day = df.index[200]
    assert res.at(day).loc["a", "b"] == pytest.approx(_ewma_corr_before(df.to_numpy(), 200),
                                                      abs=1e-12)
    assert res.at().loc["a", "b"] == pytest.approx(_ewma_corr_before(df.to_numpy(), 300),
                                                   abs=1e-12)


def test_calm_and_stress_days_each_average_their_own_days():
    """``stress``/``calm``: the mean forecast over each set of days; ``realised_*``: the sample
    correlation of the days' own moves; Fisher's interval uses each set's own count."""
    df = _panel()
    res = correlation(df, method="ewma")
    stress = pd.Series(df["a"] > df["a"].quantile(0.9), index=df.index)
    t = res.stress_table(stress).iloc[0]
    pair = res.pairs.iloc[:, 0]
    assert t["stress"] == pytest.approx(pair[stress].mean(), abs=1e-12)
    assert t["calm"] == pytest.approx(pair[~stress].mean(), abs=1e-12)
    r_c = df[~stress].corr().loc["a", "b"]
    n_c = int((~stress).sum())
    half = 1.96 / np.sqrt(n_c - 3)
    assert t["realised_calm"] == pytest.approx(r_c, abs=1e-12)
    assert t["realised_calm_lo"] == pytest.approx(np.tanh(np.arctanh(r_c) - half), abs=1e-12)
    assert t["n_stress"] == int(stress.sum()) == 30
