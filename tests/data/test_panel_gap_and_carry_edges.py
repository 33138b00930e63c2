"""The panel's edges: a gap of exactly ``max_gap_days``, the weekly carry's 10th day, weekend
prints of a business-day series, and a business series that runs past the US calendar.

Each was a surviving mutant (h_mut2): the tests around them only looked well inside or well
outside each limit.
"""
import numpy as np
import pandas as pd
import pytest

from spillwatch.data.panel import MAX_GAP_DAYS, build_panel


def put(store, sid, dates, values):
    store.upsert(pd.DataFrame({"series_id": sid, "ts": pd.to_datetime(dates), "value": values}))


def test_a_gap_of_exactly_max_gap_days_still_gives_a_change(store):
    """A change is taken from a value at most ``max_gap_days`` (5) calendar days earlier.

    Thursday 2024-03-28 -> Tuesday 2024-04-02 is 5 days (a market shut on Good Friday and
    Easter Monday): the move across it is a daily change, not NaN. ``gap >= max_gap_days``
    dropped it.
    """
    assert MAX_GAP_DAYS == 5
    put(store, "fred:DGS10", ["2024-03-27", "2024-03-28", "2024-04-02", "2024-04-08"],
        [4.00, 4.10, 4.35, 4.30])
    ch = build_panel(store, assets=["ust10y"])
    assert ch.loc["2024-04-02", "ust10y_bp"] == pytest.approx(25.0)    # 5 days: kept
    assert np.isnan(ch.loc["2024-04-08", "ust10y_bp"])                 # 6 days: a gap
    assert build_panel(store, assets=["ust10y"], max_gap_days=6).loc[
        "2024-04-08", "ust10y_bp"] == pytest.approx(-5.0)


def test_a_weekly_level_is_carried_ten_days_and_no_more(store):
    """A weekly index's level is carried forward at most 10 calendar days (module docstring).

    The St. Louis Fed index of Saturday 2024-01-20 holds through Tuesday 01-30 (10 days) and
    is gone on 01-31 (11 days); a 7-day carry lost it from Monday 01-29 on.
    """
    put(store, "fred:DGS10", pd.bdate_range("2024-01-01", "2024-01-31"), 4.0)
    put(store, "fred:STLFSI4", ["2024-01-05", "2024-01-12", "2024-01-20"], [-0.5, -0.2, 0.1])
    lv = build_panel(store, assets=["ust10y", "stlfsi"], transform="levels")
    assert lv.loc["2024-01-29", "stlfsi_idx"] == 0.1
    assert lv.loc["2024-01-30", "stlfsi_idx"] == 0.1
    assert np.isnan(lv.loc["2024-01-31", "stlfsi_idx"])


def test_a_weekend_print_of_a_business_series_makes_no_panel_row(store):
    """The business calendar is Monday to Friday: a Saturday value of the dollar index (a
    source that stamps a weekend fix) does not add a Saturday row; its move lands on Monday.
    """
    put(store, "fred:DGS10", ["2024-01-04", "2024-01-05", "2024-01-08"], [4.0, 4.1, 4.2])
    put(store, "fred:DTWEXBGS", ["2024-01-04", "2024-01-05", "2024-01-06", "2024-01-08"],
        [120.0, 121.0, 125.0, 122.0])
    ch = build_panel(store, assets=["ust10y", "usd_broad"])
    assert ch.index.strftime("%Y-%m-%d").tolist() == ["2024-01-04", "2024-01-05", "2024-01-08"]
    assert (ch.index.day_of_week < 5).all()
    assert ch.loc["2024-01-08", "usd_broad_pct"] == pytest.approx(100 * np.log(122 / 121))


def test_a_business_series_past_the_us_calendar_keeps_its_days(store):
    """With ``calendar_of`` (the US markets' days), a business-day series that runs past the
    calendar's last day keeps its later days: the dollar index printed to 01-10 while the
    10-year stopped on 01-05, and its 01-08..01-10 moves must still be in the panel.
    """
    put(store, "fred:DGS10", ["2024-01-03", "2024-01-04", "2024-01-05"], [4.0, 4.1, 4.2])
    days = pd.bdate_range("2024-01-03", "2024-01-10")
    put(store, "fred:DTWEXBGS", days, np.arange(120.0, 120.0 + len(days)))
    ch = build_panel(store, assets=["usd_broad"], calendar_of=["ust10y"])
    assert ch.index.strftime("%Y-%m-%d").tolist() == [d.strftime("%Y-%m-%d") for d in days]
    assert ch.loc["2024-01-10", "usd_broad_pct"] == pytest.approx(100 * np.log(125 / 124))
