r"""The joint daily distribution of yields, the dollar, gold, equities and crypto, fitted on data.

:func:`fit_market` estimates, from a panel of daily changes, everything the Monte Carlo draws from:

Margins
    GARCH(1,1) with Student-t innovations per asset (Bollerslev 1986, 1987), fitted with ``arch``;
    the intercept is then re-set by variance targeting,
    :math:`\omega = \hat\sigma^2 (1-\alpha-\beta)`
    (Engle & Mezrich 1996), so that the model's unconditional variance equals the sample variance.
    Sparse assets (fewer than ``min_garch_obs`` days, e.g. TRUMP) get a constant variance.
Dependence, three methods
    ``"t-copula"``: a Student-t copula on the GARCH-standardised residuals; the correlation from
    Kendall's tau, :math:`\rho = \sin(\pi\tau/2)` (Lindskog, McNeil & Schmock 2003), made positive
    definite by eigenvalue clipping; the degrees of freedom by profile likelihood on a grid
    (Demarta & McNeil 2005, eq. 2.4). ``"fhs"``: filtered historical simulation, resampling whole
    days of standardised residuals (Barone-Adesi, Giannopoulos & Vosper 1999). ``"var"``: a VAR(p)
    with Gaussian residuals whose generalised impulse responses (Pesaran & Shin 1998, eq. 10)
    propagate the yield shock day by day. The VAR is fitted on all joint days whatever the regime
    (it needs consecutive days); the regime then only sets the betas of sparse assets.
Propagation of the yield shock
    Each non-yield asset moves by :math:`\beta_i` times the 10-year impact (bp). Regime ``"all"``:
    :math:`\beta_i` is the OLS slope of its daily change on the 10-year's. Regime
    ``"sell_america"``: :math:`\beta_i = \bar r_i / \overline{\Delta y}_{10}`, the ratio of mean
    moves on 'sell America' days, and the dependence (copula, FHS pool) is estimated on those days
    only (residuals demeaned: the regime sets the co-movement, the scenario sets the drift). 'Sell
    America' days are those :func:`spillwatch.analytics.stress.signature.classify` labels
    ``"sell_america"``; when that module is absent, or labels fewer than ``min_regime_days``, the
    documented daily rule (10-year change > 0 and dollar change < 0) is used instead.
Jumps
    Assets in ``jump_assets`` (default TRUMP) get a compound Poisson jump (Merton 1976): days whose
    move exceeds ``jump_threshold`` robust standard deviations (MAD × 1.4826) are jumps; the
    intensity is their share of days and sizes are normal with their mean and sd. The diffusive
    part is fitted on the other days.

References
----------
Barone-Adesi, G., Giannopoulos, K. and Vosper, L. (1999), "VaR without correlations for portfolios
of derivative securities", *Journal of Futures Markets* 19(5), 583–602.
Bollerslev, T. (1987), "A conditionally heteroskedastic time series model for speculative prices
and rates of return", *Review of Economics and Statistics* 69(3), 542–547.
Demarta, S. and McNeil, A. J. (2005), "The t copula and related copulas", *International
Statistical Review* 73(1), 111–129.
Engle, R. F. and Mezrich, J. (1996), "GARCH for groups", *Risk* 9(8), 36–40.
Lindskog, F., McNeil, A. and Schmock, U. (2003), "Kendall's tau for elliptical distributions", in
*Credit Risk*, Physica, 149–156.
Merton, R. C. (1976), "Option pricing when underlying stock returns are discontinuous", *Journal of
Financial Economics* 3, 125–144.
Pesaran, H. H. and Shin, Y. (1998), "Generalized impulse response analysis in linear multivariate
models", *Economics Letters* 58, 17–29.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special, stats

from spillwatch import universe
from spillwatch.exceptions import DataError, ScenarioError

logger = logging.getLogger(__name__)

Method = Literal["t-copula", "fhs", "var"]
Regime = Literal["all", "sell_america"]
METHODS: tuple[str, ...] = ("t-copula", "fhs", "var")
REGIMES: tuple[str, ...] = ("all", "sell_america")

#: Assets simulated by default (those the panel has are kept).
DEFAULT_ASSETS: tuple[str, ...] = ("ust2y", "ust5y", "ust10y", "ust30y", "usd_broad", "gold",
                                   "spx", "btc", "eth", "trump")
_NU_GRID = np.array([2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 20.0, 30.0, 50.0,
                     100.0])
_CACHE: dict[tuple[Any, ...], FittedMarket] = {}
_CACHE_MAX = 16


@dataclass(frozen=True, eq=False)
class FittedMarket:
    """Everything the Monte Carlo draws from (see the module docstring).

    Attributes
    ----------
    assets : tuple of str
        Asset keys, in simulation order.
    columns : tuple of str
        Their change columns (``ust10y_bp``, ``btc_pct`` ...).
    is_yield : ndarray of bool
    method, regime : str
    omega, alpha, beta : ndarray
        GARCH(1,1) parameters in the asset's units (bp² or %²), variance-targeted.
    h_last : ndarray
        Conditional variance forecast for the first simulated day.
    nu : ndarray
        Degrees of freedom of each margin's standardised t innovations.
    corr : ndarray
        Copula correlation (``"t-copula"``) or residual correlation.
    nu_copula : float
    pool : ndarray, shape (n_days, k)
        Standardised residuals resampled by FHS (demeaned).
    beta_10y : ndarray
        Move of each asset per bp of the 10-year impact (yields: 0, they get the curve loading).
    jump_lambda, jump_mean, jump_sd : ndarray
        Compound Poisson jumps per asset (intensity per day, size mean and sd).
    girf : ndarray, shape (H, k) or empty
        Generalised impulse responses to a 1 bp 10-year shock (``"var"``).
    var_chol : ndarray
        Cholesky factor of the VAR residual covariance (``"var"``).
    info : dict
        Sample span, observation counts, how 'sell America' days were found.
    """

    assets: tuple[str, ...]
    columns: tuple[str, ...]
    is_yield: np.ndarray
    method: str
    regime: str
    omega: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    h_last: np.ndarray
    nu: np.ndarray
    corr: np.ndarray
    nu_copula: float
    pool: np.ndarray
    beta_10y: np.ndarray
    jump_lambda: np.ndarray
    jump_mean: np.ndarray
    jump_sd: np.ndarray
    girf: np.ndarray
    var_chol: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def k(self) -> int:
        """Number of assets."""
        return len(self.assets)

    @property
    def uncond_var(self) -> np.ndarray:
        r"""Unconditional variance of the diffusive part, :math:`\omega/(1-\alpha-\beta)`."""
        return self.omega / np.maximum(1.0 - self.alpha - self.beta, 1e-12)

    @property
    def uncond_vol(self) -> pd.Series:
        """Unconditional daily volatility of each asset's change (diffusion + jumps)."""
        var = self.uncond_var + self.jump_lambda * (self.jump_mean**2 + self.jump_sd**2)
        return pd.Series(np.sqrt(var), index=list(self.columns), name="vol")

    @property
    def model_corr(self) -> pd.DataFrame:
        """Correlation of daily changes the model implies: ``corr`` diluted by independent jumps.

        For the t copula this is the copula's correlation parameter; the linear correlation of
        its (Student-t) margins is slightly smaller in magnitude for heavy-tailed margins.
        """
        diff = self.uncond_var
        share = np.sqrt(diff / (diff + self.jump_lambda * (self.jump_mean**2 + self.jump_sd**2)))
        c = self.corr * np.outer(share, share)
        np.fill_diagonal(c, 1.0)
        return pd.DataFrame(c, index=list(self.columns),
                            columns=list(self.columns))

    def index(self, key: str) -> int:
        """Position of asset ``key``; unknown assets list the simulated ones."""
        if key not in self.assets:
            raise ScenarioError(f"asset {key!r} is not simulated; choose one of: "
                                f"{', '.join(self.assets)}", asset=key)
        return self.assets.index(key)


