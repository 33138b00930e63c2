"""The stress dial's band agrees with the regime it names, or says why it does not."""

from __future__ import annotations

import pytest
from _dial_result import dial_result

_BASE = {"date": "2022-05-09", "stress": 0.361, "signature": "none", "fresh": True,
         "stale": [], "week_ago_percentile": None, "regime_held": None}


def _result(**latest):
    return dial_result(_BASE, **latest)


def _band(value: float) -> str:
    return "crisis" if value >= 95 else "elevated" if value >= 80 else "calm"


@pytest.mark.parametrize(("pct", "longrun", "regime", "shown_lr"), [
    # ../shared/data as published by 2022-05-09: `spillwatch stress --as-of 2022-05-09` reads
    # "percentile 97, all history 94, elevated": the needle sat in the red band
    (97.08965681334479, 94.39252336448598, "elevated", 94),
    # 2022-12-06: percentile 94.3 (amber band), all history 95.8, crisis
    (94.344534, 95.771264, "crisis", 95),
])
def test_a_needle_in_another_band_than_the_regime_says_why(pct, longrun, regime, shown_lr):
    """The dial's needle is the recent percentile and its bands are the cut-offs 80 and 95, but
    crisis is entered on the all-history percentile alone: on 137 days of ../shared/data
    (2019-08-16, 2021-12-01, 2022-05-09, ...) the needle stood in the red band under "regime
    elevated", and on others in the amber band under "regime crisis", with no word and no mark
    of the rank that decided it. The title now names the all-history percentile, and the dial
    marks it (plotly's gauge threshold) where the regime was read."""
    from spillwatch.plotting.gauge import stress_gauge

    fig = stress_gauge(_result(percentile=pct, percentile_longrun=longrun, regime=regime))
    ind = fig.data[0]
    assert _band(ind.value) != regime                      # the contradiction being explained
    title = fig.layout.title.text.replace("<br>", " ")
    assert f"regime <b>{regime}</b>" in title
    assert f"all-history percentile (black mark), {shown_lr}," in title
    assert ind.gauge.threshold.value == shown_lr
    assert _band(ind.gauge.threshold.value) == regime


def test_a_needle_in_the_regime_s_band_is_drawn_as_before():
    """No note and no mark when the needle's band is the regime (2026-01-06: 10, calm)."""
    from spillwatch.plotting.gauge import stress_gauge

    fig = stress_gauge(_result(percentile=10.878636220273412,
                               percentile_longrun=16.2970106075217, regime="calm"))
    assert "all-history" not in fig.layout.title.text
    assert fig.data[0].gauge.threshold.value is None


def test_no_change_over_the_week_is_said_not_drawn_as_a_red_dash():
    """On 2020-03-18 (../shared/data as published by then) the percentile was 100 and 99.99 a
    week before: the headline read "+0 percentile points vs 2020-03-11", the dial a lone red
    "-" (plotly draws a delta of 0 as "-" in the rising colour, without its suffix "vs a week
    ago"). The dial now leaves the delta out and its title says "unchanged vs a week ago"; a
    change is still drawn as before."""
    from spillwatch.plotting.gauge import stress_gauge

    flat = stress_gauge(_result(date="2020-03-18", percentile=100.0, percentile_longrun=100.0,
                                regime="crisis", week_ago_percentile=99.99206785078488))
    assert "delta" not in flat.data[0].mode
    assert "(unchanged vs a week ago)" in flat.layout.title.text.replace("<br>", " ")
    moved = stress_gauge(_result(date="2026-01-06", percentile=10.878636220273412,
                                 percentile_longrun=16.2970106075217, regime="calm",
                                 week_ago_percentile=14.82125375989128))
    assert moved.data[0].mode == "gauge+number+delta"
    assert moved.data[0].value - moved.data[0].delta.reference == -4
    assert "unchanged" not in moved.layout.title.text
