"""A price of exactly zero is quarantined as non-positive, like a negative one.

A surviving mutant (h_mut2, DQ03: ``value <= 0`` -> ``< 0``) stored a zero close of a price
series (a feed's placeholder), whose log change is -inf; the tests used negative prices only.
"""
from __future__ import annotations

import pandas as pd

from spillwatch.data import quality
from spillwatch.data.providers.csvfile import SeriesSpec

BTC = SeriesSpec("binance:BTCUSDT", "Bitcoin", "usd", "daily", "crypto", "binance", "BTCUSDT",
                 True)


def test_a_zero_price_is_quarantined_and_a_positive_one_kept():
    obs = pd.DataFrame({"series_id": BTC.series_id,
                        "ts": pd.to_datetime(["2025-06-02", "2025-06-03", "2025-06-04"]),
                        "value": [105_000.0, 0.0, 104_000.0]})
    clean, q = quality.check(obs, [BTC], source="s", now=pd.Timestamp("2025-06-10"))
    assert clean["value"].tolist() == [105_000.0, 104_000.0]
    assert q["reason"].tolist() == ["non-positive price 0"]
