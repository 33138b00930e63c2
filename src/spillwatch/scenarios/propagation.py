r"""The fitted market a sell-off is simulated on: identified shock responses plus residual noise.

:func:`fit_market` estimates, from a panel of daily changes, everything the Monte Carlo draws:

The shock
    The sell-America (foreign-demand) shock identified by a sign-restricted SVAR
    (:mod:`spillwatch.scenarios.identification`). Each admissible model :math:`m` gives transfer
    kernels :math:`g^m_i` (:meth:`IdentificationResult.kernels`): when the sale moves the 10-year
    by :math:`\Delta T_t` bp on day :math:`t`, asset :math:`i` moves by
    :math:`(g^m_i * \Delta T)_t`. Every path draws one admissible model (with its importance
    weight), so the cross-asset response carries the identification's uncertainty. Kernels
    cover the impulse horizon of the SVAR (how the Monte Carlo applies them:
    :mod:`spillwatch.scenarios.simulate`). Models whose inverse 10-year response does not decay
    within that horizon (non-invertible) are left out and counted. Assets outside the VAR
    (TRUMP: about 240 days) answer through an auxiliary regression on the structural shocks over
    their own sample (:meth:`IdentificationResult.auxiliary`).
A series of the user's
    (``csv:MYFUND``) is mapped on the simulated watch-list assets, as a position is mapped on
    risk factors (RiskMetrics 1996, part III; Jorion 2007, ch. 11): its daily change is a
    regression on theirs the same day plus a residual of its own,
    :math:`y_t = c + \sum_j b_j x_{j,t} + e_t`, fitted over its days on which every regressor
    has a change (a simulated asset that lacks a change on more than a tenth of its days is
    no regressor). On a path it moves by :math:`\sum_j b_j` times their simulated moves (shock,
    noise and jumps) plus :math:`e` drawn from its own GARCH-t margin, so it answers the sale
    as the assets it co-moves with do (kernels :math:`\sum_j b_j g^m_j`), an exact copy of an
    asset follows that asset's path, and a series unrelated to them keeps its own volatility
    and about no correlation. Drawing it apart (its own regression on the structural shocks
    and noise of its own through the copula) priced $1m of a copy of the S&P 500 against $1m
    short the S&P 500 at a 99% VaR of $32,511 (japan-10pct on ../shared/data, 20,000 paths),
    where every path's P&L is 0. Without enough common days (fewer
    than :data:`~spillwatch.scenarios.identification.AUXILIARY_MIN_DAYS`) it answers through
    the auxiliary regression as TRUMP does.
Residual noise
    Margins: variance-targeting GARCH(1,1) with Student-t innovations fitted with ``arch``
    (:mod:`spillwatch.scenarios._vtgarch`); assets with fewer than ``min_garch_obs`` days get a
    constant variance. Dependence: ``"t-copula"``, a Student-t copula on the standardised
    residuals, correlation from Kendall's tau, :math:`\rho = \sin(\pi\tau/2)` (Lindskog, McNeil &
    Schmock 2003), made positive definite by eigenvalue clipping, degrees of freedom by profile
    likelihood (Demarta & McNeil 2005, eq. 2.4); or ``"fhs"``, filtered historical simulation
    resampling whole days of standardised residuals (Barone-Adesi, Giannopoulos & Vosper 1999).
Jumps
    Assets in ``jump_assets`` (crypto by default) get a compound Poisson jump (Merton 1976): days
    whose move exceeds ``jump_threshold`` robust standard deviations (MAD × 1.4826) are jumps;
    sizes are normal with their mean and sd, and the intensity is their share of days weighted
    exponentially with a half-life of :data:`JUMP_HALF_LIFE_DAYS` observations up to the last
    (the jump rate of the regime the paths start in: a constant rate over the whole sample put
    2018's twelve BTC jumps a year into 2025's none). Over 42 windows of 20 days from 2019 to
    2025 with a negligible sale, the realised volatility of BTC and ETH inside each window
    was 0.77 and 0.84 of the standard deviation the model's 90% band implies with the constant
    rate, 0.81 and 0.87 with the weighted one (their medians' drift from the jumps'
    compensation +1.11% and +2.02% over 20 days, now +0.88% and +1.79%); the rest of the gap
    is the margins' (their variance targets the whole sample's). The GARCH margin is fitted
    on the other days.

Reproducibility
    Optimisers (arch's SLSQP) and batched linear algebra give results that differ in the last
    bits with the number of BLAS threads; the fit therefore runs with one BLAS thread
    (``threadpoolctl``), so the same data give the same bytes in every process and on every
    Dask worker. The Monte Carlo chunks use no BLAS.
Sample and state (nothing is cut silently; all of it is in :attr:`FittedMarket.info`)
    Each asset's last date is compared with the newest date of the book: past its staleness
    limit (:mod:`spillwatch.timing`) it is listed as stale and keeps the state of its own last
    date. The state (GARCH variances) of the others is **as of** the last date on which every
    asset that is not stale reports; observations after it are not used and counted per
    asset. The SVAR's sample is its own joint window (see its ``info``), capped at the as-of
    date.

References
----------
Barone-Adesi, G., Giannopoulos, K. and Vosper, L. (1999), "VaR without correlations for portfolios
of derivative securities", *Journal of Futures Markets* 19(5), 583–602.
Demarta, S. and McNeil, A. J. (2005), "The t copula and related copulas", *International
Statistical Review* 73(1), 111–129.
Lindskog, F., McNeil, A. and Schmock, U. (2003), "Kendall's tau for elliptical distributions", in
*Credit Risk*, Physica, 149–156.
Jorion, P. (2007), *Value at Risk: The New Benchmark for Managing Financial Risk*, 3rd ed.,
McGraw-Hill, chapter 11 (VaR mapping).
J.P. Morgan/Reuters (1996), *RiskMetrics — Technical Document*, 4th ed., part III (mapping
positions onto risk factors).
Merton, R. C. (1976), "Option pricing when underlying stock returns are discontinuous", *Journal of
Financial Economics* 3, 125–144.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch._changes import merge_incomplete_rows, still_run
from spillwatch._compat.blas import one_blas_thread
from spillwatch._validation import as_date, fmt_date, naive_index
from spillwatch.exceptions import DataError, ScenarioError
from spillwatch.scenarios._market import (
    FittedMarket,
    copula_nu,
    kendall_corr,
    moves_over,
    nearest_corr,
    running_level,
    series_state,
)
from spillwatch.scenarios._vtgarch import MarginFit, fit_margin
from spillwatch.scenarios.identification import (
    AUXILIARY_MIN_DAYS,
    DEFAULT_SHOCKS,
    DEFAULT_VARIABLES,
    MIN_JOINT_DAYS,
    IdentificationResult,
    SignRestrictedSVAR,
)
from spillwatch.scenarios.portfolio import TENOR_YEARS

logger = logging.getLogger(__name__)

Method = Literal["t-copula", "fhs"]
METHODS: tuple[str, ...] = ("t-copula", "fhs")
_REMOVED = {
    "var": "method='var' (co-movement through generalised impulse responses) was replaced by "
           "the identified sell-America shock, which every method now uses; choose 't-copula' "
           "or 'fhs' for the residual noise",
}

#: Assets simulated by default (those the panel has are kept).
DEFAULT_ASSETS: tuple[str, ...] = ("ust2y", "ust5y", "ust10y", "ust30y", "usd_broad", "usdjpy",
                                   "gold", "spx", "btc", "eth", "trump")
_CACHE: dict[tuple[Any, ...], FittedMarket] = {}
_CACHE_MAX = 16



class YieldLevels:
    """Yield levels carried in a changes panel's ``attrs["levels"]``.

    pandas compares the ``attrs`` of the frames it concatenates and deep-copies them on every
    operation: a DataFrame there made ``pd.concat`` raise "the truth value of a DataFrame is
    ambiguous" (``sw.scenario.run_preset(name, store)`` failed) and would be copied each time.
    This holder compares by identity and copies to itself; treat its frame as read-only.
    """

    __slots__ = ("frame",)

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __deepcopy__(self, memo: dict[int, Any]) -> YieldLevels:
        return self

    def __copy__(self) -> YieldLevels:
        return self

def _fingerprint(panel: pd.DataFrame) -> tuple[Any, ...]:
    h = pd.util.hash_pandas_object(panel, index=True).to_numpy()
    return (tuple(panel.columns), panel.shape, int(h.sum(dtype=np.uint64)))


def _check_options(method: str, regime: str) -> None:
    if method in _REMOVED:
        raise ScenarioError(_REMOVED[method])
    if method not in METHODS:
        raise ScenarioError(f"unknown method {method!r}; choose one of: "
                            f"{', '.join(map(repr, METHODS))}")
    if regime == "sell_america":
        raise ScenarioError("regime='sell_america' (betas from 'sell America' days) was replaced "
                            "by the identified sell-America shock, which every run now uses; "
                            "drop the option")
    if regime != "all":
        raise ScenarioError(f"unknown regime {regime!r}; only 'all' remains (the noise is fitted "
                            "on all days, the shock is identified)")


#: Lags the SVAR may take (its residuals start that many days into the sample).
SVAR_MAX_LAGS = 5
#: The assets whose signs identify the default shocks (never left out of the market).
RESTRICTED: frozenset[str] = frozenset(k for sh in DEFAULT_SHOCKS for k in sh.required())


def too_short(panel: pd.DataFrame, keys: Sequence[str], start: object) -> dict[str, int]:
    """The assets of ``keys`` with too little history to answer the shock, with their days.

    Days of each asset's changes from ``start`` to the SVAR sample's end (its variables'
    earliest last date: the dollar, published a week late), against the auxiliary
    regression's :data:`AUXILIARY_MIN_DAYS` plus the VAR's lags. The 10-year never is.
    Counted to the data's end, bitcoin passed on 2018-02-13 and the regression stopped on 27.
    """
    last = {k: panel[universe.column(k)].last_valid_index() for k in DEFAULT_VARIABLES
            if universe.column(k) in panel.columns}
    last = {k: e for k, e in last.items() if e is not None}
    end = min(last.values(), default=None)
    # a series of the user's too (``csv:MYFUND``): a fund that began after the sample's end
    # stopped the scenario on the auxiliary regression's "'csv_fund_pct' overlaps the SVAR
    # sample on 0 days", with no book line and no way out
    own = panel.attrs.get("assets")
    cols = {k: universe.resolve(k, own).change_column for k in keys
            if (k in DEFAULT_ASSETS and k != "ust10y") or (own and k in own)}
    days = {k: int(panel[c].loc[pd.Timestamp(str(start)):end].notna().sum())
            for k, c in cols.items() if c in panel.columns}
    need = AUXILIARY_MIN_DAYS + SVAR_MAX_LAGS
    short = {k: n for k, n in days.items() if n < need}
    for k in short:
        if k in RESTRICTED:
            # it cannot be left out: the shock is identified by its sign (on 124 days of
            # data the scenario said "the SVAR needs 'spx_pct'; load asset 'spx'")
            have = panel[universe.column(k)].loc[pd.Timestamp(str(start)):end].dropna()
            when = (f" ({have.index[0]:%Y-%m-%d} to {have.index[-1]:%Y-%m-%d})"
                    if len(have) else "")
            # the sample's end when another variable's last date cuts it (90 days of data
            # read "the data hold 1": gold's last print, 2025-10-03, ended the sample)
            own = panel[universe.column(k)].last_valid_index()
            if end is not None and own is not None and own > end:
                by = ", ".join(sorted(v for v, e in last.items() if e == end))
                when += (f", up to the SVAR sample's end {end:%Y-%m-%d}, the last date of "
                         f"{by} (it holds {k} to {own:%Y-%m-%d})")
            raise DataError(f"the scenario's shock is identified by the sign of {k}'s "
                            f"response, which needs {need} days of its changes; the data hold "
                            f"{short[k]}{when}: import a longer history (or give a later "
                            "--as-of)", asset=k)
    return short


def fit_market(panel: pd.DataFrame, *, method: Method = "t-copula", regime: str = "all",
               assets: Sequence[str] | None = None, start: object = "2018-01-01",
               identification: SignRestrictedSVAR | IdentificationResult | None = None,
               jump_assets: Sequence[str] = ("btc", "eth", "trump"),
               jump_threshold: float = 4.0, min_garch_obs: int = 500,
               levels: pd.DataFrame | None = None) -> FittedMarket:
    """Fit the market the Monte Carlo draws from (cached per panel and options).

    Parameters
    ----------
    panel : DataFrame
        Daily changes as :func:`spillwatch.load` returns them; must hold the SVAR's restricted
        variables (10-year and 2/30-year yields, broad dollar, S&P 500).
    method : {"t-copula", "fhs"}
        Residual noise.
    regime : {"all"}
        Kept for compatibility; ``"sell_america"`` was replaced by the identified shock.
    assets : sequence of str, optional
        The book: asset keys simulated; default :data:`DEFAULT_ASSETS` present in the panel.
    start : date-like, default "2018-01-01"
        First date of every estimation sample.
    identification : SignRestrictedSVAR or IdentificationResult, optional
        The SVAR spec (fitted here) or an already fitted identification; default
        ``SignRestrictedSVAR(start=start)``.
    jump_assets, jump_threshold, min_garch_obs
        See the module docstring.
    levels : DataFrame, optional
        Yield levels in percent (``ust10y_pct`` ...; default ``panel.attrs["levels"]``, which
        :func:`~spillwatch.scenarios.inputs.market_inputs` sets): each Treasury of a book is
        a par bond at its yield on the as-of date (``info["start_yields_pct"]``). Without
        them a tenor keeps :data:`~spillwatch.scenarios.portfolio.PAR_COUPON` (4.25%), and the
        result says it was assumed.

    Returns
    -------
    FittedMarket

    Raises
    ------
    ScenarioError
        Unknown method, option or asset.
    DataError
        The panel lacks a needed column, or too few days.
    """
    _check_options(method, regime)
    # a zone-aware start raised pandas' "Both dates must have the same UTC offset", one that
    # is no date its DateParseError: its own wall-clock day
    start = None if start is None else fmt_date(as_date(start, "start"))
    if not isinstance(panel, pd.DataFrame):
        raise DataError(f"panel must be a DataFrame of daily changes; got {type(panel).__name__}")
    # a duplicated, unsorted or non-date index, or a column twice, failed deep inside the fit
    # (InvalidIndexError, "int() argument ... 'Series'", "'Day' has no attribute 'days'")
    if not isinstance(panel.index, pd.DatetimeIndex):
        raise DataError(f"panel must be indexed by dates (a DatetimeIndex); got "
                        f"{type(panel.index).__name__}")
    if not panel.index.is_monotonic_increasing or panel.index.has_duplicates:
        raise DataError("panel must be indexed by unique dates in increasing order; sort it with "
                        "panel.sort_index() and drop duplicate dates")
    if panel.columns.has_duplicates:
        dup = sorted({str(c) for c in panel.columns[panel.columns.duplicated()]})
        raise DataError(f"panel has the column(s) {', '.join(dup)} more than once")
    panel = naive_index(panel)                  # a zone-aware index: its own days
    extra = panel.attrs.get("assets") or {}
    if assets is None:
        keys = [a for a in DEFAULT_ASSETS if universe.column(a) in panel.columns]
        keys += [k for k, a in extra.items() if a.change_column in panel.columns]
    else:
        keys = list(dict.fromkeys(assets))
        for a in keys:
            if a not in universe.ASSETS and a not in extra:
                raise ScenarioError(f"unknown asset {a!r}; choose among: "
                                    f"{', '.join(DEFAULT_ASSETS)}", asset=a)
            col = universe.resolve(a, extra).change_column
            if col not in panel.columns:
                raise DataError(f"the panel has no column {col!r} for asset "
                                f"{a!r}; load it (assets=[..., {a!r}]) or drop it", asset=a)
    if universe.column("ust10y") not in panel.columns:
        raise DataError("fitting the scenario model needs 'ust10y_bp'; load asset 'ust10y'",
                        asset="ust10y")
    # a default asset with too little history by then (TRUMP in early 2025, bitcoin in the
    # first weeks of 2018) is left out and named in ``info["too_short"]``, as the service
    # does: `run_preset(name, panel.loc[:"2025-04-15"])` stopped on TRUMP's 60 days
    short = too_short(panel, keys, start) if assets is None else {}
    keys = [k for k in keys if k not in short]
    if "ust10y" not in keys:
        keys.insert(0, "ust10y")
    # an identification object is keyed by its id(): the cached FittedMarket holds it (its
    # ``identification``), so no other object takes that id while the entry stands
    ident_key: Any = (repr(identification) if not isinstance(identification,
                                                              IdentificationResult)
                      else id(identification))
    key = (_fingerprint(panel), method, tuple(keys), str(start), ident_key, tuple(jump_assets),
           jump_threshold, min_garch_obs)
    fitted = _CACHE.get(key)
    if fitted is None:
        with one_blas_thread():      # reproducible bit for bit
            fitted = _fit(panel, keys, method, start, identification, jump_assets,
                          jump_threshold, min_garch_obs)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = fitted
    if short:
        fitted = dataclasses.replace(fitted, info={**fitted.info, "too_short": short})
    levels = panel.attrs.get("levels") if levels is None else levels
    if isinstance(levels, YieldLevels):
        levels = levels.frame
    if levels is None:
        return fitted
    start_yields = start_yields_pct(levels, fitted.assets, fitted.info.get("as_of"))
    return dataclasses.replace(fitted, info={**fitted.info, "start_yields_pct": start_yields})


#: Half-life (observations) of the weights of a crypto asset's jump intensity: about a year.
JUMP_HALF_LIFE_DAYS = 250


def jump_intensity(is_jump: np.ndarray, half_life: float = JUMP_HALF_LIFE_DAYS) -> float:
    """The share of jump days, weighted exponentially toward the last (module docstring).

    ``is_jump`` flags each observation in time order; the weight of the observation ``j``
    days before the last is :math:`2^{-j/h}` for the half-life :math:`h` (the exponentially
    weighted mean of RiskMetrics, J.P. Morgan/Reuters 1996, applied to the jump indicator).

    >>> jump_intensity(np.array([True] * 2 + [False] * 998), half_life=250.0) < 0.001
    True
    """
    flags = np.asarray(is_jump, dtype=np.float64)
    w = np.exp2(-np.arange(len(flags))[::-1] / float(half_life))
    return float((w * flags).sum() / w.sum())


def start_yields_pct(levels: pd.DataFrame, assets: Sequence[str], as_of: object
                     ) -> dict[str, float]:
    """Each Treasury tenor's yield (%) on ``as_of`` (its last value by then) from ``levels``."""
    out: dict[str, float] = {}
    for a in assets:
        col = f"{a}_pct"
        if a not in TENOR_YEARS or col not in levels.columns:
            continue
        s = levels[col].loc[:pd.Timestamp(as_of)] if as_of else levels[col]  # type: ignore[misc]
        s = s.dropna()
        if len(s):
            out[a] = float(s.iloc[-1])
    return out




