r"""The composite stress index: the CISS of Holló, Kremer & Lo Duca (2012) on US segments.

Construction
------------
1. **Inputs and staleness.** Each input (:mod:`.inputs`) has a staleness limit from
   :mod:`spillwatch.timing`; every signal is computed on its inputs' own observation dates and
   is NaN on dates where one of them is past its limit (:mod:`.signals`).
2. **Raw indicators** (:data:`INDICATORS`), oriented so that larger means more stress, in five
   segments: ``rates`` (weekly realised volatility of the 2-, 10- and 30-year yields, the MOVE,
   5-day yield and curve shocks in absolute value, the term-premium shock, a fall in foreign
   official custody holdings), ``dollar`` (weekly realised volatility of the broad dollar and the
   yen, 5-day dollar, yen and yuan moves in absolute value), ``equity_vol`` (VIX level and 5-day
   change, weekly realised volatility and CMAX drawdown of the S&P 500), ``credit`` (investment-
   grade and high-yield spreads and their 5-day widening) and ``crypto`` (bitcoin and ether
   drawdowns and realised volatility).
3. **Recursive ECDF.** Each indicator is ranked among its own past and present observations
   (HKLD 2012, section 3; :func:`~._ecdf.recursive_ecdf`), on its own dates, after a burn-in of
   ``burn_in`` observations; the rank is carried while its inputs are fresh.
4. **Sub-indices.** :math:`s_{k,t}` is the mean of the ranks of the segment's indicators present
   on :math:`t` (HKLD 2012: arithmetic means per segment); a segment needs ``min_inputs`` fresh
   inputs, else it is absent that day.
5. **Aggregation** with time-varying correlations (HKLD 2012, the portfolio-theoretic
   aggregation):

   .. math::

       \mathrm{CISS}_t = (w \circ s_t)\, C_t\, (w \circ s_t)^\top, \qquad
       \sigma_{ij,t} = \lambda \sigma_{ij,t-1} + (1-\lambda)\,\tilde s_{i,t}\tilde s_{j,t},
       \qquad \rho_{ij,t} = \frac{\sigma_{ij,t}}{\sqrt{\sigma_{ii,t}\sigma_{jj,t}}}

   with :math:`\tilde s = s - 0.5` (the theoretical median). HKLD use :math:`\lambda = 0.93` on
   weekly data; on daily data the same half-life (about ten weeks) is
   :math:`\lambda = 0.93^{1/5} \approx 0.9856` (:data:`DEFAULT_LAM`). Weights
   (:data:`DEFAULT_WEIGHTS`) are this package's choice: ``equity_vol`` 0.45, ``rates`` 0.30,
   ``dollar`` 0.15, ``credit`` 0.10, ``crypto`` 0. HKLD weight their segments by their
   estimated impact on industrial production, which puts most weight on the segments measured
   from equity prices (their equity market and their financial intermediaries, the latter read
   mostly from bank stocks); here the equity/volatility segment (VIX, S&P 500 volatility and
   drawdown) carries that role, so that equity-led episodes register, while the rates and dollar
   focus of the monitor shows in its sub-indices and the signature rather than by muting the
   other segments. ``crypto`` is where stress spills to (the spillover analyses measure that),
   not a segment of the financial system's stress: it is reported as a sub-index, with weight
   0 in the composite. Weights are renormalised over the segments present on the date (a
   segment that is missing or stale drops out, as in the CISS). Measured on ``../shared/data``
   (tests/analytics/stress/test_stress_realdata.py): correlation with the St. Louis Fed's
   STLFSI4 (Friday values, 1994–2025) 0.73, with the OFR FSI (daily) 0.78.
6. **Publication.** The index is published on a date only if the 10-year yield reported that
   day (the monitor reads the Treasury market first: no value after the last 10-year print) and
   every segment of ``require`` (default rates, dollar, equity/volatility) is present.
7. **Percentile and regime.** The percentile ranks the index within a **consistent
   composition**: among the past values of the composite of the same segments (recomputed on
   every past date those segments were all present), so that adding or losing a segment never
   shifts the scale it is read against. A composition with less than ``burn_in`` days of history
   falls back to its largest sub-composition that has them (dropping the latest-starting
   segment first). The rank is the age-weighted recursive ECDF of Boudoukh, Richardson & Whitelaw
   (1998) with a half-life of ``half_life`` observations (:func:`~._ecdf.weighted_ecdf`; default
   two years): stress is read against the past with recent years counting more, so that the share
   of days at or above the 90th percentile stays close to 10 % over any long history instead of
   drifting with the level of the first decades (measured on ``../shared/data``: 10.0 % of the
   days since 1990; 8.7 % with equal weights over all the history, ``half_life=inf``, which
   also leaves the 2015 and December 2018 sell-offs at the 85th and 89th percentiles). The
   half-life trades the reading of a long crisis against that of a sharp episode after a calm
   spell: with two years, January–March 2009 reads a median percentile of 85 while every episode
   of the test suite reaches the top decile; with one year (``half_life=250``) early 2009 falls
   to 75. The regime follows from the percentiles (:mod:`.regimes`): entered at its cut-off,
   left only a band below it (``exit_band``), a one-sided rule that keeps a label from flapping
   back and forth across a cut-off from one reading to the next. Each sub-index is also ranked
   within its own history by the same rule (:func:`segment_percentiles`): a segment in its own
   top decile is said beside a composite that averages it away.

References
----------
Boudoukh, J., Richardson, M. and Whitelaw, R. (1998), "The best of both worlds: a hybrid
approach to calculating value at risk", *Risk* 11(5), 64–67.
Holló, D., Kremer, M. and Lo Duca, M. (2012), "CISS – a composite indicator of systemic stress in
the financial system", ECB Working Paper 1426, section 3 (construction and aggregation).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from spillwatch._kept import Kept, fingerprint
from spillwatch._validation import is_int, is_real, naive_index, plain
from spillwatch.analytics._recursive import by_composition, ewma
from spillwatch.analytics.stress._columns import (
    CREDIT,
    CRYPTO,
    DOLLAR,
    EQUITY_VOL,
    FRAME_COLUMNS,
    HEAD_COLUMNS,
    PERCENTILE,
    PERCENTILE_LONGRUN,
    RATES,
    REGIME,
    SIGNATURE,
    SIGNATURE_5D,
    STALE,
    STALE_INPUTS,
    STRESS,
    SUBINDEX_COLUMNS,
)
from spillwatch.analytics.stress._ecdf import ecdf_series, recursive_ecdf, weighted_ecdf
from spillwatch.analytics.stress._results import StressResult
from spillwatch.analytics.stress.inputs import ANCHOR, STRESS_ASSETS, InputPanel
from spillwatch.analytics.stress.regimes import (
    DEFAULT_EXIT_BAND,
    DEFAULT_THRESHOLDS,
    check_exit_band,
    check_thresholds,
    hold_regimes,
)
from spillwatch.analytics.stress.signals import OwnSignals, compute_own_signals
from spillwatch.analytics.stress.signature import (
    DEFAULT_LEG,
    DEFAULT_LOOKBACK,
    DEFAULT_NOTABLE,
    DEFAULT_SCALE_WINDOW,
    DEFAULT_THRESHOLD,
    YIELD_COLUMN,
    Signature,
    classify_day_scores,
    classify_scores,
    day_scores,
)
from spillwatch.exceptions import ConfigError, DataError

__all__ = ["DEFAULT_LAM", "DEFAULT_WEIGHTS", "FRAME_COLUMNS", "HEAD_COLUMNS", "INDICATORS",
           "PERCENTILE", "REGIME", "SIGNATURE", "STRESS", "SUBINDEX_COLUMNS", "StressIndex",
           "ciss", "compute", "ewma_correlations", "recursive_ecdf"]

Orientation = Literal["abs", "level", "neg"]

#: Weights of the sub-indices (rates, dollar, equity/vol, credit, crypto); see the module notes.
DEFAULT_WEIGHTS: tuple[float, ...] = (0.30, 0.15, 0.45, 0.10, 0.0)
#: Daily EWMA decay with the half-life of HKLD's weekly 0.93.
DEFAULT_LAM: float = 0.93 ** 0.2
#: Half-life of the percentile's age weights, in observations (about two years).
DEFAULT_HALF_LIFE: float = 500.0

#: Indicators of each sub-index: (signal column, orientation).
INDICATORS: dict[str, tuple[tuple[str, Orientation], ...]] = {
    RATES: (("ust10y_vol5_bp", "level"), ("ust2y_vol5_bp", "level"),
            ("ust30y_vol5_bp", "level"), ("move_idx", "level"), ("ust10y_z5", "abs"),
            ("ust2y_z5", "abs"), ("curve_2s10s_z5", "abs"), ("term_premium_z5", "abs"),
            ("custody_chg_pct", "neg")),
    DOLLAR: (("usd_broad_vol5_pct", "level"), ("usdjpy_vol5_pct", "level"),
             ("usd_broad_z5", "abs"), ("usdjpy_z5", "abs"), ("usdcny_z5", "abs")),
    EQUITY_VOL: (("vix_idx", "level"), ("vix_z5", "level"), ("spx_vol5_pct", "level"),
                 ("spx_drawdown_pct", "level")),
    CREDIT: (("ig_oas_pct", "level"), ("hy_oas_pct", "level"), ("ig_oas_z5", "level"),
             ("hy_oas_z5", "level")),
    CRYPTO: (("btc_drawdown_pct", "level"), ("eth_drawdown_pct", "level"),
             ("btc_rvol_pct", "level"), ("eth_rvol_pct", "level")),
}

_ORIENT: dict[str, Callable[[pd.Series], pd.Series]] = {
    "abs": lambda s: s.abs(), "level": lambda s: s, "neg": lambda s: -s}


def ewma_correlations(sub: np.ndarray, *, lam: float = DEFAULT_LAM,
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
    lam : float, default 0.93 ** 0.2
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
            cov = ewma(a * b, lam)
            vi, vj = ewma(a * a, lam), ewma(b * b, lam)
            with np.errstate(invalid="ignore", divide="ignore"):
                r = cov / np.sqrt(vi * vj)
            r = np.where(np.isfinite(r), np.clip(r, -1.0, 1.0), 0.0)
            r[np.arange(len(r)) < min_obs - 1] = 0.0
            rho[both, i, j] = r
            rho[both, j, i] = r
    return rho


def _aggregate(s: np.ndarray, base: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """CISS of the columns of ``s`` with weights renormalised over those present."""
    present = ~np.isnan(s) & (base[None, :] > 0)
    w = np.where(present, base[None, :], 0.0)
    tot = w.sum(axis=1, keepdims=True)
    w = w / np.where(tot > 0, tot, 1.0)
    ws = np.where(present, s, 0.0) * w
    val = np.einsum("ti,tij,tj->t", ws, np.nan_to_num(rho, nan=0.0), ws)
    return np.where(present.any(axis=1), np.clip(val, 0.0, 1.0), np.nan)


def ciss(sub: pd.DataFrame, *, weights: Sequence[float] | None = None, lam: float = DEFAULT_LAM,
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
        Base weights :math:`\omega` of the columns of ``sub`` (default equal); a column of
        weight 0 does not enter.
    lam : float, default 0.93 ** 0.2
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
    val = _aggregate(s, base, ewma_correlations(s, lam=lam, min_obs=corr_min_obs))
    ok = ~np.isnan(val)
    for name in require:
        ok &= ~np.isnan(s[:, list(sub.columns).index(name)])
    return pd.Series(np.where(ok, val, np.nan), index=sub.index, name=STRESS)


def consistent_percentile(sub: np.ndarray, base: np.ndarray, rho: np.ndarray,
                          published: np.ndarray, *, half_life: float, min_obs: int
                          ) -> np.ndarray:
    """Percentile (0–100) of the index within a consistent composition (module step 7).

    Parameters
    ----------
    sub : ndarray, shape (T, K)
        Sub-indices (NaN where absent).
    base : ndarray, shape (K,)
        Base weights.
    rho : ndarray, shape (T, K, K)
        :func:`ewma_correlations` of ``sub``.
    published : ndarray of bool, shape (T,)
        Dates on which the index is published.
    half_life, min_obs : float, int
        Of :func:`~._ecdf.weighted_ecdf`.

    Returns
    -------
    ndarray, shape (T,)
        NaN off the published dates and in the burn-in of every fallback.
    """
    present = ~np.isnan(sub) & (base[None, :] > 0)

    def rank(members: list[int], end: int) -> np.ndarray:
        avail = published[:end] & present[:end, members].all(axis=1)
        comp = _aggregate(sub[:end, members], base[members], rho[:end, members][:, :, members])
        return 100.0 * weighted_ecdf(pd.Series(np.where(avail, comp, np.nan)),
                                     half_life=half_life, min_obs=min_obs).to_numpy()

    return by_composition(present, published, rank)


def segment_percentiles(sub: pd.DataFrame, published: np.ndarray, *, half_life: float,
                        min_obs: int) -> pd.DataFrame:
    """Each sub-index's percentile (0–100) within its own history (module step 7's rank).

    The composite averages its segments, so a sell-off confined to one (a Treasury rout with
    equities calm) can read "calm" on the headline while that segment is at its extreme. Each
    sub-index is ranked as the composite is (:func:`~._ecdf.weighted_ecdf`, the age-weighted
    recursive ECDF of Boudoukh, Richardson & Whitelaw 1998, with the composite's half-life and
    burn-in) among its own values on the days the index is published, up to the day ranked:
    no value uses a later date's data.

    Parameters
    ----------
    sub : DataFrame
        Sub-indices (NaN where absent), one column per segment.
    published : ndarray of bool, shape (T,)
        Dates on which the index is published.
    half_life, min_obs : float, int
        Of :func:`~._ecdf.weighted_ecdf`.

    Returns
    -------
    DataFrame
        Same index and columns; NaN off the published dates, where the segment is absent and
        in its burn-in.
    """
    return pd.DataFrame({g: 100.0 * weighted_ecdf(sub[g].where(published), half_life=half_life,
                                                  min_obs=min_obs)
                         for g in sub.columns}, index=sub.index)


@dataclass(frozen=True)
class StressIndex:
    """Specification of the stress monitor (signals, signature, composite index, regimes).

    Parameters
    ----------
    horizon : int, default 5
        Observations of the multi-day changes (signals and the five-day signature).
    window : int, default 60
        Observations of the trailing volatility that scales moves.
    burn_in : int, default 250
        Observations before an indicator's rank (and the index's percentile) is defined.
    lam : float, default 0.93 ** 0.2
        EWMA decay of the sub-index correlations (HKLD's weekly 0.93 on daily data).
    corr_min_obs : int, default 20
        Joint observations before a pair's correlation is used (0 before).
    weights : tuple of 5 float, default (0.30, 0.15, 0.45, 0.10, 0.0)
        Base weights of the rates, dollar, equity/vol, credit and crypto sub-indices.
    half_life : float, default 500
        Half-life, in observations, of the percentile's age weights (``inf``: equal weights).
    thresholds : (float, float), default (80, 95)
        Percentile cut-offs of the ``elevated`` and ``crisis`` regimes.
    exit_band : (float, float), default (10, 5)
        Percentile points below each cut-off at which a regime is left (``elevated`` while
        either rank is 70 or more, ``crisis`` while the long-run rank is 90 or more; entered
        at the cut-offs): :mod:`.regimes`, *Persistence*. ``(0, 0)``: no band.
    require : tuple of str, default ("rates", "dollar", "equity_vol")
        Sub-indices that must be present for the index to be published.
    min_inputs : int, default 1
        Fresh inputs a sub-index needs on a date to be present.
    stale_after : tuple of (str, int), default ()
        Overrides of the staleness limits (calendar days) of some inputs.
    signature_window, signature_lookback : int, default 250, 3
        Volatility scale and longest window of the day's signature (:mod:`.signature`).
    signature_leg, signature_notable : float, default 0.5, 1.0
        Its thresholds, in standard deviations.
    signature_threshold : float, default 1.0
        Threshold of the five-day persistence view (``signature_5d``).
    """

    horizon: int = 5
    window: int = 60
    burn_in: int = 250
    lam: float = DEFAULT_LAM
    corr_min_obs: int = 20
    weights: tuple[float, ...] = DEFAULT_WEIGHTS
    half_life: float = DEFAULT_HALF_LIFE
    thresholds: tuple[float, float] = field(default=DEFAULT_THRESHOLDS)
    exit_band: tuple[float, float] = field(default=DEFAULT_EXIT_BAND)
    require: tuple[str, ...] = (RATES, DOLLAR, EQUITY_VOL)
    min_inputs: int = 1
    stale_after: tuple[tuple[str, int], ...] = ()
    signature_window: int = DEFAULT_SCALE_WINDOW
    signature_lookback: int = DEFAULT_LOOKBACK
    signature_leg: float = DEFAULT_LEG
    signature_notable: float = DEFAULT_NOTABLE
    signature_threshold: float = DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        for name in ("horizon", "window", "burn_in", "corr_min_obs", "min_inputs",
                     "signature_window", "signature_lookback"):
            v = getattr(self, name)
            if not (is_int(v) and v >= 1):
                raise ConfigError(f"{name} must be a positive int; got {v!r}")
        if self.window < 4 or self.signature_window < 4:
            raise ConfigError(f"window and signature_window must be at least 4 rows; got "
                              f"{self.window} and {self.signature_window}")
        if not (is_real(self.lam) and 0.0 < float(self.lam) < 1.0):
            raise ConfigError(f"lam (the EWMA decay) must lie in (0, 1), e.g. 0.9856; got "
                              f"{self.lam!r}")
        if not (is_real(self.half_life) and self.half_life > 0):
            raise ConfigError(f"half_life must be a positive number of observations (or inf); "
                              f"got {self.half_life!r}")
        for name in ("signature_threshold", "signature_leg", "signature_notable"):
            v = getattr(self, name)
            if not (is_real(v) and v > 0):
                raise ConfigError(f"{name} must be a positive number; got {v!r}")
        for name in ("horizon", "window", "burn_in", "corr_min_obs", "min_inputs",
                     "signature_window", "signature_lookback", "lam", "half_life",
                     "signature_threshold", "signature_leg", "signature_notable"):
            object.__setattr__(self, name, plain(getattr(self, name)))   # NumPy's as Python's
        object.__setattr__(self, "thresholds", check_thresholds(self.thresholds))
        object.__setattr__(self, "exit_band", check_exit_band(self.exit_band, self.thresholds))
        try:
            w = tuple(float(v) for v in self.weights)
        except (TypeError, ValueError):
            w = ()
        # NaN and inf passed min(w) < 0: an all-NaN index whose latest() still read "elevated"
        if (len(w) != len(SUBINDEX_COLUMNS) or not all(math.isfinite(v) and v >= 0 for v in w)
                or sum(w) <= 0):
            raise ConfigError(f"weights must be {len(SUBINDEX_COLUMNS)} finite non-negative "
                              f"numbers for {', '.join(SUBINDEX_COLUMNS)}, e.g. "
                              f"{DEFAULT_WEIGHTS}; got "
                              f"{self.weights!r}")
        object.__setattr__(self, "weights", w)
        bad = [r for r in self.require if r not in SUBINDEX_COLUMNS]
        if bad:
            raise ConfigError(f"unknown sub-index {bad[0]!r} in require; choose from: "
                              f"{', '.join(SUBINDEX_COLUMNS)}")
        object.__setattr__(self, "require", tuple(self.require))
        raw = self.stale_after
        try:
            items = raw.items() if isinstance(raw, Mapping) else raw
            pairs = tuple((str(k), int(v)) for k, v in items)
        except (TypeError, ValueError):
            raise ConfigError(f"stale_after must be pairs (input, days), e.g. "
                              f"(('usd_broad', 13),); got {self.stale_after!r}") from None
        unknown = [k for k, _ in pairs if k not in STRESS_ASSETS]
        if unknown:
            raise ConfigError(f"unknown input {unknown[0]!r} in stale_after; choose from: "
                              f"{', '.join(STRESS_ASSETS)}")
        object.__setattr__(self, "stale_after", pairs)

    def fit(self, changes: pd.DataFrame, levels: pd.DataFrame | None = None) -> StressResult:
        """Compute signals, signature, index, percentile and regime of every date.

        Parameters
        ----------
        changes : DataFrame
            Panel of daily changes (needs at least ``ust10y_bp``).
        levels : DataFrame, optional
            Panel of levels: observation dates of daily inputs, and the VIX, MOVE, spreads,
            term premium and prices; reindexed onto ``changes``.

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
        panel = InputPanel(changes, levels, STRESS_ASSETS, dict(self.stale_after))
        own = compute_own_signals(panel, horizon=self.horizon, window=self.window)
        signals = own.on_calendar(panel)
        ecdf, counts = self._ranks(panel, own)
        sub = self._subindices(ecdf, counts)
        s = sub.to_numpy(dtype=float)
        base = np.asarray(self.weights, dtype=float)
        rho = ewma_correlations(s, lam=self.lam, min_obs=self.corr_min_obs)
        published = panel.printed(ANCHOR)
        for name in self.require:
            published &= ~np.isnan(s[:, SUBINDEX_COLUMNS.index(name)])
        level = np.where(published, _aggregate(s, base, rho), np.nan)
        pct = consistent_percentile(s, base, rho, published, half_life=float(self.half_life),
                                    min_obs=self.burn_in)
        longrun = pct if np.isinf(self.half_life) else consistent_percentile(
            s, base, rho, published, half_life=float("inf"), min_obs=self.burn_in)
        idx = panel.calendar
        pct_s = pd.Series(pct, index=idx)
        long_s = pd.Series(longrun, index=idx)
        states = panel.states()
        def text(values: np.ndarray) -> pd.Series:
            return pd.Series(values, index=idx, dtype=object)

        head = pd.DataFrame({
            STRESS: pd.Series(level, index=idx), PERCENTILE: pct_s, PERCENTILE_LONGRUN: long_s,
            REGIME: text(hold_regimes(pct_s, self.thresholds, long_s, self.exit_band
                                      ).to_numpy(dtype=object)),
            SIGNATURE: text(self._day_signature(panel)),
            SIGNATURE_5D: text(self._five_day_signature(panel, signals)),
            STALE_INPUTS: text(_stale_lists(states)),
        }, index=idx)
        frame = pd.concat([head, sub, signals], axis=1)[list(FRAME_COLUMNS)]
        frame.index.name = "date"
        # rows before the first 10-year yield report carry nothing the monitor reads
        first = panel.observed(ANCHOR)
        keep = (idx >= first[0]) if len(first) else np.zeros(len(idx), dtype=bool)
        return StressResult(spec=self, frame=frame[keep], indicators=ecdf[keep],
                            availability=states[keep],
                            last_observed=panel.last_observed_frame()[keep],
                            signal_inputs=dict(own.inputs),
                            subindex_inputs=subindex_inputs(own.inputs),
                            stale_limits={k: i.stale_after_days for k, i in panel.info.items()},
                            segment_percentiles=segment_percentiles(
                                sub, published, half_life=float(self.half_life),
                                min_obs=self.burn_in)[keep],
                            simulated=bool(changes.attrs.get("simulated", False)))

    def _ranks(self, panel: InputPanel, own: OwnSignals) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Recursive ECDF of every indicator on its own dates, carried; inputs per segment."""
        values, inputs = own.values, own.inputs
        cols, counts = {}, {}
        for group, members in INDICATORS.items():
            have: dict[str, np.ndarray] = {}
            for name, how in members:
                raw = _ORIENT[how](values[name])
                rank = panel.carry(ecdf_series(raw, min_obs=self.burn_in), inputs[name])
                cols[name] = rank
                for key in inputs[name]:
                    prev = have.get(key, np.zeros(len(panel.calendar), dtype=bool))
                    have[key] = prev | rank.notna().to_numpy()
            counts[group] = (np.sum(list(have.values()), axis=0) if have
                             else np.zeros(len(panel.calendar)))
        return (pd.DataFrame(cols, index=panel.calendar),
                pd.DataFrame(counts, index=panel.calendar))

    def _subindices(self, ecdf: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
        out = {}
        for group, members in INDICATORS.items():
            mean = ecdf[[n for n, _ in members]].mean(axis=1, skipna=True)
            out[group] = mean.where(counts[group] >= self.min_inputs)
        return pd.DataFrame(out, index=ecdf.index)[list(SUBINDEX_COLUMNS)]

    def _five_day_signature(self, panel: InputPanel, signals: pd.DataFrame) -> np.ndarray:
        """The five-day view on the days both legs report (``unavailable`` on the others).

        Each leg's five-day score is carried to the calendar: on a day the broad dollar has not
        reported (H.10 comes out on Mondays for the week before) the 10-year's five days to
        today met the dollar's to last Friday, and "sell America" showed on evenings whose
        finished row reads otherwise (2024-03-14: +20 bp against -0.84% to 03-08).
        """
        out = classify_scores(signals["ust10y_z5"].to_numpy(),
                              signals["usd_broad_z5"].to_numpy(),
                              threshold=self.signature_threshold).astype(object)
        both = panel.printed("ust10y") & panel.printed("usd_broad")
        out[~both] = Signature.UNAVAILABLE.value
        return out

    def _day_signature(self, panel: InputPanel) -> np.ndarray:
        scores = day_scores(panel.changes("ust10y"), panel.changes("usd_broad"),
                            panel.calendar, window=self.signature_window,
                            lookback=self.signature_lookback)
        return classify_day_scores(scores, lookback=self.signature_lookback,
                                   leg=self.signature_leg, notable=self.signature_notable)


def subindex_inputs(signal_inputs: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The inputs each sub-index reads (through its indicators)."""
    return {g: tuple(dict.fromkeys(k for n, _ in members for k in signal_inputs[n]))
            for g, members in INDICATORS.items()}


def _stale_lists(states: pd.DataFrame) -> np.ndarray:
    """Comma-separated names of the stale inputs of each row ('' when none)."""
    stale = (states == STALE).to_numpy()
    names = np.asarray(states.columns, dtype=object)
    code = stale @ (1 << np.arange(stale.shape[1], dtype=np.int64))
    out = np.empty(len(code), dtype=object)
    for c in np.unique(code):
        bits = [(int(c) >> i) & 1 == 1 for i in range(len(names))]
        out[code == c] = ",".join(names[bits])
    return out


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
    return naive_index(frame)   # a zone-aware index failed later, in latest() and summary()


def compute(changes: pd.DataFrame, levels: pd.DataFrame | None = None,
            **options: object) -> StressResult:
    """Compute the stress monitor on a panel: ``StressIndex(**options).fit(changes, levels)``.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes (``sw.load(..., transform="changes")``).
    levels : DataFrame, optional
        Panel of levels (observation dates, VIX, MOVE, spreads, term premium, prices).
    **options
        Parameters of :class:`StressIndex`.

    Returns
    -------
    StressResult
        ``.frame`` holds one row per date with :data:`FRAME_COLUMNS`.

    Notes
    -----
    The last :data:`KEPT` results are kept in the process by the options and the panels'
    dates, values, columns and attrs (as the scenario's fitted markets and the GARCH fits): a
    workspace opened again on the same data (the server's views after an import that moved
    no stress input, a notebook's second load) computes nothing again. A kept result is the
    same object each time: read it, do not change it.
    """
    known = {f.name for f in dataclasses.fields(StressIndex)}
    unknown = sorted(set(options) - known)
    if unknown:   # a misspelt option raised "__init__() got an unexpected keyword argument"
        raise ConfigError(f"unknown stress option(s) {', '.join(unknown)}; choose from: "
                          f"{', '.join(sorted(known))}")
    spec = StressIndex(**options)  # type: ignore[arg-type]
    if not isinstance(changes, pd.DataFrame) or not (levels is None
                                                      or isinstance(levels, pd.DataFrame)):
        return spec.fit(changes, levels)
    key = (repr(spec), fingerprint(changes), None if levels is None else fingerprint(levels))
    return _KEPT.get(key, lambda: spec.fit(changes, levels))


#: Stress results kept by :func:`compute` (the least recently asked dropped first).
KEPT = 4
_KEPT: Kept[StressResult] = Kept(KEPT)

