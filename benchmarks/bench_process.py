"""Benchmark: whole ``spillwatch`` commands with the process settings of ``cli/_process.py``.

``ours`` runs a command as a user does (``python -m spillwatch …``: numpy's huge-page advice off,
one OpenBLAS thread, fewer collector passes); ``baseline`` runs the same typer application in a
process that skips those settings (numpy's and OpenBLAS's defaults, CPython's collector),
measured in the same run, alternating, ``REPEAT`` times each. Times are medians of wall time; the
line also gives the median user and system CPU seconds of each (ours/baseline). Peak RSS is the
largest of the command's own runs (``os.wait4``).

Run: ``/work/venv/bin/python benchmarks/bench_process.py``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

REPEAT = 5
#: The command line's application without ``main()`` (so without ``_process.prepare()``).
BASELINE = ("import sys; from spillwatch.cli import _app_for; a = sys.argv[1:]; "
            "sys.exit(_app_for(a)(args=a, standalone_mode=False) or 0)")
VARS = ("NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_NUM_THREADS")


def one(argv: list[str]) -> tuple[float, float, float, float]:
    """Wall, user, system seconds and peak RSS (MB) of one run of ``argv``."""
    env = {k: v for k, v in os.environ.items() if k not in VARS}
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{' '.join(argv)} exited with {proc.returncode}")
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024.0


def bench(name: str, args: list[str]) -> None:
    """Print the benchmark line of ``spillwatch *args``."""
    runs: dict[str, list[tuple[float, float, float, float]]] = {"ours": [], "baseline": []}
    for _ in range(REPEAT):
        runs["ours"].append(one([sys.executable, "-m", "spillwatch", *args]))
        runs["baseline"].append(one([sys.executable, "-c", BASELINE, *args]))
    med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
    peak = max(r[3] for v in runs.values() for r in v)
    print(f"{name}: ours={med['ours'][0]:.3f}s baseline={med['baseline'][0]:.3f}s "
          f"ratio={med['ours'][0] / med['baseline'][0]:.2f}x peak_rss={peak:.0f}MB "
          f"user={med['ours'][1]:.2f}/{med['baseline'][1]:.2f}s "
          f"sys={med['ours'][2]:.2f}/{med['baseline'][2]:.2f}s (medians of {REPEAT})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench("run --demo", ["run", "--demo", "--json", "--out", os.path.join(tmp, "report")])
    bench("risk --demo", ["risk", "--demo", "--json"])
    bench("spillover --demo", ["spillover", "--demo", "--json"])


if __name__ == "__main__":
    main()
