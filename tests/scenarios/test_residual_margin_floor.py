"""A mapped series whose residual is rounding gets a floor, not a GARCH fit of nothing.

A copy of an asset leaves a residual of zeros (or float rounding): arch's fit of an all-zero
residual stops on "target must be a positive variance; got nan". Its margin is the floor
:data:`EXACT_RESIDUAL` of the series' own sd, squared; a residual above it is fitted.
"""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios.propagation import EXACT_RESIDUAL, _residual_margin


@pytest.mark.parametrize(("resid", "scale"), [
    (np.zeros(500), 1.3), (np.full(500, 1e-13), 1.3),
    # a series in thousandths of a point (sd 10,000): rounding of 1e-7 is 1e-11 of it
    (np.random.default_rng(1).normal(0.0, 1e-7, 500), 1e4)])
def test_a_residual_of_rounding_is_the_floor(resid, scale):
    m = _residual_margin(resid, scale, constant=False)
    assert m.model == "none (a combination of the simulated assets)"
    assert m.variance == pytest.approx((EXACT_RESIDUAL * scale) ** 2, rel=1e-12)
    assert m.h_next == m.variance and m.alpha == 0.0 and m.beta == 0.0


def test_a_residual_of_its_own_is_fitted():
    """Noise of sd 0.5 on a series of sd 1.3: a GARCH-t margin, its variance the sample's
    (variance targeting)."""
    resid = np.random.default_rng(0).normal(0.0, 0.5, 1_500)
    m = _residual_margin(resid, 1.3, constant=False)
    assert m.model != "none (a combination of the simulated assets)"
    assert m.variance == pytest.approx(float(np.var(resid)), rel=0.05)
