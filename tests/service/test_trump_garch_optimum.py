"""TRUMP's GARCH fits on its short history: the model VaR is the likelihood's maximum."""

from __future__ import annotations

import numpy as np
import pytest
from arch import arch_model

from spillwatch.analytics.volatility.garch import Volatility
from spillwatch.service import risk

pytestmark = pytest.mark.realdata


def test_trump_model_var_is_read_at_the_maximum_likelihood(real):
    """On TRUMP's 201 business-day changes to 2025-11-05, arch's own start stopped (converged,
    flag 0) at a local optimum: GJR-GARCH-t alpha 0.82, nu 2.6, log-likelihood -654.54, whose
    next-day volatility made the t VaR 40.10 % (ES 65.95 %, a price fall of 45 % beyond TRUMP's
    worst day, -28.5 %) and the FHS VaR 41.15 %. From a persistent start (alpha 0.05, beta 0.90)
    the same model reaches -654.16 (alpha 0.14): t VaR 28.41 %, ES 43.28 %."""
    rep = risk.tail_risk(real, assets=("trump",), end="2025-11-05", backtest=False)
    t = rep.var_es.table().loc[("trump_pct", "t")]
    fhs = rep.var_es.table().loc[("trump_pct", "fhs")]
    assert t["nobs"] == 201
    assert t["var"] == pytest.approx(28.41, abs=0.05)
    assert t["es"] == pytest.approx(43.28, abs=0.05)
    assert fhs["var"] == pytest.approx(27.50, abs=0.05)
    # the fit behind it is no worse than arch's from either start
    x = risk.risk_panel(real, assets=("trump",), end="2025-11-05")["trump_pct"].dropna()
    assert len(x) == 201
    fit = Volatility(model="gjr-garch", dist="t", horizon=1, min_obs=200).fit_series(x)
    am = arch_model(x * fit.scale, mean="Constant", vol="GARCH", p=1, o=1, q=1, dist="t",
                    rescale=False)
    default = am.fit(disp="off")
    v = float(np.var(x * fit.scale))
    other = am.fit(disp="off", starting_values=np.array(
        [float(x.mean()), v * 0.05, 0.05, 0.0, 0.90, float(default.params["nu"])]))
    ll = fit.arch_result.loglikelihood
    assert ll >= max(default.loglikelihood, other.loglikelihood) - 1e-6
    assert ll > default.loglikelihood + 0.3      # arch's own start is the local optimum


def test_trump_volatility_forecast_is_read_at_the_maximum_likelihood(real):
    """`volatility --assets trump` to 2025-11-10 chose GARCH-t by BIC at a local optimum (alpha
    0.37, nu 2.58, log-likelihood -667.52) and read 11.98 %/day for the next day (190 % a
    year); the maximum (-666.41, alpha 0.07, beta 0.91) reads 9.46 %."""
    rep = risk.volatility(real, assets=("trump",), end="2025-11-10")
    row = rep.table().loc["trump_pct"]
    assert row["model"] == "garch"
    assert row["vol_1d"] == pytest.approx(9.46, abs=0.02)
