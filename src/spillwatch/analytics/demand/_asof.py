"""Put signals of any frequency on one daily as-of calendar, respecting publication lags.

A *native* frame holds a source's values by observation date (a Wednesday's custody level, a
week's flows dated its Saturday, a month's reserves dated its end). Each row has a release date
(:func:`spillwatch.timing.timing_of`). On the daily calendar, the value of date :math:`t` is the
row with the latest observation date among those released on or before :math:`t`, unless that
observation is older than the staleness limit (its market's closures since apart:
:meth:`spillwatch.timing.Timing.stale`): then the value is *missing* (NaN), never the last value
and never zero. Release dates are made non-decreasing in observation date (a later row
is never taken as known before an earlier one), which can only delay a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spillwatch.timing import DEFAULT_TIMING, Timing, timing_of


@dataclass(frozen=True, eq=False)
class Native:
    """Values at a source's own frequency, with release dates and a staleness limit.

    Attributes
    ----------
    values : DataFrame
        Indexed by observation date (unique, increasing).
    released : DatetimeIndex
        Release date of each row.
    stale_after_days : int
        Calendar days after its observation date past which a row is stale.
    source : str
        Name of the input it comes from (for "last reported" dates).
    rule : Timing or None
        The series' timing, whose market calendar (:attr:`~spillwatch.timing.Timing.market`)
        keeps a row fresh while that market has been shut since it (:meth:`days_past`).
    """

    values: pd.DataFrame
    released: pd.DatetimeIndex
    stale_after_days: int
    source: str
    rule: Timing | None = None

    @classmethod
    def timed(cls, values: pd.DataFrame, series_id: str, source: str, *,
              stale_after_days: int | None = None,
              released: pd.Series | None = None) -> Native:
        """A native frame released by the rule of ``series_id``.

        ``released``: each row's release date instead, for rows merged from several sources
        (the rule's staleness still applies).
        """
        rule = timing_of(series_id)
        when = (rule.released_index(pd.DatetimeIndex(values.index)) if released is None
                else pd.DatetimeIndex(released.reindex(values.index)))
        return cls(values, when,
                   rule.stale_after_days if stale_after_days is None else stale_after_days,
                   source, rule)

    def days_past(self, observed: object, as_of: object) -> np.ndarray:
        """Calendar days past :attr:`stale_after_days` (stale when > 0; NaN when missing).

        Elementwise; at most 0 while the series' market has been shut on every day it could
        have printed since ``observed`` (:meth:`spillwatch.timing.Timing.shut_since`).
        """
        rule = DEFAULT_TIMING if self.rule is None else self.rule
        return rule.days_past_limit(observed, as_of, limit=self.stale_after_days)

    def is_stale(self, observed: object, as_of: object) -> bool:
        """Whether a row observed on ``observed`` is stale on ``as_of`` (:meth:`days_past`)."""
        return bool(self.days_past(np.datetime64(pd.Timestamp(observed).date(), "D"),
                                   np.datetime64(pd.Timestamp(as_of).date(), "D")) > 0)

    def positions(self, grid: pd.DatetimeIndex) -> np.ndarray:
        """Row of :attr:`values` known on each grid date (-1 when none, or stale)."""
        if len(self.values) == 0:
            return np.full(len(grid), -1)
        rel = np.maximum.accumulate(self.released.to_numpy(dtype="datetime64[ns]"))
        g = grid.to_numpy(dtype="datetime64[ns]")
        pos = np.searchsorted(rel, g, side="right") - 1
        obs = self.values.index.to_numpy(dtype="datetime64[ns]")
        ok = pos >= 0
        past = self.days_past(np.where(ok, obs[np.maximum(pos, 0)], np.datetime64("NaT")), g)
        with np.errstate(invalid="ignore"):
            return np.where(ok & (past <= 0), pos, -1)

    def on(self, grid: pd.DatetimeIndex) -> pd.DataFrame:
        """The as-of values on the daily calendar ``grid`` (NaN where none is known or fresh)."""
        pos = self.positions(grid)
        arr = self.values.to_numpy(dtype="float64")
        if arr.shape[0] == 0:
            arr = np.full((1, self.values.shape[1]), np.nan)
        out = np.where((pos >= 0)[:, None], arr[np.maximum(pos, 0)], np.nan)
        return pd.DataFrame(out, index=grid, columns=self.values.columns)

    def last_reported(self, grid: pd.DatetimeIndex) -> pd.DataFrame:
        """Observation and release date of the latest row known on each grid date.

        Unlike :meth:`on`, a stale row still counts here: this says what was last published.
        """
        if len(self.values) == 0:
            nat = pd.Series(pd.NaT, index=grid, dtype="datetime64[ns]")
            return pd.DataFrame({"observed": nat, "released": nat})
        rel = np.maximum.accumulate(self.released.to_numpy(dtype="datetime64[ns]"))
        pos = np.searchsorted(rel, grid.to_numpy(dtype="datetime64[ns]"), side="right") - 1
        obs = self.values.index.to_numpy(dtype="datetime64[ns]")
        ok = pos >= 0
        nat = np.datetime64("NaT", "ns")
        return pd.DataFrame({"observed": np.where(ok, obs[np.maximum(pos, 0)], nat),
                             "released": np.where(ok, rel[np.maximum(pos, 0)], nat)},
                            index=grid)

    @property
    def first_release(self) -> pd.Timestamp | None:
        """Release date of the first row (None when empty)."""
        return None if len(self.released) == 0 else pd.Timestamp(self.released.min())
