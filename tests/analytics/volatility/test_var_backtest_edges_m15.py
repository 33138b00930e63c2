"""The VaR backtest's edges (h_mut15, mutation round 15): each test kills a mutant no test saw.

A loss equal to the VaR is not a violation (``r < -VaR``); the conditional-coverage test has
two degrees of freedom; Christoffersen needs two days; a change spanning exactly two calendar
days is a spanning one; the expected count; ``start`` and ``min_test`` at their edges.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spillwatch.analytics.volatility.risk import (
    ValueAtRisk,
    christoffersen,
    conditional_coverage,
)
from spillwatch.exceptions import ConfigError


def _series(n, seed=7, freq="B"):
    idx = pd.date_range("2020-01-01", periods=n, freq=freq, name="date")
    return pd.Series(np.random.default_rng(seed).standard_normal(n), index=idx, name="eth_pct")


def test_a_loss_equal_to_the_var_is_not_a_violation():
    s = _series(150)
    # window 100 at 99%: the VaR is minus the smallest change of the 100 days before
    s.iloc[120] = s.iloc[20:120].min()              # exactly at the VaR
    s.iloc[130] = s.iloc[30:130].min() - 1e-9       # just beyond it
    spec = ValueAtRisk(methods=("historical",), window=100, fit_window=100, min_test=10)
    path = spec.backtest_series(s, "historical")
    assert path.loc[s.index[120], "var"] == -s.iloc[120]
    assert not path.loc[s.index[120], "hit"]
    assert path.loc[s.index[130], "hit"]


def _lr_by_hand(h, level):
    h = np.asarray(h, dtype=bool)
    n, x = len(h), int(h.sum())
    p, ph = 1 - level, x / n
    pof = -2 * ((n - x) * math.log(1 - p) + x * math.log(p)
                - (n - x) * math.log(1 - ph) - x * math.log(ph))
    prev, cur = h[:-1], h[1:]
    n00 = int(np.sum(~prev & ~cur))
    n01 = int(np.sum(~prev & cur))
    n10 = int(np.sum(prev & ~cur))
    n11 = int(np.sum(prev & cur))
    p01, p11 = n01 / (n00 + n01), n11 / (n10 + n11)
    pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    ind = -2 * ((n00 + n10) * math.log(1 - pi) + (n01 + n11) * math.log(pi)
                - n00 * math.log(1 - p01) - n01 * math.log(p01)
                - n10 * math.log(1 - p11) - n11 * math.log(p11))
    return pof, ind


def test_conditional_coverage_is_chi_square_with_two_degrees_of_freedom():
    h = np.zeros(300, dtype=bool)
    h[[10, 11, 50, 120, 121, 200]] = True          # 6 of 300 at 99%, two pairs in a row
    pof, ind = _lr_by_hand(h, 0.99)
    cc = conditional_coverage(h, 0.99)
    assert cc.df == 2
    assert cc.stat == pytest.approx(pof + ind, rel=1e-12)
    assert cc.pvalue == pytest.approx(stats.chi2.sf(pof + ind, 2), rel=1e-12)
    assert cc.pvalue == pytest.approx(math.exp(-(pof + ind) / 2), rel=1e-12)   # chi2(2) tail


def test_christoffersen_needs_two_days():
    with pytest.raises(ConfigError, match="at least two forecast days"):
        christoffersen([True])
    assert christoffersen([False, True]).stat == pytest.approx(0.0, abs=1e-12)


def test_a_change_spanning_exactly_two_days_is_tested_apart_and_expected_is_days_x_1pct():
    s = _series(300, freq="D")
    s = s.drop(s.index[250])                        # one calendar day missing: a 2-day change
    spec = ValueAtRisk(methods=("historical",), window=100, fit_window=100, min_test=50,
                       min_obs=100)
    bt = spec.fit(s.to_frame()).backtest()
    row = bt.table().loc[("eth_pct", "historical")]
    assert row["days"] == 199 and row["days_spanning"] == 1
    assert row["expected"] == pytest.approx(199 * 0.01, rel=1e-12)
    assert row["violations"] == int(bt.paths[("eth_pct", "historical")]["hit"].sum())


def test_start_and_min_test_at_their_edges():
    s = _series(150)
    spec = ValueAtRisk(methods=("historical",), window=100, fit_window=100, min_test=50)
    # exactly warm-up + min_test days: accepted; one fewer: refused
    assert len(spec.backtest_series(s, "historical")) == 50
    with pytest.raises(ConfigError, match="needs at least 150"):
        spec.backtest_series(s.iloc[:-1], "historical")
    # a start before the warm-up's end is the warm-up's end; a later one is itself
    assert spec.backtest_series(s, "historical", start=s.index[3]).index[0] == s.index[100]
    later = ValueAtRisk(methods=("historical",), window=100, fit_window=100, min_test=10)
    assert later.backtest_series(s, "historical", start=s.index[120]).index[0] == s.index[120]
