"""The service layer: the product's standard analyses, set up once.

Each module holds one capability's standard choices (assets, windows, lags, horizons, the default
book) and the functions that run it on a :class:`~spillwatch.service.workspace.Workspace`. The
CLI, the report, the dashboard API and the monitor's rule facts call these functions and only
format what they return, so the same data give the same number everywhere. The library
functions below this layer (``sw.stress``, ``sw.connectedness``, ...) stay free of product
defaults.

Modules: :mod:`.workspace`, :mod:`.stress`, :mod:`.spillover`, :mod:`.risk`,
:mod:`.scenarios`, :mod:`.events`, :mod:`.health`.
"""

from spillwatch.service.workspace import Workspace

__all__ = ["Workspace"]
