"""Fixtures of the scenario tests: the real panel of changes, loaded once per session."""

from __future__ import annotations

import pytest

from spillwatch.scenarios import DEFAULT_ASSETS


@pytest.fixture(scope="session")
def panel(real_db):
    import spillwatch as sw

    return sw.load(real_db, assets=list(DEFAULT_ASSETS))
