r"""Daily early-warning signals of Treasury, dollar, equity and crypto stress.

Every signal on date :math:`t` uses data up to :math:`t` only (trailing windows), so a signal
never revises when later data arrive. Column names carry their unit (``_bp``, ``_pct``,
``_idx``, ``_usd_bn``); ``_z1`` / ``_z5`` are 1- and 5-day changes scaled by trailing volatility
(:func:`~spillwatch.analytics.stress.signature.scaled_change`), unit-free.

=========================  ===================================================================
column                     definition
=========================  ===================================================================
``ust10y_chg1_bp``         1-day change of the 10-year yield (bp)
``ust10y_chg5_bp``         5-day change of the 10-year yield (bp)
``ust10y_z1``, ``_z5``     10-year yield shock, :math:`z^{(1)}`, :math:`z^{(5)}`
``ust30y_z1``, ``_z5``     30-year yield shock
``ust2y_z1``, ``_z5``      2-year yield shock (the front end: SVB, rate-path repricing)
``curve_2s10s_chg5_bp``    5-day change of the 10y − 2y spread (bp); ``curve_2s10s_z5`` scaled
``curve_10s30s_chg5_bp``   5-day change of the 30y − 10y spread (bp); ``curve_10s30s_z5`` scaled
``rates_rvol_bp``          realised 10-year yield volatility, 21 days, annualised (bp): a MOVE
                           proxy, :math:`\sqrt{252}\,\operatorname{sd}_{21}(\Delta y)`
``move_idx``               ICE BofAML MOVE index (level; needs ``levels``)
``vix_idx``                CBOE VIX (level; needs ``levels``)
``vix_z5``                 5-day VIX log change scaled by its trailing volatility
``usd_broad_chg5_pct``     5-day log change of the broad dollar (%)
``usd_broad_z1``, ``_z5``  broad-dollar move scaled (likewise ``usdjpy_*``, ``usdcny_*``)
``usd_broad_rvol_pct``     realised broad-dollar volatility, 21 days, annualised (%)
``yield_dollar_corr``      60-day rolling correlation of 10-year yield changes with broad-dollar
                           returns (negative in 'sell America', positive in 'dash for cash')
``spx_rvol_pct``           realised S&P 500 volatility, 21 days, annualised (%)
``spx_drawdown_pct``       S&P 500 drawdown from its 1-year high (CMAX, %)
``btc_drawdown_pct``       bitcoin drawdown from its 3-month (63-day) high (%); ``eth_...`` ether
``btc_rvol_pct``           realised bitcoin volatility, 21 days, annualised (%); ``eth_rvol_pct``
``custody_chg_usd_bn``     latest weekly change of NY Fed custody holdings for foreign official
                           accounts ($bn; carried 5 business days)
``term_premium_pct``       ACM 10-year term premium (level, %; needs ``levels``)
``term_premium_z5``        5-day term-premium change scaled by its trailing volatility
=========================  ===================================================================

Signals whose inputs are absent are NaN (the columns are always there, so the schema is stable).
Drawdowns are computed from cumulated log returns; a change missing across a gap longer than the
panel's ``max_gap_days`` counts as no move.

References
----------
Holló, D., Kremer, M. and Lo Duca, M. (2012), "CISS – a composite indicator of systemic stress in
the financial system", ECB Working Paper 1426, section 3 (realised volatilities and
CMAX drawdowns as raw stress indicators).
Patel, S. A. and Sarkar, A. (1998), "Crises in developed and emerging stock markets", *Financial
Analysts Journal* 54(6), 50–61 (the CMAX drawdown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.stress.signature import scaled_change

#: Every signal column, in output order.
SIGNAL_COLUMNS: tuple[str, ...] = (
    "ust10y_chg1_bp", "ust10y_chg5_bp", "ust10y_z1", "ust10y_z5", "ust30y_z1", "ust30y_z5",
    "ust2y_z1", "ust2y_z5",
    "curve_2s10s_chg5_bp", "curve_2s10s_z5", "curve_10s30s_chg5_bp", "curve_10s30s_z5",
    "rates_rvol_bp", "move_idx", "vix_idx", "vix_z5",
    "usd_broad_chg5_pct", "usd_broad_z1", "usd_broad_z5", "usdjpy_z1", "usdjpy_z5",
    "usdcny_z1", "usdcny_z5", "usd_broad_rvol_pct", "yield_dollar_corr",
    "spx_rvol_pct", "spx_drawdown_pct",
    "btc_drawdown_pct", "eth_drawdown_pct", "btc_rvol_pct", "eth_rvol_pct",
    "custody_chg_usd_bn", "term_premium_pct", "term_premium_z5",
)

#: Names the alerts engine reads.
UST10Y_CHG5_BP = "ust10y_chg5_bp"
USD_BROAD_CHG5_PCT = "usd_broad_chg5_pct"

#: Assets the signals use (those a source has are loaded by :func:`spillwatch.stress`).
STRESS_ASSETS: tuple[str, ...] = (
    "ust2y", "ust10y", "ust30y", "usd_broad", "usdjpy", "usdcny", "spx", "vix", "move",
    "btc", "eth", "custody", "term_premium",
)

_ANNUAL = 252


def rolling_sum(x: pd.Series, horizon: int) -> pd.Series:
    """Sum of the last ``horizon`` daily changes (missing ones count as zero; half must exist)."""
    return x.rolling(horizon, min_periods=horizon // 2 + 1).sum()


def realised_vol(x: pd.Series, window: int = 21) -> pd.Series:
    r"""Annualised realised volatility :math:`\sqrt{252}\,\operatorname{sd}_w(\Delta x)`.

    Parameters
    ----------
    x : Series
        Daily changes (bp or %).
    window : int, default 21
        Trailing rows (at least two thirds present).

    Returns
    -------
    Series
        In the unit of ``x``, per year.
    """
    return x.rolling(window, min_periods=max(2, 2 * window // 3)).std() * np.sqrt(_ANNUAL)


def drawdown(returns_pct: pd.Series, window: int = 252) -> pd.Series:
    r"""Drawdown from the trailing ``window``-row high (CMAX), in percent.

    .. math::

        \mathrm{DD}_t = 100\,\Bigl(1 - \frac{P_t}{\max_{t-w < s \le t} P_s}\Bigr),\qquad
        \log P_t = \sum_{s \le t} r_s / 100

    (Patel & Sarkar 1998; Holló, Kremer & Lo Duca 2012, section 3). ``returns_pct`` are log returns
    in percent; missing returns count as no move; NaN before the first return.
    """
    c = returns_pct.fillna(0.0).cumsum() / 100.0
    peak = c.rolling(window, min_periods=1).max()
    out = 100.0 * (1.0 - np.exp(c - peak))
    started = returns_pct.notna().cummax()
    return out.where(started)


def rolling_corr(x: pd.Series, y: pd.Series, window: int = 60) -> pd.Series:
    """Rolling Pearson correlation over ``window`` rows (pairs with both present, at least half)."""
    both = x.notna() & y.notna()
    return x.where(both).rolling(window, min_periods=window // 2).corr(y.where(both))


def _col(frame: pd.DataFrame | None, name: str, index: pd.Index) -> pd.Series:
    if frame is None or name not in frame.columns:
        return pd.Series(np.nan, index=index, dtype="float64")
    return frame[name].astype("float64").reindex(index)


def compute_signals(changes: pd.DataFrame, levels: pd.DataFrame | None = None, *,
                    horizon: int = 5, window: int = 60, rvol_window: int = 21,
                    corr_window: int = 60, drawdown_window: int = 252,
                    crypto_drawdown_window: int = 63) -> pd.DataFrame:
    """Compute every signal of the module table.

    Parameters
    ----------
    changes : DataFrame
        Panel of daily changes (``sw.load(..., transform="changes")``); columns it lacks give
        NaN signals.
    levels : DataFrame, optional
        Panel of levels on the same calendar, for ``vix_idx``, ``move_idx`` and
        ``term_premium_pct``.
    horizon : int, default 5
        Rows of the multi-day changes (the ``_chg5`` / ``_z5`` columns).
    window : int, default 60
        Rows of the trailing volatility that scales moves.
    rvol_window : int, default 21
        Rows of the realised volatilities.
    corr_window : int, default 60
        Rows of the yield–dollar correlation.
    drawdown_window : int, default 252
        Rows of the trailing high of the S&P 500 drawdown (CMAX over one year).
    crypto_drawdown_window : int, default 63
        Rows of the trailing high of the crypto drawdowns (three months: crypto's year-long bear
        markets would otherwise mask sudden crashes).

    Returns
    -------
    DataFrame
        Indexed like ``changes``; columns :data:`SIGNAL_COLUMNS` in that order.
    """
    idx = changes.index
    g = {c: _col(changes, c, idx) for c in (
        "ust2y_bp", "ust10y_bp", "ust30y_bp", "usd_broad_pct", "usdjpy_pct", "usdcny_pct",
        "spx_pct", "vix_pct", "btc_pct", "eth_pct", "custody_chg_usd_bn", "term_premium_bp")}

    def z(x: pd.Series, h: int) -> pd.Series:
        return scaled_change(x, horizon=h, window=window)

    y10, y30, y2 = g["ust10y_bp"], g["ust30y_bp"], g["ust2y_bp"]
    s2s10, s10s30 = y10 - y2, y30 - y10
    usd = g["usd_broad_pct"]
    out: dict[str, pd.Series] = {
        "ust10y_chg1_bp": y10,
        "ust10y_chg5_bp": rolling_sum(y10, horizon),
        "ust10y_z1": z(y10, 1),
        "ust10y_z5": z(y10, horizon),
        "ust30y_z1": z(y30, 1),
        "ust30y_z5": z(y30, horizon),
        "ust2y_z1": z(y2, 1),
        "ust2y_z5": z(y2, horizon),
        "curve_2s10s_chg5_bp": rolling_sum(s2s10, horizon),
        "curve_2s10s_z5": z(s2s10, horizon),
        "curve_10s30s_chg5_bp": rolling_sum(s10s30, horizon),
        "curve_10s30s_z5": z(s10s30, horizon),
        "rates_rvol_bp": realised_vol(y10, rvol_window),
        "move_idx": _col(levels, "move_idx", idx),
        "vix_idx": _col(levels, "vix_idx", idx),
        "vix_z5": z(g["vix_pct"], horizon),
        "usd_broad_chg5_pct": rolling_sum(usd, horizon),
        "usd_broad_z1": z(usd, 1),
        "usd_broad_z5": z(usd, horizon),
        "usdjpy_z1": z(g["usdjpy_pct"], 1),
        "usdjpy_z5": z(g["usdjpy_pct"], horizon),
        "usdcny_z1": z(g["usdcny_pct"], 1),
        "usdcny_z5": z(g["usdcny_pct"], horizon),
        "usd_broad_rvol_pct": realised_vol(usd, rvol_window),
        "yield_dollar_corr": rolling_corr(y10, usd, corr_window),
        "spx_rvol_pct": realised_vol(g["spx_pct"], rvol_window),
        "spx_drawdown_pct": drawdown(g["spx_pct"], drawdown_window),
        "btc_drawdown_pct": drawdown(g["btc_pct"], crypto_drawdown_window),
        "eth_drawdown_pct": drawdown(g["eth_pct"], crypto_drawdown_window),
        "btc_rvol_pct": realised_vol(g["btc_pct"], rvol_window),
        "eth_rvol_pct": realised_vol(g["eth_pct"], rvol_window),
        "custody_chg_usd_bn": g["custody_chg_usd_bn"].ffill(limit=4),
        "term_premium_pct": _col(levels, "term_premium_pct", idx),
        "term_premium_z5": z(g["term_premium_bp"], horizon),
    }
    frame = pd.DataFrame(out, index=idx)
    return frame[list(SIGNAL_COLUMNS)].astype("float64")
