"""Settings of a ``spillwatch`` process, applied before numpy is first imported.

Three defaults, each measured on the 2-core machine (``benchmarks/bench_process.py``); a value
the user set in the environment is kept.

- **No huge-page advice.** numpy advises the kernel to back every array of 4 MiB or more with
  2 MiB transparent huge pages (``madvise(MADV_HUGEPAGE)``, on by default on Linux). A command
  allocates and frees many such arrays once each (the scenario engine's chunks, the stress
  history's frames, the report's tables), and the kernel zeroes a whole huge page before first
  use: a quarter of ``spillwatch run --demo``'s CPU time was the kernel clearing pages
  (``clear_page_erms`` in ``perf``). With the advice off its system time fell from 2.4 s to
  0.6 s, user time unchanged. Only where the memory comes from changes, not a number.
- **One OpenBLAS thread.** OpenBLAS starts a thread per core and keeps them spinning between
  calls, while spillwatch's matrices are small (a VAR of ten series, a 3x3 DCC): ``risk`` on the
  real store took 1.55 s with one thread instead of 1.82 s. It also makes the numbers the same on
  every machine: the GARCH fits' last digits depended on the thread count (TRUMP's t-GARCH ES
  19.8728 % with two threads, 19.8731 % with one). The scenario engine runs on one BLAS thread
  anyway (``spillwatch._compat.blas``).
- **Fewer garbage-collector passes.** CPython collects the young generation every 700 net
  allocations of container objects, and pandas allocates many: ``run --demo`` made 783 passes
  (0.45 s), ``report`` on the real store 832. A command is short-lived, so it collects every
  50,000 allocations instead (10 passes, 0.1 s); every object is still collected.
"""

from __future__ import annotations

import gc
import os

#: Allocations between young-generation collections, then the two older generations' counts.
GC_THRESHOLD = (50_000, 20, 20)
#: numpy's switch for the huge-page advice (read once, when numpy is imported).
HUGEPAGE_VAR = "NUMPY_MADVISE_HUGEPAGE"
#: OpenBLAS's thread count (read when numpy and scipy load their OpenBLAS).
BLAS_THREADS_VAR = "OPENBLAS_NUM_THREADS"


def prepare() -> None:
    """Set the process defaults above; call before anything imports numpy."""
    os.environ.setdefault(HUGEPAGE_VAR, "0")
    os.environ.setdefault(BLAS_THREADS_VAR, "1")
    gc.set_threshold(*GC_THRESHOLD)
