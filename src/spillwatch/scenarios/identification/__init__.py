"""Identify a sell-America (foreign-demand) shock in daily markets by sign restrictions.

A structural VAR on daily changes of the 2/5/10/30-year yields, the broad dollar, USD/JPY, the
S&P 500, gold, BTC and ETH. Shocks are identified by the signs of their impact responses
(:mod:`._restrictions`), sampled with the algorithm of Rubio-Ramírez, Waggoner & Zha (2010) on the
uniform-normal-inverse-Wishart posterior with importance weights (Arias, Rubio-Ramírez & Waggoner
2018; :mod:`._sampler`), bounded by a minimum 10-year impact (Kilian & Murphy 2012), and summarised
by pointwise bands and the median target (Fry & Pagan 2011; :mod:`._results`).

Front door::

    from spillwatch.scenarios.identification import identify
    ident = identify(panel)                 # IdentificationResult
    ident.responses()                       # per +10 bp of the 10-year, with bands
    ident.decomposition("2025-04-07", "2025-04-11")
    print(ident.explain())
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from spillwatch.scenarios.identification._restrictions import (
    DEFAULT_SHOCKS,
    MONETARY,
    RISK_ON,
    SELL_AMERICA,
    US_GROWTH,
    Bound,
    Shock,
)
from spillwatch.scenarios.identification._results import AUXILIARY_MIN_DAYS, IdentificationResult
from spillwatch.scenarios.identification._sampler import Posterior
from spillwatch.scenarios.identification._svar import (
    DEFAULT_VARIABLES,
    MIN_JOINT_DAYS,
    SignRestrictedSVAR,
)

__all__ = [
    "AUXILIARY_MIN_DAYS",
    "DEFAULT_SHOCKS",
    "DEFAULT_VARIABLES",
    "MIN_JOINT_DAYS",
    "MONETARY",
    "RISK_ON",
    "SELL_AMERICA",
    "US_GROWTH",
    "Bound",
    "IdentificationResult",
    "Posterior",
    "Shock",
    "SignRestrictedSVAR",
    "identify",
]


def identify(panel: pd.DataFrame, *, min_10y_bp: float = 1.0, **options: Any
             ) -> IdentificationResult:
    """Fit :class:`SignRestrictedSVAR` on ``panel`` (the front door).

    Parameters
    ----------
    panel : DataFrame
        Daily changes (:func:`spillwatch.load`).
    min_10y_bp : float, default 1.0
        The bound: minimum impact of the sell-America shock on the 10-year (bp per sd).
    **options
        Other fields of :class:`SignRestrictedSVAR` (``shocks``, ``draws``, ``seed``, ...).

    Returns
    -------
    IdentificationResult
    """
    bound = options.pop("bound", None) or Bound(min_10y_bp=min_10y_bp)
    return SignRestrictedSVAR(bound=bound, **options).fit(panel)
