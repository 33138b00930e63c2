"""Slots for the builds the cache cannot answer, given in turn, with an honest ``Retry-After``.

A view of a past evening or of a window of its own is built on request, at most a few at a
time (each holds a worker thread and a core). A request beyond the slots is refused at once
(``503 busy``, not queued on a thread), and two things are said and kept to:

- **when to come back**: the time a slot is expected to free, from how long the builds take
  here (an exponentially weighted mean of the last builds, started at
  :data:`FIRST_GUESS_S`) and how long the running ones have run; a request further back in
  line is told a later time. (A fixed 5 s was short of a summary's 5–13 s behind the plotly
  lock, and the client came back to be refused again.)
- **its turn**: a refused request takes a place in line under its turn (its date, or its
  view's key), due back at its ``Retry-After``; a slot that frees is kept for the turns ahead
  that are due back by then, and a newcomer is refused while they are. A place lapses
  :data:`GRACE_S` after it was due, and the line holds at most :data:`LINE_MAX` places, so
  requests that never come back hold no slot for long. (Without a line, the slots went to
  whoever asked at the moment one freed: one date was refused seven times while later dates
  went through; a line whose places held free slots until they lapsed let one client's 40
  unclaimed places idle both slots for 170 s.)
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds a build is expected to take before one has been measured.
FIRST_GUESS_S = 5.0
#: Weight of the last build in the mean of build times.
WEIGHT = 0.3
#: Seconds a place in line is kept past its ``Retry-After``.
GRACE_S = 3.0
#: Most places in line (a request refused beyond them is told the time and takes none).
LINE_MAX = 8


class Refused(Exception):
    """No slot for this turn now: come back in ``retry_after_s`` seconds."""

    def __init__(self, retry_after_s: int, place: int, slots: int) -> None:
        super().__init__(f"place {place + 1} in line for {slots} slot(s)")
        self.retry_after_s = retry_after_s
        self.place = place
        self.slots = slots


class TurnSlots:
    """``slots`` build slots, given to turns in the order they were first refused.

    Parameters
    ----------
    slots : int
        Builds at once.
    clock : callable
        Seconds, monotonic (a fake clock in tests).

    Examples
    --------
    >>> now = [0.0]
    >>> s = TurnSlots(1, clock=lambda: now[0])
    >>> with s.slot("2025-04-09"):
    ...     try:
    ...         with s.slot("2025-04-10"):
    ...             pass
    ...     except Refused as r:
    ...         print(r.retry_after_s, r.place)
    ...     now[0] = 8.0
    5 0
    >>> s.mean_s                   # 0.7 x 5 + 0.3 x 8
    5.9
    """

    def __init__(self, slots: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.slots = slots
        self.clock = clock
        self.mean_s = FIRST_GUESS_S
        self._lock = threading.Lock()
        self._running: dict[int, float] = {}
        self._line: OrderedDict[str, float] = OrderedDict()   # turn -> when it is due back
        self._ticket = 0

    def _wait_s(self, place: int, now: float) -> float:
        """Seconds until the turn at ``place`` in line (0: first) is expected to get a slot.

        A running build frees its slot after the mean build time less what it has run (one
        already past the mean, after half a mean more: "1 s" was said 13 times over to a
        client behind a long build); each turn ahead takes the first slot to free and holds it
        a mean build time.
        """
        free_at = [self.mean_s - (now - t) if now - t < self.mean_s else self.mean_s / 2
                   for t in self._running.values()]
        free_at += [0.0] * (self.slots - len(free_at))
        heapq.heapify(free_at)
        for _ in range(place):
            heapq.heappush(free_at, heapq.heappop(free_at) + self.mean_s)
        return free_at[0]

    def take(self, turn: str) -> int:
        """A slot for ``turn`` (a ticket to :meth:`give_back`), else :class:`Refused`."""
        with self._lock:
            now = self.clock()
            for t in [t for t, due in self._line.items() if due + GRACE_S < now]:
                del self._line[t]
            free = self.slots - len(self._running)
            ahead = list(self._line)
            place = ahead.index(turn) if turn in self._line else len(ahead)
            # a free slot is kept for the turns ahead that are due back by now (1 s early
            # counts); one due later does not hold it idle
            waiting = sum(1 for t in ahead[:place] if self._line[t] <= now + 1)
            if waiting < free:
                self._line.pop(turn, None)
                self._ticket += 1
                self._running[self._ticket] = now
                return self._ticket
            retry = max(1, math.ceil(self._wait_s(place, now)))
            if turn in self._line or len(self._line) < LINE_MAX:
                self._line[turn] = now + retry
            raise Refused(retry, place, self.slots)

    def give_back(self, ticket: int) -> None:
        """Free the slot of ``ticket``; its build time enters the mean."""
        with self._lock:
            started = self._running.pop(ticket)
            took = self.clock() - started
            self.mean_s = (1 - WEIGHT) * self.mean_s + WEIGHT * took

    @contextmanager
    def slot(self, turn: str) -> Iterator[None]:
        """Hold a slot for ``turn`` while the block runs (:class:`Refused` if none)."""
        ticket = self.take(turn)
        try:
            yield
        finally:
            self.give_back(ticket)
