"""hist_es: the expected shortfall of a P&L histogram, paths spread evenly within a bin.

A surviving mutant (h_mut2, MC03: the partial bin's paths valued at the VaR, ``rest * var_q``,
instead of at the middle of their stretch, ``(edge + var_q) / 2``) understated the book's ES
whenever the tail ended inside a wide bin; no test computed an ES from a histogram by hand.
"""
import numpy as np
import pytest

from spillwatch.scenarios.portfolio import hist_es


def test_es_by_hand_with_the_tail_ending_inside_a_bin():
    # bins [-2, -1] (1 path) and [-1, 0] (3 paths); the worst half is 2 paths: the one in the
    # first bin (mean -1.5) and the lowest third of the second, spread on [-1, -2/3] (mean -5/6)
    counts = np.array([1, 3])
    es = hist_es(counts, -2.0, 0.0, 0.5)
    assert es == pytest.approx((1.5 + 5.0 / 6.0) / 2.0, abs=1e-12)


def test_es_of_many_paths_matches_the_samples():
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1.0, 200_000)
    counts, _ = np.histogram(x, bins=4000, range=(-6.0, 6.0))
    tail = np.sort(x)[: int(0.01 * len(x))]
    assert hist_es(counts, -6.0, 6.0, 0.99) == pytest.approx(-tail.mean(), abs=2e-3)
