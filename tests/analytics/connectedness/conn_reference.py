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


# --------------------------------------------------------------------------------------------
# ConnectednessApproach's TVP-VAR written out as the R code reads: the state in R's order
# (lag, equation, variable), Kronecker measurement matrices, MASS::ginv as a pseudo-inverse,
# a fresh eigen-decomposition of the companion matrix on every date.

GINV_RCOND = float(np.sqrt(np.finfo(float).eps))


def r_bayes_prior(x: np.ndarray, size: int, nlag: int):
    """R's BayesPrior(x, size, nlag) (size is what ConnectednessApproach passes: W - nlag)."""
    p = x.shape[1]
    size = size - nlag
    rows = range(nlag, size + nlag)
    zs = [np.hstack([np.eye(p)] + [np.kron(np.eye(p), x[i - j][None, :])
                                   for j in range(1, nlag + 1)]) for i in rows]
    vbar = sum(z.T @ z for z in zs)
    xhy = sum(z.T @ x[i] for z, i in zip(zs, rows, strict=True))
    vbar = np.linalg.pinv(vbar, rcond=GINV_RCOND)
    aols = vbar @ xhy
    sse = sum(np.outer(x[i] - z @ aols, x[i] - z @ aols) for z, i in zip(zs, rows, strict=True))
    return aols[p:], vbar[p:, p:], sse / size


def r_minnesota_prior(gamma: float, k: int, nlag: int):
    m = nlag * k * k
    return np.zeros(m), np.diag([gamma / (idx // (k * k) + 1) ** 2 for idx in range(m)])


def r_tvpvar(x: np.ndarray, nlag: int, l1: float, l2: float, bmean, bvar, q=None):
    """R's TVPVAR(): returns B_t (T, k, k nlag) and Q_t (T, k, k) for every date."""
    t, r = x.shape
    if q is None:
        q = np.cov(x, rowvar=False)
    x = x - x.mean(axis=0)
    m = nlag * r * r
    kk = nlag * r
    beta_update = np.zeros((m, t))
    sb = np.zeros((m, m))
    qt = np.zeros((t, r, r))
    bt = np.zeros((t, r, kk))
    big_b = None
    for irep in range(1, t + 1):
        i = irep - 1
        if irep == 1:
            qt[i] = q
        else:
            if irep <= nlag + 1:
                gf = 0.1 * np.outer(x[i], x[i])
            else:
                xl = np.concatenate([x[i - j] for j in range(1, nlag + 1)])
                e = x[i] - big_b[:r, :kk] @ xl
                gf = np.outer(e, e)
            qt[i] = l2 * qt[i - 1] + (1 - l2) * gf
        if irep <= nlag + 1:
            beta_pred = np.array(bmean, dtype=float)
            bupd = beta_pred.copy()
            rb = np.array(bvar, dtype=float)
        else:
            beta_pred = beta_update[:, i - 1].copy()
            rb = sb / l1
        if irep >= nlag + 1:
            flag = np.hstack([np.kron(np.eye(r), x[i - j][None, :]) for j in range(1, nlag + 1)])
            rx = rb @ flag.T
            kv = qt[i] + flag @ rx
            kg = rx @ np.linalg.pinv(kv, rcond=GINV_RCOND)
            bupd = beta_pred + kg @ (x[i] - flag @ beta_pred)
            sb = rb - kg @ (flag @ rb)
        beta_update[:, i] = bupd
        biga = np.hstack([bupd[j * r * r : (j + 1) * r * r].reshape(r, r) for j in range(nlag)])
        big_b = np.zeros((kk, kk))
        big_b[:r] = biga
        big_b[r:, : kk - r] = np.eye(kk - r)
        if np.abs(np.linalg.eigvals(big_b)).max() <= 1 or irep == 1:
            bt[i] = biga
        else:
            bt[i] = bt[i - 1]
            beta_update[:, i] = 0.99 * beta_update[:, i - 1]
    return bt, qt


def r_gfevd(b: np.ndarray, sigma: np.ndarray, nfore: int) -> np.ndarray:
    """R's FEVD(type="time", generalized=TRUE) from B (k, k p): Wold terms 0 .. nfore-1."""
    k = b.shape[0]
    p = b.shape[1] // k
    a = [b[:, j * k : (j + 1) * k] for j in range(p)]
    phi = [np.eye(k)]
    for h in range(1, nfore):
        phi.append(sum(phi[h - j] @ a[j - 1] for j in range(1, min(h, p) + 1)))
    return direct_gfevd(np.array(phi), sigma)
