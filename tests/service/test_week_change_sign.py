"""The headline's week change of the stress percentile, as the dial shows it."""

from __future__ import annotations

import pytest

from spillwatch.service.summary import Headline


def _stress(pct: float, week_ago: float) -> dict:
    return {"percentile": pct, "percentile_longrun": 40.0, "regime": "calm", "stress": 0.1,
            "date": "2025-03-31", "signature": "none", "week_ago_percentile": week_ago,
            "week_ago_date": "2025-03-24", "fresh": True}


@pytest.mark.parametrize(("pct", "week_ago", "said"), [
    (50.2, 50.4, "0"), (50.4, 50.2, "0"), (10.88, 14.82, "-4"), (80.17, 37.36, "+43"),
    (95.67, 93.17, "+2")])
def test_the_week_change_is_the_dial_s_rounded_difference_without_a_signed_zero(
        pct, week_ago, said):
    """A percentile 0.2 below its week-ago reading printed "-0 percentile points vs ..." beside
    the dial's delta of 0 (the dial places its reference at the headline's rounded change:
    ``round(pct - week_ago)``). The line prints that same whole number, and no change in words
    as the dial does ("unchanged vs a week ago", where it read "+0 percentile points")."""
    line = Headline("2025-03-31", False, [], _stress(pct, week_ago), None, None, None,
                    []).lines()[0]
    if said == "0":
        assert "; unchanged vs 2025-03-24 (as read on these data)" in line, line
        assert "percentile points" not in line
    else:
        assert f"; {said} percentile points vs 2025-03-24" in line, line
    assert int(said) == round(pct - week_ago)
