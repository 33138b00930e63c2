"""The scenario's fitting sample starts in 2018, or three years before an earlier 10-year end.

``service.scenarios.sample_start``: crypto's first full year on Binance (2018-01-01), or, for
data that end earlier (``--as-of`` before 2021), :data:`MIN_SAMPLE_YEARS` (3) years before the
10-year's last change ("a scenario as of June 2013 is fitted on mid-2010 to mid-2013").
Mutation testing (h_mut26) found no test of it: 2 years, or ``max`` for ``min`` (a 2013
evening fitted from 2018, after its own data), passed every service test run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.service.scenarios import SAMPLE_START, sample_start


def _panel(end: str) -> pd.DataFrame:
    days = pd.bdate_range("2005-01-03", end)
    ten = pd.Series(np.zeros(len(days)), index=days)
    ten.iloc[-5:] = np.nan                     # the last rows blank: the last *change* counts
    return pd.DataFrame({"ust10y_bp": ten, "btc_pct": np.nan})


def test_an_evening_of_2013_is_fitted_on_the_three_years_before_it():
    panel = _panel("2013-06-28")
    last = panel["ust10y_bp"].last_valid_index()
    assert last == pd.Timestamp("2013-06-21")
    assert sample_start(panel) == pd.Timestamp("2010-06-21")


def test_data_past_2021_are_fitted_from_2018():
    assert pd.Timestamp("2018-01-01") == SAMPLE_START
    assert sample_start(_panel("2025-11-28")) == SAMPLE_START
    # three years before 2021-01-04 is 2018-01-04, after 2018-01-01: the start stays 2018
    assert sample_start(_panel("2021-01-11")) == SAMPLE_START
    assert sample_start(_panel("2020-12-31")) == pd.Timestamp("2017-12-24")


def test_a_panel_without_the_10_year_starts_in_2018():
    assert sample_start(pd.DataFrame({"btc_pct": [1.0]},
                                     index=[pd.Timestamp("2015-01-05")])) == SAMPLE_START
