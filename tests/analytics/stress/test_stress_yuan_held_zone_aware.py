"""The yuan's held prints on a zone-aware panel: China's closures are the days as dated.

`timing.held_quotes` (the stress signals', the alerts' and risk's one rule), `compute_signals`
and `InputPanel` take a panel as given (``sw.stress`` and ``compute`` drop a
zone first, keeping wall times). A panel dated at midnight in Shanghai (or London in summer)
holds instants of the day before in UTC, so the closures were looked up a day early: Golden
Week's held 2020-10-05 (UTC 10-04, a Sunday the calendar does not list) was read as a zero
move, and the reopening 10-09 (UTC 10-08, a closure) was a held print had it not moved.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.stress.inputs import InputPanel
from spillwatch.analytics.stress.signals import compute_signals
from spillwatch.timing import held_quotes

#: Golden Week 2020's weekdays on which H.10 repeated the yuan (State Council: 1-8 October).
_HELD = ("2020-10-02", "2020-10-05", "2020-10-06", "2020-10-07", "2020-10-08")


def _changes() -> pd.DataFrame:
    """Yuan log changes (%) on US business days to 2020-10-16, held (0.0) on Golden Week's
    weekdays but its first, whose move is small."""
    idx = pd.bdate_range("2020-05-01", "2020-10-16", name="date")
    cny = pd.Series(np.random.default_rng(11).normal(0.0, 0.2, len(idx)), index=idx)
    cny[list(_HELD)] = 0.0
    cny["2020-10-01"] = 0.003
    cny["2020-10-09"] = -1.43
    return pd.DataFrame({"usdcny_pct": cny})


# InputPanel's own calendar still reads a zone-aware index's UTC days through
# DatetimeIndex.values (pandas 3.1 deprecates that; its freshness is read on those days alike)
@pytest.mark.filterwarnings("ignore:DatetimeIndex.values returning")
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/London", "America/New_York"])
def test_zone_aware_panel_leaves_out_the_same_held_prints(zone):
    """The held prints left out and the yuan's z-scores are the naive panel's, in any zone."""
    naive = _changes()
    aware = naive.tz_localize(zone)
    held = held_quotes("usdcny", aware["usdcny_pct"])
    assert np.array_equal(held, held_quotes("usdcny", naive["usdcny_pct"]))
    assert list(naive.index[held].strftime("%Y-%m-%d")) == list(_HELD)
    panel = InputPanel(aware, assets=("usdcny",))
    left = panel.changes("usdcny").index.difference(panel.moves("usdcny").index)
    assert list(left.strftime("%Y-%m-%d")) == list(_HELD)
    want = compute_signals(naive)[["usdcny_z1", "usdcny_z5"]]
    got = compute_signals(aware)[["usdcny_z1", "usdcny_z5"]]
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-12, equal_nan=True)
    assert np.isfinite(want.loc["2020-10-09", "usdcny_z5"])
