"""Conditional volatility per asset: a thin ``arch`` adapter (GARCH, GJR, EGARCH) and EWMA.

``volatility(panel)`` fits each column on its own. With ``model="auto"`` every candidate of the
GARCH family is fitted (Student-t errors by default) and the one with the smallest BIC is kept per
series; ``model="ewma"`` (the default, and the fast path) is RiskMetrics' EWMA with λ = 0.94.

Scaling: ``arch`` optimises best when the variance of its input lies between about 1 and 1000.
Panel changes are already in percent or basis points, but the dollar (daily sd ≈ 0.3 %) is not;
each series is multiplied by a power of ten (``scale``) before fitting, and every variance and
volatility reported is divided back into the original units. So ``arch``'s ``DataScaleWarning``
never fires; its ``ConvergenceWarning`` is not silenced blindly either: a candidate whose
optimiser did not converge is left out of the BIC choice and listed in ``failures``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._compat.blas import one_blas_thread
from spillwatch._compat.warns import catch_warnings
from spillwatch._kept import Kept
from spillwatch._results import ResultBase, jsonable
from spillwatch._validation import (
    MAX_HORIZON,
    as_frame,
    choice,
    clean_series,
    date_labels,
    positive_int,
    span,
)
from spillwatch.analytics.volatility.ewma import RISKMETRICS_LAMBDA, check_lambda, ewma_variance
from spillwatch.exceptions import ConvergenceError, DataError, SpillwatchError

logger = logging.getLogger(__name__)

#: Model name -> arguments of :func:`arch.arch_model` (Bollerslev 1986; Glosten, Jagannathan &
#: Runkle 1993; Nelson 1991).
GARCH_MODELS: dict[str, dict[str, Any]] = {
    "garch": {"vol": "GARCH", "p": 1, "o": 0, "q": 1},
    "gjr-garch": {"vol": "GARCH", "p": 1, "o": 1, "q": 1},
    "egarch": {"vol": "EGARCH", "p": 1, "o": 1, "q": 1},
}
MODELS: tuple[str, ...] = ("ewma", "auto", *GARCH_MODELS)
# Multipliers of the restart point after a non-converged fit, by parameter name.
_PERTURB: dict[str, float] = {"omega": 1.2, "alpha": 1.2, "beta": 0.99, "nu": 1.1}
DISTS: dict[str, str] = {"t": "t", "normal": "normal", "skewt": "skewt"}
MEANS: dict[str, str] = {"constant": "Constant", "zero": "Zero"}
#: Shock distributions without exponential moments: EGARCH has no finite multi-step mean
#: variance forecast under them (see :attr:`SeriesVolatility.forecast`).
_NO_EXP_MOMENTS = frozenset({"t", "skewt"})
_LN_MAX = math.log(np.finfo(float).max)


def one_step_variance(res: Any, model: str) -> float:
    r"""The next day's variance by the fitted model's own recursion (in the fit's units).

    GARCH and GJR-GARCH: :math:`\omega + (\alpha + \gamma 1_{e_T < 0}) e_T^2 + \beta
    \sigma_T^2` (Bollerslev 1986; Glosten, Jagannathan & Runkle 1993); EGARCH, as arch writes
    it: :math:`\ln\sigma^2_{T+1} = \omega + \alpha(|z_T| - \sqrt{2/\pi}) + \gamma z_T +
    \beta \ln\sigma^2_T` (Nelson 1991), with :math:`z_T = e_T / \sigma_T`.
    """
    p = res.params
    sig = float(np.asarray(res.conditional_volatility)[-1])
    e = float(np.asarray(res.resid)[-1])
    gamma = float(p.get("gamma[1]", 0.0))
    if model == "egarch":
        z = e / sig
        ln = (float(p["omega"]) + float(p["alpha[1]"]) * (abs(z) - math.sqrt(2.0 / math.pi))
              + gamma * z + float(p["beta[1]"]) * math.log(sig * sig))
        # a fit that left its recursion can put ln far past a double's range: infinite,
        # not an OverflowError out of the fit
        return math.exp(ln) if ln < _LN_MAX else math.inf
    return (float(p["omega"]) + (float(p["alpha[1]"]) + gamma * (e < 0)) * e * e
            + float(p["beta[1]"]) * sig * sig)


def data_scale(values: np.ndarray) -> float:
    """Power of ten that brings the variance of ``values`` into [1, 1000)."""
    var = float(np.var(values))
    if not math.isfinite(var) or var <= 0:
        return 1.0
    k = math.floor(math.log10(var) / 2.0)
    scale = 10.0 ** (-k)
    while var * scale**2 < 1.0:
        scale *= 10.0
    while var * scale**2 >= 1000.0:
        scale /= 10.0
    return scale


def _conventional_start(params: pd.Series, model: str, y: pd.Series) -> np.ndarray:
    """A second starting point of a GARCH-family fit: a persistent, mildly reactive variance.

    ``params`` (a first fit's) give the layout and keep their mean and distribution values;
    the variance equation starts at alpha 0.05, gamma 0, beta 0.90 with omega at the sample
    variance's level (EGARCH: alpha 0.1, gamma 0, beta 0.95 on the log variance).
    """
    p = params.copy()
    var = max(float(np.var(np.asarray(y, dtype=float))), 1e-12)
    if model == "egarch":
        beta = 0.95
        p["alpha[1]"], p["beta[1]"], p["omega"] = 0.1, beta, (1.0 - beta) * math.log(var)
    else:
        alpha, beta = 0.05, 0.90
        p["alpha[1]"], p["beta[1]"], p["omega"] = alpha, beta, var * (1.0 - alpha - beta)
    if "gamma[1]" in p.index:
        p["gamma[1]"] = 0.0
    return p.to_numpy(dtype=float)


#: GARCH fits kept by :meth:`Volatility.fit_series` (the least recently asked dropped first).
FITS_KEPT = 64
_FITS: Kept[SeriesVolatility] = Kept(FITS_KEPT)


def _digest(s: pd.Series) -> bytes:
    """A fingerprint of a series' dates and values (what a fit reads)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(np.ascontiguousarray(s.index.asi8).tobytes())
    h.update(np.ascontiguousarray(s.to_numpy(dtype="float64")).tobytes())
    return h.digest()


@dataclass(frozen=True)
class SeriesVolatility:
    """The fitted volatility model of one series.

    Attributes
    ----------
    name : str
    model : str
        Chosen model (``"ewma"``, ``"garch"``, ``"gjr-garch"``, ``"egarch"``).
    dist : str
    params : Series
        Parameters in the scaled units of the fit (see ``scale``); EWMA: ``lam``.
    scale : float
        Factor the series was multiplied by before fitting.
    cond_vol : Series
        Conditional standard deviation of each day given the days before (original units).
    std_resid : Series
        ``(r_t - mu) / sigma_t``.
    forecast_var : ndarray
        Variance forecasts for 1..horizon days ahead (original units).
    bic : dict
        BIC of each candidate fitted (scaled units; comparable within one series only).
    failures : dict
        Candidates left out, with the reason.
    mu : float
        Mean of the model (original units; 0 for EWMA and ``mean="zero"``).
    nu : float
        Student-t degrees of freedom (NaN for other distributions).
    forecast : {"mean", "median"}
        What ``forecast_var`` is beyond one day: the expected variance, or, for EGARCH with
        Student-t shocks (whose expected variance is infinite beyond one day: ``ln s2`` moves
        with ``|z|`` and ``E[exp(c|z|)]`` diverges for t), the median of simulated paths.
    forecast_cum_var : ndarray, optional
        With ``forecast="median"``: per horizon, the median over the simulated paths of the
        variance summed over days 1..h (the cumulative volatility's median is its root; the
        sum of the daily medians, used before, is neither a median nor an expectation).
    """

    name: str
    model: str
    dist: str
    params: pd.Series
    scale: float
    cond_vol: pd.Series
    std_resid: pd.Series
    forecast_var: np.ndarray
    bic: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    mu: float = 0.0
    nu: float = float("nan")
    arch_result: Any = None
    forecast: str = "mean"
    forecast_cum_var: np.ndarray | None = None

    @property
    def cumulative_var(self) -> np.ndarray:
        """Variance over days 1..h for each h: the expected one's sum, or the paths' median."""
        if self.forecast_cum_var is not None:
            return self.forecast_cum_var
        return np.cumsum(self.forecast_var)

    @property
    def persistence(self) -> float:
        """α + β (+ γ/2) for GARCH/GJR, β for EGARCH, λ for EWMA."""
        p = self.params
        if self.model == "ewma":
            return float(p["lam"])
        if self.model == "egarch":
            return float(p["beta[1]"])
        return float(p["alpha[1]"] + p["beta[1]"] + 0.5 * p.get("gamma[1]", 0.0))


#: Persistence from which a GARCH fit counts as integrated (:meth:`VolatilityResult.notes`).
INTEGRATED = 0.999


@dataclass(frozen=True)
class Volatility:
    """Specification of the per-series volatility model.

    Parameters
    ----------
    model : {"ewma", "auto", "garch", "gjr-garch", "egarch"}, default "ewma"
        ``"auto"`` fits every entry of ``candidates`` and keeps the smallest BIC per series.
    dist : {"t", "normal", "skewt"}, default "t"
        Error distribution of the GARCH family (Bollerslev 1987 for Student-t).
    mean : {"constant", "zero"}, default "constant"
    candidates : tuple of str
        Models compared by ``"auto"``.
    horizon : int, default 10
        Days ahead to forecast.
    lam : float, default 0.94
        EWMA decay.
    min_obs : int, default 200
        Shortest sample accepted (ten months of business days; what ``spillwatch
        volatility`` uses).
    simulations : int, default 10000
        Paths for EGARCH's multi-step forecast (no closed form exists).
    seed : int, default 0
        Seed of those simulations.
    missing : {"drop", "raise"}, default "drop"
        Gaps inside a series: dropped, or a :class:`DataError` listing their dates.
    """

    model: str = "ewma"
    dist: str = "t"
    mean: str = "constant"
    candidates: tuple[str, ...] = ("garch", "gjr-garch", "egarch")
    horizon: int = 10
    lam: float = RISKMETRICS_LAMBDA
    min_obs: int = 200
    simulations: int = 10_000
    seed: int = 0
    missing: str = "drop"

    def __post_init__(self) -> None:
        choice(self.missing, ("drop", "raise"), name="missing policy")
        choice(self.model, MODELS, name="volatility model")
        choice(self.dist, tuple(DISTS), name="dist")
        choice(self.mean, tuple(MEANS), name="mean")
        for c in self.candidates:
            choice(c, tuple(GARCH_MODELS), name="candidate model")
        # EGARCH's forecast simulates (simulations x horizon) paths: 100,000 days ran out of
        # memory
        positive_int(self.horizon, name="horizon", maximum=MAX_HORIZON)
        positive_int(self.min_obs, name="min_obs")
        check_lambda(self.lam)

    # -- fitting -------------------------------------------------------------------------
    def fit(self, data: Any) -> VolatilityResult:
        """Fit every column of ``data`` (a Series or a panel of changes)."""
        frame = as_frame(data)
        if frame.columns.duplicated().any():
            # a panel joined with a frame of one's own holding a column again: each name read
            # the two columns as one series, without a word
            dup = frame.columns[frame.columns.duplicated()].tolist()
            raise DataError(f"column names must be unique, got duplicates {dup}")
        fits: dict[str, SeriesVolatility] = {}
        failures: dict[str, str] = {}
        first_error: SpillwatchError | None = None
        for c in frame.columns:
            try:
                fits[str(c)] = self.fit_series(frame[c], name=str(c))
            except (DataError, ConvergenceError) as exc:
                if frame.shape[1] == 1:
                    raise
                failures[str(c)] = exc.message
                first_error = first_error or exc
                logger.info("volatility of %s not estimated: %s", c, exc.message)
        if not fits and first_error is not None:
            raise first_error
        return VolatilityResult(spec=self, data=frame, fits=fits, failures=failures)

    def fit_series(self, x: Any, *, name: str | None = None) -> SeriesVolatility:
        """Fit one series; see the class docstring for the options.

        The GARCH family's fits are kept in the process (the last :data:`FITS_KEPT`, keyed by
        this spec, the name and the series' dates and values), as the demand gauge keeps its
        Huber fits: a workspace opened again on the same data (the server's views after a
        revision that left this series alone, a notebook's second load) refits nothing it
        has fitted before. A kept fit is the same object each time: read it, do not change it.
        """
        s = clean_series(x, min_obs=self.min_obs, purpose="volatility estimation", name=name,
                         missing=self.missing)  # type: ignore[arg-type]
        label = str(s.name)
        if self.model == "ewma":
            return self._fit_ewma(s, label)
        return _FITS.get((self, label, _digest(s)), lambda: self._fit_garch(s, label))

    def _fit_garch(self, s: pd.Series, label: str) -> SeriesVolatility:
        """The GARCH family's fit of the clean series ``s`` (see :meth:`fit_series`)."""
        names = self.candidates if self.model == "auto" else (self.model,)
        scale = data_scale(s.to_numpy())
        fitted: dict[str, Any] = {}
        failures: dict[str, str] = {}
        # the constant variance's log-likelihood, by the series' values: one fit for every
        # candidate (each candidate's check refitted the same constant model on the same data)
        flat: dict[bytes, float] = {}
        with one_blas_thread():   # the fits' last digits depended on the BLAS thread count
            for m in names:
                try:
                    fitted[m] = self._fit_arch(s * scale, m, flat)
                except ConvergenceError as exc:
                    failures[m] = exc.message
                    logger.info("%s: %s", label, exc.message)
        if not fitted:
            raise ConvergenceError(
                f"no volatility model converged for {label!r} ({len(s)} observations "
                f"{span(s.index)}): "
                + "; ".join(f"{k}: {v}" for k, v in failures.items())
                + ". Try model='ewma' or a longer sample.", series_id=label)
        bic = {m: float(r.bic) for m, r in fitted.items()}
        best = min(bic, key=lambda m: bic[m])
        res = fitted[best]
        return self._package(s, label, best, res, scale, bic, failures)

    def arch_options(self, model: str) -> dict[str, Any]:
        """Keyword arguments of :func:`arch.arch_model` for ``model`` under this spec."""
        return {"mean": MEANS[self.mean], "dist": DISTS[self.dist], "rescale": False,
                **GARCH_MODELS[model]}

    def _fit_arch(self, y: pd.Series, model: str, flat: dict[bytes, float] | None = None
                  ) -> Any:
        from arch import arch_model

        am = arch_model(y, **self.arch_options(model))
        from arch.utility.exceptions import ConvergenceWarning as ArchConvergenceWarning
        from arch.utility.exceptions import StartingValueWarning

        with catch_warnings():
            # arch reports non-convergence as a warning; we read the flag and decide ourselves.
            warnings.simplefilter("ignore", ArchConvergenceWarning)
            # a restart point outside arch's constraints is replaced by arch's own start; the
            # likelihood comparison below judges the outcome either way.
            warnings.simplefilter("ignore", StartingValueWarning)
            res = am.fit(disp="off", show_warning=False)
            converged = res.convergence_flag == 0
            if not converged:
                # SLSQP often stops a hair from the optimum ("positive directional derivative
                # for linesearch"). Restart from a perturbed point: when the two starts agree
                # on the likelihood (within 0.01), the optimum is confirmed and the better one
                # is kept; otherwise the model is reported as not converged.
                start = np.array([v * _PERTURB.get(k.split("[")[0], 1.0)
                                  for k, v in res.params.items()])
                again = am.fit(disp="off", show_warning=False, starting_values=start)
                agree = abs(again.loglikelihood - res.loglikelihood) < 1e-2
                if again.convergence_flag == 0 or agree:
                    res = max((res, again), key=lambda r: r.loglikelihood)
                    converged = True
            alt = None
            if converged:
                # a converged fit can be a local optimum: a short, fat-tailed series has two
                # (TRUMP's 201 days to 2025-11-05: arch's start stopped at alpha 0.82, nu 2.6,
                # log-likelihood -654.54, and read a t VaR of 40.1 %, ES 65.9 %; from a
                # persistent start, alpha 0.14, -654.16 and 28.4 %). The fit from a
                # conventional start (alpha 0.05, beta 0.90) is kept when it is better.
                alt = am.fit(disp="off", show_warning=False,
                             starting_values=_conventional_start(res.params, model, y))
                if not (alt.convergence_flag == 0 and np.all(np.isfinite(alt.params))
                        and alt.loglikelihood > res.loglikelihood + 1e-6):
                    alt = None
        if not converged:
            msg = getattr(res.optimization_result, "message", "")
            raise ConvergenceError(f"{model} did not converge ({msg})", series_id=str(y.name))
        if alt is not None:
            try:
                return self._check_finite(alt, model, y, flat)
            except ConvergenceError:
                pass    # its optimum leaves its own recursion or the stationary region
        return self._check_finite(res, model, y, flat)

    def _check_finite(self, res: Any, model: str, y: pd.Series,
                      flat: dict[bytes, float] | None = None) -> Any:
        """``res`` if its fit is usable, else :class:`ConvergenceError`.

        ``flat``: the constant variance's log-likelihoods already fitted in this computation,
        by the values of ``y`` (read and filled).
        """
        if not np.all(np.isfinite(res.conditional_volatility)):
            raise ConvergenceError(f"{model} gave non-finite volatilities", series_id=str(y.name))
        from arch import arch_model

        # every model here nests a constant variance (alpha = gamma = beta = 0): a fit below
        # its likelihood is no optimum (the 10-year's EGARCH on the data of 2017-12-29 stopped
        # at nu = 2.05, alpha -59, gamma 428, log-likelihood -5,656 against the constant's
        # -2,196, and read 3.6e12 bp for the next day with exit 0)
        constant: dict[str, Any] = {"mean": MEANS[self.mean], "vol": "Constant",
                                    "dist": DISTS[self.dist], "rescale": False}
        key = np.asarray(y, dtype="float64").tobytes()
        flat_ll = None if flat is None else flat.get(key)
        if flat_ll is None:
            flat_ll = float(arch_model(y, **constant).fit(disp="off",
                                                          show_warning=False).loglikelihood)
            if flat is not None:
                flat[key] = flat_ll
        if res.loglikelihood < flat_ll - 1.0:
            raise ConvergenceError(
                f"{model} stopped at a log-likelihood ({res.loglikelihood:,.1f}) below a "
                f"constant variance's ({flat_ll:,.1f}), which it nests: no optimum",
                series_id=str(y.name))
        if model == "egarch":
            beta = float(res.params["beta[1]"])
            if abs(beta) >= 1.0 - 1e-6:
                # the log variance has a unit root: arch's forecast went through its
                # unconditional level, omega / (1 - beta), and the 10-year's next day read
                # 4.4e-16 bp (or 42.4) on 2018-01-02 from 3.19 today
                raise ConvergenceError(
                    f"egarch's beta = {beta:.6f} is on the boundary of stationarity (|beta| "
                    "< 1): the log variance has no level to forecast from",
                    series_id=str(y.name))
        own, got = one_step_variance(res, model), float(res.forecast(
            horizon=1, reindex=False).variance.iloc[-1, 0])
        # a next-day sd beyond the largest change of the sample (the last one included) is a
        # recursion that exploded on its last change, not a forecast: EGARCH's log variance
        # moves with |z|, so a 50% crash after a calm year (z ~ -95) read 9.5e10 %/day, and the
        # BIC, which sees that day as one density point, chose it
        largest = float(np.max(np.abs(np.asarray(y, dtype=float)
                                      - float(res.params.get("mu", 0.0)))))
        if math.isfinite(own) and own > 0 and math.sqrt(own) > largest:
            raise ConvergenceError(
                f"{model}'s next-day volatility ({math.sqrt(own):.6g}) exceeds the largest "
                f"change in its sample ({largest:.6g}): its recursion explodes on the last "
                "change", series_id=str(y.name))
        # a tenth apart in log: arch bounds the variance in its recursion (0.16 % off, for
        # the 10-year's GARCH of 2018-01-02 at omega ~ 0), a broken forecast is orders apart
        if not (np.isfinite(got) and got > 0 and math.isfinite(own) and own > 0
                and abs(math.log(got / own)) <= 0.1):
            raise ConvergenceError(
                f"{model}'s next-day variance ({got:.6g}) does not follow its own recursion "
                f"({own:.6g})", series_id=str(y.name))
        return res

    def _package(self, s: pd.Series, label: str, model: str, res: Any, scale: float,
                 bic: dict[str, float], failures: dict[str, str]) -> SeriesVolatility:
        params = res.params
        mu = float(params.get("mu", 0.0)) / scale
        cond_vol = pd.Series(np.asarray(res.conditional_volatility) / scale, index=s.index,
                             name=label)
        std_resid = ((s - mu) / cond_vol).rename(label)
        forecast = "mean"
        cum: np.ndarray | None = None
        if model == "egarch" and self.horizon > 1:
            fc = res.forecast(horizon=self.horizon, reindex=False, method="simulation",
                              simulations=self.simulations, rng=self._shocks(res))
            if self.dist in _NO_EXP_MOMENTS:
                # ln s2 moves with |z|: E[s2] is E[exp(a|z|)...], infinite for Student-t
                # shocks, so the simulated mean is noise (BTC on 2022-10-21: 8.9 %/day at 10
                # days, 43.7 at 30, from 3.0 today). The median path is finite and stable.
                sims = np.asarray(fc.simulations.variances, dtype=float)[-1]   # (paths, h)
                fvar = np.median(sims, axis=0) / scale**2
                cum = np.median(np.cumsum(sims, axis=1), axis=0) / scale**2
                forecast = "median"
            else:
                fvar = np.asarray(fc.variance.iloc[-1], dtype=float) / scale**2
        else:
            fc = res.forecast(horizon=self.horizon, reindex=False)
            fvar = np.asarray(fc.variance.iloc[-1], dtype=float) / scale**2
        nu = float(params["nu"]) if "nu" in params.index else float("nan")
        return SeriesVolatility(name=label, model=model, dist=self.dist, params=params,
                                scale=scale, cond_vol=cond_vol, std_resid=std_resid,
                                forecast_var=fvar, bic=bic, failures=failures, mu=mu, nu=nu,
                                arch_result=res, forecast=forecast, forecast_cum_var=cum)

    def _shocks(self, res: Any) -> Any:
        """Seeded standardised shocks of the fitted distribution (inverse-CDF draws).

        arch's simulation forecast draws from an unseeded generator unless given ``rng``; a
        seeded one makes the EGARCH multi-step forecast the same number on every call.
        """
        dist = res.model.distribution
        k = int(dist.num_params)
        dparams = np.asarray(res.params, dtype=float)[-k:] if k else None
        gen = np.random.default_rng(self.seed)

        def rng(size: int | tuple[int, ...]) -> np.ndarray:
            u = gen.random(size)
            return np.asarray(dist.ppf(u.ravel(), dparams), dtype=float).reshape(u.shape)

        return rng

    def _fit_ewma(self, s: pd.Series, label: str) -> SeriesVolatility:
        var = ewma_variance(s.to_numpy(), lam=self.lam)
        cond_vol = pd.Series(np.sqrt(var[:-1]), index=s.index, name=label)
        return SeriesVolatility(
            name=label, model="ewma", dist="normal", params=pd.Series({"lam": self.lam}),
            scale=1.0, cond_vol=cond_vol, std_resid=(s / cond_vol).rename(label),
            forecast_var=np.full(self.horizon, var[-1]))


#: Changes over which :meth:`VolatilityResult.table` gives the realised volatility.
REALISED_DAYS = 20


def _realised(x: pd.Series, end: pd.Timestamp) -> float:
    """Sample sd of the last :data:`REALISED_DAYS` changes of ``x`` to ``end`` (NaN if fewer)."""
    last = x.loc[:end].dropna().iloc[-REALISED_DAYS:]
    return float(last.std(ddof=1)) if len(last) == REALISED_DAYS else float("nan")


class VolatilityResult(ResultBase):
    """Per-series conditional volatility, model choice and 1..H day forecasts.

    Attributes
    ----------
    spec : Volatility
    data : DataFrame
        The input panel.
    fits : dict of str to SeriesVolatility
    failures : dict of str to str
        Series of a panel that could not be estimated, with the reason (too short, constant,
        no model converged); the others are fitted.
    """

    title = "Conditional volatility"

    def __init__(self, spec: Volatility, data: pd.DataFrame,
                 fits: dict[str, SeriesVolatility],
                 failures: dict[str, str] | None = None) -> None:
        self.spec = spec
        self.data = data
        self.fits = fits
        self.failures = dict(failures or {})

    def __getitem__(self, name: str) -> SeriesVolatility:
        return self.fits[name]

    @cached_property
    def cond_vol(self) -> pd.DataFrame:
        """Conditional daily standard deviation of every series (original units)."""
        return pd.DataFrame({k: f.cond_vol for k, f in self.fits.items()})

    @cached_property
    def std_resid(self) -> pd.DataFrame:
        """Standardised residuals of every series."""
        return pd.DataFrame({k: f.std_resid for k, f in self.fits.items()})

    def forecast(self, horizon: int | None = None) -> pd.DataFrame:
        """Daily volatility forecast h = 1..horizon days ahead (rows) for each series."""
        h = self.spec.horizon if horizon is None else positive_int(horizon, name="horizon")
        if h > self.spec.horizon:
            from spillwatch.exceptions import ConfigError

            raise ConfigError(f"horizon {h} exceeds the fitted horizon {self.spec.horizon}; "
                              f"refit with Volatility(horizon={h})")
        out = pd.DataFrame({k: np.sqrt(f.forecast_var[:h]) for k, f in self.fits.items()},
                           index=pd.RangeIndex(1, h + 1, name="h"))
        return out

    def table(self) -> pd.DataFrame:
        """One row per series: model, fit, current and forecast volatility (daily units)."""
        rows = {}
        h = self.spec.horizon
        for k, f in self.fits.items():
            fv = np.sqrt(f.forecast_var)
            rows[k] = {
                "model": f.model,
                "dist": f.dist,
                "nobs": len(f.cond_vol),
                "last_date": f.cond_vol.index[-1],
                "persistence": f.persistence,
                "nu": f.nu,
                "vol_last": float(f.cond_vol.iloc[-1]),
                "vol_1d": float(fv[0]),
                f"vol_{h}d": float(fv[h - 1]),
                f"vol_cum_{h}d": float(np.sqrt(f.cumulative_var[-1])),
                "vol_annual": float(fv[0] * np.sqrt(days_per_year(f.cond_vol.index))),
                # what the series did lately, beside what the model says it will do (the
                # model's level can sit well above it: BTC's next day 2.98 %/day against
                # 1.93 realised over its last 20 changes, on its last close of 2026-01-02)
                f"realised_{REALISED_DAYS}d": _realised(self.data[k], f.cond_vol.index[-1]),
                "bic": f.bic.get(f.model, float("nan")),
                "forecast": f.forecast,
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "series"
        return out

    def bic_table(self) -> pd.DataFrame:
        """BIC of every candidate per series (NaN: not fitted or failed)."""
        return pd.DataFrame({k: f.bic for k, f in self.fits.items()}).T.rename_axis("series")

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: date, series, cond_vol."""
        out = self.cond_vol.rename_axis("date").reset_index().melt(
            id_vars="date", var_name="series", value_name="cond_vol")
        return out.dropna()

    def notes(self) -> list[str]:
        """What not to read literally: GARCH fits at the stationarity limit.

        A GARCH or GJR-GARCH with persistence at or above :data:`INTEGRATED` has no long-run
        variance to revert to (Engle & Bollerslev 1986's integrated GARCH): its forecast grows
        with the horizon instead (ether on 2020-03-16: 27.8% a day tomorrow, 29.3% in ten
        days, alpha + beta = 1.000), and nothing said so. EWMA is integrated by construction.
        """
        out = []
        for k, f in self.fits.items():
            if f.model in ("garch", "gjr-garch") and f.persistence >= INTEGRATED:
                out.append(f"{k}: the {f.model.upper()} fit is at the stationarity limit "
                           f"(persistence {f.persistence:.4f}): no long-run level to revert "
                           "to, so its forecast grows with the horizon rather than fading; "
                           "read the longer horizons as an upper bound")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "model": self.spec.model, "table": jsonable(self.table()),
                "forecast": jsonable(self.forecast()),
                "notes": self.notes(),
                "failures": self.failures,
                "candidate_failures": {k: f.failures for k, f in self.fits.items()
                                       if f.failures}}

    def _summary_lines(self) -> list[str]:
        t = self.table()
        lines = [f"{self.title} ({self.spec.model}, {len(t)} series)"]
        for k, r in t.iterrows():
            lines.append(f"  {k}: {r['model']}, vol on {pd.Timestamp(r['last_date']):%Y-%m-%d} "
                         f"{r['vol_last']:.3g}, next day {r['vol_1d']:.3g}, "
                         f"{self.spec.horizon}d {r[f'vol_{self.spec.horizon}d']:.3g} "
                         f"{_unit_of(str(k))} per day (realised over the last "
                         f"{REALISED_DAYS} changes {r[f'realised_{REALISED_DAYS}d']:.3g})"
                         + (" (median path: t shocks leave EGARCH no finite mean forecast)"
                            if r["forecast"] == "median" else ""))
        for k, why in self.failures.items():
            lines.append(f"  {k}: not estimated ({why})")
        lines += [f"  NOTE: {n}" for n in self.notes()]
        return lines

    def plot(self, kind: str | None = None) -> Any:
        """Conditional volatility of every series (plotly; imported lazily)."""
        import plotly.graph_objects as go

        fig = go.Figure()
        for k in self.cond_vol.columns:
            s = self.cond_vol[k].dropna()
            fig.add_trace(go.Scatter(x=s.index, y=s.to_numpy(), name=k, mode="lines"))
        fig.update_layout(title=self.title, yaxis_title="daily sd (series units)")
        return fig


def volatility(data: Any, *, model: str = "ewma", dist: str = "t", mean: str = "constant",
               horizon: int = 10, lam: float = RISKMETRICS_LAMBDA, min_obs: int = 200,
               candidates: tuple[str, ...] = ("garch", "gjr-garch", "egarch"),
               missing: str = "drop") -> VolatilityResult:
    r"""Fit a conditional-volatility model to each series and forecast 1..horizon days.

    Parameters
    ----------
    data : Series or DataFrame
        Daily changes (``btc_pct``, ``ust10y_bp`` ...), e.g. from :func:`spillwatch.load`.
    model : {"ewma", "auto", "garch", "gjr-garch", "egarch"}, default "ewma"
        ``"ewma"``: RiskMetrics (1996) with decay ``lam``; ``"auto"``: the candidate with the
        lowest BIC (Schwarz 1978) per series.
    dist, mean, horizon, lam, min_obs, candidates, missing
        See :class:`Volatility`.

    Returns
    -------
    VolatilityResult

    Notes
    -----
    GARCH(1,1) (Bollerslev 1986): :math:`\sigma^2_t = \omega + \alpha\epsilon^2_{t-1} +
    \beta\sigma^2_{t-1}`; GJR (Glosten, Jagannathan & Runkle 1993) adds
    :math:`\gamma\epsilon^2_{t-1}1[\epsilon_{t-1}<0]`; EGARCH (Nelson 1991) models
    :math:`\ln\sigma^2_t`. Estimation and forecasts are ``arch``'s (Sheppard).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> r = pd.Series(np.random.default_rng(0).standard_normal(300), name="x_pct")
    >>> volatility(r).table().loc["x_pct", "model"]
    'ewma'
    """
    spec = Volatility(model=model, dist=dist, mean=mean, horizon=horizon, lam=lam,
                      min_obs=min_obs, candidates=tuple(candidates), missing=missing)
    return spec.fit(data)


def days_per_year(index: pd.Index) -> float:
    """Observations per year of a daily series: 365 on the coins' calendar, else 252.

    A series with a sixth or more of its first 260 dates on Saturdays and Sundays trades every
    day (the README's rule for a coin): bitcoin's own daily changes annualised by the square
    root of 252 read 25.4% where its 365 changes a year make 30.5%.
    """
    # dates given as text, date objects or periods are dates too (the library reads them so):
    # bitcoin's own series dated by text read 24.8% a year for the 29.9% of its DatetimeIndex
    dates = date_labels(index)
    if (dates is not None and len(dates)
            and float(np.mean(dates[:260].day_of_week >= 5)) >= 1.0 / 6.0):
        return 365.0
    return 252.0


def _unit_of(column: str) -> str:
    """The unit of a change column's volatility: bp for ``*_bp``, % for ``*_pct``."""
    if column.endswith("_bp"):
        return "bp"
    if column.endswith("_pct"):
        return "%"
    return "units"
