"""Benchmark: a whole ``spillwatch run --demo --json`` with and without numpy's huge-page advice.

``ours`` is the command as it runs (``spillwatch.cli._process`` turns numpy's
``MADV_HUGEPAGE`` advice off before numpy is imported); ``baseline`` is the same command with
``NUMPY_MADVISE_HUGEPAGE=1`` (numpy's own default on Linux), measured in the same run,
alternating, ``REPEAT`` times each. Times are medians of wall time, and the line also gives the
median user and system CPU seconds of each (the saving is in the kernel's page clearing, i.e.
system time). Peak RSS is the largest of the command's runs.

Run: ``/work/venv/bin/python benchmarks/bench_process.py``
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPEAT = 5
COMMAND = [sys.executable, "-m", "spillwatch", "run", "--demo", "--json"]


def one(env: dict[str, str], out: str) -> tuple[float, float, float, float]:
    """Wall, user, system seconds and peak RSS (MB) of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([*COMMAND, "--out", out], env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime,
            after.ru_maxrss / 1024.0)


def main() -> None:
    base = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    runs: dict[str, list[tuple[float, float, float, float]]] = {"ours": [], "baseline": []}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report")
        for _ in range(REPEAT):
            runs["ours"].append(one(base, out))
            runs["baseline"].append(one({**base, "NUMPY_MADVISE_HUGEPAGE": "1"}, out))
    med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
    peak = max(r[3] for v in runs.values() for r in v)
    print(f"run --demo: ours={med['ours'][0]:.3f}s baseline={med['baseline'][0]:.3f}s "
          f"ratio={med['ours'][0] / med['baseline'][0]:.2f}x peak_rss={peak:.0f}MB "
          f"user={med['ours'][1]:.2f}/{med['baseline'][1]:.2f}s "
          f"sys={med['ours'][2]:.2f}/{med['baseline'][2]:.2f}s (ours/baseline, medians of "
          f"{REPEAT})")


if __name__ == "__main__":
    main()
