"""VaR/ES and their backtests against plain references (tolerances stated per test)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from spillwatch.analytics.volatility.garch import Volatility
from spillwatch.analytics.volatility.risk import (
    ValueAtRisk,
    christoffersen,
    conditional_coverage,
    empirical_tail,
    kupiec,
    t_tail,
    t_tail_fall,
    var_es,
)
from spillwatch.exceptions import ConfigError, DataError


def test_empirical_tail_matches_sorting(rng):
    w = rng.standard_normal((50, 500))
    var, es = empirical_tail(w, 0.99)
    srt = np.sort(w, axis=1)
    np.testing.assert_allclose(var, -srt[:, 4], rtol=0, atol=0)  # k = ceil(500 * 0.01) = 5
    np.testing.assert_allclose(es, -srt[:, :5].mean(axis=1), rtol=1e-14)


@pytest.mark.parametrize("nu", [2.5, 3.0, 5.0, 30.0])
def test_t_tail_fall_against_numerical_integration(nu):
    """The t method's mean price fall beyond its VaR: E[100 (1 - e^(-L/100)) | L >= VaR] for
    L = -mu + sigma sqrt((nu-2)/nu) T, integrated by quad (tolerance 1e-9 relative)."""
    c = math.sqrt((nu - 2) / nu)
    q = stats.t.ppf(0.99, nu)
    mu, sig = np.array([0.1, 0.1, -0.5, 0.0]), np.array([0.5, 2.0, 15.0, 40.0])
    got = t_tail_fall(nu, 0.99, mu, sig)
    for i in range(len(mu)):
        def fall(t_, i=i):
            return 100 * -math.expm1((mu[i] - sig[i] * c * t_) / 100) * stats.t.pdf(t_, nu)
        want = integrate.quad(fall, q, np.inf, epsabs=0, epsrel=1e-12, limit=200)[0] / 0.01
        assert got[i] == pytest.approx(want, rel=1e-9)
        # below the fall of the ES (concave map), above the VaR's
        var, es = t_tail(nu, 0.99)
        assert 100 * -math.expm1((mu[i] - sig[i] * var) / 100) < got[i] < 100 * -math.expm1(
            (mu[i] - sig[i] * es) / 100)


def test_t_tail_against_numerical_integration():
    # ES = -E[Z | Z <= q] for unit-variance t; integrated numerically (tolerance 1e-7).
    for nu in (3.0, 5.0, 30.0):
        c = math.sqrt((nu - 2) / nu)
        var, es = t_tail(nu, 0.99)
        q = stats.t.ppf(0.01, nu)
        assert var == pytest.approx(-c * q, rel=1e-12)
        num, _ = integrate.quad(lambda x, nu=nu: x * stats.t.pdf(x, nu), -np.inf, q)
        assert es == pytest.approx(-c * num / 0.01, rel=1e-7)
    with pytest.raises(ConfigError, match="nu=2"):
        t_tail(2.0, 0.99)


def test_kupiec_by_hand():
    hits = np.zeros(1000, dtype=bool)
    hits[::100] = True  # 10 hits: exactly the expected rate at 99% -> LR = 0
    assert kupiec(hits, 0.99).stat == pytest.approx(0.0, abs=1e-10)
    hits[5:25:2] = True  # 20 hits
    x, n, p = 20, 1000, 0.01
    lr = -2 * ((n - x) * math.log(1 - p) + x * math.log(p)
               - (n - x) * math.log(1 - x / n) - x * math.log(x / n))
    t = kupiec(hits, 0.99)
    assert t.stat == pytest.approx(lr, rel=1e-12)
    assert t.pvalue == pytest.approx(stats.chi2.sf(lr, 1), rel=1e-12)
    assert not t.passed()
    assert kupiec(np.zeros(500, bool), 0.99).stat == pytest.approx(-2 * 500 * math.log(0.99))


def test_christoffersen_by_hand(rng):
    hits = rng.random(2000) < 0.03
    hits[100:104] = True  # a cluster
    n = {(i, j): 0 for i in (0, 1) for j in (0, 1)}
    for a, b in itertools.pairwise(hits):
        n[(int(a), int(b))] += 1
    p01 = n[0, 1] / (n[0, 0] + n[0, 1])
    p11 = n[1, 1] / (n[1, 0] + n[1, 1])
    p = (n[0, 1] + n[1, 1]) / sum(n.values())
    l0 = (n[0, 0] + n[1, 0]) * math.log(1 - p) + (n[0, 1] + n[1, 1]) * math.log(p)
    l1 = (n[0, 0] * math.log(1 - p01) + n[0, 1] * math.log(p01)
          + n[1, 0] * math.log(1 - p11) + n[1, 1] * math.log(p11))
    assert christoffersen(hits).stat == pytest.approx(-2 * (l0 - l1), rel=1e-10)
    cc = conditional_coverage(hits, 0.97)
    assert cc.df == 2
    assert cc.stat == pytest.approx(kupiec(hits, 0.97).stat + christoffersen(hits).stat)


def test_historical_path_matches_loop(garch_series):
    spec = ValueAtRisk(methods=("historical",), window=250, level=0.95)
    s = garch_series.iloc[:400]
    path = spec.forecast_path(s, "historical", 250)
    x = s.to_numpy()
    for t in (250, 300, 399, 400):
        w = np.sort(x[t - 250:t])
        k = math.ceil(250 * 0.05)
        assert path["var"].iloc[t - 250] == pytest.approx(-w[k - 1], abs=1e-12)
        assert path["es"].iloc[t - 250] == pytest.approx(-w[:k].mean(), abs=1e-12)


def test_no_look_ahead(garch_series):
    # changing the returns after day t leaves every forecast up to day t unchanged (FHS, t)
    spec = ValueAtRisk(window=250, fit_window=500, refit_every=100)
    s = garch_series.iloc[:900]
    bumped = s.copy()
    bumped.iloc[750:] *= 3
    for m in ("fhs", "t"):
        a = spec.forecast_path(s, m, 500)
        b = spec.forecast_path(bumped, m, 500)
        np.testing.assert_allclose(a["var"].iloc[:251], b["var"].iloc[:251], rtol=1e-12)
        assert not np.allclose(a["var"].iloc[300:], b["var"].iloc[300:])


def test_fhs_backtest_on_simulated_garch(garch_series):
    res = var_es(garch_series, level=0.99, methods=("fhs",), window=250, fit_window=500,
                 refit_every=500)
    bt = res.backtest()
    t = bt.table().loc[("x_pct", "fhs")]
    assert t["days"] == len(garch_series) - 500
    assert t["kupiec_p"] > 0.01
    assert "Kupiec" in str(bt)
    assert res.table().loc[("x_pct", "fhs"), "es"] > res.table().loc[("x_pct", "fhs"), "var"]


def test_ewma_fhs_and_t_requires_garch_t():
    with pytest.raises(ConfigError, match="method 't' needs a GARCH-family"):
        ValueAtRisk(volatility=Volatility(model="ewma"))
    spec = ValueAtRisk(methods=("fhs",), volatility=Volatility(model="ewma"), window=100,
                       fit_window=200)
    assert spec.warmup == 200


def test_too_short_for_backtest_names_dates():
    s = pd.Series(np.random.default_rng(3).standard_normal(700), name="btc_pct",
                  index=pd.bdate_range("2023-01-02", periods=700))
    with pytest.raises(DataError, match=r"'btc_pct' has 150 observations from 2023-01-02 to "
                                        r"2023-07-28; 99% VaR needs at least 200"):
        var_es(s.iloc[:150])
    res = var_es(s, methods=("historical",))
    assert res.table().loc[("btc_pct", "historical"), "window"] == 500
    with pytest.raises(ConfigError, match=r"'btc_pct' has 700 observations from 2023-01-02 to "
                                          r"2025-09-05; a VaR backtest .* needs at least 750"):
        res.backtest()
    # a short series is forecast on all its days (the window is cut and reported)
    short = var_es(s.iloc[:300])
    assert short.table().loc[("btc_pct", "fhs"), "window"] == 300
    assert short.table().loc[("btc_pct", "fhs"), "var"] > 0


@pytest.mark.realdata
def test_btc_fhs_99_passes_kupiec_and_christoffersen(real_panel):
    """Done-when: BTC's 99% FHS VaR passes both tests over a multi-year backtest."""
    btc = real_panel["btc_pct"]
    res = var_es(btc, level=0.99, methods=("fhs",))
    bt = res.backtest()
    row = bt.table().loc[("btc_pct", "fhs")]
    years = (row["end"] - row["start"]).days / 365.25
    assert years > 3.5 and row["days"] > 900
    assert row["kupiec_p"] > 0.05, row
    assert row["christoffersen_p"] > 0.05, row
    assert row["passed"]


