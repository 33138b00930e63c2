"""When each asset's observations became known: release days from the timing table.

Used by the early-warning replay (``alerts.backtest``) and by the exports' ``known_on`` column
(:func:`known_on`). Dates are handled as integer days since 1970-01-01 (``int64``).

For an asset spliced from several store series (the 10-year yield from FRED's H.15, published
the next day, and the Treasury's par curve, published the same evening), an observation date is
known from the earliest release among the sources that carry it (:func:`asset_releases`). The
replay needs the set of observations known on a day to be a *prefix* of the asset's history (so
that every value computed on the known part equals the full-history value); where a later date
is published before an earlier one, the days in between are listed by :func:`gap_days` and run
through the slow truncated path instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spillwatch.timing import timing_of

#: A release day later than any data (``D = NEVER`` reads the full history).
NEVER = np.int64(2**40)


def days(index: pd.DatetimeIndex | pd.Series | np.ndarray) -> np.ndarray:
    """Calendar days since 1970-01-01 of each date."""
    values = np.asarray(pd.DatetimeIndex(index).values.astype("datetime64[D]"))
    return values.astype(np.int64)


def to_timestamps(d: np.ndarray) -> pd.DatetimeIndex:
    """The inverse of :func:`days`."""
    return pd.DatetimeIndex(np.asarray(d, dtype=np.int64).astype("datetime64[D]"))


@dataclass(frozen=True)
class AssetRelease:
    """Observation days of one asset and the day each became known.

    Attributes
    ----------
    obs : ndarray of int64
        Observation days of the spliced series (sorted).
    release : ndarray of int64
        Day each observation was first published (earliest among the asset's sources).
    known : ndarray of int64
        Running maximum of ``release``: the day from which every observation up to this one is
        known (the prefix the replay reads).
    sources : tuple of str
        The store series, best first.
    first_release : dict
        Series id -> the day its first observation was published.
    disagreements : int
        Dates on which a source published earlier than the final (best) one carries a different
        value (see the module docstring).
    """

    obs: np.ndarray
    release: np.ndarray
    known: np.ndarray
    sources: tuple[str, ...]
    first_release: dict[str, int] = field(default_factory=dict)
    disagreements: int = 0

    def last_known(self, d: np.ndarray, D: np.ndarray) -> np.ndarray:
        """Position of the last observation on or before ``d`` known on ``D`` (-1 if none)."""
        return np.minimum(np.searchsorted(self.obs, d, side="right"),
                          np.searchsorted(self.known, D, side="right")) - 1


def asset_releases(wide: pd.DataFrame, sources: dict[str, list[str]]) -> dict[str, AssetRelease]:
    """Release days of every asset from the wide frame of its store series.

    Parameters
    ----------
    wide : DataFrame
        Store series as columns, normalised dates as index.
    sources : dict of str to list of str
        Asset key -> its store series, best first (as :class:`~spillwatch.data.panel.RawSeries`).
    """
    out: dict[str, AssetRelease] = {}
    for key, sids in sources.items():
        rel: pd.Series | None = None
        values: dict[str, pd.Series] = {}
        first: dict[str, int] = {}
        for sid in sids:
            col = wide[sid].dropna()
            if col.empty:
                continue
            values[sid] = col
            r = pd.Series(days(timing_of(sid).released_index(pd.DatetimeIndex(col.index))),
                          index=col.index)
            first[sid] = int(r.min())
            rel = r if rel is None else pd.concat([rel, r], axis=1, sort=True).min(axis=1)
        if rel is None:
            continue
        rel = rel.sort_index().astype(np.int64)
        disagree = 0
        best = next(iter(values.values()))
        for sid, col in list(values.items())[1:]:
            both = best.index.intersection(col.index)
            if len(both) and timing_of(sid).lag_days < timing_of(sids[0]).lag_days:
                a, b = best.reindex(both).to_numpy(), col.reindex(both).to_numpy()
                disagree += int((~np.isclose(a, b, rtol=1e-9, atol=1e-12)).sum())
        r_arr = rel.to_numpy(dtype=np.int64)
        out[key] = AssetRelease(days(rel.index), r_arr, np.maximum.accumulate(r_arr),
                                tuple(values), first, disagree)
    return out


def gap_days(releases: dict[str, AssetRelease], replay_days: np.ndarray) -> np.ndarray:
    """Replay days on which some asset has a later observation known before an earlier one."""
    bad = np.zeros(len(replay_days), dtype=bool)
    for r in releases.values():
        hole = r.release < r.known  # known from r.release, but an earlier one only from known
        for lo, hi in zip(r.release[hole], r.known[hole], strict=True):
            bad |= (replay_days >= lo) & (replay_days < hi)
    return bad


@dataclass(frozen=True)
class Calendar:
    """A panel calendar and the day each of its dates enters it.

    A date enters the business-day calendar of a panel once some business-day asset of the
    panel has published an observation for it (:func:`spillwatch.data.panel.assemble_panel`).

    Attributes
    ----------
    dates : ndarray of int64
        The full calendar.
    enters : ndarray of int64
        Day each date enters it.
    """

    dates: np.ndarray
    enters: np.ndarray

    @classmethod
    def of(cls, calendar: pd.DatetimeIndex, releases: dict[str, AssetRelease],
           keys: list[str]) -> Calendar:
        """The calendar of a panel over the business-day assets ``keys``."""
        d = days(calendar)
        enters = np.full(len(d), NEVER, dtype=np.int64)
        for k in keys:
            r = releases.get(k)
            if r is None:
                continue
            pos = np.searchsorted(r.obs, d)
            pos_c = np.clip(pos, 0, len(r.obs) - 1)
            hit = (pos < len(r.obs)) & (r.obs[pos_c] == d)
            enters[hit] = np.minimum(enters[hit], r.release[pos_c[hit]])
        return cls(d, enters)

    def last(self, D: np.ndarray) -> np.ndarray:
        """Position of the calendar's last date known on ``D`` (-1 if none), holes aside."""
        known = np.maximum.accumulate(self.enters)
        return np.minimum(np.searchsorted(self.dates, D, side="right"),
                          np.searchsorted(known, D, side="right")) - 1

    def holes(self, D: np.ndarray) -> np.ndarray:
        """Replay days on which a calendar date is still unknown while a later one is known."""
        known = np.maximum.accumulate(self.enters)
        hole = self.enters < known
        bad = np.zeros(len(D), dtype=bool)
        for lo, hi in zip(self.enters[hole], known[hole], strict=True):
            bad |= (lo <= D) & (hi > D)
        return bad

    def max_delay(self) -> int:
        """Longest wait, in days, from a calendar date to its entry."""
        ok = self.enters < NEVER
        return int((self.enters[ok] - self.dates[ok]).max()) if ok.any() else 0


def known_on(releases: dict[str, AssetRelease], index: pd.DatetimeIndex, *,
             as_of: object = None) -> pd.Series:
    """The first evening each row could be computed: all its assets' observations published.

    A row dated ``d`` is computed from the assets' observations up to ``d``. Per asset, the
    day its observations up to ``d`` were all known (the running maximum of their release
    days at its last observation on or before ``d``); the row's day is the latest of them,
    and never before ``d`` itself. A row reading an input carried forward from an older
    observation (a weekly series between two prints) waits only for that observation.

    ``as_of``: the data are a vintage seen on that evening, so the last rows may lack
    observations not published yet (the H.10 dollar of a Friday, out on Monday). An asset
    that observes on ``d``'s weekday (every weekday for a daily series, its usual day for a
    weekly one) but has no observation on ``d``, and whose rule would publish one after
    ``as_of``, makes the row wait for that release: the row is provisional until then.
    """
    idx = pd.DatetimeIndex(index)
    d = days(idx)
    out = d.copy()
    cut = None if as_of is None else days(pd.DatetimeIndex([pd.Timestamp(str(as_of))]))[0]
    for r in releases.values():
        pos = np.searchsorted(r.obs, d, side="right") - 1
        have = pos >= 0
        out[have] = np.maximum(out[have], r.known[pos[have]])
        if cut is None or not len(r.obs):
            continue
        observed = np.zeros(len(d), dtype=bool)
        observed[have] = r.obs[pos[have]] == d[have]
        weekdays = _observation_weekdays(r.obs)
        due = np.min([days(timing_of(sid).released_index(idx)) for sid in r.sources], axis=0)
        wait = ~observed & np.isin(np.asarray(idx.day_of_week), weekdays) & (due > cut)
        out[wait] = np.maximum(out[wait], due[wait])
    return pd.Series(to_timestamps(out), index=idx, name="known_on")


def _observation_weekdays(obs: np.ndarray, recent: int = 60) -> np.ndarray:
    """The weekdays a series observes on: Monday to Friday if daily, its usual day if weekly.

    The weekdays of at least a tenth of its last ``recent`` observations (a daily series'
    Mondays fall below a fifth in a quarter with two Monday holidays).
    """
    wd = np.asarray(to_timestamps(obs[-recent:]).day_of_week)
    counts = np.bincount(wd, minlength=7)
    return np.flatnonzero(counts >= max(1, len(wd) // 10))
