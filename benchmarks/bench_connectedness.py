"""Benchmark: rolling DY connectedness vs a statsmodels per-window loop; TVP-VAR vs plain numpy.

Single-thread BLAS (env vars set before numpy is imported, and threadpoolctl when present), so
the ratios measure the algorithms, not the core count. Cases (simulated stationary VARs):

* ``rolling_k6_p2``:  k=6,  p=2, H=10, T=3000, window 200 (2801 windows) — target >= 200x
* ``rolling_k12_p4``: k=12, p=4, H=10, T=3000, window 200 — target >= 40x
* ``rolling_report``: k=8,  p=2, T=2000 (~8 years of business days), window 200 — the report's
* ``tvp_k6_p2``:      TVP-VAR (R parity, Bayes prior), k=6, p=2, T=3000: the whole
  ``sw.connectedness(model="tvp")`` (filter + 3000 GFEVD tables) — target <= 75 ms — against the
  same call on the plain numpy path (``SPILLWATCH_DISABLE_NUMBA=1``: a per-step numpy filter and
  batched numpy FEVDs), measured in the same run.

Rolling baseline: ``statsmodels.tsa.api.VAR(window).fit(p, trend="c")`` per window, then
``ma_rep(H-1)``, ``sigma_u`` and the generalized FEVD in numpy. A full baseline loop takes minutes,
so it is timed on an evenly spaced subset of windows and extrapolated per window (the output says
so); the subset's tables are also checked against ours. The numpy fallback of the rolling path
(numba off) is timed too.

Timing: CPU seconds of this process (``time.process_time``) for both sides, so that other
processes on a shared machine skew the ratio less; rounds of ours and of the baseline are
interleaved, and the **median** round of each is reported (best round in brackets). Compilation
is excluded: one warm-up call first (numba loads its on-disk cache; the time of that first call is
printed). Peak RSS is this process's, after the case.

Run: ``python benchmarks/bench_connectedness.py`` (``--quick`` for smaller subsets).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from _util import peak_rss_mb  # noqa: E402

try:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
except ImportError:  # env vars above already pin BLAS to one thread
    pass
from statsmodels.tsa.api import VAR  # noqa: E402

import spillwatch as sw  # noqa: E402
from spillwatch._compat.numba import DISABLE_ENV  # noqa: E402

#: CPU time of this process: on a shared machine wall time mostly measures the other tenants
CLOCK = time.process_time


def simulate(t: int, k: int, lags: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    coefs = [rng.normal(0, 0.2 / (lag + 1) / np.sqrt(k), (k, k)) for lag in range(lags)]
    chol = np.tril(rng.normal(0, 0.3, (k, k)))
    np.fill_diagonal(chol, 1.0)
    e = rng.standard_normal((t + 200, k)) @ chol.T
    y = np.zeros((t + 200, k))
    for s in range(lags, t + 200):
        y[s] = e[s] + sum(coefs[lag] @ y[s - lag - 1] for lag in range(lags))
    idx = pd.bdate_range("2014-01-01", periods=t, name="date")
    return pd.DataFrame(y[200:], index=idx, columns=[f"v{i}" for i in range(k)])


def gfevd_numpy(psi: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    ps = psi @ sigma
    num = (ps**2).sum(axis=0) / np.diag(sigma)[None, :]
    den = np.einsum("hij,hij->i", ps, psi)
    theta = num / den[:, None]
    return 100 * theta / theta.sum(axis=1, keepdims=True)


def baseline_window(y: np.ndarray, lags: int, horizon: int) -> np.ndarray:
    res = VAR(y).fit(lags, trend="c")
    return gfevd_numpy(res.ma_rep(horizon - 1), np.asarray(res.sigma_u))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = CLOCK()
    out = fn()
    return CLOCK() - t0, out


def numpy_path(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` with numba switched off (the plain numpy fallback)."""
    os.environ[DISABLE_ENV] = "1"
    try:
        return fn()
    finally:
        del os.environ[DISABLE_ENV]


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):.4f}s [best {min(times):.4f}s]"


