"""The plain, per-point loop version of the spike rule: the reference for
``spillwatch.data.quality.series_flags`` (used by test_quality.py and benchmarks/bench_quality.py).
"""

from __future__ import annotations

import numpy as np

from spillwatch.data import quality


def reference_spikes(x: np.ndarray, positive: bool) -> set[int]:
    """Plain loop version of the spike rule (the reference for ``series_flags``)."""
    c = np.diff(np.log(x)) if positive else np.diff(x)
    floor = 1e-3 if positive else max(0.05, 1e-3 * float(np.median(np.abs(x))))
    def sigma(i: int) -> float | None:  # robust scale of the changes before change into i
        prev = c[max(0, i - 1 - quality.SPIKE_WINDOW): i - 1]
        if len(prev) < quality.SPIKE_MIN_OBS:
            return None
        return max(1.4826 * float(np.median(np.abs(prev - np.median(prev)))), floor)

    def rescaled(a: float, b: float) -> bool:  # a rate's bad tick changes its size (x3) or sign
        if np.sign(a) != np.sign(b):
            return True
        small = min(abs(a), abs(b))
        return small == 0 or max(abs(a), abs(b)) / small >= quality.RESCALE

    out: set[int] = set()
    n = len(x)
    for i in range(1, n - 1):
        s = sigma(i)
        if s is None:
            continue
        z_in, z_out = c[i - 1] / s, c[i] / s
        if abs(z_in) > quality.SPIKE_K and abs(z_out) > quality.SPIKE_K and (
                np.sign(z_in) != np.sign(z_out)) and (positive or rescaled(x[i - 1], x[i])):
            out.add(i)
    j = max(k for k in range(n - 1) if k not in out)  # the last good point before the newest
    s = sigma(j + 1) if j >= 1 else None
    jump = np.log(x[-1] / x[j]) if positive else x[-1] - x[j]
    if s is not None and abs(jump / s) > quality.EDGE_K and (positive or rescaled(x[j], x[-1])):
        out.add(n - 1)
    return out
