"""A scenario's margin fits are kept by the series' values: another scenario on the same data
refits none, a changed value refits, and a kept fit cannot be written into."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios._vtgarch import _fit_margin_now, fit_margin


def test_the_same_values_are_one_fit(rng):
    x = rng.standard_t(5, 800) * 0.8
    first = fit_margin(x)
    assert fit_margin(x.copy()) is first and fit_margin(list(x)) is first
    assert fit_margin(x, constant=True) is not first
    moved = x.copy()
    moved[-1] += 5.0
    again = fit_margin(moved)
    assert again is not first and again.h_next != first.h_next
    with pytest.raises(ValueError, match="read-only"):
        first.z[0] = 0.0
    # what is kept is the fit's own computation
    fresh = _fit_margin_now(np.asarray(x, dtype="float64"), constant=False)
    assert (fresh.alpha, fresh.beta, fresh.nu, fresh.h_next) == (
        first.alpha, first.beta, first.nu, first.h_next)
    np.testing.assert_array_equal(fresh.z, first.z)
