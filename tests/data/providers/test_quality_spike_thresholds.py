"""The spike rule's thresholds: 25 robust sigmas in and out, 50 on the newest point.

Surviving mutants (h_mut2, DQ06: ``SPIKE_K`` 25 -> 30; DQ07: ``EDGE_K`` 50 -> 60) passed all
162 data tests: every planted spike was hundreds of sigmas, far from either threshold. Here
the robust scale is known by construction (log changes alternating +-1%: median 0, MAD 0.01,
scale 1.4826 %), and jumps are planted just inside and just outside each threshold.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.data import quality

SCALE = 1.4826 * 0.01


def _prices(changes):
    ts = pd.date_range("2025-01-01", periods=len(changes) + 1, freq="D")
    return pd.DataFrame({"ts": ts, "value": 100.0 * np.exp(np.r_[0.0, np.cumsum(changes)])})


def _flags(frame):
    out = quality.series_flags(frame, None, positive=True, spikes=True, stale=False)
    return sorted(int(i) for idx in out.values() for i in idx)


def _alternating(n):
    return np.where(np.arange(n) % 2 == 0, 0.01, -0.01)


def test_a_reverting_jump_is_a_spike_from_25_robust_sigmas():
    for size, flagged in ((27.0, True), (23.0, False)):
        c = _alternating(100)
        c[70], c[71] = size * SCALE, -size * SCALE       # into point 71 and straight back
        assert _flags(_prices(c)) == ([71] if flagged else []), size


def test_the_newest_point_is_a_spike_from_50_robust_sigmas():
    for size, flagged in ((55.0, True), (45.0, False)):
        c = _alternating(100)
        c[-1] = size * SCALE                              # the last point jumps
        assert _flags(_prices(c)) == ([100] if flagged else []), size
