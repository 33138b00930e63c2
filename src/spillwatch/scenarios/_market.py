"""The fitted market (:class:`FittedMarket`) and the estimation helpers it is built with.

See :mod:`spillwatch.scenarios.propagation` for what is fitted and how; this module only holds
the container and helpers shared by the fit and the Monte Carlo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from spillwatch import universe
from spillwatch._validation import fmt_date
from spillwatch.exceptions import DataError, ScenarioError
from spillwatch.scenarios.identification import IdentificationResult
from spillwatch.scenarios.identification._results import weighted_quantiles
from spillwatch.timing import timing_for

_NU_GRID = np.array([2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 20.0, 30.0, 50.0,
                     100.0])


def running_level(changes: pd.Series) -> pd.Series:
    """The running level of daily changes from 0 before the first row, on a 0..n index.

    A row without a change counts as none.
    """
    level = changes.fillna(0.0).cumsum()
    return pd.concat([pd.Series([0.0]), level.reset_index(drop=True)], ignore_index=True)


def moves_over(level: pd.Series, days: int) -> tuple[float, float]:
    """The largest fall and rise of a running level over ``days`` rows, as magnitudes.

    The highest level minus the lowest of the preceding ``days`` rows (a rise), and the
    reverse (a fall).
    """
    low = level.rolling(days + 1, min_periods=1).min()
    high = level.rolling(days + 1, min_periods=1).max()
    return float((high - level).max()), float((level - low).max())


def rises_over(level: pd.Series, days: int) -> np.ndarray:
    """The largest rise of a running level over each of 1..``days`` rows, at once.

    Element ``t - 1`` is :func:`moves_over`'s rise over ``t`` rows (the level minus the
    lowest of the preceding ``t`` rows, at its largest); it never falls as ``t`` grows.
    """
    lv = level.to_numpy(dtype=float)
    low = lv.copy()
    out = np.full(max(int(days), 0), np.nan)
    for t in range(1, out.size + 1):
        if t < lv.size:
            low[t:] = np.fmin(low[t:], lv[:-t])
        diff = lv - low
        out[t - 1] = np.nanmax(diff) if np.isfinite(diff).any() else np.nan
        if t >= lv.size:            # every row's window already holds the whole series
            out[t:] = out[t - 1]
            break
    return out


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
    method : str
        ``"t-copula"`` or ``"fhs"`` (the residual noise).
    omega, alpha, beta : ndarray
        Variance-targeting GARCH(1,1) parameters in the asset's units (bp² or %²).
    h_last : ndarray
        Conditional variance forecast for the day after the as-of date.
    nu : ndarray
        Degrees of freedom of each margin's standardised t innovations.
    corr : ndarray
        Copula correlation (``"t-copula"``) or residual correlation (``"fhs"``).
    nu_copula : float
    pool : ndarray, shape (n_days, k)
        Standardised residuals resampled by FHS (demeaned, unit variance).
    jump_lambda, jump_mean, jump_sd : ndarray
        Compound Poisson jumps per asset (intensity per day, size mean and sd).
    kernels : ndarray, shape (M, K, k)
        Transfer kernel of each admissible model: move of each asset per bp of daily 10-year
        move caused by the sale, at lags ``0..K-1``.
    model_weights : ndarray, shape (M,)
        Importance weights of the models (sum to one).
    shock_per_bp : ndarray, shape (M,)
        Sell-America shock (in standard deviations) per bp of 10-year move on impact.
    identification : IdentificationResult
    info : dict
        As-of date, joint sample end, samples, last dates, stale series, changes after the
        joint end, dropped days, jumps, auxiliary regressions, kernel length.
    levels : DataFrame, optional
        Each asset's running level in its change unit over the rows of its own data of the fit
        (the cumulative changes): its largest fall and rise over any horizon
        (:meth:`largest_moves`).
    """

    assets: tuple[str, ...]
    columns: tuple[str, ...]
    is_yield: np.ndarray
    method: str
    omega: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    h_last: np.ndarray
    nu: np.ndarray
    corr: np.ndarray
    nu_copula: float
    pool: np.ndarray
    jump_lambda: np.ndarray
    jump_mean: np.ndarray
    jump_sd: np.ndarray
    kernels: np.ndarray
    model_weights: np.ndarray
    shock_per_bp: np.ndarray
    identification: IdentificationResult
    info: dict[str, Any] = field(default_factory=dict)

    regime: str = "identified"
    #: Unit of each asset's change: "bp" (yields, spreads), "%" (log returns of prices) or the
    #: series' own unit (an own series imported without ``--positive`` changes by differences)
    units: tuple[str, ...] = ()
    levels: pd.DataFrame | None = field(default=None, repr=False)
    #: Per asset, the highest conditional variance its margin read on the data: no simulated
    #: path's variance goes above it (None: uncapped)
    h_max: np.ndarray | None = None
    #: Row ``i``: the coefficients of a series of the user's on the other assets' daily
    #: changes (its change is theirs so combined plus its own noise); rows of the others
    #: are zero. None: no series mapped
    #: (:func:`spillwatch.scenarios.propagation.own_mapping`)
    mapping: np.ndarray | None = None

    def __repr__(self) -> str:
        # the dataclass's own repr printed every array (18,103 characters on the demo)
        sample = self.info.get("sample")
        fit = (f", fit {sample[0]} to {sample[1]}" if isinstance(sample, tuple | list)
               and len(sample) == 2 else "")
        return (f"<FittedMarket: {len(self.assets)} assets ({', '.join(self.assets)}), "
                f"{self.method} noise, {self.info.get('models', len(self.model_weights))} "
                f"identified models{fit}, as of {self.info.get('as_of')}>")

    def largest_moves(self, key: str, days: int) -> tuple[float, float] | None:
        """The largest fall and rise of ``key`` over ``days`` rows of its data of the fit.

        Magnitudes in the asset's change unit (bp, or log change in percent): the highest
        level minus the lowest of the preceding ``days`` rows, and the reverse, as
        ``info["max_moves"]`` records for its fixed windows; ``None`` without the levels.
        """
        if self.levels is None or key not in self.levels:
            return None
        return moves_over(self.levels[key], days)

    def largest_rises(self, key: str, days: int) -> np.ndarray | None:
        """The largest rise of ``key`` over each of 1..``days`` rows of its data of the fit.

        Element ``t - 1`` is :meth:`largest_moves`'s rise over ``t`` rows; ``None`` without
        the levels.
        """
        if self.levels is None or key not in self.levels:
            return None
        return rises_over(self.levels[key], days)

    def unit(self, i: int) -> str:
        """Unit of asset ``i``'s change (see :attr:`units`)."""
        if self.units:
            return self.units[i]
        return "bp" if self.is_yield[i] else "%"

    @property
    def k(self) -> int:
        """Number of assets."""
        return len(self.assets)

    @property
    def as_of(self) -> str:
        """Date of the current state: the newest last date of an asset that is not stale.

        Each asset's state is as of its own last date; the joint sample ends on
        ``info["joint_end"]``, the last date every asset that is not stale reports.
        """
        return str(self.info["as_of"])

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
        """Correlation of daily changes the noise model implies: ``corr`` diluted by jumps."""
        diff = self.uncond_var
        share = np.sqrt(diff / (diff + self.jump_lambda * (self.jump_mean**2 + self.jump_sd**2)))
        c = self.corr * np.outer(share, share)
        np.fill_diagonal(c, 1.0)
        return pd.DataFrame(c, index=list(self.columns), columns=list(self.columns))

    @property
    def stale(self) -> list[str]:
        """Assets whose last observation is past its staleness limit (see ``info``)."""
        return [k for k, v in self.info["series"].items() if v["stale"]]

    def index(self, key: str) -> int:
        """Position of asset ``key``; unknown assets list the simulated ones."""
        if key not in self.assets:
            raise ScenarioError(f"asset {key!r} is not simulated; choose one of: "
                                f"{', '.join(self.assets)}", asset=key)
        return self.assets.index(key)

    def response_per_10bp(self, qs: Sequence[float] = (0.05, 0.16, 0.5, 0.84, 0.95)
                          ) -> pd.DataFrame:
        """Cumulative response of each asset per +10 bp of 10-year move (weighted quantiles)."""
        total = 10.0 * self.kernels.sum(axis=1)                              # (M, k)
        q = weighted_quantiles(total, self.model_weights, qs)
        frame = pd.DataFrame(q.T, index=list(self.assets), columns=[f"q{v:g}" for v in qs])
        frame.insert(0, "unit", [self.unit(i) for i in range(self.k)])
        return frame

    def unmeasured_directions(self) -> pd.DataFrame:
        """The assets whose response's 16%-84% band (:meth:`response_per_10bp`) straddles zero.

        The 10-year, whose response is the shock's size, is never one of them. Their median
        move is the models' centre, not a measured direction in a sell-off.
        """
        band = self.response_per_10bp((0.16, 0.5, 0.84))
        loose = (band["q0.16"] < 0.0) & (band["q0.84"] > 0.0) & (band.index != "ust10y")
        return band[loose]