def sell_america_days(changes: pd.DataFrame, min_days: int = 20) -> tuple[pd.Series, str]:
    """Return a boolean Series of 'sell America' days and the rule that produced it.

    Uses :func:`spillwatch.analytics.stress.signature.classify` when it is importable and labels at
    least ``min_days`` days; else the daily rule ``ust10y_bp > 0 and usd_broad_pct < 0``.
    """
    y, d = changes["ust10y_bp"], changes["usd_broad_pct"]
    try:
        from spillwatch.analytics.stress.signature import classify
    except ImportError:
        classify = None
    if classify is not None:
        flags = classify(changes[["ust10y_bp", "usd_broad_pct"]]) == "sell_america"
        if int(flags.sum()) >= min_days:
            return flags, "stress signature (spillwatch.analytics.stress.signature.classify)"
    rule = (y > 0) & (d < 0)
    return rule.fillna(False), "daily rule: 10-year change > 0 and dollar change < 0"


def _fingerprint(panel: pd.DataFrame) -> tuple[Any, ...]:
    h = pd.util.hash_pandas_object(panel, index=True).to_numpy()
    return (tuple(panel.columns), panel.shape, int(h.sum(dtype=np.uint64)))


def fit_market(panel: pd.DataFrame, *, method: Method = "t-copula", regime: Regime = "all",
               assets: Sequence[str] | None = None, start: object = "2018-01-01",
               jump_assets: Sequence[str] = ("trump",), jump_threshold: float = 4.0,
               min_garch_obs: int = 500, min_regime_days: int = 20, var_lags: int = 2,
               irf_horizon: int = 260) -> FittedMarket:
    """Fit the joint model the Monte Carlo draws from (cached per panel and options).

    Parameters
    ----------
    panel : DataFrame
        Daily changes as :func:`spillwatch.load` returns them; must hold ``ust10y_bp`` and, for the
        'sell America' regime, ``usd_broad_pct``.
    method : {"t-copula", "fhs", "var"}
    regime : {"all", "sell_america"}
    assets : sequence of str, optional
        Asset keys; default :data:`DEFAULT_ASSETS` present in the panel.
    start : date-like, default "2018-01-01"
        First date of the estimation sample.
    jump_assets, jump_threshold, min_garch_obs, min_regime_days, var_lags, irf_horizon
        See the module docstring.

    Returns
    -------
    FittedMarket

    Raises
    ------
    ScenarioError
        Unknown method, regime or asset.
    DataError
        The panel lacks the 10-year yield, or too few joint days.
    """
    if method not in METHODS:
        raise ScenarioError(f"unknown method {method!r}; choose one of: "
                            f"{', '.join(map(repr, METHODS))}")
    if regime not in REGIMES:
        raise ScenarioError(f"unknown regime {regime!r}; choose one of: "
                            f"{', '.join(map(repr, REGIMES))}")
    if not isinstance(panel, pd.DataFrame):
        raise DataError(f"panel must be a DataFrame of daily changes; got {type(panel).__name__}")
    if assets is None:
        keys = [a for a in DEFAULT_ASSETS if universe.column(a) in panel.columns]
    else:
        keys = list(assets)
        for a in keys:
            if a not in universe.ASSETS:
                raise ScenarioError(f"unknown asset {a!r}; choose among: "
                                    f"{', '.join(DEFAULT_ASSETS)}", asset=a)
            if universe.column(a) not in panel.columns:
                raise DataError(f"the panel has no column {universe.column(a)!r} for asset "
                                f"{a!r}; load it (assets=[..., {a!r}]) or drop it", asset=a)
    need = ["ust10y"] + (["usd_broad"] if regime == "sell_america" else [])
    for a in need:
        if universe.column(a) not in panel.columns:
            raise DataError(f"fitting the scenario model needs {universe.column(a)!r}; load "
                            f"asset {a!r}", asset=a)
    if "ust10y" not in keys:
        keys.insert(0, "ust10y")
    extra = [c for c in ("ust10y_bp", "usd_broad_pct") if c in panel.columns]
    cols = list(dict.fromkeys([universe.column(a) for a in keys] + extra))
    data = panel[cols]
    if start is not None:
        data = data.loc[pd.Timestamp(start):]
    key = (_fingerprint(data), method, regime, tuple(keys), jump_threshold, tuple(jump_assets),
           min_garch_obs, min_regime_days, var_lags, irf_horizon)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    fitted = _fit(data, keys, method, regime, jump_assets, jump_threshold, min_garch_obs,
                  min_regime_days, var_lags, irf_horizon)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = fitted
    return fitted


