"""One BLAS thread where bits must not depend on the machine (fits, plans, Monte Carlo chunks).

Used by the scenario engine and by the GARCH and DCC fits of the analytics (whose last digits
depended on ``OPENBLAS_NUM_THREADS``: the CLI, which sets it to 1, and an app built in a process
that did not disagreed on TRUMP's 10-day volatility in the 4th digit).

OpenBLAS may sum in another order with another number of threads, so optimisers and matrix
products can differ in the last bits between a laptop, a server and a Dask worker (which runs
with ``OMP_NUM_THREADS=1``). Scenario code that must be byte-identical everywhere runs inside
:func:`one_blas_thread`. The controller is built once per process (``threadpoolctl``); entering
the limit then costs microseconds.

OpenBLAS's thread count is one for the whole process, and threads share it: the server builds
views in a thread pool while a scenario runs. A ``threadpoolctl`` limit per ``with`` restored
the count it found on entry, so a build that entered first and left first put OpenBLAS back on
every core while another thread's fit still ran (its bits then those of two threads), and
``threadpoolctl`` lets only one Python thread at a time set the count (the others' limits did
nothing). So the limit is counted here: the first thread in sets one thread, the last one out
restores the count found by the first.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

from threadpoolctl import ThreadpoolController


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


#: Guards :data:`_inside` and :data:`_saved` (the threads inside the limit, the counts to restore)
_lock = threading.Lock()
_inside = 0
_saved: list[tuple[Any, int]] = []


def _set(lib: Any, n: int) -> None:
    """Set a BLAS library's thread count from this thread (every call holds :data:`_lock`)."""
    # threadpoolctl (3.8 here) lets only the thread that first set OpenBLAS's shared count set it
    # again, other threads' calls doing nothing: this thread takes that role for the call
    clear = getattr(type(lib), "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)
    try:
        lib.set_num_threads(n)
    finally:
        if clear is not None:
            clear(force=True)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread while any thread is inside (``with one_blas_thread(): ...``)."""
    global _inside
    with _lock:
        if _inside == 0:
            _saved[:] = [(lib, lib.num_threads) for lib in _controller().lib_controllers
                         if lib.user_api == "blas"]
            for lib, _ in _saved:
                _set(lib, 1)
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                for lib, n in _saved:
                    _set(lib, n)
                _saved.clear()
