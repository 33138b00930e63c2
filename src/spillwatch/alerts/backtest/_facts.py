"""The monitor's rule facts on every replay day, computed per fact over all days at once.

:func:`spillwatch.alerts.facts.compute_facts` builds one :class:`FactSet` for one evening. Here
each fact is an array over the replay days, built from the full history and the release days:

* **asset facts** (``<key>.level``, ``.chg_<n>d_<u>``, ``.chg_<n>w_..``, ``.chg_<n>m_..``,
  ``.stale_bdays``): an asset's known observations on day ``D`` are a prefix of its history
  (:mod:`._release`), so the last ``n`` known changes, the last known level and the age of the
  last report follow from one position per day. Daily changes are those of the panel (on its
  business-day calendar; crypto's weekend moves land on Monday), which do not depend on the
  vintage except through the calendar's last date; a day on which the calendar has a hole (a
  date not yet published while a later one is) is recomputed by truncation.
* **stress facts** (``stress.*``): the monitor's latest reading as known on ``D``
  (:mod:`._stress`), unavailable when that reading is older than the 10-year yield's staleness
  limit, and each value unavailable where its inputs were stale or missing.
* **spillover facts**: the rolling connectedness of the service's standard setup is a function
  of each window's rows only; the window the monitor read on ``D`` is the last one whose rows
  were all published, and the 252 before it.

Units, staleness rules and labels are those of :mod:`spillwatch.alerts.facts` (the same
helpers where they are shared).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.alerts.facts import (
    _CHANGE_UNIT,
    _MONTHLY_N,
    _WEEKLY_N,
    HOLDINGS_MAGNITUDE,
    SPILL,
    change_facts,
    reported,
    tic_line,
    traded_z,
    z_labels,
)
from spillwatch.analytics.demand.reserves import spans_tic_break
from spillwatch.analytics.volatility.ewma import standardized_moves
from spillwatch.data.releases import NEVER, AssetRelease, Calendar, days, to_timestamps


@dataclass
class FactColumns:
    """Named facts over the replay days.

    Attributes
    ----------
    n : int
        Number of replay days.
    values : dict of str to ndarray
        Float arrays (NaN: no value) or object arrays (``None``: no value).
    exists : dict of str to ndarray of bool
        Days on which the fact is in the day's FactSet (an asset held, a group computed).
    labels : dict of str to dict
        Labels of a fact's alert instance (``asset``, ``frequency``, ``series``); a label is a
        string or an object array over the days.
    as_of : dict of str to ndarray
        The date (int day) each value describes, where the FactSet gives one (summaries).
    """

    n: int
    values: dict[str, np.ndarray] = field(default_factory=dict)
    exists: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    as_of: dict[str, np.ndarray] = field(default_factory=dict)

    def put(self, name: str, value: np.ndarray, exists: np.ndarray,
            labels: dict[str, Any] | None = None, as_of: np.ndarray | None = None) -> None:
        self.values[name] = value
        self.exists[name] = exists
        if labels is not None:
            self.labels[name] = labels
        if as_of is not None:
            self.as_of[name] = as_of

    def since(self, k: int) -> FactColumns:
        """The same facts from day ``k`` on (the days before dropped)."""
        return FactColumns(
            self.n - k, {n: v[k:] for n, v in self.values.items()},
            {n: v[k:] for n, v in self.exists.items()},
            {n: {lab: (x[k:] if isinstance(x, np.ndarray) else x) for lab, x in d.items()}
             for n, d in self.labels.items()},
            {n: v[k:] for n, v in self.as_of.items()})

    def value(self, name: str) -> np.ndarray:
        """The fact's values, unavailable (NaN) where it does not exist."""
        if name not in self.values:
            return np.full(self.n, np.nan)
        v = self.values[name]
        ex = self.exists[name]
        if v.dtype == object:
            out = v.copy()
            out[~ex] = None
            return out
        return np.where(ex, v, np.nan)

    def at(self, name: str, i: int) -> Any:
        """The value of ``name`` on day ``i`` (``None`` when unavailable)."""
        v = self.value(name)[i]
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        return v.item() if isinstance(v, np.generic) else v


