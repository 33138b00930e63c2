"""Retry-After is rounded up: a client told to come back never returns before a slot frees."""

from __future__ import annotations

import pytest

from spillwatch.api.admission import FIRST_GUESS_S, Refused, TurnSlots


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_retry_after_is_the_wait_rounded_up():
    """One slot, a build running for 0.5 s of the first guess's 5 s: the slot is expected to
    free in 4.5 s, so Retry-After is 5, not 4 (rounded down the client came back 0.5 s early
    and was refused again); a wait of exactly 4 s is 4."""
    assert FIRST_GUESS_S == 5.0
    clock = Clock()
    slots = TurnSlots(1, clock=clock)
    slots.take("running")
    clock.now += 0.5
    with pytest.raises(Refused) as no:
        slots.take("waiting")
    assert no.value.retry_after_s == 5
    clock.now += 0.5
    with pytest.raises(Refused) as again:
        slots.take("waiting")
    assert again.value.retry_after_s == 4


def test_a_turn_due_back_within_a_second_keeps_the_freed_slot():
    """A freed slot is kept for a turn ahead that is due back by now, a second early counting
    (its client's clock and the rounding of Retry-After): a newcomer asking 0.5 s before that
    turn's time is refused, and the turn, back on time, gets the slot."""
    clock = Clock()
    slots = TurnSlots(1, clock=clock)
    a = slots.take("running")
    with pytest.raises(Refused) as no:
        slots.take("turn")
    back = no.value.retry_after_s
    assert back == 5
    clock.now += 1.0
    slots.give_back(a)                       # the slot frees 1 s in
    clock.now += back - 1.0 - 0.5            # 0.5 s before the turn is due back
    with pytest.raises(Refused) as newcomer:
        slots.take("newcomer")
    assert newcomer.value.place == 1
    clock.now += 0.5
    assert slots.take("turn")


def test_a_turn_back_within_the_grace_keeps_its_place():
    """A place in line is kept ``GRACE_S`` (3 s) past its Retry-After: a client 2 s late is
    still first in line (a newcomer is second), one 4 s late has lost it."""
    from spillwatch.api.admission import GRACE_S

    assert GRACE_S == 3.0
    clock = Clock()
    slots = TurnSlots(1, clock=clock)
    slots.take("running")                   # a long build: the slot stays taken
    with pytest.raises(Refused) as no:
        slots.take("turn")
    clock.now += no.value.retry_after_s + 2.0
    with pytest.raises(Refused) as newcomer:
        slots.take("newcomer")
    assert newcomer.value.place == 1
    with pytest.raises(Refused) as late:
        slots.take("turn")
    assert late.value.place == 0
