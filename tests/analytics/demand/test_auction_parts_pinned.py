"""The long auction's parts are the weakest weak auction's of its day, and a missing part is
None (not NaN): h_mut7's mutants (the other auction of the day picked, NaN passed on) survived
the real-data test, whose 10- and 30-year auctions never fall on one day."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.demand.facts import AUCTION_NUMBERS, auction_columns


def test_the_parts_are_of_the_weakest_auction_of_the_day_and_a_missing_one_is_none():
    t = pd.DataFrame({
        "date": pd.to_datetime(["2024-03-05", "2024-03-14", "2024-03-14"]),
        "class_years": [3, 10, 30], "excluded": False, "weak": [False, True, True],
        "weakness": [0.1, 1.0, 2.0], "indirect_pct": [60.0, 55.0, np.nan],
        "indirect_dev_pp": [0.5, -6.0, -9.0], "dealer_pct": [15.0, 20.0, 25.0]})
    # no bid_to_cover column at all: unknown
    got = auction_columns(t, pd.DatetimeIndex(["2024-03-15"]), 7, (10, 30))
    assert got["tenor"] == ["30-year and 10-year"]      # the weakest first
    assert got["weakness"] == [2.0]
    assert got["indirect_dev_pp"] == [-9.0] and got["dealer_pct"] == [25.0]
    assert got["indirect_pct"] == [None] and got["bid_to_cover"] == [None]
    assert set(AUCTION_NUMBERS) <= set(got)
