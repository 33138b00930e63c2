"""FHS keeps a short series' dependence on the rest of the market (its missing days are filled
from its regression on the others, not from its own residuals alone)."""

from __future__ import annotations

import numpy as np
import pytest

from spillwatch.scenarios import fit_market

pytestmark = pytest.mark.realdata


def _pool_corr(m, a: str, b: str) -> float:
    i, j = m.assets.index(a), m.assets.index(b)
    return float(np.corrcoef(m.pool[:, i], m.pool[:, j])[0, 1])


def test_fhs_keeps_trump_s_dependence_on_bitcoin(panel):
    """TRUMP has residuals on 178 of the pool's days; the others were filled with its own
    residuals drawn at random, so FHS (whose point is to resample whole days) paired TRUMP with
    another day's market: its correlation with BTC in the pool read 0.07, where the t copula
    reads 0.64 and the daily log changes of crypto/BTCUSDT and TRUMPUSDT 0.57 (348 days).
    A book of BTC and TRUMP was priced as if they moved apart (99% VaR $714k under fhs against
    $732k under the t copula for $0.5m of each over japan-10pct)."""
    fhs = fit_market(panel, method="fhs")
    tcop = fit_market(panel, method="t-copula")
    assert "trump_pct" in fhs.info["sparse_assets"]
    i, j = tcop.assets.index("btc"), tcop.assets.index("trump")
    got = _pool_corr(fhs, "btc", "trump")
    assert got > 0.45, got
    assert abs(got - tcop.corr[i, j]) < 0.15, (got, tcop.corr[i, j])
    # the pool still has zero mean and unit variance, and the core assets are untouched
    np.testing.assert_allclose(fhs.pool.mean(axis=0), 0.0, atol=1e-12)
    assert abs(_pool_corr(fhs, "btc", "eth") - tcop.corr[i, tcop.assets.index("eth")]) < 0.1


def test_fhs_keeps_bitcoin_and_ether_together_before_2021(panel):
    """As of 2019-06-14 the fit is the three years before it and BTC and ETH (from 2018) are
    sparse: filled apart, their pool correlation was about half their 0.8 in the data."""
    m = fit_market(panel.loc[:"2019-06-14"], method="fhs", start="2016-06-14")
    assert {"btc_pct", "eth_pct"} <= set(m.info["sparse_assets"])
    got = _pool_corr(m, "btc", "eth")
    assert got > 0.65, got


def test_fhs_keeps_the_days_crypto_jumped(panel):
    """A crypto jump day leaves BTC's or ETH's residual out of the noise (the jump is drawn
    apart); the FHS pool then dropped the whole day for every asset: 68 of 1,925 days, among
    them the S&P 500's three worst (2020-03-16 -12.8%, 03-12 -10.0%, 03-09 -7.9%). A $1m S&P 500
    book's 99% ES under japan-10pct read $316k with them out and $332k with them in."""
    m = fit_market(panel, method="fhs")
    assert m.pool.shape[0] == m.info["days"]
    np.testing.assert_allclose(m.pool.mean(axis=0), 0.0, atol=1e-12)


@pytest.mark.slow
def test_fhs_jump_days_keep_bitcoin_and_ether_together(panel):
    """BTC's and ETH's jump days were filled from their regression on the non-crypto assets only
    (ETH, itself a column with jump days, was no regressor of BTC), so a BTC jump day got a
    near-random residual beside ETH's actual one: as of 2021-03-01 their pool correlation read
    0.714, against 0.774 with the jump days dropped, the t copula's 0.818 and 0.838 for the
    daily log changes of crypto/BTCUSDT and ETHUSDT over 2018-03-01 to 2021-03-01."""
    m = fit_market(panel.loc[:"2021-03-01"], method="fhs", start="2018-03-01")
    t = fit_market(panel.loc[:"2021-03-01"], method="t-copula", start="2018-03-01")
    i, j = m.assets.index("btc"), m.assets.index("eth")
    got = float(np.corrcoef(m.pool[:, i], m.pool[:, j])[0, 1])
    assert got > 0.78, got
    assert abs(got - t.corr[i, j]) < 0.05, (got, t.corr[i, j])
    assert m.pool.shape[0] == m.info["days"]
