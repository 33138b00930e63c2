"""The VaR backtest's summary prints each p-value on its side of 5% (h_mut11).

``p_value`` replaced ``:.3f`` in the three p-values of each line (c2f1bb2), but no test had a p
within half a thousandth of 5%: putting ``:.3f`` back in any of them left the suite green. The
violations here are placed so that each p lands there (by the tests' formulas, scipy's chi2 sf):

- 3 of 76 days at 99%: Kupiec LR 3.8294, p 0.050474 ("0.050 ... FAIL" read a p on the line);
- 3 of 112 days, two of them in a row: Christoffersen p 0.049867 (fails: "0.0499");
- 2 of 34 changes spanning a weekend: Kupiec p 0.049714 ("too many": "0.0497").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import xlogy

from spillwatch.analytics.volatility.risk import BacktestResult, ValueAtRisk


def _path(days: pd.DatetimeIndex, hit: np.ndarray) -> pd.DataFrame:
    n = len(days)
    return pd.DataFrame({"var": np.full(n, 2.0), "es": np.full(n, 2.5),
                         "ret": np.where(hit, -3.0, 0.1), "hit": hit}, index=days)


def _kupiec_p(n: int, x: int, level: float = 0.99) -> float:
    p, ph = 1 - level, x / n
    lr = -2 * ((xlogy(n - x, 1 - p) + xlogy(x, p)) - (xlogy(n - x, 1 - ph) + xlogy(x, ph)))
    return float(stats.chi2.sf(lr, 1))


def _lines() -> dict[str, str]:
    # every day of the week: no change spans two days or more (but the spanning set's)
    pof_days = pd.date_range("2024-01-01", periods=76, freq="D")
    pof = np.zeros(76, dtype=bool)
    pof[[10, 30, 50]] = True
    ind_days = pd.date_range("2024-01-01", periods=112, freq="D")
    ind = np.zeros(112, dtype=bool)
    ind[[10, 11, 22]] = True
    # business days from a Tuesday: each Monday's change spans the weekend (34 of 170)
    span_days = pd.bdate_range("2024-01-02", periods=170)
    span = np.zeros(170, dtype=bool)
    mondays = np.flatnonzero(span_days.day_of_week == 0)
    assert len(mondays) == 34
    span[mondays[[5, 20]]] = True
    bt = BacktestResult(ValueAtRisk(level=0.99), {
        ("pof", "hs"): _path(pof_days, pof), ("ind", "hs"): _path(ind_days, ind),
        ("span", "hs"): _path(span_days, span)})
    return {ln.split()[0]: ln for ln in str(bt).splitlines()[1:]}


def test_the_p_values_near_five_percent_read_on_their_side():
    assert abs(_kupiec_p(76, 3) - 0.050474) < 1e-6
    assert abs(_kupiec_p(34, 2) - 0.049714) < 1e-6
    lines = _lines()
    assert "Kupiec p=0.0505, " in lines["pof"] and lines["pof"].endswith("pass"), lines["pof"]
    assert "Christoffersen p=0.0499 FAIL" in lines["ind"], lines["ind"]
    assert "2/34 (expected 0.3), Kupiec p=0.0497: too many" in lines["span"], lines["span"]
