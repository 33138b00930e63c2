"""GARCH fits are kept in the process by spec, name, dates and values: a workspace opened again
on the same data (the server after a revision of another series) refits nothing it has fitted."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.garch import Volatility
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace


def _series(rng: np.random.Generator, n: int = 600) -> pd.Series:
    z = rng.standard_t(6, n)
    var = np.empty(n)
    var[0] = 1.0
    x = np.empty(n)
    for t in range(n):
        if t:
            var[t] = 0.05 + 0.08 * x[t - 1] ** 2 + 0.9 * var[t - 1]
        x[t] = np.sqrt(var[t]) * z[t]
    return pd.Series(x, index=pd.bdate_range("2020-01-01", periods=n), name="x")


def test_the_same_data_is_one_fit_and_any_change_is_another(rng):
    spec = Volatility(model="garch")
    x = _series(rng)
    first = spec.fit_series(x, name="a")
    assert spec.fit_series(x.copy(), name="a") is first
    assert Volatility(model="garch").fit_series(x, name="a") is first     # an equal spec
    # a revised last value, the same values on other dates, another spec or name: refitted
    revised = x.copy()
    revised.iloc[-1] *= 3.0
    moved = spec.fit_series(revised, name="a")
    assert moved is not first and moved.cond_vol.index.equals(first.cond_vol.index)
    assert moved.forecast_var[0] != first.forecast_var[0]
    shifted = spec.fit_series(x.set_axis(x.index + pd.offsets.BDay(1)), name="a")
    assert shifted is not first and shifted.cond_vol.index[0] == pd.Timestamp("2020-01-02")
    other = dataclasses.replace(spec, horizon=5).fit_series(x, name="a")
    assert other is not first and len(other.forecast_var) == 5
    named = spec.fit_series(x, name="b")
    assert named is not first and named.name == "b"
    # what is kept is what a fit computes (the seed moves no analytic GARCH forecast)
    fresh = dataclasses.replace(spec, seed=1).fit_series(x, name="a")
    assert fresh is not first
    pd.testing.assert_series_equal(fresh.params, first.params)
    np.testing.assert_array_equal(fresh.forecast_var, first.forecast_var)


@pytest.mark.slow
def test_a_second_workspace_on_the_same_data_refits_nothing():
    with Workspace("demo") as one, Workspace("demo") as two:
        a, b = risk.volatility(one), risk.volatility(two)
    assert a is not b and a.fits and set(a.fits) == set(b.fits)
    assert all(b.fits[k] is a.fits[k] for k in a.fits)


def test_a_revision_below_float32_precision_is_another_fit(rng):
    # the key reads the values as float64: a revision of 1e-9 on a value near 1 (lost in a
    # float32) is another series, fitted anew
    spec = Volatility(model="garch")
    x = _series(rng, 300)
    first = spec.fit_series(x, name="a")
    revised = x.copy()
    revised.iloc[-1] += 1e-9 * max(1.0, abs(revised.iloc[-1]))
    assert spec.fit_series(revised, name="a") is not first
