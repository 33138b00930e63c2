"""The views' ``days`` window: calendar days back from the last row, that day included."""

from __future__ import annotations

import pandas as pd


def test_days_is_calendar_days_back_from_the_last_row():
    """``days=7`` keeps the rows from the last date minus 7 calendar days on (that day
    included: Monday to Monday is 6 rows); ``days=0`` keeps all."""
    from spillwatch.api.views import _last_days

    idx = pd.bdate_range("2025-03-03", "2025-03-31", name="date")
    frame = pd.DataFrame({"x": range(len(idx))}, index=idx)
    week = _last_days(frame, 7)
    assert week.index[0] == pd.Timestamp("2025-03-24") and week.index[-1] == idx[-1]
    assert len(week) == 6
    assert len(_last_days(frame, 0)) == len(frame)
    # three days back from Monday 03-31 is Friday 03-28, which is kept
    assert _last_days(frame, 3).index.tolist() == [pd.Timestamp("2025-03-28"),
                                                   pd.Timestamp("2025-03-31")]
