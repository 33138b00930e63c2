"""A volatility fit of a panel holding a column twice is refused in words (h_cov1's probe).

``pd.concat([panel, mine], axis=1)`` with a column in both: each name read two columns as one
series and the fit ran without a word, where connectedness and the event study refuse it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.exceptions import DataError


def test_a_column_given_twice_is_refused():
    rng = np.random.default_rng(3)
    idx = pd.bdate_range("2020-01-01", periods=300)
    frame = pd.DataFrame({"btc_pct": rng.standard_t(5, 300) * 3.0,
                          "spx_pct": rng.standard_normal(300)}, index=idx)
    twice = pd.concat([frame, frame[["btc_pct"]]], axis=1)
    with pytest.raises(DataError, match=r"column names must be unique, got duplicates "
                                        r"\['btc_pct'\]"):
        sw.volatility(twice, model="ewma")
    # the same panel without the copy fits each column
    res = sw.volatility(frame, model="ewma")
    assert sorted(res.fits) == ["btc_pct", "spx_pct"]
    # each column's own: its standardised residuals are its changes over its own volatility
    for c in frame.columns:
        f = res.fits[c]
        pd.testing.assert_series_equal(f.std_resid, (frame[c] - f.mu) / f.cond_vol,
                                       check_names=False)
