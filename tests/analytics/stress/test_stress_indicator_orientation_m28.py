"""Each stress indicator is ranked the way the module docstring orients it (h_mut28).

Mutants that ranked a fall in foreign official custody as a rise, or the yuan's and the
yen's scaled moves by their sign instead of their size, survived the fast tests (the toy
markets there hold no custody and no yuan). The docstring of
:mod:`spillwatch.analytics.stress.index` says which way is stress: "5-day yield and curve shocks
in absolute value, ... a fall in foreign official custody holdings", "5-day dollar, yen and
yuan moves in absolute value", "VIX level and 5-day change" (a rise). Each indicator's rank must
be the recursive ECDF (ties as ``<=``) of the signal so oriented, on the input's own dates.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress import compute

BURN = 40
#: From the module docstring, not from the code's table.
ORIENTED = {"ust10y_z5": np.abs, "ust2y_z5": np.abs, "curve_2s10s_z5": np.abs,
            "usd_broad_z5": np.abs, "usdjpy_z5": np.abs, "usdcny_z5": np.abs,
            "vix_z5": lambda v: v, "custody_chg_pct": lambda v: -v}


def _ecdf(x):
    """Share of observed past-and-present values at or below today's (NaN in the burn-in)."""
    out = np.full(len(x), np.nan)
    seen = np.flatnonzero(~np.isnan(x))
    for k, t in enumerate(seen):
        if k + 1 >= BURN:
            past = x[seen[:k + 1]]
            out[t] = np.mean(past <= x[t])
    return out


def _market(n=420, seed=11):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2016-01-01", periods=n, name="date")
    ch = pd.DataFrame({c: rng.normal(0, s, n) for c, s in (
        ("ust10y_bp", 5.0), ("ust2y_bp", 4.0), ("usd_broad_pct", 0.3), ("usdjpy_pct", 0.5),
        ("usdcny_pct", 0.1), ("spx_pct", 1.0), ("vix_pct", 5.0))}, index=idx)
    lv = pd.DataFrame({"ust10y_pct": 2.0 + ch["ust10y_bp"].cumsum() / 100.0,
                       "vix_idx": 15.0 * np.exp(ch["vix_pct"].cumsum() / 100.0)}, index=idx)
    # custody prints on Wednesdays: about ±1% a week, a record fall and a record rise
    wed = idx[idx.day_of_week == 2]
    weekly = rng.normal(0, 1.0, len(wed))
    weekly[-10], weekly[-5] = -6.0, 6.0
    level = 3000.0 * np.exp(np.cumsum(weekly) / 100.0)
    lv["custody_usd_bn"] = pd.Series(level, index=wed)
    ch["custody_chg_usd_bn"] = pd.Series(np.r_[np.nan, np.diff(level)], index=wed)
    return ch, lv, wed


def test_each_indicator_is_ranked_on_its_stress_side():
    ch, lv, wed = _market()
    res = compute(ch, lv, burn_in=BURN)
    for name, orient in ORIENTED.items():
        dates = wed if name.startswith("custody") else res.frame.index
        sig = res.frame.loc[dates, name].to_numpy(dtype=float)
        want = _ecdf(orient(sig))
        got = res.indicators.loc[dates, name].to_numpy(dtype=float)
        assert np.isfinite(want).sum() > 20, name
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12, err_msg=name)
    # the record weekly fall is the most stressful custody reading so far, the rise the least
    ranks = res.indicators.loc[wed, "custody_chg_pct"]
    assert ranks.iloc[-10] == 1.0
    seen = np.isfinite(res.frame.loc[wed, "custody_chg_pct"].to_numpy(dtype=float))[:-4].sum()
    assert ranks.iloc[-5] == 1.0 / seen
