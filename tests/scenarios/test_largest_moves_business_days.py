"""The data's largest moves, which the scenario's "beyond history" lines compare with, are
read on business days of the asset's own data.

They were read on the fit's joint rows, which merge a yield's changes over days on which the
broad dollar is blank (2016-01-22, 25, 26): the 5-year's "largest over 23 days" read -62 bp as
of 2016-12-30 where DGS5 gives -57 bp over 23 business days (h_verify18, h_verify19). A coin's
weekend moves count in the next business day, as the simulation's days do.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from spillwatch.scenarios.propagation import business_days


def test_a_weekend_s_changes_go_to_the_next_business_day():
    days = pd.to_datetime(["2024-05-31", "2024-06-01", "2024-06-02", "2024-06-03",
                           "2024-06-08"])
    got = business_days(pd.Series([1.0, 2.0, np.nan, 4.0, 5.0], index=days))
    assert got.to_dict() == {pd.Timestamp("2024-05-31"): 1.0, pd.Timestamp("2024-06-03"): 6.0,
                             pd.Timestamp("2024-06-10"): 5.0}
    # a level's sum is kept whole: nothing dropped
    assert got.sum() == 12.0


@pytest.mark.realdata
@pytest.mark.slow   # the market fit of 2016-12-30 (about 8 s)
def test_the_5_year_s_largest_moves_are_dgs5_s(real_db, shared_data):
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.data.source import open_source
    from spillwatch.service.scenarios import market
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        fit = market(vintage_workspace(ws, dt.date(2016, 12, 30)))
    m = fit.market
    lo, hi = m.info["moves_range"]
    raw = pd.read_csv(shared_data / "fred" / "DGS5.csv", index_col=0, parse_dates=True,
                      na_values=".").iloc[:, 0].dropna()
    # the fit's changes begin on its first row; their level starts the day before
    level = 100 * raw.loc[:hi]
    level = level.loc[level.index[level.index.get_indexer([pd.Timestamp(lo)])[0] - 1]:]
    window = 23
    fall = float((level.rolling(window + 1, min_periods=1).max() - level).max())
    rise = float((level - level.rolling(window + 1, min_periods=1).min()).max())
    got = m.largest_moves("ust5y", window)
    assert got is not None
    assert got[0] == pytest.approx(fall, abs=1e-6) and got[1] == pytest.approx(rise, abs=1e-6)
    assert round(fall) == 57
    # the fixed windows' records (the scenario's "beyond history" lines) read the same
    # business days: the 5-year's falls and rises, and the 10-year's rises, from DGS10 alone
    # (h_mut16: read on the joint rows, they passed the test above)
    from spillwatch.scenarios.propagation import RISE_WINDOWS

    def moves(level: pd.Series, w: int) -> list[float]:
        return [float((level.rolling(w + 1, min_periods=1).max() - level).max()),
                float((level - level.rolling(w + 1, min_periods=1).min()).max())]

    ten = pd.read_csv(shared_data / "fred" / "DGS10.csv", index_col=0, parse_dates=True,
                      na_values=".").iloc[:, 0].dropna()
    lo10, hi10 = m.info["ust10y_range"]
    ten = 100 * ten.loc[:hi10]
    ten = ten.loc[ten.index[ten.index.get_indexer([pd.Timestamp(lo10)])[0] - 1]:]
    for w in RISE_WINDOWS:
        assert m.info["max_moves"]["ust5y"][str(w)] == pytest.approx(moves(level, w), abs=1e-6)
        assert m.info["ust10y_max_rise_bp"][str(w)] == pytest.approx(moves(ten, w)[1], abs=1e-6)
