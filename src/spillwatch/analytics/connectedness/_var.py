"""VAR(p) by OLS with an intercept: one sample, or every rolling window at once.

The rolling path never loops over windows in Python. It forms the cross-products of the
augmented design :math:`Z_t = [x_t', y_t']` with :math:`x_t = [1, y_{t-1}', \\dots, y_{t-p}']'`,
and slides them: the sum of window :math:`w+1` is the sum of window :math:`w` plus the outer
product of the newest regression row minus that of the oldest (a cumulative sum of those
differences, restarted from an exact sum every ``chunk`` windows so rounding cannot drift).
The normal equations of all windows of a chunk are then solved in one batched LAPACK call.

Numerics: the data are centred and scaled once (globally) before the cross-products are formed.
The intercept absorbs the centring; the slope matrices transform as
:math:`A_l^{(y)} = D A_l^{(z)} D^{-1}` and :math:`\\Sigma^{(y)} = D \\Sigma^{(z)} D` with
:math:`D = \\mathrm{diag}(s)`. Generalized and Cholesky FEVDs are invariant to this scaling, so
connectedness is computed on the scaled system directly.

Rolling convention
------------------
A window of ``W`` rows holds ``W`` observations, hence ``W - p`` regression rows; ``T`` rows give
``T - W + 1`` windows, labelled by their last date. The R package ConnectednessApproach
(Gabauer) subtracts ``nlag`` from its ``window.size`` first: its ``window.size = W + p`` gives the
same windows as ``window=W`` here.

References
----------
.. [1] Lütkepohl, H. (2005). *New Introduction to Multiple Time Series Analysis*. Springer,
   Section 3.2 (multivariate LS estimation, eq. 3.2.10) and eq. 3.2.19 (the residual covariance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spillwatch._typing import Float64Array

#: Smallest allowed pivot of the unit-diagonal (correlation-scaled) normal matrix: a regressor
#: whose share of variance not explained by the previous regressors falls below this is treated
#: as collinear and the window as singular.
PIVOT_TOL = 1e-10


@dataclass(frozen=True)
class Standardizer:
    """Global centring and scaling of a panel (kept to map results back to data units)."""

    mean: Float64Array
    scale: Float64Array

    @classmethod
    def of(cls, y: Float64Array) -> Standardizer:
        mean = y.mean(axis=0)
        scale = y.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        return cls(mean=mean, scale=scale)

    def apply(self, y: Float64Array) -> Float64Array:
        return (y - self.mean) / self.scale


def design(z: Float64Array, lags: int) -> Float64Array:
    """Return the augmented design ``[1, z_{t-1}, ..., z_{t-p}, z_t]`` for ``t = p .. T-1``.

    Shape ``(T - p, 1 + k p + k)``: the first ``m = 1 + k p`` columns are regressors, the last
    ``k`` the left-hand side.
    """
    t, k = z.shape
    n = t - lags
    out = np.empty((n, 1 + k * lags + k))
    out[:, 0] = 1.0
    for lag in range(1, lags + 1):
        out[:, 1 + (lag - 1) * k : 1 + lag * k] = z[lags - lag : t - lag]
    out[:, 1 + k * lags :] = z[lags:]
    return out


@dataclass(frozen=True)
class VAREstimates:
    """OLS estimates of a batch of VARs (scaled units).

    Attributes
    ----------
    coefs : ndarray, shape (n, p, k, k)
        Slope matrices :math:`A_1 .. A_p` of each window.
    intercept : ndarray, shape (n, k)
    sigma : ndarray, shape (n, k, k)
        Residual covariance with the unbiased divisor ``nobs - (1 + k p)`` (statsmodels'
        ``sigma_u``; the FEVDs do not depend on the divisor).
    ok : ndarray of bool, shape (n,)
        False where the window's design is singular (its numbers are NaN).
    nobs : int
        Regression rows per window.
    """

    coefs: Float64Array
    intercept: Float64Array
    sigma: Float64Array
    ok: np.ndarray
    nobs: int


def _solve_normal(
    xtx: Float64Array, xty: Float64Array, yty: Float64Array, nobs: int, k: int, lags: int
) -> VAREstimates:
    """Solve a batch of normal equations; flag singular designs instead of failing the batch."""
    n, m, _ = xtx.shape
    d = np.sqrt(np.einsum("nii->ni", xtx))
    ok = np.all(d > 0, axis=1)
    d = np.where(d > 0, d, 1.0)
    corr = xtx / (d[:, :, None] * d[:, None, :])
    corr[~ok] = np.eye(m)
    try:
        chol = np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        chol = np.empty_like(corr)
        for i in range(n):
            try:
                chol[i] = np.linalg.cholesky(corr[i])
            except np.linalg.LinAlgError:
                ok[i] = False
                chol[i] = np.eye(m)
    ok &= np.einsum("nii->ni", chol).min(axis=1) ** 2 > PIVOT_TOL
    corr[~ok] = np.eye(m)
    rhs = xty / d[:, :, None]
    beta = np.linalg.solve(corr, rhs) / d[:, :, None]  # (n, m, k): column j = equation j
    ssr = yty - np.einsum("nmi,nmj->nij", xty, beta)
    sigma = 0.5 * (ssr + np.swapaxes(ssr, 1, 2)) / (nobs - m)
    coefs = beta[:, 1:, :].reshape(n, lags, k, k).transpose(0, 1, 3, 2)
    intercept = beta[:, 0, :]
    coefs[~ok] = np.nan
    intercept[~ok] = np.nan
    sigma[~ok] = np.nan
    return VAREstimates(coefs=coefs, intercept=intercept, sigma=sigma, ok=ok, nobs=nobs)


def ols_var(z: Float64Array, lags: int) -> VAREstimates:
    """Fit one VAR(p) with intercept by OLS (batch of one).

    Parameters
    ----------
    z : ndarray, shape (T, k)
        The (scaled) data.
    lags : int
        The order p.
    """
    k = z.shape[1]
    za = design(z, lags)
    m = 1 + k * lags
    cp = za.T @ za
    return _solve_normal(
        cp[None, :m, :m], cp[None, :m, m:], cp[None, m:, m:], za.shape[0], k, lags
    )


def rolling_cross_products(za: Float64Array, nobs: int, start: int, count: int) -> Float64Array:
    """Cross-products of ``count`` consecutive windows of ``nobs`` design rows from ``start``.

    Window ``w`` covers design rows ``[w, w + nobs)``. The first sum is exact; each next one adds
    the newest row's outer product and drops the oldest's (a cumulative sum of the differences).
    """
    first = za[start : start + nobs]
    out = np.empty((count, za.shape[1], za.shape[1]))
    out[0] = first.T @ first
    if count > 1:
        new = za[start + nobs : start + nobs + count - 1]
        old = za[start : start + count - 1]
        delta = new[:, :, None] * new[:, None, :] - old[:, :, None] * old[:, None, :]
        np.cumsum(delta, axis=0, out=delta)
        out[1:] = out[0] + delta
    return out


def rolling_ols_var(
    z: Float64Array, lags: int, window: int, *, start: int = 0, count: int | None = None
) -> VAREstimates:
    """Fit the VAR(p) on windows ``start .. start + count - 1`` of ``window`` rows each.

    Window ``w`` holds data rows ``[w, w + window)``, hence ``window - lags`` regression rows.
    """
    t, k = z.shape
    n_total = t - window + 1
    count = n_total - start if count is None else count
    nobs = window - lags
    m = 1 + k * lags
    # only the design rows these windows need
    lo = start
    hi = start + count - 1 + window
    za = design(z[lo:hi], lags)
    cp = rolling_cross_products(za, nobs, 0, count)
    return _solve_normal(cp[:, :m, :m], cp[:, :m, m:], cp[:, m:, m:], nobs, k, lags)


def unscale(est: VAREstimates, std: Standardizer) -> VAREstimates:
    """Map estimates of the scaled system back to data units."""
    s = std.scale
    coefs = est.coefs * s[:, None] / s[None, :]
    sigma = est.sigma * s[:, None] * s[None, :]
    # z = (y - mu)/s  =>  y_t = mu + s*(c + sum A_l (y_{t-l}-mu)/s) + s e
    a_sum = coefs.sum(axis=1)
    intercept = std.mean + est.intercept * s - np.einsum("nij,j->ni", a_sum, std.mean)
    return VAREstimates(coefs=coefs, intercept=intercept, sigma=sigma, ok=est.ok, nobs=est.nobs)
