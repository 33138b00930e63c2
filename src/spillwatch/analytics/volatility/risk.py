r"""Value at Risk and Expected Shortfall, one day ahead, with coverage backtests.

Three methods, all forecasting day *t* from the days before it only:

``"historical"``
    The empirical quantile of the last ``window`` changes.
``"fhs"``
    Filtered historical simulation (Barone-Adesi, Giannopoulos & Vosper 1999; Hull & White
    1998): a GARCH-family model (``arch``) gives :math:`\sigma_t`; the empirical quantile of the
    last ``window`` standardised residuals :math:`z = (r - \mu)/\sigma` is rescaled by today's
    :math:`\sigma_t`.
``"t"``
    Parametric: :math:`\mu + \sigma_t\, q_\nu` with :math:`q_\nu` the quantile of a unit-variance
    Student-t whose ν is the GARCH-t estimate.

Conventions: VaR and ES are reported as **positive losses** in the units of the series (percent
for ``*_pct`` columns, basis points for ``*_bp``), for a **holder**: of the asset for a price
(the left tail of its changes), of the bond for a Treasury yield (the right tail: a yield
*rise* is the holder's loss, and for a tool about Treasury sell-offs the tail that matters; the
left tail understated the 30-year's 99% VaR by 15% over 2024–2025). Yield columns are
recognised from the universe (:func:`spillwatch.universe.asset_of_column`, kind ``yield``) and
computed on the negated changes; ``loss_when`` in the table says which. A *violation* is a
day with :math:`\ell_t > \mathrm{VaR}_t`, :math:`\ell_t` the loss (minus the change of a price,
the change of a yield).

The empirical tail of a window of *W* values at level α uses the
:math:`k = \lceil W(1-\alpha)\rceil` smallest values: VaR is minus the *k*-th smallest, ES
minus the mean of the *k* smallest (Acerbi & Tasche 2002, eq. 3.3 with the integer part).

GARCH models are re-estimated every ``refit_every`` forecast days on the last ``fit_window``
days; between re-estimations the filter runs with fixed parameters, so no forecast uses a future
return.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats
from scipy.special import xlogy

from spillwatch._results import ResultBase, jsonable, p_value
from spillwatch._validation import (
    as_date,
    as_frame,
    check_level,
    choice,
    clean_series,
    fmt_date,
    positive_int,
)
from spillwatch.analytics.volatility.ewma import ewma_variance
from spillwatch.analytics.volatility.garch import Volatility
from spillwatch.exceptions import ConfigError, ConvergenceError

METHODS = ("historical", "fhs", "t")


# -- tail statistics ---------------------------------------------------------------------------
def empirical_tail(windows: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """VaR and ES (positive losses) of each row of ``windows`` at ``level``.

    Parameters
    ----------
    windows : ndarray, shape (M, W)
    level : float

    Returns
    -------
    var, es : ndarray, shape (M,)
    """
    part = _tail_days(windows, level)
    return -part.max(axis=-1), -part.mean(axis=-1)


def _tail_days(windows: np.ndarray, level: float) -> np.ndarray:
    """The ``ceil(W (1 - level))`` smallest values of each row (the days ES averages)."""
    w = windows.shape[-1]
    k = max(1, math.ceil(w * (1.0 - level) - 1e-12))
    return np.partition(windows, k - 1, axis=-1)[..., :k]


def price_fall(loss: Any) -> Any:
    """The price fall (%) a loss of ``loss`` (a log change x 100) means: ``100 (1 - e^(-L/100))``.

    >>> round(float(price_fall(100 * math.log(2))), 6)   # the log of a halving
    50.0
    """
    return 100.0 * -np.expm1(-np.asarray(loss, dtype=float) / 100.0)


#: Gauss-Legendre nodes on (0, 1) for the t method's expected price fall in the tail
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


def t_tail_fall(nu: float, level: float, mu: Any, sigma: Any) -> Any:
    r"""Expected price fall (%) beyond the VaR of a location-scale Student-t log change x 100.

    The mean of the fall over the tail quantiles,
    :math:`\frac{1}{1-\alpha}\int_\alpha^1 100\,(1 - e^{-L_u/100})\,du` with
    :math:`L_u = -\mu + \sigma \sqrt{(\nu-2)/\nu}\; t^{-1}_\nu(u)` (ES as the average VaR
    above the level, Acerbi & Tasche 2002, with the loss mapped through the price first: the
    fall of the ES overstates it, the map being concave), by 64-point Gauss-Legendre
    quadrature in :math:`v` with :math:`1 - u = (1-\alpha) v^4` (the loss quantile grows as
    :math:`(1-u)^{-1/\nu}`; the substitution makes the integrand smooth at :math:`u = 1`).
    """
    v = (_GL_NODES + 1.0) / 2.0
    q = math.sqrt((nu - 2.0) / nu) * stats.t.isf((1.0 - level) * v**4, nu)
    loss = -np.asarray(mu, dtype=float)[..., None] + np.asarray(sigma, dtype=float)[..., None] * q
    return (price_fall(loss) * 4.0 * v**3 * _GL_WEIGHTS).sum(axis=-1) / 2.0


def t_tail(nu: float, level: float) -> tuple[float, float]:
    r"""VaR and ES (positive) of a unit-variance Student-t with ``nu`` degrees of freedom.

    .. math::
        \mathrm{VaR} = -\sqrt{\tfrac{\nu-2}{\nu}}\, t^{-1}_\nu(1-\alpha), \qquad
        \mathrm{ES} = \sqrt{\tfrac{\nu-2}{\nu}}\,
        \frac{g_\nu(t^{-1}_\nu(\alpha))}{1-\alpha}\,\frac{\nu + (t^{-1}_\nu(\alpha))^2}{\nu-1}

    (McNeil, Frey & Embrechts 2015, *Quantitative Risk Management*, 2nd ed., eq. 2.26.)
    """
    if not nu > 2:
        raise ConfigError(f"Student-t degrees of freedom must exceed 2 for a finite variance; "
                          f"got nu={nu}")
    c = math.sqrt((nu - 2.0) / nu)
    q = float(stats.t.ppf(level, nu))
    es = float(stats.t.pdf(q, nu)) / (1.0 - level) * (nu + q * q) / (nu - 1.0)
    return c * q, c * es


# -- coverage tests ----------------------------------------------------------------------------
@dataclass(frozen=True)
class CoverageTest:
    """A likelihood-ratio coverage test.

    Attributes
    ----------
    name : str
    stat : float
        LR statistic.
    df : int
        Degrees of freedom of its χ² law.
    pvalue : float
    """

    name: str
    stat: float
    df: int
    pvalue: float

    def passed(self, alpha: float = 0.05) -> bool:
        """Whether the null (correct coverage / independence) is not rejected at ``alpha``."""
        return bool(self.pvalue > alpha)


def kupiec(hits: Any, level: float) -> CoverageTest:
    r"""Kupiec (1995) proportion-of-failures test.

    .. math:: LR_{POF} = -2\ln\frac{(1-p)^{n-x}p^x}{(1-\hat p)^{n-x}\hat p^x} \sim \chi^2_1,
              \quad p = 1-\alpha,\ \hat p = x/n

    Parameters
    ----------
    hits : array of bool
        True on violation days.
    level : float
        VaR confidence level α (e.g. 0.99).
    """
    h = np.asarray(hits, dtype=bool)
    n, x = h.size, int(h.sum())
    if n == 0:
        raise ConfigError("the Kupiec test needs at least one forecast day")
    p, ph = 1.0 - level, x / n
    ll0 = xlogy(n - x, 1.0 - p) + xlogy(x, p)
    ll1 = xlogy(n - x, 1.0 - ph) + xlogy(x, ph)
    stat = max(0.0, float(-2.0 * (ll0 - ll1)))
    return CoverageTest("kupiec_pof", stat, 1, float(stats.chi2.sf(stat, 1)))


def christoffersen(hits: Any) -> CoverageTest:
    r"""Christoffersen (1998) test of independence of violations (first-order Markov).

    .. math:: LR_{ind} = -2\ln\frac{(1-\pi)^{n_{00}+n_{10}}\pi^{n_{01}+n_{11}}}
              {(1-\pi_{01})^{n_{00}}\pi_{01}^{n_{01}}(1-\pi_{11})^{n_{10}}\pi_{11}^{n_{11}}}
              \sim \chi^2_1

    with :math:`n_{ij}` the number of days in state *j* after a day in state *i*.
    """
    h = np.asarray(hits, dtype=bool)
    if h.size < 2:
        raise ConfigError("the Christoffersen test needs at least two forecast days")
    prev, cur = h[:-1], h[1:]
    n00 = int(np.sum(~prev & ~cur))
    n01 = int(np.sum(~prev & cur))
    n10 = int(np.sum(prev & ~cur))
    n11 = int(np.sum(prev & cur))
    pi01 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi11 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    ll0 = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi)
    ll1 = (xlogy(n00, 1 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1 - pi11)
           + xlogy(n11, pi11))
    stat = max(0.0, float(-2.0 * (ll0 - ll1)))
    return CoverageTest("christoffersen_ind", stat, 1, float(stats.chi2.sf(stat, 1)))


def conditional_coverage(hits: Any, level: float) -> CoverageTest:
    """Christoffersen (1998) conditional coverage: POF + independence, χ²(2)."""
    stat = kupiec(hits, level).stat + christoffersen(hits).stat
    return CoverageTest("conditional_coverage", stat, 2, float(stats.chi2.sf(stat, 2)))


# -- the spec ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ValueAtRisk:
    """Specification of one-day VaR/ES.

    Parameters
    ----------
    level : float, default 0.99
    methods : str or tuple of str, default ("historical", "fhs", "t")
    window : int, default 500
        Days in the empirical quantile (historical and FHS).
    volatility : Volatility
        Model behind FHS and the parametric t (default GJR-GARCH(1,1,1) with t errors);
        ``model="ewma"`` is accepted for FHS only.
    fit_window : int, default 1000
        Days each GARCH re-estimation uses (the most recent ones).
    refit_every : int, default 250
        Forecast days between GARCH re-estimations.
    min_test : int, default 250
        Fewest forecast days a backtest accepts.
    min_obs : int, default 200
        Fewest days for the next-day forecast. A series shorter than ``fit_window`` (or
        ``window``) is fitted on all its days, and its empirical quantile uses all of them
        (the table reports the window used).
    """

    level: float = 0.99
    methods: tuple[str, ...] = METHODS
    window: int = 500
    volatility: Volatility = field(
        default_factory=lambda: Volatility(model="gjr-garch", dist="t", horizon=1, min_obs=200))
    fit_window: int = 1000
    refit_every: int = 250
    min_test: int = 250
    min_obs: int = 200

    def __post_init__(self) -> None:
        check_level(self.level)
        # methods="historical" was read letter by letter
        object.__setattr__(self, "methods", (self.methods,) if isinstance(self.methods, str)
                           else tuple(self.methods))
        if not self.methods:
            raise ConfigError("methods is empty; choose from: " + ", ".join(METHODS))
        for m in self.methods:
            choice(m, METHODS, name="VaR method")
        for name in ("window", "fit_window", "refit_every", "min_test", "min_obs"):
            positive_int(getattr(self, name), name=name)
        if self.window > self.fit_window:
            raise ConfigError(f"window ({self.window}) must not exceed fit_window "
                              f"({self.fit_window})")
        vol_min = getattr(self.volatility, "min_obs", 0)
        if any(m != "historical" for m in self.methods) and self.fit_window < vol_min:
            # var_es(window=50, fit_window=100) was accepted and failed at .table()
            raise ConfigError(f"fit_window ({self.fit_window}) is shorter than the volatility "
                              f"model's min_obs ({vol_min}): FHS and t fit it on fit_window "
                              f"days; give fit_window >= {vol_min} or methods=('historical',)")
        if "t" in self.methods and (self.volatility.model == "ewma"
                                    or self.volatility.dist != "t"):
            raise ConfigError("method 't' needs a GARCH-family volatility model with dist='t' "
                              "(its ν is the t quantile's); got model="
                              f"{self.volatility.model!r}, dist={self.volatility.dist!r}")

    @property
    def warmup(self) -> int:
        """Days before the first forecast."""
        needs_vol = any(m != "historical" for m in self.methods)
        return self.fit_window if needs_vol else self.window

    def fit(self, data: Any) -> VaRResult:
        """Next-day VaR/ES of every column of ``data`` (a yield's on its rises, see above)."""
        frame = as_frame(data)
        series, rising = {}, set()
        for c in frame.columns:
            s = clean_series(frame[c], min_obs=self.min_obs,
                             purpose=f"{self.level * 100:.4g}% VaR", name=str(c))
            if loss_on_rise(str(c), frame.attrs.get("assets")):
                s = -s
                rising.add(str(c))
            series[str(c)] = s
        return VaRResult(spec=self, series=series, rising=frozenset(rising))

    def for_length(self, n: int) -> ValueAtRisk:
        """Return this spec with ``window`` and ``fit_window`` cut to a series of ``n`` days."""
        fw = min(self.fit_window, n)
        return replace(self, fit_window=fw, window=min(self.window, fw))

    # -- forecast paths ----------------------------------------------------------------
    def forecast_path(self, s: pd.Series, method: str, first: int) -> pd.DataFrame:
        """VaR/ES for positions ``first .. len(s)`` (the last is the day after the data).

        Returns
        -------
        DataFrame
            Columns ``var``, ``es`` (positive losses); index the forecast dates, with the day
            after the sample labelled ``NaT``.
        """
        return self.forecast_paths(s, (method,), first)[method]

    def forecast_paths(self, s: pd.Series, methods: tuple[str, ...], first: int
                       ) -> dict[str, pd.DataFrame]:
        """:meth:`forecast_path` of several methods; FHS and t share each GARCH fit."""
        x = s.to_numpy()
        n = len(x)
        idx = [*s.index[first:], pd.NaT]
        out: dict[str, pd.DataFrame] = {}
        if "historical" in methods:
            win = sliding_window_view(x, self.window)[first - self.window:]
            part = _tail_days(win, self.level)
            out["historical"] = pd.DataFrame({"var": -part.max(axis=-1),
                                              "es": -part.mean(axis=-1),
                                              "es_fall": price_fall(-part).mean(axis=-1)},
                                             index=idx)
        vol_methods = [m for m in methods if m != "historical"]
        if not vol_methods:
            return out
        var_es = {m: (np.empty(n + 1 - first), np.empty(n + 1 - first),
                      np.empty(n + 1 - first)) for m in vol_methods}
        for t0 in range(first, n + 1, self.refit_every):
            t1 = min(t0 + self.refit_every, n + 1)
            lo = max(0, t0 - self.fit_window)
            mu, sig, nu = self._sigma(s, lo, t0, t1)  # sig[j] is sigma of position lo + j
            rows = slice(t0 - first, t1 - first)
            sig_out = sig[t0 - lo:t1 - lo]
            for m in vol_methods:
                if m == "fhs":
                    z = (x[lo:min(t1, n)] - mu) / sig[:min(t1, n) - lo]
                    win = sliding_window_view(z, self.window)[t0 - lo - self.window:
                                                              t1 - lo - self.window]
                    part = _tail_days(win, self.level)
                    zq, ze = -part.max(axis=-1), -part.mean(axis=-1)
                    fall = price_fall(-mu - sig_out[:, None] * part).mean(axis=-1)
                else:
                    zq, ze = t_tail(nu, self.level)
                    fall = t_tail_fall(nu, self.level, np.full(len(sig_out), mu), sig_out)
                var_es[m][0][rows] = -mu + sig_out * zq
                var_es[m][1][rows] = -mu + sig_out * ze
                var_es[m][2][rows] = fall
        for m, (v, e, f) in var_es.items():
            out[m] = pd.DataFrame({"var": v, "es": e, "es_fall": f}, index=idx)
        return out

    def _sigma(self, s: pd.Series, lo: int, t0: int, t1: int
               ) -> tuple[float, np.ndarray, float]:
        """Fit on ``x[lo:t0]``; return mu, sigma of positions ``lo .. t1-1`` (t1 <= n+1), nu."""
        x = s.to_numpy()
        n = len(x)
        stop = min(t1, n)
        vol = self.volatility
        if vol.model == "ewma":
            v = ewma_variance(x[lo:stop], lam=vol.lam)
            return 0.0, np.sqrt(v if t1 > n else v[:-1]), float("nan")
        from arch import arch_model

        try:
            fit = vol.fit_series(s.iloc[lo:t0], name=str(s.name))
        except ConvergenceError as exc:
            # the volatility fit's own advice (model='ewma') names no option of the VaR: a
            # hedged book or a fund frozen for a year was refused with nothing a user of
            # `risk` could give
            raise ConvergenceError(
                exc.message.removesuffix(" Try model='ewma' or a longer sample.")
                + " The fhs and t VaR scale by that fit; the historical VaR needs none: "
                "give --methods historical (in Python: methods=('historical',), or "
                "volatility=Volatility(model='ewma')).", series_id=str(s.name)) from exc
        scale = fit.scale
        ext = x[lo:stop] * scale
        am = arch_model(ext, **vol.arch_options(fit.model))
        fixed = am.fix(fit.params.to_numpy())
        sig = np.asarray(fixed.conditional_volatility) / scale
        if t1 > n:
            nxt = fixed.forecast(horizon=1, reindex=False).variance.to_numpy()[-1, 0]
            sig = np.append(sig, math.sqrt(nxt) / scale)
        return fit.mu, sig, fit.nu

    def backtest_series(self, s: pd.Series, method: str, start: Any = None) -> pd.DataFrame:
        """One-day-ahead VaR/ES with violations over the sample of ``s``."""
        return self.backtest_paths(s, (method,), start)[method]

    def backtest_paths(self, s: pd.Series, methods: tuple[str, ...], start: Any = None
                       ) -> dict[str, pd.DataFrame]:
        """:meth:`backtest_series` of several methods (sharing the GARCH fits)."""
        first = self.warmup
        if start is not None:
            # a zone-aware or unparsable start raised pandas' raw TypeError / DateParseError
            first = max(first, int(s.index.searchsorted(as_date(start, "start"))))
        n_test = len(s) - first
        if n_test < self.min_test:
            raise ConfigError(
                f"{s.name!r} has {len(s)} observations from {fmt_date(s.index[0])} to "
                f"{fmt_date(s.index[-1])}; a VaR backtest with {self.warmup} warm-up days "
                f"needs at least {self.warmup + self.min_test}"
                + (f" (start={start} leaves {max(n_test, 0)} test days)" if start else "")
                + ". Load a longer history or lower fit_window/window.")
        r = s.iloc[first:].to_numpy()
        out = {}
        for m, full in self.forecast_paths(s, methods, first).items():
            path = full.iloc[:-1].copy()
            path["ret"] = r
            path["hit"] = r < -path["var"].to_numpy()
            path.index = s.index[first:]
            path.index.name = "date"
            out[m] = path
        return out


def loss_on_rise(column: str, extra: Any = None) -> bool:
    """Whether a holder loses when ``column`` rises: a yield's or a credit spread's column.

    ``extra``: the user's assets a panel carries (``attrs["assets"]``): a series imported in
    percent (``unit = "pct"``, a JGB yield) is a yield too (its VaR was read on its falls), and
    so is one in basis points (``unit = "bp"``, ``"bps"``, a spread quoted so). A
    column in basis points the watch list does not know (a frame of one's own with
    ``dgs10_bp``) is a rate's change too: its VaR was read on its falls (12.0 bp for the 14.0
    of the same data as ``ust10y_bp``) under a summary saying "_bp: a rise in bp".
    """
    from spillwatch.universe import is_basis_points, watchlist_asset_of_column

    a = watchlist_asset_of_column(column)
    if a is None and extra:
        a = next((x for x in extra.values() if column == x.change_column), None)
    if a is None:
        return column.endswith("_bp")
    # one's own series in basis points changes by differences in bp, as a yield imported in
    # percent does (the 10-year imported in bp read FHS 12.88 bp on its falls, 14.20 on rises)
    # ("bps", "basis points" as well: "bps" read 8.0 bp on its falls where "bp" read 21.0)
    return a.kind in ("yield", "spread") or (a.block == "user" and is_basis_points(a.unit))


class VaRResult(ResultBase):
    """Next-day VaR and ES per series and method; ``backtest()`` for the rolling evaluation.

    Attributes
    ----------
    spec : ValueAtRisk
    series : dict of str to Series
        The cleaned input series, signed so that a fall is the holder's loss (a yield's
        changes negated).
    rising : frozenset of str
        The series whose loss is a rise (yields).
    """

    # a business-day panel: the next row after a Friday is Monday, so crypto's "next day"
    # includes the weekend (one- and three-day moves share the window)
    title = "Value at Risk and Expected Shortfall (next business day)"

    def __init__(self, spec: ValueAtRisk, series: dict[str, pd.Series],
                 rising: frozenset[str] = frozenset()) -> None:
        self.spec = spec
        self.series = series
        self.rising = rising

    @cached_property
    def forecasts(self) -> pd.DataFrame:
        """Rows (series, method): ``var``, ``es`` for the day after each series ends.

        ``var`` and ``es`` are in the series' units: a ``*_pct`` series of a price is its log
        change x 100, where a loss beyond 100 is possible; ``var_price_fall_pct`` is the
        price fall the VaR means, ``100 (1 - exp(-L/100))`` (:func:`price_fall`; a quantile
        maps through it), and ``es_price_fall_pct`` the mean price fall over the same tail
        (each tail day's fall averaged; for ``t`` :func:`t_tail_fall`). The fall of the ES
        overstated it, the map being concave: bitcoin on 2020-03-16 read -19.5% for a mean of
        -18.7%. NaN for ``*_bp`` series.
        """
        rows = []
        for name, s in self.series.items():
            spec = self.spec.for_length(len(s))
            paths = spec.forecast_paths(s, self.spec.methods, len(s))
            for m in self.spec.methods:
                p = paths[m].iloc[-1]
                var, es = float(p["var"]), float(p["es"])
                pct = str(name).endswith("_pct")
                rows.append({"series": name, "method": m, "as_of": s.index[-1],
                             "loss_when": "rise" if name in self.rising else "fall",
                             "var": var, "es": es,
                             "var_price_fall_pct": float(price_fall(var)) if pct else np.nan,
                             "es_price_fall_pct": float(p["es_fall"]) if pct else np.nan,
                             "window": spec.window if m != "t" else np.nan, "nobs": len(s)})
        return pd.DataFrame(rows).set_index(["series", "method"])

    def table(self) -> pd.DataFrame:
        return self.forecasts

    def plot(self, kind: str | None = None) -> Any:
        """Bars of each series' VaR and ES by method.

        ``kind`` is unused; ``backtest().plot()`` draws the rolling evaluation.
        """
        from spillwatch.plotting.risk import var_figure

        return var_figure(self)

    def backtest(self, start: Any = None) -> BacktestResult:
        """Rolling one-day-ahead forecasts over each series, with Kupiec and Christoffersen."""
        paths = {(name, m): p for name, s in self.series.items()
                 for m, p in self.spec.backtest_paths(s, self.spec.methods, start).items()}
        for (name, _m), p in paths.items():
            if name in self.rising:            # ``ret``: the yield's own change again
                p["ret"] = -p["ret"]
        return BacktestResult(spec=self.spec, paths=paths, rising=self.rising)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "level": self.spec.level,
                "table": jsonable(self.table().reset_index())}

    def _summary_lines(self) -> list[str]:
        level = f"{self.spec.level * 100:.4g}%"       # 99%, 97.5%, 99.99% (not '100%')
        lines = [f"{self.title}, {level}; positive = a holder's loss in the series' units "
                 "(_pct: log change x100, then the price fall it means; _bp, a yield's or a "
                 "spread's: a rise in bp)"]
        for (name, m), r in self.forecasts.iterrows():
            line = (f"  {name:<14} {m:<10} VaR {r['var'] + 0.0:8.3f}  ES {r['es'] + 0.0:8.3f}  "
                    f"as of {fmt_date(r['as_of'])}")
            if r["loss_when"] == "rise":
                line += "  (yield rise)"
            if np.isfinite(r["var_price_fall_pct"]):
                # the price's move, signed: a series whose 99% worst day is still a rise (a
                # money-market NAV) read "price --0.0%"; + 0.0 drops a negative zero
                line += (f"  (price {0.0 - r['var_price_fall_pct']:+.1f}%, ES "
                         f"{0.0 - r['es_price_fall_pct']:+.1f}%)")
            lines.append(line)
        return lines


