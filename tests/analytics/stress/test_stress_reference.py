"""Fast paths of the stress monitor against plain reference implementations (stated tolerances)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillwatch.analytics.stress import (
    FRAME_COLUMNS,
    Regime,
    Signature,
    StressIndex,
    classify,
    classify_regimes,
    compute,
    recursive_ecdf,
)
from spillwatch.analytics.stress.index import ciss, ewma_correlations
from spillwatch.analytics.stress.signals import drawdown, realised_vol
from spillwatch.analytics.stress.signature import classify_scores, scaled_change
from spillwatch.exceptions import ConfigError, DataError


# ---------------------------------------------------------------- plain references
def ecdf_reference(x: np.ndarray, min_obs: int) -> np.ndarray:
    """O(T^2) recursive ECDF: share of observed past-and-present values <= today's."""
    out = np.full(len(x), np.nan)
    for t in range(len(x)):
        if np.isnan(x[t]):
            continue
        past = x[: t + 1][~np.isnan(x[: t + 1])]
        if len(past) >= min_obs:
            out[t] = np.mean(past <= x[t])
    return out


def corr_reference(s: np.ndarray, lam: float, min_obs: int) -> np.ndarray:
    """Loop over dates and pairs: the EWMA recursion on jointly observed dates."""
    t_len, k = s.shape
    rho = np.full((t_len, k, k), np.nan)
    for i in range(k):
        for j in range(k):
            cov = vi = vj = 0.0
            n = 0
            for t in range(t_len):
                if np.isnan(s[t, i]) or np.isnan(s[t, j]):
                    continue
                a, b = s[t, i] - 0.5, s[t, j] - 0.5
                cov = lam * cov + (1 - lam) * a * b
                vi = lam * vi + (1 - lam) * a * a
                vj = lam * vj + (1 - lam) * b * b
                n += 1
                if i == j:
                    rho[t, i, j] = 1.0
                elif n < min_obs or vi * vj <= 0:
                    rho[t, i, j] = 0.0
                else:
                    rho[t, i, j] = cov / np.sqrt(vi * vj)
    return rho


def ciss_reference(sub: pd.DataFrame, weights: list[float], lam: float, min_obs: int
                   ) -> np.ndarray:
    s = sub.to_numpy()
    rho = corr_reference(s, lam, min_obs)
    out = np.full(len(s), np.nan)
    for t in range(len(s)):
        avail = [i for i in range(s.shape[1]) if not np.isnan(s[t, i])]
        if 0 not in avail:
            continue
        tot = sum(weights[i] for i in avail)
        val = 0.0
        for i in avail:
            for j in avail:
                val += (weights[i] / tot) * (weights[j] / tot) * s[t, i] * s[t, j] * rho[t, i, j]
        out[t] = val
    return out


# ---------------------------------------------------------------- recursive ECDF
def test_recursive_ecdf_matches_reference_with_ties_and_gaps(rng):
    x = rng.integers(0, 15, size=600).astype(float)         # many ties
    y = rng.normal(size=600)
    y[rng.random(600) < 0.2] = np.nan                        # gaps
    frame = pd.DataFrame({"x": x, "y": y})
    got = recursive_ecdf(frame, min_obs=30)
    # exact: both are ratios of the same integer counts
    np.testing.assert_allclose(got["x"], ecdf_reference(x, 30), rtol=0, atol=1e-15)
    np.testing.assert_allclose(got["y"], ecdf_reference(y, 30), rtol=0, atol=1e-15)
    assert got["x"].iloc[:29].isna().all() and got["x"].iloc[29:].notna().all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.floats(-5, 5, allow_nan=False), st.just(float("nan"))),
                min_size=1, max_size=80),
       st.integers(1, 10))
def test_recursive_ecdf_property(values, min_obs):
    x = np.array(values, dtype=float)
    got = recursive_ecdf(pd.DataFrame({"x": x}), min_obs=min_obs)["x"].to_numpy()
    np.testing.assert_allclose(got, ecdf_reference(x, min_obs), rtol=0, atol=1e-12)


