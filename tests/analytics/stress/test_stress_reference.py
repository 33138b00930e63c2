"""Fast paths of the stress monitor against plain reference implementations (stated tolerances)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillwatch.analytics.stress import (
    FRAME_COLUMNS,
    SUBINDEX_COLUMNS,
    Regime,
    Signature,
    StressIndex,
    classify,
    classify_regimes,
    classify_week,
    compute,
    recursive_ecdf,
    weighted_ecdf,
)
from spillwatch.analytics.stress.index import (
    ciss,
    consistent_percentile,
    ewma_correlations,
)
from spillwatch.analytics.stress.signals import drawdown, realised_vol, scaled_change
from spillwatch.analytics.stress.signature import classify_scores
from spillwatch.exceptions import ConfigError, DataError


# ---------------------------------------------------------------- plain references
def ecdf_reference(x: np.ndarray, min_obs: int, half_life: float = np.inf) -> np.ndarray:
    """O(T^2) recursive ECDF: weighted share of observed past-and-present values <= today's."""
    out = np.full(len(x), np.nan)
    seen = np.flatnonzero(~np.isnan(x))
    for k, t in enumerate(seen):
        past = x[seen[: k + 1]]
        w = np.ones(k + 1) if np.isinf(half_life) else 2.0 ** (np.arange(k + 1) / half_life)
        if k + 1 >= min_obs:
            out[t] = w[past <= x[t]].sum() / w.sum()
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


def ciss_value(s: np.ndarray, rho: np.ndarray, weights: list[float], members: list[int]
               ) -> float:
    """One date's CISS over ``members`` with weights renormalised over them."""
    tot = sum(weights[i] for i in members)
    return sum((weights[i] / tot) * (weights[j] / tot) * s[i] * s[j] * rho[i, j]
               for i in members for j in members)


def ciss_reference(sub: pd.DataFrame, weights: list[float], lam: float, min_obs: int
                   ) -> np.ndarray:
    s = sub.to_numpy()
    rho = corr_reference(s, lam, min_obs)
    out = np.full(len(s), np.nan)
    for t in range(len(s)):
        avail = [i for i in range(s.shape[1]) if not np.isnan(s[t, i]) and weights[i] > 0]
        if 0 not in avail:
            continue
        out[t] = ciss_value(s[t], rho[t], weights, avail)
    return out


# ---------------------------------------------------------------- recursive ECDFs
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
       st.integers(1, 10), st.sampled_from([3.0, 17.5, 250.0, float("inf")]))
def test_weighted_ecdf_property(values, min_obs, half_life):
    x = np.array(values, dtype=float)
    got = weighted_ecdf(pd.Series(x), half_life=half_life, min_obs=min_obs).to_numpy()
    # the divide-and-conquer sums the same weights in another order: rounding only
    np.testing.assert_allclose(got, ecdf_reference(x, min_obs, half_life), rtol=1e-12,
                               atol=1e-14)


def test_weighted_ecdf_with_ties_matches_reference_and_plain_ecdf(rng):
    x = rng.integers(0, 20, size=700).astype(float)
    x[rng.random(700) < 0.1] = np.nan
    got = weighted_ecdf(pd.Series(x), half_life=37.0, min_obs=25).to_numpy()
    np.testing.assert_allclose(got, ecdf_reference(x, 25, 37.0), rtol=1e-12, atol=1e-14)
    flat = weighted_ecdf(pd.Series(x), half_life=np.inf, min_obs=25)
    np.testing.assert_allclose(flat, recursive_ecdf(pd.DataFrame({"x": x}), min_obs=25)["x"],
                               rtol=0, atol=1e-15)


def test_recursive_ecdfs_are_prefix_invariant(rng):
    x = pd.Series(rng.normal(size=400))
    for f in (lambda s: recursive_ecdf(s.to_frame("x"), min_obs=20)["x"],
              lambda s: weighted_ecdf(s, half_life=50.0, min_obs=20)):
        np.testing.assert_allclose(f(x).iloc[:250], f(x.iloc[:250]), rtol=1e-12, atol=1e-15)


