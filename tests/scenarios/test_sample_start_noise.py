"""The scenario's noise (its margins) after a start the day after a holiday of one market
(h_mut25).

cefb2db merged the scenario's sample on the history, then cut, in the SVAR and in the noise.
Its test reads the SVAR's first row and the first date of gold's margin; a mutant merging the
noise on the cut sample again (gold's first change +0.384%, from its July 4 print) survived.
Here gold's margin variance is checked against gold's changes over the sample's rows read from
the raw closes: the first row runs from Friday 2016-07-01 (+1.019%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.scenarios import fit_market

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FIRST, END = "2016-07-05", "2019-07-05"


# a start the day after the holiday, and on the holiday itself (gold's row alone: joined to the
# next day's, once, not also kept as a row of its own before the sample)
@pytest.mark.parametrize("start", ["2016-07-05", "2016-07-04"])
def test_gold_s_margin_is_fitted_on_its_changes_from_the_day_before_the_sample(real_db,
                                                                               shared_data,
                                                                               start):
    p = sw.scenario.market_inputs(str(real_db))[0].loc[:END]
    market = fit_market(p, start=start, assets=("ust10y", "spx", "gold"), min_garch_obs=250)
    i = market.assets.index("gold")
    # the sample's rows: the days on which the three have a change (a day one missed joins
    # the next of them)
    cols = list(market.columns)
    days = p.loc[start:market.info["joint_end"], cols].dropna().index
    assert days[0] == pd.Timestamp(FIRST)
    assert market.info["sample"] == (FIRST, str(days[-1].date()))
    assert market.info["margins"]["gold"]["days"] == len(days)
    # gold's closes from the raw file, on the sample's rows and on Friday 07-01 before them
    gold = pd.read_csv(shared_data / "gold/XAUUSD.csv", index_col=0,
                       parse_dates=True).iloc[:, 0].dropna()
    at = gold.reindex(gold.index.union(days)).ffill().loc[
        days.insert(0, pd.Timestamp("2016-07-01"))]
    x = 100.0 * np.diff(np.log(at.to_numpy()))
    assert x[0] == pytest.approx(100.0 * np.log(1356.03 / 1342.28), rel=1e-9)
    # variance targeting: omega = variance * (1 - alpha - beta), the variance the sample's
    target = market.omega[i] / (1.0 - market.alpha[i] - market.beta[i])
    assert target == pytest.approx(float(np.var(x)), rel=1e-6)


def test_a_margin_keeps_its_changes_before_an_asset_that_starts_later(real_db):
    # bitcoin's closes begin in August 2017: the 10-year's margin is fitted on its own changes
    # from the start asked for, not from bitcoin's first (the rows before the first complete
    # row are each asset's own)
    p = sw.scenario.market_inputs(str(real_db))[0].loc[:"2020-06-30"]
    market = fit_market(p, start="2017-06-01", assets=("ust10y", "spx", "btc"),
                        min_garch_obs=250)
    ten = p.loc["2017-06-01":market.info["joint_end"], "ust10y_bp"].dropna()
    assert market.info["sample"][0] > "2017-08-01"
    assert market.info["margins"]["ust10y"]["first"] == str(ten.index[0].date())
    assert market.info["margins"]["ust10y"]["first"] == "2017-06-01"
