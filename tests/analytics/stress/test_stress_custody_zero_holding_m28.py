"""A custody holding of zero gives no percentage change (h_mut28).

``custody_chg_pct`` is "the same change as a percentage of the holdings before it (unit-free;
a holding of zero is not a value)". A mutant that checked only the holding before it survived
the suite: a print of 0 after $1,000bn read -100%, the largest fall the stress index could
rank, where a zero is a feed's placeholder, not a sale of every Treasury.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress.signals import compute_signals


def test_a_zero_holding_is_no_change_in_percent():
    idx = pd.bdate_range("2024-01-01", periods=20, name="date")
    ch = pd.DataFrame({"ust10y_bp": 1.0, "custody_chg_usd_bn": np.nan}, index=idx)
    lv = pd.DataFrame({"ust10y_pct": 4.0, "custody_usd_bn": np.nan}, index=idx)
    wed = idx[idx.day_of_week == 2]
    for day, level in zip(wed[:4], (1000.0, 990.0, 0.0, 1000.0), strict=True):
        lv.loc[day, "custody_usd_bn"] = level
    ch.loc[wed[1:4], "custody_chg_usd_bn"] = [-10.0, -990.0, 1000.0]
    sig = compute_signals(ch, lv)
    assert np.isclose(sig.loc[wed[1], "custody_chg_pct"], -1.0, rtol=1e-12)
    assert np.isnan(sig.loc[wed[2], "custody_chg_pct"])    # to a holding of zero
    assert np.isnan(sig.loc[wed[3], "custody_chg_pct"])    # from a holding of zero
