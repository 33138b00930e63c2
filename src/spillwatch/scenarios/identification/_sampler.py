r"""Posterior draws of a sign-restricted SVAR: reduced form, rotations, admissible models, weights.

Reduced form
------------
:math:`y_t = c + \sum_{l=1}^{p} A_l y_{t-l} + u_t`, :math:`u_t \sim N(0, \Sigma)`, written
:math:`Y = XB + U`. Under the diffuse prior :math:`p(B, \Sigma) \propto |\Sigma|^{-(n+1)/2}` the
posterior is normal-inverse-Wishart (Kadiyala & Karlsson 1997, Table 1; Uhlig 2005, Appendix B):

.. math::

    \Sigma \mid Y \sim IW\big(\hat U'\hat U,\; T - m\big),\qquad
    \operatorname{vec}(B) \mid \Sigma, Y \sim N\big(\operatorname{vec}(\hat B),\;
    \Sigma \otimes (X'X)^{-1}\big)

with :math:`m = np + 1`. :math:`\Sigma` is drawn by the Bartlett decomposition of its inverse
(Smith & Hocking 1972), :math:`B = \hat B + C_X Z P'` with :math:`C_X C_X' = (X'X)^{-1}`,
:math:`PP' = \Sigma` and :math:`Z` standard normal. Draws whose companion matrix has an
eigenvalue of modulus >= 1 are discarded (counted in the result).

Rotations and admissible models
-------------------------------
Structural impact matrices are :math:`L = PQ` with :math:`Q` uniform (Haar) on the orthogonal
group, drawn as the Q factor of the QR decomposition of a standard normal matrix with the signs
of :math:`R`'s diagonal made positive (Rubio-Ramírez, Waggoner & Zha 2010, Theorem 9 and
Algorithm 2). This is the uniform-normal-inverse-Wishart posterior of Arias, Rubio-Ramírez &
Waggoner (2018, section 4). Each reduced-form draw gets ``rotations`` rotations (vectorised).

A model is admissible when every restricted shock can be given its own column of :math:`L`
(with the column's sign flipped where that satisfies it) whose restricted impact responses have
the required signs, and the target shock moves the 10-year by at least the bound. RWZ (2010)
check shock :math:`j` on column :math:`j` only; searching every injective assignment of shocks to
columns accepts far more draws. The assignment is picked uniformly among the valid ones, so a
draw with :math:`v` valid assignments is proposed with density proportional to
:math:`1/v` relative to RWZ's target; the **importance weight** :math:`w = v` restores the
target exactly (the importance-sampling correction of ARRW 2018, section 5, here for the
assignment step; with sign restrictions only, ARRW's own volume-element weights are constant).
Because the same reduced-form draw is kept with each of its admissible rotations, the accepted
set represents the joint posterior of :math:`(B, \Sigma, Q)` truncated to the restrictions.

References
----------
Arias, J. E., Rubio-Ramírez, J. F. and Waggoner, D. F. (2018), "Inference based on structural
vector autoregressions identified with sign and zero restrictions: theory and applications",
*Econometrica* 86(2), 685–720.
Kadiyala, K. R. and Karlsson, S. (1997), "Numerical methods for estimation and inference in
Bayesian VAR-models", *Journal of Applied Econometrics* 12(2), 99–132.
Rubio-Ramírez, J. F., Waggoner, D. F. and Zha, T. (2010), "Structural vector autoregressions:
theory of identification and algorithms for inference", *Review of Economic Studies* 77(2),
665–696.
Smith, W. B. and Hocking, R. R. (1972), "Algorithm AS 53: Wishart variate generator", *Journal of
the Royal Statistical Society C* 21(3), 341–345.
Uhlig, H. (2005), "What are the effects of monetary policy on output? Results from an agnostic
identification procedure", *Journal of Monetary Economics* 52(2), 381–419.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from spillwatch.exceptions import ModelError


@dataclass(frozen=True, eq=False)
class ReducedForm:
    r"""OLS estimates of the reduced-form VAR and what the posterior draws need.

    Attributes
    ----------
    lags : int
    b_hat : ndarray, shape (m, n)
        Rows: constant, then lag 1 of every variable, lag 2, ...
    xtx_inv_chol : ndarray, shape (m, m)
    s_chol_inv : ndarray, shape (n, n)
        Cholesky factor of :math:`(\hat U'\hat U)^{-1}`.
    dof : int
        Posterior degrees of freedom ``T - m``.
    sigma_hat : ndarray, shape (n, n)
        OLS residual covariance (divided by ``T - m``).
    nobs : int
    """

    lags: int
    b_hat: np.ndarray
    xtx_inv_chol: np.ndarray
    s_chol_inv: np.ndarray
    dof: int
    sigma_hat: np.ndarray
    nobs: int


def design(y: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(X, Y)`` of a VAR(lags) with a constant: ``X[t] = [1, y_{t-1}, ..., y_{t-p}]``."""
    t_all, n = y.shape
    rows = t_all - lags
    x = np.empty((rows, 1 + n * lags))
    x[:, 0] = 1.0
    for lag in range(1, lags + 1):
        x[:, 1 + (lag - 1) * n: 1 + lag * n] = y[lags - lag: t_all - lag]
    return x, y[lags:]


