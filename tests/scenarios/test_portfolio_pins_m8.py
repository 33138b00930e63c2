"""Round-8 mutant killers for scenarios/portfolio.py (h_mut8), on analytic cases.

Each number is computed here from first principles, not from the module's own formulas:

* a par bond's price by summing its discounted semi-annual cash flows one by one (the module
  uses the closed-form annuity; Fabozzi, *Bond Markets, Analysis and Strategies*, ch. 2);
* held time as calendar days (five business days a week) over 365.25;
* the VaR of a P&L histogram on a bin edge as the first point where its CDF reaches 1%.
"""
import numpy as np
import pytest

from spillwatch.scenarios.portfolio import (
    Portfolio,
    PortfolioResult,
    bond_return,
    held_years,
    start_coupons,
)


def _price(coupon: float, y: float, periods: int) -> float:
    """A bond's price per 1 of face: each semi-annual coupon and the principal discounted."""
    d = 1.0 + y / 2.0
    return sum(coupon / 2.0 / d ** k for k in range(1, periods + 1)) + 1.0 / d ** periods


def test_a_ten_year_held_a_year_is_repriced_as_a_nine_year():
    """The bond rolls toward maturity (module docstring: P(y; T - tau) + c tau - 1). A 4% par
    10-year held one year through +100 bp is a 9-year (18 coupons) at 5%, plus a year's coupon.
    Mutant: repriced as a 10-year (20 coupons), a larger loss."""
    want = _price(0.04, 0.05, 18) + 0.04 * 1.0 - 1.0
    got = float(bond_return(np.array([100.0]), np.array([10.0]), 0.04, held=1.0)[0])
    assert got == pytest.approx(want, abs=1e-12)
    assert got == pytest.approx(-0.0317668, abs=1e-7)       # 0.9282332 + 0.04 - 1


def test_a_bond_held_past_its_maturity_earns_coupons_only_to_maturity():
    """A 2-year 4% bond held 2.5 years: four coupons (8% of face) and the principal back at par;
    the half-year after maturity earns nothing (the mutant accrued 10%)."""
    got = bond_return(np.array([0.0, 250.0]), np.array([2.0, 2.0]), 0.04, held=2.5)
    np.testing.assert_allclose(got, [0.08, 0.08], atol=1e-12)


def test_held_years_count_calendar_days():
    """Five business days are a calendar week: 7 / 365.25 years (a coupon accrues by the
    calendar); 60 business days are 84 days. The mutant counted 5 / 365.25."""
    assert held_years(5) == pytest.approx(7.0 / 365.25, rel=1e-15)
    assert held_years(60) == pytest.approx(84.0 / 365.25, rel=1e-15)


def test_a_negative_starting_yield_is_a_zero_coupon():
    """start_coupons: 'A negative starting yield is taken as 0' (a par bond pays no negative
    coupon); a positive one is its fraction, a missing or NaN one PAR_COUPON."""
    got = start_coupons(["ust2y", "ust10y", "ust30y", "ust5y", "gold"],
                        {"ust2y": -0.35, "ust10y": 4.1, "ust30y": float("nan")})
    np.testing.assert_allclose(got, [0.0, 0.041, 0.0425, 0.0425, 0.0425], atol=1e-15)


def test_the_99pct_var_of_a_histogram_on_a_bin_edge():
    """1 of 100 paths in the lowest bin of [-10, 10] (bins of 2): the CDF reaches 1% at -8 and
    stays there to the next non-empty bin at 0, so the 99% VaR is 8. ``1 - 0.99`` in floating
    point is 0.010000000000000009: without ``_tail``'s rounding the quantile jumped over the
    empty bins (VaR -0.0...: 'no loss')."""
    counts = np.zeros(10)
    counts[0], counts[5] = 1, 99
    pr = PortfolioResult(Portfolio({"btc": 1e6}, kind="notional"), "edge", 100, hist=counts,
                         lo=-10.0, hi=10.0)
    assert not pr.exact
    assert pr.var(0.99) == pytest.approx(8.0, abs=1e-9)


def test_a_lower_rank_of_one_bounds_the_var():
    """var_interval: the order statistics of ranks l and u with F(l - 1) <= 0.025 and
    F(u - 1) >= 0.975 (F the Binomial(n, 1%) CDF). With 400 paths F(0) = 0.99^400 = 0.018 and
    F(1) = 0.090, so l = 1: the worst path is the interval's upper end, a bound; only l = 0
    (too few paths) has none. The mutant read l = 1 as unbounded."""
    from scipy import stats

    n, c = 400, 0.95
    cdf = stats.binom.cdf(np.arange(n + 1), n, 0.01)
    assert cdf[0] == pytest.approx(0.99 ** 400, rel=1e-12) and cdf[0] <= 0.025 < cdf[1]
    u = int(np.flatnonzero(cdf >= (1 + c) / 2)[0]) + 1
    x = np.arange(n, dtype=float) - 1000.0                  # x_(r) = r - 1001
    pr = PortfolioResult(Portfolio({"btc": 1e6}, kind="notional"), "l1", n, samples=x)
    lo, hi = pr.var_interval(0.99, c)
    assert hi == 1000.0                                     # -x_(1)
    assert lo == -(u - 1001.0)
