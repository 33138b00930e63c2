"""Fixtures of the report tests: one report context on the demo market per test process."""

from __future__ import annotations

import pytest

from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="session")
def ctx():
    """A report context on the demo market, shared by the modules that format its sections:
    its workspace memoises each analysis, so a section another module already built (the risk
    section's volatility fits) is not fitted again."""
    src = open_source("demo")
    yield ReportContext(Workspace(src))
    src.close()
