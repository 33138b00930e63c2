"""Round-8 mutant killers for analytics/stress/regimes.py (h_mut8): the regime table with a
missing long-run rank, and held_by_band's words (module docstring, *Persistence*)."""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress.regimes import classify_regimes, held_by_band


def test_a_missing_long_run_rank_reads_the_recent_one_alone():
    """classify_regimes: 'no long-run rank: the recent one alone'. A date whose long-run
    percentile is NaN (or absent from its index) at a recent 97 is 'crisis' (>= 95), as
    without any long-run series; the mutant left it 'elevated'."""
    p = pd.Series([97.0, 97.0, 85.0, 50.0], index=pd.RangeIndex(4))
    longrun = pd.Series([np.nan, 60.0, np.nan], index=pd.RangeIndex(3))   # no row 3
    got = classify_regimes(p, longrun=longrun).tolist()
    assert got == ["crisis", "elevated", "elevated", "calm"]
    assert classify_regimes(p.iloc[[0]]).tolist() == ["crisis"]


def test_a_regime_its_own_percentiles_give_is_not_held():
    """held_by_band is None when the reading's own ranks classify it as the regime (elevated at
    85 / 60, crisis at 97 / 96, calm at 10): the mutant said 'held by the exit band' of
    every such reading."""
    assert held_by_band("elevated", 85.0, 60.0) is None
    assert held_by_band("crisis", 97.0, 96.0) is None
    assert held_by_band("calm", 10.0, 10.0) is None


def test_the_band_s_edge_in_words_is_the_cut_off_minus_the_band():
    """'elevated holds until both percentiles are below 70' = 80 - 10; with cut-offs (60, 90)
    and a band (15, 5): 45 and 85."""
    assert held_by_band("elevated", 75.2, 72.0) == ("held by the exit band: elevated until "
                                                    "both percentiles are below 70")
    assert held_by_band("elevated", 50.0, 47.0, thresholds=(60.0, 90.0),
                        exit_band=(15.0, 5.0)) == ("held by the exit band: elevated until "
                                                   "both percentiles are below 45")
    assert held_by_band("crisis", 80.0, 87.0, thresholds=(60.0, 90.0),
                        exit_band=(15.0, 5.0)) == ("held by the exit band: crisis until the "
                                                   "all-history percentile is below 85")
