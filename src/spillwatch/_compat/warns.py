"""``warnings.catch_warnings`` one thread at a time.

Python's warning filters (and its ``showwarning`` hook) are one list for the whole process, and
``catch_warnings`` saves it on entry and puts it back on exit. Two blocks in two threads that do
not close in the reverse order of their opening leave the filters of the block that closed
first in place for good: the server runs scenarios (variance-targeting GARCH margins) beside its
view builds (volatility fits, CoVaR, spillover), and after one burst of requests its process
kept ``('ignore', None, Warning)`` at the head of its filters, every later warning of every
library dropped. A recording block also collected another thread's warnings as its own.

Every block of spillwatch that changes the filters goes through :func:`catch_warnings`, which
holds one process lock (re-entrant: a block may open inside another of the same thread) for
as long as the block runs, so the blocks close in order. Keep such blocks to the call that
needs them: another thread's block waits meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator

#: Held while a block runs (re-entrant for nested blocks of one thread).
_LOCK = threading.RLock()


@contextlib.contextmanager
def catch_warnings(*, record: bool = False) -> Iterator[list[warnings.WarningMessage] | None]:
    """``warnings.catch_warnings(record=record)`` while no other thread is inside one."""
    with _LOCK, warnings.catch_warnings(record=record) as caught:
        yield caught