def test_recursive_ecdf_prefix_invariant(rng):
    x = pd.DataFrame({"x": rng.normal(size=400)})
    full = recursive_ecdf(x, min_obs=20)
    cut = recursive_ecdf(x.iloc[:250], min_obs=20)
    pd.testing.assert_frame_equal(full.iloc[:250], cut)


# ---------------------------------------------------------------- CISS aggregation
def _subindices(rng, n=300):
    sub = pd.DataFrame(rng.uniform(size=(n, 4)), columns=["rates", "dollar", "equity_vol",
                                                          "crypto"])
    sub.iloc[:120, 3] = np.nan                                # crypto arrives later
    sub.iloc[rng.random(n) < 0.05, 1] = np.nan                # dollar holidays
    sub.iloc[:5, 0] = np.nan
    return sub


def test_ewma_correlations_match_loop(rng):
    s = _subindices(rng).to_numpy()
    got = ewma_correlations(s, lam=0.93, min_obs=20)
    ref = corr_reference(s, 0.93, 20)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10)  # lfilter vs loop: rounding only


def test_ciss_matches_reference(rng):
    sub = _subindices(rng)
    w = [0.4, 0.3, 0.2, 0.1]
    got = ciss(sub, weights=w, lam=0.93, corr_min_obs=20)
    np.testing.assert_allclose(got.to_numpy(), ciss_reference(sub, w, 0.93, 20),
                               rtol=0, atol=1e-12)
    assert got.iloc[:5].isna().all()                          # rates required
    assert (got.dropna() >= 0).all() and (got.dropna() <= 1).all()


def test_ciss_bounds_and_perfect_correlation():
    sub = pd.DataFrame({"rates": np.linspace(0.1, 1, 50), "dollar": np.linspace(0.1, 1, 50)})
    got = ciss(sub, lam=0.93, corr_min_obs=1)
    # identical sub-indices are perfectly correlated: CISS = s^2
    np.testing.assert_allclose(got.to_numpy()[1:], sub["rates"].to_numpy()[1:] ** 2,
                               rtol=1e-12)


# ---------------------------------------------------------------- signals
def test_scaled_change_matches_loop(rng):
    x = pd.Series(rng.normal(0, 3, 200))
    x.iloc[[30, 31, 90]] = np.nan
    got = scaled_change(x, horizon=5, window=60)
    ref = np.full(200, np.nan)
    v = x.to_numpy()
    for t in range(200):
        win = v[max(0, t - 4): t + 1]
        if t < 4 or np.sum(~np.isnan(win)) < 3:
            continue
        hist = v[max(0, t - 5 - 59): t - 4]
        hist = hist[~np.isnan(hist)]
        if len(hist) < 30:
            continue
        ref[t] = np.nansum(win) / (np.sqrt(5) * np.std(hist, ddof=1))
    np.testing.assert_allclose(got.to_numpy(), ref, rtol=1e-10, atol=1e-12)


def test_drawdown_and_rvol_match_loop(rng):
    r = pd.Series(rng.normal(0, 2, 300))
    dd = drawdown(r, window=63).to_numpy()
    logp = np.cumsum(r.to_numpy()) / 100
    for t in (0, 10, 100, 299):
        peak = logp[max(0, t - 62): t + 1].max()
        assert dd[t] == pytest.approx(100 * (1 - np.exp(logp[t] - peak)), abs=1e-12)
    rv = realised_vol(r, 21).to_numpy()
    assert rv[100] == pytest.approx(np.std(r.to_numpy()[80:101], ddof=1) * np.sqrt(252),
                                    rel=1e-10)


# ---------------------------------------------------------------- signature
def test_classify_scores_cases():
    y = np.array([2.0, 2.0, -2.0, -2.0, 0.5, np.nan, 1.0])
    d = np.array([-2.0, 2.0, 2.0, -2.0, -3.0, 2.0, -1.0])
    got = classify_scores(y, d, threshold=1.0)
    assert list(got) == ["sell_america", "dash_for_cash", "flight_to_quality", "none", "none",
                         "none", "sell_america"]


