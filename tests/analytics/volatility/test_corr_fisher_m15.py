"""The DCC/EWMA stress table's Fisher interval at its first n (h_mut15, mutation round 15).

A mutant asking n > 4 survived: no test had four stress days, the first count with an
interval (tests/analytics/volatility/test_corr_pins_m8.py pins three, without one).
"""
import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.correlation import correlation


def test_four_stress_days_have_fisher_s_interval_of_half_width_1_96():
    """n = 4 is the first n > 3: tanh(atanh r +- 1.96 / sqrt(1)) (correlation.stress_table)."""
    rng = np.random.default_rng(21)
    x = rng.standard_normal((300, 2))
    x[:, 1] = 0.6 * x[:, 0] + 0.8 * x[:, 1]
    df = pd.DataFrame(x, index=pd.bdate_range("2023-01-02", periods=300), columns=["a", "b"])
    res = correlation(df, method="ewma")
    days = res.data.index[[40, 120, 200, 250]]
    row = res.stress_table(pd.Series(True, index=days)).loc["a~b"]
    on = res.data.loc[days]
    r = np.corrcoef(on["a"], on["b"])[0, 1]
    assert row["n_stress"] == 4
    assert row["realised_stress_lo"] == pytest.approx(np.tanh(np.arctanh(r) - 1.96), rel=1e-12)
    assert row["realised_stress_hi"] == pytest.approx(np.tanh(np.arctanh(r) + 1.96), rel=1e-12)
