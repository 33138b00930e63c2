"""Stress regimes: calm, elevated, crisis, from the index's recursive percentiles.

The regime of a date is read from two ranks of the composite index
(:mod:`spillwatch.analytics.stress.index`, step 7) among its past values (of the same
segments): the **recent** percentile, with recent years weighted more (an age-weighted
recursive ECDF, half-life two years by default), and the **long-run** percentile, every past
day weighted equally. Neither revises.

============  ==========================================================================
regime        percentiles of the index (entered on the day; see *Persistence* for leaving)
============  ==========================================================================
``crisis``    long-run percentile 95 and above
``elevated``  otherwise, either percentile 80 and above
``calm``      both below 80
============  ==========================================================================

Why two: read against the last two years alone, a level that was a crisis in 2009 reads
'calm' after months of crisis (April 2009: index 0.28, recent percentile 63, long-run 82, VIX
near 40), and a jolt after a quiet spell reads 'crisis' (November 2021: recent 96, long-run
91, the OFR FSI near its median). The recent rank stays what the early-warning alerts read
(it reaches the top decile in every episode of the test suite); the regime names a level
against the whole history, and a recent-only high is 'elevated'.

The thresholds are parameters (``thresholds=(80.0, 95.0)``); these defaults are this package's
convention ('crisis' is the top 5 % of the index's whole history, 'elevated' the next 15 % of
either). Percentile cut-offs, rather than fixed index levels, keep the regimes comparable as the
set of available sub-indices changes over history (the percentiles rank within a consistent
composition), in the spirit of reading the CISS against its own history (Holló, Kremer &
Lo Duca 2012).

Persistence
-----------
A regime is **entered** on the first reading at its cut-off, as in the table (no delay: the
monitor warns the day the rank gets there), but **left** only when the ranks fall a band below
the cut-off (a Schmitt trigger, ``exit_band=(10, 5)`` by default): ``elevated`` holds until both
percentiles are below 70, ``crisis`` until the long-run percentile is below 90 (then it reads
``elevated`` or ``calm`` by the same rule). Each reading's regime depends only on the ranks of
that reading and of the readings before it (the percentiles are recursive and do not revise),
so the rule is one-sided; a reading without a percentile keeps the state and reads ``None``.
``exit_band=(0, 0)`` gives the table alone, the rule before the band.

Why: read off the day's percentile alone, the regime changed 1,261 times in 13,232 readings
(1973-2026 on ``../shared/data``), 359 of them back the next reading; the index's percentile
moves about 12 points a day (the OFR FSI's own percentile about 4), so a cut-off with no band
flaps in every episode. With the band: 842 changes, 67 back the next reading, and the first
``crisis`` reading of Lehman (2008-09-15), Covid (2020-03-09), the gilt crisis (2022-09-28),
SVB (2023-03-13) and the April 2025 tariffs (2025-04-04) unchanged; a rule that waits for two
readings to confirm any change cut more (667) but said ``crisis`` a day or two later (SVB
03-14, tariffs 04-07). Entry and exit at different levels of a real-time (filtered, one-sided)
reading is how recessions are called in real time (Chauvet & Hamilton 2006: a recession is
declared at a higher filtered probability than the one that ends it; Hamilton 2011); the
smoothed, two-sided regimes used to date stress episodes after the fact (Duprey, Klaus &
Peltonen 2017) look ahead and are not used here. The percentiles stay in the frame, unbanded.

References
----------
Chauvet, M. and Hamilton, J. D. (2006), "Dating business cycle turning points", in Milas, C.,
Rothman, P. and van Dijk, D. (eds.), *Nonlinear Time Series Analysis of Business Cycles*,
Elsevier, 1–54.
Duprey, T., Klaus, B. and Peltonen, T. (2017), "Dating systemic financial stress episodes in the
EU countries", *Journal of Financial Stability* 32, 30–56.
Hamilton, J. D. (2011), "Calling recessions in real time", *International Journal of
Forecasting* 27(4), 1006–1026.
Holló, D., Kremer, M. and Lo Duca, M. (2012), "CISS – a composite indicator of systemic stress in
the financial system", ECB Working Paper 1426.
"""

from __future__ import annotations

import enum

import numpy as np
import pandas as pd

from spillwatch.exceptions import ConfigError

#: Default percentile cut-offs (elevated, crisis).
DEFAULT_THRESHOLDS: tuple[float, float] = (80.0, 95.0)
#: Default exit bands (elevated, crisis): a regime is left only this many percentile points
#: below its cut-off (module docstring, *Persistence*).
DEFAULT_EXIT_BAND: tuple[float, float] = (10.0, 5.0)


class Regime(enum.StrEnum):
    """Stress regime; members compare by severity through :attr:`severity`."""

    CALM = "calm"
    ELEVATED = "elevated"
    CRISIS = "crisis"

    @property
    def severity(self) -> int:
        """0 for calm, 1 for elevated, 2 for crisis."""
        return _SEVERITY[self.value]

    def at_least(self, other: Regime | str) -> bool:
        """Whether this regime is at least as severe as ``other`` (``r.at_least("elevated")``)."""
        return self.severity >= Regime(other).severity


