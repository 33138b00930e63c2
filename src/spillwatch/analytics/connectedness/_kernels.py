r"""Compiled kernels of the rolling VAR: running lag sums, and least squares window by window.

They run through :mod:`spillwatch._compat.numba`; the batched numpy code in :mod:`._var` is the
reference and the fallback when numba is missing or disabled. Both paths compute the same
quantities by the same algorithms (same order of every sum), so they agree to rounding (the
tests state 1e-12):

* :func:`running_sums` — :math:`S_d(s) = \sum_{d \le u < s} z_u z_{u-d}'` for d = 0 .. p and
  :math:`s_1(s) = \sum_{u<s} z_u` (sequential sums, as ``numpy.cumsum``).
* :func:`rolling_solve` — the OLS fit of each window from those sums: the lower triangle of the
  augmented cross-products :math:`Z'Z`, :math:`Z = [X, Y]`, is assembled from differences of
  running sums (see :func:`._var.assemble_cross_products`) straight into the factorisation's
  buffer, then one Cholesky factorisation :math:`L L'` gives everything (Golub & Van Loan 2013,
  Section 5.3.2): the coefficients solve :math:`L_{11}' B = L_{21}'`, the residual covariance is
  :math:`L_{22} L_{22}' / (T - m)`. A window is flagged (``ok`` False, numbers NaN) when a
  diagonal entry is not positive, a relative pivot :math:`L_{jj}^2 / (Z'Z)_{jj}` of a regressor
  falls to :data:`~._var.PIVOT_TOL` or below, or the factorisation breaks down (a left-hand
  variable fitted exactly).

Windows are processed :data:`LANES` at a time, with the window as the innermost (contiguous)
axis of every buffer, so the inner loops run over windows and compile to SIMD instructions
without reordering any sum.

References
----------
.. [1] Golub, G. H., & Van Loan, C. F. (2013). *Matrix Computations*, 4th ed., Section 5.3.
"""

from __future__ import annotations

import numpy as np

from spillwatch._compat.numba import jit
from spillwatch._typing import Float64Array

#: Windows handled side by side (see the module docstring). The kernels take it as an argument:
#: LLVM unrolls a loop of a constant trip count and leaves it scalar, but vectorises a loop whose
#: trip count is only known at run time.
LANES = 32


def running_sums_python(z: Float64Array, lags: int) -> tuple[Float64Array, Float64Array]:
    """Running sums ``run1`` (rows + 1, k) and ``runs`` (p + 1, rows + 1, k, k).

    ``runs[d, s] = sum of z_u z_{u-d}' for d <= u < s`` (zero for ``s <= d``); ``run1[s]`` is the
    sum of ``z_u`` for ``u < s``. Same values as :func:`._var.running_sums`.
    """
    rows, k = z.shape
    run1 = np.zeros((rows + 1, k))
    runs = np.zeros((lags + 1, rows + 1, k, k))
    for s in range(rows):
        for i in range(k):
            run1[s + 1, i] = run1[s, i] + z[s, i]
    for d in range(lags + 1):
        for u in range(d, rows):
            for i in range(k):
                zi = z[u, i]
                for j in range(k):
                    runs[d, u + 1, i, j] = runs[d, u, i, j] + zi * z[u - d, j]
    return run1, runs


running_sums = jit(running_sums_python)


