"""Benchmark: the whole stress monitor over the full real history, at 1x, 2x and 4x its length.

The history (≈25k business days from 1927, 45 signals, 26 ranked indicators, five segments) is
tiled end to end on a continuing business-day calendar for 2x and 4x. ``ours`` is the whole
``compute(changes, levels)`` (staleness of every input, signals on own dates, the day's and the
five-day signature, recursive ECDFs, CISS aggregation, the age-weighted consistent-composition
percentile, regimes); ``baseline`` is the plain Python recursive ECDF (sorted insertion with
``bisect``) of the ranked indicators alone, measured in the same run: the ratio says what the
whole index costs in plain ECDFs. The like-for-like line ``stress_ecdf_<k>x`` times the same
work both ways: the index's own recursive ECDF (:func:`recursive_ecdf`) of those indicators
against the plain one (equal values asserted). The scaling lines show the cost per row at 2x
and 4x against 1x (linear = 1.00); the target is the 1x run under 0.5 s (OK or MISSED).

Run: ``/work/venv/bin/python benchmarks/bench_stress.py``
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd
from _util import best_of, line, shared_data_or_exit, within

from spillwatch.analytics.stress import (
    INDICATORS,
    InputPanel,
    compute,
    load_inputs,
    recursive_ecdf,
)
from spillwatch.analytics.stress.index import _ORIENT
from spillwatch.analytics.stress.signals import compute_own_signals


def tile(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """``frame`` repeated ``k`` times on a continuing business-day calendar."""
    if k == 1:
        return frame
    out = pd.concat([frame] * k, ignore_index=True)
    out.index = pd.bdate_range(frame.index[0], periods=len(out), name="date")
    return out


def ranked_raw(changes: pd.DataFrame, levels: pd.DataFrame) -> dict[str, pd.Series]:
    """The oriented raw indicators on their own observation dates."""
    own = compute_own_signals(InputPanel(changes, levels))
    return {n: _ORIENT[how](own.values[n]).dropna()
            for members in INDICATORS.values() for n, how in members}


def plain_ecdf(raw: dict[str, pd.Series], min_obs: int = 250) -> dict[str, np.ndarray]:
    """Recursive ECDF by sorted insertion, one value at a time (the obvious way)."""
    out = {}
    for name, s in raw.items():
        seen: list[float] = []
        vals = np.full(len(s), np.nan)
        for t, v in enumerate(s.to_numpy()):
            bisect.insort(seen, v)
            if len(seen) >= min_obs:
                vals[t] = bisect.bisect_right(seen, v) / len(seen)
        out[name] = vals
    return out


def main() -> None:
    changes, levels = load_inputs(shared_data_or_exit())
    per_row = {}
    for k in (1, 2, 4):
        ch, lv = tile(changes, k), tile(levels, k)
        ours, res = best_of(lambda ch=ch, lv=lv: compute(ch, lv), repeat=5)
        raw = ranked_raw(ch, lv)
        base, ref = best_of(lambda raw=raw: plain_ecdf(raw), repeat=1)
        # the fast path agrees with the plain one on every indicator's own dates (exact counts)
        for name, s in raw.items():
            keep = s.index.isin(res.indicators.index)      # the frame starts with the 10y
            got = res.indicators[name].reindex(s.index[keep])
            np.testing.assert_allclose(got.to_numpy(), ref[name][keep], rtol=0, atol=1e-12,
                                       equal_nan=True)
        per_row[k] = ours / len(ch)
        print(line(f"stress_index_{k}x", ours, base, f"rows={len(ch)} indicators={len(raw)}")
              + (f" {within(ours, 0.5)}" if k == 1 else ""), flush=True)
        fast, got = best_of(lambda raw=raw: {n: recursive_ecdf(s.to_frame(), min_obs=250)[n]
                                             for n, s in raw.items()}, repeat=3)
        for name, s in got.items():
            np.testing.assert_allclose(s.to_numpy(), ref[name], rtol=0, atol=1e-12,
                                       equal_nan=True)
        print(line(f"stress_ecdf_{k}x", fast, base,
                   f"the same {len(raw)} recursive ECDFs, fast vs plain"), flush=True)
    for k in (2, 4):
        print(f"stress_index_scaling_{k}x: time_per_row_vs_1x={per_row[k] / per_row[1]:.2f} "
              "(1.00 = linear)")


if __name__ == "__main__":
    main()
