"""The web dashboard and JSON API (FastAPI): ``spillwatch serve``.

:func:`create_app` builds the app around an open :class:`~spillwatch.data.source.MarketSource`;
the page is served at ``/`` and the API under ``/api/``. Every view is a small provider function in
:mod:`spillwatch.api.views` that draws with the same figure functions as the HTML report.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """Build the FastAPI app (see :func:`spillwatch.api.app.create_app`)."""
    from spillwatch.api.app import create_app as _create

    return _create(*args, **kwargs)
