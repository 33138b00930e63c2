"""Panels of daily changes: rows where every column has a change, spanning the same time.

Used wherever changes of markets with different holidays are modelled jointly (connectedness,
event studies): a log or basis-point change adds up over time, so a row that one market missed
can join the next row instead of being dropped with the other markets' moves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def long_missing_runs(values: np.ndarray, max_run: int,
                      counts: np.ndarray | None = None) -> np.ndarray:
    """Rows that belong to a run of more than ``max_run`` consecutive NaNs (per column).

    ``counts`` (one bool per row) says which rows a run's length counts; default every row.
    Callers pass the weekdays: on an every-day panel a US three-day weekend is three missing
    rows of a weekday market but one missing weekday, a holiday and not a gap.
    """
    missing = np.isnan(values)
    out = np.zeros_like(missing)
    weight = (np.ones(len(values), dtype=np.int64) if counts is None
              else np.asarray(counts, dtype=np.int64))
    for j in range(values.shape[1]):
        col = missing[:, j]
        if not col.any():
            continue
        # run id per row: changes where missing flips
        edges = np.flatnonzero(np.diff(np.concatenate([[0], col.astype(np.int8), [0]])))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            if int(weight[start:stop].sum()) > max_run:
                out[start:stop, j] = True
    return out


def weekdays(index: pd.Index) -> np.ndarray | None:
    """Which rows of a date index are weekdays (``None`` when it is not a date index)."""
    if not isinstance(index, pd.DatetimeIndex):
        return None
    return np.asarray(index.day_of_week < 5)


def merge_incomplete_rows(changes: pd.DataFrame, *, max_missing_run: int = 2,
                          on: list[str] | None = None) -> pd.DataFrame:
    """Daily changes on the rows where every column has one, each spanning the same time.

    A column without a change on some row (a holiday of that market: the Treasury market on
    Good Friday, the H.10 dollar on a Federal holiday) carries the missed move in its next
    change, which then spans two days. Dropping the incomplete row (as a VAR on complete rows
    would) loses the other columns' moves of that day and pairs a two-day change with one-day
    ones. Here the incomplete rows' changes are **added to the next complete row**, so on every
    row each column's change runs from the same previous close (the sum of log or basis-point
    changes is the change over the span). Rows touched by a run of more than
    ``max_missing_run`` missing changes on weekdays in a column (a gap, not a holiday: that
    column's move over it is lost; weekend rows of an every-day panel do not count) are
    dropped with the rows merged into them, as are incomplete rows after the last complete
    one. The output starts on the first row on which every column has
    started: rows before a column's first change are left out, not merged into it.

    Parameters
    ----------
    changes : DataFrame
        Daily changes indexed by date (sorted).
    max_missing_run : int, default 2
    on : list of str, optional
        The columns whose changes make a row complete (default every column). The others
        are carried along: each merged row holds the sum of their changes over its span, NaN
        where they have none (a token that starts later, a series that stopped), so a
        scenario's assets too short to enter the joint sample still change over the same
        spans as the others.

    Returns
    -------
    DataFrame
        The complete rows, labelled by their dates.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> idx = pd.bdate_range("2024-03-27", periods=4, name="date")   # Wed .. Mon
    >>> ch = pd.DataFrame({"ust_bp": [1.0, 2.0, np.nan, 5.0],      # Good Friday: closed
    ...                    "btc_pct": [1.0, 1.0, 3.0, 1.0]}, index=idx)
    >>> merge_incomplete_rows(ch).to_dict("list")
    {'ust_bp': [1.0, 2.0, 5.0], 'btc_pct': [1.0, 1.0, 4.0]}
    """
    return _merge_on(changes, list(changes.columns if on is None else on), max_missing_run)


def _merge_on(changes: pd.DataFrame, on: list[str], max_missing_run: int) -> pd.DataFrame:
    """:func:`merge_incomplete_rows` judged on the columns ``on``, the others summed along."""
    core = changes[on]
    values = core.to_numpy(dtype=float)
    if values.size == 0 or len(changes) == 0:
        return changes.iloc[:0].copy()
    started = ~np.isnan(values)
    if not started.any(axis=0).all():
        return changes.iloc[:0].copy()
    first = int(started.argmax(axis=0).max())
    # rows before every column has its first change are left out, not merged into it: a
    # column that has not started (a token listed later) has no move to carry, and a
    # column's first change may span days before the frame (merging a late token's months
    # into its first change dropped the first day a book held every asset)
    changes, values = changes.iloc[first:], values[first:]
    complete = ~np.isnan(values).any(axis=1)
    if complete.all():
        return changes.copy()
    # group g of a row: the number of complete rows before it; a complete row closes its group
    group = np.concatenate([[0], np.cumsum(complete)[:-1]])
    long_gap = long_missing_runs(values, max_missing_run, weekdays(changes.index)).any(axis=1)
    bad_group = np.zeros(int(group.max()) + 1, dtype=bool)
    np.logical_or.at(bad_group, group, long_gap)
    ends = np.flatnonzero(complete & ~bad_group[group])
    every = changes.to_numpy(dtype=float)
    sums = np.zeros((int(group.max()) + 1, every.shape[1]))
    seen = np.zeros_like(sums, dtype=bool)
    np.add.at(sums, group, np.nan_to_num(every, nan=0.0))
    np.logical_or.at(seen, group, ~np.isnan(every))
    sums[~seen] = np.nan
    _part_spans(sums, group, every, [i for i, c in enumerate(changes.columns) if c not in on])
    out = pd.DataFrame(sums[group[ends]], index=changes.index[ends], columns=changes.columns)
    out.attrs = dict(changes.attrs)
    return out


def _part_spans(sums: np.ndarray, group: np.ndarray, every: np.ndarray,
                carried: list[int]) -> None:
    """Blank a carried column's sum over a group it begins or ends inside of (in place).

    A carried column's first change runs from its first close, and its last to its last: in
    a merged row whose span starts before that first close (or runs past that last close)
    the column's sum covers part of the span the row's other changes cover. TRUMP's first
    change (MLK Day 2025-01-20 to 01-21, +18.1 in log-%) stood in the row of Friday 01-17 to
    Tuesday 01-21 beside the Treasuries' four days, a one-day move read against four-day
    shocks by the scenario's regression. Such a sum is NaN: that column has no change over
    that span.
    """
    if not carried or not len(group):
        return
    starts = np.searchsorted(group, np.arange(sums.shape[0]), side="left")
    ends = np.searchsorted(group, np.arange(sums.shape[0]), side="right") - 1
    for j in carried:
        have = np.flatnonzero(~np.isnan(every[:, j]))
        if not have.size:
            continue
        first, last = int(have[0]), int(have[-1])
        if first > starts[group[first]]:
            sums[group[first], j] = np.nan
        if last < ends[group[last]]:
            sums[group[last], j] = np.nan


def still_run(changes: pd.Series) -> tuple[int, pd.Timestamp | None]:
    """Trailing changes of exactly zero (NaN skipped), and the date of the last move before.

    The length of a series' last run without a move and the last date it moved (``None``
    when it never did): a frozen feed repeats its last value and keeps its dates fresh.
    """
    x = changes.dropna()
    moved = x.index[x.to_numpy() != 0.0]
    if not len(moved):
        return len(x), None
    return int((x.index > moved[-1]).sum()), pd.Timestamp(moved[-1])
