"""A scenario's "beyond history" warnings never print a point on its line.

Whole numbers read "ust2y -138 bp to +172 bp (...; the line -138 bp to +217 bp)" for a 1% point
of -138.33 bp past a line of -138.27 bp (``scenario --seller japan:1.132031e+11:4w --demo
--paths 2000``), and "usd_broad -12% ... the line -12%" for -12.37% past -11.95%; the 10-year's
"median peak, +164 bp, is 1.00x the largest rise ... (+164 bp" for 164.04 against 163.97
(``--seller japan:3.634141e+11:4w``; since the peak is read against as many days of history
as it takes, the same edge is ``japan:2.800640e+11:4w``: 126.42 against 126.35 over 20 days).
"""

from __future__ import annotations

import pytest

from spillwatch._results import beside, p_value


@pytest.mark.parametrize(("value", "line", "text", "line_text"), [
    (-138.32679833546683, -138.2670124905, "-138.33", "-138.27"),
    (-12.367070405341682, -11.947986379015786, "-12.4", "-11.9"),
    (164.038973236084, 163.96548423900003, "+164.04", "+163.97"),
    (172.07606518033447, 217.31472459, "+172", "+217"),      # apart whole: as before
    (-80.2, -61.0, "-80", "-61"),
])
def test_a_point_and_its_line_print_on_their_sides(value, line, text, line_text):
    d = beside((value, line))
    assert (f"{value:+.{d}f}", f"{line:+.{d}f}") == (text, line_text)
    shown, at = float(f"{value:.{d}f}"), float(f"{line:.{d}f}")
    assert (shown > at) == (value > line) and (shown < at) == (value < line)


def test_a_ratio_just_past_one_does_not_read_one():
    ratio = 164.038973236084 / 163.96548423900003
    r = beside((ratio, 1.0), least=2, most=8)
    assert f"{ratio:.{r}f}x" == "1.0004x"


def test_two_points_and_their_lines_share_decimals_that_keep_both():
    """One point apart at one decimal and the other at two: two decimals keep both."""
    d = beside((-12.37, -11.95), (-138.33, -138.27))
    assert d == 2


@pytest.mark.parametrize(("p", "text"), [
    (0.05025, "0.0503"),        # "Kupiec p=0.050 ... pass": a pass is p > 0.05
    (0.0497, "0.0497"),         # apart at one decimal (0.0 vs 0.1), not at three (0.050)
    (0.04951, "0.0495"),
    (0.05, "0.050"),
    (0.2, "0.200"),
    (0.0, "0.000"),
])
def test_a_p_value_reads_on_its_side_of_five_percent(p, text):
    assert p_value(p) == text



NUM = r"([+-]\d+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def demo():
    from spillwatch.service.workspace import Workspace

    with Workspace("demo") as ws:
        yield ws


def _run(ws, seller):
    from spillwatch.service import scenarios as service

    return service.run(ws, service.scenario_spec(ws, sellers=[seller]), paths=2000, seed=7)


def test_the_10_year_peak_just_past_its_largest_rise_reads_past_it(demo):
    """Sized so the demo's median peak is 126.42 bp against a largest 20-day rise of 126.35 bp."""
    import re

    res = _run(demo, "japan:2.800640e+11:4w")
    warn = next(w for w in res.warnings() if w.startswith("beyond history: the 10-year"))
    peak, ratio, most = re.search(rf"median peak, {NUM} bp, is (\d+\.\d+)x .*?\({NUM} bp",
                                  warn).groups()
    assert float(peak) > float(most) and float(ratio) > 1, warn
    assert "over 20 business days" in warn


def test_a_1pct_point_just_past_its_line_reads_past_it(demo):
    """Sized so ust2y's 1% point is -138.33 bp against a line of -138.27 bp (usd_broad's
    -12.37% against -11.95% in the same run)."""
    import re

    res = _run(demo, "japan:1.132031e+11:4w")
    warn = next(w for w in res.warnings() if w.startswith("beyond history: the 1%"))
    named = re.findall(rf"(\w+) {NUM}(?:%| bp) to {NUM}(?:%| bp) \(history [^;]*; the line "
                       rf"{NUM}(?:%| bp) to {NUM}(?:%| bp)\)", warn)
    assert {"ust2y", "usd_broad"} <= {k for k, *_ in named}, warn
    for key, lo, hi, line_lo, line_hi in named:
        assert float(lo) < float(line_lo) or float(hi) > float(line_hi), (key, warn)
