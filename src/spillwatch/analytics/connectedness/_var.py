r"""VAR(p) by OLS with an intercept: one sample, or every rolling window at once.

The rolling path never loops over windows in Python. It forms the cross-products of the
augmented design :math:`Z_t = [x_t', y_t']` with :math:`x_t = [1, y_{t-1}', \dots, y_{t-p}']'`,
and slides them: the sum of window :math:`w+1` is the sum of window :math:`w` plus the product
of the newest regression row minus that of the oldest. Every block of :math:`Z'Z` is a window
sum of a lag product :math:`z_{t-a} z_{t-b}'`, so only ``p + 1`` running sums of
:math:`z_u z_{u-d}'` are kept (see :func:`rolling_cross_products`); they restart at each batch of
windows so rounding cannot drift. The normal equations of a batch are solved in one batched
LAPACK call.

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
    """Least squares from a batch of augmented cross-products ``Z'Z``, ``Z = [X, Y]``.

    One Cholesky factorisation of the (correlation-scaled) augmented matrix gives everything
    (Golub & Van Loan 2013, Section 5.3.2; the "Cholesky of the augmented matrix" form of OLS):
    with :math:`L = [[L_{11}, 0], [L_{21}, L_{22}]]`, the coefficients solve
    :math:`L_{11}' B = L_{21}'` and the residual cross-product is :math:`L_{22} L_{22}'` (no
    subtraction, so no cancellation). A window whose regressors are collinear (a pivot of
    :math:`L_{11}` below :data:`PIVOT_TOL`) or whose factorisation fails is flagged, not solved.
    """
    n, width, _ = cross.shape
    m = width - k
    d = np.sqrt(np.einsum("nii->ni", cross))
    ok = np.all(d > 0, axis=1)
    d = np.where(d > 0, d, 1.0)
    corr = cross / (d[:, :, None] * d[:, None, :])
    if not ok.all():
        corr[~ok] = np.eye(width)
    try:
        chol = np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        chol = np.empty_like(corr)
        for i in range(n):
            try:
                chol[i] = np.linalg.cholesky(corr[i])
            except np.linalg.LinAlgError:
                ok[i] = False
                chol[i] = np.eye(width)
    ok &= np.einsum("nii->ni", chol[:, :m, :m]).min(axis=1) ** 2 > PIVOT_TOL
    bad = not ok.all()
    if bad:
        chol[~ok] = np.eye(width)
    dx, dy = d[:, :m], d[:, m:]
    beta = back_substitute(chol[:, :m, :m], np.swapaxes(chol[:, m:, :m], 1, 2))
    beta *= dy[:, None, :] / dx[:, :, None]  # (n, m, k): column j = equation j
    l22 = chol[:, m:, m:]
    sigma = (l22 @ np.swapaxes(l22, 1, 2)) * (dy[:, :, None] * dy[:, None, :]) / (nobs - m)
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


def _lag_blocks(lags: int, k: int) -> list[tuple[int, int]]:
    """Column offset of each lag block in the augmented design (lag 0 = the left-hand side)."""
    m = 1 + k * lags
    return [(m, 0)] + [(1 + (a - 1) * k, a) for a in range(1, lags + 1)]


def rolling_cross_products(z: Float64Array, lags: int, window: int, count: int) -> Float64Array:
    """Cross-products ``Z_w' Z_w`` of the augmented design of ``count`` consecutive windows.

    ``z`` holds the ``count - 1 + window`` data rows of these windows; window ``w`` covers data
    rows ``[w, w + window)``. Every block of ``Z'Z`` is a sum over the window of a lag product
    :math:`z_{t-a} z_{t-b}'`, so only the ``p + 1`` lag-product sequences
    :math:`G_d(u) = z_u z_{u-d}'` (and :math:`z_u` for the intercept) are accumulated: a running
    sum ``R`` of each, whose difference ``R[w + W] - R[w]`` is the window sum, i.e. the previous
    window's sum plus the newest product minus the oldest. Running sums restart at each batch,
    which bounds rounding drift by ``(count + window) / window`` ulps of a window sum.

    Returns
    -------
    ndarray, shape (count, m + k, m + k)
        ``m = 1 + k p`` regressors first, then the ``k`` left-hand-side columns.
    """
    rows, k = z.shape
    m = 1 + k * lags
    out = np.empty((count, m + k, m + k))
    run1 = np.zeros((rows + 1, k))
    np.cumsum(z, axis=0, out=run1[1:])
    runs = []
    for d in range(lags + 1):
        run = np.zeros((rows + 1, k, k))
        prod = z[d:, :, None] * z[: rows - d, None, :]  # G_d(u) for u = d .. rows-1
        np.cumsum(prod, axis=0, out=run[d + 1 :])
        runs.append(run)
    nobs = window - lags
    out[:, 0, 0] = nobs
    blocks = _lag_blocks(lags, k)
    for ca, a in blocks:
        # intercept row/column: sum over regression rows t of z_{t-a}; window j's sum is
        # run[j + window - a] - run[j + lags - a], a slice over j
        hi, lo = window - a, lags - a
        s1 = run1[hi : hi + count] - run1[lo : lo + count]
        out[:, 0, ca : ca + k] = s1
        out[:, ca : ca + k, 0] = s1
        for cb, b in blocks:
            if b < a:
                continue
            run = runs[b - a]
            # sum_t z_{t-a} z_{t-b}' with u = t - a running over [j + p - a, j + W - 1 - a]
            blk = run[hi : hi + count] - run[lo : lo + count]
            out[:, ca : ca + k, cb : cb + k] = blk
            if b != a:
                out[:, cb : cb + k, ca : ca + k] = np.swapaxes(blk, 1, 2)
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
    cp = rolling_cross_products(z[start : start + count - 1 + window], lags, window, count)
    return _solve_normal(cp, window - lags, k, lags)


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
        from spillwatch.analytics.connectedness._checks import positive_int

        positive_int(self.lags, name="lags")

    #: whether a fit on the whole sample gives one table (False: one per date)
    time_varying = False
