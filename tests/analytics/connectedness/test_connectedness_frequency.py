"""Frequency connectedness (Baruník & Křehlík 2018) against an explicit Fourier sum."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conn_reference import direct_frequency, sm_var

import spillwatch as sw
from spillwatch.analytics.connectedness import FrequencyFEVD
from spillwatch.analytics.connectedness._frequency import band_index, band_labels, within_tci
from spillwatch.exceptions import ConfigError


@pytest.fixture
def frame(rng):
    from conn_reference import simulate_var

    y = simulate_var(rng, 500, 3, 2)
    return pd.DataFrame(y, index=pd.bdate_range("2018-01-01", periods=500, name="date"),
                        columns=["ust10y_bp", "usd_broad_pct", "btc_pct"])


def test_bands_match_explicit_fourier_sum_and_add_up(frame):
    res = sw.connectedness(frame, lags=2, horizon=100, bands=(5, 20))
    sm = sm_var(frame.to_numpy(), 2)
    ref = direct_frequency(sm.ma_rep(99), np.asarray(sm.sigma_u), (5, 20))
    np.testing.assert_allclose(res.band_theta, ref, atol=1e-10)
    np.testing.assert_allclose(res.band_theta.sum(axis=0), res.theta, atol=1e-10)
    assert list(res.bands) == ["1-5", "5-20", ">20"]
    assert abs(res.band_tci.sum() - res.tci) < 1e-10
    total = sum(res.bands[b].loc[res.columns, res.columns] for b in res.bands)
    np.testing.assert_allclose(total.to_numpy(), res.theta, atol=1e-10)


def test_within_tci_formula(frame):
    res = sw.connectedness(frame, lags=2, horizon=50, bands=(5,))
    for b, label in enumerate(res.within_tci.index):
        t = res.band_theta[b]
        expect = 100 * (t.sum() - np.trace(t)) / t.sum()
        assert abs(res.within_tci[label] - expect) < 1e-10
    np.testing.assert_allclose(within_tci(np.zeros((2, 2))), np.nan, equal_nan=True)


def test_rolling_band_tci_sums_to_tci(frame):
    roll = sw.connectedness(frame, lags=1, horizon=40, window=150, bands=(5, 20))
    np.testing.assert_allclose(roll.band_tci.sum(axis=1), roll.tci, atol=1e-10)
    assert list(roll.band_tci.columns) == ["1-5", "5-20", ">20"]


def test_band_index_and_labels():
    # H = 20: periods 20/s for s = 1..10 (folded), inf at s = 0
    idx = band_index(20, (5, 10))
    assert idx[0] == 2  # zero frequency: longest band
    assert idx[2] == 1  # period 10 -> (5, 10]
    assert idx[4] == 0  # period 5 -> (1, 5]
    assert idx[1] == 2  # period 20 -> >10
    assert idx[19] == idx[1]  # folded
    assert band_labels((5, 20)) == ["1-5", "5-20", ">20"]
    assert band_labels((2.5,)) == ["1-2.5", ">2.5"]


@pytest.mark.parametrize("edges", [(20, 5), (1,), (5, 5), (float("inf"),)])
def test_bad_edges(edges):
    with pytest.raises(ConfigError, match="band edges"):
        FrequencyFEVD(edges=edges)


def test_static_result_without_bands_says_how(frame):
    res = sw.connectedness(frame, lags=1)
    with pytest.raises(ConfigError, match="decomposition='frequency'"):
        _ = res.band_tci


def test_band_edges_need_a_fine_enough_grid_and_the_default_horizon_is_bk_s():
    rng = np.random.default_rng(7)
    idx = pd.bdate_range("2020-01-01", periods=300, name="date")
    frame = pd.DataFrame(rng.standard_normal((300, 3)), idx, ["a", "b", "c"])
    # periods of the grid are H/j: H=10 cannot tell a 5-20 band from a >20 one
    with pytest.raises(ConfigError, match=r"horizon=10 .* band edge 20; use horizon >= 40"):
        sw.connectedness(frame, lags=1, horizon=10, bands=(5, 20))
    res = sw.connectedness(frame, lags=1, bands=(5, 20))
    assert res.spec.horizon == 100
    assert res.band_tci.sum() == pytest.approx(res.tci, abs=1e-9)


@pytest.mark.slow
def test_a_period_on_a_band_edge_is_in_the_lower_band_on_both_sides_of_the_spectrum():
    # 2 pi / omega rounded a period of 6 to 6.000000000000002 on the mirrored side: half of
    # the edge frequency went to the next band (577 wrong assignments for H = 4..400; with
    # H = 22 and edges (2, 11) the band of periods 1-2 came out empty)
    from fractions import Fraction

    for h in range(4, 401):
        for edges in ((2,), (5, 20), (6, 30), (2, 11), (3, 7, 12)):
            got = band_index(h, edges)
            want = [sum(Fraction(e) < Fraction(h, min(s, h - s)) for e in edges)
                    if min(s, h - s) else len(edges) for s in range(h)]
            assert got.tolist() == want, (h, edges)


def test_no_band_edges_is_refused_not_replaced_by_the_defaults(rng):
    # bands=() was replaced by the default (5, 20); FrequencyFEVD(edges=()) failed inside with
    # "max() arg is an empty sequence"

    y = pd.DataFrame(rng.standard_normal((300, 3)), columns=["a", "b", "c"],
                     index=pd.bdate_range("2020-01-01", periods=300))
    with pytest.raises(ConfigError, match="band edges are empty"):
        sw.connectedness(y, lags=1, bands=())
    with pytest.raises(ConfigError, match="band edges are empty"):
        FrequencyFEVD(edges=())
