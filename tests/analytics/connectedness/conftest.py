"""Fixtures of the connectedness tests: the real rates + dollar + crypto panel, loaded once."""

from __future__ import annotations

import pytest

#: the assets of the spillover headline (the CLI's default)
HEADLINE_ASSETS = ["ust2y", "ust10y", "usd_broad", "usdjpy", "btc", "eth"]


@pytest.fixture(scope="session")
def headline_panel(real_db):
    """Daily changes of the headline assets from ../shared/data (all of history)."""
    from spillwatch.data.source import load

    return load(real_db, assets=HEADLINE_ASSETS)
