"""The one-off build slots: refused requests keep their turn and are told when to come back."""

from __future__ import annotations

import pytest

from spillwatch.api.admission import FIRST_GUESS_S, GRACE_S, Refused, TurnSlots


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refused(slots: TurnSlots, turn: str) -> Refused:
    with pytest.raises(Refused) as no:
        slots.take(turn)
    return no.value


def test_a_slot_that_frees_goes_to_the_first_turn_refused():
    """The slots went to whoever asked when one freed: one date was refused seven times while
    later dates went through."""
    clock = Clock()
    slots = TurnSlots(2, clock=clock)
    a, b = slots.take("2025-04-01"), slots.take("2025-04-02")
    assert refused(slots, "2025-04-03").place == 0
    assert refused(slots, "2025-04-04").place == 1
    clock.now += 3
    slots.give_back(a)
    # the fourth date asks first: the freed slot is the third's
    no = refused(slots, "2025-04-04")
    assert no.place == 1
    c = slots.take("2025-04-03")
    # a newcomer comes after both
    assert refused(slots, "2025-04-05").place == 1
    slots.give_back(b)
    d = slots.take("2025-04-04")
    slots.give_back(c)
    slots.give_back(d)
    assert slots.take("2025-04-05")


def test_retry_after_is_when_a_slot_is_expected_to_free():
    """A fixed 5 s was short of a build's 5-13 s: the client came back to be refused again."""
    clock = Clock()
    slots = TurnSlots(1, clock=clock)
    assert slots.mean_s == FIRST_GUESS_S
    for took in (12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0):
        t = slots.take("x")
        clock.now += took
        slots.give_back(t)
    mean = slots.mean_s
    assert 11.5 < mean < 12.0          # the builds' time, weighted to the last ones
    slots.take("running")
    clock.now += 4
    first = refused(slots, "first")
    assert first.retry_after_s == pytest.approx(mean - 4, abs=1)    # what the running has left
    second = refused(slots, "second")
    assert second.retry_after_s == pytest.approx(mean - 4 + mean, abs=1)  # one more build
    # asked again before its time, a turn keeps its place and hears the time left
    clock.now += 2
    assert refused(slots, "first").retry_after_s == pytest.approx(mean - 6, abs=1)
    assert refused(slots, "second").place == 1


def test_a_place_not_claimed_in_time_lapses():
    clock = Clock()
    slots = TurnSlots(1, clock=clock)
    t = slots.take("a")
    no = refused(slots, "gone")
    clock.now += 1
    slots.give_back(t)
    assert refused(slots, "next").place == 1       # held for the refused turn
    clock.now += no.retry_after_s + GRACE_S + 1   # it never came back
    assert slots.take("next")
