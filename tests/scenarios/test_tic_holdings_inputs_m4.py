"""TIC holdings read for the presets: the last reported month of each country, its label, and
the note on a vintage's revised figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.scenarios.inputs import REVISED, as_published, latest_holdings, tic_label


def _levels():
    idx = pd.to_datetime(["2025-01-31", "2025-02-28", "2025-03-31"])
    return pd.DataFrame({"tic_japan_usd_bn": [1079.3, 1125.9, 1130.8],
                         "tic_china_usd_bn": [760.8, 784.3, np.nan]}, index=idx)


def test_each_country_s_holdings_are_its_last_reported_month():
    """China has not reported March: its February figure is used, not a missing value."""
    got = latest_holdings(_levels())
    assert got == {"japan": 1130.8e9, "china": 784.3e9}


def test_the_label_names_the_newest_month_used():
    assert tic_label(_levels(), latest_holdings(_levels())) == "TIC, month of 2025-03"


def test_a_vintage_says_its_tic_figures_are_the_revised_ones():
    """Read as of a past evening, the stored (revised) TIC table is said to be revised; read
    today, or from the fallback figures, nothing is added."""
    class Vintage:
        known_by = pd.Timestamp("2025-04-09")

    class Today:
        known_by = None

    found = ({"japan": 1.13e12}, "TIC, month of 2025-02")
    assert as_published(found, Vintage()) == (found[0], found[1] + REVISED)
    assert as_published(found, Today()) == found
    fallback = ({"japan": 1.13e12}, "fallback (spring 2025)")
    assert as_published(fallback, Vintage()) == fallback