def test_a_log_change_loss_also_reads_as_the_price_fall_it_means(garch_series):
    """VaR/ES of a *_pct series are log changes x100 (beyond 100 is possible); the table and
    the text also give the price fall: the VaR's, 100 (1 - exp(-L/100)), and for ES the mean
    fall over the tail (the fall of the ES overstated it, the map being concave: bitcoin as of
    2020-03-16 read ES -19.5% for a mean fall of -18.7% on its five worst days); a *_bp series
    has none."""
    panel = pd.DataFrame({"x_pct": garch_series * 8, "y_bp": garch_series})
    res = var_es(panel)
    t = res.table()
    r = t.loc[("x_pct", "historical")]
    assert r["var_price_fall_pct"] == pytest.approx(100 * (1 - math.exp(-r["var"] / 100)))
    # the five worst of the last 500 days (ceil(500 x 1%)), each day's simple fall averaged
    worst = np.sort(panel["x_pct"].to_numpy()[-500:])[:5]
    assert r["es_price_fall_pct"] == pytest.approx(np.mean(100 * -np.expm1(worst / 100)),
                                                   rel=1e-12)
    assert 0 < r["es_price_fall_pct"] < 100 and r["var_price_fall_pct"] < r["var"]
    for m in ("historical", "fhs", "t"):   # Jensen: below the fall of the ES, above the VaR's
        r = t.loc[("x_pct", m)]
        assert r["var_price_fall_pct"] < r["es_price_fall_pct"] < 100 * -math.expm1(
            -r["es"] / 100), m
    assert np.isnan(t.loc[("y_bp", "historical"), "var_price_fall_pct"])
    assert f"(price -{r['var_price_fall_pct']:.1f}%" in str(res.summary())


