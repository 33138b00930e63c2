"""PortfolioResult.var_interval: the order statistics of ranks l and u by the binomial rule.

A surviving mutant (h_mut2, MC04: ``hi_rank = ppf((1 + c) / 2) + 1`` -> without the ``+ 1``)
read the interval's low end one path too far into the tail, so it covered the true VaR less
often than the 95% it claims; the coverage test's band (0.91-0.99 over 400 trials) cannot
see one rank. Here the P&L paths are 0, 1, ..., n-1, so each end of the interval is a rank,
checked against ranks found by scanning the binomial CDF (docstring: F(l - 1) <= (1 - c)/2,
F(u - 1) >= (1 + c)/2, l the largest and u the smallest such).
"""
import numpy as np
from scipy import stats

from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult


def test_the_interval_ends_are_the_binomial_order_statistics():
    n, p, c = 2_000, 0.01, 0.95
    cdf = stats.binom.cdf(np.arange(n + 1), n, p)           # cdf[k] = P(K <= k)
    u = int(np.flatnonzero(cdf >= (1 + c) / 2)[0]) + 1      # smallest u: F(u - 1) >= 0.975
    below = np.flatnonzero(cdf <= (1 - c) / 2)
    low = int(below[-1]) + 1 if len(below) else 0           # largest l: F(l - 1) <= 0.025
    book = Portfolio({"btc": 1e6}, kind="notional")
    pr = PortfolioResult(book, "ranks", n, samples=np.arange(n, dtype=float))
    lo, hi = pr.var_interval(0.99, c)
    assert (lo, hi) == (-(u - 1.0), -(low - 1.0))             # x_(r) = r - 1
    assert (low, u) == (12, 30)                                # 20 paths expected below