__all__ = ["DEFAULT_ASSETS", "METHODS", "FittedMarket", "fit_market"]


def _identify(panel: pd.DataFrame, spec: SignRestrictedSVAR | IdentificationResult | None,
              start: object, as_of: pd.Timestamp) -> IdentificationResult:
    if isinstance(spec, IdentificationResult):
        return spec
    if spec is None:
        spec = SignRestrictedSVAR(start=start, end=as_of)
    elif not isinstance(spec, SignRestrictedSVAR):
        raise ScenarioError(f"identification must be a SignRestrictedSVAR or an "
                            f"IdentificationResult; got {type(spec).__name__}")
    return spec.fit(panel)


def _column(panel: pd.DataFrame, key: str) -> str:
    """The change column of ``key`` (a watch-list asset or a series of the user's)."""
    return universe.resolve(key, panel.attrs.get("assets")).change_column


def _kernels(ident: IdentificationResult, keys: list[str], data: pd.DataFrame,
             mapping: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    """Per-model kernels of the book's assets over the impulse horizon (module docstring).

    A row of ``mapping`` that is not zero (a series of the user's, :func:`own_mapping`) makes
    that asset's kernel the combination of the others' with its coefficients.
    """
    g_svar = ident.kernels()                                             # (M, H+1, n)
    phi = ident.inverse_10y()                                            # (M, H+1)
    m_count, length, _ = g_svar.shape
    g = np.zeros((m_count, length, len(keys)))
    aux: dict[str, Any] = {}
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([ident.spec.seed, 3])))
    mapped = ([] if mapping is None
              else [int(j) for j in np.flatnonzero(np.abs(mapping).sum(axis=1))])
    for i, k in enumerate(keys):
        if i in mapped:
            continue
        if k in ident.variables:
            g[:, :, i] = g_svar[:, :, ident.index(k)]
        else:
            fit = ident.auxiliary(data[_column(data, k)], rng)
            g[:, :, i] = fit.pop("impact")[:, None] * phi
            aux[k] = fit
    for j in mapped:            # in order: a series may be mapped on one before it
        assert mapping is not None
        g[:, :, j] = g @ mapping[j]
    # invertible models only: the inverse of the 10-year response must die out
    decays = np.abs(phi[:, -1]) <= 1e-3 * np.abs(phi[:, 0])
    w = ident.posterior.weights * decays
    tail = np.abs(g[:, -1]).max(axis=1) / np.maximum(np.abs(g).sum(axis=1).max(axis=1), 1e-300)
    kern = g
    keep = np.flatnonzero(w > 0)
    info = {"kernel_lags": length, "kernel_last_lag_share": float(np.median(tail)),
            "non_invertible_models": int((~decays).sum()), "auxiliary": aux}
    return (kern[keep], w[keep] / w[keep].sum(), phi[keep, 0], info)


