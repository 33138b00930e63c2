"""Benchmark: the vectorised volatility / correlation paths against plain per-day loops.

Cases (real data from ../shared/data; without it the script exits with a clear message):

* ``dcc_loglik``: one DCC(1,1) log-likelihood evaluation (lfilter + batched slogdet/solve) vs a
  per-day Python loop (the reference of tests/analytics/volatility/test_vol_dcc.py); N=5 series
  of the panel since 2018 (~2000 days).
* ``dcc_fit``: the full DCC step 2 (SLSQP on the vectorised likelihood) vs Nelder-Mead on the
  loop likelihood; also prints the largest parameter difference.
* ``ewma_cov``: EWMA covariance matrices (one lfilter over a T x N x N stack) vs a per-day loop.
* ``fhs_backtest``: BTC 99% FHS backtest (GJR-GARCH-t refit every 250 days, the filter run
  daily between refits) vs refitting arch every day on the same rolling window (timed on 20
  days and extrapolated; the output says so). Not the same work: the baseline is what a
  backtest that refits daily costs, the design choice the product's cadence avoids.
* ``refresh``: the volatility view of a new workspace after bitcoin's last close is revised (a
  new data version, as the server and the monitor see it) against the first build: the GARCH
  fits of the series that did not move are kept (``Volatility.fit_series``).
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _util import best_of, line, shared_data_or_exit
from scipy.optimize import minimize


def loop_loglik(p, z):
    a, b = p
    t = len(z)
    qbar = z.T @ z / t
    q = qbar.copy()
    ll = 0.0
    for i in range(t):
        d = np.sqrt(np.diag(q))
        r = q / np.outer(d, d)
        ll -= 0.5 * (np.log(np.linalg.det(r)) + z[i] @ np.linalg.inv(r) @ z[i] - z[i] @ z[i])
        q = (1 - a - b) * qbar + a * np.outer(z[i], z[i]) + b * q
    return ll


def main() -> None:
    import spillwatch as sw
    from spillwatch.analytics.volatility.correlation import correlation, dcc_loglik, fit_dcc
    from spillwatch.analytics.volatility.ewma import ewma_covariance
    from spillwatch.analytics.volatility.risk import ValueAtRisk

    data = shared_data_or_exit()
    panel = sw.load(data, assets=["ust10y", "usd_broad", "spx", "btc", "eth"], start="2018-01-01")
    cols = ["ust10y_bp", "usd_broad_pct", "spx_pct", "btc_pct", "eth_pct"]
    res = correlation(panel[cols])
    z = res.std_resid.to_numpy()
    qbar = z.T @ z / len(z)
    p = np.array([0.02, 0.96])

    ours, v1 = best_of(lambda: dcc_loglik(p, z, qbar), repeat=5)
    base, v2 = best_of(lambda: loop_loglik(p, z), repeat=2)
    assert abs(v1 - v2) < 1e-8 * abs(v2)
    print(line("dcc_loglik", ours, base, f"T={len(z)} N={z.shape[1]}"))

    t0 = time.perf_counter()
    a, b, _, _ = fit_dcc(z)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = minimize(lambda q: 1e10 if (q[0] < 0 or q[1] < 0 or q.sum() >= 0.9999)
                   else -loop_loglik(q, z), x0=[0.03, 0.93], method="Nelder-Mead",
                   options={"xatol": 1e-7, "fatol": 1e-9})
    base = time.perf_counter() - t0
    diff = max(abs(a - ref.x[0]), abs(b - ref.x[1]))
    print(line("dcc_fit", ours, base, f"max_param_diff={diff:.1e}"))

    r = panel[cols].dropna().to_numpy()

    def loop_cov():
        s = (r[:30, :, None] * r[:30, None, :]).mean(axis=0)
        out = [s]
        for x in r:
            s = 0.94 * s + 0.06 * np.outer(x, x)
            out.append(s)
        return np.array(out)

    ours, c1 = best_of(lambda: ewma_covariance(r), repeat=5)
    base, c2 = best_of(loop_cov, repeat=3)
    assert np.allclose(c1, c2, rtol=1e-12)
    print(line("ewma_cov", ours, base, f"T={len(r)} N={r.shape[1]}"))

    btc = panel["btc_pct"].dropna()
    spec = ValueAtRisk(methods=("fhs",))
    ours, bt = best_of(lambda: spec.backtest_series(btc, "fhs"), repeat=1)
    n_days = len(bt)
    # another seed: the same fits' work, none of them the kept fits of the backtest above
    vol = dataclasses.replace(spec.volatility, seed=spec.volatility.seed + 1)
    sample = 20
    t0 = time.perf_counter()
    for t in range(spec.fit_window, spec.fit_window + sample):
        vol.fit_series(btc.iloc[t - spec.fit_window:t], name="btc_pct")
    per_day = (time.perf_counter() - t0) / sample
    print(line("fhs_backtest", ours, per_day * n_days,
               f"days={n_days} baseline=daily refit extrapolated from {sample} fits"))
    refresh(data)


def refresh(data) -> None:
    """``refresh``: the volatility view rebuilt after bitcoin's last close is revised (the
    server's and the monitor's case: a new data version, one series moved) against the first
    build."""
    import pandas as pd

    from spillwatch.data.source import open_source
    from spillwatch.service import risk
    from spillwatch.service.workspace import Workspace
    from spillwatch.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.duckdb"
        open_source(data, db=db).close()

        def build() -> tuple[float, object]:
            with Workspace(db) as ws:
                t0 = time.perf_counter()
                out = risk.volatility(ws)
                return time.perf_counter() - t0, out

        base, first = build()
        store = Store(str(db))
        last = store.query("SELECT max(ts) AS t, arg_max(value, ts) AS v FROM observations "
                           "WHERE series_id = 'binance:BTCUSDT'").iloc[0]
        store.upsert(pd.DataFrame({"series_id": ["binance:BTCUSDT"],
                                   "ts": [pd.Timestamp(last["t"])],
                                   "value": [float(last["v"]) * 0.97]}))
        store.close()
        ours, second = build()
        moved = [k for k in first.fits if not first.fits[k].cond_vol.equals(
            second.fits[k].cond_vol)]
        print(line("refresh", ours, base, f"series={len(first.fits)} refitted={moved} "
                   "baseline=first build of the same view"))


if __name__ == "__main__":
    sys.exit(main())
