r"""GARCH(1,1) with variance targeting, estimated by ``arch`` (a thin volatility-process subclass).

Variance targeting (Engle & Mezrich 1996) fixes the unconditional variance of the GARCH(1,1) at the
sample variance :math:`\hat\sigma^2` and estimates the remaining parameters by (quasi) maximum
likelihood with the intercept *concentrated out*:

.. math::

    h_t = \hat\sigma^2 (1-\alpha-\beta) + \alpha\,\varepsilon_{t-1}^2 + \beta\,h_{t-1}.

This two-step estimator is consistent and asymptotically normal (Francq, Horváth & Zakoïan 2011,
Theorems 2.1–2.2). Fitting an unrestricted GARCH and then replacing :math:`\omega` by
:math:`\hat\sigma^2(1-\hat\alpha-\hat\beta)` is not that estimator: :math:`\hat\alpha, \hat\beta`
were chosen for another intercept.

``arch`` 8 has no variance-targeting process (its pull request bashtage/arch#250 was not merged),
so :class:`VarianceTargetingGARCH` derives from :class:`arch.univariate.GARCH` and only changes the
parameter vector to :math:`(\alpha, \beta)`: the likelihood, optimiser, Student-t distribution,
conditional variances and forecasts are arch's. Standard errors from ``arch`` ignore the
first-step estimation of :math:`\hat\sigma^2` (as noted on that pull request); they are not used
here.

References
----------
Engle, R. F. and Mezrich, J. (1996), "GARCH for groups", *Risk* 9(8), 36–40.
Francq, C., Horváth, L. and Zakoïan, J.-M. (2011), "Merits and drawbacks of variance targeting in
GARCH models", *Journal of Financial Econometrics* 9(4), 619–656.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from arch.univariate import GARCH, ConstantVariance

from spillwatch._compat.warns import catch_warnings

logger = logging.getLogger(__name__)

_PERSISTENCE_MAX = 1.0 - 1e-6


class VarianceTargetingGARCH(GARCH):  # type: ignore[misc]
    """GARCH(1,1) whose unconditional variance is fixed at ``target`` (module docstring).

    Parameters
    ----------
    target : float
        The unconditional variance (the sample variance of the residuals, in their units).
    """

    def __init__(self, target: float) -> None:
        super().__init__(p=1, o=0, q=1)
        if not (math.isfinite(target) and target > 0):
            raise ValueError(f"target must be a positive variance; got {target!r}")
        self.target = float(target)
        self._num_params = 2
        self._name = "Variance-targeting GARCH"
        self._updatable = False

    def _full(self, parameters: Any) -> np.ndarray:
        p = np.asarray(parameters, dtype=float)
        if p.shape[0] == 3:                 # arch internals may pass (omega, alpha, beta)
            return p
        a, b = float(p[0]), float(p[1])
        return np.array([self.target * (1.0 - a - b), a, b])

    def parameter_names(self) -> list[str]:
        return ["alpha[1]", "beta[1]"]

    def bounds(self, resids: Any) -> list[tuple[float, float]]:
        return [(0.0, 1.0), (0.0, 1.0)]

    def constraints(self) -> tuple[np.ndarray, np.ndarray]:
        # alpha >= 0, beta >= 0, 1 - alpha - beta > 0 (arch: a @ x - b >= 0)
        a = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
        b = np.array([0.0, 0.0, -_PERSISTENCE_MAX])
        return a, b

    def starting_values(self, resids: Any) -> np.ndarray:
        var_bounds = self.variance_bounds(resids)
        backcast = self.backcast(resids)
        best, best_ll = np.array([0.05, 0.9]), -np.inf
        for a, persistence in itertools.product((0.02, 0.05, 0.1, 0.2), (0.5, 0.8, 0.9, 0.98)):
            sv = np.array([a, persistence - a])
            if sv[1] < 0:
                continue
            ll = self._gaussian_loglikelihood(sv, resids, backcast, var_bounds)
            if ll > best_ll:
                best, best_ll = sv, ll
        return best

    def compute_variance(self, parameters: Any, resids: Any, sigma2: Any, backcast: Any,
                         var_bounds: Any) -> Any:
        return super().compute_variance(self._full(parameters), resids, sigma2, backcast,
                                        var_bounds)

    def simulate(self, parameters: Any, nobs: int, rng: Any, burn: int = 500,
                 initial_value: Any = None) -> Any:
        return super().simulate(self._full(parameters), nobs, rng, burn, initial_value)

    def _analytic_forecast(self, parameters: Any, *args: Any) -> Any:
        return super()._analytic_forecast(self._full(parameters), *args)

    def _simulation_forecast(self, parameters: Any, *args: Any) -> Any:
        return super()._simulation_forecast(self._full(parameters), *args)


@dataclass(frozen=True)
class MarginFit:
    """One margin: variance-targeting GARCH(1,1)-t, or a constant variance.

    Attributes
    ----------
    alpha, beta : float
        0 for a constant variance.
    nu : float
        Degrees of freedom of the standardised Student-t innovations.
    variance : float
        Unconditional (target) variance, in the series' units squared.
    h_next : float
        Conditional variance forecast for the day after the last observation.
    z : ndarray
        Standardised residuals.
    model : str
        ``"vt-garch"`` or ``"constant"`` (and why, when it fell back).
    """

    alpha: float
    beta: float
    nu: float
    variance: float
    h_next: float
    z: np.ndarray
    model: str
    #: The highest conditional variance the fit read on its data (and its forecast): the cap of
    #: a simulated path's variance (:mod:`spillwatch.scenarios.simulate`).
    h_max: float = float("nan")

    @property
    def omega(self) -> float:
        """Intercept implied by the target, ``variance * (1 - alpha - beta)``."""
        return self.variance * (1.0 - self.alpha - self.beta)


def _scale(x: np.ndarray) -> float:
    sd = float(np.std(x))
    scale = 1.0
    while sd * scale < 1.0:
        scale *= 10.0
    while sd * scale >= 30.0:
        scale /= 10.0
    return scale


def fit_margin(x: Sequence[float] | np.ndarray, *, constant: bool = False) -> MarginFit:
    """Fit a demeaned series: variance-targeting GARCH(1,1) with Student-t errors via ``arch``.

    The series is rescaled by a power of ten into arch's preferred range and the results scaled
    back. When ``constant`` is set, or the optimiser does not converge (arch's
    ``convergence_flag``), the margin is a constant variance with a Student-t fitted by arch's
    ``ConstantVariance`` model; :attr:`MarginFit.model` says which.

    Kept in the process by the series' values (the last :data:`MARGINS_KEPT`; ``z`` read-only),
    as the GARCH fits of :meth:`spillwatch.analytics.volatility.garch.Volatility.fit_series`:
    another scenario on the same data refits no margin.
    """
    y0 = np.ascontiguousarray(x, dtype="float64")
    return _fit_margin(y0.tobytes(), bool(constant))


#: Margin fits kept by :func:`fit_margin`.
MARGINS_KEPT = 64


@functools.lru_cache(maxsize=MARGINS_KEPT)
def _fit_margin(x: bytes, constant: bool) -> MarginFit:
    fit = _fit_margin_now(np.frombuffer(x, dtype="float64"), constant=constant)
    fit.z.setflags(write=False)
    return fit


def _fit_margin_now(y0: np.ndarray, *, constant: bool) -> MarginFit:
    """:func:`fit_margin`'s computation."""
    from arch import arch_model

    scale = _scale(y0)
    y = (y0 - y0.mean()) * scale
    target = float(np.mean(y**2))
    if not constant:
        vol = VarianceTargetingGARCH(target)
        model = arch_model(y, mean="Zero", dist="t", rescale=False)
        model.volatility = vol
        with catch_warnings():
            # checked through convergence_flag below; arch warns on non-convergence
            warnings.simplefilter("ignore")
            res = model.fit(disp="off", show_warning=False)
        if res.convergence_flag == 0:
            a, b = float(res.params["alpha[1]"]), float(res.params["beta[1]"])
            h = np.asarray(res.conditional_volatility) ** 2
            h_next = float(res.forecast(horizon=1, reindex=False).variance.to_numpy()[-1, 0])
            nu = float(np.clip(res.params["nu"], 2.5, 200.0))
            return MarginFit(a, b, nu, target / scale**2, h_next / scale**2, y / np.sqrt(h),
                             "vt-garch", max(float(h.max()), h_next) / scale**2)
        logger.info("variance-targeting GARCH did not converge; constant variance instead")
        why = "constant (GARCH did not converge)"
    else:
        why = "constant (too few observations for GARCH)"
    model = arch_model(y, mean="Zero", dist="t", rescale=False)
    model.volatility = ConstantVariance()
    with catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(disp="off", show_warning=False)
    nu = float(np.clip(res.params["nu"], 2.5, 200.0))
    return MarginFit(0.0, 0.0, nu, target / scale**2, target / scale**2,
                     y / math.sqrt(target), why, target / scale**2)