_SEVERITY = {"calm": 0, "elevated": 1, "crisis": 2}


def check_thresholds(thresholds: tuple[float, float]) -> tuple[float, float]:
    """Return ``thresholds`` as two floats with 0 < elevated < crisis <= 100."""
    try:
        lo, hi = (float(v) for v in thresholds)
    except (TypeError, ValueError):
        raise ConfigError(f"thresholds must be two percentiles (elevated, crisis), e.g. "
                          f"(80, 95); got {thresholds!r}") from None
    if not (0.0 < lo < hi <= 100.0):
        raise ConfigError(f"thresholds must satisfy 0 < elevated < crisis <= 100; got "
                          f"({lo:g}, {hi:g})")
    return lo, hi


def classify_regimes(percentile: pd.Series,
                     thresholds: tuple[float, float] = DEFAULT_THRESHOLDS,
                     longrun: pd.Series | None = None) -> pd.Series:
    """Map percentiles (0–100) to regime names (the module docstring's table).

    Parameters
    ----------
    percentile : Series
        Recent (age-weighted) recursive percentile of the stress index.
    thresholds : (float, float), default (80, 95)
        Cut-offs of ``elevated`` and ``crisis``.
    longrun : Series, optional
        Long-run (equal-weight) recursive percentile on the same dates. Without it the regime
        is read from ``percentile`` alone.

    Returns
    -------
    Series
        Object dtype: ``"calm"``, ``"elevated"``, ``"crisis"``, or ``None`` where the percentile
        is NaN (burn-in).

    Examples
    --------
    >>> import pandas as pd
    >>> classify_regimes(pd.Series([10.0, 85.0, 99.0, float("nan")])).tolist()
    ['calm', 'elevated', 'crisis', None]
    >>> classify_regimes(pd.Series([63.0, 96.0, 98.0]), longrun=pd.Series([82.0, 91.0, 97.0])
    ...                  ).tolist()
    ['elevated', 'elevated', 'crisis']
    """
    lo, hi = check_thresholds(thresholds)
    p = percentile.to_numpy(dtype=float)
    out = np.full(p.shape, None, dtype=object)
    ok = ~np.isnan(p)
    out[ok] = Regime.CALM.value
    if longrun is None:
        out[ok & (p >= lo)] = Regime.ELEVATED.value
        out[ok & (p >= hi)] = Regime.CRISIS.value
    else:
        q = longrun.reindex(percentile.index).to_numpy(dtype=float)
        q = np.where(np.isnan(q), p, q)        # no long-run rank: the recent one alone
        out[ok & ((p >= lo) | (q >= lo))] = Regime.ELEVATED.value
        out[ok & (q >= hi)] = Regime.CRISIS.value
    return pd.Series(out, index=percentile.index, name="regime", dtype=object)


def check_exit_band(exit_band: tuple[float, float], thresholds: tuple[float, float]
                    ) -> tuple[float, float]:
    """Return ``exit_band`` as two floats, each >= 0 and below its cut-off."""
    lo, hi = check_thresholds(thresholds)
    try:
        e, c = (float(v) for v in exit_band)
    except (TypeError, ValueError):
        raise ConfigError(f"exit_band must be two percentile points (elevated, crisis), e.g. "
                          f"{DEFAULT_EXIT_BAND}; got {exit_band!r}") from None
    if not (0.0 <= e < lo and 0.0 <= c < hi):
        raise ConfigError(f"exit_band must satisfy 0 <= elevated's < {lo:g} and 0 <= crisis's "
                          f"< {hi:g}; got ({e:g}, {c:g})")
    return e, c


#: State codes of :func:`step_regimes` (-1: no regime yet).
NO_STATE, CALM_STATE, ELEVATED_STATE, CRISIS_STATE = -1, 0, 1, 2
_NAMES = np.array([Regime.CALM.value, Regime.ELEVATED.value, Regime.CRISIS.value], dtype=object)


def step_regimes(prev: np.ndarray, percentile: np.ndarray, longrun: np.ndarray,
                 thresholds: tuple[float, float] = DEFAULT_THRESHOLDS,
                 exit_band: tuple[float, float] = DEFAULT_EXIT_BAND) -> np.ndarray:
    """One reading of the banded rule, for many independent states at once.

    Parameters
    ----------
    prev : ndarray of int
        State codes before the reading (``-1``: none yet; 0 calm, 1 elevated, 2 crisis).
    percentile, longrun : ndarray of float
        The reading's recent and long-run percentiles (a NaN long-run rank: the recent one;
        a NaN recent rank: no reading, the state is kept).
    thresholds, exit_band : (float, float)

    Returns
    -------
    ndarray of int
        The states after the reading.
    """
    lo, hi = thresholds
    e, c = exit_band
    prev = np.asarray(prev, dtype=np.int64)
    p = np.asarray(percentile, dtype=float)
    q = np.asarray(longrun, dtype=float)
    q = np.where(np.isnan(q), p, q)
    with np.errstate(invalid="ignore"):
        raw = np.where(q >= hi, 2, np.where((p >= lo) | (q >= lo), 1, 0))
        band = np.where(q >= hi - c, 2, np.where((p >= lo - e) | (q >= lo - e), 1, 0))
    # a state is kept while the reading stays within its band, and raised at once
    new = np.maximum(raw, np.minimum(prev, band))
    new = np.where(prev < 0, raw, new)
    return np.where(np.isnan(p), prev, new)


