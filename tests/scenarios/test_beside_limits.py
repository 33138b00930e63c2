"""``beside`` and ``p_value`` at their limits (h_mut11: a ``most`` of 4 in ``p_value`` and
``least`` returned when no decimals keep a pair apart both left the suite green)."""

from __future__ import annotations

from spillwatch._results import beside, p_value


def test_a_p_value_a_ten_millionth_past_five_percent_reads_past_it():
    # 0.0500001 at 3 to 6 decimals reads 0.050... (on the line); at 7 "0.0500001"
    assert p_value(0.0500001) == "0.0500001"
    assert p_value(0.0499999) == "0.0499999"


def test_no_decimals_up_to_most_keep_it_apart_gives_most():
    """The most digits allowed, not the fewest: the nearest it can be read."""
    assert beside((0.0500000001, 0.05), least=3, most=8) == 8
    assert p_value(0.0500000001) == "0.05000000"
    assert beside((1.0 + 1e-9, 1.0)) == 6
