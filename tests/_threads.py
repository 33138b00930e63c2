"""Test helper: wait until another thread has reached a given function."""

from __future__ import annotations

import sys
import threading
import time


def wait_in(thread: threading.Thread, function: str, timeout: float = 10.0, *,
            anywhere: bool = False) -> None:
    """Wait until ``thread`` runs (or waits) inside ``function`` (its innermost frame, or with
    ``anywhere`` any frame of its stack)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(thread.ident or -1)
        while frame is not None:
            if frame.f_code.co_name == function:
                return
            frame = frame.f_back if anywhere else None
        time.sleep(0.005)
    raise AssertionError(f"{thread.name} never reached {function}")