def test_a_series_whose_worst_day_is_a_rise_prints_its_price_move_signed():
    """A money-market NAV rising 0.1-0.3% every day: its 99% VaR is a gain (-0.1), and the
    text read "(price --0.1%, ES --0.1%)"; a frozen one's zero read "VaR -0.000" (h_num1)."""
    idx = pd.bdate_range("2022-01-03", periods=600)
    up = pd.Series(np.linspace(0.1, 0.3, 600)[np.random.default_rng(0).permutation(600)],
                   index=idx, name="nav_pct")
    res = var_es(up, methods=("historical",))
    r = res.table().loc[("nav_pct", "historical")]
    # the five smallest rises of the last 500 days: ceil(500 x 1%)
    assert r["var"] == -np.sort(up.to_numpy()[-500:])[4]
    assert r["var"] == pytest.approx(-0.1 - 0.2 * 4 / 599, abs=0.03)
    line = next(ln for ln in str(res.summary()).splitlines() if "nav_pct" in ln)
    assert "(price +0.1%, ES +0.1%)" in line and "--" not in line
    flat = pd.Series(0.0, index=idx, name="nav_pct")
    flat.iloc[:100] = np.random.default_rng(1).normal(0, 1, 100)   # moves, then frozen
    line = next(ln for ln in str(var_es(flat, methods=("historical",)).summary()).splitlines()
                if "nav_pct" in ln)
    assert "VaR    0.000  ES    0.000" in line and "(price +0.0%, ES +0.0%)" in line


def test_a_yield_s_var_is_a_bondholder_s_loss_its_rises():
    """For a Treasury yield the loss tail is the right one (a rise): the left tail understated
    the 30-year's 99% VaR by 15% over 2024-2025 in a tool about Treasury sell-offs."""
    rng = np.random.default_rng(3)
    idx = pd.bdate_range("2020-01-01", periods=900, name="date")
    x = rng.normal(0, 5, 900)
    x[rng.choice(900, 30, replace=False)] += 25.0          # sell-off days: big rises only
    frame = pd.DataFrame({"ust30y_bp": x, "spx_pct": -x / 5.0}, index=idx)
    res = var_es(frame, methods=("historical",), window=500)
    t = res.table().xs("historical", level="method")
    k = int(np.ceil(500 * 0.01))
    rises = np.sort(x[-500:])[::-1][:k]
    assert t.loc["ust30y_bp", "loss_when"] == "rise"
    assert t.loc["ust30y_bp", "var"] == pytest.approx(rises[-1])
    assert t.loc["ust30y_bp", "es"] == pytest.approx(rises.mean())
    # the price that falls when the yield rises has the same tail, as a fall
    assert t.loc["spx_pct", "loss_when"] == "fall"
    assert t.loc["spx_pct", "var"] == pytest.approx(rises[-1] / 5.0)
    bt = res.backtest()
    p = bt.paths[("ust30y_bp", "historical")]
    np.testing.assert_array_equal(p["ret"].to_numpy(), x[500:])       # the yield's own change
    np.testing.assert_array_equal(p["hit"].to_numpy(), x[500:] > p["var"].to_numpy())
    assert "yield rise" in str(res) and "as of" in str(res)


