r"""TVP-VAR with forgetting factors (Koop & Korobilis 2014; Antonakakis et al. 2020).

Two variants of the same model, chosen with ``TVPVAR(variant=...)``:

``variant="r"`` (the default): ConnectednessApproach parity
    The filter, priors and dates of the R package ConnectednessApproach (Gabauer), the reference
    most TVP-VAR connectedness papers use; see :mod:`._tvp_r` for every step. It reproduces R's
    TCI on the acg2020 data to about 1e-13 (tests/analytics/connectedness). In short: data
    demeaned by full-sample means, no intercept; priors ``"bayes"`` (OLS on the first
    ``prior_window`` rows, R's default), ``"minnesota"`` (variance gamma / l^2) or
    ``"uninformative"``; the error covariance :math:`Q_t` is an EWMA of the *prediction* errors
    and is the :math:`\Sigma` of the FEVD; every date has a table, the first p included. A column
    whose variance is outside :data:`R_UNIT_BAND` (1e-6 to 1e6) is filtered divided by a power of
    ten (:func:`r_unit_scale`), where R's prior breaks down; R parity holds inside the band.

``variant="filtered"``: spillwatch's own variant, kept as a named option
    The textbook forgetting-factor filter of the equations below, with these deliberate
    differences from R:

    * an intercept in the state instead of full-sample demeaning, and the data standardised by
      their full-sample standard deviations before filtering, so that the prior means the same
      thing whatever the units of the columns (R's Minnesota and Bayes priors do not scale with
      the data: a panel in basis points and one in percent give different R results);
    * the FEVD uses the filtered :math:`\Sigma_{t|t}` (EWMA of the residuals *after* the update),
      which reacts to the same news with less noise than R's prediction-error :math:`Q_t`;
    * priors ``"minnesota"`` (mean 0, standard deviation gamma / l, in standardised units) or
      ``"flat"`` (variance 1e6; with :math:`\kappa_1 = \kappa_2 = 1` the filter is recursive
      least squares and ends at the full-sample OLS estimate); no stability clamp;
    * tables start at the (p+1)-th date (the first p dates have no lagged data).

The filtered variant's recursion (Koop & Korobilis 2014, eqs. 7–12; ACG 2020, eqs. 3–10):

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

where :math:`Z_t = I_k \otimes x_t'` and :math:`x_t = [1, y_{t-1}', \dots, y_{t-p}']'`. Only the
current state covariance is kept: memory is linear in T in both variants.

Look-ahead: both variants use full-sample quantities (means or standard deviations, and the
Bayes prior's first ``prior_window`` rows), as the reference does; a TVP-VAR value is therefore
not an as-of value. The rolling-window VAR (``Connectedness.fit_rolling``) is as-of.

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
from spillwatch._validation import decade_unit
from spillwatch.analytics.connectedness import _tvp_r
from spillwatch.analytics.connectedness._var import Standardizer, design

FLAT_VARIANCE = 1e6

#: column variances the ``variant="r"`` engine filters as given: standard deviations from 0.001
#: to 1000 units (yields in bp or percent, returns in percent or decimal, every watch-list series)
R_UNIT_BAND = (1e-6, 1e6)


def r_unit_scale(y: Float64Array) -> Float64Array:
    r"""Powers of ten the ``variant="r"`` engine divides the columns of ``y`` (T, k) by.

    1 for a column whose variance lies in :data:`R_UNIT_BAND` (so R parity holds on such data,
    the R reference data and every watch-list series among them) or is 0 (a constant column
    stays singular); for a column outside the band, the power of ten nearest its standard
    deviation (its variance is then in [0.1, 10), about 1 as in the filtered variant's
    standardised units). R's Bayes prior :math:`(X'X)^{+}` is not multiplied by the error
    variance and ``MASS::ginv`` cuts relatively, so a column in dollars (variance 1e24) moved
    the prior of its coefficients and flipped the sign of the latest net spillover, and one in
    1e-12 units was cut by the pseudo-inverse and every date refused as singular. A column in
    any power-of-ten unit outside the band is filtered in the same unit, so its readings do
    not depend on which of those units it came in; inside the band they depend on the units
    as R's do.

    Examples
    --------
    >>> y = np.column_stack([np.arange(10.0), 1e12 * np.arange(10.0), 1e-9 * np.arange(10.0)])
    >>> r_unit_scale(y).tolist()
    [1.0, 1000000000000.0, 1e-09]
    """
    var = np.asarray(y, dtype=float).var(axis=0)
    lo, hi = R_UNIT_BAND
    scale = np.array([1.0 if lo <= v < hi else decade_unit(float(v), 0.1, 10.0) for v in var])
    return scale


@dataclass(frozen=True)
class TVPEstimates:
    r"""A filtered TVP-VAR path, one entry per date with a table.

    :func:`kalman_filter` returns it in standardised units; :meth:`TVPVAR.estimate` in data
    units.

    Attributes
    ----------
    coefs : ndarray, shape (N, p, k, k)
        :math:`A_{1,t} .. A_{p,t}`.
    intercept : ndarray, shape (N, k)
        The intercept (``variant="r"``: the one implied by the full-sample demeaning).
    sigma : ndarray, shape (N, k, k)
        The error covariance of the FEVD: :math:`Q_t` (``"r"``) or :math:`\Sigma_{t|t}`
        (``"filtered"``).
    """

    coefs: Float64Array
    intercept: Float64Array
    sigma: Float64Array


def prior_moments(
    k: int, lags: int, prior: str, gamma: float
) -> tuple[Float64Array, Float64Array]:
    """Prior mean and diagonal variance, both (k, m), of the filtered variant (intercept first)."""
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
    """Run the ``variant="filtered"`` filter over the standardised panel ``z`` (T, k).

    Returns estimates for t = p .. T-1 in standardised units.
    """
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


#: the priors of each variant; the first is the default
PRIORS: dict[str, tuple[str, ...]] = {"r": _tvp_r.R_PRIORS, "filtered": ("minnesota", "flat")}
VARIANTS = tuple(PRIORS)


@dataclass(frozen=True)
class TVPVAR:
    r"""Spec of the TVP-VAR with forgetting factors (ACG 2020; Koop & Korobilis 2014).

    The defaults are those of R's ``ConnectednessApproach(x, nlag = p, nfore = H,
    window.size = 200, model = "TVP-VAR", VAR_config = list(TVPVAR = list(kappa1 = 0.99,
    kappa2 = 0.99, prior = "BayesPrior")))``.

    Parameters
    ----------
    lags : int, default 1
        The order p.
    kappa1 : float, default 0.99
        Forgetting factor of the coefficients' state covariance (1 = constant coefficients).
    kappa2 : float, default 0.99
        Decay of the EWMA error covariance.
    prior : str, optional
        ``variant="r"``: ``"bayes"`` (default; R's BayesPrior on the first ``prior_window``
        rows), ``"minnesota"`` (R's MinnesotaPrior, variance ``gamma / l**2``) or
        ``"uninformative"`` (variance 4). ``variant="filtered"``: ``"minnesota"`` (default;
        standard deviation ``gamma / l`` in standardised units) or ``"flat"``.
    gamma : float, default 0.1
        Minnesota tightness (R's ``gamma``; the Bayes prior ignores it, as in R). 0.1 is the
        default of R's ``MinnesotaPrior()`` and the value the reference files pass; the
        ``VAR_config`` list of ``ConnectednessApproach()`` carries 0.01, which its Bayes prior
        ignores: pass ``gamma=0.01`` for a Minnesota run with that list's value.
    prior_window : int, default 200
        R's ``window.size``: the Bayes prior is fitted on the first ``prior_window - lags``
        rows (``prior_window - 2 lags`` regression rows).
    sigma0 : array-like of shape (k, k), optional
        First error covariance in data units; default the prior's (Bayes: its residual
        covariance; otherwise the sample covariance of the data).
    variant : {"r", "filtered"}, default "r"
        ``"r"`` reproduces ConnectednessApproach; ``"filtered"`` is spillwatch's variant (see the
        module docstring for every difference and why).

    Examples
    --------
    >>> spec = TVPVAR(lags=2)
    >>> spec.prior, spec.kappa1, spec.kappa2, spec.prior_window, spec.variant
    ('bayes', 0.99, 0.99, 200, 'r')
    >>> TVPVAR(variant="filtered").prior
    'minnesota'
    """

    lags: int = 1
    kappa1: float = 0.99
    kappa2: float = 0.99
    prior: str | None = None
    gamma: float = 0.1
    prior_window: int = 200
    sigma0: tuple[tuple[float, ...], ...] | None = None
    variant: str = "r"

    #: a fit gives one table per date
    time_varying = True

    def __post_init__(self) -> None:
        from spillwatch._validation import MAX_LAGS, positive_int, unit_interval
        from spillwatch.exceptions import ConfigError

        positive_int(self.lags, name="lags", maximum=MAX_LAGS)
        object.__setattr__(self, "kappa1", unit_interval(self.kappa1, name="kappa1"))
        object.__setattr__(self, "kappa2", unit_interval(self.kappa2, name="kappa2"))
        if self.variant not in PRIORS:
            raise ConfigError(
                f"unknown variant {self.variant!r}; choose one of: "
                f"{', '.join(map(repr, VARIANTS))}",
                parameter="variant",
            )
        allowed = PRIORS[self.variant]
        prior = allowed[0] if self.prior is None else str(self.prior).lower()
        if prior not in allowed:
            raise ConfigError(
                f"unknown prior {self.prior!r} for variant={self.variant!r}; choose one of: "
                f"{', '.join(map(repr, allowed))}",
                parameter="prior",
            )
        object.__setattr__(self, "prior", prior)
        if not float(self.gamma) > 0:
            raise ConfigError(f"gamma must be > 0, got {self.gamma!r}", parameter="gamma")
        positive_int(self.prior_window, name="prior_window", minimum=2 * self.lags + 2)
        if self.sigma0 is not None:
            arr = np.asarray(self.sigma0, dtype=float)
            if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
                raise ConfigError(
                    f"sigma0 must be a square (k, k) matrix, got shape {arr.shape}",
                    parameter="sigma0",
                )
            object.__setattr__(self, "sigma0", tuple(tuple(r) for r in arr.tolist()))

    @property
    def first_date(self) -> int:
        """Row of the first date with a table: 0 (``"r"``) or ``lags`` (``"filtered"``)."""
        return 0 if self.variant == "r" else self.lags

    def min_rows(self, k: int) -> int:
        """Rows the data need for ``k`` series."""
        if self.variant == "r" and self.prior == "bayes":
            return max(self.prior_window, self.min_prior_window(k))
        return self.lags + 2

    def min_prior_window(self, k: int) -> int:
        """Smallest ``prior_window`` whose Bayes prior is a full-rank OLS fit for ``k`` series.

        The prior's OLS has ``prior_window - 2p`` regression rows; they must cover the
        ``1 + k p`` coefficients of an equation and leave ``k`` residual degrees of freedom, or
        its first error covariance ``Q_0`` is singular (an exact fit: ``Q_0`` about 0, and every
        early table 100 (k - 1) / k).
        """
        return 2 * self.lags + 1 + k * self.lags + k

    def _sigma0(self, k: int) -> Float64Array | None:
        from spillwatch.exceptions import ConfigError

        if self.sigma0 is None:
            return None
        s0 = np.asarray(self.sigma0, dtype=float)
        if s0.shape != (k, k):
            raise ConfigError(
                f"sigma0 has shape {s0.shape} but the data have {k} columns; give a ({k}, {k}) "
                "matrix",
                parameter="sigma0",
            )
        return s0

    def estimate(self, y: Float64Array) -> TVPEstimates:
        """Filter the data ``y`` (T, k), in data units; one estimate per date from ``first_date``.

        Raises
        ------
        DataError
            Fewer rows than :meth:`min_rows`.
        ConfigError
            ``sigma0`` of the wrong shape, or a ``prior_window`` too short for a full-rank
            Bayes prior (:meth:`min_prior_window`).
        """
        from spillwatch.exceptions import ConfigError, DataError

        t, k = y.shape
        if self.variant == "r" and self.prior == "bayes" and \
                self.prior_window < self.min_prior_window(k):
            # the check was on the data's rows only: prior_window=8 with 3 series and 2 lags
            # fitted 7 coefficients on 4 rows and gave a TCI of 66.67 (Q_0 about 1e-30)
            raise ConfigError(
                f"prior_window={self.prior_window} is too short for the Bayes prior of a "
                f"TVP-VAR({self.lags}) in {k} variables: its OLS has "
                f"{self.prior_window - 2 * self.lags} regression rows for "
                f"{1 + k * self.lags} coefficients an equation and a {k}x{k} error covariance; "
                f"use prior_window >= {self.min_prior_window(k)}, fewer lags, or "
                "prior='minnesota'",
                parameter="prior_window", value=self.prior_window,
            )
        need = self.min_rows(k)
        if t < need:
            how = (f"the Bayes prior is fitted on the first prior_window={self.prior_window} rows; "
                   "pass a smaller prior_window or prior='minnesota'"
                   if self.variant == "r" and self.prior == "bayes" else "use more rows")
            raise DataError(
                f"a TVP-VAR({self.lags}) in {k} variables needs at least {need} complete rows, "
                f"got {t}; {how}",
            )
        sigma0 = self._sigma0(k)
        if self.variant == "r":
            return self._estimate_r(y, sigma0)
        std = Standardizer.of(y)
        s0 = None if sigma0 is None else sigma0 / np.outer(std.scale, std.scale)
        est = kalman_filter(std.apply(y), self.lags, kappa1=self.kappa1, kappa2=self.kappa2,
                            prior=str(self.prior), gamma=float(self.gamma), sigma0=s0)
        # back to data units (the generalized FEVD does not depend on the scaling)
        s = std.scale
        coefs = est.coefs * s[None, None, :, None] / s[None, None, None, :]
        sigma = est.sigma * np.outer(s, s)[None]
        intercept = std.mean + est.intercept * s - np.einsum("nij,j->ni", coefs.sum(axis=1),
                                                             std.mean)
        return TVPEstimates(coefs=coefs, intercept=intercept, sigma=sigma)

    def _estimate_r(self, y: Float64Array, sigma0: Float64Array | None) -> TVPEstimates:
        k = y.shape[1]
        lags = self.lags
        # a column far outside the units R's prior assumes is filtered in a power of ten of
        # them (r_unit_scale: 1 for every column in the band, so R parity is untouched)
        s = r_unit_scale(y)
        ys = y / s
        if self.prior == "bayes":
            b0, p0, q0 = _tvp_r.bayes_prior(ys, lags, self.prior_window)
        else:
            b0, p0 = _tvp_r.diagonal_prior(k, lags, str(self.prior), float(self.gamma))
            q0 = np.cov(ys, rowvar=False).reshape(k, k)
        if sigma0 is not None:
            q0 = sigma0 / np.outer(s, s)
        x = np.ascontiguousarray(ys - ys.mean(axis=0))
        betas, qs = _tvp_r.r_filter(x, lags, self.kappa1, self.kappa2,
                                    np.ascontiguousarray(b0), np.ascontiguousarray(p0),
                                    np.ascontiguousarray(q0, dtype=float))
        n = betas.shape[0]
        coefs = np.ascontiguousarray(betas.reshape(n, k, lags, k).transpose(0, 2, 1, 3))
        # back to data units (the generalized FEVD does not depend on the scaling)
        coefs = coefs * s[None, None, :, None] / s[None, None, None, :]
        qs = qs * np.outer(s, s)[None]
        mean = y.mean(axis=0)
        # the implied intercept of y_t = mu + sum_l A_l (y_{t-l} - mu) + e_t
        intercept = mean - np.einsum("nij,j->ni", coefs.sum(axis=1), mean)
        return TVPEstimates(coefs=coefs, intercept=intercept, sigma=qs)
