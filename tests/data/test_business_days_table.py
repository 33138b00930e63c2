"""The panel's calendar: the sorted unique dates of its series, by a table of days (h_speed4).

``business_days`` took ``np.unique`` of every stamp of every series (a sort of 261,761 stamps
for the real store's 24 business-day series, on each panel build); the midnights a panel holds
are now marked in a table of days. It must be ``np.unique`` to the bit, in every unit, and fall
back to it for times of day and NaT.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.data.panel import RawSeries, _sorted_unique, business_days


@pytest.mark.parametrize("unit", ["D", "h", "m", "s", "ms", "us", "ns"])
def test_the_table_of_days_is_numpys_unique(unit):
    rng = np.random.default_rng(11)
    for case in range(40):
        k = int(rng.integers(0, 500))
        day = rng.integers(0, 40, k) if case % 2 else rng.integers(-20_000, 20_000, k)
        a = np.array(day, dtype="datetime64[D]").astype(f"datetime64[{unit}]")
        if case % 5 == 1 and unit != "D" and k:     # a time of day: numpy's own unique
            a = a + np.array(rng.integers(0, 3, k), dtype=f"timedelta64[{unit}]")
        if case % 7 == 3 and k:
            a[0] = np.datetime64("NaT")
        want, got = np.unique(a), _sorted_unique(a)
        assert got.dtype == want.dtype
        assert got.view("i8").tolist() == want.view("i8").tolist()


def test_business_days_are_the_weekdays_any_series_printed():
    idx = pd.bdate_range("2024-12-20", "2025-01-10")
    raw = RawSeries({"a": pd.Series(1.0, index=idx[::2]),
                     "b": pd.Series(2.0, index=idx[1:7].append(pd.DatetimeIndex(
                         ["2025-01-04", "2025-01-10"]))),          # a Saturday is no weekday
                     "c": pd.Series(dtype="float64", index=pd.DatetimeIndex([]))},
                    {"a": ["x:a"], "b": ["x:b"], "c": ["x:c"]})
    got = business_days(raw, ["a", "b", "c"])
    want = pd.DatetimeIndex(sorted(set(idx[::2]) | set(idx[1:7]) | {pd.Timestamp("2025-01-10")}))
    assert got.equals(want) and got.dtype == want.dtype


@pytest.mark.parametrize("unit", ["D", "ns"])
def test_no_stamps_are_numpys_unique_of_none(unit):
    # h_mut12: an empty array goes to np.unique, not to a table of days of no minimum
    a = np.array([], dtype=f"datetime64[{unit}]")
    got = _sorted_unique(a)
    assert got.dtype == a.dtype and len(got) == 0
