"""Stress regimes: calm, elevated, crisis, from the index's recursive percentile.

The regime of a date is read from the percentile of the composite index
(:mod:`spillwatch.analytics.stress.index`, step 7): its rank among the past values of the
composite of the same segments, with recent years weighted more (an age-weighted recursive
ECDF, half-life two years by default), so it never revises and its 90th percentile is exceeded
on about 10 % of days over any long history:

============  =====================================
regime        percentile of the index
============  =====================================
``calm``      below 80
``elevated``  80 to below 95
``crisis``    95 and above
============  =====================================

The thresholds are parameters (``thresholds=(80.0, 95.0)``); these defaults are this package's
convention ('crisis' is the top 5 % of the index's own history, 'elevated' the next 15 %).
Percentile cut-offs, rather than fixed index levels, keep the regimes comparable as the set of
available sub-indices changes over history (the percentile ranks within a consistent
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
                     thresholds: tuple[float, float] = DEFAULT_THRESHOLDS) -> pd.Series:
    """Map percentiles (0–100) to regime names.

    Parameters
    ----------
    percentile : Series
        Recursive percentile of the stress index.
    thresholds : (float, float), default (80, 95)
        Cut-offs of ``elevated`` and ``crisis``.

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
    """
    lo, hi = check_thresholds(thresholds)
    p = percentile.to_numpy(dtype=float)
    out = np.full(p.shape, None, dtype=object)
    ok = ~np.isnan(p)
    out[ok] = Regime.CALM.value
    out[ok & (p >= lo)] = Regime.ELEVATED.value
    out[ok & (p >= hi)] = Regime.CRISIS.value
    return pd.Series(out, index=percentile.index, name="regime", dtype=object)
