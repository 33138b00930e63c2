"""A series mapped on another series of the user's: exposure and spread pass down the chain.

``y`` mapped on the watch-list asset ``a`` (beta 1) and ``z`` on ``y`` (beta 2, a later series
on an earlier one, :func:`~spillwatch.scenarios.propagation.own_mapping`): a book long 1 of
``z`` and short 2 of ``a`` is exposed to ``z``'s residual (1), ``y``'s (2) and nothing of
``a`` (-2 + 1 x 2): z = 2 y_res + 2 a + z_res.
"""

from __future__ import annotations

import numpy as np

from spillwatch.scenarios.simulate import net_exposure, taken

#: rows: a (a watch-list asset), y on a, z on y
CHAIN = np.array([[0.0, 0.0, 0.0],
                  [1.0, 0.0, 0.0],
                  [0.0, 2.0, 0.0]])


def test_a_hedge_through_a_chain_nets_to_the_residuals():
    np.testing.assert_array_equal(net_exposure(CHAIN, np.array([-2.0, 0.0, 1.0])),
                                  [0.0, 2.0, 1.0])
    # long z alone: 1 of its residual, 2 of y's, 2 of a's
    np.testing.assert_array_equal(net_exposure(CHAIN, np.array([0.0, 0.0, 1.0])),
                                  [2.0, 2.0, 1.0])


def test_a_chain_s_spread_takes_the_spread_its_regressor_took():
    """sd of a, y's residual, z's residual: 1, 0.5, 0.1; y's bound 0.5 + 1 x 1 = 1.5, z's
    0.1 + 2 x 1.5 = 3.1 (its regressor's whole bound, not its residual's 0.5)."""
    np.testing.assert_allclose(taken(CHAIN, np.array([1.0, 0.5, 0.1])), [1.0, 1.5, 3.1])
    np.testing.assert_array_equal(taken(None, np.array([1.0, 0.5])), [1.0, 0.5])
