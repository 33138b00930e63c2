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

from spillwatch._compat import numba as numba_compat
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
    cov = np.asarray(np.kron(np.eye(k), vbar[1:, 1:]), dtype=np.float64)
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


def stable_by_bounds_python(beta: Float64Array, k: int, lags: int, work: Float64Array) -> bool:
    r"""A cheap sufficient test that the companion matrix of ``beta`` (k, k p) is stable.

    :math:`\rho(C)^j = \rho(C^j) \le \|C^j\|_\infty`, so the spectral radius is at most 1 when
    :math:`\sum_l \|A_l\|_\infty \le 1` (a bound on :math:`\rho(C)` itself: an eigenvalue
    with :math:`|\lambda| > 1` would give :math:`\|v\| \le \sum_l \|A_l\|
    |\lambda|^{-l} \|v\| < \|v\|`) or when :math:`\|C^{j}\|_\infty \le 1` for one of
    :math:`j = 2, 4, .., 64` (repeated squaring). False means "not shown": the caller then
    computes the eigenvalues (:func:`stable_by_eigenvalues`). ``work`` is a scratch array of
    shape (3, k p, k p).
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
    power = work[0]
    square = work[1]
    power[:] = 0.0
    for i in range(k):
        for j in range(m):
            power[i, j] = beta[i, j]
    for i in range(m - k):
        power[k + i, i] = 1.0
    for _ in range(6):
        square[:] = 0.0
        for i in range(m):
            for c in range(m):
                pic = power[i, c]
                if pic != 0.0:
                    for j in range(m):
                        square[i, j] += pic * power[c, j]
        norm = 0.0
        for i in range(m):
            rs = 0.0
            for j in range(m):
                rs += abs(square[i, j])
            norm = max(norm, rs)
        if norm <= 1.0:
            return True
        power[:] = square
    return False


stable_by_bounds = jit(stable_by_bounds_python)


def stable_by_bounds_numpy(beta: Float64Array, k: int, lags: int) -> bool:
    """:func:`stable_by_bounds` with numpy operations (the fallback's version)."""
    m = k * lags
    blocks = np.abs(beta).reshape(k, lags, k).sum(axis=2)  # row sums of |A_l|
    if blocks.max(axis=0).sum() <= 1.0:
        return True
    power = np.zeros((m, m))
    power[:k] = beta
    power[k:, : m - k] = np.eye(m - k)
    for _ in range(6):
        power = power @ power
        if np.abs(power).sum(axis=1).max() <= 1.0:
            return True
    return False


def stable_by_eigenvalues(beta: Float64Array, k: int, lags: int) -> bool:
    """R's test itself: the largest eigenvalue modulus of the companion matrix is at most 1."""
    m = k * lags
    comp = np.zeros((m, m))
    comp[:k] = beta
    comp[k:, : m - k] = np.eye(m - k)
    return bool(np.abs(np.linalg.eigvals(comp)).max() <= 1.0)


def stable(beta: Float64Array, k: int, lags: int) -> bool:
    """Whether the companion matrix of ``beta`` (k, k p) has spectral radius at most 1."""
    work = np.zeros((3, k * lags, k * lags))
    return bool(stable_by_bounds(np.ascontiguousarray(beta, dtype=float), k, lags, work)
                or stable_by_eigenvalues(beta, k, lags))


def r_steps_python(
    x: Float64Array,
    lags: int,
    kappa1: float,
    kappa2: float,
    b0: Float64Array,
    p0: Float64Array,
    state: tuple[Float64Array, Float64Array, Float64Array, Float64Array],
    out: tuple[Float64Array, Float64Array],
    start: int,
    verdict: int,
) -> int:
    r"""Steps ``start ..`` of the filter of the module docstring, in place; see :func:`r_filter`.

    The state is equation-major: ``beta[i * m + l * k + j]`` is the coefficient of variable j at
    lag l + 1 in equation i (``m = k p``), so :math:`Z_t = I_k \otimes x_t'`.

    Returns the first step whose stability the cheap bounds cannot show (its update done, its
    stability decision pending: call again with ``start`` = that step and ``verdict`` 1 for
    stable, 0 for not), or T when done. ``verdict`` -1 means no decision is pending.
    """
    beta, raw, pmat, q = state
    betas, qs = out
    t_len, k = x.shape
    m = k * lags
    n = k * m
    xl = np.zeros(m)
    pz = np.zeros((n, k))
    zp = np.zeros((k, n))
    sig = np.zeros((k, k))
    chol = np.zeros((k, k))
    sinv = np.zeros((k, k))
    gain = np.zeros((n, k))
    innov = np.zeros(k)
    work = np.zeros((3, m, m))
    inv_k1 = 1.0 / kappa1
    t = start
    while t < t_len:
        if verdict < 0:
            if t >= lags:
                for lag in range(lags):
                    for j in range(k):
                        xl[lag * k + j] = x[t - 1 - lag, j]
            if t > 0:
                if t <= lags:
                    for i in range(k):
                        for j in range(k):
                            q[i, j] = kappa2 * q[i, j] + (1.0 - kappa2) * (
                                EARLY_Q_SCALE * x[t, i] * x[t, j])
                else:
                    for i in range(k):
                        acc = x[t, i]
                        for a in range(m):
                            acc -= raw[i * m + a] * xl[a]
                        innov[i] = acc
                    for i in range(k):
                        for j in range(k):
                            q[i, j] = kappa2 * q[i, j] + (1.0 - kappa2) * innov[i] * innov[j]
            qs[t] = q
            if t < lags:
                raw[:] = b0
            else:
                if t == lags:
                    raw[:] = b0  # the prediction is the prior
                    pmat[:] = p0
                else:
                    raw[:] = beta
                    for r in range(n):
                        for c in range(n):
                            pmat[r, c] *= inv_k1
                # P Z' (n, k) and Z P (k, n)
                for r in range(n):
                    for i in range(k):
                        acc = 0.0
                        for a in range(m):
                            acc += pmat[r, i * m + a] * xl[a]
                        pz[r, i] = acc
                for i in range(k):
                    for c in range(n):
                        zp[i, c] = 0.0
                    for a in range(m):
                        xa = xl[a]
                        for c in range(n):
                            zp[i, c] += xa * pmat[i * m + a, c]
                # S = Z P Z' + Q, its inverse by Cholesky
                for i in range(k):
                    for j in range(k):
                        acc = q[i, j]
                        for a in range(m):
                            acc += xl[a] * pz[i * m + a, j]
                        sig[i, j] = acc
                for j in range(k):
                    d = sig[j, j]
                    for c in range(j):
                        d -= chol[j, c] * chol[j, c]
                    chol[j, j] = np.sqrt(d)
                    for i in range(j + 1, k):
                        v = sig[i, j]
                        for c in range(j):
                            v -= chol[i, c] * chol[j, c]
                        chol[i, j] = v / chol[j, j]
                for col in range(k):
                    # solve L L' s = e_col
                    for i in range(k):
                        v = 1.0 if i == col else 0.0
                        for c in range(i):
                            v -= chol[i, c] * sinv[c, col]
                        sinv[i, col] = v / chol[i, i]
                    for i in range(k - 1, -1, -1):
                        v = sinv[i, col]
                        for c in range(i + 1, k):
                            v -= chol[c, i] * sinv[c, col]
                        sinv[i, col] = v / chol[i, i]
                for r in range(n):
                    for j in range(k):
                        acc = 0.0
                        for i in range(k):
                            acc += pz[r, i] * sinv[i, j]
                        gain[r, j] = acc
                for i in range(k):
                    acc = x[t, i]
                    for a in range(m):
                        acc -= raw[i * m + a] * xl[a]
                    innov[i] = acc
                for r in range(n):
                    acc = 0.0
                    for i in range(k):
                        acc += gain[r, i] * innov[i]
                    raw[r] += acc
                # P - K (Z P), as R writes it: the form P - K (P Z')' is equal in exact
                # arithmetic but multiplies the rounding in P's antisymmetric part by 1/kappa1
                # a step (e^30 over 3000 steps at kappa1 = 0.99)
                for r in range(n):
                    for i in range(k):
                        g = gain[r, i]
                        for c in range(n):
                            pmat[r, c] -= g * zp[i, c]
            if t == 0 or stable_by_bounds(raw.reshape(k, m), k, lags, work):
                ok = True
            else:
                return t  # the caller decides with the eigenvalues
        else:
            ok = verdict == 1
            verdict = -1
        if ok:
            beta[:] = raw
            for i in range(k):
                for a in range(m):
                    betas[t, i, a] = raw[i * m + a]
        else:
            betas[t] = betas[t - 1]
            for r in range(n):
                beta[r] *= UNSTABLE_SHRINK
        t += 1
    return t_len


r_steps = jit(r_steps_python)


def r_steps_numpy(
    x: Float64Array,
    lags: int,
    kappa1: float,
    kappa2: float,
    b0: Float64Array,
    p0: Float64Array,
    state: tuple[Float64Array, Float64Array, Float64Array, Float64Array],
    out: tuple[Float64Array, Float64Array],
    start: int,
    verdict: int,
) -> int:
    """:func:`r_steps` with numpy operations per step: the fallback when numba is off.

    Same recursion, same protocol; each step is a handful of vectorised products instead of
    loops (a loop kernel run by the Python interpreter would be about 1000 times slower).
    """
    beta, raw, pmat, q = state
    betas, qs = out
    t_len, k = x.shape
    m = k * lags
    n = k * m
    xl = np.zeros(m)
    t = start
    while t < t_len:
        if verdict < 0:
            if t >= lags:
                xl[:] = x[t - lags : t][::-1].ravel()
            if t > 0:
                if t <= lags:
                    g = EARLY_Q_SCALE * np.outer(x[t], x[t])
                else:
                    e = x[t] - raw.reshape(k, m) @ xl
                    g = np.outer(e, e)
                q[:] = kappa2 * q + (1.0 - kappa2) * g
            qs[t] = q
            if t < lags:
                raw[:] = b0
            else:
                if t == lags:
                    raw[:] = b0
                    pmat[:] = p0
                else:
                    raw[:] = beta
                    pmat *= 1.0 / kappa1
                pz = (pmat.reshape(n * k, m) @ xl).reshape(n, k)  # P Z'
                zp = xl @ pmat.reshape(k, m, n)  # Z P
                sig = q + xl @ pz.reshape(k, m, k)  # Z P Z' + Q
                gain = pz @ np.linalg.inv(sig)
                raw += gain @ (x[t] - raw.reshape(k, m) @ xl)
                pmat -= gain @ zp  # P - K (Z P), as R (see r_steps)
            if t == 0 or stable_by_bounds_numpy(raw.reshape(k, m), k, lags):
                ok = True
            else:
                return t
        else:
            ok = verdict == 1
            verdict = -1
        if ok:
            beta[:] = raw
            betas[t] = raw.reshape(k, m)
        else:
            betas[t] = betas[t - 1]
            beta *= UNSTABLE_SHRINK
        t += 1
    return t_len


def r_filter(
    x: Float64Array,
    lags: int,
    kappa1: float,
    kappa2: float,
    b0: Float64Array,
    p0: Float64Array,
    q0: Float64Array,
) -> tuple[Float64Array, Float64Array]:
    """The filter of the module docstring on demeaned data ``x`` (T, k).

    Runs the compiled :func:`r_steps` when numba is usable, else :func:`r_steps_numpy`; a date
    whose stability the cheap bounds of :func:`stable_by_bounds` cannot show is decided here by
    the eigenvalues, as R does for every date.

    Returns
    -------
    betas : ndarray, shape (T, k, k p)
        Coefficients of each date (after the stability check), equation-major.
    qs : ndarray, shape (T, k, k)
        :math:`Q_t`.
    """
    x = np.ascontiguousarray(x, dtype=float)
    t_len, k = x.shape
    m = k * lags
    b0 = np.ascontiguousarray(b0, dtype=float)
    state = (b0.copy(), b0.copy(), np.array(p0, dtype=float, order="C"),
             np.array(q0, dtype=float, order="C"))
    out = (np.empty((t_len, k, m)), np.empty((t_len, k, k)))
    p0c = np.ascontiguousarray(p0, dtype=float)
    steps = r_steps if numba_compat.enabled("the TVP-VAR filter") else r_steps_numpy
    t, verdict = 0, -1
    while True:
        t = steps(x, lags, float(kappa1), float(kappa2), b0, p0c, state, out, t, verdict)
        if t >= t_len:
            return out
        verdict = int(stable_by_eigenvalues(state[1].reshape(k, m), k, lags))