#: Windows (business days) over which the fit records the 10-year's largest rise.
RISE_WINDOWS: tuple[int, ...] = (5, 10, 20, 40, 60, 120, 250, 500, 1000)


def max_rises(changes_bp: pd.Series) -> dict[str, float]:
    """The largest rise of a yield over each of :data:`RISE_WINDOWS` rows, in bp.

    From the daily changes of the fitting sample: the highest level minus the lowest level of
    the preceding ``w`` rows (a scenario beyond it extrapolates the daily responses).
    """
    level = running_level(changes_bp)
    return {str(w): moves_over(level, w)[1] for w in RISE_WINDOWS}


def business_days(changes: pd.Series) -> pd.Series:
    """An asset's own changes on the business days it moved, a weekend's in the next one.

    The days of the data's largest moves, as the simulation counts its days: the asset's own
    rows (not the joint sample's, which merge a yield's days on which another series is
    blank), with a coin's Saturday and Sunday changes summed into its Monday, so that "over
    23 days" is 23 business days for a yield and a coin alike. The service's panels are on
    the US business calendar already (a coin's weekend and US-holiday closes are in the next
    business day's change); a panel with weekend rows of its own is rolled here.
    """
    have = changes.dropna()
    if not len(have):
        return have
    day = pd.DatetimeIndex(have.index) + pd.offsets.BDay(0)
    return have.groupby(day).sum()


