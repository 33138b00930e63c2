r"""Forecast-error variance decompositions and the Diebold–Yilmaz measures built on them.

Everything here is batched: arrays carry a leading axis of windows (or dates), and no function
loops over it in Python.

Notation: :math:`\Psi_h` are the MA coefficients of the VAR, :math:`\Sigma` the residual
covariance, :math:`H` the horizon. Row ``i`` of a decomposition is the variable whose forecast
error is decomposed, column ``j`` the variable whose shock explains it: ``theta[i, j]`` is the
spillover *from j to i*.

References
----------
.. [1] Diebold, F. X., & Yilmaz, K. (2009). Measuring financial asset return and volatility
   spillovers. *Economic Journal*, 119(534), 158–171 (Cholesky FEVD, the spillover index).
.. [2] Diebold, F. X., & Yilmaz, K. (2012). Better to give than to receive: Predictive
   directional measurement of volatility spillovers. *International Journal of Forecasting*,
   28(1), 57–66, eqs. (1)–(9).
.. [3] Pesaran, H. H., & Shin, Y. (1998). Generalized impulse response analysis in linear
   multivariate models. *Economics Letters*, 58(1), 17–29.
.. [4] Chatziantoniou, I., & Gabauer, D. (2021). EMU risk-synchronisation and financial
   fragility through the prism of dynamic connectedness. *Quarterly Review of Economics and
   Finance*, 79, 1–14 (the corrected TCI, :math:`\mathrm{TCI}\cdot k/(k-1)`).
.. [5] Gabauer, D. (2021). Dynamic measures of asymmetric & pairwise connectedness within an
   optimal currency area. *Journal of Multinational Financial Management*, 60, 100680
   (pairwise connectedness index, net pairwise transmitters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spillwatch._typing import Float64Array
from spillwatch._validation import MAX_HORIZON, positive_int


def ma_coefficients(coefs: Float64Array, horizon: int) -> Float64Array:
    r"""Return :math:`\Psi_0 .. \Psi_{H-1}` of a batch of VARs.

    :math:`\Psi_0 = I`, :math:`\Psi_h = \sum_{l=1}^{\min(h, p)} A_l \Psi_{h-l}` (Lütkepohl
    2005, eq. 2.1.22).

    Parameters
    ----------
    coefs : ndarray, shape (n, p, k, k)
    horizon : int
        H; the result has H matrices (h = 0 .. H-1).

    Returns
    -------
    ndarray, shape (n, H, k, k)
    """
    n, p, k, _ = coefs.shape
    # p leading zero matrices stand for Psi_{-p} .. Psi_{-1}, so that the p previous terms are
    # always one contiguous slice: Psi_h = [A_p .. A_1] @ [Psi_{h-p}; ..; Psi_{h-1}]
    full = np.zeros((n, p + horizon, k, k))
    full[:, p] = np.eye(k)
    a_rev = coefs[:, ::-1].transpose(0, 2, 1, 3).reshape(n, k, p * k)
    for h in range(1, horizon):
        full[:, p + h] = a_rev @ full[:, h : p + h].reshape(n, p * k, k)
    psi = full[:, p:]
    return psi


def generalized_fevd(psi: Float64Array, sigma: Float64Array) -> Float64Array:
    r"""Row-normalised generalized FEVD in percent (DY 2012, eqs. 2–3; Pesaran & Shin 1998).

    .. math::

        \theta^g_{ij}(H) = \frac{\sigma_{jj}^{-1} \sum_{h=0}^{H-1}
            (e_i' \Psi_h \Sigma e_j)^2}{\sum_{h=0}^{H-1} e_i' \Psi_h \Sigma \Psi_h' e_i},
        \qquad
        \tilde\theta^g_{ij}(H) = 100\,\theta^g_{ij}(H) / \sum_j \theta^g_{ij}(H).

    Parameters
    ----------
    psi : ndarray, shape (n, H, k, k)
    sigma : ndarray, shape (n, k, k)

    Returns
    -------
    ndarray, shape (n, k, k)
        Each row sums to 100.
    """
    n, horizon, k, _ = psi.shape
    ps = (psi.reshape(n, horizon * k, k) @ sigma).reshape(psi.shape)  # Psi_h Sigma
    num = (ps * ps).sum(axis=1) / np.einsum("njj->nj", sigma)[:, None, :]
    theta = num / np.einsum("nhij,nhij->ni", ps, psi)[:, :, None]
    return 100.0 * theta / theta.sum(axis=2, keepdims=True)


def generalized_fevd_var(coefs: Float64Array, sigma: Float64Array, horizon: int) -> Float64Array:
    r"""The row-normalised generalized FEVD straight from the VAR, in percent.

    Same table as ``generalized_fevd(ma_coefficients(coefs, H), sigma)`` with less work: with
    :math:`G_h = \Psi_h \Sigma` the MA recursion gives :math:`G_0 = \Sigma`,
    :math:`G_h = \sum_{l=1}^{\min(h,p)} A_l G_{h-l}`, and
    :math:`	ilde	heta_{ij} \propto \sigma_{jj}^{-1} \sum_{h<H} (G_h)_{ij}^2`; the
    forecast-error variance dividing row i of :math:`	heta` cancels in the row normalisation
    (DY 2012, eqs. 2–3), so it is not computed.

    Parameters
    ----------
    coefs : ndarray, shape (n, p, k, k)
    sigma : ndarray, shape (n, k, k)
    horizon : int

    Returns
    -------
    ndarray, shape (n, k, k)
    """
    n, p, k, _ = coefs.shape
    full = np.zeros((n, p + horizon, k, k))
    full[:, p] = sigma
    a_rev = coefs[:, ::-1].transpose(0, 2, 1, 3).reshape(n, k, p * k)
    for h in range(1, horizon):
        full[:, p + h] = a_rev @ full[:, h : p + h].reshape(n, p * k, k)
    g = full[:, p:]
    num = np.einsum("nhij,nhij->nij", g, g) / np.einsum("njj->nj", sigma)[:, None, :]
    return 100.0 * num / num.sum(axis=2, keepdims=True)


def cholesky_fevd(psi: Float64Array, sigma: Float64Array) -> Float64Array:
    r"""Orthogonalised (Cholesky) FEVD in percent (DY 2009, Lütkepohl 2005 eq. 2.3.37).

    .. math::

        \theta_{ij}(H) = 100 \frac{\sum_{h=0}^{H-1} (e_i' \Psi_h P e_j)^2}
            {\sum_{h=0}^{H-1} e_i' \Psi_h \Sigma \Psi_h' e_i}, \qquad P P' = \Sigma .

    The variable order matters (the first variable's shock is not affected by the others).
    Rows sum to 100 by construction.
    """
    chol = np.linalg.cholesky(sigma)
    pp = psi @ chol[:, None]
    num = np.einsum("nhij,nhij->nij", pp, pp)
    return 100.0 * num / num.sum(axis=2, keepdims=True)


def total_connectedness(theta: Float64Array) -> Float64Array:
    r"""TCI in percent: :math:`\frac{1}{k}\sum_{i \ne j} \tilde\theta_{ij}` (DY 2012, eq. 4).

    ``theta`` has shape (n, k, k) with rows summing to 100. Returns shape (n,).
    """
    k = theta.shape[-1]
    return (theta.sum(axis=(-2, -1)) - np.einsum("...ii->...", theta)) / k


def directional(theta: Float64Array) -> tuple[Float64Array, Float64Array]:
    """FROM and TO connectedness (DY 2012, eqs. 5–6): off-diagonal row and column sums.

    Returns ``(from_, to)``, each of shape (n, k).
    """
    own = np.einsum("...ii->...i", theta)
    return theta.sum(axis=-1) - own, theta.sum(axis=-2) - own


def net_pairwise(theta: Float64Array) -> Float64Array:
    """Net pairwise directional connectedness (NPDC; DY 2012, eq. 9, transposed to rows).

    ``npdc[i, j] = theta[i, j] - theta[j, i]``: **positive means row i receives, on net, from
    column j** (j is a net transmitter to i). The matrix is antisymmetric.
    """
    return theta - np.swapaxes(theta, -1, -2)


def net_transmitting_links(theta: Float64Array) -> Float64Array:
    """Number of variables each one transmits to on net (Gabauer 2021's NPT).

    ``npt[j] = #{i : npdc[i, j] > 0}``: how many others receive on net from ``j``.
    Returns shape (n, k) (as floats so NaN windows stay NaN).
    """
    npdc = net_pairwise(theta)
    out = (npdc > 0).sum(axis=-2).astype(float)
    bad = np.isnan(theta).any(axis=(-2, -1))
    out[bad] = np.nan
    return out


def pairwise_index(theta: Float64Array) -> Float64Array:
    r"""Pairwise connectedness index (Gabauer 2021, eq. 12), in percent.

    .. math::

        \mathrm{PCI}_{ij} = 200\,\frac{\tilde\theta_{ij} + \tilde\theta_{ji}}
            {\tilde\theta_{ii} + \tilde\theta_{ij} + \tilde\theta_{ji} + \tilde\theta_{jj}}

    It is the corrected TCI of the two-variable sub-table ``{i, j}`` (0 = no spillover between
    the pair, 100 = as much as a perfectly connected pair). It is symmetric; the diagonal is 0.
    """
    diag = np.einsum("...ii->...i", theta)
    sym = theta + np.swapaxes(theta, -1, -2)
    denom = diag[..., :, None] + diag[..., None, :] + sym
    pci = 200.0 * sym / denom
    idx = np.arange(theta.shape[-1])
    pci[..., idx, idx] = 0.0
    return pci


@dataclass(frozen=True)
class GeneralizedFEVD:
    r"""Spec of the generalized (Pesaran–Shin) FEVD of DY (2012), rows normalised to 100.

    Parameters
    ----------
    horizon : int, default 10
        H: the decomposition sums the MA terms :math:`\Psi_0 .. \Psi_{H-1}`.

    Examples
    --------
    >>> GeneralizedFEVD(horizon=10)
    GeneralizedFEVD(horizon=10)
    """

    horizon: int = 10
    name = "generalized"

    def __post_init__(self) -> None:
        positive_int(self.horizon, name="horizon", maximum=MAX_HORIZON)

    def decompose(self, psi: Float64Array, sigma: Float64Array) -> Float64Array:
        """Return the normalised table (n, k, k) of a batch, see :func:`generalized_fevd`."""
        return generalized_fevd(psi, sigma)


@dataclass(frozen=True)
class CholeskyFEVD:
    r"""Spec of the orthogonalised (Cholesky) FEVD of DY (2009); depends on the column order.

    Parameters
    ----------
    horizon : int, default 10
        H: the decomposition sums the MA terms :math:`\Psi_0 .. \Psi_{H-1}`.
    """

    horizon: int = 10
    name = "cholesky"

    def __post_init__(self) -> None:
        positive_int(self.horizon, name="horizon", maximum=MAX_HORIZON)

    def decompose(self, psi: Float64Array, sigma: Float64Array) -> Float64Array:
        """Return the table (n, k, k) of a batch, see :func:`cholesky_fevd`."""
        return cholesky_fevd(psi, sigma)
