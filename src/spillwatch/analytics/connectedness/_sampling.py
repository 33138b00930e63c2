r"""Synchronous sampling for connectedness: non-overlapping two-day or weekly changes.

Why: a daily value of date *d* is sampled at different hours for different assets (the panel's
``attrs["sampling"]``, from :mod:`spillwatch.timing`): Treasury yields at the New York close
(21:00 UTC), the H.10 dollar rates at noon New York (17:00 UTC), crypto at the Binance close
(24:00 UTC). News that arrives between 17:00 and 24:00 UTC is in crypto's change of day *d* but
in the dollar's change of day *d + 1*; a VAR reads that timing offset as a directional spillover
(crypto "leads" the dollar). The standard remedy (Forbes & Rigobon 2002, Section III; Martens &
Poon 2001) is to sum daily changes over non-overlapping multi-day blocks: an offset of h hours
is h/24 of a daily change but only h/48 of a two-day and h/168 of a weekly one
(:func:`asynchrony`).

How a block change is built (from the daily *changes* of the panel, so nothing is re-sampled):

* log returns and basis-point changes add up exactly over time, so the block change of an asset
  is the **sum of its daily changes** over the block's rows: the move from the last close before
  the block to its last close in the block;
* blocks are fixed on the calendar, not on the data, so adding a day never moves past blocks:
  ``"two_day"`` pairs weekdays counted from Monday 1970-01-05 (Mon–Tue, Wed–Thu, Fri–Mon, ...);
  ``"weekly"`` is the week ending Friday. A block is labelled by its last panel date (the
  Thursday of a week whose Friday has no row, and then the next block starts from there);
* weekends and holidays: on the business-day panel, crypto's weekend move is already in Monday's
  change (the panel takes it from Friday's close), and a day with no row at all lands in the
  next row's change, so every asset's block change spans the same calendar time. On an
  every-day panel, Saturday and Sunday rows join the block of the following Monday;
* a block is kept only when it is complete on the calendar (its first weekday is on or after
  the panel's first date and its last weekday on or before the panel's last date); a row on
  which an asset has no change (it did not close there: a holiday) belongs with the next row on
  which every asset closed, as on the daily path
  (:func:`spillwatch._changes.merge_incomplete_rows`), so every change of a block runs to a
  common close and the blocks do not depend on other series' calendars (a holiday at a block's
  end leaves that block ending on its last common close; a block without one joins the next);
  an asset's block change
  is NaN when a run of more than ``max_missing_run`` missing changes touches the block (a gap
  the panel could not bridge: part of the move is lost), or when the data end on such a block.

References
----------
.. [1] Forbes, K. J., & Rigobon, R. (2002). No contagion, only interdependence: measuring stock
   market comovements. *Journal of Finance*, 57(5), 2223–2261 (two-day returns against
   non-synchronous trading).
.. [2] Martens, M., & Poon, S.-H. (2001). Returns synchronization and daily correlation dynamics
   between international stock markets. *Journal of Banking & Finance*, 25(10), 1805–1827.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._changes import long_missing_runs as _long_missing_runs
from spillwatch._changes import merge_incomplete_rows, weekdays
from spillwatch._frozen import freeze
from spillwatch._validation import choice, naive_index, positive_int
from spillwatch.exceptions import DataError

#: Monday that fixes the phase of two-day blocks (never move it: past blocks would change)
EPOCH = np.datetime64("1970-01-05", "D")


@dataclass(frozen=True)
class Sampling:
    """One sampling choice.

    Attributes
    ----------
    name : str
        ``"daily"``, ``"two_day"`` or ``"weekly"``.
    hours : float
        Nominal length of a step, in hours of calendar time (24, 48, 168).
    label : str
        How it reads in a report.
    default_window : int
        Rolling window (rows of this sampling) of :func:`~._headline.spillover_headline`.
    step_bdays : int
        Business days in one step (1, 2, 5): a count of readings in trading days.
    """

    name: str
    hours: float
    label: str
    default_window: int
    step_bdays: int


#: the sampling choices (rolling windows: about 9.5 months, 14 months, 2 years of data; each
#: keeps at least 8 regression rows per coefficient of a 6-variable VAR(2))
SAMPLINGS: dict[str, Sampling] = {
    "daily": Sampling("daily", 24.0, "daily changes at each market's own close", 200, 1),
    "two_day": Sampling("two_day", 48.0, "non-overlapping two-day changes (sums of daily "
                        "changes over fixed pairs of weekdays)", 150, 2),
    "weekly": Sampling("weekly", 168.0, "weekly changes from one week's last close to the "
                       "next, Friday to Friday as a rule (sums of daily changes)", 104, 5),
}


def sampling_of(name: str) -> Sampling:
    """The :class:`Sampling` called ``name``; an unknown name lists the valid ones."""
    return choice(name, SAMPLINGS, name="sampling")  # type: ignore[no-any-return]


def sampling_hours(frame: pd.DataFrame) -> dict[str, float | None]:
    """Hour (UTC) of date *d* that each column's value describes, None when unknown.

    From ``frame.attrs["sampling"]`` (set by the panel) when present, else from the asset behind
    the column name (:func:`spillwatch.universe.asset_of_column`).
    """
    from spillwatch.exceptions import ConfigError
    from spillwatch.universe import asset_of_column

    meta: Mapping[str, Any] = frame.attrs.get("sampling") or {}
    out: dict[str, float | None] = {}
    for col in map(str, frame.columns):
        if col in meta and meta[col].get("sampled_utc") is not None:
            out[col] = float(meta[col]["sampled_utc"])
            continue
        try:
            out[col] = float(asset_of_column(col).timing.sampled_utc)
        except ConfigError:
            out[col] = None
    return out


def asynchrony(frame: pd.DataFrame, sampling: str) -> dict[str, Any]:
    """The sampling-time offset of the columns and its share of one step of ``sampling``.

    Returns
    -------
    dict
        ``hours_utc`` (per column), ``max_offset_hours`` (largest gap between two columns'
        sampling hours; None when a column's hour is unknown) and ``offset_share`` (that offset
        over the step length: 7 h is 29% of a daily change, 15% of a two-day and 4% of a
        weekly one).
    """
    hours = sampling_hours(frame)
    known = [h for h in hours.values() if h is not None]
    offset = (max(known) - min(known)) if known and len(known) == len(hours) else None
    step = sampling_of(sampling).hours
    return {
        "hours_utc": hours,
        "max_offset_hours": offset,
        "offset_share": None if offset is None else offset / step,
    }


def block_ids(index: pd.DatetimeIndex, sampling: str) -> tuple[np.ndarray, pd.DatetimeIndex,
                                                                pd.DatetimeIndex]:
    """Block number of each date, and each block's first and last weekday (by block number).

    Returns
    -------
    ids : ndarray of int, shape (len(index),)
    starts, ends : DatetimeIndex
        Nominal first and last weekday of blocks ``ids.min() .. ids.max()`` (positional: block
        ``b`` is at ``b - ids.min()``).
    """
    days = np.asarray(index.values, dtype="datetime64[D]")
    if sampling == "two_day":
        # weekdays before the date since EPOCH; Saturday and Sunday count like the next Monday
        counts = np.busday_count(EPOCH, days)
        ids = counts // 2
        lo, hi = int(ids.min()), int(ids.max())
        nums = np.arange(lo, hi + 1)
        starts = np.busday_offset(EPOCH, 2 * nums, roll="forward")
        ends = np.busday_offset(EPOCH, 2 * nums + 1, roll="forward")
    elif sampling == "weekly":
        # weeks ending Friday: Saturday .. Friday; numbered by the Friday's day count / 7
        weekday = (days.astype("int64") - 4) % 7  # 1970-01-01 was a Thursday: Monday -> 0
        friday = days + ((4 - weekday) % 7).astype("timedelta64[D]")
        ids = (friday - EPOCH).astype("int64") // 7
        lo, hi = int(ids.min()), int(ids.max())
        nums = np.arange(lo, hi + 1)
        ends = EPOCH + (7 * nums + 4).astype("timedelta64[D]")
        starts = ends - np.timedelta64(4, "D")
    else:
        raise DataError(f"no blocks for sampling {sampling!r}")
    return (np.asarray(ids, dtype=np.int64), pd.DatetimeIndex(starts),
            pd.DatetimeIndex(ends))


def synchronous_changes(
    changes: pd.DataFrame, *, sampling: str = "two_day", max_missing_run: int = 2
) -> pd.DataFrame:
    """Sum daily changes into non-overlapping two-day or weekly blocks (see the module docstring).

    Parameters
    ----------
    changes : DataFrame
        Daily changes (log returns in percent, basis-point or index-point changes), indexed by
        date, as :func:`spillwatch.load` returns them.
    sampling : {"two_day", "weekly", "daily"}, default "two_day"
        ``"daily"`` keeps the daily rows, with each incomplete row's changes added to the
        next complete row (:func:`merge_incomplete_rows`).
    max_missing_run : int, default 2
        Longest run of missing daily changes (rows) that still counts as a closed market whose
        move the next change carries (a holiday); a longer run makes the blocks it touches NaN
        for that column.

    Returns
    -------
    DataFrame
        One row per complete block, labelled by its last panel date; ``attrs`` keeps those of
        ``changes`` and adds ``sampling`` details under ``"synchronous"`` (name, label, block
        starts and ends).

    Raises
    ------
    DataError
        Not a date-indexed DataFrame, or no complete block.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> idx = pd.bdate_range("2024-01-01", periods=10, name="date")   # Mon 1 .. Fri 12 Jan
    >>> ch = pd.DataFrame({"x_bp": np.arange(1.0, 11.0)}, index=idx)
    >>> synchronous_changes(ch, sampling="weekly")["x_bp"].tolist()
    [15.0, 40.0]
    >>> two = synchronous_changes(ch, sampling="two_day")  # pairs fixed since 1970-01-05
    >>> two["x_bp"].tolist(), [d.day for d in two.index]
    ([5.0, 9.0, 13.0, 17.0], [3, 5, 9, 11])
    """
    spec = sampling_of(sampling)
    positive_int(max_missing_run, name="max_missing_run", minimum=0)
    if not isinstance(changes, pd.DataFrame) or not isinstance(changes.index, pd.DatetimeIndex):
        raise DataError(
            "synchronous sampling needs a DataFrame of daily changes indexed by date, got "
            f"{type(changes).__name__}"
            + ("" if not isinstance(changes, pd.DataFrame)
               else f" indexed by {type(changes.index).__name__}")
        )
    # a zone-aware index raised pandas' "Invalid comparison between dtype=datetime64[s] and
    # Timestamp" (its own wall-clock days, as everywhere); a date twice made two blocks
    frame = naive_index(changes.sort_index())
    if spec.name == "daily":
        out = merge_incomplete_rows(frame, max_missing_run=max_missing_run)
        out.attrs = dict(changes.attrs) | {"synchronous": {"sampling": "daily",
                                                           "label": spec.label}}
        return out
    if len(frame) == 0:
        raise DataError("no rows to sample")
    values = frame.to_numpy(dtype=float)
    ids, starts, ends = block_ids(frame.index, spec.name)
    lo = int(ids.min())
    long_gap = _long_missing_runs(values, max_missing_run, weekdays(frame.index))
    # a row a market missed (a holiday) belongs with the next row every asset closed on, as
    # on the daily path: the blocks then do not depend on which other series made the panel's
    # calendar (a crypto-only row on a US holiday, there because gold printed that day, sent
    # the whole block on to the next one; without that row the block stood)
    anchor = ~np.isnan(values).any(axis=1) | long_gap.any(axis=1)
    nxt = np.flatnonzero(anchor)
    if nxt.size:
        at = np.searchsorted(nxt, np.arange(len(ids)))
        move = ~anchor & (at < nxt.size)
        own, ids = ids, ids.copy()
        ids[move] = ids[nxt[at[move]]]
    else:
        own = ids
    # block boundaries in row positions (rows are sorted, ids non-decreasing)
    cut = np.flatnonzero(np.diff(ids)) + 1
    first_rows = np.concatenate([[0], cut])
    last_rows = np.concatenate([cut - 1, [len(ids) - 1]])
    sums = np.add.reduceat(np.nan_to_num(values, nan=0.0), first_rows, axis=0)
    gap = np.logical_or.reduceat(long_gap, first_rows, axis=0)
    open_end = np.isnan(values[last_rows])
    # a block whose last row an asset did not close on (a holiday at the block's end) joins
    # the next block, for every asset: each change then runs to the next common close (the
    # daily path's rule); dropping it left the next block's spans unequal (after Thanksgiving
    # the dollar's ran Wednesday to Tuesday, bitcoin's Friday to Tuesday)
    joins = (open_end & ~gap).any(axis=1)
    joins[-1] = False
    group = np.concatenate([[0], np.cumsum(~joins)[:-1]])
    g_first = np.flatnonzero(np.diff(group, prepend=-1))
    g_last = np.concatenate([g_first[1:] - 1, [len(group) - 1]])
    sums = np.add.reduceat(sums, g_first, axis=0)
    bad = open_end[g_last] | np.logical_or.reduceat(gap, g_first, axis=0)
    sums[bad] = np.nan
    # a block that took in a holiday row of the block before starts where that block did
    block, block_first = ids[first_rows][g_last], own[first_rows][g_first]
    last_rows = last_rows[g_last]
    # the first day with a change: a panel's first row is its base (no change, every column
    # empty), so a block starting on it held one day's change and was read as two days'
    moved = ~np.isnan(values).all(axis=1)
    first_day = frame.index[int(np.argmax(moved))] if moved.any() else frame.index[0]
    last_day = frame.index[-1]
    complete = (starts[block_first - lo] >= first_day) & (ends[block - lo] <= last_day)
    if not complete.any():
        raise DataError(
            f"no complete {spec.name.replace('_', '-')} block between {first_day.date()} and "
            f"{last_day.date()}; give more rows"
        )
    keep = np.asarray(complete)
    out = pd.DataFrame(sums[keep], index=pd.DatetimeIndex(frame.index[last_rows[keep]],
                                                          name=frame.index.name or "date"),
                       columns=frame.columns)
    out.attrs = dict(changes.attrs)
    # frozen: pandas deep-copies ``attrs`` on every operation (see spillwatch._frozen)
    out.attrs["synchronous"] = freeze({
        "sampling": spec.name,
        "label": spec.label,
        "block_start": np.asarray(starts[block_first[keep] - lo], dtype="datetime64[D]"),
        "block_end": np.asarray(ends[block[keep] - lo], dtype="datetime64[D]"),
    })
    return out