def _span(changes: pd.Series) -> tuple[str, str]:
    """First and last date with a change."""
    have = changes.dropna().index
    return str(have[0].date()), str(have[-1].date())


def max_moves(changes: pd.Series) -> dict[str, list[float]]:
    """The largest fall and rise of a series over each of :data:`RISE_WINDOWS` rows.

    In the series' own change unit (bp, or log change in percent), both as magnitudes:
    ``{window: [largest fall, largest rise]}`` from the running level of the fitting sample
    (highest level minus the lowest of the preceding ``w`` rows, and the reverse). Rows
    without a change count as none.
    """
    level = running_level(changes)
    return {str(w): list(moves_over(level, w)) for w in RISE_WINDOWS}


#: Days without a move at the end of a series after which it is a frozen feed to a scenario.
FROZEN_DAYS = 20


def _refuse_frozen(own: pd.DataFrame) -> None:
    """Refuse a series whose last :data:`FROZEN_DAYS` changes are all exactly zero.

    Its GARCH volatility collapses to nothing and the simulation's draws divide by it (the
    scenario stopped on numpy's "no negative elements" with a traceback).

    Raises
    ------
    ScenarioError
    """
    for c in own.columns:
        n, moved = still_run(own[c])
        if n < FROZEN_DAYS:
            continue
        since = moved if moved is not None else own[c].first_valid_index()
        raise ScenarioError(f"{c} has not moved since {since:%Y-%m-%d} (its last "
                            f"{n} changes are 0): a frozen feed "
                            "(or a pegged rate); "
                            "the scenario's volatility of it would be zero. Fix its data, or "
                            f"give --as-of {since:%Y-%m-%d}", series_id=c)


