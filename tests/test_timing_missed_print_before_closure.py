"""A print missed on the last open day before a closure is stale when it comes due.

The market calendar excuses a value only while the *first* open day after it has not yet come
out (:meth:`spillwatch.timing.Timing.shut_since`): Thursday 2019-04-25's 10-year JGB is fresh
across 2019's ten-day Golden Week while Friday 04-26's yields are not yet posted (00:30 in
Tokyo on 05-07, the evening of 05-06 in UTC), and stale from that evening if they never come.
Counting from the first open day after the day after (04-27 -> 05-07) would excuse a missing
04-26 one more evening.
"""

from __future__ import annotations

import numpy as np

from spillwatch.timing import timing_of


def test_a_missed_friday_before_golden_week_is_stale_when_it_is_posted():
    jgb = timing_of("mof:jgb_10y")
    assert not jgb.is_stale("2019-04-25", "2019-05-05")
    assert jgb.is_stale("2019-04-25", "2019-05-06")
    # 11 calendar days past 04-25, limit 6
    assert float(jgb.days_past_limit(np.datetime64("2019-04-25"),
                                     np.datetime64("2019-05-06"))) == 5.0


def test_a_missed_tona_before_golden_week_is_stale_when_it_is_out():
    """TONA of Friday 04-26 came out on the Bank's next business day, 2019-05-07."""
    tona = timing_of("boj:tona")
    assert not tona.is_stale("2019-04-25", "2019-05-06")
    assert tona.is_stale("2019-04-25", "2019-05-07")
