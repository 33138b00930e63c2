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


#: Changes before a day that :func:`standardized_moves` needs to read it (the variance's start
#: is the mean square of the first ``init_obs`` of them, so it is all in the day's past).
STANDARDIZED_MIN_PRIOR = 60


def standardized_moves(changes: Float64Array, *, lam: float = RISKMETRICS_LAMBDA,
                       init_obs: int = 30, min_prior: int = STANDARDIZED_MIN_PRIOR
                       ) -> Float64Array:
    r"""Each change in units of the EWMA volatility of the changes before it.

    .. math:: z_t = r_t / \sigma_t, \qquad
              \sigma^2_{t+1} = \lambda \sigma^2_t + (1 - \lambda) r_t^2

    (RiskMetrics Technical Document, 4th ed., 1996, eqs. 5.3 and 6.1: a move read against the
    one-day volatility forecast made the evening before it). ``σ²_0`` is the mean square of the
    first ``init_obs`` changes, and a change gets a value only when at least ``min_prior``
    (≥ ``init_obs``) changes precede it, so ``z_t`` reads nothing after day ``t``: cutting the
    history at any day leaves every earlier value as it was.

    Parameters
    ----------
    changes : ndarray, shape (T,)
        Daily changes in time order (log % for prices, bp for yields). A NaN (a change the
        panel leaves unmeasured) is skipped by the recursion and stays NaN.
    lam : float, default 0.94
    init_obs : int, default 30
    min_prior : int, default 60

    Returns
    -------
    ndarray, shape (T,)
        NaN where the change is NaN, during the first ``min_prior`` changes, or where the
        forecast variance is zero (a series that had not moved).

    Examples
    --------
    >>> import numpy as np
    >>> r = np.r_[np.tile([1.0, -1.0], 40), -4.0]
    >>> float(np.round(standardized_moves(r)[-1], 6))
    -4.0
    """
    if not (isinstance(min_prior, int) and min_prior >= init_obs >= 1):
        raise ConfigError(f"min_prior must be a whole number at least init_obs ({init_obs}); "
                          f"got {min_prior!r}")
    x = np.asarray(changes, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"changes must be one series (1-D); got shape {x.shape}")
    out = np.full(x.shape, np.nan)
    seen = ~np.isnan(x)
    v = x[seen]
    if len(v) <= min_prior:
        return out
    var = ewma_variance(v, lam=lam, init_obs=init_obs)[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, v / np.sqrt(var), np.nan)
    z[:min_prior] = np.nan
    out[seen] = z
    return out


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
