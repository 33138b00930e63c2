"""Round-8 mutant killers for scenarios/propagation.py's guards and sample (h_mut8), on small
panels built here (no fit: each is the function the fit calls on its panel)."""
import numpy as np
import pandas as pd
import pytest

from spillwatch.exceptions import DataError, ScenarioError
from spillwatch.scenarios.identification import AUXILIARY_MIN_DAYS
from spillwatch.scenarios.propagation import (
    FROZEN_DAYS,
    SVAR_MAX_LAGS,
    _refuse_frozen,
    _refuse_impossible,
    start_yields_pct,
    too_short,
)


def test_an_asset_with_exactly_the_days_needed_is_kept():
    """too_short: an asset outside the VAR needs AUXILIARY_MIN_DAYS + SVAR_MAX_LAGS (125) days
    of changes up to the SVAR sample's end; 125 is enough, 124 is short (the mutant left out
    an asset with exactly 125)."""
    need = AUXILIARY_MIN_DAYS + SVAR_MAX_LAGS
    assert need == 125
    idx = pd.bdate_range("2024-01-02", periods=400)
    rng = np.random.default_rng(0)
    for days, want in ((need, {}), (need - 1, {"trump": need - 1})):
        trump = np.full(400, np.nan)
        trump[-days:] = rng.normal(size=days)
        panel = pd.DataFrame({"ust10y_bp": rng.normal(size=400), "trump_pct": trump},
                             index=idx)
        assert too_short(panel, ["ust10y", "trump"], "2018-01-01") == want


def test_twenty_unmoved_days_are_a_frozen_feed_nineteen_are_not():
    """'Refuse a series whose last FROZEN_DAYS (20) changes are all exactly zero': 20 trailing
    zeros are refused, 19 are not (a quiet market; the mutant let 20 through)."""
    assert FROZEN_DAYS == 20
    idx = pd.bdate_range("2024-01-02", periods=60)
    moves = np.linspace(-1.0, 1.0, 60) + 0.01
    for zeros, refused in ((20, True), (19, False)):
        x = moves.copy()
        x[-zeros:] = 0.0
        own = pd.DataFrame({"gold_pct": x}, index=idx)
        if refused:
            with pytest.raises(ScenarioError, match="has not moved since"):
                _refuse_frozen(own)
        else:
            _refuse_frozen(own)


def test_an_impossible_fall_is_refused_as_an_impossible_rise():
    """'A daily change no market makes': beyond 1,000 bp or 100 ln 1000 % either way. A yield
    down 1,500 bp and a price down 700% (log) are refused like the rises (the mutant compared
    the signed change and let falls through)."""
    idx = pd.bdate_range("2024-01-02", periods=5)
    for col, bad in (("ust10y_bp", -1_500.0), ("gold_pct", -700.0)):
        x = np.array([1.0, -2.0, bad, 0.5, 0.1])
        with pytest.raises(DataError, match="beyond any market's daily move"):
            _refuse_impossible(pd.DataFrame({col: x}, index=idx))
    _refuse_impossible(pd.DataFrame({"ust10y_bp": [-999.0, 999.0]}, index=idx[:2]))


def test_the_starting_yield_is_the_last_one_by_the_as_of_date():
    """start_yields_pct: each tenor's yield on as_of, its last value by then (a NaN on the day
    reads the one before); not the first of the history (the mutant's 3.9%)."""
    idx = pd.bdate_range("2025-04-01", periods=5)
    levels = pd.DataFrame({"ust10y_pct": [3.9, 4.0, 4.2, np.nan, 4.5],
                           "ust2y_pct": [3.6, 3.7, 3.8, 3.9, 4.0]}, index=idx)
    got = start_yields_pct(levels, ["ust10y", "ust2y", "btc"], idx[3])
    assert got == {"ust10y": 4.2, "ust2y": 3.9}
