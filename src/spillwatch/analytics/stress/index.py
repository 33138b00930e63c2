r"""The composite stress index, in the spirit of the ECB's CISS (Holló, Kremer & Lo Duca 2012).

Construction
------------
1. **Raw indicators.** Each stress signal of :mod:`~spillwatch.analytics.stress.signals` that
   enters the index is oriented so that larger means more stress (:data:`INDICATORS`): scaled
   moves enter in absolute value (a violent rally is stress too), volatilities, the VIX, the MOVE
   and drawdowns as they are, a fall in foreign official custody holdings with its sign flipped.
2. **Recursive ECDF.** Each indicator :math:`x` is mapped to :math:`(0, 1]` by its empirical CDF
   over the past only (HKLD 2012, section 3: the order-statistics transform, computed
   recursively so that history never revises):

   .. math::

       z_t = F_t(x_t) = \frac{\#\{s \le t : x_s \le x_t,\ x_s \text{ observed}\}}
                              {\#\{s \le t : x_s \text{ observed}\}}

   so a value never revises when later data arrive. **Burn-in**: :math:`z_t` is NaN until the
   indicator has ``burn_in`` observations (default 250, about one year of business days).
   The count is exact and takes :math:`O(T \log T)` (an order-statistics skip list, pandas'
   ``expanding().rank(method="max")``).
3. **Sub-indices.** :math:`s_{k,t}` is the mean of the :math:`z` of the group's indicators
   present on :math:`t` (HKLD 2012: arithmetic means per segment): ``rates``, ``dollar``,
   ``equity_vol``, ``crypto``.
4. **Aggregation** with time-varying correlations (HKLD 2012, the portfolio-theoretic
   aggregation with EWMA cross-correlations):

   .. math::

       \mathrm{CISS}_t = (w \circ s_t)\, C_t\, (w \circ s_t)^\top, \qquad
       \sigma_{ij,t} = \lambda \sigma_{ij,t-1} + (1-\lambda)\,\tilde s_{i,t}\tilde s_{j,t},
       \qquad \rho_{ij,t} = \frac{\sigma_{ij,t}}{\sqrt{\sigma_{ii,t}\sigma_{jj,t}}}

   with :math:`\tilde s = s - 0.5` (the theoretical median) and :math:`\lambda = 0.93`.
   Weights (:data:`DEFAULT_WEIGHTS`: rates 0.4, dollar 0.3, equity/vol 0.2, crypto 0.1) reflect
   the monitor's purpose (Treasury and dollar stress first) where HKLD weight segments by their
   impact on industrial production; they are renormalised over the sub-indices **available**
   on the date, so a sub-index with no indicator yet (crypto before 2019) is left out and the
   others share its weight. The EWMA moments of a pair run over the dates on which both
   are present; until a pair has ``corr_min_obs`` joint observations its correlation is taken
   as 0. The index needs the ``rates`` sub-index (a Treasury-and-dollar monitor): it is NaN on
   dates without it, and on dates where the 5-day 10-year yield shock is undefined (the frame
   starts at the first 10-year yield change). :math:`\mathrm{CISS}_t \in [0, 1]`.
5. **Percentile and regime.** ``percentile`` is 100 × the recursive ECDF of the index itself
   (burn-in ``burn_in`` observations of the index), and the regime follows from it
   (:mod:`~spillwatch.analytics.stress.regimes`).

References
----------
Holló, D., Kremer, M. and Lo Duca, M. (2012), "CISS – a composite indicator of systemic stress in
the financial system", ECB Working Paper 1426, section 3 (construction of the CISS).
Pugh, W. (1990), "Skip lists: a probabilistic alternative to balanced trees", *Communications of
the ACM* 33(6), 668–676 (the order-statistics structure behind the recursive ranks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from spillwatch.analytics.stress._results import StressResult
from spillwatch.analytics.stress.regimes import (
    DEFAULT_THRESHOLDS,
    check_thresholds,
    classify_regimes,
)
from spillwatch.analytics.stress.signals import SIGNAL_COLUMNS, compute_signals
from spillwatch.analytics.stress.signature import (
    DEFAULT_THRESHOLD,
    DOLLAR_COLUMN,
    YIELD_COLUMN,
    classify_scores,
)
from spillwatch.exceptions import ConfigError, DataError

Orientation = Literal["abs", "level", "neg"]

#: Columns of :attr:`StressResult.frame` before the sub-indices and signals.
STRESS = "stress"
PERCENTILE = "percentile"
REGIME = "regime"
SIGNATURE = "signature"
HEAD_COLUMNS: tuple[str, ...] = (STRESS, PERCENTILE, REGIME, SIGNATURE)

#: Sub-index columns.
RATES, DOLLAR, EQUITY_VOL, CRYPTO = "rates", "dollar", "equity_vol", "crypto"
SUBINDEX_COLUMNS: tuple[str, ...] = (RATES, DOLLAR, EQUITY_VOL, CRYPTO)

#: Every column of the per-date frame, in order (what ``spillwatch stress --out`` writes).
FRAME_COLUMNS: tuple[str, ...] = (*HEAD_COLUMNS, *SUBINDEX_COLUMNS, *SIGNAL_COLUMNS)

#: Default weights of the sub-indices (rates, dollar, equity/vol, crypto): the monitor watches
#: Treasury and dollar stress first; crypto is where stress spills to, not where it starts.
DEFAULT_WEIGHTS: tuple[float, float, float, float] = (0.4, 0.3, 0.2, 0.1)

#: Indicators of each sub-index: (signal column, orientation).
INDICATORS: dict[str, tuple[tuple[str, Orientation], ...]] = {
    RATES: (("ust10y_z1", "abs"), ("ust10y_z5", "abs"), ("ust30y_z5", "abs"),
            ("ust2y_z1", "abs"), ("ust2y_z5", "abs"), ("curve_2s10s_z5", "abs"),
            ("curve_10s30s_z5", "abs"), ("rates_rvol_bp", "level"), ("move_idx", "level"),
            ("term_premium_z5", "abs"), ("custody_chg_usd_bn", "neg")),
    DOLLAR: (("usd_broad_z1", "abs"), ("usd_broad_z5", "abs"), ("usdjpy_z1", "abs"),
             ("usdjpy_z5", "abs"), ("usdcny_z5", "abs"), ("usd_broad_rvol_pct", "level")),
    EQUITY_VOL: (("vix_idx", "level"), ("vix_z5", "level"), ("spx_rvol_pct", "level"),
                 ("spx_drawdown_pct", "level")),
    CRYPTO: (("btc_drawdown_pct", "level"), ("eth_drawdown_pct", "level"),
             ("btc_rvol_pct", "level"), ("eth_rvol_pct", "level")),
}


def recursive_ecdf(frame: pd.DataFrame, *, min_obs: int = 250) -> pd.DataFrame:
    r"""Map each column to its recursive empirical CDF (past and present values only).

    .. math::

        F_t(x_t) = \frac{\#\{s \le t : x_s \le x_t\}}{\#\{s \le t\}}

    over the observed (non-NaN) values; NaN where :math:`x_t` is NaN or fewer than ``min_obs``
    values have been observed (HKLD 2012, section 3). Ties count as ``<=`` (the 'max' rank).

    Parameters
    ----------
    frame : DataFrame
        Raw indicators in time order.
    min_obs : int, default 250
        Burn-in: observations needed before the first value.

    Returns
    -------
    DataFrame
        Same shape, values in (0, 1].
    """
    if frame.empty:
        return frame.astype("float64")
    x = frame.astype("float64")
    rank = x.expanding(min_periods=1).rank(method="max")
    n = x.notna().cumsum()
    out = rank / n
    return out.where(x.notna() & (n >= min_obs))


def oriented_indicators(signals: pd.DataFrame) -> pd.DataFrame:
    """Return the raw indicators of :data:`INDICATORS`, oriented so that larger = more stress."""
    cols: dict[str, pd.Series] = {}
    for group in INDICATORS.values():
        for name, how in group:
            s = signals[name]
            cols[name] = s.abs() if how == "abs" else (-s if how == "neg" else s)
    return pd.DataFrame(cols, index=signals.index)


def subindices(ecdf: pd.DataFrame) -> pd.DataFrame:
    """Mean of the transformed indicators of each group present on the date (HKLD 2012)."""
    out = {k: ecdf[[n for n, _ in group]].mean(axis=1, skipna=True)
           for k, group in INDICATORS.items()}
    return pd.DataFrame(out, index=ecdf.index)[list(SUBINDEX_COLUMNS)]


def _ewma_on(x: np.ndarray, lam: float) -> np.ndarray:
    out, _ = lfilter([1.0 - lam], [1.0, -lam], x, zi=np.zeros(1))
    return np.asarray(out)


def ewma_correlations(sub: np.ndarray, *, lam: float = 0.93,
                      min_obs: int = 20) -> np.ndarray:
    r"""EWMA correlations of demeaned sub-indices, pairwise over jointly observed dates.

    .. math::

        \sigma_{ij,t} = \lambda\sigma_{ij,t-1} + (1-\lambda)\tilde s_{i,t}\tilde s_{j,t},\quad
        \rho_{ij,t} = \sigma_{ij,t} / \sqrt{\sigma_{ii,t}\sigma_{jj,t}}

    (HKLD 2012, EWMA cross-correlations), with :math:`\tilde s = s - 0.5`. The recursion of a
    pair advances only on dates where both are observed, starting from zero (the start value
    cancels in the ratio); before ``min_obs`` joint observations the correlation is 0.

    Parameters
    ----------
    sub : ndarray, shape (T, K)
        Sub-indices (NaN where absent).
    lam : float, default 0.93
    min_obs : int, default 20

    Returns
    -------
    ndarray, shape (T, K, K)
        :math:`\rho_{ij,t}`; 1 on the diagonal; NaN where a pair is not jointly observed.
    """
    t_len, k = sub.shape
    dev = sub - 0.5
    rho = np.full((t_len, k, k), np.nan)
    for i in range(k):
        rho[~np.isnan(sub[:, i]), i, i] = 1.0
        for j in range(i + 1, k):
            both = ~np.isnan(sub[:, i]) & ~np.isnan(sub[:, j])
            if not both.any():
                continue
            a, b = dev[both, i], dev[both, j]
            cov = _ewma_on(a * b, lam)
            vi, vj = _ewma_on(a * a, lam), _ewma_on(b * b, lam)
            with np.errstate(invalid="ignore", divide="ignore"):
                r = cov / np.sqrt(vi * vj)
            r = np.where(np.isfinite(r), np.clip(r, -1.0, 1.0), 0.0)
            r[np.arange(len(r)) < min_obs - 1] = 0.0
            rho[both, i, j] = r
            rho[both, j, i] = r
    return rho


def ciss(sub: pd.DataFrame, *, weights: Sequence[float] | None = None, lam: float = 0.93,
         corr_min_obs: int = 20, require: Sequence[str] = (RATES,)) -> pd.Series:
    r"""Aggregate sub-indices with time-varying correlations (HKLD 2012, section 3).

    .. math::

        \mathrm{CISS}_t = \sum_{i,j} w_{i,t} w_{j,t}\, s_{i,t} s_{j,t}\, \rho_{ij,t},
        \qquad w_{i,t} = \frac{\omega_i}{\sum_{k \text{ present at } t} \omega_k}

    Parameters
    ----------
    sub : DataFrame
        Sub-indices in [0, 1] (NaN where absent).
    weights : sequence of float, optional
        Base weights :math:`\omega` of the columns of ``sub`` (default equal).
    lam : float, default 0.93
        EWMA decay of the correlations.
    corr_min_obs : int, default 20
        See :func:`ewma_correlations`.
    require : sequence of str, default ("rates",)
        Sub-indices that must be present for the index to be defined.

    Returns
    -------
    Series
        Named ``stress``; NaN where a required sub-index is absent.
    """
    s = sub.to_numpy(dtype=float)
    base = np.ones(s.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    rho = ewma_correlations(s, lam=lam, min_obs=corr_min_obs)
    present = ~np.isnan(s)
    n = present.sum(axis=1)
    w = np.where(present, base[None, :], 0.0)
    tot = w.sum(axis=1, keepdims=True)
    w = w / np.where(tot > 0, tot, 1.0)
    ws = np.where(present, s, 0.0) * w
    r = np.nan_to_num(rho, nan=0.0)
    val = np.einsum("ti,tij,tj->t", ws, r, ws)
    ok = n > 0
    for name in require:
        ok &= present[:, list(sub.columns).index(name)]
    return pd.Series(np.where(ok, np.clip(val, 0.0, 1.0), np.nan), index=sub.index,
                     name=STRESS)


@dataclass(frozen=True)
class StressIndex:
    """Specification of the stress monitor (signals, signature, composite index, regimes).

    Parameters
    ----------
    horizon : int, default 5
        Rows of the multi-day changes (signals and signature).
    window : int, default 60
        Rows of the trailing volatility that scales moves.
    signature_threshold : float, default 1.0
        Threshold of the yield–dollar joint trigger (:mod:`.signature`).
    burn_in : int, default 250
        Observations before an indicator's ECDF (and the index's percentile) is defined.
    lam : float, default 0.93
        EWMA decay of the sub-index correlations (HKLD 2012).
    corr_min_obs : int, default 20
        Joint observations before a pair's correlation is used (0 before).
    weights : (float, float, float, float), default (0.4, 0.3, 0.2, 0.1)
        Base weights of the rates, dollar, equity/vol and crypto sub-indices.
    thresholds : (float, float), default (80, 95)
        Percentile cut-offs of the ``elevated`` and ``crisis`` regimes.
    require : tuple of str, default ("rates",)
        Sub-indices that must be present for the index to be defined.
    """

    horizon: int = 5
    window: int = 60
    signature_threshold: float = DEFAULT_THRESHOLD
    burn_in: int = 250
    lam: float = 0.93
    corr_min_obs: int = 20
    weights: tuple[float, ...] = DEFAULT_WEIGHTS
    thresholds: tuple[float, float] = field(default=DEFAULT_THRESHOLDS)
    require: tuple[str, ...] = (RATES,)

    def __post_init__(self) -> None:
        for name in ("horizon", "window", "burn_in", "corr_min_obs"):
            v = getattr(self, name)
            if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1):
                raise ConfigError(f"{name} must be a positive int; got {v!r}")
        if self.window < 4:
            raise ConfigError(f"window must be at least 4 rows; got {self.window}")
        if not (isinstance(self.lam, (int, float)) and 0.0 < float(self.lam) < 1.0):
            raise ConfigError(f"lam (the EWMA decay) must lie in (0, 1), e.g. 0.93; got "
                              f"{self.lam!r}")
        if not (isinstance(self.signature_threshold, (int, float))
                and self.signature_threshold > 0):
            raise ConfigError(f"signature_threshold must be a positive number; got "
                              f"{self.signature_threshold!r}")
        object.__setattr__(self, "thresholds", check_thresholds(self.thresholds))
        try:
            w = tuple(float(v) for v in self.weights)
        except (TypeError, ValueError):
            w = ()
        if len(w) != len(SUBINDEX_COLUMNS) or min(w) < 0 or sum(w) <= 0:
            raise ConfigError(f"weights must be {len(SUBINDEX_COLUMNS)} non-negative numbers "
                              f"for {', '.join(SUBINDEX_COLUMNS)}, e.g. {DEFAULT_WEIGHTS}; got "
                              f"{self.weights!r}")
        object.__setattr__(self, "weights", w)
        bad = [r for r in self.require if r not in SUBINDEX_COLUMNS]
        if bad:
            raise ConfigError(f"unknown sub-index {bad[0]!r} in require; choose from: "
                              f"{', '.join(SUBINDEX_COLUMNS)}")
        object.__setattr__(self, "require", tuple(self.require))

    def fit(self, changes: pd.DataFrame, levels: pd.DataFrame | None = None) -> StressResult:
        """Compute signals, signature, index, percentile and regime of every date.

        Parameters
        ----------
        changes : DataFrame
            Panel of daily changes (needs at least ``ust10y_bp``).
        levels : DataFrame, optional
            Panel of levels (for the VIX, MOVE and term premium); reindexed onto ``changes``.

        Returns
        -------
        StressResult
        """
        changes = _check_panel(changes, "changes")
        if YIELD_COLUMN not in changes.columns:
            raise DataError(
                f"the stress index needs the 10-year yield changes {YIELD_COLUMN!r}; the panel "
                f"has {list(changes.columns)[:8]}. Load it with sw.load(..., assets=[...'ust10y'])",
                column=YIELD_COLUMN)
        if levels is not None:
            levels = _check_panel(levels, "levels").reindex(changes.index)
        signals = compute_signals(changes, levels, horizon=self.horizon, window=self.window)
        raw = oriented_indicators(signals)
        ecdf = recursive_ecdf(raw, min_obs=self.burn_in)
        sub = subindices(ecdf)
        stress = ciss(sub, weights=self.weights, lam=self.lam, corr_min_obs=self.corr_min_obs,
                      require=self.require)
        # the monitor reads the Treasury market first: no index where the 10y shock is undefined
        stress = stress.where(signals["ust10y_z5"].notna())
        pct = 100.0 * recursive_ecdf(stress.to_frame(), min_obs=self.burn_in)[STRESS]
        regime = classify_regimes(pct, self.thresholds)
        if DOLLAR_COLUMN in changes.columns:
            sig = classify_scores(signals["ust10y_z5"].to_numpy(),
                                  signals["usd_broad_z5"].to_numpy(),
                                  threshold=self.signature_threshold)
        else:
            sig = np.full(len(changes), "none", dtype=object)
        head = pd.DataFrame({STRESS: stress, PERCENTILE: pct, REGIME: regime,
                             SIGNATURE: pd.Series(sig, index=changes.index, dtype=object)},
                            index=changes.index)
        frame = pd.concat([head, sub, signals], axis=1)[list(FRAME_COLUMNS)]
        frame.index.name = "date"
        # rows before the first 10-year yield change carry nothing the monitor reads
        first = changes[YIELD_COLUMN].first_valid_index()
        keep = changes.index >= first if first is not None else np.zeros(len(frame), bool)
        frame, ecdf = frame[keep], ecdf[keep]
        return StressResult(spec=self, frame=frame, indicators=ecdf,
                            simulated=bool(changes.attrs.get("simulated", False)))


def _check_panel(frame: object, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{name} must be a DataFrame panel (sw.load(...)); got "
                        f"{type(frame).__name__}")
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise DataError(f"{name} must have a DatetimeIndex of dates; got "
                        f"{type(frame.index).__name__}")
    if not frame.index.is_monotonic_increasing or frame.index.has_duplicates:
        raise DataError(f"{name} must be indexed by unique dates in increasing order; sort it "
                        "with frame.sort_index() and drop duplicate dates")
    return frame


def compute(changes: pd.DataFrame, levels: pd.DataFrame | None = None,
            **options: object) -> StressResult:
    """Compute the stress monitor on a panel: ``StressIndex(**options).fit(changes, levels)``.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes (``sw.load(..., transform="changes")``).
    levels : DataFrame, optional
        Panel of levels (VIX, MOVE, term premium).
    **options
        Parameters of :class:`StressIndex`.

    Returns
    -------
    StressResult
        ``.frame`` holds one row per date with :data:`FRAME_COLUMNS`.
    """
    return StressIndex(**options).fit(changes, levels)  # type: ignore[arg-type]
