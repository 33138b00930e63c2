"""CoVaR / ΔCoVaR: statsmodels' QuantReg against a plain linear-programming quantile regression.

Reference: Koenker & Bassett (1978) as the LP  min q·1'u⁺ + (1-q)·1'u⁻  s.t.  y = Xb + u⁺ - u⁻,
solved with scipy's HiGHS. Tolerance 1e-5 on coefficients (QuantReg's IRLS stops at 1e-6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from spillwatch.analytics.volatility.covar import CoVaR, covar
from spillwatch.exceptions import ConfigError, ConvergenceError, DataError

COEF_TOL = 1e-5


def _lp_quantreg(y, x, q):
    n = len(y)
    xm = np.column_stack([np.ones(n), x])
    k = xm.shape[1]
    c = np.r_[np.zeros(k), q * np.ones(n), (1 - q) * np.ones(n)]
    a_eq = np.hstack([xm, np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * k + [(0, None)] * (2 * n)
    res = linprog(c, A_eq=a_eq, b_eq=y, bounds=bounds, method="highs")
    assert res.status == 0
    return res.x[:k]


@pytest.fixture(scope="module")
def sim():
    # crypto loses more in its left tail when yields jump: wider when x > 0
    rng = np.random.default_rng(11)
    n = 400
    x = rng.standard_t(5, n) * 6.0
    y = 0.1 + 0.02 * x + (3.0 + 0.3 * np.maximum(x, 0)) * rng.standard_normal(n)
    idx = pd.bdate_range("2021-01-04", periods=n, name="date")
    return pd.DataFrame({"ust10y_bp": x, "btc_pct": y}, index=idx)


def test_covar_matches_lp_reference(sim):
    res = covar(sim, q=0.05)
    f = res.fits["btc_pct"]
    a, b = _lp_quantreg(sim["btc_pct"].to_numpy(), sim["ust10y_bp"].to_numpy(), 0.05)
    assert f["alpha"] == pytest.approx(a, abs=COEF_TOL)
    assert f["beta"] == pytest.approx(b, abs=COEF_TOL)
    x = sim["ust10y_bp"].to_numpy()
    x95, x50 = np.quantile(x, 0.95), np.quantile(x, 0.5)
    row = res.table().loc[("btc_pct", 0.95)]
    assert row["covar"] == pytest.approx(a + b * x95, abs=10 * COEF_TOL)
    assert row["delta_covar"] == pytest.approx(b * (x95 - x50), abs=10 * COEF_TOL)
    assert row["covar_median"] == pytest.approx(a + b * x50, abs=10 * COEF_TOL)
    # the simulated tail widens with |x|, so the stress state has the worse (more negative) CoVaR
    assert res.delta_covar("btc_pct", 0.99) < 0
    assert "ΔCoVaR" in str(res)
    assert res.to_dict()["table"]


@pytest.mark.parametrize("unit", [1e-12, 1e12])
def test_a_target_in_another_unit_scales_its_covar_and_keeps_its_t(sim, unit):
    """A flow in dollars (1e12) or a price in 1e-12: QuantReg's IRLS stops on absolute
    tolerances, so the 1e12 series was "did not converge" (5,000 iterations) and the 1e-12 one
    stopped after a step, its ΔCoVaR 3% off (`risk --assets csv:FLOWTINY`, h_num1). Against
    the LP reference of the unscaled data, times the unit."""
    scaled = sim.assign(btc_pct=sim["btc_pct"] * unit)
    f = covar(scaled, q=0.05).fits["btc_pct"]
    a, b = _lp_quantreg(sim["btc_pct"].to_numpy(), sim["ust10y_bp"].to_numpy(), 0.05)
    assert f["alpha"] / unit == pytest.approx(a, abs=COEF_TOL)
    assert f["beta"] / unit == pytest.approx(b, abs=COEF_TOL)
    plain = covar(sim, q=0.05).fits["btc_pct"]
    assert f["beta_se_sandwich"] / unit == pytest.approx(plain["beta_se_sandwich"], rel=1e-6)
    assert f["states"][0.95]["delta_covar_t"] == pytest.approx(
        plain["states"][0.95]["delta_covar_t"], rel=1e-4)


def test_errors(sim):
    with pytest.raises(ConfigError, match="conditioning column 'ust10y_bp' is not in the data"):
        covar(sim[["btc_pct"]])
    with pytest.raises(ConfigError, match="q must be"):
        CoVaR(q=0.95)
    flat = sim.assign(btc_pct=1.5)
    with pytest.raises(DataError, match=r"'btc_pct' is constant \(1.5 on all 400 observations "
                                        r"from 2021-01-04 to 2022-07-15\)"):
        covar(flat)
    short = sim.copy()
    short.iloc[:300, 1] = np.nan
    with pytest.raises(DataError, match=r"'btc_pct' has 100 observations from 2022-02-28 to "
                                        r"2022-07-15; CoVaR quantile regression needs at least"):
        covar(short)


@pytest.mark.realdata
def test_real_covar_btc_eth_trump(real_panel):
    res = covar(real_panel, q=0.05)
    t = res.table()
    assert set(t.index.get_level_values("series")) == {"btc_pct", "eth_pct", "trump_pct"}
    # the stress state is a yield rise of several basis points
    assert (t["x_stress"] > 5).all()
    # CoVaRs are losses (negative 5% quantiles of daily returns)
    assert (t["covar"] < 0).all()
    btc = real_panel[["btc_pct", "ust10y_bp"]].dropna()
    a, b = _lp_quantreg(btc["btc_pct"].to_numpy()[-600:], btc["ust10y_bp"].to_numpy()[-600:], 0.05)
    small = covar(btc.iloc[-600:], targets=("btc_pct",))
    assert small.fits["btc_pct"]["beta"] == pytest.approx(b, abs=1e-4)
    assert small.fits["btc_pct"]["alpha"] == pytest.approx(a, abs=1e-4)


def test_a_day_the_bond_market_missed_joins_the_next_common_day(sim):
    # crypto trades on Columbus and Veterans Day, the Treasury market does not: the target's
    # move that day belongs with the next 10-year change (which spans both days)
    holed = sim.copy()
    holes = holed.index[10::25]
    holed.loc[holes, "ust10y_bp"] = np.nan
    holed.loc[holes, "btc_pct"] = -12.0      # crypto fell hard while the bond market was shut
    res = covar(holed, q=0.05).fits["btc_pct"]
    # by hand: each hole's BTC move added to the next day's, that day kept, the hole gone
    by_hand = holed.copy()
    for d in holes:
        nxt = by_hand.index[by_hand.index.get_loc(d) + 1]
        by_hand.loc[nxt, "btc_pct"] += by_hand.loc[d, "btc_pct"]
    by_hand = by_hand.drop(holes)
    a, b = _lp_quantreg(by_hand["btc_pct"].to_numpy(), by_hand["ust10y_bp"].to_numpy(), 0.05)
    assert res["nobs"] == len(by_hand) == len(sim) - len(holes)
    assert res["alpha"] == pytest.approx(a, abs=COEF_TOL)
    assert res["beta"] == pytest.approx(b, abs=COEF_TOL)
    # dropping the holes instead (the old sample) loses the moves and gives another slope
    dropped = holed.dropna()
    _, b_drop = _lp_quantreg(dropped["btc_pct"].to_numpy(), dropped["ust10y_bp"].to_numpy(),
                             0.05)
    assert abs(b_drop - b) > 0.01


def test_an_insignificant_delta_covar_says_so_and_counts_its_stress_days(real_panel):
    """TRUMP's ΔCoVaR +5.66 at 99% rests on 237 days, 4 of them sell-offs, t 1.19: the
    summary and the API's notes said nothing (only the report's caption did)."""
    res = covar(real_panel, q=0.05)
    f = res.fits["trump_pct"]
    t = f["states"][0.95]["delta_covar_t"]
    assert abs(t) < 1.96
    (note,) = [n for n in res.notes() if n.startswith("trump_pct: ΔCoVaR is no measurable")]
    days = {s: st["n_stress_days"] for s, st in f["states"].items()}
    assert f"sell-off days: {days[0.95]} at 95%, {days[0.99]} at 99%" in note
    x = real_panel[["ust10y_bp", "trump_pct"]].dropna()
    assert days[0.99] == int((x["ust10y_bp"] >= f["states"][0.99]["x_stress"]).sum())
    assert f"{days[0.99]} days at or above the level" in str(res)
    assert "the same at each stress level" in str(res)


def test_each_bootstrap_line_is_the_quantile_regression_of_its_resample(rng):
    """The pairs bootstrap's lines, solved all at once, against statsmodels' QuantReg on the
    same resamples (never a larger check loss) and the exact linear program (the same loss),
    for a discrete x (the 10-year's whole basis points) and a continuous one."""
    import warnings

    from statsmodels.regression.quantile_regression import QuantReg

    from spillwatch.analytics.volatility.covar import quantile_line_draws

    n, q = 400, 0.05
    for x in (np.round(rng.standard_t(4, n) * 5), rng.normal(0, 3, n)):
        y = 0.1 * x + rng.standard_t(3, n) * 3
        lines = quantile_line_draws(y, x, q, draws=30, seed=4)
        pick = np.random.default_rng(4).integers(0, n, size=(30, n))   # the same resamples
        for r in range(30):
            xs, ys = x[pick[r]], y[pick[r]]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = QuantReg(ys, np.column_stack([np.ones(n), xs])).fit(q=q, max_iter=5000)

            def loss(a, b, xs=xs, ys=ys):
                e = ys - a - b * xs
                return float((e * (q - (e < 0))).sum())

            mine, theirs = loss(*lines[r]), loss(*ref.params)
            assert mine <= theirs * (1 + 1e-10) + 1e-12
            # the minimum itself: the exact linear program's loss (QuantReg's IRLS stops near it)
            if r < 5:
                assert mine == pytest.approx(loss(*_lp_quantreg(ys, xs, q)), rel=1e-9)
    np.testing.assert_array_equal(quantile_line_draws(y, x, q, draws=5, seed=1),
                                  quantile_line_draws(y, x, q, draws=5, seed=1))
    # a window searched first, even a wrong and narrow one, ends on the same lines: a slope
    # at its edge is searched again over the whole bracket
    whole = quantile_line_draws(y, x, q, draws=20, seed=2)
    for near in ((0.1, 0.5), (5.0, 0.01)):
        np.testing.assert_allclose(quantile_line_draws(y, x, q, draws=20, seed=2, near=near),
                                   whole, atol=1e-6)
    # the bracket: the extreme slopes between neighbouring x values are the extremes of all n²
    from spillwatch.analytics.volatility.covar import _slope_range

    for x in (np.round(rng.normal(size=300) * 3), rng.normal(size=300)):
        y = rng.normal(size=300)
        dx = x[:, None] - x[None, :]
        apart = dx > 0
        every = (y[:, None] - y[None, :])[apart] / dx[apart]
        assert _slope_range(y, x) == pytest.approx((every.min(), every.max()), rel=1e-12)


def test_the_t_statistic_is_the_pairs_bootstrap_s(sim):
    """statsmodels' sandwich standard error hangs on its sparsity bandwidth (ether's slope as of
    2025-04-09: 0.073, 0.024 or 0.061 by the bandwidth, 0.107 by the bootstrap: t 2.05 read as
    an effect, 1.40): the t is the pairs bootstrap's, the sandwich's kept beside it."""
    from spillwatch.analytics.volatility.covar import quantile_line_draws

    res = covar(sim, q=0.05)
    f = res.fits["btc_pct"]
    pair = sim[["btc_pct", "ust10y_bp"]].dropna()
    draws = quantile_line_draws(pair["btc_pct"].to_numpy(), pair["ust10y_bp"].to_numpy(), 0.05)
    se = float(np.std(draws[:, 1], ddof=1))
    # the fit searches a window about its own slope first: the same lines to the tolerance
    assert f["beta_se"] == pytest.approx(se, rel=1e-6)
    assert f["beta_se_sandwich"] > 0 and f["beta_se_sandwich"] != f["beta_se"]
    st = f["states"][0.95]
    assert st["delta_covar_t"] == pytest.approx(f["beta"] / se, rel=1e-6)


def test_a_subnormal_q_is_a_convergence_error_not_a_linalg_crash(sim):
    """``spillwatch risk --q 1e-309`` passed the (0, 0.5) check and crashed with a raw
    ``numpy.linalg.LinAlgError: SVD did not converge`` from QuantReg (exit code 1, a
    traceback). It is a ConvergenceError naming the series and q, which `risk` turns into a
    "CoVaR not computed" note beside the VaR."""
    with pytest.raises(ConvergenceError, match=r"'btc_pct'.*q=1e-309.*did not converge"):
        covar(sim, q=1e-309)
