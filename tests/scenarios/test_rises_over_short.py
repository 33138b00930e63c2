"""``rises_over`` past the length of its series (h_mut14): a fit's sample shorter than the days
asked (a short store, a long horizon) reads, for every longer window, the whole series' largest
rise, as ``moves_over`` does; the last windows were left unread or stopped one row short."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.scenarios._market import moves_over, rises_over


def test_windows_as_long_as_the_series_and_longer_read_the_whole_series():
    level = pd.Series([0.0, 5.0, -3.0, 4.0, 10.0])       # largest rises: 7, 13, 13, 13, ...
    got = rises_over(level, 8)
    assert got == pytest.approx([moves_over(level, t)[1] for t in range(1, 9)])
    assert got == pytest.approx([7.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0])
    # the pair of the first and last rows is a rise of the longest window only
    level = pd.Series([0.0, 1.0, 2.0, 3.0, 10.0, 20.0])
    got = rises_over(level, 6)
    assert got == pytest.approx([moves_over(level, t)[1] for t in range(1, 7)])
    assert got[4] == pytest.approx(20.0) and not np.isnan(got).any()