def rolling_solve_python(
    run1: Float64Array,
    runs: Float64Array,
    lags: int,
    window: int,
    first: int,
    count: int,
    tol: float,
    lanes: int,
) -> tuple[Float64Array, Float64Array, Float64Array, np.ndarray]:
    """OLS of the VAR(p) with intercept on windows ``first .. first + count - 1``.

    Window ``w`` covers rows ``[w, w + window)`` of the data the sums were taken over.

    Parameters
    ----------
    run1, runs : ndarray
        From :func:`running_sums`.
    lags, window : int
    first, count : int
        The windows to fit.
    tol : float
        Smallest relative pivot of a regressor.
    lanes : int
        Windows per group (:data:`LANES`).

    Returns
    -------
    coefs (count, p, k, k), intercept (count, k), sigma (count, k, k), ok (count,)
        NaN where ``ok`` is False. ``sigma`` has the divisor ``window - p - (1 + k p)``.
    """
    k = run1.shape[1]
    m = 1 + k * lags
    w = m + k
    nobs = window - lags
    coefs = np.full((count, lags, k, k), np.nan)
    intercept = np.full((count, k), np.nan)
    sigma = np.full((count, k, k), np.nan)
    ok = np.zeros(count, dtype=np.bool_)
    # the cross-products are assembled into ``chol`` and factorised in place (lower triangle);
    # the diagonal of Z'Z is kept for the relative pivots
    chol = np.zeros((w, w, lanes))
    diag = np.zeros((w, lanes))
    beta = np.zeros((m, k, lanes))
    good = np.ones(lanes, dtype=np.bool_)
    # column offset of each lag block: regressor lags 1..p, then lag 0 (the left-hand side)
    offset = np.empty(lags + 1, dtype=np.int64)
    offset[0] = m
    for lag in range(1, lags + 1):
        offset[lag] = 1 + (lag - 1) * k
    for g0 in range(0, count, lanes):
        group = min(lanes, count - g0)
        for lane in range(lanes):
            win = first + g0 + (lane if lane < group else 0)
            good[lane] = True
            chol[0, 0, lane] = nobs
            for la in range(lags + 1):
                ca = offset[la]
                hi = win + window - la
                lo = win + lags - la
                for i in range(k):
                    chol[ca + i, 0, lane] = run1[hi, i] - run1[lo, i]
                for lb in range(lags + 1):
                    cb = offset[lb]
                    if cb > ca:
                        continue
                    if lb >= la:
                        d = lb - la
                        for i in range(k):
                            for j in range(k):
                                chol[ca + i, cb + j, lane] = (runs[d, hi, i, j]
                                                              - runs[d, lo, i, j])
                    else:
                        d = la - lb
                        hb = win + window - lb
                        lob = win + lags - lb
                        for i in range(k):
                            for j in range(k):
                                chol[ca + i, cb + j, lane] = (runs[d, hb, j, i]
                                                              - runs[d, lob, j, i])
        for j in range(w):
            for lane in range(lanes):
                diag[j, lane] = chol[j, j, lane]
        # Cholesky of the lower triangle in place, column by column (left-looking)
        for j in range(w):
            for c in range(j):
                for lane in range(lanes):
                    chol[j, j, lane] -= chol[j, c, lane] * chol[j, c, lane]
            for lane in range(lanes):
                dj = diag[j, lane]
                sj = chol[j, j, lane]
                if not (dj > 0.0 and sj > 0.0) or (j < m and sj / dj <= tol):
                    good[lane] = False
                    sj = 1.0  # keeps the lane finite; its results are discarded
                chol[j, j, lane] = np.sqrt(sj)
            for i in range(j + 1, w):
                for c in range(j):
                    for lane in range(lanes):
                        chol[i, j, lane] -= chol[i, c, lane] * chol[j, c, lane]
                for lane in range(lanes):
                    chol[i, j, lane] /= chol[j, j, lane]
        # L11' B = L21' by back substitution
        for i in range(m - 1, -1, -1):
            for c in range(k):
                for lane in range(lanes):
                    beta[i, c, lane] = chol[m + c, i, lane]
            for j in range(i + 1, m):
                for c in range(k):
                    for lane in range(lanes):
                        beta[i, c, lane] -= chol[j, i, lane] * beta[j, c, lane]
            for c in range(k):
                for lane in range(lanes):
                    beta[i, c, lane] /= chol[i, i, lane]
        for lane in range(group):
            if not good[lane]:
                continue
            b = g0 + lane
            ok[b] = True
            for c in range(k):
                intercept[b, c] = beta[0, c, lane]
            for lag in range(lags):
                for r in range(k):
                    for c in range(k):
                        coefs[b, lag, r, c] = beta[1 + lag * k + c, r, lane]
            for r in range(k):
                for c in range(r + 1):
                    acc = 0.0
                    for q in range(c + 1):
                        acc += chol[m + r, m + q, lane] * chol[m + c, m + q, lane]
                    sigma[b, r, c] = acc / (nobs - m)
                    sigma[b, c, r] = acc / (nobs - m)
    return coefs, intercept, sigma, ok


rolling_solve = jit(rolling_solve_python)
