"""Settings of a ``spillwatch`` process, applied before numpy is first imported.

numpy advises the kernel to back every array of 4 MiB or more with 2 MiB transparent huge pages
(``madvise(MADV_HUGEPAGE)``, on by default on Linux). A command allocates and frees many such
arrays once each (the scenario engine's chunks, the stress history's frames, the report's
tables), and the kernel zeroes a whole huge page before first use: on the 2-core machine a
quarter of ``spillwatch run --demo``'s CPU time was the kernel clearing pages
(``clear_page_erms`` in ``perf``), and with the advice off its system time fell from about
1.7 s to 0.6 s with no change in user time (``benchmarks/bench_process.py`` measures it). The
numbers computed do not change: only where the memory comes from.

A value the user set in the environment is kept.

The cyclic garbage collector runs a young-generation pass every 700 net allocations of container
objects (CPython's default), and pandas allocates many: ``run --demo`` made 783 passes costing
0.45 s, ``report`` on the real store 832. A command is short-lived and its cycles are few, so it
collects every 50,000 allocations instead (10 passes, 0.1 s); every object is still collected.
"""

from __future__ import annotations

import gc
import os

#: Allocations between young-generation collections, then the two older generations' counts.
GC_THRESHOLD = (50_000, 20, 20)
#: numpy's switch for the huge-page advice (read once, when numpy is imported).
HUGEPAGE_VAR = "NUMPY_MADVISE_HUGEPAGE"


def prepare() -> None:
    """Set the process defaults above; call before anything imports numpy."""
    os.environ.setdefault(HUGEPAGE_VAR, "0")
    gc.set_threshold(*GC_THRESHOLD)
