"""h_mut18: clean_series's missing="raise" names the interior gaps (a mutant never raised)."""

import numpy as np
import pandas as pd
import pytest

from spillwatch._validation import clean_series
from spillwatch.exceptions import DataError


def test_an_interior_gap_raises_with_missing_raise_and_is_dropped_otherwise():
    days = pd.bdate_range("2025-01-02", periods=8)
    s = pd.Series([0.1, -0.2, np.nan, 0.3, -0.1, np.nan, 0.2, -0.3], index=days, name="dgs10")
    with pytest.raises(DataError, match=r"'dgs10' has 2 missing value\(s\) inside .*"
                                        r"2025-01-06.*2025-01-09"):
        clean_series(s, min_obs=3, purpose="the test", missing="raise")
    assert len(clean_series(s, min_obs=3, purpose="the test")) == 6


def test_one_observation_short_of_min_obs_is_refused():
    days = pd.bdate_range("2025-01-02", periods=5)
    s = pd.Series([0.1, -0.2, 0.3, -0.1, 0.2], index=days, name="dgs10")
    assert len(clean_series(s, min_obs=5, purpose="the test")) == 5
    with pytest.raises(DataError, match=r"'dgs10' has 5 observations .*needs at least 6"):
        clean_series(s, min_obs=6, purpose="the test")


def test_a_constant_or_infinite_series_is_refused_by_name_and_date():
    days = pd.bdate_range("2025-01-02", periods=6)
    flat = pd.Series([4.25] * 6, index=days, name="sofr")
    with pytest.raises(DataError, match=r"'sofr' is constant \(4.25 on all 6 observations"):
        clean_series(flat, min_obs=3, purpose="the test")
    inf = pd.Series([0.1, np.inf, 0.2, -0.1, 0.3, 0.1], index=days, name="btc")
    with pytest.raises(DataError, match="'btc' has infinite values on 2025-01-03"):
        clean_series(inf, min_obs=3, purpose="the test")
