"""The event study's CAR t-statistic and its two-sided p-value, by hand (MacKinlay 1997).

A surviving mutant (h_mut2, EV05) made the CAR's p one-sided (``stats.t.sf`` without the 2):
every p-value a trader reads halved, "significant" at 5% from |t| = 1.67 instead of 2.00,
and no test looked at ``p``.
"""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spillwatch.analytics.events import Event, EventStudy


def _synthetic(n=200, seed=5):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    f = rng.standard_normal(n)
    y = 0.3 + 1.5 * f + 0.5 * rng.standard_normal(n)
    y[149:153] += [0.0, 1.2, 0.4, 0.3]          # an abnormal move around day 0
    return pd.DataFrame({"spx_pct": f, "btc_pct": y}, index=idx)


def test_car_t_and_two_sided_p_by_hand():
    """t_CAR = CAR / sqrt(1' V 1), V = s^2 (I + X_evt (X'X)^-1 X_evt'), p = 2 P(T_{n-2} > |t|)."""
    df = _synthetic()
    res = EventStudy(window=(-1, 2), estimation=60, gap=5, factors=("spx_pct",)).fit(
        df, [Event("x", df.index[150], "test")], series=["btc_pct"])
    est, evt = df.iloc[84:144], df.iloc[149:153]
    x = np.column_stack([np.ones(60), est["spx_pct"]])
    xe = np.column_stack([np.ones(4), evt["spx_pct"]])
    coef, *_ = np.linalg.lstsq(x, est["btc_pct"].to_numpy(), rcond=None)
    resid = est["btc_pct"].to_numpy() - x @ coef
    s2 = resid @ resid / (60 - 2)
    v = s2 * (np.eye(4) + xe @ np.linalg.inv(x.T @ x) @ xe.T)
    car = float((evt["btc_pct"].to_numpy() - xe @ coef).sum())
    t = car / np.sqrt(v.sum())
    p = 2 * stats.t.sf(abs(t), 58)
    row = res.car.iloc[0]
    assert row["car"] == pytest.approx(car, abs=1e-12)
    assert row["t"] == pytest.approx(t, rel=1e-10)
    assert row["p"] == pytest.approx(p, rel=1e-10)
    assert 0.0 < row["p"] < 1.0 and row["p"] > stats.t.sf(abs(t), 58)   # two-sided
