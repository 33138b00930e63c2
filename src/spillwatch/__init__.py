"""spillwatch: early warning of US Treasury and dollar stress and its spillover into crypto.

The facade re-exports the front doors of each layer. Heavy optional modules are imported lazily
on first attribute access so that ``import spillwatch`` stays fast and never imports typer,
fastapi, rich or plotly.
"""

from __future__ import annotations

import importlib
from typing import Any

from spillwatch._version import __version__

# name -> "module:attribute"; resolved on first access (PEP 562).
_LAZY: dict[str, str] = {
    "load": "spillwatch.data.source:load",
    "Store": "spillwatch.store:Store",
    "import_path": "spillwatch.data.ingest:import_path",
    "fetch": "spillwatch.data.fetch:fetch",
    "read_csv": "spillwatch.data.providers.csvfile:read_wide",
    "demo_market": "spillwatch.data.providers.demo:demo_market",
    "universe": "spillwatch.universe",
    "scenario": "spillwatch.scenarios",
    "connectedness": "spillwatch.analytics.connectedness:connectedness",
    "Connectedness": "spillwatch.analytics.connectedness:Connectedness",
    "VAR": "spillwatch.analytics.connectedness:VAR",
    "TVPVAR": "spillwatch.analytics.connectedness:TVPVAR",
    "GeneralizedFEVD": "spillwatch.analytics.connectedness:GeneralizedFEVD",
    "CholeskyFEVD": "spillwatch.analytics.connectedness:CholeskyFEVD",
    "FrequencyFEVD": "spillwatch.analytics.connectedness:FrequencyFEVD",
    "volatility": "spillwatch.analytics.volatility:volatility",
    "Volatility": "spillwatch.analytics.volatility:Volatility",
    "correlation": "spillwatch.analytics.volatility:correlation",
    "DynamicCorrelation": "spillwatch.analytics.volatility:DynamicCorrelation",
    "var_es": "spillwatch.analytics.volatility:var_es",
    "ValueAtRisk": "spillwatch.analytics.volatility:ValueAtRisk",
    "covar": "spillwatch.analytics.volatility:covar",
    "CoVaR": "spillwatch.analytics.volatility:CoVaR",
    "event_study": "spillwatch.analytics.events:event_study",
    "EventStudy": "spillwatch.analytics.events:EventStudy",
    "load_events": "spillwatch.analytics.events:load_events",
    "stress": "spillwatch.analytics.stress:stress",
    "StressIndex": "spillwatch.analytics.stress:StressIndex",
    "Signature": "spillwatch.analytics.stress:Signature",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'spillwatch' has no attribute {name!r}")
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attr) if attr else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