def test_the_weighted_ecdf_of_a_date_does_not_move_with_later_rows(rng):
    # the weights were scaled around the series' middle: the same day read 99.99999999999999,
    # 100.0 or 100.00000000000007 by where the data ended, and the backtest's AUROC, ranking
    # those as different values, moved with rows after its --end (0.636808 against 0.636811)
    x = pd.Series(np.cumsum(rng.normal(size=3000)))          # a trending index: many new highs
    full = weighted_ecdf(x, half_life=100.0, min_obs=50)
    for cut in (700, 1001, 2222, 2999):
        np.testing.assert_array_equal(weighted_ecdf(x.iloc[:cut], half_life=100.0,
                                                    min_obs=50), full.iloc[:cut])
    highs = (x >= x.cummax()) & full.notna()
    assert highs.sum() > 10 and (full[highs] == 1.0).all() and (full.dropna() <= 1.0).all()


# ---------------------------------------------------------------- CISS aggregation
def _subindices(rng, n=300):
    sub = pd.DataFrame(rng.uniform(size=(n, 5)), columns=list(SUBINDEX_COLUMNS))
    sub.iloc[:120, 3] = np.nan                                # credit arrives later
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
    w = [0.3, 0.15, 0.45, 0.1, 0.0]
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


def test_consistent_percentile_matches_loop_with_fallback(rng):
    n = 260
    sub = rng.uniform(size=(n, 3))
    sub[:100, 2] = np.nan                # the third segment starts late
    sub[200:210, 1] = np.nan             # the second is missing for a while
    w = np.array([0.5, 0.3, 0.2])
    rho = ewma_correlations(sub, lam=0.9, min_obs=5)
    published = np.ones(n, dtype=bool)
    published[[50, 150]] = False
    got = consistent_percentile(sub, w, rho, published, half_life=40.0, min_obs=30)
    ref = np.full(n, np.nan)
    starts = [0, 0, 100]
    for t in range(n):
        if not published[t]:
            continue
        members = [i for i in range(3) if not np.isnan(sub[t, i])]
        while members:
            hist = [s for s in range(t + 1)
                    if published[s] and all(not np.isnan(sub[s, i]) for i in members)]
            if len(hist) >= 30:
                vals = np.array([ciss_value(sub[s], rho[s], list(w), members) for s in hist])
                ages = np.array([sum(1 for u in hist if u <= s) for s in hist], dtype=float)
                wts = 2.0 ** (ages / 40.0)
                ref[t] = 100 * wts[vals <= vals[-1]].sum() / wts.sum()
                break
            members.remove(max(members, key=lambda i: starts[i]))
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-10)
    assert np.isnan(got[[50, 150]]).all()
    # the late segment's composition borrows the two-segment history until its own burn-in
    assert np.isfinite(got[100:129]).all()


# ---------------------------------------------------------------- signals
def test_scaled_change_matches_loop_and_never_fills_zero(rng):
    x = pd.Series(rng.normal(0, 3, 200))
    x.iloc[[30, 31, 90]] = np.nan
    got = scaled_change(x, horizon=5, window=60)
    ref = np.full(200, np.nan)
    v = x.to_numpy()
    for t in range(200):
        win = v[max(0, t - 4): t + 1]
        if t < 4 or np.isnan(win).any():          # a missing change is not a zero move
            continue
        hist = v[max(0, t - 5 - 59): t - 4]
        hist = hist[~np.isnan(hist)]
        if len(hist) < 30:
            continue
        ref[t] = win.sum() / (np.sqrt(5) * np.std(hist, ddof=1))
    np.testing.assert_allclose(got.to_numpy(), ref, rtol=1e-10, atol=1e-12)
    assert got.iloc[90:95].isna().all()


