r"""The TVP-VAR of ConnectednessApproach (R), step for step: priors and the Kalman filter.

This is the ``variant="r"`` engine of :class:`~._tvp.TVPVAR`; it reproduces the R package
ConnectednessApproach (Gabauer; ``TVPVAR()``, ``BayesPrior()``, ``MinnesotaPrior()``,
``UninformativePrior()``) to rounding (about 1e-13 on the TCI of the acg2020 data).

The model (Antonakakis, Chatziantoniou & Gabauer 2020, eqs. 1–2; Koop & Korobilis 2014) on data
demeaned by their full-sample means, without an intercept:

.. math::

    y_t = A_t x_t + \varepsilon_t, \quad x_t = [y_{t-1}', \dots, y_{t-p}']', \qquad
    \beta_t = \mathrm{vec}(A_t') = \beta_{t-1} + \nu_t .

For :math:`t = 1 .. T` (rows, counted from 1 as in R), with :math:`Z_t = I_k \otimes x_t'`:

* error covariance (EWMA with decay :math:`\kappa_2`, from the **prediction error** of the
  previous step's coefficients):
  :math:`Q_1 = Q_0`;
  :math:`Q_t = \kappa_2 Q_{t-1} + (1-\kappa_2)\, 0.1\, y_t y_t'` for :math:`2 \le t \le p+1`;
  :math:`Q_t = \kappa_2 Q_{t-1} + (1-\kappa_2)\, e_t e_t'`,
  :math:`e_t = y_t - \tilde A_{t-1} x_t` afterwards, where :math:`\tilde A_{t-1}` is the
  coefficient estimate of step t-1 *before* the stability check below;
* coefficients: :math:`\beta_{t|t} = \beta_0` for :math:`t \le p`; at :math:`t = p+1` the
  prediction is the prior (:math:`\beta_0`, :math:`P_0`); afterwards
  :math:`\beta_{t|t-1} = \beta_{t-1|t-1}`, :math:`P_{t|t-1} = P_{t-1|t-1}/\kappa_1`; the update is
  :math:`K_t = P_{t|t-1} Z_t' (Z_t P_{t|t-1} Z_t' + Q_t)^{-1}`,
  :math:`\beta_{t|t} = \beta_{t|t-1} + K_t (y_t - Z_t \beta_{t|t-1})`,
  :math:`P_{t|t} = P_{t|t-1} - K_t Z_t P_{t|t-1}`;
* stability: when the companion matrix of :math:`\beta_{t|t}` has an eigenvalue of modulus
  above 1 (and t > 1), date t keeps the coefficients of date t-1 and the state carried forward
  becomes :math:`0.99\,\beta_{t-1|t-1}`.

The connectedness table of date t is the generalized FEVD of (:math:`A_t`, :math:`Q_t`): every
date has one, including the first p (which use the prior mean).

Priors (mean :math:`\beta_0`, covariance :math:`P_0`, first error covariance :math:`Q_0`):

``"bayes"`` (R ``BayesPrior(x, size = window.size - nlag, nlag)``)
    OLS of the VAR(p) with an intercept on the raw data, regression rows ``p+1 .. W-p`` (W
    = ``prior_window``, R's ``window.size``; so ``W - 2p`` rows): :math:`\beta_0` = the slopes,
    :math:`P_0` = the slope block of :math:`(\sum Z'Z)^{+}` (Moore–Penrose, *not* multiplied by
    the error variance), :math:`Q_0` = SSE / (W − 2p) (Primiceri 2005's training-sample prior).
``"minnesota"`` (R ``MinnesotaPrior(gamma, k, nlag)``)
    :math:`\beta_0 = 0`, :math:`P_0 = \mathrm{diag}(\gamma / l^2)` for a lag-``l`` coefficient,
    :math:`Q_0` = the sample covariance of the data (Koop & Korobilis 2010).
``"uninformative"`` (R ``UninformativePrior(k, nlag)``)
    :math:`\beta_0 = 0`, :math:`P_0 = 4 I`, :math:`Q_0` = the sample covariance.

Look-ahead: the demeaning uses the full-sample means and the Bayes prior the first W rows, as
in R; values are therefore not as-of (see :class:`~._tvp.TVPVAR` for the variant without it).

References
----------
.. [1] Antonakakis, N., Chatziantoniou, I., & Gabauer, D. (2020). Refined measures of dynamic
   connectedness based on time-varying parameter vector autoregressions. *Journal of Risk and
   Financial Management*, 13(4), 84.
.. [2] Koop, G., & Korobilis, D. (2014). A new index of financial conditions. *European Economic
   Review*, 71, 101–116.
.. [3] Primiceri, G. E. (2005). Time varying structural vector autoregressions and monetary
   policy. *Review of Economic Studies*, 72(3), 821–852.
.. [4] Gabauer, D. ConnectednessApproach (R package), files ``R/TVPVAR.R``, ``R/BayesPrior.R``,
   ``R/MinnesotaPrior.R``, ``R/UninformativePrior.R``.
"""

