"""The regime table's cut-offs are inclusive (regimes.py: 'crisis: long-run percentile 95 and
above', 'elevated: either percentile 80 and above'; the band is left only *below* 70 / 90).

Mutation testing (h_mut) found that ``q > hi`` in place of ``q >= hi`` in ``step_regimes``
passed every stress test: no test put a reading exactly on a cut-off."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.stress import classify_regimes, hold_regimes


def test_a_reading_exactly_on_a_cut_off_enters_the_regime():
    """Percentile 95.0 (long-run) is 'crisis', 80.0 is 'elevated', 79.99 is 'calm': the docs
    say 'and above', and the alerts' 'crisis' rule fires on the same >=."""
    p = pd.Series([95.0, 80.0, 79.99, 94.99])
    assert hold_regimes(p, exit_band=(0, 0)).tolist() == ["crisis", "elevated", "calm",
                                                          "elevated"]
    assert classify_regimes(p).tolist() == ["crisis", "elevated", "calm", "elevated"]
    # with the default band, from no state: the first reading is the table's
    for value, want in [(95.0, "crisis"), (80.0, "elevated"), (79.99, "calm")]:
        assert hold_regimes(pd.Series([value])).tolist() == [want]
        assert hold_regimes(pd.Series([50.0]), longrun=pd.Series([value])).tolist() == [want]


def test_the_band_holds_a_reading_exactly_on_its_edge():
    """'crisis until the long-run percentile is below 90', 'elevated until both are below 70':
    90.0 keeps crisis, 89.99 leaves it; 70.0 keeps elevated, 69.99 leaves it."""
    crisis = pd.Series([96.0, 90.0, 89.99])
    assert hold_regimes(crisis).tolist() == ["crisis", "crisis", "elevated"]
    elevated = pd.Series([85.0, 70.0, 69.99])
    assert hold_regimes(elevated).tolist() == ["elevated", "elevated", "calm"]
    assert np.array_equal(hold_regimes(pd.Series([85.0, 70.0, 69.99]),
                                       longrun=pd.Series([60.0, 60.0, 60.0])).to_numpy(),
                          np.array(["elevated", "elevated", "calm"], dtype=object))