class BacktestResult(ResultBase):
    """Violations of one-day VaR forecasts and their coverage tests.

    Attributes
    ----------
    spec : ValueAtRisk
    paths : dict of (series, method) to DataFrame
        Columns ``var``, ``es``, ``ret`` (the change), ``hit`` indexed by date.
    rising : frozenset of str
        Series whose loss is a rise (yields: a hit is ``ret > var``).
    """

    title = "VaR backtest"

    def __init__(self, spec: ValueAtRisk, paths: dict[tuple[str, str], pd.DataFrame],
                 rising: frozenset[str] = frozenset()) -> None:
        self.spec = spec
        self.paths = paths
        self.rising = rising

    def tests(self, series: str, method: str) -> dict[str, CoverageTest]:
        """Kupiec, Christoffersen and conditional-coverage tests of one path."""
        h = self.paths[(series, method)]["hit"].to_numpy()
        lv = self.spec.level
        return {"kupiec": kupiec(h, lv), "christoffersen": christoffersen(h),
                "cc": conditional_coverage(h, lv)}

    def table(self) -> pd.DataFrame:
        """Rows (series, method): days, violations, rate, test statistics and p-values."""
        rows = []
        for (name, m), p in self.paths.items():
            t = self.tests(name, m)
            # the changes that span two calendar days or more (a weekend, a holiday): for a
            # market that trades every day they are larger, and the pooled test hides their
            # misses (ETH: 2.7% of them broke the 99% VaR, 0.4% of the others; pooled: passed)
            gap = np.r_[0, np.diff(p.index.to_numpy(dtype="datetime64[D]")).astype(int)]
            span = p["hit"].to_numpy()[gap >= 2]
            ks = kupiec(span, self.spec.level) if len(span) else None
            rows.append({
                "series": name, "method": m, "start": p.index[0], "end": p.index[-1],
                "days": len(p), "violations": int(p["hit"].sum()),
                "expected": len(p) * (1 - self.spec.level),
                "rate": float(p["hit"].mean()),
                "kupiec_lr": t["kupiec"].stat, "kupiec_p": t["kupiec"].pvalue,
                "christoffersen_lr": t["christoffersen"].stat,
                "christoffersen_p": t["christoffersen"].pvalue,
                "cc_p": t["cc"].pvalue,
                "passed": t["kupiec"].passed() and t["christoffersen"].passed(),
                "days_spanning": len(span), "violations_spanning": int(span.sum()),
                "kupiec_p_spanning": ks.pvalue if ks is not None else np.nan,
            })
        return pd.DataFrame(rows).set_index(["series", "method"])

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: series, method, date, var, es, ret, hit."""
        parts = [p.assign(series=s, method=m).reset_index() for (s, m), p in self.paths.items()]
        return pd.concat(parts, ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "level": self.spec.level,
                "table": jsonable(self.table().reset_index())}

    def _summary_lines(self) -> list[str]:
        lines = [f"{self.title} ({self.spec.level * 100:.4g}% one-day VaR)"]
        for (name, m), r in self.table().iterrows():
            lines.append(
                f"  {name:<14} {m:<10} {r['violations']:>4}/{r['days']} "
                f"(expected {r['expected']:.1f}); Kupiec p={p_value(r['kupiec_p'])}, "
                f"Christoffersen p={p_value(r['christoffersen_p'])} "
                + ("pass" if r["passed"] else "FAIL")
                + (f"; on changes spanning two days or more {r['violations_spanning']}/"
                   f"{r['days_spanning']} (expected "
                   f"{r['days_spanning'] * (1 - self.spec.level):.1f}), Kupiec "
                   f"p={p_value(r['kupiec_p_spanning'])}: "
                   + ("too many" if r["violations_spanning"] > r["days_spanning"]
                      * (1 - self.spec.level) else "too few")
                   if r["kupiec_p_spanning"] < 0.05 else ""))
        return lines

    def plot(self, kind: str | None = None, method: str | None = None) -> Any:
        """Daily changes, minus the VaR and the violations of one path (plotly, lazy).

        ``kind`` names the series (default the first), ``method`` the VaR method.
        """
        import plotly.graph_objects as go

        keys = list(self.paths)
        key = next((k for k in keys if (kind is None or k[0] == kind)
                    and (method is None or k[1] == method)), keys[0])
        p = self.paths[key]
        hits = p[p["hit"]]
        fig = go.Figure()
        fig.add_trace(go.Bar(x=p.index, y=p["ret"].to_numpy(), name=f"{key[0]} daily change",
                             marker={"color": "#bbb"}))
        up = key[0] in self.rising            # a yield: the loss is a rise, above +VaR
        fig.add_trace(go.Scatter(x=p.index, y=(1 if up else -1) * p["var"].to_numpy(),
                                 mode="lines",
                                 name=f"{'+' if up else '−'}VaR {self.spec.level * 100:.4g}% "
                                      f"({key[1]})",
                                 line={"color": "#c0392b"}))
        fig.add_trace(go.Scatter(x=hits.index, y=hits["ret"].to_numpy(), mode="markers",
                                 name=f"violations ({len(hits)})",
                                 marker={"color": "black", "size": 7, "symbol": "x"}))
        fig.update_layout(title=f"VaR backtest: {key[0]}, {key[1]}",
                          yaxis_title="daily change (series units)")
        return fig


def var_es(data: Any, *, level: float = 0.99, methods: tuple[str, ...] = METHODS,
           window: int = 500, volatility: Volatility | None = None, fit_window: int = 1000,
           refit_every: int = 250) -> VaRResult:
    """One-day VaR and ES of each column of ``data`` by historical, FHS and parametric-t methods.

    Parameters
    ----------
    data : Series or DataFrame
        Daily changes (percent or basis points).
    level : float, default 0.99
    methods : str or tuple of str
        Any of ``"historical"``, ``"fhs"``, ``"t"``.
    window, fit_window, refit_every
        See :class:`ValueAtRisk`.
    volatility : Volatility, optional
        Model behind FHS and t (default GJR-GARCH with Student-t errors).

    Returns
    -------
    VaRResult
        ``.table()`` for the next day, ``.backtest()`` for the rolling evaluation.

    References
    ----------
    Barone-Adesi, G., Giannopoulos, K. & Vosper, L. (1999). VaR without correlations for
    portfolios of derivative securities. *J. Futures Markets* 19(5), 583-602.
    Kupiec, P. (1995). Techniques for verifying the accuracy of risk measurement models.
    *J. Derivatives* 3(2), 73-84. Christoffersen, P. (1998). Evaluating interval forecasts.
    *Int. Econ. Rev.* 39(4), 841-862.
    """
    kw: dict[str, Any] = {"level": level, "methods": methods, "window": window,
                          "fit_window": fit_window, "refit_every": refit_every}
    if volatility is not None:
        kw["volatility"] = volatility
    return ValueAtRisk(**kw).fit(data)
