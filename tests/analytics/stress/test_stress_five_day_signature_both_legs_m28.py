"""The five-day signature reads only the days both legs report (h_mut28).

``StressIndex._five_day_signature``: "The five-day view on the days both legs report
(``unavailable`` on the others)". A mutant that read it on days either leg reported survived
the stress unit tests (only a real-data test holds the rule).
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress import compute
from spillwatch.analytics.stress.signature import classify_week


def test_the_five_day_view_is_unavailable_on_a_day_one_leg_did_not_report():
    rng = np.random.default_rng(3)
    n = 400
    idx = pd.bdate_range("2020-01-01", periods=n, name="date")
    ch = pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n), "usd_broad_pct": rng.normal(0, 0.3, n),
                       "spx_pct": rng.normal(0, 1, n)}, index=idx)
    ch.iloc[-8:-3, :2] = [[12.0, -0.6]] * 5          # a week of 'sell America'
    ch.iloc[-3:, 1] = np.nan                          # then the dollar stops for three days
    frame = compute(ch, burn_in=60).frame
    week = classify_week(ch)                          # the rule on each leg's own last report
    assert week.iloc[-4] == "sell_america"
    assert frame["signature_5d"].iloc[-4] == "sell_america"
    assert frame["signature_5d"].iloc[-3:].tolist() == ["unavailable"] * 3
