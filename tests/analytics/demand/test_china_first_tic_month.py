"""TIC's first stored month is no series-break change (h_mut23).

March 2000 is a TIC series break (the benchmark survey of that month), and it is the first
month of Treasury's ``mfhhis01.txt`` (January and February 2000 are not in it): on the evenings
of 2000-05-31 and 2000-06-09 ``demand`` read "China (last observed 2000-03-31: TIC's March 2000
change spans a series break: Treasury's benchmark revision, not a flow)" of a line that had
no change yet, and said "too little history to rank it" of April's, two weeks later.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from spillwatch.analytics.demand._results import FirstFigure, why_unavailable


def _inputs(tic_month: str) -> dict[str, dict[str, object]]:
    return {"tic": {"observed": tic_month, "released": "2000-05-31", "stale": False},
            "ust10y": {"observed": "2000-05-31", "released": "2000-05-31", "stale": False}}


def _stored(first: str) -> dict[str, FirstFigure]:
    return {"tic": FirstFigure(pd.Timestamp(first), pd.Timestamp(first) + pd.Timedelta(days=46))}


def test_the_first_stored_month_has_too_little_history_not_a_break():
    assert why_unavailable("china", "2000-03-31", _inputs("2000-03-31"),
                           _stored("2000-03-31"), "2000-05-31") == (
        " (last observed 2000-03-31: too little history to rank it)")
    # a store whose TIC begins earlier has March 2000's change, across the break
    assert why_unavailable("china", "2000-03-31", _inputs("2000-03-31"),
                           _stored("1999-12-31"), "2000-05-31") == (
        " (last observed 2000-03-31: TIC's March 2000 change spans a series break: "
        "Treasury's benchmark revision, not a flow)")
    # and a later break of a line begun in March 2000 is named, as before
    assert why_unavailable("china", "2010-06-30", _inputs("2010-06-30"),
                           _stored("2000-03-31"), "2010-09-15").endswith(
        "TIC's June 2010 change spans a series break: Treasury's benchmark revision, not a flow)")


@pytest.mark.slow
@pytest.mark.realdata
def test_the_evening_of_2000_05_31_says_china_has_too_little_history(real_db, shared_data):
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    tic = pd.read_csv(shared_data / "tic" / "major_foreign_holders.csv", parse_dates=["date"])
    assert tic["date"].iloc[0] == pd.Timestamp("2000-03-31")     # no month before the break
    with Workspace(real_db, read_only=True) as ws:
        res = service.demand(vintage_workspace(ws, dt.date(2000, 5, 31)), end="2000-05-31")
        text = str(res.summary())
    assert "China (last observed 2000-03-31: too little history to rank it)" in text
    assert "spans a series break" not in text
