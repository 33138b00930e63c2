"""Exponentially weighted moving-average variance and covariance (RiskMetrics, λ = 0.94).

The recursion is a first-order linear filter, so it runs as one
:func:`spillwatch.analytics._recursive.ewma` call (``scipy.signal.lfilter``) over the time axis
for any number of series (or covariance elements) at once.
"""

from __future__ import annotations

import numpy as np

from spillwatch._typing import Float64Array
from spillwatch._validation import is_real
from spillwatch.analytics._recursive import ewma
from spillwatch.exceptions import ConfigError

#: RiskMetrics' decay for daily data (J.P. Morgan/Reuters 1996, §5.3.2).
RISKMETRICS_LAMBDA = 0.94


def check_lambda(lam: float) -> float:
    """Return ``lam`` if it is a decay in (0, 1)."""
    if not (is_real(lam) and 0.0 < float(lam) < 1.0):
        raise ConfigError(f"lam (the EWMA decay) must lie in (0, 1), e.g. 0.94; got {lam!r}")
    return float(lam)


def ewma_filter(x: Float64Array, *, lam: float = RISKMETRICS_LAMBDA,
                init: Float64Array | float | None = None, init_obs: int = 30) -> Float64Array:
    r"""Run the EWMA recursion over the first axis of ``x``.

    .. math::

        s_0 = s_{\text{init}}, \qquad s_{t+1} = \lambda s_t + (1 - \lambda)\, x_t

    so ``s[t]`` uses ``x[0..t-1]`` only, and ``s[T]`` is the forecast made after the last row.

    Parameters
    ----------
    x : ndarray, shape (T, ...)
        The innovations (squared returns, or outer products of returns for covariances).
    lam : float, default 0.94
        Decay λ (RiskMetrics Technical Document, 4th ed., 1996, eq. 5.3).
    init : float or ndarray, optional
        Starting value ``s_0``; default the mean of the first ``init_obs`` rows of ``x``.
    init_obs : int, default 30

    Returns
    -------
    ndarray, shape (T + 1, ...)
    """
    lam = check_lambda(lam)
    x = np.asarray(x, dtype=float)
    if init is None:
        init = x[: max(1, min(init_obs, len(x)))].mean(axis=0)
    s0 = np.broadcast_to(np.asarray(init, dtype=float), x.shape[1:])
    return np.concatenate([s0[None, ...], ewma(x, lam, start=s0)], axis=0)


def ewma_variance(returns: Float64Array, *, lam: float = RISKMETRICS_LAMBDA,
                  init_obs: int = 30) -> Float64Array:
    r"""EWMA conditional variance of zero-mean returns (RiskMetrics 1996, eq. 5.3).

    .. math:: \sigma^2_{t+1} = \lambda \sigma^2_t + (1-\lambda) r_t^2

    Parameters
    ----------
    returns : ndarray, shape (T,) or (T, N)
    lam : float, default 0.94
    init_obs : int, default 30
        ``σ²_0`` is the mean of the first ``init_obs`` squared returns.

    Returns
    -------
    ndarray, shape (T + 1,) or (T + 1, N)
        ``[t]`` is the variance of day ``t`` given the returns before it; ``[T]`` the next day's.
    """
    r = np.asarray(returns, dtype=float)
    return ewma_filter(r * r, lam=lam, init_obs=init_obs)


def ewma_covariance(returns: Float64Array, *, lam: float = RISKMETRICS_LAMBDA,
                    init_obs: int = 30) -> Float64Array:
    r"""EWMA conditional covariance matrices (RiskMetrics 1996, eq. 5.4).

    .. math:: \Sigma_{t+1} = \lambda \Sigma_t + (1-\lambda) r_t r_t'

    Parameters
    ----------
    returns : ndarray, shape (T, N)
    lam : float, default 0.94
    init_obs : int, default 30

    Returns
    -------
    ndarray, shape (T + 1, N, N)
    """
    r = np.asarray(returns, dtype=float)
    outer = r[:, :, None] * r[:, None, :]
    return ewma_filter(outer, lam=lam, init_obs=init_obs)


def cov_to_corr(cov: Float64Array) -> Float64Array:
    """Turn a stack of covariance matrices (..., N, N) into correlation matrices."""
    sd = np.sqrt(np.einsum("...ii->...i", cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[..., :, None] * sd[..., None, :])
