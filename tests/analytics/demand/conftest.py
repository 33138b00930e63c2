"""Fixtures of the foreign-demand tests: the monitor's inputs from ../shared/data, loaded once."""

from __future__ import annotations

import pytest
from demand_csv import load_demand_inputs

from spillwatch.analytics.demand import DemandInputs, DemandResult, demand


@pytest.fixture(scope="session")
def demand_inputs(shared_data) -> DemandInputs:
    return load_demand_inputs(shared_data)


@pytest.fixture(scope="session")
def demand_result(demand_inputs) -> DemandResult:
    return demand(demand_inputs)
