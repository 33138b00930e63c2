"""Stress regimes: calm, elevated, crisis, from the index's recursive percentiles.

The regime of a date is read from two ranks of the composite index
(:mod:`spillwatch.analytics.stress.index`, step 7) among its past values (of the same
segments): the **recent** percentile, with recent years weighted more (an age-weighted
recursive ECDF, half-life two years by default), and the **long-run** percentile, every past
day weighted equally. Neither revises.

============  ==========================================================================
regime        percentiles of the index
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

References
----------
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
