"""China read by TIC alone on a month that is a series break says so (h_ep13).

``demand --as-of 2010-09-15`` (the day of Japan's first intervention in six years) read
"unavailable (unknown, not calm): ..., China (last observed 2010-06-30: too little history to
rank it)" of a TIC line that begins in March 2000: June 2010 is a series break of TIC's
history (the month printed twice), whose change is a benchmark revision, not a flow, and is
left out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.analytics.demand._results import why_unavailable


def _inputs(tic_month: str) -> dict[str, dict[str, object]]:
    return {"tic": {"observed": tic_month, "released": "2010-09-15", "stale": False},
            "ust10y": {"observed": "2010-09-15", "released": "2010-09-15", "stale": False}}


def test_a_tic_break_month_is_named_as_the_reason():
    assert why_unavailable("china", "2010-06-30", _inputs("2010-06-30")) == (
        " (last observed 2010-06-30: TIC's June 2010 change spans a series break: "
        "Treasury's benchmark revision, not a flow)")


def test_a_month_after_the_break_keeps_its_own_reason():
    # July 2010's change is a flow; a China line without a reading then has another reason
    assert why_unavailable("china", "2010-07-31", _inputs("2010-07-31")) == (
        " (last observed 2010-07-31: too little history to rank it)")


@pytest.mark.slow
@pytest.mark.realdata
def test_the_evening_of_2010_09_15_says_why_china_is_unavailable(real_db):
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    with Workspace(real_db, read_only=True) as ws:
        v = vintage_workspace(ws, dt.date(2010, 9, 15))
        res = service.demand(v, end="2010-09-15")
        text = str(res.summary())
    assert res.latest()["date"] == "2010-09-15"
    assert ("China (last observed 2010-06-30: TIC's June 2010 change spans a series break: "
            "Treasury's benchmark revision, not a flow)") in text
    assert "too little history" not in text


def _entry(observed: str, *, stale: bool = False) -> dict[str, object]:
    return {"observed": observed, "released": "2010-09-15", "stale": stale}


def test_the_break_is_the_reason_only_for_china_read_by_a_current_tic_alone():
    """TIC's break month is China's reason only when TIC is current and China's reserves are
    not (h_mut23): with SAFE's reserves current the reserves are read, a stale TIC is past its
    limit whatever its last month, and another group's reason is its own."""
    break_month = _inputs("2010-06-30")
    with_reserves = {**break_month, "china_reserves": _entry("2010-08-31"),
                     "usd_broad": _entry("2010-09-10")}
    assert why_unavailable("china", "2010-08-31", with_reserves) == (
        " (last observed 2010-08-31: too little history to rank it)")
    stale_tic = {**break_month, "tic": _entry("2010-06-30", stale=True)}
    assert why_unavailable("china", "2010-06-30", stale_tic) == (
        " (last observed 2010-06-30: past its staleness limit)")
    custody = {**break_month, "custody": _entry("2010-09-15")}
    assert why_unavailable("custody", "2010-09-15", custody) == (
        " (last observed 2010-09-15: too little history to rank it)")
