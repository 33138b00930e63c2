r"""TVP-VAR by the Kalman filter with forgetting factors (Koop & Korobilis 2014; ACG 2020).

The model (Antonakakis, Chatziantoniou & Gabauer 2020, eqs. 1–2):

.. math::

    y_t = B_t x_t + \varepsilon_t, \quad \varepsilon_t \sim N(0, \Sigma_t), \qquad
    \mathrm{vec}(B_t) = \mathrm{vec}(B_{t-1}) + \nu_t, \quad \nu_t \sim N(0, \Xi_t),

with :math:`x_t = [1, y_{t-1}', \dots, y_{t-p}']'`. Instead of estimating :math:`\Xi_t`, the
state covariance is inflated by the forgetting factor :math:`\kappa_1` and the error covariance
is an exponentially weighted average with decay :math:`\kappa_2` (Koop & Korobilis 2014,
eqs. 7–12; ACG 2020, eqs. 3–10). For each t:

.. math::

    \beta_{t|t-1} &= \beta_{t-1|t-1}, \qquad
    P_{t|t-1} = P_{t-1|t-1} / \kappa_1, \\
    \tilde\varepsilon_t &= y_t - Z_t \beta_{t|t-1}, \qquad
    \Sigma_{t|t-1} = \kappa_2 \Sigma_{t-1|t-1} + (1 - \kappa_2)
        \tilde\varepsilon_t \tilde\varepsilon_t', \\
    K_t &= P_{t|t-1} Z_t' (Z_t P_{t|t-1} Z_t' + \Sigma_{t|t-1})^{-1}, \\
    \beta_{t|t} &= \beta_{t|t-1} + K_t \tilde\varepsilon_t, \qquad
    P_{t|t} = (I - K_t Z_t) P_{t|t-1}, \\
    \varepsilon_t &= y_t - Z_t \beta_{t|t}, \qquad
    \Sigma_{t|t} = \kappa_2 \Sigma_{t-1|t-1} + (1 - \kappa_2) \varepsilon_t \varepsilon_t',

where :math:`Z_t = I_k \otimes x_t'`. Only the current state covariance :math:`P` is kept: the
memory is :math:`O(T k m + (k m)^2)`, linear in T. The filter runs on the globally standardised
data (see :mod:`._var`); priors are stated in those units and the generalized FEVD does not
depend on the scaling.

Priors: ``"minnesota"`` has mean zero (returns are close to white noise) and variance
:math:`\gamma^2 / l^2` on the lag-``l`` coefficients (own and cross alike, so the prior does not
depend on the order of the variables) and 1 on the intercept (Litterman 1986; Koop & Korobilis
2010, Section 2.2.1 with :math:`\sigma_i = 1`). ``"flat"`` has mean zero and variance
``1e6``. :math:`\Sigma_0` defaults to the sample covariance of the (standardised) data.

With :math:`\kappa_1 = \kappa_2 = 1` and a flat prior the filter is recursive least squares:
:math:`B_T` tends to the OLS estimate of the full sample.

References
----------
.. [1] Koop, G., & Korobilis, D. (2014). A new index of financial conditions. *European Economic
   Review*, 71, 101–116.
.. [2] Antonakakis, N., Chatziantoniou, I., & Gabauer, D. (2020). Refined measures of dynamic
   connectedness based on time-varying parameter vector autoregressions. *Journal of Risk and
   Financial Management*, 13(4), 84.
.. [3] Koop, G., & Korobilis, D. (2010). Bayesian multivariate time series methods for empirical
   macroeconomics. *Foundations and Trends in Econometrics*, 3(4), 267–358.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spillwatch._typing import Float64Array
from spillwatch.analytics.connectedness._var import design

FLAT_VARIANCE = 1e6


@dataclass(frozen=True)
class TVPEstimates:
    r"""Filtered TVP-VAR path (standardised units).

    Attributes
    ----------
    coefs : ndarray, shape (N, p, k, k)
        :math:`A_{1,t} .. A_{p,t}` from :math:`\beta_{t|t}`, for t = p .. T-1.
    intercept : ndarray, shape (N, k)
    sigma : ndarray, shape (N, k, k)
        :math:`\Sigma_{t|t}`.
    """

    coefs: Float64Array
    intercept: Float64Array
    sigma: Float64Array


def prior_moments(
    k: int, lags: int, prior: str, gamma: float
) -> tuple[Float64Array, Float64Array]:
    """Prior mean (k, m) and diagonal prior variance (k, m) of the coefficient matrix."""
    m = 1 + k * lags
    mean = np.zeros((k, m))
    if prior == "flat":
        return mean, np.full((k, m), FLAT_VARIANCE)
    var = np.empty((k, m))
    var[:, 0] = 1.0
    for lag in range(1, lags + 1):
        var[:, 1 + (lag - 1) * k : 1 + lag * k] = (gamma / lag) ** 2
    return mean, var


def kalman_filter(
    z: Float64Array,
    lags: int,
    *,
    kappa1: float,
    kappa2: float,
    prior: str,
    gamma: float,
    sigma0: Float64Array | None,
) -> TVPEstimates:
    """Run the forgetting-factor Kalman filter over the standardised panel ``z`` (T, k)."""
    k = z.shape[1]
    za = design(z, lags)
    n = za.shape[0]
    m = 1 + k * lags
    xs = za[:, :m]
    ys = za[:, m:]
    b_mean, b_var = prior_moments(k, lags, prior, gamma)
    km = k * m
    beta = b_mean.ravel().copy()  # vec of the (k, m) coefficient matrix, row by row
    pmat = np.diag(b_var.ravel())  # P, (k m, k m); only the current one is kept
    sig = np.cov(z, rowvar=False).reshape(k, k) if sigma0 is None else np.array(sigma0, float)
    betas = np.empty((n, km))
    sigmas = np.empty((n, k, k))
    inv_k1 = 1.0 / kappa1
    for t in range(n):
        x = xs[t]
        y = ys[t]
        pmat *= inv_k1
        e_pred = y - (beta.reshape(k, m) @ x)
        sig_pred = kappa2 * sig + (1.0 - kappa2) * np.outer(e_pred, e_pred)
        # P Z' with Z = I_k (x) x': column j of P Z' = sum_b P[:, (j, b)] x_b
        pz = (pmat.reshape(km, k, m) @ x)  # (k m, k)
        s = (pz.reshape(k, m, k).transpose(0, 2, 1) @ x) + sig_pred  # Z P Z' + Sigma
        s = 0.5 * (s + s.T)
        gain = np.linalg.solve(s, pz.T).T  # P Z' S^{-1}, (k m, k)
        beta = beta + gain @ e_pred
        pmat -= gain @ pz.T
        if t % 16 == 0:  # keep P symmetric against rounding
            pmat = 0.5 * (pmat + pmat.T)
        e_upd = y - (beta.reshape(k, m) @ x)
        sig = kappa2 * sig + (1.0 - kappa2) * np.outer(e_upd, e_upd)
        betas[t] = beta
        sigmas[t] = sig
    betas = betas.reshape(n, k, m)
    coefs = betas[:, :, 1:].reshape(n, k, lags, k).transpose(0, 2, 1, 3)
    return TVPEstimates(coefs=np.ascontiguousarray(coefs), intercept=betas[:, :, 0], sigma=sigmas)


PRIORS = ("minnesota", "flat")


@dataclass(frozen=True)
class TVPVAR:
    r"""Spec of the TVP-VAR with forgetting factors (ACG 2020; Koop & Korobilis 2014).

    Parameters
    ----------
    lags : int, default 1
        The order p.
    kappa1 : float, default 0.99
        Forgetting factor of the coefficients' state covariance (1 = constant coefficients).
    kappa2 : float, default 0.99
        Decay of the EWMA error covariance (1 = :math:`\Sigma_t = \Sigma_0` throughout).
    prior : {"minnesota", "flat"}, default "minnesota"
        Prior of the initial coefficients (see the module docstring).
    gamma : float, default 0.1
        Tightness of the Minnesota prior (standard deviation of a first-lag coefficient, in
        standardised units).
    sigma0 : array-like of shape (k, k), optional
        Initial error covariance in data units; default the sample covariance of the data.

    Examples
    --------
    >>> TVPVAR(lags=1, kappa1=0.99, kappa2=0.96).kappa2
    0.96
    """

    lags: int = 1
    kappa1: float = 0.99
    kappa2: float = 0.99
    prior: str = "minnesota"
    gamma: float = 0.1
    sigma0: tuple[tuple[float, ...], ...] | None = None

    #: a fit gives one table per date
    time_varying = True

    def __post_init__(self) -> None:
        from spillwatch._validation import positive_int, unit_interval
        from spillwatch.exceptions import ConfigError

        positive_int(self.lags, name="lags")
        object.__setattr__(self, "kappa1", unit_interval(self.kappa1, name="kappa1"))
        object.__setattr__(self, "kappa2", unit_interval(self.kappa2, name="kappa2"))
        if self.prior not in PRIORS:
            raise ConfigError(
                f"unknown prior {self.prior!r}; choose one of: {', '.join(map(repr, PRIORS))}",
                parameter="prior",
            )
        if not float(self.gamma) > 0:
            raise ConfigError(f"gamma must be > 0, got {self.gamma!r}", parameter="gamma")
        if self.sigma0 is not None:
            arr = np.asarray(self.sigma0, dtype=float)
            if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
                raise ConfigError(
                    f"sigma0 must be a square (k, k) matrix, got shape {arr.shape}",
                    parameter="sigma0",
                )
            object.__setattr__(self, "sigma0", tuple(tuple(r) for r in arr.tolist()))

    def filter(self, z: Float64Array, sigma0_z: Float64Array | None) -> TVPEstimates:
        """Run :func:`kalman_filter` on standardised data."""
        return kalman_filter(
            z,
            self.lags,
            kappa1=self.kappa1,
            kappa2=self.kappa2,
            prior=self.prior,
            gamma=float(self.gamma),
            sigma0=sigma0_z,
        )
