"""The demo market: a *simulated* market calibrated on real data, with a planted episode.

The planted episode is a 'sell America' one (long yields up, the dollar down).

``spillwatch run --demo`` must work offline on a fresh machine, where ``../shared/data`` is absent,
so the calibration is measured once by :func:`calibrate` on the real data and kept here as
constants; a test recomputes it from ``../shared/data`` and checks the constants still agree.

Calibration (measured by :func:`calibrate` on ``../shared/data``)
--------------------------------------------------------------------
Window: business days 2021-01-04 to 2025-06-30 for every asset except TRUMP, whose window is its
whole listed history, 2025-01-21 to 2026-01-02 (247 business-day changes). Changes as in the
panel: yields in bp, the rest log returns in percent (Binance daily closes sampled on business
days, so Monday's crypto change spans the weekend).

==========  ===========  =========  ====================
asset       daily std    t dof      unit
==========  ===========  =========  ====================
ust2y       6.96         2.9        bp
ust10y      6.40         12.3       bp
ust30y      5.78         17.4       bp
usd_broad   0.325        5.8        %
usdjpy      0.642        3.4        %
gold        0.932        5.1        %
spx         1.103        4.1        %
vix         7.72         3.4        %
btc         3.81         3.1        %
eth         5.02         3.1        %
trump       7.16         2.2        %
==========  ===========  =========  ====================

Key correlations: 2y–10y 0.77, 10y–30y 0.93, 10y–dollar 0.26, dollar–yen 0.51, dollar–gold −0.41,
S&P–VIX −0.76, S&P–BTC 0.36, BTC–ETH 0.82, BTC–TRUMP 0.58 (full matrix in :data:`CORR`).

The simulation
--------------
Shocks are drawn from a Gaussian copula whose correlation is *dynamic*: a DCC(1,1) recursion
(Engle 2002, eq. 26; :func:`dcc_gaussian`) around the measured correlation matrix with news
parameter a = 0.0109 and decay b = 0.9755 (:data:`DCC_A`, :data:`DCC_B`), the DCC fit
(``sw.correlation(method="dcc")``: GARCH(1,1) margins, normal QML) of the window's changes of
the ten assets other than TRUMP (1,117 days). Fitted back on the default demo, the risk
service's DCC (six assets, the 464 days since TRUMP's listing) gives a = 0.0086, b = 0.975;
the correlation of the 10-year and the dollar then ranges 0.17–0.32 over the sample instead of
being flat (a constant copula gave a = b = 0). Each copula draw stays N(0, 1), so the margins
are as calibrated: Student-t (dof floored at 4 so that variance and kurtosis exist; the
clustering below adds the rest of the fat tail), scaled to unit variance, times a common
stochastic volatility factor (log-AR(1), persistence 0.97) normalised so that the unconditional
variance is one; then times each asset's daily std. Yields and the VIX revert slowly to their
starting levels. Crypto closes on Saturdays and Sundays are Brownian-bridge points between
Friday's and Monday's closes, so the business-day changes keep their calibration. Japan's MOF
intervenes by the rule of its record (:func:`~.demo_demand.plant_interventions`), and the yen
moves on those days (−0.25 % USDJPY per ¥1 tn sold of dollars).

The planted episode (``SELL_AMERICA``): 12 business days starting 60 business days before the
end, long yields rise (10y +6 bp/day, 30y +7 bp/day, 2y +2 bp/day) while the broad dollar falls
0.35 %/day (yen strengthens 0.5 %/day), gold rises, equities fall, the VIX climbs, and crypto
volatility is multiplied by 2.5. The foreign-demand inputs tell the same story
(:mod:`~spillwatch.data.providers.demo_demand`): custody falls, Japan's investors sell
foreign bonds, the episode's auctions tail and MOF sells dollars for yen, so the foreign-demand
gauge reaches its 100th percentile there on the default seed.

Every market series is stored as ``demo:<asset>``, the foreign-demand inputs under the real
data's ids (``fred:WMTSECL1``, ``mof:weekly_*``, ... and the ``auctions`` and
``fx_interventions`` event tables), all with provider ``demo`` and a name ending in
"(simulated)"; reports and summaries label them *simulated*.

References
----------
Engle, R. (2002), "Dynamic conditional correlation: a simple class of multivariate GARCH models",
*Journal of Business & Economic Statistics* 20(3), 339–350.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from spillwatch import universe
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.providers.demo_demand import (
    DemandDemo,
    catalog_entry,
    plant_interventions,
    simulate_demand,
)

DEFAULT_SEED = 7
DEFAULT_END = "2026-10-30"
DEFAULT_DAYS = 2000
KEYS: tuple[str, ...] = universe.DEMO_ASSETS
WINDOW = ("2021-01-04", "2025-06-30")
TRUMP_WINDOW = ("2025-01-21", "2026-01-02")

#: Daily std of changes (bp for yields, % log returns for the rest), see the module table.
STD: dict[str, float] = {
    "ust2y": 6.955, "ust10y": 6.402, "ust30y": 5.777, "usd_broad": 0.325, "usdjpy": 0.642,
    "gold": 0.932, "spx": 1.103, "vix": 7.724, "btc": 3.810, "eth": 5.023, "trump": 7.160,
}
#: Student-t degrees of freedom fitted to each asset's changes (scipy.stats.t.fit).
DOF: dict[str, float] = {
    "ust2y": 2.89, "ust10y": 12.29, "ust30y": 17.43, "usd_broad": 5.82, "usdjpy": 3.43,
    "gold": 5.12, "spx": 4.11, "vix": 3.37, "btc": 3.05, "eth": 3.06, "trump": 2.15,
}
_C = [
    # ust2y ust10y ust30y usd  usdjpy gold  spx   vix   btc   eth   trump
    [1.00, 0.77, 0.57, 0.26, 0.45, -0.37, 0.00, -0.07, -0.04, -0.04, 0.11],
    [0.77, 1.00, 0.93, 0.26, 0.43, -0.34, -0.06, -0.01, -0.02, -0.03, 0.05],
    [0.57, 0.93, 1.00, 0.18, 0.34, -0.23, -0.05, -0.01, -0.01, -0.01, 0.00],
    [0.26, 0.26, 0.18, 1.00, 0.51, -0.41, -0.27, 0.20, -0.17, -0.18, -0.15],
    [0.45, 0.43, 0.34, 0.51, 1.00, -0.36, 0.02, -0.09, -0.03, -0.02, -0.00],
    [-0.37, -0.34, -0.23, -0.41, -0.36, 1.00, 0.11, -0.07, 0.08, 0.08, -0.06],
    [0.00, -0.06, -0.05, -0.27, 0.02, 0.11, 1.00, -0.76, 0.36, 0.37, 0.29],
    [-0.07, -0.01, -0.01, 0.20, -0.09, -0.07, -0.76, 1.00, -0.32, -0.33, -0.31],
    [-0.04, -0.02, -0.01, -0.17, -0.03, 0.08, 0.36, -0.32, 1.00, 0.82, 0.58],
    [-0.04, -0.03, -0.01, -0.18, -0.02, 0.08, 0.37, -0.33, 0.82, 1.00, 0.62],
    [0.11, 0.05, 0.00, -0.15, -0.00, -0.06, 0.29, -0.31, 0.58, 0.62, 1.00],
]
#: Correlation matrix of the changes, in the order of :data:`KEYS`.
CORR = pd.DataFrame(_C, index=list(KEYS), columns=list(KEYS))
#: Starting levels (the real closes of 2025-06-30, used as the first simulated day).
START: dict[str, float] = {
    "ust2y": 3.72, "ust10y": 4.24, "ust30y": 4.78, "usd_broad": 119.83, "usdjpy": 144.17,
    "gold": 3302.92, "spx": 6204.95, "vix": 16.73, "btc": 107146.5, "eth": 2485.47,
    "trump": 12.0,
}
TRUMP_LISTING = "2025-01-20"
DOF_FLOOR = 4.0
SV_PERSISTENCE = 0.97
SV_VOL = 0.08
MEAN_REVERSION = {"ust2y": 0.004, "ust10y": 0.004, "ust30y": 0.004, "vix": 0.03}

# Daily drift during the planted episode (bp for yields, % for the rest).
SELL_AMERICA: dict[str, float] = {
    "ust2y": 2.0, "ust10y": 6.0, "ust30y": 7.0, "usd_broad": -0.35, "usdjpy": -0.5,
    "gold": 0.5, "spx": -0.6, "vix": 8.0, "btc": -0.8, "eth": -1.1, "trump": -1.5,
}
EPISODE_DAYS = 12
EPISODE_LEAD = 60
CRYPTO_VOL_JUMP = 2.5
#: DCC(1,1) news and decay parameters of the shocks' correlation (Engle 2002), fitted to the
#: window's changes of the ten assets other than TRUMP (GARCH(1,1) margins, normal QML).
DCC_A = 0.0109
DCC_B = 0.9755


@dataclass(frozen=True)
class Calibration:
    """Moments measured on a panel of changes: std, fitted t dof and correlations."""

    std: pd.Series
    dof: pd.Series
    corr: pd.DataFrame


def calibrate(changes: pd.DataFrame, *, window: tuple[str | None, str | None] = WINDOW,
              trump_window: tuple[str | None, str | None] = TRUMP_WINDOW) -> Calibration:
    """Measure the demo's calibration on a panel of changes (columns as :func:`spillwatch.load`).

    The constants were measured on the demo keys' own business calendar
    (``open_source(db).panel(assets=KEYS)``, gold's US-holiday prints as rows).

    TRUMP's moments use ``trump_window``; every other asset uses ``window`` (the defaults are
    :data:`TRUMP_WINDOW` and :data:`WINDOW`; ``(None, None)`` means the whole sample);
    correlations are pairwise over the days both assets have.
    """
    cols = {k: universe.column(k) for k in KEYS}
    main = changes.loc[window[0]:window[1], [cols[k] for k in KEYS if k != "trump"]]
    trump = changes.loc[trump_window[0]:trump_window[1], cols["trump"]].dropna()
    std = {k: float(main[cols[k]].std()) for k in KEYS if k != "trump"}
    std["trump"] = float(trump.std())
    dof: dict[str, float] = {}
    for k in KEYS:
        x = (trump if k == "trump" else main[cols[k]]).dropna().to_numpy()
        dof[k] = float(stats.t.fit(x)[0])
    both = changes[[cols[k] for k in KEYS]]
    corr = both.loc[window[0]:window[1]].corr()
    tcorr = both.loc[trump_window[0]:trump_window[1]].corr()[cols["trump"]]
    corr[cols["trump"]] = tcorr
    corr.loc[cols["trump"]] = tcorr
    corr.index = corr.columns = list(KEYS)
    return Calibration(pd.Series(std)[list(KEYS)], pd.Series(dof)[list(KEYS)], corr)


def _nearest_corr(c: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((c + c.T) / 2)
    fixed = (v * np.clip(w, 1e-6, None)) @ v.T
    d = np.sqrt(np.diag(fixed))
    return fixed / np.outer(d, d)


def dcc_gaussian(rng: np.random.Generator, days: int, corr: np.ndarray, *, a: float = DCC_A,
                 b: float = DCC_B) -> np.ndarray:
    r"""Standard normal draws whose correlation follows a DCC(1,1) recursion around ``corr``.

    .. math::

        Q_{t+1} = (1 - a - b)\,\bar C + a\, z_t z_t' + b\, Q_t, \qquad
        R_t = \operatorname{diag}(Q_t)^{-1/2} Q_t \operatorname{diag}(Q_t)^{-1/2}, \qquad
        z_t = \operatorname{chol}(R_t)\, u_t

    with :math:`Q_0 = \bar C` and :math:`u_t` iid standard normal (Engle 2002, eq. 26), so each
    draw is marginally N(0, 1) and the correlation wanders around :math:`\bar C`.

    Parameters
    ----------
    rng : numpy.random.Generator
    days : int
    corr : ndarray, shape (k, k)
        The target correlation :math:`\bar C` (positive definite).
    a, b : float
        News and decay parameters (``a + b < 1``).

    Returns
    -------
    ndarray, shape (days, k)

    References
    ----------
    Engle, R. (2002), "Dynamic conditional correlation: a simple class of multivariate GARCH
    models", *Journal of Business & Economic Statistics* 20(3), 339–350, eq. 26.
    """
    k = len(corr)
    u = rng.standard_normal((days, k))
    z = np.empty_like(u)
    q = np.array(corr, dtype=float, copy=True)
    for t in range(days):
        d = np.sqrt(np.diag(q))
        z[t] = np.linalg.cholesky(q / np.outer(d, d)) @ u[t]
        q = (1.0 - a - b) * corr + a * np.outer(z[t], z[t]) + b * q
    return z


@dataclass(frozen=True, eq=False)
class _Simulation:
    changes: pd.DataFrame
    volatility: pd.Series
    interventions: pd.DataFrame
    episode: tuple[pd.Timestamp, pd.Timestamp] | None


def _simulate(seed: int, end: str, days: int, episode: bool) -> _Simulation:
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range(end=end, periods=days, name="date")
    z = dcc_gaussian(rng, days, _nearest_corr(CORR.to_numpy()))
    u = special.ndtr(z)
    shocks = np.empty_like(z)
    for j, key in enumerate(KEYS):
        nu = max(DOF[key], DOF_FLOOR)
        shocks[:, j] = stats.t.ppf(u[:, j], nu) / np.sqrt(nu / (nu - 2.0))
    # common stochastic volatility, log-AR(1), normalised to unit unconditional variance
    eta = rng.standard_normal(days) * SV_VOL
    logv = np.empty(days)
    logv[0] = 0.0
    for t in range(1, days):
        logv[t] = SV_PERSISTENCE * logv[t - 1] + eta[t]
    var_log = SV_VOL**2 / (1 - SV_PERSISTENCE**2)
    sv = np.exp(logv - var_log)  # E[exp(2 logv)] = exp(2 var_log) -> normalise variance
    std = np.array([STD[key] for key in KEYS])
    changes = shocks * sv[:, None] * std
    ep = slice(days - EPISODE_LEAD, days - EPISODE_LEAD + EPISODE_DAYS)
    if episode:
        for j, key in enumerate(KEYS):
            if universe.ASSETS[key].block == universe.AssetBlock.CRYPTO:
                changes[ep, j] *= CRYPTO_VOL_JUMP
            changes[ep, j] += SELL_AMERICA[key]
    jpy = KEYS.index("usdjpy")
    changes[:, jpy], ops = plant_interventions(changes[:, jpy], dates, start_level=START["usdjpy"],
                                              seed=seed, episode=ep if episode else None)
    frame = pd.DataFrame(changes, index=dates, columns=list(KEYS))
    span = (dates[ep.start], dates[ep.stop - 1]) if episode else None
    frame.attrs["episode"] = span
    return _Simulation(frame, pd.Series(sv, index=dates, name="volatility"), ops, span)


def simulate_changes(*, seed: int = DEFAULT_SEED, end: str = DEFAULT_END,
                     days: int = DEFAULT_DAYS, episode: bool = True) -> pd.DataFrame:
    """Simulate business-day changes of :data:`KEYS` (columns named by asset key).

    Returns a frame indexed by business dates ending at ``end``; ``attrs["episode"]`` holds the
    planted episode's first and last dates.
    """
    return _simulate(seed, end, days, episode).changes


def _levels(changes: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for key in KEYS:
        x = changes[key].to_numpy()
        a = universe.ASSETS[key]
        kappa = MEAN_REVERSION.get(key, 0.0)
        lvl = np.empty(len(x))
        if a.kind == "yield":
            cur = START[key]
            for t, dx in enumerate(x):
                cur = cur + dx / 100.0 - kappa * (cur - START[key])
                lvl[t] = cur
        else:
            cur = np.log(START[key])
            anchor = np.log(START[key])
            for t, dx in enumerate(x):
                cur = cur + dx / 100.0 - kappa * (cur - anchor)
                lvl[t] = cur
            lvl = np.exp(lvl)
        out[key] = lvl
    return pd.DataFrame(out, index=changes.index)


def _weekend_bridge(levels: pd.Series, rng: np.random.Generator, daily_std_pct: float
                    ) -> pd.Series:
    """Fill Saturdays and Sundays between business-day closes with a Brownian bridge (in logs)."""
    logp = np.log(levels)
    days = pd.date_range(levels.index[0], levels.index[-1], freq="D")
    full = logp.reindex(days)
    known = np.flatnonzero(full.notna().to_numpy())
    vals = full.to_numpy().copy()
    sigma = daily_std_pct / 100.0 / np.sqrt(3.0)
    for a, b in itertools.pairwise(known):
        n = b - a
        if n <= 1:
            continue
        steps = rng.standard_normal(n) * sigma
        walk = np.cumsum(steps)
        for i in range(1, n):
            frac = i / n
            vals[a + i] = vals[a] + frac * (vals[b] - vals[a]) + walk[i - 1] - frac * walk[-1]
    return pd.Series(np.exp(vals), index=days)


def demo_market(*, seed: int = DEFAULT_SEED, end: str = DEFAULT_END, days: int = DEFAULT_DAYS,
                episode: bool = True) -> dict[str, pd.Series]:
    """Return simulated level series by asset key.

    Crypto has every calendar day, the rest business days; TRUMP starts at its listing date.

    Examples
    --------
    >>> from spillwatch.data.providers.demo import demo_market
    >>> m = demo_market(days=300)
    >>> sorted(m)[:3]
    ['btc', 'eth', 'gold']
    """
    return _market(_simulate(seed, end, days, episode).changes, seed)


def _market(changes: pd.DataFrame, seed: int) -> dict[str, pd.Series]:
    levels = _levels(changes)
    rng = np.random.default_rng(seed + 1)
    out: dict[str, pd.Series] = {}
    for key in KEYS:
        s = levels[key]
        if key == "trump":
            s = s.loc[TRUMP_LISTING:]
        if universe.ASSETS[key].calendar == "every_day" and len(s) > 1:
            s = _weekend_bridge(s, rng, STD[key])
        out[key] = s.rename(key)
    return out


def _demand(sim: _Simulation, seed: int) -> DemandDemo:
    return simulate_demand(sim.changes, _levels(sim.changes), seed=seed, episode=sim.episode,
                           volatility=sim.volatility, interventions=sim.interventions,
                           ust10y_std_bp=STD["ust10y"])


def demo_demand(*, seed: int = DEFAULT_SEED, end: str = DEFAULT_END, days: int = DEFAULT_DAYS,
                episode: bool = True) -> DemandDemo:
    """The simulated foreign-demand inputs of the demo market (same seed, same market).

    See :mod:`spillwatch.data.providers.demo_demand` for what is simulated and its calibration.

    Examples
    --------
    >>> from spillwatch.data.providers.demo import demo_demand
    >>> d = demo_demand(days=300)
    >>> d.series["fred:WMTSECL1"].index.day_of_week.unique().tolist()  # Wednesdays
    [2]
    """
    return _demand(_simulate(seed, end, days, episode), seed)


@dataclass(frozen=True, eq=False)
class _DemoRows:
    specs: tuple[SeriesSpec, ...]
    observations: pd.DataFrame
    auctions: pd.DataFrame
    interventions: pd.DataFrame


@functools.lru_cache(maxsize=4)
def _demo_rows(seed: int, end: str, days: int) -> _DemoRows:
    """What :func:`write_demo` stores: a pure function of its arguments, memoised.

    A process that opens the demo again (a notebook calling ``load("demo")`` twice, the test
    suite) reuses the rows; nothing mutates them (the store's upserts copy their input).
    """
    sim = _simulate(seed, end, days, True)
    market = _market(sim.changes, seed)
    specs = []
    frames = []
    for key, s in market.items():
        a = universe.ASSETS[key]
        sid = universe.demo_series_id(key)
        specs.append(SeriesSpec(sid, f"{a.name} (simulated)", a.unit, "daily", a.block.value,
                                "demo", key, a.positive))
        frames.append(pd.DataFrame({"series_id": sid, "ts": s.index, "value": s.to_numpy()}))
    demand = _demand(sim, seed)
    for sid, s in demand.series.items():
        name, unit, freq, block, positive = catalog_entry(sid)
        specs.append(SeriesSpec(sid, name, unit, freq, block, "demo", sid.split(":", 1)[1],
                                positive))
        frames.append(pd.DataFrame({"series_id": sid, "ts": s.index, "value": s.to_numpy()}))
    obs = pd.concat(frames, ignore_index=True)
    auctions = demand.auctions.assign(source="demo", line=np.arange(1, len(demand.auctions) + 1))
    ops = demand.interventions.assign(source="demo",
                                      line=np.arange(1, len(demand.interventions) + 1))
    return _DemoRows(tuple(specs), obs, auctions, ops)


def write_demo(store: object, *, seed: int = DEFAULT_SEED, end: str = DEFAULT_END,
               days: int = DEFAULT_DAYS) -> int:
    """Write the demo market into ``store``; return the point count.

    Markets as ``demo:<asset>`` series; the foreign-demand inputs under the real data's ids
    (:mod:`~spillwatch.data.providers.demo_demand`) and the ``auctions`` and
    ``fx_interventions`` event tables. Every catalog name ends in "(simulated)" and the catalog
    provider is ``demo``.
    """
    from spillwatch.store import Store
    from spillwatch.store.events import upsert_events

    assert isinstance(store, Store)
    rows = _demo_rows(int(seed), str(end), int(days))
    with store.transaction() as con:
        store.register_series(rows.specs, con=con)
        counts = store.upsert(rows.observations, con=con)
        upsert_events(store, "auctions", rows.auctions, con=con)
        upsert_events(store, "fx_interventions", rows.interventions, con=con)
    return counts.stored + counts.revised + counts.unchanged
