"""The SVAR's sample with a start and an end: merged on the history, then cut at both
(h_mut25).

cefb2db merged the SVAR's sample on the history before its start; a mutant merging the whole
panel (its rows after ``end`` too) survived, since the test's panel ended on the SVAR's end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.scenarios.identification import SignRestrictedSVAR

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

KEYS = ("ust10y", "spx", "gold")


def test_the_sample_runs_from_the_day_after_the_holiday_to_the_end_asked(real_db):
    p = sw.scenario.market_inputs(str(real_db))[0]
    start, end = pd.Timestamp("2016-07-05"), pd.Timestamp("2019-07-05")
    assert p.index[-1] > end
    _, joint, _ = SignRestrictedSVAR(start=start, end=end, variables=KEYS)._window(p)
    assert joint.index[0] == start
    assert joint.index[-1] <= end
    # the same rows as a panel that ends there
    _, ended, _ = SignRestrictedSVAR(start=start, end=None, variables=KEYS)._window(
        p.loc[:end])
    pd.testing.assert_frame_equal(joint, ended)
    # by hand from gold/XAUUSD.csv: 1342.28 on Friday 2016-07-01, 1356.03 on 07-05
    assert joint.loc[start, "gold_pct"] == pytest.approx(100 * np.log(1356.03 / 1342.28),
                                                         abs=1e-3)
