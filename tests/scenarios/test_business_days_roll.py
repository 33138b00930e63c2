"""A coin's weekend changes join its Monday; a weekday's change stays on its own day.

``propagation.business_days`` counts the data's largest moves on business days (behind the
beyond-history warnings). h_mut26: rolling every row to the *next* business day
(``BDay(1)``) passed every test, moving each weekday's change a day later.
"""

from __future__ import annotations

import pandas as pd

from spillwatch.scenarios.propagation import business_days


def test_a_weekend_joins_the_monday_and_weekdays_stay():
    days = pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04",
                           "2024-03-05"])                     # Fri, Sat, Sun, Mon, Tue
    got = business_days(pd.Series([1.0, 2.0, 3.0, 4.0, None], index=days))
    want = pd.Series([1.0, 9.0], index=pd.to_datetime(["2024-03-01", "2024-03-04"]))
    pd.testing.assert_series_equal(got, want, check_names=False, check_freq=False,
                                   check_index_type=False)
