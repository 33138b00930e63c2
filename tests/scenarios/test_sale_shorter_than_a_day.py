"""A sale paced in less than half a day sells on one day, and its end is that day's end.

``sales_schedule`` sells a pace that rounds to no day (``weeks=0.05``: 0.25 days) on one day,
and ``Seller.end_day`` counts that day: mutation testing (h_mut26) found that dropping the
``max(1, ...)`` of ``end_day`` passed every test, though the sale's end then came before its
only day (a default horizon one day short, and "covers the sale" said of a horizon that
stops on the day it sells).
"""

from __future__ import annotations

import numpy as np

from spillwatch.scenarios import Seller, SelloffScenario
from spillwatch.scenarios.run import AFTER_SALE_DAYS, default_horizon, horizon_info


def test_a_sale_of_a_quarter_day_sells_on_one_day_and_ends_after_it():
    s = Seller("japan", 10e9, weeks=0.05, start_weeks=1.0)       # days 5 (a week of five)
    assert (s.start_day, s.end_day) == (5, 6)
    sc = SelloffScenario((s,))
    sales = sc.sales(30)
    assert np.flatnonzero(sales).tolist() == [5] and sales[5] == 10e9
    assert sc.sale_end_day == 6
    assert default_horizon(sc) == 6 + AFTER_SALE_DAYS
    # a horizon of 6 business days (0..5) holds the sale; one of 5 holds none of it
    held = horizon_info(sc, 6)
    assert held["covers_sale"] and held["sold_within_horizon_usd"] == 10e9
    info = horizon_info(sc, 5)
    assert not info["covers_sale"] and info["share_within_horizon"] == 0.0