def _garch(x: np.ndarray, constant: bool) -> tuple[float, float, float, float, np.ndarray]:
    """Fit GARCH(1,1)-t (or constant variance) with ``arch``; return alpha, beta, nu, h_next, z."""
    from arch import arch_model

    scale = 1.0
    sd = float(np.std(x))
    while sd * scale < 1.0:
        scale *= 10.0
    while sd * scale >= 30.0:
        scale /= 10.0
    y = (x - x.mean()) * scale
    model = arch_model(y, mean="Zero", vol="Constant" if constant else "GARCH", p=1, q=1,
                       dist="t", rescale=False)
    with warnings.catch_warnings():
        # arch's ConvergenceWarning is checked below through convergence_flag
        warnings.simplefilter("ignore")
        res = model.fit(disp="off", show_warning=False)
    p = res.params
    nu = float(np.clip(p["nu"], 2.5, 200.0))
    if constant or res.convergence_flag != 0:
        if res.convergence_flag != 0:
            logger.info("GARCH fit did not converge; using a constant variance")
        h = np.full(len(y), float(np.var(y)))
        z = y / np.sqrt(h)
        return 0.0, 0.0, nu, float(np.var(y)) / scale**2, z
    a, b = float(p["alpha[1]"]), float(p["beta[1]"])
    if a + b >= 0.999:
        b = 0.999 - a
    var = float(np.var(y))
    omega = var * (1.0 - a - b)
    h = np.empty(len(y))
    h[0] = var
    for t in range(1, len(y)):
        h[t] = omega + a * y[t - 1] ** 2 + b * h[t - 1]
    h_next = omega + a * y[-1] ** 2 + b * h[-1]
    return a, b, nu, h_next / scale**2, y / np.sqrt(h)