def series_state(panel: pd.DataFrame, keys: Sequence[str], start: object
                 ) -> tuple[pd.Timestamp, dict[str, dict[str, Any]]]:
    """The joint sample's end of a book and, per asset, its last date, limit and staleness.

    Each asset's staleness is judged against the newest last date of the book with the limit
    of its primary source on its calendar (:func:`spillwatch.timing.timing_for`). The
    returned date is the last
    date on which every asset that is **not** stale has a change: the joint sample (the
    dependence between assets, the identified shock) ends there. Each asset's own volatility
    state runs to its own last date (:func:`spillwatch.scenarios.propagation.fit_market`): a
    series that stopped months ago (gold's file ending in October) is listed as stale, and a
    series published later than the others (the 10-year the same evening, the broad dollar the
    Monday after its week) does not hold every other asset's state back to its last date. When
    every asset is stale, the date is the last date they all share.
    ``observations_after_as_of`` counts each asset's changes after it (used for its own state
    only).
    """
    sources = panel.attrs.get("sources", {}) or {}
    data = panel.loc[pd.Timestamp(start):] if start is not None else panel  # type: ignore[misc]
    last: dict[str, pd.Timestamp] = {}
    for k in keys:
        s = data[universe.resolve(k, panel.attrs.get("assets")).change_column].dropna()
        if s.empty:
            raise DataError(f"asset {k!r} has no change after {start}; drop it from the book",
                            asset=k)
        last[k] = s.index[-1]
    newest = max(last.values())
    limits: dict[str, tuple[str, int]] = {}
    for k in keys:
        asset = universe.resolve(k, panel.attrs.get("assets"))
        sid = (sources.get(k) or list(asset.sources))[0]
        limits[k] = (sid, timing_for(sid, asset.calendar).stale_after_days)
    stale = {k for k in keys if (newest - last[k]).days > limits[k][1]}
    as_of = min(v for k, v in last.items() if k not in stale) if len(stale) < len(keys) \
        else min(last.values())
    out: dict[str, dict[str, Any]] = {}
    for k in keys:
        sid, limit = limits[k]
        col = data[universe.resolve(k, panel.attrs.get("assets")).change_column]
        out[k] = {"last_date": fmt_date(last[k]), "source": sid, "stale_after_days": limit,
                  "days_behind_newest": (newest - last[k]).days, "stale": k in stale,
                  "observations_after_as_of": int(col.loc[as_of + pd.Timedelta(days=1):]
                                                  .notna().sum())}
    return as_of, out


def nearest_corr(c: np.ndarray, floor: float = 1e-4) -> np.ndarray:
    """Positive-definite correlation by clipping eigenvalues at ``floor``."""
    w, v = np.linalg.eigh((c + c.T) / 2)
    c2 = (v * np.maximum(w, floor)) @ v.T
    d = np.sqrt(np.diag(c2))
    out = c2 / np.outer(d, d)
    np.fill_diagonal(out, 1.0)
    return out


def kendall_corr(z: pd.DataFrame) -> np.ndarray:
    r"""Pairwise :math:`\sin(\pi\tau/2)` on each pair's common days, made positive definite."""
    k = z.shape[1]
    out = np.eye(k)
    for i in range(k):
        for j in range(i + 1, k):
            pair = z.iloc[:, [i, j]].dropna()
            if len(pair) < 10:
                continue
            tau = stats.kendalltau(pair.iloc[:, 0], pair.iloc[:, 1]).statistic
            out[i, j] = out[j, i] = np.sin(np.pi * tau / 2.0) if np.isfinite(tau) else 0.0
    return nearest_corr(out)


def copula_nu(u: np.ndarray, corr: np.ndarray) -> float:
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
