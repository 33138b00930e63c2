"""GARCH-family persistence, the integrated-GARCH note, and the mean read in the series' units."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.garch import (
    INTEGRATED,
    SeriesVolatility,
    Volatility,
    VolatilityResult,
)


def _fit(model: str, params: dict[str, float]) -> SeriesVolatility:
    idx = pd.bdate_range("2024-01-01", periods=5)
    s = pd.Series(np.ones(5), index=idx, name="x_pct")
    return SeriesVolatility(name="x_pct", model=model, dist="t", params=pd.Series(params),
                            scale=1.0, cond_vol=s, std_resid=s, forecast_var=np.ones(10))


def test_gjr_persistence_counts_half_the_asymmetry():
    """GJR-GARCH(1,1) with symmetric shocks: alpha + beta + gamma/2 (Glosten et al. 1993)."""
    f = _fit("gjr-garch", {"omega": 0.02, "alpha[1]": 0.03, "gamma[1]": 0.10, "beta[1]": 0.90})
    assert f.persistence == pytest.approx(0.03 + 0.90 + 0.05, abs=1e-15)
    assert _fit("egarch", {"omega": 0.0, "alpha[1]": 0.1, "gamma[1]": -0.05,
                           "beta[1]": 0.97}).persistence == 0.97


def test_a_garch_at_the_stationarity_limit_is_noted_from_0_999():
    """The note on an integrated GARCH starts at persistence 0.999 itself (ether's 1.000)."""
    assert INTEGRATED == 0.999
    at = _fit("garch", {"omega": 0.01, "alpha[1]": 0.099, "beta[1]": 0.9})
    below = _fit("garch", {"omega": 0.01, "alpha[1]": 0.0985, "beta[1]": 0.9})
    spec = Volatility(model="garch")
    data = pd.DataFrame({"x_pct": at.cond_vol})
    assert math.isclose(at.persistence, 0.999, abs_tol=1e-15)
    assert len(VolatilityResult(spec, data, {"x_pct": at}).notes()) == 1
    assert VolatilityResult(spec, data, {"x_pct": below}).notes() == []


def _garch_series(n=400, seed=3):
    rng = np.random.default_rng(seed)
    r, s2 = np.zeros(n), 1.0
    for t in range(n):
        r[t] = 0.3 + math.sqrt(s2) * rng.standard_normal()
        s2 = 0.1 + 0.1 * (r[t] - 0.3) ** 2 + 0.8 * s2
    return r, pd.bdate_range("2021-01-04", periods=n)


def test_the_fitted_mean_is_in_the_series_units():
    """A series fitted after scaling by 100 gives its mean back in its own units (mu / 100),
    so its standardised residuals equal those of the same series 100 times larger."""
    r, idx = _garch_series()
    spec = Volatility(model="garch", dist="normal", horizon=2)
    big = spec.fit_series(pd.Series(r, idx, name="a"))
    small = spec.fit_series(pd.Series(r / 100.0, idx, name="b"))
    assert small.scale == 100.0 * big.scale
    assert small.mu == pytest.approx(big.mu / 100.0, rel=1e-4)
    assert abs(big.mu - float(np.mean(r))) < 0.1                 # near the sample mean
    np.testing.assert_allclose(small.std_resid.to_numpy(), big.std_resid.to_numpy(), rtol=1e-3)


def test_the_cumulative_10_day_vol_sums_the_garch_path():
    """``vol_cum_10d`` is the root of the summed daily variances of the GARCH path
    (sigma2_{T+h} = V + (alpha + beta)^(h-1) (sigma2_{T+1} - V), V = omega / (1 - alpha - beta)),
    not ten times the tenth day's variance."""
    r, idx = _garch_series()
    res = Volatility(model="garch", dist="normal", horizon=10).fit(pd.Series(r, idx, name="a"))
    f = res["a"]
    p, sc = f.params, f.scale
    ab = p["alpha[1]"] + p["beta[1]"]
    v = p["omega"] / (1.0 - ab)
    path = v + ab ** np.arange(10) * (f.forecast_var[0] * sc**2 - v)
    np.testing.assert_allclose(f.forecast_var * sc**2, path, rtol=1e-8)
    row = res.table().loc["a"]
    assert row["vol_cum_10d"] == pytest.approx(math.sqrt(path.sum()) / sc, rel=1e-8)
    assert row["vol_10d"] == pytest.approx(math.sqrt(path[-1]) / sc, rel=1e-8)