def fit_reduced_form(y: np.ndarray, lags: int) -> ReducedForm:
    """OLS fit of the reduced-form VAR (the posterior mode of :math:`B`).

    Raises
    ------
    ModelError
        Too few rows for the lags and variables, or a singular design.
    """
    x, yt = design(y, lags)
    m = x.shape[1]
    if yt.shape[0] <= m + yt.shape[1]:
        raise ModelError(f"the VAR needs more than {m + yt.shape[1]} joint days; got "
                         f"{yt.shape[0]}")
    xtx = x.T @ x
    try:
        chol = np.linalg.cholesky(xtx)
    except np.linalg.LinAlgError:
        raise ModelError("the VAR design is singular (a variable is constant or two are "
                         "identical); drop one") from None
    b_hat = np.linalg.solve(xtx, x.T @ yt)
    u = yt - x @ b_hat
    s = u.T @ u
    dof = yt.shape[0] - m
    inv_chol = np.linalg.inv(chol)                     # (X'X)^-1 = inv_chol' inv_chol
    xtx_inv_chol = np.linalg.cholesky(inv_chol.T @ inv_chol)
    s_chol_inv = np.linalg.cholesky(np.linalg.inv(s))
    return ReducedForm(lags, b_hat, xtx_inv_chol, s_chol_inv, dof, s / dof, yt.shape[0])


