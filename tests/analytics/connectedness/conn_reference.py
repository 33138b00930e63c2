"""Plain reference implementations for the connectedness tests (slow and obvious on purpose).

* ``sm_var``: statsmodels' VAR (OLS with a constant), one fit per sample or window;
* ``direct_gfevd``: the generalized FEVD of DY (2012, eqs. 2-3) with explicit loops over
  i, j and h and unit vectors, as printed in the paper;
* ``direct_tables_rolling``: one statsmodels fit per window, the window cut as documented
  (W rows, W - p regression rows, T - W + 1 windows labelled by their last row);
* ``kalman_reference``: the TVP-VAR filter with the full Kronecker-product measurement
  matrix Z_t = I_k (x) x_t' and dense matrices, no einsum tricks;
* ``direct_frequency``: BK (2018) band decomposition with an explicit sum of complex
  exponentials over h at each frequency.
"""

from __future__ import annotations

import numpy as np
from statsmodels.tsa.api import VAR


def sm_var(y: np.ndarray, lags: int):
    return VAR(np.asarray(y, dtype=float)).fit(lags, trend="c")


def direct_gfevd(psi: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    horizon, k, _ = psi.shape
    theta = np.zeros((k, k))
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = 1.0
        den = sum(ei @ psi[h] @ sigma @ psi[h].T @ ei for h in range(horizon))
        for j in range(k):
            ej = np.zeros(k)
            ej[j] = 1.0
            num = sum((ei @ psi[h] @ sigma @ ej) ** 2 for h in range(horizon)) / sigma[j, j]
            theta[i, j] = num / den
    return 100.0 * theta / theta.sum(axis=1, keepdims=True)


def sm_table(y: np.ndarray, lags: int, horizon: int) -> np.ndarray:
    res = sm_var(y, lags)
    psi = res.ma_rep(horizon - 1)  # Psi_0 .. Psi_{H-1}
    return direct_gfevd(psi, np.asarray(res.sigma_u))


def sm_cholesky_table(y: np.ndarray, lags: int, horizon: int) -> np.ndarray:
    res = sm_var(y, lags)
    decomp = res.fevd(horizon).decomp  # (k, H, k), cumulative over h = 0 .. H-1
    return 100.0 * decomp[:, horizon - 1, :]


def direct_tci(theta: np.ndarray) -> float:
    k = theta.shape[0]
    return sum(theta[i, j] for i in range(k) for j in range(k) if i != j) / k


def direct_tables_rolling(y: np.ndarray, lags: int, horizon: int, window: int) -> np.ndarray:
    t = y.shape[0]
    return np.stack(
        [sm_table(y[w : w + window], lags, horizon) for w in range(t - window + 1)]
    )


def direct_frequency(psi: np.ndarray, sigma: np.ndarray, edges) -> np.ndarray:
    horizon, k, _ = psi.shape
    den = np.array([sum((psi[h] @ sigma @ psi[h].T)[i, i] for h in range(horizon))
                    for i in range(k)])
    nb = len(edges) + 1
    out = np.zeros((nb, k, k))
    total = np.zeros((k, k))
    for s in range(horizon):
        w = 2 * np.pi * s / horizon
        resp = sum(psi[h] * np.exp(-1j * w * h) for h in range(horizon))
        g = resp @ sigma
        contrib = np.abs(g) ** 2 / np.diag(sigma)[None, :] / horizon / den[:, None]
        wf = min(w, 2 * np.pi - w)
        period = np.inf if wf == 0 else 2 * np.pi / wf
        band = sum(period > e for e in edges)
        out[band] += contrib
        total += contrib
    return 100.0 * out / total.sum(axis=1)[None, :, None]


def kalman_reference(z, lags, kappa1, kappa2, prior_mean, prior_var, sigma0):
    """Dense textbook filter (ACG 2020 eqs. 3-10); returns betas (n, k, m) and sigmas."""
    t, k = z.shape
    m = 1 + k * lags
    beta = prior_mean.ravel().copy()
    p = np.diag(prior_var.ravel())
    sig = sigma0.copy()
    betas, sigmas = [], []
    for s in range(lags, t):
        x = np.concatenate([[1.0], *[z[s - lag] for lag in range(1, lags + 1)]])
        zt = np.kron(np.eye(k), x[None, :])  # (k, k m)
        y = z[s]
        p = p / kappa1
        e_pred = y - zt @ beta
        sig_pred = kappa2 * sig + (1 - kappa2) * np.outer(e_pred, e_pred)
        gain = p @ zt.T @ np.linalg.inv(zt @ p @ zt.T + sig_pred)
        beta = beta + gain @ e_pred
        p = (np.eye(k * m) - gain @ zt) @ p
        e_upd = y - zt @ beta
        sig = kappa2 * sig + (1 - kappa2) * np.outer(e_upd, e_upd)
        betas.append(beta.reshape(k, m).copy())
        sigmas.append(sig.copy())
    return np.array(betas), np.array(sigmas)


def simulate_var(rng: np.random.Generator, t: int, k: int, lags: int = 1, scale=None):
    """A stationary VAR(p) sample with correlated errors (coefficients shrunk for stability)."""
    coefs = [rng.normal(0, 0.25 / (lag + 1) / np.sqrt(k), (k, k)) for lag in range(lags)]
    chol = np.tril(rng.normal(0, 0.4, (k, k)))
    np.fill_diagonal(chol, 1.0)
    y = np.zeros((t + 100, k))
    e = rng.standard_normal((t + 100, k)) @ chol.T
    for s in range(lags, t + 100):
        y[s] = 0.1 + e[s] + sum(coefs[lag] @ y[s - lag - 1] for lag in range(lags))
    y = y[100:]
    if scale is not None:
        y = y * np.asarray(scale)
    return y