def test_signature_enum():
    assert Signature.SELL_AMERICA == "sell_america"
    assert Signature.SELL_AMERICA.yields_up and not Signature.SELL_AMERICA.dollar_up
    assert Signature.FLIGHT_TO_QUALITY.yields_up is False
    assert Signature.NONE.yields_up is None
    assert {s.value for s in Signature} == {"sell_america", "dash_for_cash",
                                            "flight_to_quality", "none"}


def _toy_changes(rng, n=200):
    idx = pd.bdate_range("2020-01-01", periods=n, name="date")
    return pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n), "usd_broad_pct": rng.normal(0, .3, n)},
                        index=idx)


def test_classify_planted_weeks(rng):
    ch = _toy_changes(rng)
    ch.iloc[100:105] = [12.0, -0.6]            # yields up, dollar down
    ch.iloc[150:155] = [12.0, 0.6]             # yields up, dollar up
    ch.iloc[190:195] = [-12.0, 0.6]            # yields down, dollar up
    sig = classify(ch)
    assert sig.iloc[104] == Signature.SELL_AMERICA
    assert sig.iloc[154] == Signature.DASH_FOR_CASH
    assert sig.iloc[194] == Signature.FLIGHT_TO_QUALITY
    assert sig.name == "signature" and sig.index.equals(ch.index)
    assert set(sig.unique()) <= {s.value for s in Signature}
    assert (sig.iloc[:60] == "none").all()     # no trailing volatility yet


def test_classify_errors(rng):
    ch = _toy_changes(rng)
    with pytest.raises(DataError, match="usd_broad_pct"):
        classify(ch[["ust10y_bp"]])
    with pytest.raises(ConfigError, match="threshold"):
        classify(ch, threshold=0)
    with pytest.raises(ConfigError, match="window"):
        classify(ch, window=2)


# ---------------------------------------------------------------- regimes and spec
def test_regimes():
    p = pd.Series([0.0, 79.9, 80.0, 94.9, 95.0, np.nan])
    assert classify_regimes(p).tolist() == ["calm", "calm", "elevated", "elevated", "crisis",
                                            None]
    assert Regime("crisis").at_least("elevated") and not Regime.CALM.at_least("elevated")
    with pytest.raises(ConfigError, match="elevated < crisis"):
        classify_regimes(p, (90, 80))


@pytest.mark.parametrize("kwargs, match", [
    ({"horizon": 0}, "horizon"), ({"lam": 1.0}, "lam"), ({"weights": (1, 1)}, "weights"),
    ({"require": ("bonds",)}, "unknown sub-index 'bonds'"), ({"thresholds": (95, 80)}, "crisis"),
])
def test_spec_validation(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        StressIndex(**kwargs)


@settings(max_examples=15, deadline=None)
@given(st.integers(260, 599), st.integers(0, 10_000))
def test_no_look_ahead_property(cut, seed):
    """Every column of the frame up to t is the same whether or not later data exist."""
    rng = np.random.default_rng(seed)
    ch = _toy_changes(rng, 600)
    ch["ust2y_bp"] = rng.normal(0, 6, 600)
    ch["btc_pct"] = rng.standard_t(3, 600) * 3
    ch.iloc[rng.random(600) < 0.03, 1] = np.nan
    full = compute(ch, burn_in=60).frame
    part = compute(ch.iloc[:cut], burn_in=60).frame
    pd.testing.assert_frame_equal(part, full.iloc[:cut], rtol=1e-9, atol=1e-12)


def test_compute_contract_on_toy_panel(rng):
    ch = _toy_changes(rng, 700)
    res = compute(ch, burn_in=100)
    assert tuple(res.frame.columns) == FRAME_COLUMNS
    assert res.frame.index.name == "date"
    valid = res.frame["stress"].dropna()
    assert len(valid) > 300 and valid.between(0, 1).all()
    last = res.latest()
    assert set(last) == {"date", "stress", "percentile", "regime", "signature", "subindices",
                         "signals"}
    assert last["subindices"]["dollar"] is not None and last["subindices"]["crypto"] is None
    with pytest.raises(DataError, match="ust10y_bp"):
        compute(ch[["usd_broad_pct"]])
    with pytest.raises(DataError, match="increasing order"):
        compute(ch.iloc[::-1])