def _nearest_corr(c: np.ndarray, floor: float = 1e-4) -> np.ndarray:
    w, v = np.linalg.eigh((c + c.T) / 2)
    c2 = (v * np.maximum(w, floor)) @ v.T
    d = np.sqrt(np.diag(c2))
    out = c2 / np.outer(d, d)
    np.fill_diagonal(out, 1.0)
    return out


def _kendall_corr(z: pd.DataFrame) -> np.ndarray:
    k = z.shape[1]
    out = np.eye(k)
    for i in range(k):
        for j in range(i + 1, k):
            pair = z.iloc[:, [i, j]].dropna()
            if len(pair) < 10:
                continue
            tau = stats.kendalltau(pair.iloc[:, 0], pair.iloc[:, 1]).statistic
            out[i, j] = out[j, i] = np.sin(np.pi * tau / 2.0) if np.isfinite(tau) else 0.0
    return _nearest_corr(out)


def _copula_nu(u: np.ndarray, corr: np.ndarray) -> float:
    """Profile-likelihood degrees of freedom of a t copula (Demarta & McNeil 2005, eq. 2.4)."""
    d = u.shape[1]
    inv = np.linalg.inv(corr)
    logdet = np.linalg.slogdet(corr)[1]
    best, best_ll = 30.0, -np.inf
    for nu in _NU_GRID:
        x = stats.t.ppf(u, nu)
        q = np.einsum("ij,jk,ik->i", x, inv, x)
        ll = (special.gammaln((nu + d) / 2) + (d - 1) * special.gammaln(nu / 2)
              - d * special.gammaln((nu + 1) / 2) - 0.5 * logdet
              - (nu + d) / 2 * np.log1p(q / nu)
              + (nu + 1) / 2 * np.log1p(x**2 / nu).sum(axis=1))
        total = float(ll.sum())
        if total > best_ll:
            best, best_ll = float(nu), total
    return best


def _girf(data: pd.DataFrame, lags: int, horizon: int, shock_col: str
          ) -> tuple[np.ndarray, np.ndarray]:
    """GIRF to a 1-unit shock in ``shock_col`` (Pesaran & Shin 1998) and the residual Cholesky."""
    from statsmodels.tsa.api import VAR

    res = VAR(data.to_numpy()).fit(lags)
    sigma = np.asarray(res.sigma_u)
    j = list(data.columns).index(shock_col)
    ma = res.ma_rep(horizon - 1)                       # (H, k, k)
    girf = ma @ sigma[:, j] / sigma[j, j]              # response per unit shock in column j
    return girf, np.linalg.cholesky(sigma)


