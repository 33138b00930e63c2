"""The volatility table's figures against plain loops: EWMA's day-by-day level, the next day's,
the cumulative 10 days, the annualised figure on each calendar, the realised 20-day sd."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from spillwatch.analytics.volatility.garch import volatility


def _ewma_loop(r, lam=0.94, init_obs=30):
    s = [float(np.mean(r[:init_obs] ** 2))]
    for x in r:
        s.append(lam * s[-1] + (1 - lam) * x * x)
    return np.array(s)        # s[t]: the variance of day t from the days before it; s[T]: next


def _series(index, seed=4):
    r = np.random.default_rng(seed).standard_normal(len(index)) * 1.7
    r[-25:] *= 3.0           # a louder last month: realised and model levels differ clearly
    return pd.Series(r, index=index, name="x_pct")


def test_ewma_volatility_is_of_the_days_before_and_forecasts_flat():
    """cond_vol[t] is the EWMA of the changes *before* day t; the forecast is the next day's.

    The table's vol_last, vol_1d, vol_10d and vol_cum_10d follow from the recursion written
    as a loop here (a cond_vol that read day t's own change would look ahead one day).
    """
    x = _series(pd.bdate_range("2022-01-03", periods=300))
    s = _ewma_loop(x.to_numpy())
    res = volatility(x)
    np.testing.assert_allclose(res.cond_vol["x_pct"].to_numpy(), np.sqrt(s[:-1]), rtol=1e-10)
    row = res.table().loc["x_pct"]
    assert math.isclose(row["vol_last"], math.sqrt(s[-2]), rel_tol=1e-10)
    assert math.isclose(row["vol_1d"], math.sqrt(s[-1]), rel_tol=1e-10)
    assert math.isclose(row["vol_10d"], math.sqrt(s[-1]), rel_tol=1e-10)
    assert math.isclose(row["vol_cum_10d"], math.sqrt(10 * s[-1]), rel_tol=1e-10)


def test_realised_vol_is_the_sample_sd_of_the_last_20_changes():
    """``realised_20d``: the ddof=1 sd of the last 20 changes (not 19 or 21, not ddof=0)."""
    x = _series(pd.bdate_range("2022-01-03", periods=300))
    want = float(np.std(x.to_numpy()[-20:], ddof=1))
    got = volatility(x).table().loc["x_pct", "realised_20d"]
    assert math.isclose(got, want, rel_tol=1e-12)
    assert not math.isclose(got, float(np.std(x.to_numpy()[-21:], ddof=1)), rel_tol=1e-6)


def test_annual_vol_is_the_next_day_times_root_252_or_root_365():
    """Business-day series annualise by sqrt(252), a coin's every-day series by sqrt(365)."""
    for index, days in ((pd.bdate_range("2022-01-03", periods=300), 252.0),
                        (pd.date_range("2022-01-01", periods=300, freq="D"), 365.0)):
        x = _series(index)
        s = _ewma_loop(x.to_numpy())
        row = volatility(x).table().loc["x_pct"]
        assert math.isclose(row["vol_annual"], math.sqrt(s[-1]) * math.sqrt(days), rel_tol=1e-10)
