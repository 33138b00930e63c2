"""The R engine's TVP-VAR with a column in a unit far from R's: in dollars or in 1e-12 units.

What was wrong: R's Bayes prior :math:`(X'X)^{+}` is not multiplied by the error variance and
``MASS::ginv`` cuts relatively, so ``spillwatch spillover --model tvp`` with a user's series
×1e12 flipped the sign of the latest net spillover (-0.886 as given, +0.067 ×1e12), and ×1e-12
was refused on every date as "constant or collinear" (h_num1 F6). The engine now divides a
column whose variance is outside ``R_UNIT_BAND`` (1e-6 to 1e6) by the power of ten nearest its
standard deviation and scales the estimates back; the generalized FEVD does not depend on the
units, so a column in dollars reads as the same column in the unit nearest unit variance.

Reference: ``conn_reference.r_tvpvar`` / ``r_gfevd`` (R's TVPVAR() and FEVD written out) on the
unscaled panel; every column of the simulated panel has a variance in [0.1, 10).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conn_reference import direct_tci, r_bayes_prior, r_gfevd, r_tvpvar, simulate_var

import spillwatch as sw
from spillwatch.analytics.connectedness import TVPVAR


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    y = simulate_var(np.random.default_rng(20251207), 320, 3, 1)
    var = y.var(axis=0)
    assert ((var >= 0.1) & (var < 10)).all(), var  # the unit nearest unit variance is 1
    return pd.DataFrame(y, columns=["a", "b", "c"])


@pytest.mark.parametrize("factor", [1e12, 1e-12])
def test_a_column_in_dollars_or_in_1e_12_reads_as_in_its_own_unit(panel, factor):
    scaled = panel * [1.0, factor, 1.0]
    base = sw.connectedness(panel, model="tvp", lags=1)
    res = sw.connectedness(scaled, model="tvp", lags=1)
    np.testing.assert_allclose(res.tci.to_numpy(), base.tci.to_numpy(), atol=1e-6, rtol=0)
    np.testing.assert_allclose(res.net.to_numpy(), base.net.to_numpy(), atol=1e-6, rtol=0)
    # and both are R's readings of the unscaled panel (before: the TCI moved by up to 1.19
    # points at 1e12 and 12.2 at 1e-12)
    y = panel.to_numpy()
    bmean, bvar, q = r_bayes_prior(y, 200 - 1, 1)
    bt, qt = r_tvpvar(y, 1, 0.99, 0.99, bmean, bvar, q)
    for pos in (0, 150, len(y) - 1):
        assert res.tci.iloc[pos] == pytest.approx(direct_tci(r_gfevd(bt[pos], qt[pos], 10)),
                                                  abs=1e-6)


def test_the_estimates_are_in_the_data_s_units(panel):
    spec = TVPVAR(lags=1)
    d = np.array([1.0, 1e12, 1e-12])
    base = spec.estimate(panel.to_numpy())
    est = spec.estimate(panel.to_numpy() * d)
    # y -> D y gives A -> D A D^-1 and Q -> D Q D: back in the panel's units, the same numbers
    np.testing.assert_allclose(est.coefs / d[:, None] * d[None, :], base.coefs, atol=1e-9)
    np.testing.assert_allclose(est.sigma / np.outer(d, d), base.sigma, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(est.intercept / d, base.intercept, atol=1e-9)
