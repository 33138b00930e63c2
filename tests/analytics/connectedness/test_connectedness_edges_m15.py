"""Connectedness edges (h_mut15, mutation round 15): each test kills a mutant no test saw.

A band edge of exactly 2 observations (the shortest period) is accepted, the pairwise index
has a zero diagonal and its off-diagonal by hand, and a grouping that names ``other`` itself
cannot leave columns out.
"""
from __future__ import annotations

import numpy as np
import pytest

from spillwatch.analytics.connectedness._blocks import resolve_groups
from spillwatch.analytics.connectedness._fevd import pairwise_index
from spillwatch.analytics.connectedness._frequency import FrequencyFEVD, check_edges
from spillwatch.exceptions import ConfigError


def test_a_band_edge_of_exactly_two_observations_is_accepted_and_below_two_is_not():
    assert check_edges((2, 5)) == (2.0, 5.0)
    assert FrequencyFEVD(horizon=20, edges=(2, 5)).labels == ["1-2", "2-5", ">5"]
    with pytest.raises(ConfigError, match="at least 2 observations"):
        check_edges((1.9, 5))


def test_the_pairwise_index_by_hand_and_its_zero_diagonal():
    theta = np.array([[80.0, 15.0, 5.0],
                      [30.0, 60.0, 10.0],
                      [0.0, 40.0, 60.0]])
    pci = pairwise_index(theta)
    # Gabauer (2021) eq. 12: 200 (t_ij + t_ji) / (t_ii + t_ij + t_ji + t_jj)
    assert pci[0, 1] == pytest.approx(200 * 45 / (80 + 45 + 60))
    assert pci[0, 2] == pytest.approx(200 * 5 / (80 + 5 + 60))
    assert pci[1, 2] == pytest.approx(200 * 50 / (60 + 50 + 60))
    np.testing.assert_array_equal(np.diag(pci), 0.0)
    np.testing.assert_allclose(pci, pci.T)


def test_a_grouping_naming_other_must_assign_every_column():
    cols = ["ust10y_bp", "usd_broad_pct", "btc_pct"]
    with pytest.raises(ConfigError, match=r"columns \['btc_pct'\] are in no block and a block "
                                          r"is already named 'other'"):
        resolve_groups(cols, {"other": ["ust10y_bp"], "fx": ["usd_broad_pct"]})
    # without a block named 'other', the columns left out form it
    assert resolve_groups(cols, {"fx": ["usd_broad_pct"]}) == {"fx": [1], "other": [0, 2]}
