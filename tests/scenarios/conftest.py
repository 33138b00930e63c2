"""Fixtures of the scenario tests: the real panel of changes, loaded once per session."""

from __future__ import annotations

import pytest

from spillwatch.scenarios import DEFAULT_ASSETS


@pytest.fixture(scope="session")
def panel(shared_data):
    import spillwatch as sw

    return sw.load(shared_data, assets=list(DEFAULT_ASSETS))
