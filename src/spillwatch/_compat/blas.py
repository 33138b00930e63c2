"""One BLAS thread where bits must not depend on the machine (fits, plans, Monte Carlo chunks).

Used by the scenario engine and by the GARCH and DCC fits of the analytics (whose last digits
depended on ``OPENBLAS_NUM_THREADS``: the CLI, which sets it to 1, and an app built in a process
that did not disagreed on TRUMP's 10-day volatility in the 4th digit).

OpenBLAS may sum in another order with another number of threads, so optimisers and matrix
products can differ in the last bits between a laptop, a server and a Dask worker (which runs
with ``OMP_NUM_THREADS=1``). Scenario code that must be byte-identical everywhere runs inside
:func:`one_blas_thread`. The controller is built once per process (``threadpoolctl``); entering
the limit then costs microseconds.
"""

from __future__ import annotations

import functools
from typing import Any

from threadpoolctl import ThreadpoolController


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """Context manager limiting BLAS to one thread (``with one_blas_thread(): ...``)."""
    return _controller().limit(limits=1, user_api="blas")
