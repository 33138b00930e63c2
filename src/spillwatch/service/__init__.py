"""The service layer: the product's standard analyses, set up once.

Each module holds one capability's standard choices (assets, windows, lags, horizons, the default
book) and the functions that run it on a :class:`~spillwatch.service.workspace.Workspace`. The
CLI, the report, the dashboard API and the monitor's rule facts call these functions and only
format what they return, so the same data give the same number everywhere. The library
functions below this layer (``sw.stress``, ``sw.connectedness``, ...) stay free of product
defaults.

Modules: :mod:`.workspace`, :mod:`.stress`, :mod:`.spillover`, :mod:`.risk`,
:mod:`.scenarios`, :mod:`.events`, :mod:`.health`; the defaults the command line shows,
:mod:`.defaults`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spillwatch.service.workspace import Workspace

__all__ = ["Workspace"]


def __getattr__(name: str) -> Any:
    """``Workspace``, imported on first use (PEP 562).

    The package is imported for any of its modules, :mod:`.defaults` too, which the command
    line reads to register its options: the workspace imports pandas and the store.
    """
    if name == "Workspace":
        from spillwatch.service.workspace import Workspace

        return Workspace
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
