"""hist_quantile: the q quantile is the first point where the histogram's CDF reaches q.

A surviving mutant (h_mut2, MC02: ``searchsorted(..., side="left")`` -> ``"right"``) jumped to
the next non-empty bin whenever q times the path count fell exactly on a bin's cumulative
count (1% of 20,000 paths ending on a bin's edge, the case ``_tail`` was written for): the
book's VaR read the far side of an empty stretch of the P&L histogram.
"""
import numpy as np
import pytest

from spillwatch.scenarios.portfolio import hist_quantile


def test_a_quantile_on_a_bin_edge_stays_below_the_empty_bins():
    counts = np.array([2, 0, 0, 2])                     # on [0, 4]: bins of width 1
    # the CDF reaches 0.5 at x = 1 and stays there over the empty bins [1, 3]
    got = hist_quantile(counts, 0.0, 4.0, np.array([0.25, 0.5, 0.75]))
    np.testing.assert_allclose(got, [0.5, 1.0, 3.5], atol=1e-12)


def test_the_1pct_tail_of_100_paths_on_an_edge():
    counts = np.zeros(10, dtype=np.int64)
    counts[0], counts[5] = 1, 99                        # one path in the lowest bin
    assert hist_quantile(counts, -10.0, 10.0, 0.01)[0] == pytest.approx(-8.0)
