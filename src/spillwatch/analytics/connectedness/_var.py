r"""VAR(p) by OLS with an intercept: one sample, or every rolling window at once.

The rolling path never loops over windows in Python. It forms the cross-products of the
augmented design :math:`Z_t = [x_t', y_t']` with :math:`x_t = [1, y_{t-1}', \dots, y_{t-p}']'`,
and slides them: the sum of window :math:`w+1` is the sum of window :math:`w` plus the product
of the newest regression row minus that of the oldest. Every block of :math:`Z'Z` is a window
sum of a lag product :math:`z_{t-a} z_{t-b}'`, so only ``p + 1`` running sums of
:math:`z_u z_{u-d}'` are kept (see :func:`assemble_cross_products`); they restart every 4096
windows so rounding cannot drift. Each batch of windows is then solved at once: one batched
LAPACK Cholesky factorisation of the augmented matrices gives the coefficients (a batched back
substitution) and the residual covariances (see :func:`_solve_normal`). With numba, the compiled
kernels of :mod:`._kernels` do the same per block of windows (running sums, assembly and
factorisation in one pass, 32 windows side by side in SIMD lanes); the numpy code here is their
reference and the fallback.

Numerics: the data are centred and scaled once (globally) before the cross-products are formed.
The intercept absorbs the centring; the slope matrices transform as
:math:`A_l^{(y)} = D A_l^{(z)} D^{-1}` and :math:`\Sigma^{(y)} = D \Sigma^{(z)} D` with
:math:`D = \mathrm{diag}(s)`. Generalized and Cholesky FEVDs are invariant to this scaling, so
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
.. [2] Golub, G. H., & Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Section 5.3.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from spillwatch._compat import numba as numba_compat
from spillwatch._typing import Float64Array
from spillwatch.analytics.connectedness import _kernels

#: Smallest allowed relative pivot of the normal matrix: a regressor whose share of (uncentred)
#: variance not explained by the previous regressors falls below this is treated as collinear
#: and the window as singular.
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


def back_substitute(chol: Float64Array, rhs: Float64Array) -> Float64Array:
    """Solve :math:`L' b = r` for a batch of lower-triangular ``L`` (n, m, m), ``r`` (n, m, k).

    One step per row, each vectorised over the batch (numpy has no batched triangular solve;
    for the small systems of a VAR this beats an LU solve per matrix).
    """
    m = chol.shape[1]
    out = np.empty_like(rhs)
    diag = np.einsum("nii->ni", chol)
    out[:, m - 1] = rhs[:, m - 1] / diag[:, m - 1 :]
    for i in range(m - 2, -1, -1):
        # row i of L' is column i of L below the diagonal
        acc = rhs[:, i] - (np.swapaxes(chol[:, i + 1 :, i : i + 1], 1, 2) @ out[:, i + 1 :])[:, 0]
        out[:, i] = acc / diag[:, i : i + 1]
    return out


def _solve_normal(cross: Float64Array, nobs: int, k: int, lags: int) -> VAREstimates:
    """Least squares from a batch of augmented cross-products ``Z'Z``, ``Z = [X, Y]`` (numpy).

    One Cholesky factorisation of the augmented matrix gives everything
    (Golub & Van Loan 2013, Section 5.3.2; the "Cholesky of the augmented matrix" form of OLS):
    with :math:`L = [[L_{11}, 0], [L_{21}, L_{22}]]`, the coefficients solve
    :math:`L_{11}' B = L_{21}'` and the residual cross-product is :math:`L_{22} L_{22}'` (no
    subtraction, so no cancellation). A window whose regressors are collinear (a pivot of
    :math:`L_{11}` below :data:`PIVOT_TOL`) or whose factorisation fails is flagged, not solved;
    so is one where a left-hand variable is fitted exactly (a constant or collinear column).
    Only the lower triangle of ``cross`` is read; it may be overwritten.
    """
    n, width, _ = cross.shape
    m = width - k
    diag = np.einsum("nii->ni", cross).copy()
    ok = np.all(diag > 0, axis=1)
    if not ok.all():
        cross[~ok] = np.eye(width)
        diag[~ok] = 1.0
    # the data are standardised globally, so every diagonal entry is close to nobs and the
    # matrix needs no further scaling before it is factorised
    chol: Float64Array
    try:
        chol = np.asarray(np.linalg.cholesky(cross), dtype=np.float64)
    except np.linalg.LinAlgError:
        chol = np.zeros_like(cross)
        for i in range(n):
            try:
                chol[i] = np.linalg.cholesky(cross[i])
            except np.linalg.LinAlgError:
                ok[i] = False
                chol[i] = np.eye(width)
    # relative pivots: the share of each regressor not explained by the ones before it
    pivots = np.einsum("nii->ni", chol[:, :m, :m]) ** 2 / diag[:, :m]
    ok &= pivots.min(axis=1) > PIVOT_TOL
    bad = not ok.all()
    if bad:
        chol[~ok] = np.eye(width)
    beta = back_substitute(chol[:, :m, :m], np.swapaxes(chol[:, m:, :m], 1, 2))  # (n, m, k)
    l22 = chol[:, m:, m:]
    sigma = (l22 @ np.swapaxes(l22, 1, 2)) / (nobs - m)
    coefs = beta[:, 1:, :].reshape(n, lags, k, k).transpose(0, 1, 3, 2)
    intercept = beta[:, 0, :]
    if bad:
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
    return _solve_normal((za.T @ za)[None], za.shape[0], k, lags)


def running_sums(z: Float64Array, lags: int) -> tuple[Float64Array, list[Float64Array]]:
    """Running sums of :math:`z_u` and of the lag products :math:`G_d(u) = z_u z_{u-d}'`.

    Returns ``run1`` of shape (rows + 1, k) and, for d = 0 .. p, ``runs[d]`` of shape
    (rows + 1, k, k) with ``runs[d][s] = sum of G_d(u) for d <= u < s``.
    """
    rows, k = z.shape
    run1 = np.zeros((rows + 1, k))
    np.cumsum(z, axis=0, out=run1[1:])
    runs = []
    for d in range(lags + 1):
        run = np.zeros((rows + 1, k, k))
        prod = z[d:, :, None] * z[: rows - d, None, :]  # G_d(u) for u = d .. rows-1
        np.cumsum(prod, axis=0, out=run[d + 1 :])
        runs.append(run)
    return run1, runs


def assemble_cross_products(
    sums: tuple[Float64Array, list[Float64Array]], lags: int, window: int, first: int, count: int
) -> Float64Array:
    """Cross-products ``Z_w' Z_w`` of windows ``first .. first + count - 1`` from running sums.

    Window ``w`` covers data rows ``[w, w + window)`` of the rows the sums were taken over.
    Every block of ``Z'Z`` is a window sum of a lag product :math:`z_{t-a} z_{t-b}'`, i.e. the
    difference of two running sums: the previous window's sum plus the newest product minus the
    oldest one. Only the lower block triangle is filled (the Cholesky factorisation reads no
    more); the upper triangle is zero.

    Returns
    -------
    ndarray, shape (count, m + k, m + k)
        ``m = 1 + k p`` regressors first, then the ``k`` left-hand-side columns.
    """
    run1, runs = sums
    k = run1.shape[1]
    m = 1 + k * lags
    out = np.zeros((count, m + k, m + k))
    out[:, 0, 0] = window - lags
    # column offset of each lag block: regressor lags 1..p, then lag 0 (the left-hand side)
    offset = {a: 1 + (a - 1) * k for a in range(1, lags + 1)} | {0: m}
    for a, ca in offset.items():
        # sum over regression rows t of z_{t-a}: run[j + window - a] - run[j + lags - a]
        hi, lo = first + window - a, first + lags - a
        out[:, ca : ca + k, 0] = run1[hi : hi + count] - run1[lo : lo + count]
        for b, cb in offset.items():
            if cb > ca or b < a:
                continue
            # block (rows ca, cols cb) = sum_t z_{t-a} z_{t-b}', b >= a: u = t - a, d = b - a
            run = runs[b - a]
            out[:, ca : ca + k, cb : cb + k] = run[hi : hi + count] - run[lo : lo + count]
        for b, cb in offset.items():
            if cb > ca or b >= a:
                continue
            # b < a: the transpose of sum_t z_{t-b} z_{t-a}' (u = t - b, d = a - b)
            run = runs[a - b]
            hb, lb = first + window - b, first + lags - b
            out[:, ca : ca + k, cb : cb + k] = np.swapaxes(
                run[hb : hb + count] - run[lb : lb + count], 1, 2
            )
    return out


def rolling_var_batches(
    z: Float64Array, lags: int, window: int, *, chunk: int, block: int = 4096
) -> Iterator[tuple[int, VAREstimates]]:
    """Yield ``(first window, estimates)`` for batches of ``chunk`` windows over all windows.

    Running sums are taken once per block of ``block`` windows (restarting there bounds their
    rounding drift). With numba, each block is fitted by the compiled kernel
    :func:`._kernels.rolling_solve` (one batch per block); otherwise each batch of ``chunk``
    windows is assembled from the sums and solved at once in numpy. Both give the same numbers
    to rounding.
    """
    t, k = z.shape
    n = t - window + 1
    fast = numba_compat.enabled("the rolling VAR")
    for b0 in range(0, n, block):
        bcount = min(block, n - b0)
        rows = np.ascontiguousarray(z[b0 : b0 + bcount - 1 + window])
        if fast:
            run1, runs = _kernels.running_sums(rows, lags)
            coefs, intercept, sigma, ok = _kernels.rolling_solve(
                run1, runs, lags, window, 0, bcount, PIVOT_TOL, _kernels.LANES)
            yield b0, VAREstimates(coefs=coefs, intercept=intercept, sigma=sigma, ok=ok,
                                   nobs=window - lags)
            continue
        sums = running_sums(rows, lags)
        for c0 in range(0, bcount, chunk):
            count = min(chunk, bcount - c0)
            cp = assemble_cross_products(sums, lags, window, c0, count)
            yield b0 + c0, _solve_normal(cp, window - lags, k, lags)


def unscale(est: VAREstimates, std: Standardizer) -> VAREstimates:
    """Map estimates of the scaled system back to data units."""
    s = std.scale
    coefs = est.coefs * s[:, None] / s[None, :]
    sigma = est.sigma * s[:, None] * s[None, :]
    # z = (y - mu)/s  =>  y_t = mu + s*(c + sum A_l (y_{t-l}-mu)/s) + s e
    a_sum = coefs.sum(axis=1)
    intercept = std.mean + est.intercept * s - np.einsum("nij,j->ni", a_sum, std.mean)
    return VAREstimates(coefs=coefs, intercept=intercept, sigma=sigma, ok=est.ok, nobs=est.nobs)


@dataclass(frozen=True)
class VAR:
    """Spec of a VAR(p) with intercept, estimated by OLS (on the whole sample or per window).

    Parameters
    ----------
    lags : int, default 2
        The order p.

    Examples
    --------
    >>> from spillwatch.analytics.connectedness import VAR
    >>> VAR(lags=4)
    VAR(lags=4)
    """

    lags: int = 2

    def __post_init__(self) -> None:
        from spillwatch._validation import MAX_LAGS, positive_int

        positive_int(self.lags, name="lags", maximum=MAX_LAGS)

    #: whether a fit on the whole sample gives one table (False: one per date)
    time_varying = False
