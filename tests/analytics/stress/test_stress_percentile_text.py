"""The headline's whole-number percentiles agree with the regime printed beside them."""

from __future__ import annotations

import pytest

import spillwatch as sw


def test_whole_percentile_rounds_down_to_the_cut_offs():
    """The regime reads ``>= 80`` and ``>= 95`` on the unrounded percentile; the headline
    rounded to nearest, so 79.96 printed "80" beside "calm" and 94.65 "95" beside
    "elevated" (the crisis cut-off is a long-run 95)."""
    from spillwatch.analytics.stress._results import whole_percentile

    assert whole_percentile(79.9620870458874) == "79"
    assert whole_percentile(94.65449804432855) == "94"
    assert whole_percentile(95.0) == "95"
    assert whole_percentile(100.0) == "100"
    assert whole_percentile(0.4) == "0"


@pytest.mark.realdata
@pytest.mark.parametrize(("end", "printed", "regime"), [
    # 1990-12-04: percentile 79.99, all history 78.19 -> calm; rounded to nearest it would
    # print "percentile 80" (2025-03-31's 79.96 was the case until the yuan's rates held
    # through China's holidays stopped counting as zero moves: now 80.2, elevated)
    ("1990-12-04", "(percentile 79, all history 78, calm)", "calm"),
    # 2022-07-01: percentile 95.36, all history 94.65 -> elevated; it printed "all history 95"
    ("2022-07-01", "(percentile 95, all history 94, elevated)", "elevated"),
])
def test_headline_percentiles_do_not_contradict_the_regime(real_db, end, printed, regime):
    """On 122 days since 1973 the headline's rounded percentile crossed a regime cut-off the
    unrounded one had not: "percentile 80 ... calm" (57 days) or "all history 95 ...
    elevated" (65 days)."""
    res = sw.stress(real_db, end=end)
    last = res.latest()
    assert last["regime"] == regime
    assert printed in res.headline, res.headline
    lo, hi = res.spec.thresholds
    shown = [int(x) for x in printed.strip("()").replace(",", "").split() if x.isdigit()]
    # a printed figure is at or above a cut-off exactly when the value is
    for value, text in zip((last["percentile"], last["percentile_longrun"]), shown, strict=True):
        assert (text >= lo) == (value >= lo) and (text >= hi) == (value >= hi)
