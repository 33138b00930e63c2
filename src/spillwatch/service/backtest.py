"""The official stress indices as a trader could read them each day, and their signal rule.

The early-warning scorecard (:mod:`spillwatch.alerts.backtest`) compares spillwatch's alerts
with three published indices, each read **as released** (:mod:`spillwatch.timing`):

==============  ======================================  ========================================
comparator      series                                  known from
==============  ======================================  ========================================
``stlfsi4``     St. Louis Fed Financial Stress Index    the Thursday after its Friday (weekly)
                (FRED ``STLFSI4``)
``ofr_fsi``     OFR Financial Stress Index              two US business days after the date
                                                        (daily)
``ecb_ciss``    ECB CISS, euro area (daily)             the Monday after its week (the ECB
                                                        updates it weekly on Mondays)
==============  ======================================  ========================================

The same **signal rule** applies to each (:func:`threshold_signal`): an index signals stress on
an observation whose value is above the 90th percentile of its own observations of the year
before it (365 calendar days, the observation itself excluded; once its history spans half a
year, with two observations in the window at least), recursive and without look-ahead. On a
replay day the comparator shows its last *released* observation (and signals what that
observation signals) while that observation is within its staleness limit; past it, the
comparator is unavailable that day.

Revisions are not undone: the store keeps today's vintage of each index (the St. Louis Fed and
the OFR revise their history when they re-estimate), so a comparator is read as it stands today,
from the day each value was first released. spillwatch's own inputs are today's vintage too
(the New York Fed re-estimates the ACM term premium each month; FRED series are revised), so
neither side is read exactly as it stood.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spillwatch.service.workspace import Workspace
from spillwatch.timing import timing_of

#: Comparator key -> (asset key, label).
COMPARATORS: dict[str, tuple[str, str]] = {
    "stlfsi4": ("stlfsi", "St. Louis Fed STLFSI4"),
    "ofr_fsi": ("ofr_fsi", "OFR FSI"),
    "ecb_ciss": ("ecb_ciss", "ECB CISS"),
}
#: Benchmark key -> (asset key, label): inputs of the index that also date most episodes'
#: peaks (the VIX, the MOVE), scored alone by the index's own rule (their own recursive
#: percentile >= 90), so that the scorecard shows what the index adds to them.
BENCHMARKS: dict[str, tuple[str, str]] = {
    "vix_alone": ("vix", "VIX alone (own percentile ≥ 90)"),
    "move_alone": ("move", "MOVE alone (own percentile ≥ 90)"),
}
#: The signal rule: above this percentile of the trailing window.
THRESHOLD_PCT = 90.0
TRAILING_DAYS = 365


def threshold_signal(values: pd.Series, *, pct: float = THRESHOLD_PCT,
                     trailing_days: int = TRAILING_DAYS, min_share: float = 0.5
                     ) -> pd.DataFrame:
    """The signal rule on a series of observations (by observation date).

    Parameters
    ----------
    values : Series
        Observations, indexed by their dates.
    pct : float, default 90
        Percentile of the trailing window to exceed.
    trailing_days : int, default 365
        Calendar days of the window before each observation (the observation excluded).
    min_share : float, default 0.5
        Share of the window the history must span before the rule applies (half a year), with
        at least two observations in the window. Read from each date's past only: a burn-in
        of half the median window's count over the whole file made the ECB CISS wait 131
        observations, and the same file cut in 2015 wait 44 (look-ahead).

    Returns
    -------
    DataFrame
        Indexed like ``values`` (NaN dropped): ``value``, ``threshold`` (NaN in the burn-in) and
        ``signal`` (1.0 above the threshold, 0.0 not, NaN in the burn-in: no signal can be read
        yet).
    """
    s = values.dropna().astype(float)
    s = s[~s.index.duplicated(keep="last")].sort_index()
    if s.empty:
        return pd.DataFrame(columns=["value", "threshold", "signal"])
    window = f"{int(trailing_days)}D"
    thr = s.rolling(window, closed="left", min_periods=2).quantile(pct / 100.0)
    history = s.index - s.index[0]
    thr = thr.where(history >= pd.Timedelta(days=min_share * trailing_days))
    signal = (s > thr).astype(float).where(thr.notna())
    return pd.DataFrame({"value": s, "threshold": thr, "signal": signal})


@dataclass(frozen=True)
class Comparator:
    """One official index as released.

    Attributes
    ----------
    key, label : str
    series_id : str
        The store series it was read from.
    observations : DataFrame
        By observation date: ``value``, ``threshold``, ``signal``, ``released`` (the day it
        was published).
    stale_after_days : int
    """

    key: str
    label: str
    series_id: str
    observations: pd.DataFrame
    stale_after_days: int

    def on(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        """What the index showed on each of ``dates`` (evening): the last released observation.

        Returns
        -------
        DataFrame
            Indexed by ``dates``: ``observed`` (its date), ``value``, ``signal`` (float: 1, 0, or
            NaN where nothing fresh was released).
        """
        obs = self.observations.sort_index()
        # an observation is read once it and every earlier one were released (conservative
        # where a later date is released first)
        known = np.maximum.accumulate(obs["released"].to_numpy(dtype="datetime64[ns]"))
        when = np.asarray(dates, dtype="datetime64[ns]")
        pick = np.searchsorted(known, when, side="right") - 1
        ok = pick >= 0
        pc = np.clip(pick, 0, None)
        obs_dates = obs.index.to_numpy(dtype="datetime64[ns]")
        observed = np.where(ok, obs_dates[pc], np.datetime64("NaT"))
        age = (when - observed) / np.timedelta64(1, "D")
        fresh = ok & (age <= self.stale_after_days)
        value = np.where(fresh, obs["value"].to_numpy(dtype=float)[pc], np.nan)
        signal = np.where(fresh, obs["signal"].to_numpy(dtype=float)[pc], np.nan)
        score = (np.where(fresh, obs["score"].to_numpy(dtype=float)[pc], np.nan)
                 if "score" in obs else value)
        return pd.DataFrame({"observed": pd.DatetimeIndex(observed).where(fresh),
                             "value": value, "signal": signal, "score": score}, index=dates)

    def readable(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The first and last evening :meth:`on` gives a reading (None: it never does).

        The first: the day its first observation with a signal (after its trailing-year
        threshold's burn-in) and every earlier one were released; the last: its last such
        observation's date plus its staleness limit.
        """
        obs = self.observations.sort_index()
        if "signal" not in obs or obs["signal"].isna().all():
            return None
        has = obs["signal"].notna().to_numpy()
        known = np.maximum.accumulate(obs["released"].to_numpy(dtype="datetime64[ns]"))
        first = pd.Timestamp(known[has][0])
        last = pd.Timestamp(obs.index[has][-1]) + pd.Timedelta(days=self.stale_after_days)
        # every signal released after its staleness limit ran out: :meth:`on` never reads one
        return None if last < first else (first, last)


