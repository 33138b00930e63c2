"""The stress index's edges (h_mut15, mutation round 15): each test kills a mutant no test saw.

The weights may not all be 0; a value tied with the highest so far is at the top of the
age-weighted ECDF, 1 exactly (not the two weighted sums' rounding: 325 of 600 such days read
0.9999999999999999 or so without the rule). In the CISS aggregation, a date holding only
zero-weight sub-indices has no index; a correlation not yet defined (a sub-index at its median
0.5 so far: 0/0) counts as 0; the pairwise EWMA correlations, each on its own joint dates,
need not form a positive semi-definite matrix, and the index stays in [0, 1].
"""
import numpy as np
import pandas as pd
import pytest

from spillwatch.analytics.stress._ecdf import weighted_ecdf
from spillwatch.analytics.stress.index import StressIndex, ciss, ewma_correlations
from spillwatch.exceptions import ConfigError


def _idx(n):
    return pd.bdate_range("2024-01-01", periods=n, name="date")


def test_a_date_with_only_zero_weight_sub_indices_has_no_index():
    sub = pd.DataFrame({"rates": [0.7, np.nan], "crypto": [0.9, 0.9]}, index=_idx(2))
    got = ciss(sub, weights=[1.0, 0.0], require=(), corr_min_obs=1)
    assert got.iloc[0] == pytest.approx(0.7**2)          # crypto's weight 0: rates alone
    assert np.isnan(got.iloc[1])


def test_a_correlation_not_yet_defined_counts_as_zero():
    # first row: rates at 0.5 exactly, its deviation 0: the EWMA correlation is 0/0
    sub = pd.DataFrame({"rates": [0.5], "dollar": [0.8]}, index=_idx(1))
    got = ciss(sub, weights=[1.0, 1.0], corr_min_obs=1)
    # w = (0.5, 0.5): 0.25 * 0.5^2 + 0.25 * 0.8^2 + 2 * 0.25 * 0.5 * 0.8 * rho, rho = 0
    assert got.iloc[0] == pytest.approx(0.25 * 0.25 + 0.25 * 0.64, rel=1e-12)


def test_the_index_stays_in_0_1_when_the_pairwise_correlations_are_not_consistent():
    # each pair moves against the other on its own dates: every pairwise correlation is near
    # -1, which no three series can have together; the quadratic form is then negative
    n = 40
    hi_lo = np.where(np.arange(n) % 2 == 0, 0.9, 0.1)
    cols = {c: np.full(3 * n + 1, np.nan) for c in ("rates", "dollar", "equity_vol")}
    for k, (a, b) in enumerate([("rates", "dollar"), ("rates", "equity_vol"),
                                ("dollar", "equity_vol")]):
        cols[a][k * n:(k + 1) * n] = hi_lo
        cols[b][k * n:(k + 1) * n] = 1.0 - hi_lo
    for c in cols.values():
        c[-1] = 0.9
    sub = pd.DataFrame(cols, index=_idx(3 * n + 1))
    rho = ewma_correlations(sub.to_numpy(), min_obs=1)[-1]
    w = np.full(3, 1 / 3)
    assert (w * 0.9) @ rho @ (w * 0.9) < 0          # the unclipped form
    got = ciss(sub, weights=[1.0, 1.0, 1.0], corr_min_obs=1)
    assert got.iloc[-1] == 0.0
    assert ((got.dropna() >= 0) & (got.dropna() <= 1)).all()


def test_weights_that_are_all_zero_are_refused():
    with pytest.raises(ConfigError, match="weights must be 5 finite non-negative numbers"):
        StressIndex(weights=(0.0, 0.0, 0.0, 0.0, 0.0))
    StressIndex(weights=(0.0, 0.0, 0.0, 0.0, 1.0))      # one positive weight is enough


def test_a_value_tied_with_the_highest_so_far_reads_1_exactly():
    x = np.maximum.accumulate(np.round(np.random.default_rng(0).standard_normal(600), 1))
    got = weighted_ecdf(pd.Series(x), half_life=500.0, min_obs=1).to_numpy()
    assert (got == 1.0).all()


def test_the_percentile_s_default_half_life_is_two_years_of_days():
    """500 observations, the module's 'two years' (250 trading days a year): the 10.0 % of days
    at or above the 90th percentile since 1990 in the module notes was measured with it, and
    a mutant of 520 passed every stress test."""
    assert StressIndex().half_life == 500.0
