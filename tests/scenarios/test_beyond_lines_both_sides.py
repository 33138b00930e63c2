"""Each beyond-history line prints its points and lines as they are, on both sides (h_mut11).

The tests of 832297b read only the low side ("lo < line or hi > line"): the decimals chosen
from the 1% point alone, the lines back to whole numbers, or the 99% line drawn from the fall
all left the suite green; so did the ratio's two decimals cut to the fewest that keep it past
1 ("1.4x" for 1.38). Sized on the demo so that BTC's 99% point is +263.568% against a line of
+263.647% (two decimals tell them apart, its 1% point is apart whole).
"""

from __future__ import annotations

import math
import re

import pytest

NUM = r"([+-]\d+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def runs():
    """The two runs (the demo market's fit, about 2 s, made once here)."""
    from spillwatch.service import scenarios as service
    from spillwatch.service.workspace import Workspace

    with Workspace("demo") as ws:
        yield {seller: service.run(ws, service.scenario_spec(ws, sellers=[seller]),
                                   paths=2000, seed=7)
               for seller in ("japan:1.819292e+11:4w", "japan:5e11:4w")}


def _order(a: float, b: float) -> int:
    return (a > b) - (a < b)


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def test_each_point_and_line_is_printed_on_its_side(runs):
    res = runs["japan:1.819292e+11:4w"]
    warn = next(w for w in res.warnings() if w.startswith("beyond history: the 1%"))
    named = re.findall(rf"(\w+) {NUM}(?:%| bp) to {NUM}(?:%| bp) \(history [^;]*; the line "
                       rf"{NUM}(?:%| bp) to {NUM}(?:%| bp)\)", warn)
    assert "btc" in {k for k, *_ in named}, warn
    for key, lo, hi, line_lo, line_hi in named:
        q01, q99 = (float(v) for v in res.quantiles(key, (0.01, 0.99)))
        fall, rise = res.market.largest_moves(key, res.horizon)
        if res.market.is_yield[res.market.index(key)]:
            low, high = -1.5 * fall, 1.5 * rise
        else:       # a price's line: 1.5x its largest move in log terms, shown in percent
            low, high = 100 * math.expm1(-1.5 * fall / 100), 100 * math.expm1(1.5 * rise / 100)
        d = _decimals(lo)
        assert {_decimals(t) for t in (hi, line_lo, line_hi)} == {d}, (key, warn)
        assert (lo, hi, line_lo, line_hi) == tuple(
            f"{v:+.{d}f}" for v in (q01, q99, low, high)), (key, warn)
        # as printed, each point is on its line's side as it is
        for shown, at, value, line in ((lo, line_lo, q01, low), (hi, line_hi, q99, high)):
            assert _order(float(shown), float(at)) == _order(value, line), (key, warn)
        if key == "btc":
            assert q99 < high and hi != line_hi and d == 2, (q99, high, warn)


def test_the_peak_s_ratio_keeps_two_decimals(runs):
    res = runs["japan:5e11:4w"]
    warn = next(w for w in res.warnings() if w.startswith("beyond history: the 10-year"))
    peak, ratio, most = re.search(rf"median peak, {NUM} bp, is (\d+\.\d+)x .*?\({NUM} bp",
                                  warn).groups()
    assert _decimals(ratio) == 2, warn
    assert abs(float(ratio) - float(peak) / float(most)) < 0.01, warn
