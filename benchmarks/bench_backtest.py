"""Benchmark: the early-warning scorecard's replay of the monitor, 1990 to 2026, in one pass.

``ours`` is the whole ``backtest(Workspace(store))`` with the default rules and episodes on
../shared/data: a fresh workspace reads the store, the service computes the stress index and the
spillover once, the replay reads every business day's facts as published that day (publication
lags from spillwatch.timing), evaluates the rules, runs the alert lifecycle, reads the official
indices as released and scores everything (about 9,500 days). ``baseline`` is one full stress
computation (``compute(changes, levels)`` on the full history), measured in the same run: the
ratio says how many full stress computations the whole replay costs (a day-by-day truncated run
would cost about one per day). The replay's own step times are printed too. Target: ≤ 30 s.

Run: ``/work/venv/bin/python benchmarks/bench_backtest.py``
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _util import best_of, line, shared_data_or_exit, within

from spillwatch.alerts.backtest import backtest
from spillwatch.analytics.stress import compute, load_inputs
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace


def main() -> None:
    shared = shared_data_or_exit()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shared.duckdb"
        open_source(shared, db=db).close()                     # import once (not timed)
        changes, levels = load_inputs(db)
        base, _ = best_of(lambda: compute(changes, levels), repeat=3)

        def run() -> object:
            with Workspace(db, read_only=True) as ws:
                return backtest(ws)

        run()                                                  # compile numba kernels once
        ours, res = best_of(run, repeat=3)
    d = res.replay.dates  # type: ignore[attr-defined]
    # the steps of the last of the runs (``ours`` is the best of them: they need not add up)
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in res.replay.seconds.items())  # type: ignore
    print(line("backtest replay 1990-2026", ours, base,
               f"days={len(d)} ({d[0].date()}..{d[-1].date()}) "
               f"per_day={1000 * ours / len(d):.2f}ms {within(ours, 30.0)}"))
    print(f"  replay steps (last run): {steps}")
    print(f"  baseline: one full stress computation over {len(changes)} panel rows")


if __name__ == "__main__":
    main()