def own_percentile(values: pd.Series) -> pd.Series:
    """An official index's own recursive percentile (0-100), the way spillwatch's is read.

    The age-weighted recursive ECDF of the stress index (:func:`~spillwatch.analytics.stress.
    weighted_ecdf`) with the index's half-life (500 business days, two years) and burn-in (250,
    one year) turned into the series' own observations (a weekly index: 100 and 50), so the
    AUROC ranks both on the same footing: it scored spillwatch's percentile against the
    official indices' raw levels, pooled over decades (the OFR FSI 0.51 against spillwatch's
    0.57 on three episodes; by its own percentile 0.66-0.69).
    """
    from spillwatch.analytics.stress import StressIndex, weighted_ecdf

    v = values.dropna().sort_index()
    if len(v) < 2:
        return pd.Series(np.nan, index=values.index)
    per_year = 365.25 / max(float(np.median(np.diff(v.index.to_numpy()) / np.timedelta64(1, "D"))),
                            1.0)
    scale = min(per_year / 252.0, 1.0)     # observations per business day
    spec = StressIndex()
    pct = weighted_ecdf(v, half_life=spec.half_life * scale,
                        min_obs=max(round(spec.burn_in * scale), 10)) * 100.0
    return pct.reindex(values.index)


def comparators(ws: Workspace) -> dict[str, Comparator]:
    """The official indices the workspace's data hold, read as released (memoised).

    Each is read from its first store series that holds data (the ECB CISS also from
    ``ofr:ciss``, where an older import of ``../shared/data`` put it).
    """

    def run() -> dict[str, Comparator]:
        out: dict[str, Comparator] = {}
        raw = ws.raw()
        for key, (asset, label) in COMPARATORS.items():
            if asset not in raw.series or raw.series[asset].empty:
                continue
            sid = raw.sources[asset][0]
            with ws.store.session():
                col = ws.store.wide([sid])[sid].dropna()
            col.index = pd.DatetimeIndex(col.index).normalize()
            t = timing_of(sid)
            obs = threshold_signal(col)
            obs["released"] = t.released_index(pd.DatetimeIndex(obs.index))
            obs["score"] = own_percentile(obs["value"])
            out[key] = Comparator(key, label, sid, obs, t.stale_after_days)
        return out

    return ws.memo(("comparators",), run)


def benchmarks(ws: Workspace) -> dict[str, Comparator]:
    """The VIX and the MOVE alone, read as released and scored as spillwatch's index is.

    The episodes' peaks are dated by the VIX, the MOVE or bitcoin, and the VIX and the MOVE
    are inputs of the index: scored alone by the index's rule (their own age-weighted
    recursive percentile, :func:`own_percentile`, at 90 or above) they show how much of the
    index's record those inputs already hold (memoised).
    """

    def run() -> dict[str, Comparator]:
        out: dict[str, Comparator] = {}
        raw = ws.raw()
        for key, (asset, label) in BENCHMARKS.items():
            if asset not in raw.series or raw.series[asset].dropna().empty:
                continue
            col = raw.series[asset].dropna().astype(float)
            col.index = pd.DatetimeIndex(col.index).normalize()
            col = col[~col.index.duplicated(keep="last")].sort_index()
            t = timing_of(raw.sources[asset][0])
            score = own_percentile(col)
            obs = pd.DataFrame({"value": col, "threshold": THRESHOLD_PCT,
                                "signal": (score >= THRESHOLD_PCT).astype(float)
                                .where(score.notna()), "score": score})
            obs["released"] = t.released_index(pd.DatetimeIndex(obs.index))
            out[key] = Comparator(key, label, raw.sources[asset][0], obs, t.stale_after_days)
        return out

    return ws.memo(("benchmarks",), run)


def comparator_labels() -> dict[str, str]:
    """Comparator key -> label (also for those the data lack)."""
    return {k: label for k, (_, label) in COMPARATORS.items()}