def test_drawdown_and_rvol_match_loop(rng):
    p = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.02, 300))))
    p.iloc[[40, 41]] = np.nan                     # not observed: no value, no effect
    dd = drawdown(p, window=63).to_numpy()
    seen = p.dropna()
    for t in (0, 10, 100, 299):
        pos = seen.index.get_loc(t)
        peak = seen.iloc[max(0, pos - 62): pos + 1].max()
        assert dd[t] == pytest.approx(100 * (1 - seen.iloc[pos] / peak), abs=1e-12)
    assert np.isnan(dd[40]) and np.isnan(dd[41])
    r = pd.Series(rng.normal(0, 2, 300))
    rv = realised_vol(r, 21).to_numpy()
    assert rv[100] == pytest.approx(np.std(r.to_numpy()[80:101], ddof=1) * np.sqrt(252),
                                    rel=1e-10)


# ---------------------------------------------------------------- signature
def test_classify_scores_cases():
    y = np.array([2.0, 2.0, -2.0, -2.0, 0.5, np.nan, 1.0])
    d = np.array([-2.0, 2.0, 2.0, -2.0, -3.0, 2.0, -1.0])
    got = classify_scores(y, d, threshold=1.0)
    assert list(got) == ["sell_america", "dash_for_cash", "flight_to_quality", "none", "none",
                         "unavailable", "sell_america"]


def test_signature_enum():
    assert Signature.SELL_AMERICA == "sell_america"
    assert Signature.SELL_AMERICA.yields_up and not Signature.SELL_AMERICA.dollar_up
    assert Signature.FLIGHT_TO_QUALITY.yields_up is False
    assert Signature.NONE.yields_up is None and Signature.UNAVAILABLE.dollar_up is None
    assert not Signature.UNAVAILABLE.available and Signature.NONE.available
    assert {s.value for s in Signature} == {"sell_america", "dash_for_cash",
                                            "flight_to_quality", "none", "unavailable"}


def _toy_changes(rng, n=400):
    idx = pd.bdate_range("2020-01-01", periods=n, name="date")
    return pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n), "usd_broad_pct": rng.normal(0, .3, n)},
                        index=idx)


def test_classify_planted_days(rng):
    ch = _toy_changes(rng)
    ch.iloc[300] = [15.0, -0.6]              # yields up, dollar down: that day
    ch.iloc[320] = [15.0, 0.6]               # yields up, dollar up
    ch.iloc[340] = [-15.0, 0.6]              # yields down, dollar up
    ch.iloc[360:363] = [[9.0, 0.25], [0.0, 0.25], [1.0, 0.25]]   # three days, decisive together
    sig = classify(ch)
    assert sig.iloc[300] == Signature.SELL_AMERICA
    assert sig.iloc[320] == Signature.DASH_FOR_CASH
    assert sig.iloc[340] == Signature.FLIGHT_TO_QUALITY
    assert sig.iloc[362] == Signature.DASH_FOR_CASH
    assert sig.name == "signature" and sig.index.equals(ch.index)
    assert (sig.iloc[:125] == "unavailable").all()       # no one-year volatility yet
    # a leg that did not report that day makes the day unavailable
    ch.iloc[380, 1] = np.nan
    assert classify(ch).iloc[380] == Signature.UNAVAILABLE


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_day_signature_never_contradicts_the_day(seed):
    """No flight to quality on a day when yields and the dollar both rose by ≥ 0.5 sd (and the
    like for the other quadrants): the day's own clear move decides its sign."""
    rng = np.random.default_rng(seed)
    ch = _toy_changes(rng, 500)
    ch.iloc[rng.random(500) < 0.05, 1] = np.nan
    sig = classify(ch).to_numpy()
    sd = {c: ch[c].dropna().rolling(250, min_periods=125).std().shift(1).reindex(ch.index)
          for c in ch}
    zy = (ch["ust10y_bp"] / sd["ust10y_bp"]).to_numpy()
    zd = (ch["usd_broad_pct"] / sd["usd_broad_pct"]).to_numpy()
    with np.errstate(invalid="ignore"):
        both_up = (zy > 0.5) & (zd > 0.5)
        y_down = zy < -0.5
    assert not ((sig == "flight_to_quality") & both_up).any()
    assert not ((sig == "sell_america") & both_up).any()
    assert not (np.isin(sig, ["sell_america", "dash_for_cash"]) & y_down).any()


