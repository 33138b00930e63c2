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
