"""Treasury sell-off days of the correlation summary: the 10-year's change *at or above* its
95th percentile (changes come in whole basis points, so many sit on the threshold)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.volatility.correlation import correlation
from spillwatch.service.risk import CorrelationReport, correlation_summary


def test_sell_off_days_include_the_days_on_the_threshold():
    rng = np.random.default_rng(5)
    n = 400
    ten = np.round(rng.standard_normal(n) * 5.0)            # whole bp: ties at the threshold
    btc = 0.2 * ten + rng.standard_normal(n) * 3.0
    df = pd.DataFrame({"ust10y_bp": ten, "btc_pct": btc},
                      index=pd.bdate_range("2023-01-02", periods=n))
    rep = CorrelationReport(result=correlation(df, method="ewma"))
    got = correlation_summary(rep)
    thr = float(np.quantile(ten, 0.95))
    assert thr == round(thr)                                 # the threshold is a whole bp
    at_or_above = int((ten >= thr).sum())
    assert at_or_above > int((ten > thr).sum())               # some days sit on it
    assert got["selloff_threshold_bp"] == thr
    assert got["selloff_days"] == at_or_above
    assert got["selloff_share"] == at_or_above / n
    assert rep.selloff_table()["n_stress"].iloc[0] == at_or_above
