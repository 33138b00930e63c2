"""A sell-America run's top group: a tie goes to the group that led its highest reading.

``SellAmericaCheck.episodes`` named the most frequent top group with ``mode().iloc[0]``,
which breaks a tie alphabetically. On ../shared/data the run of 2022-09-29..30 (sell America
on both days) read "max_percentile 99.7, top_group custody": the gauge was at its 94.5th
percentile led by custody on 09-29 (custody fell $38 bn that week) and at its 99.7th led by
Japan official on 09-30, MOF's report of ¥2,838bn of dollars sold on 09-22 (Japan official 82%
of the gauge, custody 15%: `spillwatch demand --as-of 2022-09-30`). The run's top group is the
one of its 99.7.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.demand.verdict import SellAmericaCheck


def _check(rows):
    frame = pd.DataFrame(rows, columns=["date", "signature", "percentile", "top_group",
                                        "verdict"]).set_index("date")
    frame.index = pd.DatetimeIndex(frame.index, name="date")
    return SellAmericaCheck(frame=frame, threshold=80.0, confirm_days=0)


def test_a_tie_goes_to_the_group_of_the_runs_highest_reading():
    # the gauge as `demand --as-of` read it on ../shared/data
    chk = _check([("2022-09-28", "none", 64.2, "japan_private", "none"),
                  ("2022-09-29", "sell_america", 94.5, "custody", "foreign_selling"),
                  ("2022-09-30", "sell_america", 99.7, "japan_official", "foreign_selling"),
                  ("2022-10-03", "none", 99.6, "japan_official", "none")])
    ep = chk.episodes()
    assert len(ep) == 1
    row = ep.iloc[0]
    assert row["max_percentile"] == 99.7
    assert row["top_group"] == "japan_official"


def test_the_most_frequent_group_still_leads_and_missing_readings_fall_back():
    chk = _check([("2022-09-27", "sell_america", 99.0, "japan_official", "foreign_selling"),
                  ("2022-09-28", "sell_america", 50.0, "custody", "other_news"),
                  ("2022-09-29", "sell_america", 40.0, "custody", "other_news"),
                  ("2022-10-05", "none", 10.0, "china", "none"),
                  ("2022-10-06", "sell_america", np.nan, "custody", "unknown"),
                  ("2022-10-07", "sell_america", np.nan, "auctions", "unknown")])
    ep = chk.episodes()
    assert list(ep["top_group"]) == ["custody", "auctions"]   # by count; then alphabetical


def test_days_without_a_leading_group_are_no_group_of_the_run():
    # h_mut12: two days read no top group (""), one custody: the run's group is custody,
    # not "" by count
    chk = _check([("2022-09-27", "sell_america", 90.0, "", "unknown"),
                  ("2022-09-28", "sell_america", 91.0, "", "unknown"),
                  ("2022-09-29", "sell_america", 85.0, "custody", "foreign_selling")])
    ep = chk.episodes()
    assert list(ep["top_group"]) == ["custody"]


def test_a_tie_is_broken_among_the_tied_groups_only():
    # h_mut12: custody and Japan official lead two days each, China one: the tie goes to the
    # higher reading of the two tied (Japan official's 80), not to China's 99, the run's
    # highest but led by a group less frequent
    chk = _check([("2022-09-26", "sell_america", 50.0, "custody", "foreign_selling"),
                  ("2022-09-27", "sell_america", 70.0, "japan_official", "foreign_selling"),
                  ("2022-09-28", "sell_america", 99.0, "china", "foreign_selling"),
                  ("2022-09-29", "sell_america", 60.0, "custody", "foreign_selling"),
                  ("2022-09-30", "sell_america", 80.0, "japan_official", "foreign_selling")])
    ep = chk.episodes()
    assert len(ep) == 1 and ep.iloc[0]["max_percentile"] == 99.0
    assert ep.iloc[0]["top_group"] == "japan_official"
