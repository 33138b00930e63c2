"""FHS VaR/ES on an EWMA volatility (``volatility=Volatility(model="ewma")``).

No test ran this path (``ValueAtRisk._sigma``'s EWMA branch): the filter's sigmas must be
each day's forecast from the days before it. Recomputed here by hand: RiskMetrics' recursion
over the fit window (sigma^2_0 the mean of its first 30 squares, lambda 0.94), the window's
moves divided by their sigma, and the next day's VaR/ES the next sigma times the historical
VaR/ES of those standardised moves (mu is 0 for EWMA).
"""
import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.volatility.garch import Volatility
from spillwatch.analytics.volatility.risk import ValueAtRisk


def test_fhs_on_ewma_is_the_next_sigma_times_the_standardised_tail():
    rng = np.random.default_rng(3)
    n, fit_window, window = 1_300, 1_000, 500
    idx = pd.bdate_range("2015-01-01", periods=n)
    scale = np.exp(np.cumsum(rng.standard_normal(n)) * 0.05)
    x = pd.Series(rng.standard_t(5, n) * scale, index=idx, name="spx_pct")
    got = ValueAtRisk(level=0.99, methods=("fhs",), window=window, fit_window=fit_window,
                      volatility=Volatility(model="ewma")).fit(x).table().iloc[0]
    w = x.to_numpy()[-fit_window:]
    s2 = np.empty(fit_window + 1)
    s2[0] = np.mean(w[:30] ** 2)
    for t in range(fit_window):
        s2[t + 1] = 0.94 * s2[t] + 0.06 * w[t] ** 2
    z = w / np.sqrt(s2[:-1])
    tail = np.sort(z[-window:])[:int(window * 0.01)]       # the 5 worst of 500 days
    assert got["var"] == pytest.approx(-np.sqrt(s2[-1]) * tail.max(), rel=1e-10)
    assert got["es"] == pytest.approx(-np.sqrt(s2[-1]) * tail.mean(), rel=1e-10)
    assert got["var"] == pytest.approx(49.586335, abs=1e-5)
