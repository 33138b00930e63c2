"""A book too short for its VaR, with no position to leave out and no window to move, is told
no way out that cannot help (it was told to leave its one series out of the book)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.exceptions import DataError
from spillwatch.service.risk import _require_book_history


def test_a_short_book_without_a_way_out_says_no_way():
    """A user's one series of 150 days, no window: no position to leave out, no --start or
    --end to move; the refusal gives the count and the need, and no advice that cannot help."""
    idx = pd.bdate_range("2024-01-02", periods=150)
    held = pd.DataFrame({"csv_myfund_pct": np.linspace(-1.0, 1.0, 150)}, index=idx)
    with pytest.raises(DataError) as err:
        _require_book_history(held["csv_myfund_pct"], held, need=200, what="99% VaR",
                              start=None, end=None)
    assert str(err.value).endswith(
        "the book has 150 days on which every position has a change, from 2024-01-02 to "
        "2024-07-29; 99% VaR needs at least 200")
