"""Martin Luther King Day closes the stock exchange from 1998 only.

A federal holiday since 1986 (the Fed and the bond market shut), the NYSE first closed for it
on 1998-01-19: ``us_market_holidays`` ("both the exchange and the Fed shut") counted 1986-1997's
as market holidays, and the next market day after Friday 1995-01-13 read Tuesday 01-17.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from spillwatch.timing import next_us_market_day, us_bond_only_holidays, us_market_holidays

MLK_1990S = ["1990-01-15", "1991-01-21", "1992-01-20", "1993-01-18", "1994-01-17",
             "1995-01-16", "1996-01-15", "1997-01-20"]


def test_mlk_day_is_a_bond_only_holiday_before_1998():
    shut = set(us_market_holidays().astype(str))
    bond = set(us_bond_only_holidays().astype(str))
    for day in MLK_1990S:
        assert day not in shut and day in bond, day
    assert "1998-01-19" in shut and "1998-01-19" not in bond
    assert "2024-01-15" in shut and "2024-01-15" not in bond
    assert next_us_market_day("1995-01-13").date() == dt.date(1995, 1, 16)
    assert next_us_market_day("1998-01-16").date() == dt.date(1998, 1, 20)


@pytest.mark.realdata
def test_the_data_trade_on_mlk_day_before_1998(shared_data):
    """FRED's VIX prints on each of 1990-1997's MLK days and on none from 1998 to 2021, the
    10-year on none: the stock market's calendar, not the bond market's."""
    vix = pd.read_csv(shared_data / "fred" / "VIXCLS.csv", parse_dates=["date"]).dropna()
    dgs = pd.read_csv(shared_data / "fred" / "DGS10.csv", parse_dates=["date"])
    dgs = dgs[pd.to_numeric(dgs["DGS10"], errors="coerce").notna()]
    mlk = pd.DatetimeIndex(MLK_1990S)
    assert mlk.isin(vix["date"]).all()
    assert not mlk.isin(dgs["date"]).any()
    later = pd.DatetimeIndex([d for d in us_market_holidays().astype("datetime64[ns]")
                              if pd.Timestamp(d).month == 1 and 1998 <= pd.Timestamp(d).year
                              <= 2021 and pd.Timestamp(d).day > 14])
    assert len(later) == 24 and not later.isin(vix["date"]).any()
    assert np.all(np.isin(mlk.to_numpy().astype("datetime64[D]"), us_bond_only_holidays()))
