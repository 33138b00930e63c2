"""The future-date rule allows one day past the clock (a time-zone ahead), not two.

A surviving mutant (h_mut2, DQ01: ``limit + 1 day`` -> ``limit + 2 days``) let a point dated
the day after tomorrow be stored (a file stamped in the wrong year or time zone); the only test
of the rule used a date six years ahead.
"""
from __future__ import annotations

import pandas as pd

from spillwatch.data import quality
from spillwatch.data.providers.csvfile import SeriesSpec

UST = SeriesSpec("fred:DGS10", "10y", "pct", "daily", "rates", "fred", "DGS10", False)


def test_tomorrow_is_kept_and_the_day_after_is_quarantined():
    obs = pd.DataFrame({"series_id": UST.series_id,
                        "ts": pd.to_datetime(["2025-06-10", "2025-06-11", "2025-06-12"]),
                        "value": [4.0, 4.1, 4.2]})
    clean, q = quality.check(obs, [UST], source="s", now=pd.Timestamp("2025-06-10 12:00"))
    assert pd.DatetimeIndex(clean["ts"]).strftime("%Y-%m-%d").tolist() == [
        "2025-06-10", "2025-06-11"]
    assert len(q) == 1 and q["reason"].str.contains("future").all()
    assert str(q["raw_date"].iloc[0]).startswith("2025-06-12")