def business_days_between(last: np.ndarray, today: np.ndarray) -> np.ndarray:
    """:func:`spillwatch.timing.bdays_between` over arrays of int days."""
    start = last + 1
    out = np.zeros(len(last), dtype=np.int64)
    ok = start < today
    if ok.any():
        out[ok] = np.busday_count(start[ok].astype("datetime64[D]"),
                                  today[ok].astype("datetime64[D]"))
    return out


def _gather(values: np.ndarray, end: np.ndarray, n: int, how: str = "sum") -> np.ndarray:
    """Sum (``how``: min, max) of ``values[end - n : end]`` for every entry of ``end``.

    NaN where ``end < n`` or a value of the window is NaN.
    """
    out = np.full(len(end), np.nan)
    ok = end >= n
    if ok.any():
        idx = end[ok][:, None] - n + np.arange(n)[None, :]
        window = values[idx]
        out[ok] = (window.sum(axis=1) if how == "sum" else window.min(axis=1) if how == "min"
                   else window.max(axis=1))
    return out


def asset_facts(out: FactColumns, *, raw: Any, releases: dict[str, AssetRelease],
                changes: pd.DataFrame, levels: pd.DataFrame, calendar: Calendar,
                D: np.ndarray, ref: np.ndarray, catalog: pd.DataFrame) -> None:
    """Every asset fact of :func:`~spillwatch.alerts.facts.compute_facts` on the days ``D``.

    Parameters
    ----------
    out : FactColumns
        The replay's fact columns, filled in place.
    raw : RawSeries
        The workspace's spliced series.
    releases : dict
        Release days of every held asset.
    changes, levels : DataFrame
        The full panels of the held daily assets (the facts' calendar).
    calendar : Calendar
        That calendar and when each date entered it.
    D, ref : ndarray of int64
        Replay days, and the day staleness is measured against (``D``; for simulated data the
        last date of the vintage, as ``compute_facts`` does).
    catalog : DataFrame
        The store's series catalog (units of holdings series).
    """
    for key, rel in releases.items():
        a = universe.ASSETS.get(key)
        if a is None:
            continue
        p = rel.last_known(D, D)
        held = p >= 0
        last = np.where(held, rel.obs[np.clip(p, 0, None)], -1)
        stale = held & (ref - last > a.timing.stale_after_days)
        u = _CHANGE_UNIT[a.kind]
        # stale_bdays: one alert instance per held series, labelled with its leading source
        lead = np.full(len(D), None, dtype=object)
        for sid in reversed(rel.sources):
            lead = np.where(rel.first_release.get(sid, NEVER) <= D, sid, lead)
        labels = {"asset": key, "frequency": a.frequency, "series": lead}
        out.put(f"{key}.stale_bdays",
                np.where(held, business_days_between(last, ref), np.nan).astype(float), held,
                labels, last)
        out.put(f"{key}.days_past_limit",
                np.where(held, ref - last - a.timing.stale_after_days, np.nan).astype(float),
                held, dict(labels), last)
        if a.frequency == "daily" and a.calendar == "every_day":
            _every_day(out, a, rel, raw.series[key], D, held, stale, u)
        elif a.frequency == "daily":
            _daily(out, a, rel, changes, levels, calendar, D, held, stale, u)
        else:
            _low_freq(out, a, raw.series[key], rel, p, held, stale, u, catalog, D, last)


def _every_day(out: FactColumns, a: universe.Asset, rel: AssetRelease, s: pd.Series,
               D: np.ndarray, held: np.ndarray, stale: np.ndarray, u: str) -> None:
    """Level and changes of a market open every day (crypto) on its own dates.

    As :func:`~spillwatch.alerts.facts.compute_facts` reads them: a Saturday's move is
    Saturday's 1-day change, known that evening.
    """
    lv = s.dropna()
    seen = None
    for kind, vals_s in (("lvl", lv), ("chg", _panel_changes(lv, a))):
        d = days(pd.DatetimeIndex(vals_s.index))
        pos = np.clip(np.searchsorted(rel.obs, d), 0, len(rel.obs) - 1)
        known = np.where(rel.obs[pos] == d, rel.release[pos], NEVER)
        seen = _put_known(out, a, kind, vals_s.to_numpy(dtype=float), known, D, held, stale,
                          u, dates=d, level_as_of=seen)


