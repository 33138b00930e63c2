"""The spike check on ingest (``quality.series_flags``, stale runs off) vs a plain per-point loop.

ours      : ``spillwatch.data.quality.series_flags`` (rolling robust scale with pandas, numpy
            masks) on the full daily histories of BTCUSDT, ETHUSDT, VIXCLS, DGS10 and DEXJPUS
            from ../shared/data, as a first fetch of long histories would run it.
baseline  : the same rule written as a Python loop, one median per point (the reference of
            tests/data/providers/test_quality.py), on the same series.
The flags of both are checked to be equal before timing is reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from _util import best_of, line, shared_data_or_exit

from spillwatch.data import quality

# the plain loop reference lives once, beside the test that checks the fast path against it
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "data" / "providers"))
from quality_reference import reference_spikes

CASES = [("crypto/BTCUSDT.csv", True), ("crypto/ETHUSDT.csv", True), ("fred/VIXCLS.csv", True),
         ("fred/DGS10.csv", False), ("fred/DEXJPUS.csv", True)]


def main() -> None:
    root = shared_data_or_exit()
    series = []
    for name, positive in CASES:
        df = pd.read_csv(root / name, parse_dates=["date"])
        col = df.columns[1]
        s = df[["date", col]].dropna().rename(columns={"date": "ts", col: "value"})
        series.append((s.reset_index(drop=True), positive))
    # plant a few bad ticks so that both paths have something to find
    rng = np.random.default_rng(3)
    for s, _ in series:
        for i in rng.choice(np.arange(100, len(s) - 1), 3, replace=False):
            s.loc[i, "value"] *= 100.0
    points = sum(len(s) for s, _ in series)

    def ours() -> list[set[int]]:
        out = []
        for s, positive in series:
            flags = quality.series_flags(s, None, positive=positive, stale=False)
            out.append(set().union(*[set(v) for v in flags.values()]) if flags else set())
        return out

    def baseline() -> list[set[int]]:
        return [reference_spikes(s["value"].to_numpy(), positive) for s, positive in series]

    t_ours, got = best_of(ours)
    t_base, want = best_of(baseline, repeat=1)
    assert got == want, "vectorised and loop flags differ"
    print(line("quality_spikes", t_ours, t_base,
               f"points={points} flagged={sum(len(g) for g in got)}"))


if __name__ == "__main__":
    main()