def bench_rolling(name: str, *, k: int, lags: int, t: int, window: int, horizon: int,
                  subset: int, rounds: int, target: float | None) -> float:
    frame = simulate(t, k, lags, seed=k * 100 + lags)
    n = t - window + 1
    y = frame.to_numpy()

    def ours_fn() -> Any:
        return sw.connectedness(frame, lags=lags, horizon=horizon, window=window)

    first, _ = timed(ours_fn)  # warm-up: loads the compiled kernels
    picks = np.unique(np.linspace(0, n - 1, min(subset, n)).astype(int))
    # interleave rounds of ours and of the baseline so that load from other processes hits
    # both alike
    ours_times, numpy_times, base_per_window, ref = [], [], [], {}
    roll = None
    for r in range(rounds):
        dt, roll = timed(ours_fn)
        ours_times.append(dt)
        numpy_times.append(numpy_path(lambda: timed(ours_fn)[0]))
        part = picks[r::rounds]
        t0 = CLOCK()
        for w in part:
            ref[w] = baseline_window(y[w : w + window], lags, horizon)
        base_per_window.append((CLOCK() - t0) / len(part))
    ours_s = statistics.median(ours_times)
    base_s = statistics.median(base_per_window) * n
    tracemalloc.start()
    ours_fn()
    ours_alloc = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    err = max(np.abs(roll.theta[w] - r).max() for w, r in ref.items())
    ratio = base_s / ours_s
    ratio_best = min(base_per_window) * n / min(ours_times)
    ratio_np = base_s / statistics.median(numpy_times)
    verdict = "OK" if target is not None and ratio >= target else "MISSED"
    status = "" if target is None else f"  [target speedup >= {target:g}x: {verdict}]"
    # ratio is ours / baseline as in every benchmark; the speed-up is its inverse
    print(f"{name}: ours={ours_s:.4f}s baseline={base_s:.3f}s ratio={1 / ratio:.3g}x "
          f"speedup={ratio:.0f}x peak_rss={peak_rss_mb():.0f}MB{status}")
    print(f"    {n} windows (k={k}, p={lags}, H={horizon}, T={t}, W={window}); medians of "
          f"{rounds} interleaved rounds: ours {fmt(ours_times)} (first call {first:.3f}s), "
          f"numpy fallback {fmt(numpy_times)} = {ratio_np:.0f}x; baseline "
          f"{statistics.median(base_per_window) * 1e3:.2f} ms per window on {len(picks)} evenly "
          f"spaced windows, extrapolated (ratio of bests {ratio_best:.0f}x); max |ours - "
          f"baseline| on them = {err:.1e} pp; ours peak allocation {ours_alloc:.1f} MB")
    return ratio


def bench_tvp(*, k: int, lags: int, t: int, rounds: int, target_s: float) -> float:
    frame = simulate(t, k, lags, seed=7)

    def ours_fn() -> Any:
        return sw.connectedness(frame, lags=lags, horizon=10, model="tvp")

    first, _ = timed(ours_fn)
    ours_times, base_times = [], []
    res = base = None
    for _ in range(rounds):
        dt, res = timed(ours_fn)
        ours_times.append(dt)
        dt, base = numpy_path(lambda: timed(ours_fn))
        base_times.append(dt)
    ours_s = statistics.median(ours_times)
    base_s = statistics.median(base_times)
    err = float(np.abs(res.theta - base.theta).max())
    verdict = "OK" if ours_s <= target_s else "MISSED"
    print(f"tvp_k{k}_p{lags}: ours={ours_s:.4f}s baseline={base_s:.3f}s "
          f"ratio={ours_s / base_s:.3g}x speedup={base_s / ours_s:.1f}x "
          f"peak_rss={peak_rss_mb():.0f}MB  "
          f"[target <= {target_s * 1e3:.0f} ms: {verdict}]")
    print(f"    sw.connectedness(model='tvp'): R-parity TVP-VAR, Bayes prior, T={t}, "
          f"{len(res.tci)} GFEVD tables (H=10); medians of {rounds} interleaved rounds: ours "
          f"{fmt(ours_times)} (first call {first:.3f}s), plain numpy per-step filter "
          f"{fmt(base_times)}; max |ours - numpy| = {err:.1e} pp")
    return ours_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller baseline subsets")
    args = parser.parse_args(argv)
    subset = 100 if args.quick else 400
    rounds = 5 if args.quick else 9
    warnings.simplefilter("ignore", category=FutureWarning)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, single-thread BLAS")
    r1 = bench_rolling("rolling_k6_p2", k=6, lags=2, t=3000, window=200, horizon=10,
                       subset=subset, rounds=rounds, target=200)
    r2 = bench_rolling("rolling_k12_p4", k=12, lags=4, t=3000, window=200, horizon=10,
                       subset=subset // 2, rounds=rounds, target=40)
    bench_rolling("rolling_report", k=8, lags=2, t=2000, window=200, horizon=10,
                  subset=subset // 4, rounds=rounds, target=None)
    tvp_s = bench_tvp(k=6, lags=2, t=3000, rounds=rounds, target_s=0.075)
    return 0 if (r1 >= 200 and r2 >= 40 and tvp_s <= 0.075) else 1


if __name__ == "__main__":
    raise SystemExit(main())
