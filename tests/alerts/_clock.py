"""A fake clock for the monitor tests: returns ``now`` and moves only when told."""

from __future__ import annotations

import datetime as dt


class FakeClock:
    """A clock for tests: ``clock()`` returns ``now``; ``sleep`` advances it instead of waiting."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start.replace(tzinfo=None)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float | dt.timedelta) -> None:
        """Move the clock forward."""
        self.now += seconds if isinstance(seconds, dt.timedelta) else dt.timedelta(
            seconds=seconds)

    def sleep(self, seconds: float) -> bool:
        """Advance by ``seconds`` instead of sleeping; returns False (not stopped)."""
        self.advance(seconds)
        return False
