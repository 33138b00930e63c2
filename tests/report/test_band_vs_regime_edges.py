"""The stress dial's "why the band is not the regime" at the bands' edges.

A needle on a band's cut-off is in that band, as :func:`classify_regimes` puts a percentile of
exactly 80 in elevated and 95 in crisis (``>=``): a dial reading 95 in crisis needs no
explanation, and one reading 80 in elevated neither. The tests of the dial read 97/94, 94/95 and
75/82, none on a cut-off, so a band taken with ``>`` wrote "(the all-history percentile, 96,
reaches crisis's 95)" under a needle of 95 in the red band.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from spillwatch.analytics.stress.regimes import classify_regimes
from spillwatch.plotting.gauge import band_vs_regime

BANDS = (80.0, 95.0)


@pytest.mark.parametrize(("regime", "needle", "longrun"), [
    ("crisis", 95.0, 96.2),        # on crisis's cut-off, all history above it
    ("elevated", 80.0, 60.0),      # on elevated's cut-off, all history calm
    ("elevated", 80.0, 94.9),
])
def test_a_needle_on_a_cut_off_is_in_that_band(regime, needle, longrun):
    assert classify_regimes(pd.Series([needle]), BANDS,
                            longrun=pd.Series([longrun])).iloc[0] == regime
    assert band_vs_regime(regime, needle, longrun, BANDS) is None


@pytest.mark.parametrize(("needle", "longrun", "regime", "words"), [
    (95.0, 94.99, "elevated", "the all-history percentile (black mark), 94, is under crisis's 95"),
    (79.0, 80.0, "elevated", "the all-history percentile (black mark), 80, reaches elevated's 80"),
    (94.0, 95.0, "crisis", "the all-history percentile (black mark), 95, reaches crisis's 95"),
    (10.0, 95.3, "crisis", "the all-history percentile (black mark), 95, reaches crisis's 95"),
])
def test_a_needle_beside_its_regime_names_the_cut_off_it_misses_or_reaches(needle, longrun,
                                                                            regime, words):
    # the regime as the monitor classifies it from the two percentiles
    assert classify_regimes(pd.Series([needle]), BANDS,
                            longrun=pd.Series([longrun])).iloc[0] == regime
    assert band_vs_regime(regime, needle, longrun, BANDS) == words
    assert str(math.floor(longrun)) in words
