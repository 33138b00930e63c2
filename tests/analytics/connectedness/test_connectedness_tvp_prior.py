"""The TVP-VAR's Bayes prior must be a full-rank OLS fit, or the library refuses the setting.

What was wrong: ``TVPVAR.min_rows`` compared the *data's* rows with the prior's needs, not the
prior window's. ``sw.connectedness(frame, model="tvp", lags=2, prior_window=8)`` on 3 series
fitted 7 coefficients an equation on 4 rows (``MASS::ginv``-style pseudo-inverse, no error), its
Q_0 was about 1e-30 and every early table read TCI = 100 (k-1)/k = 66.67; ``lags=40`` with the
default ``prior_window=200`` (121 coefficients on 120 rows) the same, up to the 200th date and
beyond. ``spillwatch spillover --model tvp`` refused those settings; the Python API printed
numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.analytics.connectedness import TVPVAR
from spillwatch.exceptions import ConfigError


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(11)
    return pd.DataFrame(rng.standard_normal((600, 3)), columns=["a", "b", "c"])


@pytest.mark.parametrize(("lags", "prior_window"), [(2, 8), (40, 200), (2, 12)])
def test_rank_deficient_bayes_prior_is_refused(frame, lags, prior_window):
    with pytest.raises(ConfigError, match=f"prior_window={prior_window} is too short"):
        sw.connectedness(frame, model="tvp", lags=lags, prior_window=prior_window)


def test_smallest_full_rank_prior_window_runs(frame):
    spec = TVPVAR(lags=2)
    need = spec.min_prior_window(3)
    assert need == 2 * 2 + 1 + 3 * 2 + 3          # 2p rows lost, 1 + kp coefficients, k dof
    res = sw.connectedness(frame, model="tvp", lags=2, prior_window=need)
    tci = res.tci.to_numpy()
    assert np.isfinite(tci).all()
    # the first table is the prior's own: not the degenerate 100 (k - 1) / k of a zero Q_0
    assert abs(tci[0] - 200.0 / 3.0) > 1.0
    with pytest.raises(ConfigError, match="prior_window"):
        sw.connectedness(frame, model="tvp", lags=2, prior_window=need - 1)


def test_minnesota_prior_has_no_prior_window_to_check(frame):
    res = sw.connectedness(frame, model="tvp", lags=2, prior="minnesota", prior_window=8)
    assert np.isfinite(res.tci.to_numpy()).all()
