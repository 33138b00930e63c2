"""The yield-dollar correlation runs over the last 60 days both legs reported (h_mut28).

signals.py: "correlation of 10-year yield changes with broad-dollar returns over the last 60
days both reported". A mutant that aligned the legs on the union of their dates survived the
stress unit tests: the window then counted days only one leg reported and read fewer pairs.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress.signals import compute_signals


def test_the_correlation_is_pearson_s_over_the_last_60_joint_days():
    rng = np.random.default_rng(9)
    n = 200
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    y = rng.normal(0, 5, n)
    d = -0.04 * y + rng.normal(0, 0.3, n)
    d[rng.random(n) < 0.25] = np.nan          # the dollar missing on a quarter of the days
    ch = pd.DataFrame({"ust10y_bp": y, "usd_broad_pct": d}, index=idx)
    got = compute_signals(ch)["yield_dollar_corr"]
    both = np.flatnonzero(~np.isnan(d))
    last = both[-60:]
    want = np.corrcoef(y[last], d[last])[0, 1]
    assert np.isclose(got.iloc[both[-1]], want, rtol=1e-10)
    assert want < -0.2                          # the dollar leg's own sign, visibly
