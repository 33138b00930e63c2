"""The market calendars' holiday sets, and ``shut_since`` on a missing date."""

from __future__ import annotations

import numpy as np

from spillwatch.timing import market_holidays, timing_of


def test_spot_is_tokyo_s_or_new_york_s_closures():
    """``"spot"``: the Bank of Japan's closures or the Fed's (documented union)."""
    spot = set(market_holidays("spot", 2024, 2024).astype(str))
    assert {"2024-07-04", "2024-11-28"} <= spot          # the Fed's alone
    assert {"2024-05-06", "2024-12-31"} <= spot          # the Bank of Japan's alone


def test_fed_keeps_columbus_and_veterans_day():
    """The Fed's calendar is every federal holiday (the bond market shuts on both days the
    stock exchange trades), not the stock exchange's and the Fed's common days."""
    fed = set(market_holidays("fed").astype(str))
    assert {"2024-10-14", "2024-11-11", "2024-01-15"} <= fed
    assert "2024-03-29" not in fed                       # Good Friday: the NYSE's only


def test_shut_since_is_false_where_either_date_is_missing():
    jgb = timing_of("mof:jgb_10y")
    obs = np.array(["2019-04-26", "NaT"], dtype="datetime64[D]")
    assert jgb.shut_since(obs, np.datetime64("2019-05-03")).tolist() == [True, False]
    assert jgb.shut_since(np.datetime64("2019-04-26"), np.datetime64("NaT")).tolist() is False
    ref = np.array(["2019-05-03", "NaT"], dtype="datetime64[D]")
    assert jgb.shut_since(np.datetime64("2019-04-26"), ref).tolist() == [True, False]
