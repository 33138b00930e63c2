"""What the stress dial draws and writes under it (h_mut21's mutants of ``plotting.gauge``).

The result is a stand-in holding what ``StressResult.latest()`` gives, as the dial's other
tests build it; the dial itself is the project's code.
"""

from __future__ import annotations

from _dial_result import dial_result

from spillwatch.plotting.gauge import BAND_COLORS, stress_gauge

_BASE = {"date": "2026-08-21", "stress": 0.214, "signature": "none", "fresh": True,
         "stale": [], "week_ago_percentile": None, "regime_held": None,
         "percentile": 62.4, "percentile_longrun": 58.0, "regime": "calm",
         "as_of": "2026-08-21"}


def _result(**latest):
    return dial_result(_BASE, **latest)


def _note(fig) -> str:
    return " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)


def test_the_bands_are_green_amber_and_red_at_the_regime_cut_offs():
    steps = stress_gauge(_result()).data[0].gauge.steps
    assert [tuple(s.range) for s in steps] == [(0, 80.0), (80.0, 95.0), (95.0, 100)]
    assert [s.color for s in steps] == list(BAND_COLORS)
    assert len(set(BAND_COLORS)) == 3


def test_a_stale_reading_says_so_and_names_each_stale_input_with_its_last_day():
    fig = stress_gauge(_result(
        fresh=False, stale=["usd_broad"], as_of="2026-08-21",
        inputs={"usd_broad": {"last": "2026-08-10"}}))
    note = " ".join(_note(fig).split())
    assert "as of 2026-08-21; stale: usd_broad (last 2026-08-10); the reading itself is stale" \
        in note


def test_a_rise_over_the_week_is_red_and_a_fall_blue():
    from spillwatch.plotting.style import COLORS

    up = stress_gauge(_result(percentile=62.4, week_ago_percentile=40.0)).data[0].delta
    assert up.reference == 62 - 22
    assert up.increasing.color == COLORS["trump"]          # more stress: the alarm colour
    assert up.decreasing.color == COLORS["dollar"]
