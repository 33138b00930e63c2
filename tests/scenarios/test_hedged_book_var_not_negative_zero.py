"""A book hedged to zero on every path has a VaR of 0, not of -0.

A copy of the S&P 500 held long against the S&P 500 short (an own series mapped on the named
asset since 56e715b) loses nothing on any path, and the CLI printed "VaR 99% -0 USD (Monte Carlo
95% interval -0–-0 over 5,000 paths) ... VaR 95% -0 USD" (the VaR is minus the P&L's
quantile, and minus 0.0 is -0.0): a negative VaR reads as a gain in the tail. The JSON of
`scenario --json`, POST /api/scenarios and the headline's ``book_var99_usd`` carried the same
-0.0.
"""
import json
import math

import numpy as np

from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult, var_es


def _hedged(n: int = 5_000) -> PortfolioResult:
    book = Portfolio({"csv:COPY": 1e6, "spx": -1e6}, kind="notional")
    return PortfolioResult(book, "japan-10pct", n, samples=np.zeros(n))


def test_a_zero_pnl_reads_a_zero_var_and_es_with_a_plus_sign():
    var, es = var_es(np.zeros(1_000), 0.99)
    assert (var, es) == (0.0, 0.0)
    assert math.copysign(1.0, var) == 1.0 and math.copysign(1.0, es) == 1.0


def test_a_hedged_book_prints_var_0_and_its_interval_0_to_0():
    pr = _hedged()
    assert [f"{pr.var(a):,.0f}" for a in (0.99, 0.95)] == ["0", "0"]
    lo, hi = pr.var_interval(0.99)
    assert hi is not None
    assert f"{lo:,.0f}–{hi:,.0f}" == "0–0"
    as_json = json.dumps(pr.to_dict())
    assert '"0.99": 0.0' in as_json and "-0.0" not in as_json


def test_a_loss_keeps_its_sign():
    # paths 0, -1, ..., -(n-1) USD: the 99% VaR is a loss of about 1% of n, positive
    n = 1_000
    pr = PortfolioResult(Portfolio({"spx": 1e6}, kind="notional"), "s", n,
                         samples=-np.arange(n, dtype=float))
    assert pr.var(0.99) == np.quantile(np.arange(n, dtype=float), 0.99)
    assert pr.var(0.99) > 0