def _daily(out: FactColumns, a: universe.Asset, rel: AssetRelease, changes: pd.DataFrame,
           levels: pd.DataFrame, calendar: Calendar, D: np.ndarray, held: np.ndarray,
           stale: np.ndarray, u: str) -> None:
    """Level and changes of a business-day asset on the facts' calendar."""
    cal = calendar.dates
    # the day each calendar date's value of this asset is known: its own release
    pos = np.searchsorted(rel.obs, cal)
    pos_c = np.clip(pos, 0, len(rel.obs) - 1)
    on = (pos < len(rel.obs)) & (rel.obs[pos_c] == cal)
    known = np.where(on, rel.release[pos_c], NEVER)
    seen = None
    lv, ch = levels[a.level_column], changes[a.change_column]
    for kind, arr in (("lvl", lv), ("chg", ch)):
        values = arr.to_numpy(dtype=float)
        # a change is read on every day the asset reported, NaN where the panel leaves it
        # unmeasured (after a gap): an n-day sum over it is none (facts.reported)
        ok = ~np.isnan(values) if kind == "lvl" else reported(ch, lv)
        seen = _put_known(out, a, kind, values[ok], known[ok], D, held, stale, u,
                          dates=np.asarray(cal)[ok], level_as_of=seen)


def _put_known(out: FactColumns, a: universe.Asset, kind: str, vals: np.ndarray,
               known: np.ndarray, D: np.ndarray, held: np.ndarray, stale: np.ndarray,
               u: str, dates: np.ndarray | None = None,
               level_as_of: np.ndarray | None = None) -> np.ndarray | None:
    """The level (``kind == "lvl"``) or the 1/5/20-change facts from the values known on D.

    ``dates`` (int days, aligned with ``vals``) gives each fact the date its value describes;
    returns those dates per D. ``level_as_of`` (the level's, for the changes): a change older
    than the level known that day (the level follows a gap the change does not span) is no
    change of that day, as :func:`~spillwatch.alerts.facts.compute_facts` says.
    """
    seq = np.maximum.accumulate(known) if len(known) else known
    count = np.searchsorted(seq, D, side="right")
    as_of = None
    if dates is not None and len(dates):
        as_of = np.where(count > 0, np.asarray(dates, dtype=np.int64)[np.clip(count - 1, 0,
                                                                              None)], -1)
    if kind == "lvl":
        have = held & (count > 0)
        v = vals[np.clip(count - 1, 0, None)] if len(vals) else np.full(len(D), np.nan)
        out.put(f"{a.key}.level", np.where(stale | ~have, np.nan, v), have, as_of=as_of)
        return as_of
    gap = (np.zeros(len(D), dtype=bool) if level_as_of is None or as_of is None
           else (as_of >= 0) & (level_as_of > as_of))
    for name, n, how in change_facts(a.key, u):
        total = _gather(vals, count, n, how)
        value = 100.0 * np.expm1(total / 100.0) if a.log_change else total
        out.put(name, np.where(stale | gap, np.nan, value), held, as_of=as_of)
    # the last known change against the volatility of those before it: a prefix's last
    # standardised move is the whole history's at that position (it reads no later change)
    z = (traded_z(a.key, pd.Series(vals, index=to_timestamps(dates)))
         if dates is not None else standardized_moves(vals))
    last = z[np.clip(count - 1, 0, None)] if len(vals) else np.full(len(D), np.nan)
    out.put(f"{a.key}.z_1d", np.where(stale | gap | (count < 1), np.nan, last), held,
            z_labels(a), as_of=as_of)
    return as_of


def _panel_changes(levels: pd.Series, a: universe.Asset) -> pd.Series:
    """Daily changes of observed levels, as the panel takes them.

    NaN where the panel leaves one unmeasured: the first day, and a day after a gap past the
    asset's limit.
    """
    from spillwatch.data.panel import level_changes

    return level_changes(levels, a)


