"""Edges of the workspace no other test pinned (h_mut20's mutation round).

Real inputs: a fund's NAV file (weekly through 2023, business-daily in 2024) imported into a
store by the project's own import.
"""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.data.ingest import import_path
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import DataError
from spillwatch.service.workspace import Workspace
from spillwatch.store import Store


@pytest.fixture
def nav(tmp_path):
    weekly = pd.date_range("2023-01-06", "2023-12-29", freq="W-FRI")
    daily = pd.bdate_range("2024-01-02", "2024-06-28")
    # a Monday and Tuesday missing: 2024-03-01 to 03-06 is a change over 5 days (measured)
    daily = daily[~daily.isin(pd.to_datetime(["2024-03-04", "2024-03-05"]))]
    rows = "".join(f"{d:%Y-%m-%d},{100 + i * 0.1:.2f}\n"
                   for i, d in enumerate([*weekly, *daily]))
    (tmp_path / "fund.csv").write_text("date,nav\n" + rows)
    (tmp_path / "other.csv").write_text("date,px\n" + "".join(
        f"{d:%Y-%m-%d},{50 + i * 0.1:.2f}\n"
        for i, d in enumerate(pd.bdate_range("2023-01-02", "2024-06-28"))))
    with Store(tmp_path / "s.duckdb") as store:
        import_path(tmp_path / "fund.csv", store)
        import_path(tmp_path / "other.csv", store)
        yield Workspace(MarketSource(store, "test store", owned=False))


def test_each_window_is_judged_on_its_own_dates(nav):
    nav.require_daily(["csv:nav"], "risk", start="2024-01-01", end="2024-06-30")
    # the weekly year, its first and last dates included, asked after the daily one
    with pytest.raises(DataError, match=r"csv:nav: its 52 dates are a median of 7 days apart"):
        nav.require_daily(["csv:nav"], "risk", start="2023-01-06", end="2023-12-29")
    nav.require_daily(["csv:nav"], "risk", start="2024-01-01")


GAP = ("csv:nav: {n} of its changes span more than 5 days between two of its dates and are not "
       "measured (the longest, {a} to {b}, 7 days); risk reads its other changes")


def test_the_gap_notes_count_the_weekly_changes_of_each_window(nav):
    # 52 Fridays of 2023: 51 changes of 7 days; the 5-day one of 2024-03 is measured
    assert nav.gap_notes(["csv:nav"], what="risk") == [
        GAP.format(n=51, a="2023-01-06", b="2023-01-13")]
    # from 2023-06-01 to the last Friday: 31 Fridays, and the change into the first of them
    # (from 2023-05-26) spans the window's start
    assert nav.gap_notes(["csv:nav"], start="2023-06-01", end="2023-12-29", what="risk") == [
        GAP.format(n=31, a="2023-05-26", b="2023-06-02")]
    # another series of the store is judged on its own dates
    assert nav.gap_notes(["csv:px"], what="risk") == []
    assert nav.gap_notes(["csv:nav"], start="2024-01-01", what="risk") == []


def test_a_coin_of_one_s_own_is_read_on_the_every_day_calendar_from_its_bounds(tmp_path):
    # 20 days in a row (6 of them weekend days): the fewest dates the calendar is read from
    run = pd.date_range("2024-01-01", periods=20, freq="D")
    # 20 weekdays and 4 weekend days: a weekend share of exactly one in six
    weekdays = pd.bdate_range("2024-03-04", periods=20)
    sixth = sorted([*weekdays, *pd.to_datetime(["2024-03-09", "2024-03-10", "2024-03-16",
                                                 "2024-03-17"])])
    short = run[:19]
    # 260 business days, then every day for 300 more: read from its first dates
    bdays = pd.bdate_range("2022-01-03", periods=260)
    later = [*bdays, *pd.date_range(bdays[-1] + pd.Timedelta(days=1), periods=300, freq="D")]
    for name, days in (("coin", run), ("sixth", sixth), ("short", short), ("later", later)):
        (tmp_path / f"{name}.csv").write_text(f"date,{name}\n" + "".join(
            f"{d:%Y-%m-%d},{10 + i}\n" for i, d in enumerate(days)))
    with Store(tmp_path / "s.duckdb") as store:
        for name in ("coin", "sixth", "short", "later"):
            import_path(tmp_path / f"{name}.csv", store)
        ws = Workspace(MarketSource(store, "test store", owned=False))
        got = {k: ws.user_asset(f"csv:{k}").calendar
               for k in ("coin", "sixth", "short", "later")}
    assert got == {"coin": "every_day", "sixth": "every_day", "short": "business",
                   "later": "business"}