def test_classify_week_and_errors(rng):
    ch = _toy_changes(rng)
    ch.iloc[100:105] = [12.0, -0.6]
    assert classify_week(ch).iloc[104] == Signature.SELL_AMERICA
    with pytest.raises(DataError, match="usd_broad_pct"):
        classify(ch[["ust10y_bp"]])
    with pytest.raises(ConfigError, match="threshold"):
        classify_week(ch, threshold=0)
    with pytest.raises(ConfigError, match="window"):
        classify(ch, window=2)
    with pytest.raises(ConfigError, match="leg"):
        classify(ch, leg=-1)


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
    ({"half_life": 0}, "half_life"), ({"stale_after": (("bitcoin", 3),)}, "unknown input"),
    ({"stale_after": ((1, 2, 3),)}, "stale_after"), ({"min_inputs": 0}, "min_inputs"),
])
def test_spec_validation(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        StressIndex(**kwargs)


def _toy_market(rng, n=600):
    ch = _toy_changes(rng, n)
    ch["ust2y_bp"] = rng.normal(0, 6, n)
    ch["spx_pct"] = rng.standard_t(4, n)
    ch["btc_pct"] = rng.standard_t(3, n) * 3
    ch.iloc[rng.random(n) < 0.03, 1] = np.nan
    return ch


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(st.integers(260, 599), st.integers(0, 10_000))
def test_no_look_ahead_property(cut, seed):
    """Every column of the frame up to t is the same whether or not later data exist."""
    ch = _toy_market(np.random.default_rng(seed))
    full = compute(ch, burn_in=60).frame
    part = compute(ch.iloc[:cut], burn_in=60).frame
    pd.testing.assert_frame_equal(part, full.iloc[:cut], rtol=1e-9, atol=1e-12)


def test_compute_contract_on_toy_panel(rng):
    ch = _toy_market(rng, 700)
    res = compute(ch, burn_in=100)
    assert tuple(res.frame.columns) == FRAME_COLUMNS
    assert res.frame.index.name == "date"
    valid = res.frame["stress"].dropna()
    assert len(valid) > 300 and valid.between(0, 1).all()
    last = res.latest()
    assert {"date", "stress", "percentile", "percentile_longrun", "regime", "signature",
            "signature_5d", "signature_5d_last", "signature_5d_last_date", "signature_last",
            "signature_last_date", "signature_waiting", "signature_unread", "subindices",
            "subindex_percentiles", "signals", "as_of", "age_days", "fresh", "stale", "missing",
            "reading_without", "inputs", "week_ago_date", "week_ago_stress",
            "week_ago_percentile", "regime_since", "regime_readings",
            "regime_last_20", "regime_held"} == set(last)
    # how long the regime has held and the last 20 readings' regimes, from the frame
    reg = res.valid["regime"].dropna()
    run = (reg != reg.shift()).cumsum()
    assert last["regime_since"] == str(reg[run == run.iloc[-1]].index[0].date())
    assert last["regime_readings"] == int((run == run.iloc[-1]).sum())
    assert last["regime_last_20"] == {k: int((reg.iloc[-20:] == k).sum())
                                      for k in ("calm", "elevated", "crisis")}
    assert last["subindices"]["dollar"] is not None and last["subindices"]["credit"] is None
    assert "ig_oas" in last["missing"] and last["stale"] == []
    assert last["reading_without"]["ig_oas"] is None          # never reported
    with pytest.raises(DataError, match="ust10y_bp"):
        compute(ch[["usd_broad_pct"]])
    with pytest.raises(DataError, match="increasing order"):
        compute(ch.iloc[::-1])


def test_equity_required_by_default_and_optional_on_request(rng):
    ch = _toy_market(rng, 500).drop(columns=["spx_pct"])
    assert compute(ch, burn_in=60).frame["stress"].isna().all()     # equity/vol is required
    res = compute(ch, burn_in=60, require=("rates", "dollar"))
    assert res.frame["stress"].notna().sum() > 300
    assert res.frame["equity_vol"].isna().all()
