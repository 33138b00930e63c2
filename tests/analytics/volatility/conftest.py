"""Fixtures of the volatility tests: simulated GARCH/DCC data and the real panel (loaded once)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def simulate_garch(n: int, *, omega: float = 0.05, alpha: float = 0.08, beta: float = 0.9,
                   nu: float = 6.0, seed: int = 1, name: str = "x_pct") -> pd.Series:
    """Plain GARCH(1,1)-t simulation (a loop; for test inputs only)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_t(nu, size=n) * np.sqrt((nu - 2) / nu)
    r = np.empty(n)
    h = omega / (1 - alpha - beta)
    for t in range(n):
        r[t] = np.sqrt(h) * z[t]
        h = omega + alpha * r[t] ** 2 + beta * h
    return pd.Series(r, index=pd.bdate_range("2015-01-01", periods=n, name="date"), name=name)


def simulate_dcc(n: int, *, a: float = 0.05, b: float = 0.9, seed: int = 2) -> pd.DataFrame:
    """Three GARCH(1,1) series whose correlation follows a DCC(1,1) (a loop; test input)."""
    rng = np.random.default_rng(seed)
    qbar = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]])
    q = qbar.copy()
    h = np.ones(3)
    out = np.empty((n, 3))
    for t in range(n):
        d = np.sqrt(np.diag(q))
        r = q / np.outer(d, d)
        z = np.linalg.cholesky(r) @ rng.standard_normal(3)
        out[t] = np.sqrt(h) * z
        h = 0.05 + 0.05 * out[t] ** 2 + 0.9 * h
        q = (1 - a - b) * qbar + a * np.outer(z, z) + b * q
    idx = pd.bdate_range("2016-01-01", periods=n, name="date")
    return pd.DataFrame(out, index=idx, columns=["a_pct", "b_pct", "c_pct"])


@pytest.fixture(scope="session")
def real_panel(real_db):
    import spillwatch as sw

    return sw.load(real_db, assets=["ust10y", "usd_broad", "spx", "btc", "eth", "trump"],
                   start="2017-06-01")


@pytest.fixture(scope="session")
def garch_series() -> pd.Series:
    return simulate_garch(1500)


@pytest.fixture(scope="session")
def heavy_tailed_series() -> pd.Series:
    """GARCH(1,1) with Student-t(3) shocks: EGARCH-t fits it with a low nu."""
    return simulate_garch(1500, nu=3.0, seed=11)


@pytest.fixture(scope="session")
def dcc_panel() -> pd.DataFrame:
    return simulate_dcc(800)
