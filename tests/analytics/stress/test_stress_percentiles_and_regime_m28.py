"""The stress frame's two percentiles and its regime, checked from the index itself (h_mut28).

Mutants that ranked the long-run percentile with the recent one's age weights, or fed the
regime rule the two percentiles the wrong way round, survived the fast tests of the stress
index: the frame's ``percentile_longrun`` must be the equal-weight recursive ECDF of the index
(HKLD 2012), ``percentile`` the age-weighted one (Boudoukh, Richardson & Whitelaw 1998), and
``regime`` the banded rule of :mod:`spillwatch.analytics.stress.regimes` read off the two.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress import compute

HALF_LIFE = 25.0     # short, so that the recent and long-run ranks often disagree
BURN = 60


def _market(seed=7, n=700):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2015-01-01", periods=n, name="date")
    vol = np.exp(np.cumsum(rng.normal(0, 0.08, n)))          # stress that comes and goes
    return pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n) * vol,
                         "usd_broad_pct": rng.normal(0, 0.3, n) * vol,
                         "spx_pct": rng.standard_t(4, n) * vol}, index=idx)


def _ecdf(x, half_life):
    """100 x the share of past-and-present values at or below today's, each weighted 2^(s/h)."""
    out = np.full(len(x), np.nan)
    for t in range(BURN - 1, len(x)):
        w = 2.0 ** (np.arange(t + 1) / half_life)
        out[t] = 100.0 * w[x[:t + 1] <= x[t]].sum() / w.sum()
    return out


def _regimes(p, q):
    """The module docstring's table, entered at 80/95, left below 70 (both) / 90 (long run)."""
    out, state = [], None
    for a, b in zip(p, q, strict=True):
        raw = 2 if b >= 95 else (1 if a >= 80 or b >= 80 else 0)
        if state is None or raw >= state:
            state = raw
        elif state == 2:
            state = 2 if b >= 90 else (1 if a >= 70 or b >= 70 else 0)
            state = max(state, raw)
        else:   # elevated
            state = 1 if (a >= 70 or b >= 70) else raw
        out.append(("calm", "elevated", "crisis")[state])
    return out


def test_the_two_percentiles_and_the_regime_follow_from_the_index():
    frame = compute(_market(), burn_in=BURN, half_life=HALF_LIFE).frame
    read = frame[frame["stress"].notna()]
    assert len(read) > 500
    s = read["stress"].to_numpy()
    p, q = _ecdf(s, HALF_LIFE), _ecdf(s, np.inf)
    np.testing.assert_allclose(read["percentile"].to_numpy(), p, rtol=0, atol=1e-9)
    np.testing.assert_allclose(read["percentile_longrun"].to_numpy(), q, rtol=0, atol=1e-9)
    ok = ~np.isnan(p)
    # days on which only the recent rank is in the top 5%: elevated there, crisis if the
    # two ranks were read the wrong way round
    assert ((p[ok] >= 95) & (q[ok] < 95)).sum() > 5
    assert read["regime"].to_numpy()[ok].tolist() == _regimes(p[ok], q[ok])