def test_a_rate_or_spread_of_one_s_own_in_bp_is_read_on_its_rises():
    """A column in basis points the watch list does not know (a frame of one's own with
    ``dgs10_bp``) and a credit spread were read on their falls: the 10-year's own change as
    ``dgs10_bp`` gave a 99% VaR of 12.0 bp where ``ust10y_bp`` gave 14.0, under a summary
    saying "_bp: a rise in bp"."""
    rng = np.random.default_rng(3)
    idx = pd.bdate_range("2020-01-01", periods=900, name="date")
    x = rng.normal(0, 5, 900)
    x[rng.choice(900, 30, replace=False)] += 25.0          # sell-off days: big rises only
    frame = pd.DataFrame({"ust10y_bp": x, "dgs10_bp": x, "ig_oas_bp": x, "own_pct": x},
                         index=idx)
    t = var_es(frame, methods=("historical",), window=500).table().xs("historical",
                                                                      level="method")
    rises = np.sort(x[-500:])[::-1][:int(np.ceil(500 * 0.01))]
    for col in ("ust10y_bp", "dgs10_bp", "ig_oas_bp"):
        assert t.loc[col, "loss_when"] == "rise", col
        assert t.loc[col, "var"] == pytest.approx(rises[-1]), col
    assert t.loc["own_pct", "loss_when"] == "fall"        # a price of one's own: its falls
    assert t.loc["own_pct", "var"] < rises[-1]


def test_the_backtest_tests_the_changes_that_span_a_weekend_apart():
    """A market that trades every day, read on business days: Monday's change spans three
    days and is larger. Pooled, the backtest passed (ETH 9/1020) while 2.7% of the spanning
    changes broke the 99% VaR; they are counted and tested apart, and the text says so when
    they fail."""
    idx = pd.bdate_range("2019-01-01", periods=1600, name="date")
    rng = np.random.default_rng(11)
    monday = np.asarray(idx.day_of_week == 0)
    x = pd.Series(rng.standard_t(6, len(idx)) * np.where(monday, 2.2, 1.0), index=idx,
                  name="eth_pct")
    bt = var_es(x, methods=("historical",)).backtest()
    row = bt.table().loc[("eth_pct", "historical")]
    p = bt.paths[("eth_pct", "historical")]
    span = np.r_[False, np.diff(p.index.to_numpy(dtype="datetime64[D]")).astype(int) >= 2]
    assert row["days_spanning"] == span.sum() > 200
    assert row["violations_spanning"] == int(p["hit"].to_numpy()[span].sum())
    assert row["kupiec_p_spanning"] == pytest.approx(
        kupiec(p["hit"].to_numpy()[span], 0.99).pvalue)
    assert row["violations_spanning"] > 2 * row["days_spanning"] * 0.01
    assert row["kupiec_p_spanning"] < 0.05
    assert (f"on changes spanning two days or more {row['violations_spanning']}/"
            f"{row['days_spanning']}") in str(bt) and "too many" in str(bt)


def test_a_failed_garch_fit_names_the_var_s_way_out():
    """A fund frozen for its last 520 days: the GJR-GARCH behind FHS and t cannot be fitted,
    and the refusal advised "Try model='ewma'", which no option of `risk` gives; it names
    ``--methods historical``, whose VaR needs no fit and is the window's zero (h_num1)."""
    from spillwatch.exceptions import ConvergenceError

    idx = pd.bdate_range("2020-01-01", periods=1100)
    x = np.random.default_rng(7).normal(0, 1, 1100)
    x[-520:] = 0.0
    s = pd.Series(x, index=idx, name="fund_pct")
    with pytest.raises(ConvergenceError, match=r"^no volatility model converged for 'fund_pct' "
                       r"\(1000 observations .*fit; the historical VaR needs none: give --methods "
                       r"historical \(in Python: methods=\('historical',\), or "
                       r"volatility=Volatility\(model='ewma'\)\)\.$") as err:
        var_es(s, methods=("fhs",)).table()
    assert "Try model='ewma'" not in err.value.message
    hist = var_es(s, methods=("historical",)).table().loc[("fund_pct", "historical")]
    assert hist["var"] == 0.0 and hist["es"] == 0.0
