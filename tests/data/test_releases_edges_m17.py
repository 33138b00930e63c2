"""Release days (h_mut17): the boundaries of data.releases, with days written out by hand.

H.15 yields (fred:DGS10) are published the next business day, the Treasury's par curve
(treasury:yield_10y) the same evening, the H.10 dollar (fred:DTWEXBGS) on the Monday after
its week (spillwatch.timing's table)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.data.releases import (
    NEVER,
    AssetRelease,
    Calendar,
    asset_releases,
    days,
    gap_days,
    known_on,
)
from spillwatch.data.releases import _observation_weekdays as observation_weekdays


def D(*ds: str) -> np.ndarray:
    return days(pd.DatetimeIndex(list(ds)))


def _release(obs: list[str], rel: list[str], sources=("x",)) -> AssetRelease:
    r = days(pd.DatetimeIndex(rel))
    return AssetRelease(days(pd.DatetimeIndex(obs)), r, np.maximum.accumulate(r), sources)


def test_last_known_counts_an_observation_dated_and_one_published_on_the_day_itself():
    r = _release(["2025-04-01", "2025-04-02", "2025-04-03"],
                 ["2025-04-02", "2025-04-03", "2025-04-04"])
    # dated on d: it is "on or before d"
    assert r.last_known(D("2025-04-02"), D("2025-04-30")).tolist() == [1]
    # published on D: it is known on D
    assert r.last_known(D("2025-04-30"), D("2025-04-03")).tolist() == [1]
    assert r.last_known(D("2025-04-30"), D("2025-04-01")).tolist() == [-1]


def test_a_spliced_asset_is_known_from_its_earliest_source():
    dates = pd.DatetimeIndex(["2025-04-03", "2025-04-04"])
    wide = pd.DataFrame({"fred:DGS10": [4.06, 4.01], "treasury:yield_10y": [4.06, 4.01]},
                        index=dates)
    r = asset_releases(wide, {"ust10y": ["fred:DGS10", "treasury:yield_10y"]})["ust10y"]
    # the par curve's same evening, not H.15's next business day
    assert r.release.tolist() == D("2025-04-03", "2025-04-04").tolist()
    assert r.first_release == {"fred:DGS10": D("2025-04-04")[0],
                               "treasury:yield_10y": D("2025-04-03")[0]}
    assert r.disagreements == 0


def test_the_first_release_of_a_series_is_that_of_its_first_observation():
    dates = pd.DatetimeIndex(["2025-04-03", "2025-04-04", "2025-04-07"])
    wide = pd.DataFrame({"fred:DGS10": [4.06, 4.01, 3.99]}, index=dates)
    r = asset_releases(wide, {"ust10y": ["fred:DGS10"]})["ust10y"]
    assert r.first_release == {"fred:DGS10": D("2025-04-04")[0]}      # Friday, not Tuesday


def test_known_is_the_running_maximum_of_the_release_days():
    # H.15's Thursday only (published Friday), the par curve's Friday (same evening): Friday's
    # value is out on Friday, Thursday's too; Monday's only by H.15 on Tuesday
    dates = pd.DatetimeIndex(["2025-04-03", "2025-04-04", "2025-04-07"])
    wide = pd.DataFrame({"fred:DGS10": [4.06, np.nan, 3.99],
                         "treasury:yield_10y": [np.nan, 4.01, np.nan]}, index=dates)
    r = asset_releases(wide, {"ust10y": ["fred:DGS10", "treasury:yield_10y"]})["ust10y"]
    assert r.release.tolist() == D("2025-04-04", "2025-04-04", "2025-04-08").tolist()
    wide = pd.DataFrame({"fred:DTWEXBGS": [120.0, np.nan, np.nan],
                         "treasury:yield_10y": [np.nan, 4.01, np.nan]}, index=dates)
    r = asset_releases(wide, {"a": ["fred:DTWEXBGS", "treasury:yield_10y"]})["a"]
    # the dollar's Thursday is out Monday 04-07; Friday's yield that same Friday: Friday is
    # known only once Thursday is (Monday)
    assert r.release.tolist() == D("2025-04-07", "2025-04-04").tolist()
    assert r.known.tolist() == D("2025-04-07", "2025-04-07").tolist()


def test_a_source_that_publishes_no_earlier_does_not_count_as_a_disagreement():
    dates = pd.DatetimeIndex(["2025-04-03", "2025-04-04"])
    # both H.15 (next business day): a different value is not one published earlier
    wide = pd.DataFrame({"fred:DGS10": [4.06, 4.01], "fred:T10Y2Y": [0.3, 0.31]}, index=dates)
    r = asset_releases(wide, {"a": ["fred:DGS10", "fred:T10Y2Y"]})["a"]
    assert r.disagreements == 0
    # the par curve publishes the same evening: its differing value counts
    wide = pd.DataFrame({"fred:DGS10": [4.06, 4.01], "treasury:yield_10y": [4.06, 4.02]},
                        index=dates)
    r = asset_releases(wide, {"a": ["fred:DGS10", "treasury:yield_10y"]})["a"]
    assert r.disagreements == 1


def test_gap_days_run_from_the_later_date_s_release_to_the_day_before_the_earlier_s():
    r = _release(["2025-04-01", "2025-04-02"], ["2025-04-10", "2025-04-05"])
    replay = D("2025-04-04", "2025-04-05", "2025-04-09", "2025-04-10")
    assert gap_days({"a": r}, replay).tolist() == [False, True, True, False]


def test_a_calendar_date_enters_with_the_first_asset_that_observes_it():
    a = _release(["2025-04-01", "2025-04-02"], ["2025-04-05", "2025-04-03"])
    b = _release(["2025-04-02", "2025-04-03"], ["2025-04-06", "2025-04-04"])
    c = _release(["2025-04-04"], ["2025-04-04"])
    cal = Calendar.of(pd.DatetimeIndex(["2025-04-01", "2025-04-02", "2025-04-03"]),
                      {"a": a, "b": b, "c": c}, ["a", "b", "c"])
    # 04-01: a only (b and c do not observe it); 04-02: a's 04-03 before b's 04-06;
    # 04-03: b only (c's first observation is 04-04)
    assert cal.enters.tolist() == D("2025-04-05", "2025-04-03", "2025-04-04").tolist()
    cal = Calendar.of(pd.DatetimeIndex(["2025-04-01", "2025-04-02", "2025-04-03"]),
                      {"a": a}, ["a"])
    assert cal.enters.tolist() == [*D("2025-04-05", "2025-04-03").tolist(), NEVER]


def test_calendar_last_holes_and_delay_at_their_boundaries():
    cal = Calendar(D("2025-04-01", "2025-04-02", "2025-04-03"),
                   np.array([*D("2025-04-01", "2025-04-05", "2025-04-03")]))
    replay = D("2025-04-02", "2025-04-03", "2025-04-04", "2025-04-05")
    # 04-03 entered on 04-03 but 04-02 only on 04-05: last known is 04-01 until 04-05
    assert cal.last(replay).tolist() == [0, 0, 0, 2]
    assert cal.holes(replay).tolist() == [False, True, True, False]
    assert cal.max_delay() == 3
    never = Calendar(D("2025-04-01", "2025-04-02"), np.array([D("2025-04-02")[0], NEVER]))
    assert never.max_delay() == 1


def test_a_row_reads_the_observation_of_its_own_date():
    r = _release(["2025-04-01", "2025-04-02"], ["2025-04-01", "2025-04-04"])
    got = known_on({"a": r}, pd.DatetimeIndex(["2025-04-02"]))
    assert got.tolist() == [pd.Timestamp("2025-04-04")]


def test_a_row_waits_for_the_running_maximum_not_its_own_release():
    r = _release(["2025-04-01", "2025-04-02"], ["2025-04-07", "2025-04-03"])
    got = known_on({"a": r}, pd.DatetimeIndex(["2025-04-02"]))
    assert got.tolist() == [pd.Timestamp("2025-04-07")]


def test_a_release_due_on_the_as_of_evening_itself_is_not_waited_for():
    # the H.10 dollar of Friday 03-28 is due Monday 03-31: a Friday row without it waits for
    # it on data seen the evening of 03-30 (due after it), not on 03-31 (due that evening)
    # (release days of the stored rows set to their own dates, so that only the due day of
    # the missing Friday can move the row)
    week = pd.bdate_range("2025-03-03", "2025-03-27")
    rel = AssetRelease(days(week), days(week), days(week), ("fred:DTWEXBGS",))
    idx = pd.DatetimeIndex(["2025-03-28"])
    assert known_on({"b": rel}, idx, as_of="2025-03-30").tolist() == \
        [pd.Timestamp("2025-03-31")]
    assert known_on({"b": rel}, idx, as_of="2025-03-31").tolist() == \
        [pd.Timestamp("2025-03-28")]


def test_an_unpublished_row_waits_for_its_earliest_source():
    # a spliced 10-year (H.15 next day, par curve same evening) lacking Friday 03-28 on the
    # evening of 03-27: due the evening of 03-28 by the par curve, not Monday by H.15
    week = pd.bdate_range("2025-03-03", "2025-03-27")
    rel = AssetRelease(days(week), days(week), days(week),
                       ("fred:DGS10", "treasury:yield_10y"))
    got = known_on({"t": rel}, pd.DatetimeIndex(["2025-03-28"]), as_of="2025-03-27")
    assert got.tolist() == [pd.Timestamp("2025-03-28")]


def test_the_weekdays_a_series_observes_on():
    # a weekly series on Wednesdays, one missed week replaced by a Thursday: Wednesday only;
    # a daily series: every weekday
    weds = pd.date_range("2024-01-03", periods=60, freq="W-WED")
    obs = weds.tolist()
    obs[30] = obs[30] + pd.Timedelta(days=1)
    assert observation_weekdays(days(pd.DatetimeIndex(obs))).tolist() == [2]
    assert observation_weekdays(days(pd.bdate_range("2024-01-01", periods=120))).tolist() == \
        [0, 1, 2, 3, 4]
    # a quarter with two Monday holidays: 11 Mondays of 60 days, below a fifth, still daily
    bdays = pd.bdate_range("2024-01-01", periods=62)
    mondays = bdays[bdays.day_of_week == 0]
    quarter = bdays.drop(mondays[[3, 7]])
    assert len(quarter) == 60 and (quarter.day_of_week == 0).sum() == 11
    assert observation_weekdays(days(quarter)).tolist() == [0, 1, 2, 3, 4]
    # the recent observations decide: a series daily long ago and weekly (Friday) lately
    old = pd.bdate_range("2020-01-01", periods=200)
    new = pd.date_range("2021-01-01", periods=60, freq="W-FRI")
    assert observation_weekdays(days(old.append(new))).tolist() == [4]
