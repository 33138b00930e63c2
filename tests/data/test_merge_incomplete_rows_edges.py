"""merge_incomplete_rows at its edges: where it starts, and which missing rows count as a gap.

A surviving mutant (h_mut2, CH03: ``argmax(...).max()`` -> ``.min()``) merged the rows before
a late column's first change into its first complete row: the early column's moves of the
days before the token listed were added to its first joint day (a CAR / VaR day of the book
spanning days the other asset did not exist). Every test's late column started inside a gap
long enough to be dropped anyway. Another (CH06: ``weekdays`` counting Saturday) made a
Thursday-Friday holiday of a weekday market on an every-day panel a gap, dropping the coin's
moves of those days and the weekend with it.
"""
import numpy as np
import pandas as pd

from spillwatch._changes import merge_incomplete_rows


def test_rows_before_a_late_column_starts_are_left_out_not_merged():
    idx = pd.bdate_range("2024-03-04", periods=5, name="date")          # Mon .. Fri
    ch = pd.DataFrame({"ust_bp": [1.0, 2.0, 3.0, 4.0, 5.0],
                       "tok_pct": [np.nan, np.nan, 7.0, np.nan, 9.0]}, index=idx)
    out = merge_incomplete_rows(ch)
    assert out.index.tolist() == [idx[2], idx[4]]
    # day 2: only its own move (1 + 2 of the days before the token are not carried in);
    # day 4: day 3's move merged in, the token's one-day holiday
    assert out["ust_bp"].tolist() == [3.0, 9.0]
    assert out["tok_pct"].tolist() == [7.0, 9.0]


def test_weekend_rows_of_an_every_day_panel_do_not_lengthen_a_holiday_into_a_gap():
    """Thu+Fri shut (2 weekdays: not more than max_missing_run=2) then the weekend: merged."""
    idx = pd.date_range("2024-03-27", "2024-04-01", freq="D", name="date")   # Wed .. Mon
    ch = pd.DataFrame({"ust_bp": [1.0, np.nan, np.nan, np.nan, np.nan, 4.0],
                       "btc_pct": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}, index=idx)
    out = merge_incomplete_rows(ch)
    assert out.index.strftime("%Y-%m-%d").tolist() == ["2024-03-27", "2024-04-01"]
    assert out.loc["2024-04-01", "ust_bp"] == 4.0
    assert out.loc["2024-04-01", "btc_pct"] == 2.0 + 3.0 + 4.0 + 5.0 + 6.0
    # a third shut weekday (Wed too) is a gap: the group is dropped
    ch.iloc[0, 0] = np.nan
    ch = pd.concat([pd.DataFrame({"ust_bp": [0.5], "btc_pct": [0.5]},
                                 index=pd.DatetimeIndex(["2024-03-26"], name="date")), ch])
    assert merge_incomplete_rows(ch).index.strftime("%Y-%m-%d").tolist() == ["2024-03-26"]


def test_a_carried_column_has_no_change_over_a_span_it_begins_or_ends_inside():
    """TRUMP's first change (MLK Day 2025-01-20 to 01-21) stood in the merged row of Friday
    01-17 to Tuesday 01-21 beside the Treasuries' four days: a one-day move read as the
    span's. A carried column's sum over a span it starts (or stops) inside is NaN."""
    idx = pd.DatetimeIndex(["2025-01-17", "2025-01-20", "2025-01-21", "2025-01-22",
                            "2025-01-23", "2025-01-24"], name="date")
    ch = pd.DataFrame({"ust_bp": [1.0, np.nan, 3.0, 4.0, np.nan, 6.0],   # MLK Day, a gap day
                       "tok_pct": [np.nan, np.nan, 18.0, -17.0, 2.0, np.nan]}, index=idx)
    out = merge_incomplete_rows(ch, on=["ust_bp"])
    assert out.index.strftime("%m-%d").tolist() == ["01-17", "01-21", "01-22", "01-24"]
    assert out["ust_bp"].tolist() == [1.0, 3.0, 4.0, 6.0]
    # 01-21's row spans 01-17 to 01-21, the token's change only 01-20 to 01-21; 01-24's
    # spans 01-22 to 01-24 and the token stopped on 01-23
    assert np.isnan(out["tok_pct"]).tolist() == [True, True, False, True]
    assert out.loc["2025-01-22", "tok_pct"] == -17.0
    # a token whose first change starts a span (its first close the row before) keeps it
    ch.loc["2025-01-21", "tok_pct"] = np.nan
    out = merge_incomplete_rows(ch, on=["ust_bp"])
    assert out.loc["2025-01-22", "tok_pct"] == -17.0
    # and when every column makes a row complete, nothing is carried: unchanged
    full = merge_incomplete_rows(ch.fillna(0.0))
    assert full["tok_pct"].tolist() == [0.0, 0.0, 0.0, -17.0, 2.0, 0.0]


def test_a_carried_column_that_ends_with_a_span_keeps_its_last_change():
    """A carried column whose last change closes a merged row covers that row's whole span:
    its sum stands (a coin's close of the panel's last day is its last change, h_mut24). Only a
    column that stops *inside* a span (the test above) has no change over it."""
    idx = pd.DatetimeIndex(["2025-01-17", "2025-01-20", "2025-01-21", "2025-01-22"],
                           name="date")
    ch = pd.DataFrame({"ust_bp": [1.0, np.nan, 3.0, 4.0],
                       "tok_pct": [2.0, 5.0, -1.0, np.nan]}, index=idx)
    out = merge_incomplete_rows(ch, on=["ust_bp"])
    assert out.index.strftime("%m-%d").tolist() == ["01-17", "01-21", "01-22"]
    # the token's changes of 01-20 and 01-21 make the row of 01-18..01-21 whole: 5 - 1
    assert out["tok_pct"].tolist()[:2] == [2.0, 4.0]
    assert np.isnan(out["tok_pct"].iloc[2])


def test_a_carried_column_without_any_change_stays_empty():
    """A carried column with no change at all (a coin with one close by the evening) is carried
    as NaN, not an error (h_mut24: the guard for it was untested)."""
    idx = pd.DatetimeIndex(["2025-01-17", "2025-01-20", "2025-01-21"], name="date")
    ch = pd.DataFrame({"ust_bp": [1.0, np.nan, 3.0], "tok_pct": [np.nan] * 3}, index=idx)
    out = merge_incomplete_rows(ch, on=["ust_bp"])
    assert out["ust_bp"].tolist() == [1.0, 3.0]
    assert out["tok_pct"].isna().all()
