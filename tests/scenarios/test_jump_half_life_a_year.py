"""A crypto asset's jump rate weighs its days with a half-life of about a year (250 days).

The test of the rate (test_scenario_simulate.py) imports ``JUMP_HALF_LIFE_DAYS`` from the module
under test, so it moves with it: h_mut26 halved it to 125 days and every test passed. These
figures are written out with 250.
"""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios.propagation import jump_intensity


def test_a_jump_a_year_back_weighs_half_of_one_today():
    today = np.zeros(251, dtype=bool)
    today[-1] = True
    year_ago = np.zeros(251, dtype=bool)
    year_ago[0] = True                                   # 250 observations before the last
    assert jump_intensity(year_ago) == pytest.approx(0.5 * jump_intensity(today), rel=1e-12)
    w = 2.0 ** (-np.arange(251) / 250.0)
    assert jump_intensity(today) == pytest.approx(1.0 / w.sum(), rel=1e-12)
