"""``step_regimes`` keeps each state on a reading without a recent percentile (h_mut28).

The backtest walks its ragged edges one reading at a time with ``step_regimes`` (not through
``hold_regimes``, which masks such rows itself). A mutant that dropped the function's own
"a NaN recent rank: no reading, the state is kept" survived the suite: crisis, elevated and
calm states read 'calm' after a reading without a percentile, and a state not yet set read
'calm' as if a reading had been made.
"""
import numpy as np

from spillwatch.analytics.stress.regimes import step_regimes


def test_a_reading_without_a_recent_percentile_keeps_every_state():
    prev = np.array([2, 1, 0, -1])
    nan = np.full(4, np.nan)
    assert step_regimes(prev, nan, nan).tolist() == [2, 1, 0, -1]
    # a long-run rank alone is no reading either
    assert step_regimes(prev, nan, np.array([99.0, 85.0, 10.0, 96.0])).tolist() == [2, 1, 0, -1]


def test_the_same_states_with_a_reading_follow_the_band():
    prev = np.array([2, 1, 0, -1])
    # long-run 91 keeps crisis (left below 90), recent 71 keeps elevated (left below 70), a
    # calm state stays calm at 75 (entered at 80), and a first reading is the table's: 75 calm
    got = step_regimes(prev, np.array([50.0, 71.0, 75.0, 75.0]),
                       np.array([91.0, 60.0, 60.0, 60.0]))
    assert got.tolist() == [2, 1, 0, 0]
