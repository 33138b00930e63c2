"""weighted_quantiles: the midpoint rule, by hand.

A surviving mutant (h_mut2, SV04: ``cw = cumsum(w) - w / 2`` -> ``cumsum(w)``) moved every
weighted quantile over the admissible SVAR models (the impulse-response bands, the kernel
mass behind the Monte Carlo's smoothing) half a model's weight down; 97 scenario tests passed.
"""
import numpy as np

from spillwatch.scenarios.identification._results import weighted_quantiles


def test_equal_weights_give_the_midpoint_quantiles():
    # plotting positions (i - 1/2) / n = 0.125, 0.375, 0.625, 0.875, linear in between
    v = np.array([4.0, 1.0, 3.0, 2.0])
    got = weighted_quantiles(v, np.ones(4), (0.125, 0.5, 0.75, 0.875))
    np.testing.assert_allclose(got, [1.0, 2.5, 3.5, 4.0], atol=1e-12)


def test_unequal_weights_by_hand_and_per_column():
    v = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]])
    w = np.array([1.0, 2.0, 1.0])
    # column 0 sorted 1, 2, 3 with weights 1, 2, 1: positions 0.125, 0.5, 0.875
    # column 1 sorted 10 (w 1), 20 (w 1), 30 (w 2): positions 0.125, 0.375, 0.75
    got = weighted_quantiles(v, w, (0.5, 0.3125))
    np.testing.assert_allclose(got[:, 0], [2.0, 1.5], atol=1e-12)
    np.testing.assert_allclose(got[:, 1], [20.0 + 10.0 * 0.125 / 0.375,
                                           10.0 + 10.0 * 0.1875 / 0.25], atol=1e-12)
