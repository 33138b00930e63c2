"""The stress index is kept by its options and panels: a workspace opened again on the same
data computes nothing again; a changed value, date, column, attr or option computes anew."""

from __future__ import annotations

import pytest

import spillwatch as sw
from spillwatch.analytics.stress.index import compute


@pytest.fixture(scope="module")
def demo():
    changes = sw.load("demo", transform="changes")
    levels = sw.load("demo", transform="levels").reindex(changes.index)
    return changes, levels


def test_the_same_panels_are_one_result_and_any_change_another(demo):
    changes, levels = demo
    first = compute(changes, levels)
    assert compute(changes.copy(), levels.copy()) is first
    revised = changes.copy()
    revised.iloc[-1, revised.columns.get_loc("ust10y_bp")] += 40.0
    moved = compute(revised, levels)
    assert moved is not first
    assert moved.frame["stress"].iloc[-1] != first.frame["stress"].iloc[-1]
    assert moved.frame["stress"].iloc[:-1].equals(first.frame["stress"].iloc[:-1])
    labelled = changes.copy()
    labelled.attrs["simulated"] = not changes.attrs.get("simulated", False)
    assert compute(labelled, levels) is not first
    assert compute(changes, levels, burn_in=300) is not first
    assert compute(changes.iloc[:-1], levels.iloc[:-1]) is not first

