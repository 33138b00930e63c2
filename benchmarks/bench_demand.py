"""Benchmark: the foreign-demand gauge over the full real history (1991-2026, ~9,200 business days).

``ours`` is the whole ``demand(inputs)``: every signal at its native frequency (weekly custody
and MOF flows, monthly intervention reports, 926 auctions, monthly reserves and TIC, daily
rates), the as-of calendar with publication lags, the recursive tail probabilities, the
harmonic-mean aggregation, attribution and percentile. ``baseline`` is the obvious plain-Python
version of the recursive part alone, measured in the same run: each gauge indicator's tail
probability by sorted insertion (``bisect``) and its as-of value by walking the calendar day by
day; it is checked equal to ours (exact counts). The ``replay`` line is what a naive replay
costs, re-running the monitor on the data published by each date (measured on 20 dates, scaled to
the whole calendar), against the one recursive pass that gives every date's value.

Run: ``/work/venv/bin/python benchmarks/bench_demand.py``
"""

from __future__ import annotations

import bisect
import sys
import time
from pathlib import Path

import numpy as np
from _util import best_of, line, shared_data_or_exit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "analytics" / "demand"))

from demand_csv import load_demand_inputs

from spillwatch.analytics.demand import demand
from spillwatch.analytics.demand._columns import GROUPS
from spillwatch.analytics.demand.gauge import _NATIVE_OF, INDICATORS


def plain_tails(res) -> np.ndarray:
    """Recursive upper-tail probabilities by sorted insertion, then as-of by walking the days."""
    orient = {n: how for g in GROUPS.values() for n, how in g}
    grid = res.signals.grid
    out = np.full((len(grid), len(INDICATORS)), np.nan)
    for j, name in enumerate(INDICATORS):
        native_name, freq = _NATIVE_OF[name]
        nat = res.signals.natives.get(native_name)
        if nat is None:
            continue
        burn = {"weekly": res.spec.burn_in_weekly, "monthly": res.spec.burn_in_monthly,
                "auctions": res.spec.burn_in_auctions}[freq]
        x = nat.values[name].to_numpy()
        x = -x if orient[name] == "neg" else x
        # the auction tails also wait for ``burn`` scored auctions (a weakness score) dated
        # on or before the row: the rolling means are daily rows, and 52 of them were only
        # 15 auctions (the gauge's rule since the fix of January 2016's reading)
        scored = [] if freq != "auctions" or res.auctions is None else sorted(
            res.auctions.loc[res.auctions["weakness"].notna(), "date"])
        n_scored = 0
        seen: list[float] = []
        q = np.full(len(x), np.nan)
        for t, v in enumerate(x):
            while n_scored < len(scored) and scored[n_scored] <= nat.values.index[t]:
                n_scored += 1
            if v != v:
                continue
            bisect.insort(seen, v)
            if len(seen) >= burn and (freq != "auctions" or n_scored >= burn):
                q[t] = (len(seen) - bisect.bisect_left(seen, v)) / len(seen)
        obs, rel = list(nat.values.index), list(nat.released)
        k = -1
        for i, day in enumerate(grid):
            while k + 1 < len(rel) and rel[k + 1] <= day:
                k += 1
            if k >= 0 and (day - obs[k]).days <= nat.stale_after_days:
                out[i, j] = q[k]
    return out


def main() -> None:
    inputs = load_demand_inputs(shared_data_or_exit())
    ours, res = best_of(lambda: demand(inputs), repeat=7)
    base, ref = best_of(lambda: plain_tails(res), repeat=1)
    np.testing.assert_allclose(res.tails.to_numpy(), ref, rtol=0, atol=1e-15, equal_nan=True)
    days = len(res.frame)
    print(line("demand_gauge_full_history", ours, base,
               f"days={days} gauge_days={int(res.frame['gauge'].notna().sum())} "
               f"auctions={len(res.auctions)}"), flush=True)
    # 20 dates spread over the gauge's history (20 dates of 2025 cost the most, a nearly full
    # history each, and overstated the naive replay by about 1.7x)
    grid = res.frame.index[res.frame["gauge"].notna().to_numpy()]
    dates = grid[np.linspace(0, len(grid) - 1, 20).astype(int)]
    t0 = time.perf_counter()
    for d in dates:
        demand(inputs.truncate(d), end=d)
    per_day = (time.perf_counter() - t0) / len(dates)
    print(f"demand_replay: per_date={per_day:.3f}s naive_full_replay={per_day * days:.0f}s "
          f"one_pass={ours:.3f}s ratio={ours / (per_day * days):.3g}x "
          f"speedup={per_day * days / ours:.0f}x")


if __name__ == "__main__":
    main()
