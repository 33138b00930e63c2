r"""Daily early-warning signals of Treasury, dollar, equity, credit and crypto stress.

Every signal is computed on its inputs' **own observation dates** from data up to that date
(trailing windows counted in observations), then put on the panel calendar by
:meth:`~spillwatch.analytics.stress.inputs.InputPanel.carry`: it keeps its last value only while
every input it reads is within its staleness limit, and is NaN past it. Nothing is filled with
zero: an :math:`h`-day change needs all :math:`h` daily changes. Column names carry their unit
(``_bp``, ``_pct``, ``_idx``, ``_usd_bn``); ``_z1`` / ``_z5`` are 1- and 5-day changes scaled by
trailing volatility (:func:`scaled_change`), unit-free.

=========================  ===================================================================
column                     definition
=========================  ===================================================================
``ust10y_chg1_bp``         1-day change of the 10-year yield (bp)
``ust10y_chg5_bp``         5-day change of the 10-year yield (bp)
``ust10y_z1``, ``_z5``     10-year yield shock, :math:`z^{(1)}`, :math:`z^{(5)}`
``ust30y_z1``, ``_z5``     30-year yield shock
``ust2y_z1``, ``_z5``      2-year yield shock (the front end: SVB, rate-path repricing)
``ust10y_vol5_bp``         mean absolute daily change over the last 5 observations (bp), the
                           weekly realised volatility of HKLD (2012); likewise ``ust2y_``,
                           ``ust30y_vol5_bp``, ``usd_broad_``, ``usdjpy_``, ``spx_vol5_pct``
``curve_2s10s_chg5_bp``    5-day change of the 10y − 2y spread (bp); ``curve_2s10s_z5`` scaled
``curve_10s30s_chg5_bp``   5-day change of the 30y − 10y spread (bp); ``curve_10s30s_z5`` scaled
``rates_rvol_bp``          realised 10-year yield volatility, 21 observations, annualised (bp):
                           :math:`\sqrt{252}\,\operatorname{sd}_{21}(\Delta y)`
``move_idx``               ICE BofAML MOVE index (level; needs ``levels``)
``vix_idx``                CBOE VIX (level; needs ``levels``)
``vix_z5``                 5-day VIX log change scaled by its trailing volatility
``usd_broad_chg5_pct``     5-day log change of the broad dollar (%)
``usd_broad_z1``, ``_z5``  broad-dollar move scaled (likewise ``usdjpy_*``, ``usdcny_*``; the
                           yuan's without the rates H.10 holds through China's holidays: a
                           held rate is no move, one that moved is, :meth:`InputPanel.moves`)
``usd_broad_rvol_pct``     realised broad-dollar volatility, 21 observations, annualised (%)
``yield_dollar_corr``      correlation of 10-year yield changes with broad-dollar returns over
                           the last 60 days both reported (negative in 'sell America')
``spx_rvol_pct``           realised S&P 500 volatility, 21 observations, annualised (%)
``spx_drawdown_pct``       S&P 500 drawdown from its 1-year (252-observation) high (CMAX, %)
``ig_oas_pct``, ``hy_oas_pct``  ICE BofA US investment-grade / high-yield option-adjusted spreads
                           (level, %; needs ``levels``); ``ig_oas_z5``, ``hy_oas_z5`` their
                           scaled 5-day changes
``btc_drawdown_pct``       bitcoin drawdown from its 3-month (63-observation) high (%);
                           ``eth_...`` ether: on the panel's weekday closes, so a weekend's
                           high is not the high (ETH 10.02 on 2021-01-27 from Wednesday's
                           1,376.99, where Sunday's 1,392.51 gives 11.02)
``btc_rvol_pct``           realised bitcoin volatility, 21 observations, annualised (%): on the
                           panel's weekday closes (a weekend's move is in Monday's change) times
                           √252, not 21 calendar days times √365 (a different window: 22.3
                           against 27.7 on 2022-10-21); ``eth_rvol_pct`` ether's, likewise
``custody_chg_usd_bn``     latest weekly change of NY Fed custody holdings for foreign official
                           accounts, $bn (the custody asset's unit)
``custody_chg_pct``        the same change as a percentage of the holdings before it (unit-free;
                           a holding of zero is not a value)
``term_premium_pct``       ACM 10-year term premium (level, %; needs ``levels``)
``term_premium_z5``        5-day term-premium change scaled by its trailing volatility
=========================  ===================================================================

References
----------
Holló, D., Kremer, M. and Lo Duca, M. (2012), "CISS – a composite indicator of systemic stress in
the financial system", ECB Working Paper 1426, section 3 (weekly realised volatilities, CMAX
drawdowns and spreads as raw stress indicators).
Patel, S. A. and Sarkar, A. (1998), "Crises in developed and emerging stock markets", *Financial
Analysts Journal* 54(6), 50–61 (the CMAX drawdown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from spillwatch.analytics.stress._columns import (
    SIGNAL_COLUMNS,
    USD_BROAD_CHG5_PCT,
    UST10Y_CHG5_BP,
)
from spillwatch.analytics.stress.inputs import STRESS_ASSETS, InputPanel

__all__ = ["SIGNAL_COLUMNS", "SIGNAL_INPUTS", "STRESS_ASSETS", "USD_BROAD_CHG5_PCT",
           "UST10Y_CHG5_BP", "OwnSignals", "compute_signals", "drawdown", "realised_vol",
           "rolling_corr", "scaled_change", "scaled_changes", "window_change"]

_ANNUAL = 252
#: A rolling standard deviation of changes (in %, bp or points) at or below this is zero:
#: the smallest quoted move of any input (a yuan pip, 0.0012%) gives over 1e-4 in 60 days.
_ROUND_OFF = 1e-9


def window_change(x: pd.Series, horizon: int) -> pd.Series:
    """Sum of the last ``horizon`` daily changes; NaN unless all of them are present."""
    return x.rolling(horizon, min_periods=horizon).sum()


def scaled_change(changes: pd.Series, *, horizon: int = 5, window: int = 60) -> pd.Series:
    r"""Return the ``horizon``-observation change scaled by the trailing volatility before it.

    .. math::

        z^{(h)}_t = \frac{\sum_{s=t-h+1}^{t} \Delta x_s}{\sqrt{h}\,\hat\sigma_{t-h}}

    where :math:`\hat\sigma_{t-h}` is the sample standard deviation of the daily changes over the
    ``window`` observations ending ``horizon`` observations before :math:`t` (at least
    ``window // 2`` present). All :math:`h` changes in the sum must be present (a missing change
    is not a zero move). Under i.i.d. changes :math:`z` has unit variance.

    Parameters
    ----------
    changes : Series
        Daily changes on the series' own observation dates.
    horizon : int, default 5
    window : int, default 60

    Returns
    -------
    Series
        Same index; NaN until enough history exists.
    """
    x = changes.astype("float64")
    return window_change(x, horizon) / (np.sqrt(horizon) * _scale(x, window).shift(horizon))


def _scale(x: pd.Series, window: int) -> pd.Series:
    """Rolling standard deviation of ``x`` over ``window`` observations (NaN where zero).

    Zero within :data:`_ROUND_OFF`, and wherever the window's changes are all equal: pandas'
    rolling variance is a running sum, so a window of equal changes after unequal ones (the
    yuan's peg at 8.2765 from March 2005) reads about 1e-10, not 0, and a move over it a
    z-score of billions; its residue scales with the changes that left the window (1e-7 after
    the 10-year's bp moves), so equal changes are read as such, not against a fixed floor.
    """
    roll = x.rolling(window, min_periods=max(2, window // 2))
    sd = roll.std()
    return sd.where((sd > _ROUND_OFF) & (roll.max() > roll.min()))


def scaled_changes(changes: pd.Series, horizons: tuple[int, ...], *, window: int
                   ) -> dict[int, pd.Series]:
    """:func:`scaled_change` for several horizons, sharing one rolling volatility."""
    x = changes.astype("float64")
    sd = _scale(x, window)
    return {h: window_change(x, h) / (np.sqrt(h) * sd.shift(h)) for h in horizons}


def realised_vol(x: pd.Series, window: int = 21) -> pd.Series:
    r"""Annualised realised volatility :math:`\sqrt{252}\,\operatorname{sd}_w(\Delta x)`.

    ``window`` trailing observations, at least two thirds of them present.
    """
    return x.rolling(window, min_periods=max(2, 2 * window // 3)).std() * np.sqrt(_ANNUAL)


def mean_abs_change(x: pd.Series, window: int = 5) -> pd.Series:
    """Mean absolute daily change over the last ``window`` observations (HKLD 2012)."""
    return x.abs().rolling(window, min_periods=max(1, window // 2 + 1)).mean()


def drawdown(prices: pd.Series, window: int = 252) -> pd.Series:
    r"""Drawdown from the trailing ``window``-observation high (CMAX), in percent.

    .. math::

        \mathrm{DD}_t = 100\,\Bigl(1 - \frac{P_t}{\max_{t-w < s \le t} P_s}\Bigr)

    (Patel & Sarkar 1998; Holló, Kremer & Lo Duca 2012, section 3), over the observed prices
    only.
    """
    p = prices.dropna()
    return (100.0 * (1.0 - p / p.rolling(window, min_periods=1).max())).reindex(prices.index)


def rolling_corr(x: pd.Series, y: pd.Series, window: int = 60) -> pd.Series:
    """Rolling Pearson correlation over the last ``window`` pairs (at least half present)."""
    return x.rolling(window, min_periods=window // 2).corr(y)


@dataclass(frozen=True)
class OwnSignals:
    """Signals on their own observation dates, with the inputs each one reads.

    Attributes
    ----------
    values : dict of str to Series
        Each signal on the dates it was computed.
    inputs : dict of str to tuple of str
        The input keys each signal reads.
    """

    values: dict[str, pd.Series]
    inputs: dict[str, tuple[str, ...]]

    def on_calendar(self, panel: InputPanel,
                    transform: Callable[[str, pd.Series], pd.Series] | None = None
                    ) -> pd.DataFrame:
        """Carry every signal (optionally transformed on its own dates) onto the calendar."""
        cols = {}
        for name in SIGNAL_COLUMNS:
            s = self.values[name]
            if transform is not None:
                s = transform(name, s)
            cols[name] = panel.carry(s, self.inputs[name])
        return pd.DataFrame(cols, index=panel.calendar)[list(SIGNAL_COLUMNS)]


#: Inputs of every signal (what makes it stale).
SIGNAL_INPUTS: dict[str, tuple[str, ...]] = {
    **{c: ("ust10y",) for c in ("ust10y_chg1_bp", "ust10y_chg5_bp", "ust10y_z1", "ust10y_z5",
                                 "ust10y_vol5_bp", "rates_rvol_bp")},
    **{c: ("ust30y",) for c in ("ust30y_z1", "ust30y_z5", "ust30y_vol5_bp")},
    **{c: ("ust2y",) for c in ("ust2y_z1", "ust2y_z5", "ust2y_vol5_bp")},
    "curve_2s10s_chg5_bp": ("ust2y", "ust10y"), "curve_2s10s_z5": ("ust2y", "ust10y"),
    "curve_10s30s_chg5_bp": ("ust10y", "ust30y"), "curve_10s30s_z5": ("ust10y", "ust30y"),
    "move_idx": ("move",), "vix_idx": ("vix",), "vix_z5": ("vix",),
    **{c: ("usd_broad",) for c in ("usd_broad_chg5_pct", "usd_broad_z1", "usd_broad_z5",
                                    "usd_broad_vol5_pct", "usd_broad_rvol_pct")},
    **{c: ("usdjpy",) for c in ("usdjpy_z1", "usdjpy_z5", "usdjpy_vol5_pct")},
    **{c: ("usdcny",) for c in ("usdcny_z1", "usdcny_z5")},
    "yield_dollar_corr": ("ust10y", "usd_broad"),
    **{c: ("spx",) for c in ("spx_rvol_pct", "spx_vol5_pct", "spx_drawdown_pct")},
    "ig_oas_pct": ("ig_oas",), "ig_oas_z5": ("ig_oas",),
    "hy_oas_pct": ("hy_oas",), "hy_oas_z5": ("hy_oas",),
    "btc_drawdown_pct": ("btc",), "btc_rvol_pct": ("btc",),
    "eth_drawdown_pct": ("eth",), "eth_rvol_pct": ("eth",),
    "custody_chg_usd_bn": ("custody",), "custody_chg_pct": ("custody",),
    "term_premium_pct": ("term_premium",), "term_premium_z5": ("term_premium",),
}


def _spread_changes(panel: InputPanel, short: str, long: str) -> pd.Series:
    """Daily changes of ``long − short`` on the dates both reported (bp)."""
    a, b = panel.changes(long), panel.changes(short)
    both = a.index.intersection(b.index)
    return a.reindex(both) - b.reindex(both)


def _prices(panel: InputPanel, key: str) -> pd.Series:
    lv = panel.levels(key)
    if lv is not None:
        return lv
    # no levels: rebuild a price index from the observed log returns (a move across a gap
    # longer than the panel's limit is unknown and so left out)
    r = panel.changes(key).dropna()
    return np.exp(r.cumsum() / 100.0)


def compute_own_signals(panel: InputPanel, *, horizon: int = 5, window: int = 60,
                        rvol_window: int = 21, corr_window: int = 60,
                        drawdown_window: int = 252, crypto_drawdown_window: int = 63
                        ) -> OwnSignals:
    """Compute every signal of the module table on its own observation dates.

    Parameters are those of :func:`compute_signals`.
    """
    empty = pd.Series(dtype="float64")

    def ch(key: str) -> pd.Series:
        return panel.changes(key)

    def lv(key: str) -> pd.Series:
        s = panel.levels(key)
        return s if s is not None else empty

    zs: dict[int, dict[int, pd.Series]] = {}

    def z(x: pd.Series, h: int) -> pd.Series:
        if id(x) not in zs:     # z1 and z5 of one series share its rolling volatility
            zs[id(x)] = scaled_changes(x, (1, horizon), window=window)
        return zs[id(x)][h]

    y10, y30, y2, usd = ch("ust10y"), ch("ust30y"), ch("ust2y"), ch("usd_broad")
    # the yuan without its holiday repeats: a rate held through China's holidays is no move
    jpy, cny = ch("usdjpy"), panel.moves("usdcny")
    s2s10, s10s30 = _spread_changes(panel, "ust2y", "ust10y"), _spread_changes(panel,
                                                                               "ust10y", "ust30y")
    both = y10.index.intersection(usd.index)
    cus = ch("custody")
    cus_level = lv("custody").reindex(cus.index)
    before = cus_level - cus
    cus_pct = (100.0 * cus / before).where((before > 0) & (cus_level > 0))
    v: dict[str, pd.Series] = {
        "ust10y_chg1_bp": y10,
        "ust10y_chg5_bp": window_change(y10, horizon),
        "ust10y_z1": z(y10, 1),
        "ust10y_z5": z(y10, horizon),
        "ust30y_z1": z(y30, 1),
        "ust30y_z5": z(y30, horizon),
        "ust2y_z1": z(y2, 1),
        "ust2y_z5": z(y2, horizon),
        "ust10y_vol5_bp": mean_abs_change(y10, horizon),
        "ust2y_vol5_bp": mean_abs_change(y2, horizon),
        "ust30y_vol5_bp": mean_abs_change(y30, horizon),
        "curve_2s10s_chg5_bp": window_change(s2s10, horizon),
        "curve_2s10s_z5": z(s2s10, horizon),
        "curve_10s30s_chg5_bp": window_change(s10s30, horizon),
        "curve_10s30s_z5": z(s10s30, horizon),
        "rates_rvol_bp": realised_vol(y10, rvol_window),
        "move_idx": lv("move"),
        "vix_idx": lv("vix"),
        "vix_z5": z(ch("vix"), horizon),
        "usd_broad_chg5_pct": window_change(usd, horizon),
        "usd_broad_z1": z(usd, 1),
        "usd_broad_z5": z(usd, horizon),
        "usd_broad_vol5_pct": mean_abs_change(usd, horizon),
        "usdjpy_z1": z(jpy, 1),
        "usdjpy_z5": z(jpy, horizon),
        "usdjpy_vol5_pct": mean_abs_change(jpy, horizon),
        "usdcny_z1": z(cny, 1),
        "usdcny_z5": z(cny, horizon),
        "usd_broad_rvol_pct": realised_vol(usd, rvol_window),
        "yield_dollar_corr": rolling_corr(y10.reindex(both), usd.reindex(both), corr_window),
        "spx_rvol_pct": realised_vol(ch("spx"), rvol_window),
        "spx_vol5_pct": mean_abs_change(ch("spx"), horizon),
        "spx_drawdown_pct": drawdown(_prices(panel, "spx"), drawdown_window),
        "ig_oas_pct": lv("ig_oas"),
        "hy_oas_pct": lv("hy_oas"),
        "ig_oas_z5": z(ch("ig_oas"), horizon),
        "hy_oas_z5": z(ch("hy_oas"), horizon),
        "btc_drawdown_pct": drawdown(_prices(panel, "btc"), crypto_drawdown_window),
        "eth_drawdown_pct": drawdown(_prices(panel, "eth"), crypto_drawdown_window),
        "btc_rvol_pct": realised_vol(ch("btc"), rvol_window),
        "eth_rvol_pct": realised_vol(ch("eth"), rvol_window),
        "custody_chg_usd_bn": cus,
        "custody_chg_pct": cus_pct,
        "term_premium_pct": lv("term_premium"),
        "term_premium_z5": z(ch("term_premium"), horizon),
    }
    values = {k: s.astype("float64").rename(k) for k, s in v.items()}
    return OwnSignals(values, {k: SIGNAL_INPUTS[k] for k in SIGNAL_COLUMNS})


def compute_signals(changes: pd.DataFrame, levels: pd.DataFrame | None = None, *,
                    horizon: int = 5, window: int = 60, rvol_window: int = 21,
                    corr_window: int = 60, drawdown_window: int = 252,
                    crypto_drawdown_window: int = 63,
                    panel: InputPanel | None = None) -> pd.DataFrame:
    """Compute every signal of the module table on the panel calendar.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes (``sw.load(..., transform="changes")``); columns it lacks give
        NaN signals.
    levels : DataFrame, optional
        Panel of levels on the same calendar: observation dates of daily inputs, and the VIX,
        MOVE, spreads, term premium and the prices behind the drawdowns.
    horizon : int, default 5
        Observations of the multi-day changes (the ``_chg5`` / ``_z5`` / ``_vol5`` columns).
    window : int, default 60
        Observations of the trailing volatility that scales moves.
    rvol_window : int, default 21
        Observations of the realised volatilities.
    corr_window : int, default 60
        Joint observations of the yield–dollar correlation.
    drawdown_window : int, default 252
        Observations of the trailing high of the S&P 500 drawdown (CMAX over one year).
    crypto_drawdown_window : int, default 63
        Observations of the trailing high of the crypto drawdowns (three months).
    panel : InputPanel, optional
        The inputs, when already built from ``changes`` and ``levels``.

    Returns
    -------
    DataFrame
        Indexed like ``changes``; columns :data:`SIGNAL_COLUMNS` in that order; NaN where an
        input of the signal is stale or missing.
    """
    panel = panel if panel is not None else InputPanel(changes, levels)
    own = compute_own_signals(panel, horizon=horizon, window=window, rvol_window=rvol_window,
                              corr_window=corr_window, drawdown_window=drawdown_window,
                              crypto_drawdown_window=crypto_drawdown_window)
    return own.on_calendar(panel)
