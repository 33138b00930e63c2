"""The build-time mean behind ``Retry-After``: an exponentially weighted mean, 0.3 on the newest."""

from __future__ import annotations

import pytest

from spillwatch.api.admission import FIRST_GUESS_S, WEIGHT, TurnSlots


def test_one_build_moves_the_mean_by_its_weight_only():
    """A first build of 8 s after the 5 s guess: 0.7 x 5 + 0.3 x 8 = 5.9 s (the docstring's).

    The weights swapped (0.3 on the old mean) make one slow build set ``Retry-After`` almost
    alone: 0.3 x 5 + 0.7 x 8 = 7.1 s; ten equal builds cannot tell the two apart.
    """
    now = [0.0]
    slots = TurnSlots(1, clock=lambda: now[0])
    assert (FIRST_GUESS_S, WEIGHT) == (5.0, 0.3)
    ticket = slots.take("2025-04-09")
    now[0] = 8.0
    slots.give_back(ticket)
    assert slots.mean_s == pytest.approx(5.9, abs=1e-12)
    ticket = slots.take("2025-04-10")
    now[0] = 8.0 + 2.0
    slots.give_back(ticket)
    assert slots.mean_s == pytest.approx(0.7 * 5.9 + 0.3 * 2.0, abs=1e-12)


def test_a_turn_late_by_less_than_the_grace_keeps_its_slot():
    """A refused turn back a second after its ``Retry-After`` still has its place (GRACE_S = 3 s).

    Without the grace a client on time to the second, but for its own round trip, lost its
    place to a newcomer and was refused again.
    """
    from spillwatch.api.admission import GRACE_S, Refused

    assert GRACE_S == 3.0
    now = [100.0]
    slots = TurnSlots(1, clock=lambda: now[0])
    busy = slots.take("busy")
    with pytest.raises(Refused) as first:
        slots.take("2025-04-09")
    due = 100.0 + first.value.retry_after_s
    now[0] = due + 1.0
    slots.give_back(busy)
    with pytest.raises(Refused):            # the free slot is kept for the turn due back
        slots.take("newcomer")
    assert slots.take("2025-04-09")         # ... which takes it


def test_a_slot_freed_a_moment_before_a_turn_is_due_is_kept_for_it():
    """A slot freed under a second before a refused turn is due back is held for that turn.

    ``Retry-After`` is whole seconds, rounded up: a slot freeing half a second early went to a
    newcomer, and the turn that came back on time was refused again.
    """
    from spillwatch.api.admission import Refused

    now = [100.0]
    slots = TurnSlots(1, clock=lambda: now[0])
    busy = slots.take("busy")
    with pytest.raises(Refused) as first:
        slots.take("2025-04-09")
    now[0] = 100.0 + first.value.retry_after_s - 0.5
    slots.give_back(busy)
    with pytest.raises(Refused):
        slots.take("newcomer")
    now[0] += 0.5
    assert slots.take("2025-04-09")
