"""SAFE's first month in the store has no change before it: not "a month SAFE did not report".

`demand --as-of 2015-07-08` (to 2015-08-07) said "China without China reserves flow vs its fit
(its last change spans a month SAFE did not report)" of a record whose first figure, June 2015
(holdings/china_fx_reserves_safe.csv's first row, out 2015-07-08), was the only one (h_verify22).
"""

from __future__ import annotations

import pandas as pd

from spillwatch.analytics.demand._results import FirstFigure, partial_notes

FIRST = {"china_reserves": FirstFigure(pd.Timestamp("2015-06-30"), pd.Timestamp("2015-07-08"))}


def _last(observed: str) -> dict:
    return {"date": "2015-07-08", "groups_partial": {"china": ["china_reserves_flow_z"]},
            "inputs": {"china_reserves": {"observed": observed, "released": "2015-07-08",
                                          "stale": False},
                       "usd_broad": {"observed": "2015-07-02", "stale": False},
                       "ust10y": {"observed": "2015-07-07", "stale": False}},
            "signals": {"china_reserves_chg1_usd_bn": None}}


def test_the_first_month_says_it_is_the_first():
    assert partial_notes(_last("2015-06-30"), FIRST) == [
        "read in part: China without China reserves flow vs its fit (the store's first month "
        "of SAFE reserves, 2015-06-30: no change before it)"]


def test_a_later_month_without_a_change_still_says_a_month_was_not_reported():
    assert partial_notes(_last("2016-03-31"), FIRST) == [
        "read in part: China without China reserves flow vs its fit (its last change spans a "
        "month SAFE did not report)"]
