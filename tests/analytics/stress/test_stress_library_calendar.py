"""The library routes to the stress index: which panels give the monitor's index."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.analytics.stress import STRESS_ASSETS, load_inputs

pytestmark = pytest.mark.realdata


@pytest.mark.slow
def test_the_warned_route_gives_the_monitors_index(real_db):
    """`sw.stress(panel)` warned to pass levels=sw.load(db, transform='levels',
    assets=STRESS_ASSETS) with changes loaded the same way for "the monitor's index"; sw.load
    puts them on the US markets' days, not the monitor's (which keeps the 299 US holidays on
    which MOVE, the credit spreads or the yen print), and that index read another regime than
    `spillwatch stress` on 56 days (2022-06-23: crisis against elevated), its percentile up
    to 16.5 points off."""
    monitor = sw.stress(real_db).frame
    changes, levels = load_inputs(real_db)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sw.stress(changes)
    text = str(caught[0].message)
    assert "load_inputs(db)" in text and "sw.load(db, transform='levels'" not in text, text
    pd.testing.assert_frame_equal(sw.stress(changes, levels=levels).frame, monitor)
    # the other route is another index, as the warning now says
    assets = list(STRESS_ASSETS)
    other = sw.stress(sw.load(real_db, assets=assets),
                      levels=sw.load(real_db, transform="levels", assets=assets)).frame
    assert len(monitor.index.difference(other.index)) == 299
    # 2022-06-23: all history 96.1 against the monitor's 94.7 (the day the regime differed
    # before the exit band held both in crisis); 2022-11-28: elevated against calm
    assert (other.loc["2022-06-23", "percentile_longrun"] >= 95
            > monitor.loc["2022-06-23", "percentile_longrun"])
    assert other.loc["2022-11-28", "regime"] != monitor.loc["2022-11-28", "regime"]
