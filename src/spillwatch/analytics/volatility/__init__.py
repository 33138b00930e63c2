"""Volatility, dynamic correlation and tail risk.

* :func:`volatility` — per-series EWMA or GARCH-family models (``arch``), chosen by BIC.
* :func:`correlation` — EWMA and DCC(1,1) correlation over a panel.
* :func:`var_es` — one-day VaR/ES (historical, filtered historical simulation, Student-t) and
  their Kupiec / Christoffersen backtests.
* :func:`covar` — CoVaR and ΔCoVaR (crypto by default) conditional on a Treasury sell-off.
"""

from __future__ import annotations

from spillwatch.analytics.volatility.correlation import (
    CorrelationResult,
    DynamicCorrelation,
    correlation,
)
from spillwatch.analytics.volatility.covar import CoVaR, CoVaRResult, covar
from spillwatch.analytics.volatility.garch import Volatility, VolatilityResult, volatility
from spillwatch.analytics.volatility.risk import (
    BacktestResult,
    ValueAtRisk,
    VaRResult,
    christoffersen,
    kupiec,
    var_es,
)

__all__ = [
    "BacktestResult",
    "CoVaR",
    "CoVaRResult",
    "CorrelationResult",
    "DynamicCorrelation",
    "VaRResult",
    "ValueAtRisk",
    "Volatility",
    "VolatilityResult",
    "christoffersen",
    "correlation",
    "covar",
    "kupiec",
    "var_es",
    "volatility",
]
