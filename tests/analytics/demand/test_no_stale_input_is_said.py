"""`demand.stale_inputs_list` on a day no foreign-demand input is stale (h_ep4).

`spillwatch alerts facts --as-of 2018-02-05` on ../shared/data printed `demand.stale_inputs` 0
beside `demand.stale_inputs_list` with no value and the note "no value on 2018-02-05: its input
is past its staleness limit or has not reported": it said an input was stale on a day none was.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.alerts.facts import demand_fact_list
from spillwatch.analytics.demand import demand_facts

pytestmark = pytest.mark.realdata


def _facts(result, day: str):
    values = demand_facts(result, day)
    d = dt.date.fromisoformat(day)
    return {f.name: f for f in demand_fact_list(values, d, d, day=d)}


def test_an_empty_stale_list_does_not_say_an_input_is_stale(demand_result):
    facts = _facts(demand_result, "2018-02-05")
    assert facts["demand.stale_inputs"].value == 0.0
    empty = facts["demand.stale_inputs_list"]
    assert empty.value is None and not empty.stale
    assert "past its staleness limit or has not reported" not in empty.reason
    assert "no foreign-demand input is past its staleness limit" in empty.reason


def test_a_stale_input_is_still_named(demand_result):
    # 2019: SAFE published no reserves that year (README: all of 2019 is a gap)
    facts = _facts(demand_result, "2019-09-17")
    assert facts["demand.stale_inputs"].value == 1.0
    assert facts["demand.stale_inputs_list"].value == "China's reserves (last 2018-12-31)"
    assert facts["demand.stale_inputs_list"].reason is None