from __future__ import annotations

import numpy as np

from spillwatch._compat.numba import jit
from spillwatch._typing import Float64Array

#: MASS::ginv's tolerance: singular values below sqrt(eps) times the largest are dropped
GINV_RCOND = float(np.sqrt(np.finfo(float).eps))

#: R's scale of the outer product y_t y_t' in Q_t for t = 2 .. p+1
EARLY_Q_SCALE = 0.1

#: R's shrinkage of the carried state after an unstable step
UNSTABLE_SHRINK = 0.99

#: R's variance of every coefficient under the uninformative prior
UNINFORMATIVE_VARIANCE = 4.0

R_PRIORS = ("bayes", "minnesota", "uninformative")


def lagged(y: Float64Array, lags: int) -> tuple[Float64Array, Float64Array]:
    """Regressors ``[y_{t-1}, .., y_{t-p}]`` (rows t = p .. T-1) and the left-hand side."""
    t, k = y.shape
    x = np.empty((t - lags, k * lags))
    for lag in range(1, lags + 1):
        x[:, (lag - 1) * k : lag * k] = y[lags - lag : t - lag]
    return x, y[lags:]


def bayes_prior(
    y: Float64Array, lags: int, window: int
) -> tuple[Float64Array, Float64Array, Float64Array]:
    r"""R's ``BayesPrior`` in equation-major order: mean (k m,), covariance (k m, k m), Q0.

    ``y`` are the raw data; OLS with an intercept on regression rows ``p .. W-p-1``
    (0-based), i.e. the first ``W - p`` rows of data. With :math:`Z_t = I_k \otimes
    [1, x_t']`, :math:`\sum Z'Z = I_k \otimes X'X`, so its pseudo-inverse is block diagonal with
    blocks :math:`(X'X)^{+}` (the cut-off of ``MASS::ginv`` is the same for the blocks as for the
    whole, since they share the largest singular value).
    """
    k = y.shape[1]
    m = k * lags
    size = window - 2 * lags
    x, lhs = lagged(y[: window - lags], lags)
    design = np.empty((size, 1 + m))
    design[:, 0] = 1.0
    design[:, 1:] = x[:size]
    lhs = lhs[:size]
    vbar = np.linalg.pinv(design.T @ design, rcond=GINV_RCOND, hermitian=True)
    coef = vbar @ (design.T @ lhs)  # (1 + m, k)
    resid = lhs - design @ coef
    q0 = resid.T @ resid / size
    mean = np.ascontiguousarray(coef[1:].T).ravel()  # equation i, then lag, then variable
    cov = np.kron(np.eye(k), vbar[1:, 1:])
    return mean, cov, q0


def diagonal_prior(
    k: int, lags: int, prior: str, gamma: float
) -> tuple[Float64Array, Float64Array]:
    """Mean and covariance of R's ``MinnesotaPrior`` (gamma / l^2) or ``UninformativePrior`` (4)."""
    m = k * lags
    if prior == "uninformative":
        var = np.full(k * m, UNINFORMATIVE_VARIANCE)
    else:
        per_lag = gamma / np.arange(1, lags + 1, dtype=float) ** 2
        var = np.tile(np.repeat(per_lag, k), k)  # equation-major: (i, lag, j)
    return np.zeros(k * m), np.diag(var)


