"""Fixtures of the service-layer tests."""

from __future__ import annotations

import pytest

from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="module")
def real(real_db):
    """A workspace on the store of ../shared/data (read-only), one per test module."""
    ws = Workspace(open_source(real_db, read_only=True))
    yield ws
    ws.close()
