"""The Monte Carlo on real data: scenario ordering, fitted moments, exactness of fast paths."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from spillwatch.exceptions import DataError, ScenarioError
from spillwatch.scenarios import (
    ImpactModel,
    SelloffScenario,
    compare,
    fit_market,
    preset,
    run_preset,
)
from spillwatch.scenarios.simulate import BINS, TABLE_RANGE, TABLE_SIZE, _tables

pytestmark = pytest.mark.realdata
BOOK = {"ust10y": 0.4, "ust5y": 0.2, "spx": 0.2, "btc": 0.1, "eth": 0.05, "trump": 0.05}


@pytest.fixture(scope="module")
def market(panel):
    return fit_market(panel)


def test_fit_is_cached(panel, market):
    assert fit_market(panel) is market
    assert market.info["days"] > 1500
    assert market.info["sparse_assets"] == ["trump_pct"]
    assert market.jump_lambda[market.index("trump")] > 0


def test_japan_and_china_at_least_as_bad_as_japan_alone(market):
    both = preset("japan-china-coordinated")
    alone = both.only("japan")
    opts = {"paths": 20_000, "seed": 11, "portfolio": BOOK, "keep_paths": 20_000}
    r_both, r_alone = both.simulate(market, **opts), alone.simulate(market, **opts)
    qs = np.linspace(0.005, 0.995, 199)
    # the book loses when yields rise: every P&L quantile is at least as low with China too
    pb = np.quantile(r_both.portfolio(BOOK).samples, qs)
    pa = np.quantile(r_alone.portfolio(BOOK).samples, qs)
    assert np.all(pb <= pa + 1e-9)
    hb = r_both.portfolio().quantiles(qs).to_numpy()
    ha = r_alone.portfolio().quantiles(qs).to_numpy()
    width = (r_both.plan.hi[-1] - r_both.plan.lo[-1]) / BINS
    assert np.all(hb <= ha + width)
    assert r_both.portfolio().var(0.99) >= r_alone.portfolio().var(0.99)
    for key in ("ust2y", "ust5y", "ust10y", "ust30y"):            # yields at least as high
        i = market.index(key)
        yb = np.quantile(r_both.kept_paths[i, -1], qs)
        ya = np.quantile(r_alone.kept_paths[i, -1], qs)
        assert np.all(yb >= ya - 1e-3)
    side = compare([r_alone, r_both])
    assert list(side.columns) == [alone.name, both.name]


@pytest.mark.parametrize("method, corr_tol", [("t-copula", 0.08), ("fhs", 0.05), ("var", 0.05)])
def test_simulated_vols_and_correlations_match_the_fit(panel, method, corr_tol):
    """Vols within 10% (BTC/ETH margins have nu ~ 3: the sample sd converges slowly), correlations
    within ``corr_tol`` (t copula: the linear correlation of Student-t margins is a little below the
    copula's parameter), on 20,000 paths x 20 days started at the unconditional variance."""
    m = fit_market(panel, method=method)
    res = SelloffScenario.baseline().simulate(m, paths=20_000, seed=5, start="unconditional",
                                              keep_paths=20_000)
    daily = np.diff(res.kept_paths.astype(float), axis=1, prepend=0.0).reshape(m.k, -1)
    np.testing.assert_allclose(daily.std(axis=1), m.uncond_vol.to_numpy(), rtol=0.10)
    np.testing.assert_allclose(np.corrcoef(daily), m.model_corr.to_numpy(), atol=corr_tol)


def test_histogram_quantiles_match_exact_quantiles(market):
    res = preset("japan-10pct").simulate(market, paths=10_000, seed=2, keep_paths=10_000,
                                         chunk_size=3_000)
    for key in market.assets:
        i = market.index(key)
        exact = np.quantile(res.kept_paths[i, -1].astype(float), [0.01, 0.5, 0.99])
        h, lo, hi = res._row(key)
        width = (hi - lo) / BINS
        from spillwatch.scenarios.portfolio import hist_quantile

        np.testing.assert_allclose(hist_quantile(h, lo, hi, [0.01, 0.5, 0.99]), exact,
                                   atol=width)
    moments = res.moments
    np.testing.assert_allclose(moments["mean"], res.kept_paths[:, -1].mean(axis=1), rtol=1e-4,
                               atol=1e-4)


def test_copula_tables_match_scipy(market, rng):
    mix, tabs = _tables(market, np.dtype("float64"))
    x = rng.standard_t(market.nu_copula, 5000) * 1.5
    idx = np.clip((x + TABLE_RANGE) * (TABLE_SIZE - 1) / (2 * TABLE_RANGE) + 0.5, 0,
                  TABLE_SIZE - 1).astype(int)
    for i, nu in enumerate(market.nu):
        exact = stats.t.ppf(stats.t.cdf(x, market.nu_copula), nu) * np.sqrt((nu - 2) / nu)
        # nearest grid point: error below slope * half a step (5e-3 sd, 0.2% in the far tails)
        np.testing.assert_allclose(tabs[i][idx], exact, rtol=2e-3, atol=5e-3)
    u = (np.arange(TABLE_SIZE) + 0.5) / TABLE_SIZE
    scale = (TABLE_SIZE - 1) / (2 * TABLE_RANGE)
    np.testing.assert_allclose(mix / scale, np.sqrt(market.nu_copula
                                                    / stats.chi2.ppf(u, market.nu_copula)))


def test_same_seed_same_result_and_memory_does_not_grow(market):
    a = preset("japan-intervention").simulate(market, paths=6_000, seed=3, chunk_size=2_000)
    b = preset("japan-intervention").simulate(market, paths=6_000, seed=3, chunk_size=2_000)
    c = preset("japan-intervention").simulate(market, paths=6_000, seed=4, chunk_size=2_000)
    assert np.array_equal(a.acc.hist, b.acc.hist) and np.array_equal(a.kept_paths, b.kept_paths)
    assert not np.array_equal(a.acc.hist, c.acc.hist)
    big = preset("japan-intervention").simulate(market, paths=30_000, seed=3, chunk_size=2_000,
                                                keep_paths=4_000)
    assert big.acc.hist.shape == a.acc.hist.shape               # fixed-size accumulators
    assert big.kept_paths.shape[2] == 4_000                     # kept paths capped


def test_sell_america_regime(panel):
    m = fit_market(panel, regime="sell_america", method="fhs")
    assert m.info["regime_days"] == m.info["sell_america_days"] >= 20
    assert "signature" in m.info["sell_america_rule"] or "daily rule" in m.info["sell_america_rule"]
    assert m.beta_10y[m.index("usd_broad")] < 0                 # yields up, dollar down
    res = preset("japan-10pct").simulate(m, paths=4_000, seed=1)
    assert res.quantiles("usd_broad")["q0.5"] < 0


def test_run_preset_front_door(panel):
    res = run_preset("japan-intervention", panel, paths=4_000, seed=7, portfolio=BOOK)
    d = json.loads(json.dumps(res.to_dict()))
    assert d["paths"] == 4_000 and d["scenario"] == "japan-intervention"
    assert set(d["fan"]) == set(res.market.assets)
    assert 0 < d["probabilities"]["btc<-20%@10d"] < 0.2
    assert res.var(0.99) > 0 and res.portfolio().es(0.99) >= res.var(0.99)
    fig = res.plot("fan")
    assert len(fig.data) > 0
    assert "japan-intervention" in str(res)


def test_bad_simulation_inputs(panel, market):
    sc = preset("japan-intervention")
    with pytest.raises(ScenarioError, match="unknown asset"):
        sc.simulate(market, paths=100, portfolio={"doge": 1.0})
    with pytest.raises(ScenarioError, match="empty"):
        sc.simulate(market, paths=100, portfolio={})
    with pytest.raises(ScenarioError, match="not simulated"):
        sc.simulate(market, paths=100, events=["doge<-20%@5d"])
    with pytest.raises(ScenarioError, match="paths must be"):
        sc.simulate(market, paths=0)
    with pytest.raises(ScenarioError, match="unknown asset"):
        fit_market(panel, assets=["ust10y", "dogecoin"])
    with pytest.raises(DataError, match="no column"):
        fit_market(panel[["ust10y_bp"]], assets=["ust10y", "btc"])
    with pytest.raises(ScenarioError, match="unknown method"):
        fit_market(panel, method="garch-copula")
    with pytest.raises(ScenarioError):
        sc.simulate(market, paths=100, impact=ImpactModel(band="upper"), start="yesterday")
