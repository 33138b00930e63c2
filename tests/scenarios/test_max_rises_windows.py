"""The 10-year's largest rise is read over every window up to 1,000 business days.

``propagation.max_rises``: the highest level minus the lowest of the preceding ``w`` rows, for
each of ``RISE_WINDOWS`` (a sale's target is compared with the window that covers its days;
a sale of four years reads the 1,000-day one). h_mut26: dropping the 1,000-day window passed
every test. The expected values are a brute-force scan of the running level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.scenarios.propagation import RISE_WINDOWS, max_rises


def test_each_window_s_largest_rise_is_the_brute_force_scan():
    assert RISE_WINDOWS == (5, 10, 20, 40, 60, 120, 250, 500, 1000)
    x = pd.Series(np.random.default_rng(4).normal(size=1500),
                  index=pd.bdate_range("2019-01-01", periods=1500))
    got = max_rises(x)
    assert list(got) == [str(w) for w in RISE_WINDOWS]
    level = np.concatenate([[0.0], np.cumsum(x.to_numpy())])
    for w in RISE_WINDOWS:
        want = max(level[t] - level[max(0, t - w):t + 1].min() for t in range(len(level)))
        assert got[str(w)] == pytest.approx(want, abs=1e-9), w
