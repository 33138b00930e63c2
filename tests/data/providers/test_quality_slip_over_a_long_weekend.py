"""A unit slip entered over a long weekend (Thursday to Monday, 4 days) is still a slip.

A surviving mutant (h_mut2, DQ09: ``STEP_DAYS`` 5 -> 3) let a run of prices in cents that
began after a Friday holiday through the import: its entry spans 4 calendar days, within the
rule's 5. The planted slips of the tests all began on consecutive days.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.data import quality


def test_a_run_in_cents_after_a_friday_holiday_is_flagged():
    days = pd.bdate_range("2025-01-06", periods=102)
    holiday = 79                                          # a Friday: Thu -> Mon spans 4 days
    assert days[holiday].day_name() == "Friday"
    days = days.delete(holiday)
    c = np.where(np.arange(len(days) - 1) % 2 == 0, 0.01, -0.01)
    x = 100.0 * np.exp(np.r_[0.0, np.cumsum(c)])
    run = slice(holiday, holiday + 3)                     # Mon, Tue, Wed in cents
    x[run] *= 100.0
    assert (days[holiday] - days[holiday - 1]).days == 4
    out = quality.series_flags(pd.DataFrame({"ts": days, "value": x}), None, positive=True,
                               spikes=True, stale=False)
    assert len(out) == 1
    (reason, idx), = out.items()
    assert "unit slip over several rows" in reason
    assert sorted(idx) == [holiday, holiday + 1, holiday + 2]
