"""Scenario simulation pieces (h_mut17): event parsing at its edges."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios.simulate import Event


def test_a_fall_of_100_percent_or_more_is_refused():
    with pytest.raises(ScenarioError, match="cannot fall by 100% or more"):
        Event.parse("btc<-100%@10d")
    with pytest.raises(ScenarioError, match="cannot fall by 100% or more"):
        Event.parse("btc<-150%")
    # just above: a finite log change, 100 ln(0.001)
    assert Event.parse("btc<-99.9%").level == pytest.approx(100 * np.log(0.001))


def test_a_window_as_long_as_the_horizon_keeps_the_event_as_written():
    ev = Event.parse("btc < -20% @ 10d")
    assert ev.label(10) == "btc < -20% @ 10d"
    assert ev.label(5) == "btc < -20% @5d"            # cut to the horizon, and said


def test_paths_split_into_full_chunks_and_one_remainder_only_when_there_is_one():
    from spillwatch.scenarios.simulate import chunk_sizes

    assert chunk_sizes(10, 5) == [5, 5]
    assert chunk_sizes(11, 5) == [5, 5, 1]
    assert chunk_sizes(3, 5) == [3]


def test_the_share_s_standard_error_is_searle_s_balanced_formula():
    from spillwatch.scenarios.simulate import model_share_se

    # 4 models drawn 10 times each: N = 40, G = 4, n0 = N / G = 10; in units of the total
    # variance sigma_b^2 = s, sigma_w^2 = 1 - s (Searle, Casella & McCulloch 1992, 3.6)
    moments = np.vstack([np.full(4, 10.0), np.zeros((2, 4))])
    s = np.array([0.3])
    n, g, n0 = 40.0, 4.0, 10.0
    want = np.sqrt(2.0 / n0**2 * ((1 - s + n0 * s) ** 2 / (g - 1) + (1 - s) ** 2 / (n - g)))
    np.testing.assert_allclose(model_share_se(moments, s), want, rtol=1e-12)


def test_values_beyond_the_histogram_s_range_fall_in_its_edge_bins():
    from spillwatch.scenarios.simulate import BINS, to_bins

    lo, hi, scale = np.array([-1.0, -1.0]), np.array([1.0, 1.0]), np.array([1.0, 1.0])
    vals = np.array([[1e6, -1e6, 0.0], [1.0, -1.0, 1e6]], dtype=np.float32)
    got = to_bins(vals, lo, hi, scale)
    # asinh-spaced bins over [lo, hi]; beyond it, the first or the last bin of its own row
    assert got[0].tolist() == [BINS - 1, 0, BINS // 2]
    assert got[1, 2] == BINS - 1 and got[1, 1] == 0
    assert got.max() <= BINS - 1
