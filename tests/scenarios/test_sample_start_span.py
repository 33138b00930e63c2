"""The scenario's sample starting the day after a holiday of one market (h_meta1's F5).

Before 2021 the scenario fits its SVAR and its noise on the three years before the evening;
cut at that start before merging, the first row paired gold's move from its July 4 print with
the yields', the dollar's and the S&P 500's from the Friday before (a start of 2016-07-05: gold
+0.384% where its change from Friday 07-01's close is +1.019%). Merged on the history, then
cut, the first row spans the same time for every asset, and no move is counted twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.scenarios import fit_market

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

START, END = "2016-07-05", "2019-07-05"


def test_the_first_row_of_a_sample_after_a_holiday_runs_from_the_day_before(real_db):
    # the scenario's own inputs (the command's panel keeps a holiday's prints as rows)
    p = sw.scenario.market_inputs(str(real_db))[0].loc[:END]
    # gold printed on Independence Day when the others were shut
    day = p.loc["2016-07-04"]
    assert np.isfinite(day["gold_pct"]) and np.isnan(day["ust10y_bp"])
    market = fit_market(p, start=START, assets=("ust10y", "spx", "gold"), min_garch_obs=250)
    joint = market.identification.data
    first = joint.index[0]
    assert first == pd.Timestamp(START)
    # by hand from gold/XAUUSD.csv: 1342.28 on 2016-07-01, 1356.03 on 07-05
    assert joint.loc[first, "gold_pct"] == pytest.approx(100 * np.log(1356.03 / 1342.28),
                                                         abs=1e-3)
    assert joint.loc[first, "gold_pct"] == pytest.approx(
        p.loc["2016-07-04":START, "gold_pct"].sum())
    # the yields' change of that row is the day's own (nothing of theirs was missed)
    assert joint.loc[first, "ust10y_bp"] == p.loc[START, "ust10y_bp"]
    # gold's margin is fitted on the same spans: the holiday's move inside the first joint
    # row, not also on a row of its own
    assert market.info["margins"]["gold"]["first"] == START
