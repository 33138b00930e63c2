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


def test_integer_values_are_the_same_fit_as_their_floats(rng):
    # the key is the values' float64 bytes: an integer series is not read as its int64 bytes
    x = np.round(rng.standard_t(5, 300) * 100).astype(np.int64)
    fit = fit_margin(x)
    assert fit_margin(x.astype("float64")) is fit and fit_margin(x.tolist()) is fit
    fresh = _fit_margin_now(x.astype("float64"), constant=False)
    assert (fresh.alpha, fresh.beta, fresh.nu) == (fit.alpha, fit.beta, fit.nu)


def test_the_margins_kept_are_bounded(rng):
    from spillwatch.scenarios._vtgarch import MARGINS_KEPT

    x = rng.standard_t(5, 100)
    first = fit_margin(x, constant=True)
    for i in range(1, MARGINS_KEPT + 1):          # as many other series: the first is dropped
        fit_margin(x + i, constant=True)
    assert fit_margin(x, constant=True) is not first
