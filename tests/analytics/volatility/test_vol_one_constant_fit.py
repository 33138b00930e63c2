"""A series' candidates share one fit of the constant variance (the check that each
candidate's likelihood beats the model it nests): it was refitted once per candidate (and
again when the conventional start's fit failed its check), on the same values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from arch.univariate import base as arch_base
from arch.univariate.volatility import ConstantVariance

from spillwatch.analytics.volatility.garch import Volatility


def _series(seed: int, n: int = 700) -> pd.Series:
    rng = np.random.default_rng(seed)
    z = rng.standard_t(6, n)
    var, x = np.empty(n), np.empty(n)
    var[0] = 1.0
    for t in range(n):
        if t:
            var[t] = 0.05 + 0.08 * x[t - 1] ** 2 + 0.9 * var[t - 1]
        x[t] = np.sqrt(var[t]) * z[t]
    return pd.Series(x, index=pd.bdate_range("2019-01-01", periods=n), name="x")


def test_the_candidates_share_one_constant_variance_fit(monkeypatch):
    # counted on arch's own fit (a spy that calls it): the library, not spillwatch, is wrapped
    calls: list[str] = []
    fit = arch_base.ARCHModel.fit

    def counted(self, *args, **kwargs):
        calls.append("constant" if isinstance(self.volatility, ConstantVariance) else "model")
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(arch_base.ARCHModel, "fit", counted)
    spec = Volatility(model="auto")       # garch, gjr-garch, egarch
    res = spec.fit_series(_series(20261206), name="one_constant_fit")
    assert len(res.bic) == 3              # every candidate fitted and checked
    assert calls.count("constant") == 1
    assert calls.count("model") >= 6      # each candidate: its fit and the conventional start's