def _fit(data: pd.DataFrame, keys: list[str], method: str, regime: str,
         jump_assets: Sequence[str], jump_threshold: float, min_garch_obs: int,
         min_regime_days: int, var_lags: int, irf_horizon: int) -> FittedMarket:
    cols = [universe.column(a) for a in keys]
    counts = data[cols].notna().sum()
    sparse = [c for c in cols if counts[c] < min_garch_obs]
    core = [c for c in cols if c not in sparse]
    joint = data.dropna(subset=core)
    if len(joint) < 250:
        raise DataError(f"the scenario model needs at least 250 days on which all of "
                        f"{', '.join(core)} have a change; got {len(joint)}")
    k = len(cols)
    alpha, beta, nu, h_last = np.zeros(k), np.zeros(k), np.zeros(k), np.zeros(k)
    uvar = np.zeros(k)
    jl, jm, js = np.zeros(k), np.zeros(k), np.zeros(k)
    z = pd.DataFrame(np.nan, index=joint.index, columns=cols)
    for i, (key, c) in enumerate(zip(keys, cols, strict=True)):
        x = (joint[c] if c in core else data[c]).dropna()
        if key in jump_assets:
            med = float(x.median())
            mad = 1.4826 * float((x - med).abs().median())
            is_jump = (x - med).abs() > jump_threshold * mad
            if is_jump.sum() >= 2:
                jl[i] = float(is_jump.mean())
                jm[i] = float(x[is_jump].mean())
                js[i] = float(x[is_jump].std())
                x = x[~is_jump]
        a, b, n, h, zi = _garch(x.to_numpy(dtype=float), constant=c in sparse)
        alpha[i], beta[i], nu[i], h_last[i] = a, b, n, h
        uvar[i] = float(np.var(x.to_numpy()))
        z.loc[x.index.intersection(z.index), c] = pd.Series(zi, index=x.index).reindex(
            x.index.intersection(z.index)).to_numpy()
    omega = uvar * (1.0 - alpha - beta)
    flags, rule = sell_america_days(joint, min_regime_days)
    days = joint.index[flags.to_numpy()] if regime == "sell_america" else joint.index
    zr = z.loc[days]
    zr = zr - zr.mean()
    # beta on the 10-year impact
    b10 = np.zeros(k)
    for i, c in enumerate(cols):
        if keys[i].startswith("ust") and universe.ASSETS[keys[i]].kind == "yield":
            continue
        pair = data.loc[days, [c, "ust10y_bp"]].dropna() if c in sparse else joint.loc[
            days, [c, "ust10y_bp"]]
        if len(pair) < 5:
            continue
        if regime == "sell_america":
            denom = float(pair["ust10y_bp"].mean())
            b10[i] = float(pair[c].mean()) / denom if denom else 0.0
        else:
            xv = pair["ust10y_bp"] - pair["ust10y_bp"].mean()
            b10[i] = float((xv * (pair[c] - pair[c].mean())).sum() / (xv**2).sum())
    corr = _kendall_corr(zr) if method == "t-copula" else _nearest_corr(
        zr.corr(min_periods=10).fillna(0.0).to_numpy())
    nu_c = 30.0
    if method == "t-copula":
        full = zr[core].dropna()
        ranks = full.rank().to_numpy() / (len(full) + 1.0)
        idx = [cols.index(c) for c in core]
        nu_c = _copula_nu(ranks, corr[np.ix_(idx, idx)])
    pool = zr.copy()
    for c in sparse:                       # fill a sparse asset's missing days from its own pool
        have = pool[c].dropna().to_numpy()
        miss = pool[c].isna().to_numpy()
        if len(have) and miss.any():
            pick = np.random.default_rng(0).integers(0, len(have), int(miss.sum()))
            pool.loc[miss, c] = have[pick]
    pool = pool.dropna()
    pool = pool / pool.std()               # unit variance: FHS rescales by the GARCH volatility
    if method == "fhs":
        corr = _nearest_corr(np.corrcoef(pool.to_numpy(dtype=float).T))
    girf, var_chol = np.zeros((0, k)), np.eye(k)
    if method == "var":
        vdata = joint[core]
        g, ch = _girf(vdata, var_lags, irf_horizon, "ust10y_bp")
        girf = np.zeros((irf_horizon, k))
        var_chol = np.zeros((k, k))
        ci = [cols.index(c) for c in core]
        girf[:, ci] = g
        var_chol[np.ix_(ci, ci)] = ch
        for c in sparse:                   # sparse assets: static beta, own variance, independent
            i = cols.index(c)
            girf[0, i] = b10[i]
            var_chol[i, i] = np.sqrt(uvar[i])
        alpha[:], beta[:] = 0.0, 0.0
        cov = var_chol @ var_chol.T
        omega = np.diag(cov).copy()
        corr = cov / np.sqrt(np.outer(omega, omega))
        h_last = omega.copy()
    info = {
        "sample": (str(joint.index[0].date()), str(joint.index[-1].date())),
        "days": len(joint), "regime_days": len(days), "sell_america_rule": rule,
        "sell_america_days": int(flags.sum()), "sparse_assets": sparse,
        "jumps": {keys[i]: {"per_day": float(jl[i]), "mean": float(jm[i]), "sd": float(js[i])}
                  for i in range(k) if jl[i] > 0},
        "copula_nu": float(nu_c) if method == "t-copula" else None,
    }
    logger.info("fitted %s (%s regime) on %d days", method, regime, len(days))
    return FittedMarket(
        assets=tuple(keys), columns=tuple(cols),
        is_yield=np.array([universe.ASSETS[a].kind == "yield" for a in keys]),
        method=method, regime=regime, omega=omega, alpha=alpha, beta=beta, h_last=h_last,
        nu=nu, corr=corr, nu_copula=nu_c, pool=pool.to_numpy(dtype=float), beta_10y=b10,
        jump_lambda=jl, jump_mean=jm, jump_sd=js, girf=girf, var_chol=var_chol, info=info)