def draw_reduced_form(rf: ReducedForm, rng: np.random.Generator, count: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``count`` pairs ``(B, P)`` from the NIW posterior (module docstring); ``PP' = Σ``.

    Returns
    -------
    B : ndarray, shape (count, m, n)
    P : ndarray, shape (count, n, n)
        Lower-triangular Cholesky factors of the drawn covariances.
    """
    n = rf.b_hat.shape[1]
    m = rf.b_hat.shape[0]
    # Bartlett: W = C A A' C' ~ Wishart((U'U)^-1, dof), Sigma = W^-1
    a = np.zeros((count, n, n))
    il = np.tril_indices(n, -1)
    a[:, il[0], il[1]] = rng.standard_normal((count, len(il[0])))
    dfs = rf.dof - np.arange(n)
    a[:, np.arange(n), np.arange(n)] = np.sqrt(rng.chisquare(dfs, (count, n)))
    ca = rf.s_chol_inv[None] @ a
    w = ca @ np.swapaxes(ca, 1, 2)
    sigma = np.linalg.inv(w)
    sigma = (sigma + np.swapaxes(sigma, 1, 2)) / 2.0
    p = np.linalg.cholesky(sigma)
    z = rng.standard_normal((count, m, n))
    b = rf.b_hat[None] + rf.xtx_inv_chol[None] @ z @ np.swapaxes(p, 1, 2)
    return b, p


def stationary(b: np.ndarray, lags: int) -> np.ndarray:
    """Whether each draw's companion matrix has all eigenvalues inside the unit circle."""
    count, _, n = b.shape
    comp = np.zeros((count, n * lags, n * lags))
    for lag in range(lags):
        comp[:, :n, lag * n:(lag + 1) * n] = np.swapaxes(b[:, 1 + lag * n: 1 + (lag + 1) * n], 1,
                                                          2)
    if lags > 1:
        comp[:, n:, :-n] = np.eye(n * (lags - 1))[None]
    return np.abs(np.linalg.eigvals(comp)).max(axis=1) < 1.0


def haar(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    """``count`` orthogonal matrices uniform on O(n) (QR with a positive diagonal of R)."""
    q, r = np.linalg.qr(rng.standard_normal((count, n, n)))
    d = np.sign(np.diagonal(r, axis1=1, axis2=2))
    d[d == 0] = 1.0
    return q * d[:, None, :]


def column_matches(lr: np.ndarray, signs: np.ndarray, target: int, row10: int, bound: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Which columns can carry each shock, and with which sign.

    Parameters
    ----------
    lr : ndarray, shape (N, r, n)
        Restricted rows of the candidate impact matrices.
    signs : ndarray, shape (J, r)
        Required signs (0 = free) on those rows.
    target : int
        Index of the shock the bound applies to.
    row10 : int
        Row (within the restricted rows) of the 10-year yield.
    bound : float
        Minimum 10-year impact (bp) of the target shock.

    Returns
    -------
    ok : ndarray of bool, shape (N, J, n)
    sign : ndarray of int8, shape (N, J, n)
        +1 when the column as drawn satisfies the shock, -1 when its negative does.
    """
    nn, _, n = lr.shape
    nj = signs.shape[0]
    ok = np.zeros((nn, nj, n), dtype=bool)
    sg = np.ones((nn, nj, n), dtype=np.int8)
    for j in range(nj):
        rows = np.flatnonzero(signs[j])
        prod = lr[:, rows, :] * signs[j, rows][None, :, None]
        plus = (prod > 0).all(axis=1)
        minus = (prod < 0).all(axis=1)
        if j == target:
            plus &= lr[:, row10, :] >= bound
            minus &= -lr[:, row10, :] >= bound
        ok[:, j] = plus | minus
        sg[:, j] = np.where(plus, 1, -1)
    return ok, sg


def assignments(n: int, nj: int) -> np.ndarray:
    """Every injective map of ``nj`` shocks to ``n`` columns, shape ``(K, nj)``."""
    return np.array(list(itertools.permutations(range(n), nj)), dtype=np.int64).reshape(-1, nj)


def assign(ok: np.ndarray, rng: np.random.Generator | None, tuples: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Pick a valid assignment uniformly per candidate; return it and the number of valid ones.

    Parameters
    ----------
    ok : ndarray of bool, shape (N, J, n)
    rng : Generator or None
        ``None`` only counts (``chosen`` is then all -1).
    tuples : ndarray, shape (K, J)
        From :func:`assignments`.

    Returns
    -------
    chosen : ndarray, shape (N, J)
        Column of each shock (-1 where no assignment is valid).
    count : ndarray, shape (N,)
        Number of valid assignments (the importance weight; 0 = inadmissible).
    """
    nn, nj, _ = ok.shape
    chosen = np.full((nn, nj), -1, dtype=np.int64)
    count = np.zeros(nn, dtype=np.int64)
    maybe = np.flatnonzero(np.all(np.any(ok, axis=2), axis=1))
    u = np.asarray(rng.random(nn)) if rng is not None else None   # one per candidate
    for lo in range(0, len(maybe), 4096):
        idx = maybe[lo:lo + 4096]
        valid = np.ones((len(idx), len(tuples)), dtype=bool)
        for j in range(nj):
            valid &= ok[idx, j][:, tuples[:, j]]
        cnt = valid.sum(axis=1)
        count[idx] = cnt
        has = cnt > 0
        if u is not None and has.any():
            cum = np.cumsum(valid[has], axis=1)
            pick = (cum > (u[idx[has]] * cnt[has])[:, None]).argmax(axis=1)
            chosen[idx[has]] = tuples[pick]
    return chosen, count


def order_columns(l_full: np.ndarray, chosen: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Reorder each impact matrix: assigned shocks first (sign-flipped), the rest after.

    Parameters
    ----------
    l_full : ndarray, shape (N, n, n)
    chosen : ndarray, shape (N, J)
    sign : ndarray, shape (N, J, n)
        From :func:`column_matches`.
    """
    nn, n, _ = l_full.shape
    nj = chosen.shape[1]
    out = np.empty_like(l_full)
    rows = np.arange(nn)
    for j in range(nj):
        out[:, :, j] = l_full[rows, :, chosen[:, j]] * sign[rows, j, chosen[:, j]][:, None]
    rest_mask = np.ones((nn, n), dtype=bool)
    rest_mask[rows[:, None], chosen] = False
    rest = np.argsort(~rest_mask, axis=1, kind="stable")[:, : n - nj]   # free columns, in order
    out[:, :, nj:] = np.take_along_axis(l_full, rest[:, None, :], axis=2)
    return out


@dataclass(frozen=True, eq=False)
class Posterior:
    """Admissible models under one bound (internal container of the result).

    Attributes
    ----------
    b : ndarray, shape (M, m, n)
        Reduced-form coefficients of each model.
    impact : ndarray, shape (M, n, n)
        Impact matrix: identified shocks first (in :attr:`SignRestrictedSVAR.shocks` order),
        the unrestricted ones after.
    weights : ndarray, shape (M,)
        Importance weights (sum to one).
    bound_bp : float
    """

    b: np.ndarray
    impact: np.ndarray
    weights: np.ndarray
    bound_bp: float

    @property
    def size(self) -> int:
        """Number of admissible models."""
        return int(self.weights.size)

    @property
    def ess(self) -> float:
        r"""Effective sample size of the weighted draws, :math:`(\sum w)^2/\sum w^2`."""
        return float(1.0 / np.sum(self.weights**2)) if self.size else 0.0
