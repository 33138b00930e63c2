"""Fixtures of the scorecard tests: the lagged simulated market (see :mod:`.lagged_market`)."""

from __future__ import annotations

import pytest

from spillwatch.store import Store

from .lagged_market import write_lagged_market


@pytest.fixture(scope="session")
def lagged_db(tmp_path_factory: pytest.TempPathFactory):
    """A store file holding the lagged simulated market."""
    path = tmp_path_factory.mktemp("lagged") / "lagged.duckdb"
    with Store(path) as store:
        write_lagged_market(store)
    return path
