"""The server's scenario slots: a probe of whether they are all taken takes none of them."""

from __future__ import annotations

import contextlib
import sys
import threading

from spillwatch.api.actions import MAX_RUNS, Busy, ScenarioRunner


def test_a_busy_probe_never_refuses_the_last_free_slot():
    """``busy()`` (asked before a streamed run sends its 200) took a slot and gave it back: a
    run asking for the last free slot in that instant was refused "busy: 2 scenarios are
    running" while one ran. With one slot held and another thread probing, 20,000 runs asking
    for the last slot were refused 1,796 to 3,987 times (three runs); none may be."""
    runner = ScenarioRunner(views=None)  # type: ignore[arg-type]  # slots need no data
    stop = threading.Event()
    probes = 0

    def probe() -> None:
        nonlocal probes
        while not stop.is_set():
            runner.busy()
            probes += 1

    refused = 0
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    prober = threading.Thread(target=probe)
    try:
        with contextlib.ExitStack() as held:
            for _ in range(MAX_RUNS - 1):
                held.enter_context(runner.slot())
            prober.start()
            for _ in range(20_000):
                try:
                    with runner.slot():
                        pass
                except Busy:
                    refused += 1
            assert runner.busy() is False
    finally:
        stop.set()
        if prober.is_alive():
            prober.join()
        sys.setswitchinterval(interval)
    assert probes > 0
    assert refused == 0
    assert runner.busy() is False
    with runner.slot(), runner.slot():        # all slots taken: the next run is refused
        assert runner.busy() is True
        with contextlib.suppress(Busy), runner.slot():
            raise AssertionError("a third run was given a slot")
