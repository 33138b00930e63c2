"""Property tests (hypothesis) of the DY measures on simulated stationary VARs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conn_reference import simulate_var
from hypothesis import given, settings
from hypothesis import strategies as st

import spillwatch as sw
from spillwatch.analytics.connectedness import TVPVAR, Connectedness, GeneralizedFEVD

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


@st.composite
def panels(draw, min_k=2, max_k=5, max_lags=3):
    k = draw(st.integers(min_k, max_k))
    lags = draw(st.integers(1, max_lags))
    t = draw(st.integers(40 + 4 * k * lags, 260))
    seed = draw(st.integers(0, 2**32 - 1))
    y = simulate_var(np.random.default_rng(seed), t, k, lags)
    frame = pd.DataFrame(y, index=pd.bdate_range("2020-01-01", periods=t, name="date"),
                         columns=[f"s{i}" for i in range(k)])
    return frame, lags


@SETTINGS
@given(panels(), st.integers(1, 15), st.sampled_from(["generalized", "cholesky"]))
def test_rows_sum_to_100_and_tci_in_range(panel, horizon, decomposition):
    frame, lags = panel
    res = sw.connectedness(frame, lags=lags, horizon=horizon, decomposition=decomposition)
    np.testing.assert_allclose(res.theta.sum(axis=1), 100.0, atol=1e-9)
    assert (res.theta >= 0).all()
    assert 0.0 <= res.tci <= 100.0
    assert abs(res.net.sum()) < 1e-9  # what is given is received
    assert abs(res.to.sum() - res.from_.sum()) < 1e-9


@SETTINGS
@given(panels(max_lags=2), st.integers(1, 12))
def test_rolling_rows_sum_to_100_and_tci_in_range(panel, horizon):
    frame, lags = panel
    window = min(len(frame), 20 + 3 * frame.shape[1] * lags)
    roll = sw.connectedness(frame, lags=lags, horizon=horizon, window=window)
    np.testing.assert_allclose(roll.theta.sum(axis=2), 100.0, atol=1e-9)
    assert ((roll.tci >= 0) & (roll.tci <= 100)).all()


@SETTINGS
@given(panels(), st.data())
def test_permuting_variables_permutes_the_table(panel, data):
    frame, lags = panel
    k = frame.shape[1]
    order = data.draw(st.permutations(range(k)))
    res = sw.connectedness(frame, lags=lags)
    perm = sw.connectedness(frame.iloc[:, list(order)], lags=lags)
    np.testing.assert_allclose(perm.theta, res.theta[np.ix_(order, order)], atol=1e-8)
    assert abs(perm.tci - res.tci) < 1e-8
    pd.testing.assert_frame_equal(
        perm.table().loc[perm.columns, perm.columns],
        res.table().loc[perm.columns, perm.columns],
        atol=1e-8,
    )


@SETTINGS
@given(panels(), st.data())
def test_rescaling_leaves_generalized_table_unchanged(panel, data):
    frame, lags = panel
    k = frame.shape[1]
    scales = data.draw(st.lists(st.floats(1e-4, 1e4), min_size=k, max_size=k))
    shifts = data.draw(st.lists(st.floats(-1e3, 1e3), min_size=k, max_size=k))
    res = sw.connectedness(frame, lags=lags)
    scaled = sw.connectedness(frame * scales + shifts, lags=lags)
    np.testing.assert_allclose(scaled.theta, res.theta, atol=1e-8)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(panels(max_k=4, max_lags=2))
def test_tvp_with_unit_forgetting_and_flat_prior_approaches_static_var(panel):
    frame, lags = panel
    static = sw.connectedness(frame, lags=lags, horizon=10)
    sigma = static.estimates.sigma[0]
    spec = Connectedness(
        model=TVPVAR(lags=lags, kappa1=1.0, kappa2=1.0, prior="flat", sigma0=sigma,
                     variant="filtered"),
        decomposition=GeneralizedFEVD(horizon=10),
    )
    tvp = spec.fit(frame)
    # recursive least squares with a diffuse prior: the last table is the full-sample OLS one
    np.testing.assert_allclose(tvp.theta[-1], static.theta, atol=1e-5)
    assert abs(tvp.tci.iloc[-1] - static.tci) < 1e-5


def test_tvp_flat_prior_gap_shrinks_with_sample(rng):
    # "approaches": with more data the prior's weight vanishes and the gap to OLS falls
    y = simulate_var(rng, 1200, 3, 1)
    frame = pd.DataFrame(y, columns=list("abc"))
    gaps = []
    for t in (150, 1200):
        part = frame.iloc[:t]
        static = sw.connectedness(part, lags=1)
        spec = Connectedness(model=TVPVAR(lags=1, kappa1=1.0, kappa2=1.0, prior="flat",
                                          sigma0=static.estimates.sigma[0], variant="filtered"))
        tvp = spec.fit(part)
        gaps.append(np.abs(tvp.theta[-1] - static.theta).max())
    assert gaps[1] < gaps[0] < 1e-4
