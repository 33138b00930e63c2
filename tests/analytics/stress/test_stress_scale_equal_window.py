"""A window of equal changes has no volatility, whatever the size of the changes before it.

pandas' rolling variance is a running sum: after a window's changes are all equal its standard
deviation reads a residue that scales with the changes that left the window (about 2.4e-10 after
the yuan's pegged pips, 1.5e-7 after the 10-year's basis points), so a fixed floor of 1e-9 read
the second as a volatility and the next move as a z-score of about ten million.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.stress.signals import scaled_change, scaled_changes


def _frozen_ten_year(shared_data) -> pd.Series:
    """fred/DGS10's daily changes (bp) to 1967-06-26, then 70 prints repeating the last yield
    (zero changes: a feed that stopped moving) and a 5 bp move."""
    s = pd.read_csv(shared_data / "fred" / "DGS10.csv", index_col=0, parse_dates=True,
                    na_values=".").iloc[:, 0]
    s = pd.to_numeric(s, errors="coerce").dropna().loc[:"1967-06-26"]
    bp = (100.0 * s.diff()).dropna()
    after = pd.bdate_range(bp.index[-1] + pd.offsets.BDay(), periods=71)
    tail = pd.Series(np.r_[np.zeros(70), 5.0], index=after)
    return pd.concat([bp, tail])


def test_a_move_after_equal_changes_is_not_scaled(shared_data):
    """The residue here is about 1.5e-7 (above the old floor); the move after 70 equal changes
    has no scale (NaN), in both the single-horizon and the shared-volatility routes."""
    x = _frozen_ten_year(shared_data)
    sd = x.rolling(60, min_periods=30).std()
    assert 1e-9 < sd.iloc[-2] < 1e-6       # the residue the old floor kept
    last = x.index[-1]
    assert np.isnan(scaled_change(x, horizon=1, window=60)[last])
    assert np.isnan(scaled_change(x, horizon=5, window=60)[last])
    for z in scaled_changes(x, (1, 5), window=60).values():
        assert np.isnan(z[last])
    # before the feed froze the 10-year is scaled as ever: 1967-06-26 over its 60 prior changes
    day = pd.Timestamp("1967-06-26")
    at = int(np.flatnonzero(x.index == day)[0])
    v = x.to_numpy()
    want = v[at] / np.std(v[at - 60:at], ddof=1)
    assert np.isclose(scaled_change(x, horizon=1, window=60)[day], want, rtol=1e-9)
