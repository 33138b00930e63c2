"""Helpers shared by the benchmark scripts: timing, peak RSS, the shared data folder."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spillwatch.config import find_shared_data


def shared_data_or_exit() -> Path:
    """Return ../shared/data or exit with a clear message."""
    path = find_shared_data(Path(__file__).resolve().parent)
    if path is None:
        sys.exit("benchmark needs ../shared/data (the real data set) beside the repository, "
                 "or $SPILLWATCH_SHARED_DATA naming it")
    return path


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Run ``fn`` ``repeat`` times; return the best wall time and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def line(name: str, ours: float, baseline: float, extra: str = "",
         target: float | None = None) -> str:
    """The standard benchmark line: ``ratio`` is always ours / baseline (below 1: faster).

    With ``target`` (the largest ratio the benchmark promises) the line ends with
    ``[target <= Tx: OK]`` or ``MISSED``. Times and ratios keep three significant digits
    (0.169 s against 34.7 s printed ``0.00x``).
    """
    ratio = ours / baseline
    verdict = "" if target is None else (
        f" [target <= {target:g}x: {'OK' if ratio <= target else 'MISSED'}]")
    return (f"{name}: ours={ours:.3g}s baseline={baseline:.3g}s ratio={ratio:.3g}x "
            f"peak_rss={peak_rss_mb():.0f}MB{(' ' + extra) if extra else ''}{verdict}")


def within(seconds: float, target_s: float) -> str:
    """``[target <= 30 s: OK]`` or ``MISSED``: a target on the wall time itself."""
    return f"[target <= {target_s:g} s: {'OK' if seconds <= target_s else 'MISSED'}]"
