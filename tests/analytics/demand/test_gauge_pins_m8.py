"""Round-8 mutant killers for analytics/demand/gauge.py (h_mut8), on small analytic inputs.

The gauge is G = 1 - (sum_k w_k / p_k)^-1 with the base weights renormalised over the groups
present (Wilson 2019, PNAS 116(4), eq. 2: the weighted harmonic mean p-value); its percentile
ranks it among past and present values (module step 5). The numbers are worked by hand here.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.demand.gauge import _auctions_seen, combine, consistent_percentile


def test_the_weights_are_renormalised_over_the_groups_present():
    """p = (0.5, 0.25, absent) with equal weights: w = (1/2, 1/2), HMP = 1/(1 + 2) = 1/3, G =
    2/3. Weights (2, 1, 1), third absent: w = (2/3, 1/3), HMP = 1/(4/3 + 4/3) = 3/8, G = 5/8.
    One group alone is its own p: G = 1 - 0.2. (The mutant, without renormalising, read
    5/6, 1 - 1/12 and 0.8.)"""
    p = np.array([[0.5, 0.25, np.nan], [0.5, 0.25, np.nan], [np.nan, 0.2, np.nan]])
    g, inv, mass = combine(p[:1], np.array([1.0, 1.0, 1.0]))
    np.testing.assert_allclose(g, [2.0 / 3.0], rtol=1e-14)
    np.testing.assert_allclose(inv[0], [1.0, 2.0, 0.0], rtol=1e-14)      # w_k / p_k
    np.testing.assert_allclose(mass, [3.0], rtol=1e-14)                  # their sum
    g, _, _ = combine(p[1:2], np.array([2.0, 1.0, 1.0]))
    np.testing.assert_allclose(g, [5.0 / 8.0], rtol=1e-14)
    g, _, _ = combine(p[2:], np.array([1.0, 1.0, 1.0]))
    np.testing.assert_allclose(g, [0.8], rtol=1e-14)


def test_a_group_without_weight_does_not_change_the_percentile():
    """A zero-weight group adds nothing to the gauge (w = 0), so its presence must not change
    which past days the gauge is ranked among: with it present every other day the
    percentiles equal those without it, and equal the recursive ECDF of G over all days,
    100 #{s <= t: G_s <= G_t} / (t + 1), worked here by a loop. (The mutant ranked a day with
    the group among the days with it only.)"""
    rng = np.random.default_rng(2)
    t = 30
    p = np.column_stack([rng.uniform(0.01, 1, t), rng.uniform(0.01, 1, t),
                         np.where(np.arange(t) % 2 == 0, 0.5, np.nan)])
    base = np.array([1.0, 1.0, 0.0])
    ok = np.ones(t, dtype=bool)
    got = consistent_percentile(p, base, ok, 5)
    without = p.copy()
    without[:, 2] = np.nan
    np.testing.assert_allclose(got, consistent_percentile(without, base, ok, 5), rtol=1e-14)
    g = 1.0 - 2.0 / (1.0 / p[:, 0] + 1.0 / p[:, 1])
    want = np.array([100.0 * np.sum(g[: i + 1] <= g[i]) / (i + 1) if i >= 4 else np.nan
                     for i in range(t)])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_an_auction_counts_from_its_own_date():
    """'How many scored auctions are dated on or before each of days': an auction on the day is
    seen that day (the burn-in's 52nd auction defines the tail on its own date); one without a
    weakness score is not counted. The mutant counted only those before the day."""
    table = pd.DataFrame({"date": pd.to_datetime(["2024-01-09", "2024-01-10", "2024-01-11"]),
                          "weakness": [0.3, np.nan, -0.2]})
    days = pd.DatetimeIndex(["2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11",
                             "2024-01-12"])
    assert _auctions_seen(table, days).tolist() == [0, 1, 1, 2, 2]
