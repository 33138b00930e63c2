"""``Comparator.readable``: the first and last evening ``on`` gives a reading (h_mut14).

On ../shared/data every official index's readable span matches ``on`` day for day (STLFSI4,
OFR FSI and ECB CISS: no reading the day before the first or after the last, one on both).
These pin what the real files never show: an earlier observation released after the first one
with a signal holds that one back (an observation is read once every earlier one was out), an
index still in its threshold's burn-in has no span at all, and neither has one whose only
signal was released after its staleness limit had run out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.service.backtest import Comparator


def _index(signal, released, stale=7) -> Comparator:
    days = pd.DatetimeIndex(["2020-01-03", "2020-01-10", "2020-01-17"][:len(signal)])
    obs = pd.DataFrame({"value": np.arange(len(signal), dtype=float), "signal": signal,
                        "released": pd.DatetimeIndex(released)}, index=days)
    return Comparator("x", "X", "X", obs, stale)


def _read(c: Comparator) -> list[str]:
    every = pd.date_range("2020-01-01", "2020-02-29")
    got = c.on(every)["signal"].notna()
    return [str(d.date()) for d in got[got].index]


def test_a_late_earlier_observation_holds_the_first_reading_back():
    c = _index([np.nan, 1.0, 0.0], ["2020-01-14", "2020-01-12", "2020-01-19"])
    first, last = c.readable()
    read = _read(c)
    assert (str(first.date()), str(last.date())) == (read[0], read[-1]) == (
        "2020-01-14", "2020-01-24")


def test_no_span_without_a_signal_or_a_fresh_one():
    assert _index([np.nan, np.nan], ["2020-01-04", "2020-01-11"]).readable() is None
    late = _index([np.nan, 1.0], ["2020-01-04", "2020-01-20"])     # 10 days out, limit 7
    assert _read(late) == [] and late.readable() is None
