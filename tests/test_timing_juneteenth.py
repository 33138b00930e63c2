"""The US market calendar's Juneteenth: the stock exchange shut from 2022 on, not in 2021.

A surviving mutant (h_mut2, TM08: ``year < 2022`` -> ``< 2021``) made Friday 2021-06-18 (the
first observed Juneteenth, on which the NYSE traded) a market holiday: that day's closes fell
off the US calendar and the next market day after 06-17 read Monday 06-21.
"""
import datetime as dt

import numpy as np

from spillwatch.timing import next_us_market_day, us_market_holidays


def test_juneteenth_closes_the_market_from_2022_only():
    hol = set(us_market_holidays().astype("datetime64[D]").tolist())
    assert dt.date(2021, 6, 18) not in hol
    assert dt.date(2022, 6, 20) in hol and dt.date(2023, 6, 19) in hol
    assert next_us_market_day("2021-06-17").date() == dt.date(2021, 6, 18)
    assert next_us_market_day("2022-06-17").date() == dt.date(2022, 6, 21)
    assert np.datetime64("2024-06-19") in us_market_holidays()
