"""VaR backtest alignment, the Christoffersen counts and the GARCH mean's sign, against
figures computed here without the code under test.

Mutation testing (h_mut) found three changes that passed every volatility test:
- ``path = full.iloc[1:]`` in ``backtest_paths``: each day's return compared with the VaR made
  *after* it (look-ahead: the forecast for the next day, which already uses that return);
- ``pi11 = n11 / (n01 + n11)`` in ``christoffersen`` (a wrong denominator);
- ``+mu`` for ``-mu`` in the FHS / t VaR (a drifting series' VaR off by twice its mean).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from spillwatch.analytics.volatility.risk import ValueAtRisk, christoffersen


def test_each_backtest_day_is_scored_against_the_var_of_the_days_before_it():
    """Historical 99% VaR, window 100: the VaR on day t is minus the ceil(100 * 0.01) = 1st
    smallest of the 100 returns *before* t (never t's own), and a hit is a return below -VaR.
    One crash day planted at position 400: its own VaR must not see it, so it is a hit; the
    next 100 days' VaR is the crash itself."""
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 1.0, 700)
    x[400] = -25.0
    s = pd.Series(x, index=pd.bdate_range("2020-01-01", periods=len(x)), name="r_pct")
    spec = ValueAtRisk(methods=("historical",), window=100, fit_window=100, min_test=250)
    path = spec.backtest_series(s, "historical")
    first = len(x) - len(path)
    assert first == 100
    want = np.array([-np.sort(x[t - 100:t])[0] for t in range(first, len(x))])
    np.testing.assert_allclose(path["var"].to_numpy(), want, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(path["ret"].to_numpy(), x[first:])
    assert bool(path["hit"].iloc[400 - first]) is True
    assert path["var"].iloc[401 - first] == 25.0 and path["var"].iloc[400 - first] < 25.0
    np.testing.assert_array_equal(path["hit"].to_numpy(), x[first:] < -want)


def test_christoffersen_independence_statistic_by_hand():
    """Hits 0x8, 1, 1, 0x10, 1: transitions n00 = 16, n01 = 2, n10 = 1, n11 = 1, so
    pi01 = 2/18, pi11 = 1/2, pi = 3/20 and
    LR = -2 [17 ln(17/20) + 3 ln(3/20) - 16 ln(16/18) - 2 ln(2/18) - 2 ln(1/2)]."""
    hits = np.array([0] * 8 + [1, 1] + [0] * 10 + [1], dtype=bool)
    ll0 = 17 * math.log(17 / 20) + 3 * math.log(3 / 20)
    ll1 = 16 * math.log(16 / 18) + 2 * math.log(2 / 18) + 2 * math.log(1 / 2)
    lr = -2.0 * (ll0 - ll1)
    got = christoffersen(hits)
    assert abs(got.stat - lr) < 1e-12, (got.stat, lr)
    assert got.df == 1
    assert abs(got.pvalue - math.erfc(math.sqrt(lr / 2.0))) < 1e-12   # chi2(1) survival


def test_a_constant_shift_of_the_returns_shifts_every_var_by_minus_it():
    """VaR is translation-equivariant: VaR(X + c) = VaR(X) - c (the GARCH's constant mean takes
    the shift; its volatility does not change). A +2%/day drift lowers the t and FHS VaR by 2,
    it does not raise it."""
    rng = np.random.default_rng(3)
    n = 1300
    z = rng.standard_t(6, n) / math.sqrt(1.5)
    sig = np.empty(n)
    sig[0] = 1.0
    for t in range(1, n):
        sig[t] = math.sqrt(0.05 + 0.08 * (sig[t - 1] * z[t - 1]) ** 2 + 0.9 * sig[t - 1] ** 2)
    x = sig * z
    idx = pd.bdate_range("2015-01-01", periods=n)
    spec = ValueAtRisk(methods=("fhs", "t"), window=500, fit_window=1000, refit_every=250)
    base = spec.fit(pd.Series(x, index=idx, name="a_pct")).table()
    moved = spec.fit(pd.Series(x + 2.0, index=idx, name="a_pct")).table()
    for m in ("fhs", "t"):
        b, v = base.xs(m, level="method").iloc[0], moved.xs(m, level="method").iloc[0]
        assert abs((b["var"] - v["var"]) - 2.0) < 0.02, (m, b["var"], v["var"])
        assert abs((b["es"] - v["es"]) - 2.0) < 0.02, (m, b["es"], v["es"])


def test_the_garch_is_fitted_on_the_last_fit_window_days_only():
    """fit_window=1000: 'Days each GARCH re-estimation uses (the most recent ones)'. Older
    history, here 600 days at five times the volatility, must not change the next day's FHS or
    t VaR (an expanding fit let the 2008 or 2020 turmoil into every later VaR).

    Mutation testing (h_mut): ``lo = 0`` for ``lo = max(0, t0 - self.fit_window)`` passed every
    volatility test."""
    rng = np.random.default_rng(11)
    n = 1200
    x = rng.standard_t(6, n) / math.sqrt(1.5)
    old = 5.0 * rng.standard_t(6, 600) / math.sqrt(1.5)
    spec = ValueAtRisk(methods=("historical", "fhs", "t"), window=500, fit_window=1000)
    recent = pd.Series(x, index=pd.bdate_range("2018-01-01", periods=n), name="a_pct")
    before = pd.bdate_range(end=recent.index[0] - pd.offsets.BDay(1), periods=600)
    longer = pd.Series(np.concatenate([old, x]), index=before.append(recent.index),
                       name="a_pct")
    assert longer.index[-1] == recent.index[-1]
    a = spec.fit(recent).table()
    b = spec.fit(longer).table()
    for m in ("historical", "fhs", "t"):
        va, vb = a.xs(m, level="method").iloc[0], b.xs(m, level="method").iloc[0]
        assert abs(va["var"] - vb["var"]) < 1e-6 and abs(va["es"] - vb["es"]) < 1e-6, (
            m, va["var"], vb["var"])
