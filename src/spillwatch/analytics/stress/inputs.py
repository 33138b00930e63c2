"""The monitor's inputs: when each one last reported, and whether it is still fresh.

Every input (an asset of :data:`STRESS_ASSETS`) has a **staleness limit**: the calendar days after
its last observation during which that observation may stand for the present. The limits come
from the product's one timing table, :func:`spillwatch.timing.timing_of` (through
``universe.ASSETS[key].timing``): daily market closes 6 days, H.15 yields 6, the H.10 dollar
(published weekly) 13, crypto (trades every day) 3, the weekly custody holdings 16.

On each date of the panel calendar an input is

``fresh``
    it reported on or before the date, within its limit;
``stale``
    it reported before, but its last report is older than the limit;
``missing``
    it has not reported yet (or the panel does not carry it at all).

Signals are computed on each input's **own observation dates** (a holiday in one market is not a
zero move in it) and carried onto the calendar only while every input they read is fresh
(:meth:`InputPanel.carry`); past the limit they are NaN, never the last value and never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.analytics.stress._columns import FRESH, MISSING, STALE
from spillwatch.timing import held_quotes

#: Assets the monitor reads (those a source has are loaded by :func:`spillwatch.stress`).
STRESS_ASSETS: tuple[str, ...] = (
    "ust2y", "ust10y", "ust30y", "usd_broad", "usdjpy", "usdcny", "spx", "vix", "move",
    "ig_oas", "hy_oas", "btc", "eth", "custody", "term_premium",
)

#: The input the index is anchored on: no index value on a date without a 10-year print.
ANCHOR = "ust10y"


def _days(index: pd.DatetimeIndex) -> np.ndarray:
    """Calendar days since 1970-01-01 of each date (any datetime unit, no overflow)."""
    return np.asarray(index.values.astype("datetime64[D]").astype(np.int64))


@dataclass(frozen=True)
class InputInfo:
    """What the monitor knows about one input.

    Attributes
    ----------
    key : str
        Asset key (``"ust10y"``).
    change_column, level_column : str
        Its columns in the changes and levels panels.
    stale_after_days : int
        Calendar days after an observation past which it is stale.
    frequency : str
        ``"daily"``, ``"weekly"`` or ``"monthly"``.
    """

    key: str
    change_column: str
    level_column: str
    stale_after_days: int
    frequency: str


def input_info(key: str, stale_after_days: int | None = None) -> InputInfo:
    """Return the :class:`InputInfo` of asset ``key`` (limit from :mod:`spillwatch.timing`)."""
    a = universe.asset(key)
    limit = a.timing.stale_after_days if stale_after_days is None else int(stale_after_days)
    return InputInfo(key, a.change_column, a.level_column, limit, a.frequency)


class InputPanel:
    """Own-date observations of every input and their freshness on the panel calendar.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes (calendar = its index).
    levels : DataFrame, optional
        Panel of levels on the same calendar (daily inputs are observed where their level is;
        without levels, where their change is).
    assets : sequence of str
        Input keys; those the panels lack are ``missing`` on every date.
    stale_after : mapping of str to int, optional
        Override of the staleness limits (calendar days) of some inputs.
    """

    def __init__(self, changes: pd.DataFrame, levels: pd.DataFrame | None = None,
                 assets: Sequence[str] = STRESS_ASSETS,
                 stale_after: Mapping[str, int] | None = None) -> None:
        self.calendar = pd.DatetimeIndex(changes.index)
        over = dict(stale_after or {})
        self.info: dict[str, InputInfo] = {k: input_info(k, over.get(k)) for k in assets}
        self._cal_d = _days(self.calendar)
        self._obs: dict[str, pd.DatetimeIndex] = {}
        self._chg: dict[str, pd.Series] = {}
        self._lvl: dict[str, pd.Series] = {}
        for k, info in self.info.items():
            ch = changes.get(info.change_column)
            lv = (levels[info.level_column] if levels is not None
                  and info.level_column in levels else None)
            if ch is None and lv is None:
                continue
            chv = ch.to_numpy(dtype="float64") if ch is not None else None
            lvv = lv.to_numpy(dtype="float64") if lv is not None else None
            base = lvv if (info.frequency == "daily" and lvv is not None) or chv is None else chv
            seen = ~np.isnan(base)  # type: ignore[arg-type]
            if not seen.any():
                continue
            obs = self.calendar[seen]
            self._obs[k] = obs
            self._chg[k] = pd.Series(chv[seen] if chv is not None else np.nan, index=obs,
                                     dtype="float64")
            if lvv is not None:
                self._lvl[k] = pd.Series(lvv[seen], index=obs, dtype="float64")
        self._obs_d = {k: _days(obs) for k, obs in self._obs.items()}
        # the print's own date where the panel placed it on a later day (a weekly print dated a
        # holiday): its label and its age are the print's (custody's 2025-01-01 read 01-02)
        moved = changes.attrs.get("observed_on", {})
        self._own_d = {k: self._own_days(obs, moved.get(self.info[k].change_column))
                       for k, obs in self._obs.items()}
        self._pos: dict[str, np.ndarray] = {
            k: np.searchsorted(obs, self._cal_d, side="right") - 1
            for k, obs in self._obs_d.items()}
        self._fresh: dict[str, np.ndarray] = {}
        self._carry_pos: dict[int, tuple[pd.Index, np.ndarray, np.ndarray]] = {}

    @staticmethod
    def _own_days(obs: pd.DatetimeIndex, moved: Mapping[object, object] | None) -> np.ndarray:
        """Calendar days of the prints at ``obs``, each moved one at its own date."""
        if not moved:
            return _days(obs)
        own = pd.DatetimeIndex([moved.get(d, d) for d in obs])
        return _days(own)

    # ------------------------------------------------------------------ own-date data
    def has(self, key: str) -> bool:
        """Whether the panels carry input ``key`` at all."""
        return key in self._obs

    def observed(self, key: str) -> pd.DatetimeIndex:
        """Dates on which ``key`` reported (empty when absent)."""
        return self._obs.get(key, pd.DatetimeIndex([], name=self.calendar.name))

    def changes(self, key: str) -> pd.Series:
        """Daily changes of ``key`` on its own observation dates (NaN across long gaps)."""
        return self._chg.get(key, pd.Series(dtype="float64"))

    def moves(self, key: str) -> pd.Series:
        """Daily changes of ``key`` on the days its home market traded.

        A print on a day the input's own market was shut (:func:`~spillwatch.timing.held_quotes`),
        equal to the print before it, is a held quote, not a zero move: it is left out, so the
        reopening day's change spans the closure (it already holds the whole move) and the
        held days neither dilute the trailing volatility nor count as observations of the
        multi-day changes. Other inputs: :meth:`changes`.
        """
        ch = self.changes(key)
        return ch[~held_quotes(key, ch)]

    def levels(self, key: str) -> pd.Series | None:
        """Levels of ``key`` on its own observation dates, or ``None`` without levels."""
        return self._lvl.get(key)

    # ------------------------------------------------------------------ calendar views
    def last_observed(self, key: str) -> np.ndarray:
        """For each calendar date, the last observation date on or before it (NaT if none)."""
        out = np.full(len(self.calendar), np.datetime64("NaT"), dtype="datetime64[s]")
        if key in self._obs:
            pos = self._pos[key]
            ok = pos >= 0
            out[ok] = self._own_d[key][pos[ok]].astype("datetime64[D]").astype("datetime64[s]")
        return out

    def age_days(self, key: str) -> np.ndarray:
        """Calendar days since the last observation (NaN before the first)."""
        out = np.full(len(self.calendar), np.nan)
        if key in self._obs:
            pos = self._pos[key]
            ok = pos >= 0
            out[ok] = self._cal_d[ok] - self._own_d[key][pos[ok]]
        return out

    def fresh(self, key: str) -> np.ndarray:
        """Boolean array: ``key`` reported within its staleness limit on each calendar date."""
        if key not in self._fresh:
            age = self.age_days(key)
            with np.errstate(invalid="ignore"):
                self._fresh[key] = age <= self.info[key].stale_after_days
        return self._fresh[key]

    def printed(self, key: str) -> np.ndarray:
        """Boolean array: ``key`` reported on the calendar date itself."""
        if key not in self._obs:
            return np.zeros(len(self.calendar), dtype=bool)
        return np.isin(self._cal_d, self._obs_d[key])

    def states(self) -> pd.DataFrame:
        """``fresh`` / ``stale`` / ``missing`` of every input on every calendar date."""
        cols = {}
        for k in self.info:
            code = np.where(np.isnan(self.age_days(k)), 2, np.where(self.fresh(k), 0, 1))
            cols[k] = pd.Categorical.from_codes(code, categories=[FRESH, STALE, MISSING])
        return pd.DataFrame(cols, index=self.calendar)

    def last_observed_frame(self) -> pd.DataFrame:
        """The last observation date of every input on every calendar date."""
        return pd.DataFrame({k: self.last_observed(k) for k in self.info}, index=self.calendar)

    def all_fresh(self, keys: Iterable[str]) -> np.ndarray:
        """Boolean array: every input of ``keys`` is fresh on the date."""
        ok = np.ones(len(self.calendar), dtype=bool)
        for k in keys:
            ok &= self.fresh(k)
        return ok

    def carry(self, series: pd.Series, keys: Sequence[str]) -> pd.Series:
        """Put a series computed on own observation dates onto the calendar.

        The value on a calendar date is the series' value on its last date on or before it,
        kept only while every input of ``keys`` is fresh (each by its own staleness limit) and
        that last date is itself within the loosest limit of ``keys``; else NaN (never carried
        further, never zero). A joint series' last date is its laggiest input's: the 10-year's
        correlation with the H.10 dollar ends on the dollar's last print, a week old every Friday
        and fresh by the dollar's 13 days, and was blanked by the 10-year's 6 (59 of 2024's 262
        evenings, 51 of them Fridays).
        """
        out = np.full(len(self.calendar), np.nan)
        if len(series) and keys:
            index = series.index
            p, age = self._positions(index if isinstance(index, pd.DatetimeIndex)
                                     else pd.DatetimeIndex(index))
            limit = max(self.info[k].stale_after_days for k in keys)
            ok = (p >= 0) & (age <= limit) & self.all_fresh(keys)
            out[ok] = series.to_numpy(dtype="float64")[p[ok]]
        return pd.Series(out, index=self.calendar, name=series.name)

    def _positions(self, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Last position of ``index`` on or before each calendar date, and its age in days."""
        hit = self._carry_pos.get(id(index))
        if hit is not None and hit[0] is index:
            return hit[1], hit[2]
        idx = _days(index)
        pos = np.searchsorted(idx, self._cal_d, side="right") - 1
        age = np.full(len(pos), np.inf)
        ok = pos >= 0
        age[ok] = self._cal_d[ok] - idx[pos[ok]]
        self._carry_pos[id(index)] = (index, pos, age)   # keeps ``index`` alive: ids stay unique
        return pos, age