#: A daily change no market makes: a yield 10 percentage points, a price a thousandfold up or
#: down (a log change of 100 ln 1000 = 690.8%). The shared data's largest are 106 bp (the
#: 1-month bill, 2023-05-04) and 77% (the VIX, 2018-02-05).
IMPOSSIBLE_BP = 1_000.0
IMPOSSIBLE_LOG_PCT = 100.0 * float(np.log(1000.0))


def _refuse_impossible(own: pd.DataFrame) -> None:
    """Refuse a daily change beyond :data:`IMPOSSIBLE_BP` / :data:`IMPOSSIBLE_LOG_PCT`.

    One 1e6 in gold's changes (a typo, a level read as a change) widened its simulated fan to
    infinite quantiles and overlapping probabilities without a word.

    Raises
    ------
    DataError
    """
    for c in own.columns:
        if c.endswith("_bp"):
            limit, unit = IMPOSSIBLE_BP, " bp"
        elif c.endswith("_pct"):
            limit, unit = IMPOSSIBLE_LOG_PCT, "%"
        else:       # a series of the user's in its own unit (shares, points): no such limit
            continue
        s = own[c].dropna()
        big = s[s.abs() > limit]
        if len(big):
            raise DataError(f"{c} changes by {big.iloc[0]:+.8g}{unit} on "
                            f"{big.index[0]:%Y-%m-%d}, beyond any market's daily move (at most "
                            f"{limit:,.1f}{unit}); check that value (a level or another unit "
                            "read as a change?)", series_id=c, date=f"{big.index[0]:%Y-%m-%d}")


def _fill_sparse(pool: pd.DataFrame, complete: Sequence[str], holes: Sequence[str],
                 sparse: Sequence[str]) -> pd.DataFrame:
    """Fill the FHS pool's missing residuals, keeping each asset's dependence on the others.

    FHS resamples whole days so that a day's moves keep their dependence. A sparse asset (TRUMP,
    crypto before 2021, a short series of the user's) has residuals on few of the pool's days,
    and a core asset with jumps (BTC, ETH) none on its jump days (the jump is drawn apart).
    A missing day gets the asset's regression on the other assets that day plus one of that
    regression's own residuals drawn at random: first on every other core asset and the sparse
    ones filled before it (BTC's jump day is read beside ETH's residual of the day), then, on
    days one of those lacks too, on the assets that never lack one. Filled with its own
    residuals alone, TRUMP's correlation with BTC in the pool read 0.07 where the t copula
    reads 0.64 and the data's daily changes 0.57; filled on the non-crypto assets alone, BTC's
    jump days cut its pool correlation with ETH from 0.79 to 0.77 (0.82 under the t copula).
    Too few common days for a regression: its own residuals.

    Parameters
    ----------
    pool : DataFrame
        Standardised residuals, one column per asset (filled in place and returned).
    complete : sequence of str
        The columns with a residual on every day.
    holes : sequence of str
        Core columns missing a few days (crypto's jump days).
    sparse : sequence of str
        Columns with residuals on few days (filled after the holes).
    """
    rng = np.random.default_rng(0)
    filled: list[str] = []
    for c in [*holes, *sparse]:
        have = pool[c].to_numpy(dtype=float)
        miss = np.isnan(have)
        if not miss.any():
            filled.append(c)
            continue
        wide = [k for k in (*complete, *holes) if k != c] + [k for k in filled if k in sparse]
        for preds in (wide, [*complete, *filled]):
            todo = np.isnan(pool[c].to_numpy(dtype=float))
            x = pool[preds].to_numpy(dtype=float)
            ok = np.isfinite(x).all(axis=1)
            fit = ~miss & ok
            if not preds or not (todo & ok).any() or int(fit.sum()) <= 2 * len(preds) + 20:
                continue
            b, *_ = np.linalg.lstsq(x[fit], have[fit], rcond=None)
            resid = have[fit] - x[fit] @ b
            rows = todo & ok
            pool.loc[rows, c] = x[rows] @ b + resid[rng.integers(0, len(resid),
                                                                 int(rows.sum()))]
        left = np.isnan(pool[c].to_numpy(dtype=float))
        own = have[~miss]
        if left.any() and len(own):
            pool.loc[left, c] = own[rng.integers(0, len(own), int(left.sum()))]
        filled.append(c)
    return pool


