"""The one-off build slots: refused requests keep their turn and are told when to come back."""

from __future__ import annotations

import pytest

from spillwatch.api.admission import FIRST_GUESS_S, GRACE_S, LINE_MAX, Refused, TurnSlots


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
    third = refused(slots, "2025-04-03")
    assert third.place == 0
    assert refused(slots, "2025-04-04").place == 1
    clock.now += third.retry_after_s
    slots.give_back(a)
    # the fourth date asks first, when the third is due back: the freed slot is the third's
    assert refused(slots, "2025-04-04").place == 1
    c = slots.take("2025-04-03")
    # a newcomer comes after the fourth
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
    for _ in range(10):
        t = slots.take("x")
        clock.now += 12.0
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
    # a build past the mean is given half a mean more, not "1 s" again and again ("first",
    # not back within GRACE_S of its time, has lost its place: "second" is first in line)
    clock.now += mean
    head = refused(slots, "second")
    assert head.place == 0 and head.retry_after_s == pytest.approx(mean / 2, abs=1)


def test_places_never_claimed_hold_no_slot_idle():
    """40 requests of one client that never came back held both slots idle for 170 s (their
    places kept the freed slots until they lapsed): a freed slot is kept only for turns due
    back by then, a place lapses GRACE_S after it was due, and the line is at most LINE_MAX."""
    clock = Clock()
    slots = TurnSlots(2, clock=clock)
    a, b = slots.take("busy 1"), slots.take("busy 2")
    told = [refused(slots, f"gone {i}") for i in range(40)]
    assert [r.place for r in told[:LINE_MAX]] == list(range(LINE_MAX))
    assert all(r.place == LINE_MAX for r in told[LINE_MAX:])   # beyond the line: no place
    clock.now += 1
    slots.give_back(a)
    slots.give_back(b)
    # none of those ahead is due back yet: the free slots are not held for them
    assert slots.take("comes now")
    # a place due now holds a slot, until GRACE_S after it was due
    clock.now = 1000 + told[0].retry_after_s
    assert refused(slots, "later").place >= 1
    # every place lapsed: the slot is the newcomer's
    clock.now = 1000 + max(r.retry_after_s for r in told) + GRACE_S + 1
    assert slots.take("later")
