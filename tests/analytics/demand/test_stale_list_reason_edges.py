"""The "none is stale" reason: ``demand.stale_inputs_list`` with a count of 0 only (h_mut9).

An unknown count (no value) is no evidence that nothing is stale, and another demand fact with no
value keeps its own reason.
"""

from __future__ import annotations

import datetime as dt

from spillwatch.alerts.facts import demand_fact_list

D = dt.date(2024, 3, 1)


def _reasons(values):
    return {f.name: f.reason for f in demand_fact_list(values, D, D, day=D)}


def test_none_is_said_of_the_list_alone_and_only_with_a_count_of_zero():
    zero = _reasons({"demand.stale_inputs": 0.0})
    assert "no foreign-demand input is past its staleness limit" in zero["demand.stale_inputs_list"]
    others = [n for n, r in zero.items() if n != "demand.stale_inputs_list" and r
              and "no foreign-demand input is past" in r]
    assert others == []
    unknown = _reasons({})
    assert "no foreign-demand input is past" not in (unknown["demand.stale_inputs_list"] or "")
