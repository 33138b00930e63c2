"""The SVAR's sample window, its smallest sample, the bound's grid and the importance weights
(h_mut17), against counts made by hand on a planted market."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from spillwatch.exceptions import DataError
from spillwatch.scenarios.identification import Bound, SignRestrictedSVAR, identify

COLS = ["ust2y_bp", "ust10y_bp", "ust30y_bp", "usd_broad_pct", "spx_pct", "btc_pct"]
KEYS = ("ust2y", "ust10y", "ust30y", "usd_broad", "spx", "btc")
L_TRUE = np.array([
    [1.0, 3.0, 4.0, 0.0, -1.5, 0.0],
    [4.0, 3.0, 2.0, 0.0, 1.0, 0.0],
    [4.0, 2.0, 1.0, 0.0, 2.0, 0.0],
    [-0.25, -0.2, 0.3, 0.0, 0.0, 0.05],
    [-0.8, 0.9, -0.6, 0.0, 0.0, 0.6],
    [-2.5, 2.0, -1.0, 3.0, 0.0, 0.5],
])


def market(days: int, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((days, 6))
    return pd.DataFrame(e @ L_TRUE.T, index=pd.bdate_range("2015-01-05", periods=days),
                        columns=COLS)


def test_two_hundred_fifty_joint_days_are_enough_and_249_are_not():
    res = identify(market(250), start=None, variables=KEYS, lags=1, draws=50, seed=0)
    assert res.info["days"] == 250
    with pytest.raises(DataError, match=r"at least 250 days .* got 249"):
        identify(market(250).iloc[1:], start=None, variables=KEYS, lags=1, draws=50)


def test_the_joint_sample_runs_from_the_last_start_to_the_first_end():
    panel = market(400)
    panel.iloc[:30, COLS.index("btc_pct")] = np.nan      # btc starts on row 30
    panel.iloc[-20:, COLS.index("spx_pct")] = np.nan     # spx ends 20 rows early
    _keys, joint, info = SignRestrictedSVAR(start=None, variables=KEYS)._window(panel)
    assert joint.index[0] == panel.index[30] and joint.index[-1] == panel.index[-21]
    # every change is the panel's own (no leading or trailing row merged into another)
    pd.testing.assert_frame_equal(joint, panel.iloc[30:-20][joint.columns], check_freq=False)
    assert info["calendar_days_in_window"] == 350 and info["dropped_days"] == 0
    assert info["ends_at"] == "spx"


def test_the_bound_s_grid_holds_its_own_bound():
    assert 1.5 in Bound(min_10y_bp=1.5).sensitivity
    assert Bound(min_10y_bp=1.5).sensitivity == (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def _admissible_count(impact, signs, target, row10, bound):
    """Assignments of the shocks to distinct columns (either sign) meeting every sign."""
    n, nj = impact.shape[1], signs.shape[0]
    count = 0
    for cols in itertools.permutations(range(n), nj):
        good = True
        for j, c in enumerate(cols):
            col = impact[:, c]
            rows = np.flatnonzero(signs[j])
            fits = [(s * col[rows] * signs[j, rows] > 0).all()
                    and (j != target or s * col[row10] >= bound) for s in (1, -1)]
            good &= any(fits)
        count += good
    return count


def test_each_model_is_weighted_by_its_count_of_admissible_assignments():
    res = identify(market(600), start=None, variables=KEYS, lags=1, draws=30, seed=3,
                   min_10y_bp=1.0)
    shocks = res.spec.shocks
    keys = list(res.variables)
    signs = np.zeros((len(shocks), len(keys)))
    for j, sh in enumerate(shocks):
        for k, s in sh.signs.items():
            if k in keys:
                signs[j, keys.index(k)] = s
    target = [s.name for s in shocks].index(res.spec.target)
    post = res.posterior
    some = post.impact[:20]                              # the weights' ratios on 20 models
    counts = np.array([_admissible_count(m, signs, target, keys.index("ust10y"), 1.0)
                       for m in some])
    assert (counts > 0).all() and len(set(counts)) > 1
    np.testing.assert_allclose(post.weights[:20] / post.weights[0], counts / counts[0],
                               rtol=1e-12)
    # the main posterior is that of the bound asked for, not of the loosest one
    assert res.info["admissible"] == post.size < res.posteriors[0.0].size