#: Share of a series' days on which a simulated asset must have a change to be one of its
#: regressors (:func:`own_mapping`): TRUMP, some 240 days, is none of a fund's since 2014.
MAPPING_COVERAGE = 0.9
#: A residual whose standard deviation is below this share of the series' is rounding: the
#: series is a combination of the simulated assets (a copy of one), with no noise of its own.
EXACT_RESIDUAL = 1e-9


def own_mapping(changes: pd.DataFrame, keys: Sequence[str], columns: Sequence[str],
                own: Sequence[str], frames: dict[str, pd.DataFrame] | None = None
                ) -> tuple[np.ndarray, dict[str, pd.Series], dict[str, Any]]:
    """Each series of the user's regressed on the simulated watch-list assets (module docstring).

    Ordinary least squares with a constant of the series' daily change on the others' changes
    the same day, over its days on which each regressor has one; the regressors are the
    assets of ``keys`` outside ``own`` with a change on at least :data:`MAPPING_COVERAGE` of
    the series' days, and the series of the user's before it in ``own`` (a second copy of a
    fund is the first one's exactly, not a draw of its own beside it).

    Parameters
    ----------
    changes : DataFrame
        The fit's daily changes (the joint sample's merged rows), one column per asset.
    keys, columns : sequence of str
        The market's assets and their change columns, in order.
    own : sequence of str
        The keys of the user's series.
    frames : dict of DataFrame, optional
        A series' own changes frame in place of ``changes`` (its days merged on the others' and
        its own: a fund's holiday joins its next day for every regressor as well).

    Returns
    -------
    mapping : ndarray, shape (k, k)
        Row ``i`` holds series ``i``'s coefficients on the assets of the columns; rows of
        assets not mapped (the watch list's, a series with fewer than
        :data:`~spillwatch.scenarios.identification.AUXILIARY_MIN_DAYS` common days) are zero.
    residuals : dict of Series
        Each mapped series' residuals on the regression's days (what its margin is fitted on).
    info : dict
        Per mapped series: ``betas`` (by asset), ``r2``, ``nobs``, ``start``, ``end``.

    >>> idx = pd.bdate_range("2020-01-01", periods=300)
    >>> x = pd.Series(np.random.default_rng(0).standard_normal(300), index=idx)
    >>> frame = pd.DataFrame({"spx_pct": x, "csv_copy_pct": 2.0 * x})
    >>> m, _, info = own_mapping(frame, ["spx", "csv:COPY"], list(frame.columns), ["csv:COPY"])
    >>> round(float(m[1, 0]), 12), round(info["csv:COPY"]["r2"], 12)
    (2.0, 1.0)
    """
    k = len(keys)
    mapping = np.zeros((k, k))
    residuals: dict[str, pd.Series] = {}
    info: dict[str, Any] = {}
    named = [i for i, key in enumerate(keys) if key not in own]
    for key in own:
        i = list(keys).index(key)
        if i in named:
            continue
        data = (frames or {}).get(key, changes)
        y = data[columns[i]].dropna()
        if not len(y) or not named:
            continue
        x_all = data.loc[y.index, [columns[j] for j in named]]
        cover = x_all.notna().mean().to_numpy()
        regs = [j for j, c in zip(named, cover, strict=True) if c >= MAPPING_COVERAGE]
        x = data.loc[y.index, [columns[j] for j in regs]].dropna()
        if not regs or len(x) < AUXILIARY_MIN_DAYS:
            continue
        yv = y.loc[x.index].to_numpy(dtype=float)
        z = np.column_stack([np.ones(len(x)), x.to_numpy(dtype=float)])
        coef, *_ = np.linalg.lstsq(z, yv, rcond=None)
        resid = yv - z @ coef
        mapping[i, regs] = coef[1:]
        residuals[key] = pd.Series(resid, index=x.index)
        total = float(((yv - yv.mean()) ** 2).sum())
        info[key] = {"betas": {keys[j]: float(b) for j, b in zip(regs, coef[1:], strict=True)},
                     "r2": 1.0 - float((resid**2).sum()) / total if total > 0 else 0.0,
                     "nobs": len(x), "start": fmt_date(x.index[0]), "end": fmt_date(x.index[-1])}
        named.append(i)                 # a regressor of the series after it
    return mapping, residuals, info


def _residual_margin(resid: np.ndarray, scale: float, constant: bool) -> MarginFit:
    """The margin of a mapped series' residual; none but a floor when it is rounding."""
    if float(np.std(resid)) > EXACT_RESIDUAL * scale:
        return fit_margin(resid, constant=constant)
    floor = (EXACT_RESIDUAL * scale) ** 2
    return MarginFit(0.0, 0.0, 200.0, floor, floor, np.zeros(len(resid)),
                     "none (a combination of the simulated assets)", floor)