def hold_regimes(percentile: pd.Series,
                 thresholds: tuple[float, float] = DEFAULT_THRESHOLDS,
                 longrun: pd.Series | None = None,
                 exit_band: tuple[float, float] = DEFAULT_EXIT_BAND) -> pd.Series:
    """Regimes of a history of readings, in date order, with the exit band (*Persistence*).

    Each date's regime is read from that date's percentiles and the state the earlier dates
    left (:func:`step_regimes`); ``exit_band=(0, 0)`` gives :func:`classify_regimes`.

    Returns
    -------
    Series
        As :func:`classify_regimes`: ``None`` where the percentile is NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> hold_regimes(pd.Series([85.0, 75.0, 69.0, 96.0, 91.0, 89.0])).tolist()
    ['elevated', 'elevated', 'calm', 'crisis', 'crisis', 'elevated']
    >>> classify_regimes(pd.Series([85.0, 75.0, 69.0, 96.0, 91.0, 89.0])).tolist()
    ['elevated', 'calm', 'calm', 'crisis', 'elevated', 'elevated']
    """
    p = percentile.to_numpy(dtype=float)
    q = (p if longrun is None
         else longrun.reindex(percentile.index).to_numpy(dtype=float))
    states = regime_states(p, q, thresholds, exit_band)
    return pd.Series(regime_names(np.where(np.isnan(p), NO_STATE, states)),
                     index=percentile.index, name="regime", dtype=object)


def regime_states(percentile: np.ndarray, longrun: np.ndarray,
                  thresholds: tuple[float, float] = DEFAULT_THRESHOLDS,
                  exit_band: tuple[float, float] = DEFAULT_EXIT_BAND) -> np.ndarray:
    """State codes after each reading of a history (kept through rows without a percentile).

    ``-1`` before the first reading; :func:`step_regimes` applied in order.
    """
    th = check_thresholds(thresholds)
    band = check_exit_band(exit_band, th)
    p = np.asarray(percentile, dtype=float)
    q = np.asarray(longrun, dtype=float)
    # step_regimes, one reading at a time on plain ints (the same rule, without per-step arrays)
    raw, kept = (step_regimes(np.full(len(p), k), p, q, th, band) for k in (NO_STATE, 2))
    read = ~np.isnan(p)
    states = np.empty(len(p), dtype=np.int64)
    s = NO_STATE
    for t, (r, k, ok) in enumerate(zip(raw.tolist(), kept.tolist(), read.tolist(), strict=True)):
        if ok:
            s = r if s < 0 else max(r, min(s, k))
        states[t] = s
    return states


def regime_names(states: np.ndarray) -> np.ndarray:
    """Regime names of state codes (``None`` for ``-1``), an object array."""
    states = np.asarray(states, dtype=np.int64)
    out = np.full(states.shape, None, dtype=object)
    ok = states >= 0
    out[ok] = _NAMES[states[ok]]
    return out


def held_by_band(regime: str | None, percentile: float | None, longrun: float | None,
                 thresholds: tuple[float, float] = DEFAULT_THRESHOLDS,
                 exit_band: tuple[float, float] = DEFAULT_EXIT_BAND) -> str | None:
    """Why a reading's regime is above what its own percentiles read, if it is.

    The banded regime (*Persistence*) keeps ``elevated`` at a percentile of 75: a headline of
    "percentile 75, all history 72, elevated" beside cut-offs of 80 reads as a mistake unless
    it says the band holds it.

    Returns
    -------
    str or None
        ``None`` when the reading's own percentiles give ``regime`` (or there is none).

    Examples
    --------
    >>> held_by_band("elevated", 75.2, 72.0)
    'held by the exit band: elevated until both percentiles are below 70'
    >>> held_by_band("crisis", 97.0, 93.1)
    'held by the exit band: crisis until the all-history percentile is below 90'
    >>> held_by_band("elevated", 85.0, 60.0) is None
    True
    """
    if regime is None or percentile is None or np.isnan(percentile):
        return None
    q = percentile if longrun is None or np.isnan(longrun) else longrun
    raw = classify_regimes(pd.Series([float(percentile)]), thresholds,
                           pd.Series([float(q)])).iloc[0]
    order = [r.value for r in Regime]
    if order.index(regime) <= order.index(raw):
        return None
    lo, hi = check_thresholds(thresholds)
    e, c = check_exit_band(exit_band, (lo, hi))
    until = (f"both percentiles are below {lo - e:g}" if regime == Regime.ELEVATED.value
             else f"the all-history percentile is below {hi - c:g}")
    return f"held by the exit band: {regime} until {until}"

