"""The GARCH and DCC fits give the same bits whatever the BLAS thread count.

``spillwatch`` sets ``OPENBLAS_NUM_THREADS=1`` for its own process (cli/_process.py), but keeps a
value the user exported, and an app built with ``create_app`` in another process (the API tests,
a notebook) runs with one thread per core: TRUMP's 10-day volatility on ../shared/data read
5.6493 there and 5.6502 from ``spillwatch volatility --json``, its 99% FHS ES 20.91715% against
20.91710%, for the same request.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import OpenBLASController, ThreadpoolController

from spillwatch._compat.blas import one_blas_thread
from spillwatch.analytics.volatility.correlation import DynamicCorrelation
from spillwatch.analytics.volatility.garch import Volatility


def _garch_t(seed: int, n: int = 1500) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.standard_t(4, n) / np.sqrt(2.0)
    x, h = np.empty(n), 1.0
    for t in range(n):
        if t:
            h = 0.05 + 0.1 * x[t - 1] ** 2 + 0.85 * h
        x[t] = np.sqrt(h) * e[t]
    return x


def test_fits_do_not_depend_on_the_blas_thread_count():
    frame = pd.DataFrame({f"a{i}_pct": _garch_t(i) for i in range(4)},
                         index=pd.bdate_range("2018-01-01", periods=1500, name="date"))
    controller = ThreadpoolController()
    got = {}
    for threads in (1, 2):
        with controller.limit(limits=threads, user_api="blas"):
            vol = Volatility(model="auto").fit(frame)
            dcc = DynamicCorrelation().fit(frame)
        got[threads] = ({s: f.params.to_dict() for s, f in vol.fits.items()}, dcc.params)
    # exact: before, 20 of the 4 series' 20 parameters differed (a0's beta 0.911136 against
    # 0.911134) and the DCC's a read 3.9e-13 against 0.0
    assert got[1] == got[2]


@pytest.mark.parametrize("outer", ["released", "held"])
def test_one_blas_thread_holds_while_another_thread_leaves_first(outer):
    """OpenBLAS's thread count is one for the process, and each ``with one_blas_thread()``
    restored the count it found on entry: a view build (or scenario chunk) that entered first
    and left first put OpenBLAS back on two threads while another thread's fit still ran, and
    the latter then left the process on one thread for good. On ../shared/data three of six
    volatility fits run beside such a build gave other parameters than the fit run alone
    (TRUMP's, BTC's, ETH's: the series being fitted when the other left). threadpoolctl also
    lets only one Python thread set the count: under a limit another thread holds
    (``outer="held"``), one_blas_thread did nothing at all."""
    controller = ThreadpoolController()

    def count() -> set[int]:
        return {lib.num_threads for lib in controller.lib_controllers if lib.user_api == "blas"}

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, set[int]] = {}

    def first() -> None:
        with one_blas_thread():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with one_blas_thread():
            second_in.set()
            first_out.wait(10)
            seen["inside, the first gone"] = count()

    with controller.limit(limits=2, user_api="blas"):
        if count() != {2}:
            pytest.skip("OpenBLAS cannot run two threads here (one core): nothing to lift")
        if outer == "released":
            # the process on two threads, no thread holding a limit (an app built outside the CLI)
            OpenBLASController.clear_controlling_thread()
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        seen["after both"] = count()
    assert seen == {"inside, the first gone": {1}, "after both": {2}}
