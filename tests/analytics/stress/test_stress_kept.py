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



def test_levels_names_and_dates_are_part_of_the_key(demo):
    import pandas as pd

    changes, levels = demo
    first = compute(changes, levels)
    # the levels are read: without them, or with another VIX, the index is another
    assert not compute(changes).frame.equals(first.frame)
    vix = levels.copy()
    vix["vix_idx"] *= 1.3
    other = compute(changes, vix)
    assert other is not first and not other.frame.equals(first.frame)
    # two columns' names swapped (the same values, in the same order): another panel
    swapped = changes.rename(columns={"ust2y_bp": "ust30y_bp", "ust30y_bp": "ust2y_bp"})
    assert compute(swapped, levels) is not first
    # the same values on the next business days: the result is on those days
    later = changes.set_axis(changes.index + pd.offsets.BDay(1))
    moved = compute(later, levels.set_axis(later.index))
    assert moved is not first and moved.frame.index[0] == later.index[0]


def test_a_panel_that_is_no_frame_is_refused_as_before(demo):
    # only frames are kept: an array or a series is told what compute takes, not a hashing error
    from spillwatch.exceptions import DataError

    changes, levels = demo
    for bad in (changes.to_numpy(), changes["ust10y_bp"]):
        with pytest.raises(DataError, match="changes must be a DataFrame panel"):
            compute(bad)
    with pytest.raises(DataError, match="levels must be a DataFrame"):
        compute(changes, levels.to_numpy())
