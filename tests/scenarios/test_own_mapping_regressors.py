"""Which simulated assets a series of the user's is mapped on (:func:`own_mapping`).

A regressor must have a change on at least :data:`MAPPING_COVERAGE` (90%) of the series' days,
and a series of the user's is a regressor of those after it: synthetic frames with known
coefficients, so each rule is read off exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.scenarios.propagation import MAPPING_COVERAGE, own_mapping

DAYS = 1_000


def _frame(missing: int) -> pd.DataFrame:
    """y = 1.5 a - 0.5 b exactly, ``b`` without a change on its first ``missing`` days."""
    idx = pd.bdate_range("2020-01-01", periods=DAYS)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(DAYS), rng.standard_normal(DAYS)
    frame = pd.DataFrame({"a_pct": a, "b_pct": b, "csv_y_pct": 1.5 * a - 0.5 * b}, index=idx)
    frame.iloc[:missing, 1] = np.nan
    return frame


def test_a_regressor_on_90_percent_of_the_days_is_one():
    """b on 900 of 1,000 days (exactly 90%): a regressor, the fit exact on those days."""
    assert MAPPING_COVERAGE == 0.9
    f = _frame(100)
    m, res, info = own_mapping(f, ["a", "b", "csv:Y"], list(f.columns), ["csv:Y"])
    np.testing.assert_allclose(m[2], [1.5, -0.5, 0.0], atol=1e-12)
    assert info["csv:Y"]["nobs"] == 900 and info["csv:Y"]["r2"] == pytest.approx(1.0)
    assert float(np.abs(res["csv:Y"]).max()) < 1e-12


def test_a_regressor_short_of_90_percent_is_none():
    """b on 899 of 1,000 days: left out; y is read on a alone over all 1,000 days, b's part
    its residual (R^2 of about 0.89: a's variance share, 1.5^2 / (1.5^2 + 0.5^2) on the
    sample)."""
    f = _frame(101)
    m, _, info = own_mapping(f, ["a", "b", "csv:Y"], list(f.columns), ["csv:Y"])
    assert m[2, 1] == 0.0 and m[2, 0] != 0.0
    assert set(info["csv:Y"]["betas"]) == {"a"}
    assert info["csv:Y"]["nobs"] == DAYS
    y, a = f["csv_y_pct"], f["a_pct"]
    assert m[2, 0] == pytest.approx(np.polyfit(a, y, 1)[0], rel=1e-12)    # OLS with constant
    assert 0.85 < info["csv:Y"]["r2"] < 0.92


def test_a_later_series_is_mapped_on_an_earlier_one():
    """z = 2 y where y has noise of its own: z is y's double (its row 2 on y, 0 on a and b),
    not a draw of its own beside it."""
    f = _frame(0)
    f["csv_y_pct"] += np.random.default_rng(1).normal(0.0, 0.3, DAYS)
    f["csv_z_pct"] = 2.0 * f["csv_y_pct"]
    keys = ["a", "b", "csv:Y", "csv:Z"]
    m, res, _ = own_mapping(f, keys, list(f.columns), ["csv:Y", "csv:Z"])
    np.testing.assert_allclose(m[3], [0.0, 0.0, 2.0, 0.0], atol=1e-9)
    assert float(np.abs(res["csv:Z"]).max()) < 1e-9