def stable_python(beta: Float64Array, k: int, lags: int) -> bool:
    r"""Whether the companion matrix of ``beta`` (k, k p) has spectral radius at most 1 (R's test).

    Cheap sufficient tests first: :math:`\rho(C)^j = \rho(C^j) \le \|C^j\|_\infty`, so
    if :math:`\sum_l \|A_l\|_\infty \le 1` (which bounds :math:`\rho(C)` directly) or
    :math:`\|C^{j}\|_\infty \le 1` for one of :math:`j = 2, 4, .., 64` (repeated squaring)
    the matrix is stable. Only when all are inconclusive (a root near or beyond the unit circle)
    are the eigenvalues computed, as R does for every date.
    """
    m = k * lags
    total = 0.0
    for lag in range(lags):
        row_max = 0.0
        for i in range(k):
            rs = 0.0
            for j in range(k):
                rs += abs(beta[i, lag * k + j])
            row_max = max(row_max, rs)
        total += row_max
    if total <= 1.0:
        return True
    comp = np.zeros((m, m))
    comp[:k] = beta
    for i in range(m - k):
        comp[k + i, i] = 1.0
    power = comp
    for _ in range(6):
        power = power @ power
        if np.max(np.sum(np.abs(power), axis=1)) <= 1.0:
            return True
    radius = np.max(np.abs(np.linalg.eigvals(comp.astype(np.complex128))))
    return bool(radius <= 1.0)


stable = jit(stable_python)


def r_filter_python(
    x: Float64Array,
    lags: int,
    kappa1: float,
    kappa2: float,
    b0: Float64Array,
    p0: Float64Array,
    q0: Float64Array,
) -> tuple[Float64Array, Float64Array]:
    r"""The filter of the module docstring on demeaned data ``x`` (T, k).

    The state is equation-major: ``beta[i * m + l * k + j]`` is the coefficient of variable j at
    lag l + 1 in equation i (``m = k p``), so :math:`Z_t = I_k \otimes x_t'` and
    :math:`P Z'` is one matrix-vector product of ``P`` viewed as (k m k, m).

    Returns
    -------
    betas : ndarray, shape (T, k, m)
        Coefficients of each date (after the stability check).
    qs : ndarray, shape (T, k, k)
        :math:`Q_t`.
    """
    t_len, k = x.shape
    m = k * lags
    n = k * m
    betas = np.empty((t_len, k, m))
    qs = np.empty((t_len, k, k))
    beta = b0.copy()  # the state carried to the next step
    raw = b0.copy()  # this step's estimate before the stability check
    pmat = p0.copy()
    q = q0.copy()
    xl = np.zeros(m)
    sig = np.empty((k, k))
    zp = np.empty((k, n))
    inv_k1 = 1.0 / kappa1
    for t in range(t_len):
        if t >= lags:
            for lag in range(lags):
                xl[lag * k : (lag + 1) * k] = x[t - 1 - lag]
        if t > 0:
            if t <= lags:
                g = EARLY_Q_SCALE * np.outer(x[t], x[t])
            else:
                e = x[t] - raw.reshape(k, m) @ xl
                g = np.outer(e, e)
            q = kappa2 * q + (1.0 - kappa2) * g
        qs[t] = q
        if t < lags:
            cand = b0.copy()
        else:
            if t == lags:
                pred = b0.copy()
                pmat = p0.copy()
            else:
                pred = beta.copy()
                pmat = pmat * inv_k1
            pz = (pmat.reshape(n * k, m) @ xl).reshape(n, k)  # P Z'
            for i in range(k):
                sig[i] = xl @ pz[i * m : (i + 1) * m]  # Z P Z'
                zp[i] = xl @ pmat[i * m : (i + 1) * m]  # Z P
            gain = pz @ np.linalg.inv(sig + q)
            cand = pred + gain @ (x[t] - pred.reshape(k, m) @ xl)
            # P - K (Z P) as R writes it, not P - K (P Z')': equal in exact arithmetic, but the
            # second form amplifies the rounding in P's antisymmetric part by 1/kappa1 a step
            pmat = pmat - gain @ zp
        raw = cand
        if t == 0 or stable(cand.reshape(k, m), k, lags):
            beta = cand
            betas[t] = cand.reshape(k, m)
        else:
            betas[t] = betas[t - 1]
            beta = UNSTABLE_SHRINK * beta
    return betas, qs


r_filter = jit(r_filter_python)
