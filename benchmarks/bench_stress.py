"""Benchmark: the whole stress index over the full real history, at 1x, 2x and 4x its length.

The history (≈25k business days from 1962, 30+ indicators) is tiled end to end on a continuing
business-day calendar for 2x and 4x. ``ours`` is the whole ``compute(changes, levels)`` (signals,
signature, recursive ECDFs, CISS aggregation, percentile, regimes); ``baseline`` is the plain
Python recursive ECDF (sorted insertion with ``bisect``) of the same indicators alone, measured in
the same run. The scaling lines show the cost per row at 2x and 4x against 1x (linear = 1.0).

Run: ``/work/venv/bin/python benchmarks/bench_stress.py``
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd
from _util import best_of, line, shared_data_or_exit

from spillwatch.analytics.stress import compute, compute_signals, load_inputs
from spillwatch.analytics.stress.index import oriented_indicators


def tile(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """``frame`` repeated ``k`` times on a continuing business-day calendar."""
    if k == 1:
        return frame
    out = pd.concat([frame] * k, ignore_index=True)
    out.index = pd.bdate_range(frame.index[0], periods=len(out), name="date")
    return out


def plain_ecdf(raw: pd.DataFrame, min_obs: int = 250) -> np.ndarray:
    """Recursive ECDF by sorted insertion, one value at a time (the obvious way)."""
    out = np.full(raw.shape, np.nan)
    for j, col in enumerate(raw.columns):
        seen: list[float] = []
        for t, v in enumerate(raw[col].to_numpy()):
            if v != v:  # NaN
                continue
            bisect.insort(seen, v)
            if len(seen) >= min_obs:
                out[t, j] = bisect.bisect_right(seen, v) / len(seen)
    return out


def main() -> None:
    changes, levels = load_inputs(shared_data_or_exit())
    per_row = {}
    for k in (1, 2, 4):
        ch, lv = tile(changes, k), tile(levels, k)
        ours, res = best_of(lambda ch=ch, lv=lv: compute(ch, lv), repeat=7)
        raw = oriented_indicators(compute_signals(ch, lv))
        base, ref = best_of(lambda raw=raw: plain_ecdf(raw), repeat=1)
        # the fast path agrees with the plain one (exact counts)
        np.testing.assert_allclose(res.indicators.to_numpy(), ref[-len(res.indicators):],
                                   rtol=0, atol=1e-12, equal_nan=True)
        per_row[k] = ours / len(ch)
        print(line(f"stress_index_{k}x", ours, base,
                   f"rows={len(ch)} indicators={raw.shape[1]}"), flush=True)
    for k in (2, 4):
        print(f"stress_index_scaling_{k}x: time_per_row_vs_1x={per_row[k] / per_row[1]:.2f} "
              "(1.00 = linear)")


if __name__ == "__main__":
    main()
