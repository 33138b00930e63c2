"""The plain reference of benchmarks/bench_demand.py agrees with the gauge's tails.

The benchmark asserts its plain-Python recursive tails equal the product's before it prints a
line. Since the auction tails wait for 52 scored auctions (not 52 daily rows), the reference
still gave the rows of 2015-10-21..2016-04-22 a tail where the gauge has none (133 days of
``auction_weakness_28d`` and ``auction_indirect_dev_28d_pp``): the benchmark died with
"nan location mismatch" and measured nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.realdata

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


def test_plain_tails_equal_the_gauge(demand_result):
    sys.path.insert(0, str(BENCH))
    try:
        from bench_demand import plain_tails
    finally:
        sys.path.remove(str(BENCH))
    ref = plain_tails(demand_result)
    got = demand_result.tails
    # the rows the fix is about: no tail before the 52nd scored auction
    jan = got.index.get_loc(got.loc["2016-01-06":].index[0])
    assert np.isnan(got["auction_weakness_28d"].iloc[jan])
    assert np.isnan(ref[jan, list(got.columns).index("auction_weakness_28d")])
    np.testing.assert_allclose(got.to_numpy(), ref, rtol=0, atol=1e-15, equal_nan=True)
