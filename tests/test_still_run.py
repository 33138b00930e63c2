"""still_run: the trailing run of exactly-zero changes and the last date the series moved.

A surviving mutant (h_mut2, CH07: ``x.index > moved[-1]`` -> ``>=``) counted the last move's
own day in the frozen run (a feed frozen for 4 days read 5, and one that moved today read 1
day still); the tests only used it through real-data facts that never sat on the boundary.
"""
import numpy as np
import pandas as pd

from spillwatch._changes import still_run


def test_the_run_counts_only_the_changes_after_the_last_move():
    idx = pd.bdate_range("2024-05-06", periods=7)
    x = pd.Series([0.5, 0.0, -1.0, 0.0, np.nan, 0.0, 0.0], index=idx)
    assert still_run(x) == (3, idx[2])          # NaN skipped: 3 zero changes after 05-08
    moved_today = pd.Series([0.0, 0.0, 2.0], index=idx[:3])
    assert still_run(moved_today) == (0, idx[2])
    assert still_run(pd.Series([0.0, 0.0], index=idx[:2])) == (2, None)