def _fit(panel: pd.DataFrame, keys: list[str], method: str, start: object,
         identification: SignRestrictedSVAR | IdentificationResult | None,
         jump_assets: Sequence[str], jump_threshold: float, min_garch_obs: int
         ) -> FittedMarket:
    cols = [_column(panel, a) for a in keys]
    joint_end, series = series_state(panel, keys, start)
    # the joint sample (dependence, identified shock) ends on the last date every fresh asset
    # reports; each margin's volatility state runs to its own last date (a dollar published
    # the Monday after its week does not hold back a 10-year published the same evening)
    own = panel[cols].loc[pd.Timestamp(start):]  # type: ignore[misc]
    _refuse_frozen(own)
    _refuse_impossible(own)
    head = own.loc[:joint_end]
    fresh = [pd.Timestamp(v["last_date"]) for v in series.values() if not v["stale"]]
    as_of = max(fresh) if fresh else joint_end
    ident = _identify(panel, identification, start, joint_end)
    counts = head.notna().sum()
    sparse = [c for c in cols if counts[c] < min_garch_obs]
    extra = panel.attrs.get("assets") or {}
    users = [a for a in keys if a in extra and a not in universe.ASSETS]    # in keys' order
    # a series of the user's is mapped on the others (:func:`own_mapping`): it stays out of
    # the joint sample, as a sparse asset does, so that a fund starting in 2022 leaves the
    # named assets' dependence as without it (it cut their sample from 1,925 days to 936 and
    # moved BTC's 99th percentile from 133.1% to 128.0%)
    apart = [cols[keys.index(a)] for a in users]
    core = [c for c in cols if c not in sparse and c not in apart]
    if not core:
        # it said "needs at least 250 days on which all of  have a change; got 0"
        most = counts[[c for c in cols if c not in apart] or cols].idxmax()
        raise DataError(f"the scenario model fits the dependence on the assets with at least "
                        f"{min_garch_obs} days of changes; none has that many (the most: "
                        f"{most}, {int(counts[most])} days to {pd.Timestamp(joint_end):%Y-%m-%d})"
                        ": import a longer history", series_id=str(most))
    # a day one market missed (a US holiday on which gold and crypto print) joins the next
    # day every core asset has, so each row's changes span the same time: dropping it lost
    # crypto's holiday-Monday move and paired its Tuesday move with the yields' two-day one.
    # The sparse assets' changes are summed over the same spans.
    # Merged on the history before the sample's start too, then cut, so that the first row
    # spans the same time as the others: a start the day after a holiday of one market read
    # gold's move from its holiday print beside the yields' from the day before (h_meta1)
    whole = merge_incomplete_rows(panel[cols].loc[:joint_end], on=core)
    joint = whole.loc[head.index[0]:] if len(head) else whole.iloc[:0]
    if len(joint) < MIN_JOINT_DAYS:      # the SVAR's need: it is fitted on these days
        raise DataError(f"the scenario model needs at least {MIN_JOINT_DAYS} days on which all of "
                        f"{', '.join(core)} have a change; got {len(joint)}")
    # before the first complete row (an asset starts later) and after the last (a stale asset
    # stopped), each asset's own changes as they are
    before = joint.index[0] - pd.Timedelta(days=1)
    after = joint.index[-1] + pd.Timedelta(days=1)
    # the rows before it are merged into the first joint row when every core asset had begun
    # before the sample (a holiday just before its start), else left as they are
    lead = head.loc[:before].iloc[:0] if whole.index[0] < head.index[0] else head.loc[:before]
    data = pd.concat([lead, joint, head.loc[after:]])
    # each asset's own changes on its own days, before the joint rows merged them: the data's
    # largest moves are read on these (:func:`business_days`)
    days_own = own
    own = pd.concat([lead, joint, own.loc[after:]])
    # a series of the user's long enough for the joint sample is regressed on rows merged on
    # its days as well as the others' (as when it was in the joint sample): its holiday joins
    # its next change and the others' alike, not a two-day change of it to one-day ones
    frames = {}
    for c in apart:
        if c in sparse:
            continue
        rows = merge_incomplete_rows(panel[cols].loc[:joint_end], on=[*core, c])
        rows = rows.loc[head.index[0]:]
        if len(rows):
            frames[keys[cols.index(c)]] = pd.concat(
                [rows, days_own.loc[rows.index[-1] + pd.Timedelta(days=1):]])
    mapping, residuals, mapped = own_mapping(own, keys, cols, users, frames)
    k = len(cols)
    alpha, beta, nu, h_last, uvar, h_max = (np.zeros(k) for _ in range(6))
    jl, jm, js = np.zeros(k), np.zeros(k), np.zeros(k)
    margins: dict[str, Any] = {}
    z = pd.DataFrame(np.nan, index=joint.index, columns=cols)
    for i, (key, c) in enumerate(zip(keys, cols, strict=True)):
        # the margin: its own changes, over the joint sample's spans where that runs
        x = own[c].dropna()
        if key in jump_assets:
            med = float(x.median())
            mad = 1.4826 * float((x - med).abs().median())
            is_jump = (x - med).abs() > jump_threshold * mad
            if is_jump.sum() >= 2:
                jl[i] = jump_intensity(is_jump.to_numpy())
                jm[i] = float(x[is_jump].mean())
                js[i] = float(x[is_jump].std())
                x = x[~is_jump]
        if key in residuals:    # a series of the user's: the residual of its mapping
            sd = float(x.std()) if len(x) > 1 else 0.0
            x = residuals[key]
            m = _residual_margin(x.to_numpy(dtype=float), sd, c in sparse)
        else:
            m = fit_margin(x.to_numpy(dtype=float), constant=c in sparse)
        alpha[i], beta[i], nu[i], h_last[i], uvar[i] = m.alpha, m.beta, m.nu, m.h_next, m.variance
        h_max[i] = m.h_max
        margins[key] = {"model": m.model, "alpha": m.alpha, "beta": m.beta, "nu": m.nu,
                        "days": len(x), "first": str(x.index[0].date()),
                        "last": str(x.index[-1].date())}
        common = x.index.intersection(z.index)
        z.loc[common, c] = pd.Series(m.z, index=x.index).loc[common].to_numpy()
    omega = uvar * (1.0 - alpha - beta)
    zr = z - z.mean()
    if method == "t-copula":
        # a mapped series' residual is uncorrelated with its regressors by construction (OLS's
        # normal equations): its copula row is none, and the others' block is theirs alone
        inner = [i for i, key in enumerate(keys) if key not in residuals]
        corr = np.eye(k)
        corr[np.ix_(inner, inner)] = kendall_corr(zr.iloc[:, inner])
    else:
        corr = nearest_corr(zr.corr(min_periods=10).fillna(0.0).to_numpy())
    nu_c = 30.0
    if method == "t-copula":
        full = zr[core].dropna()
        ranks = full.rank().to_numpy() / (len(full) + 1.0)
        idx = [cols.index(c) for c in core]
        nu_c = copula_nu(ranks, corr[np.ix_(idx, idx)])
    # a jump day of crypto leaves its residual out (the jump is drawn apart): fill it as a
    # sparse asset's missing day, so that the day's other moves stay in the pool
    holes = [c for c in core if zr[c].isna().any()]
    # the user's series last, so that the others' days are filled as without them
    loose = [*(c for c in sparse if c not in apart), *apart]
    pool = _fill_sparse(zr.copy(), [c for c in core if c not in holes], holes, loose)
    pool = pool.dropna()
    # zero mean on the days FHS draws from (the residuals were demeaned on all their days; on
    # the complete rows alone their mean drifted the 10-year by -4 bp over 35 days), unit
    # variance: FHS rescales by the GARCH volatility
    pool = pool - pool.mean()
    spread = pool.std()
    pool = pool / spread.where(spread > 0, 1.0)    # a copy's residual: none
    if method == "fhs":
        with np.errstate(invalid="ignore", divide="ignore"):
            pc = np.corrcoef(pool.to_numpy(dtype=float).T)
        if not np.isfinite(pc).all():  # a copy's residual, none: uncorrelated with the rest
            diag = np.isfinite(np.diag(pc))
            pc = np.where(np.isfinite(pc), pc, 0.0)
            pc[~diag, ~diag] = 1.0
        corr = nearest_corr(pc)
    kernels, weights, shock_per_bp, kinfo = _kernels(ident, keys, data,
                                                     mapping if mapped else None)
    # the rows both read: each asset's own changes (its margin's data), which run past the
    # joint sample's last complete row for the assets still reporting (as of 2022-10-21 the
    # 10-year's largest rise was read to the dollar's last week, 10-14: +265 bp, not +289),
    # each on business days: the joint rows merge a yield's days on which the broad dollar is
    # blank (2016-01-22 to 26), and the 5-year's "largest fall over 23 days" read 62 bp on
    # them where DGS5 gives 57 over 23 business days
    seen = days_own[days_own.notna().any(axis=1)]
    moved = {c: business_days(seen[c]) for c in cols}
    info = {
        "ust10y_max_rise_bp": max_rises(moved[universe.column("ust10y")]),
        # every asset's largest fall and rise over each window (its tails' reach in the data)
        "max_moves": {k: max_moves(moved[c]) for k, c in zip(keys, cols, strict=True)},
        "moves_range": (str(seen.index[0].date()), str(seen.index[-1].date())),
        "ust10y_range": _span(seen[universe.column("ust10y")]),
        "as_of": str(as_of.date()), "joint_end": str(joint_end.date()),
        "sample": (str(joint.index[0].date()), str(joint.index[-1].date())),
        "days": len(joint), "series": series,
        "stale": [a for a, v in series.items() if v["stale"]],
        "newest": max(v["last_date"] for v in series.values()),
        # days one core asset missed inside the joint sample, joined to the next complete
        # day (or dropped in a gap); not the rows before or after it (a stale asset's tail)
        "merged_days_noise": int(len(head.loc[joint.index[0]:joint.index[-1]]) - len(joint)),
        "sparse_assets": sparse, "own_assets": apart, "margins": margins,
        "jumps": {keys[i]: {"per_day": float(jl[i]), "mean": float(jm[i]), "sd": float(js[i])}
                  for i in range(k) if jl[i] > 0},
        "copula_nu": float(nu_c) if method == "t-copula" else None,
        "svar": {key: ident.info[key] for key in ("start", "end", "days", "dropped_days",
                                                  "ends_at", "lags", "admissible",
                                                  "candidates", "ess", "seconds")},
        "models": len(weights), **kinfo,
    }
    if mapped:
        info["mapped"] = mapped
    logger.info("fitted %s noise and the identified shock on %d days, as of %s", method,
                len(joint), info["as_of"])
    spec = [universe.resolve(a, panel.attrs.get("assets")) for a in keys]
    return FittedMarket(
        # "is_yield": the change is a difference (yields in bp; an own series imported
        # without --positive, in its own unit), not a log return
        assets=tuple(keys), columns=tuple(cols),
        is_yield=np.array([not a.log_change for a in spec]),
        units=tuple("%" if a.log_change else
                    "bp" if a.change_column.endswith("_bp") else a.unit for a in spec),
        method=method, omega=omega, alpha=alpha, beta=beta, h_last=h_last, nu=nu, corr=corr,
        nu_copula=nu_c, pool=pool.to_numpy(dtype=float), jump_lambda=jl, jump_mean=jm,
        jump_sd=js, kernels=kernels, model_weights=weights, shock_per_bp=shock_per_bp,
        identification=ident, info=info,
        levels=pd.DataFrame({k: running_level(moved[c])
                             for k, c in zip(keys, cols, strict=True)}), h_max=h_max,
        mapping=mapping if mapped else None)