def _low_freq(out: FactColumns, a: universe.Asset, s: pd.Series, rel: AssetRelease,
              p: np.ndarray, held: np.ndarray, stale: np.ndarray, u: str,
              catalog: pd.DataFrame, D: np.ndarray, last: np.ndarray) -> None:
    """Level and changes of a weekly or monthly series, dated by the observation they read.

    ``last`` (int days, -1 where none is known) is that observation's date: without it a
    summary's ``{custody.chg_1w_usd_bn@date}`` read "n/a" in the backtest's firings while
    ``alerts test --as-of`` gave the Wednesday.
    """
    vals = s.to_numpy(dtype=float)
    n_known = p + 1
    scale = (_holdings_scale(catalog, rel, vals, n_known, D) if a.kind == "holdings"
             else np.ones(len(D)))
    idx = np.clip(p, 0, None)
    as_of = np.asarray(last, dtype=np.int64)
    out.put(f"{a.key}.level", np.where(held & ~stale, vals[idx] / scale, np.nan), held,
            as_of=as_of)
    letter, ns = ("w", _WEEKLY_N) if a.frequency == "weekly" else ("m", _MONTHLY_N)
    for n in ns:
        ok = held & (n_known > n) & ~stale
        prev = np.clip(p - n, 0, None)
        if tic_line(a):   # a change across a TIC series break is a revision: unknown
            ok &= ~spans_tic_break(s.index[prev], s.index[idx])
        v = np.where(ok, vals[idx] / scale - vals[prev] / scale, np.nan)
        out.put(f"{a.key}.chg_{n}{letter}_{u}", v, held, as_of=as_of)


def _holdings_scale(catalog: pd.DataFrame, rel: AssetRelease, vals: np.ndarray,
                    n_known: np.ndarray, D: np.ndarray) -> np.ndarray:
    """The divisor of :func:`spillwatch.alerts.facts._scale_to_bn` as it read each day."""
    out = np.ones(len(D))
    for sid in rel.sources:   # the catalog names the unit of a series known that day
        units = " ".join(str(x).lower() for x in catalog.loc[catalog["series_id"] == sid,
                                                             "unit"])
        if "mn" in units or "million" in units:
            out[rel.first_release.get(sid, NEVER) <= D] = 1000.0
    # else the magnitude of the holdings known that day (zero holdings are not values)
    nz = vals != 0
    med = pd.Series(np.abs(vals[nz])).expanding().median().to_numpy()
    n_nz = np.concatenate(([0], np.cumsum(nz)))[np.clip(n_known, 0, len(vals))]
    big = np.zeros(len(D), dtype=bool)
    has = n_nz > 0
    big[has] = med[n_nz[has] - 1] > HOLDINGS_MAGNITUDE
    return np.where(big, 1000.0, out)


def spillover_values(*, headline: pd.Series, known: np.ndarray, calendar: Calendar,
                     D: np.ndarray, history: int, min_history: int = 1
                     ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The three spillover facts' values on the days ``D`` from one headline series.

    Parameters
    ----------
    headline : Series
        Net spillover rates + dollar -> crypto by window end (NaN windows dropped).
    known : ndarray of int64
        Day each window's rows were all published (running maximum).
    calendar : Calendar
        The spillover panel's calendar.
    D : ndarray of int64
        Replay days.
    history : int
        Windows the percentile facts rank today's value against.
    min_history : int, default 1
        Fewest earlier windows the facts need (the service's
        :func:`~spillwatch.service.spillover.min_history_readings`); before, none is known.

    Returns
    -------
    values : dict of str to ndarray
        Fact name -> float array over ``D`` (NaN: no value).
    pos : ndarray of int
        Position in ``headline`` of the window read on each day (-1: none yet).
    """
    h = headline.to_numpy(dtype=float)
    hd = days(pd.DatetimeIndex(headline.index))
    last_cal = calendar.last(D)
    cal_last_day = np.where(last_cal >= 0, calendar.dates[np.clip(last_cal, 0, None)], -1)
    pos = np.minimum(np.searchsorted(known, D, side="right"),
                     np.searchsorted(hd, cal_last_day, side="right")) - 1
    # compute_facts needs the latest window and ``min_history`` before it
    ok = pos >= max(1, min_history)
    value = np.where(ok, h[np.clip(pos, 0, None)], np.nan)
    p95 = np.full(len(D), np.nan)
    pct = np.full(len(D), np.nan)
    for j in np.unique(pos[ok]):
        hist = h[max(0, j - history):j]
        rows = pos == j
        p95[rows] = float(np.percentile(hist, 95))
        pct[rows] = float(np.mean(hist <= h[j]))
    return {SPILL: value, SPILL + "_p95_252d": p95, SPILL + "_pctile_252d": pct}, pos

