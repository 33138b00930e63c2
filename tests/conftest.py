"""Shared fixtures: the real data folder (skipped with a reason when absent), stores, seeded rng."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spillwatch.config import find_shared_data

SHARED = find_shared_data(Path(__file__).resolve().parent)
SKIP_REASON = ("../shared/data (the real market data set) is not beside this clone; "
               "tests on real data are skipped")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--skip-slow", action="store_true", help="skip tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "realdata" in item.keywords and SHARED is None:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
        if "slow" in item.keywords and config.getoption("--skip-slow"):
            item.add_marker(pytest.mark.skip(reason="--skip-slow given"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data; skips the test with a clear reason when it is absent."""
    if SHARED is None:
        pytest.skip(SKIP_REASON)
    return SHARED


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20250409)


@pytest.fixture
def store():
    from spillwatch.store import Store

    s = Store()
    yield s
    s.close()
