r"""China's official reserves (SAFE) and TIC holdings of Treasuries by holder (monthly).

**China** (SAFE, official foreign-exchange reserves at month end, 100 million USD; published
about the 7th of the next month, ``safe:*``). The change includes valuation effects (a weaker
dollar lifts the dollar value of euro and yen assets) besides sales; months SAFE's record lacks
(2015-10, 2017-10, 2019, 2024-12 in the shared data) make the changes that span them missing.
Signals in **billions of US dollars**: ``china_reserves_usd_bn``, ``china_reserves_chg1_usd_bn``
and ``china_reserves_chg1_z`` (the 1-month change standardised by the previous ``window``
months, past only).

**Valuation.** Most of a month's change is not a sale: in April 2022 the reserves fell $68bn
while the broad dollar rose 3.7% and the 10-year yield 57 bp, which mark down the euro, yen and
bond holdings. The change is therefore split into a *valuation* part and a *flow*: the change
is regressed on the month's log change of the broad dollar index (percent) and the change of
the 10-year Treasury yield (basis points), with a constant (the typical flow), by a robust
(Huber) fit on the 48 months **before** each month only (:func:`valuation_split`, at least
``min_fit`` complete months); the month's valuation is the fitted value of its own dollar and
yield moves, the flow the rest, and ``china_reserves_flow_z`` the flow less the typical flow,
divided by the fit's standard error of a new observation (a standardised one-step-ahead
prediction error, Brown, Durbin & Evans 1975). The dollar and yield of a month end are the
values **published by SAFE's release day** of that month (a month end the H.10 had not yet
printed is the latest day it had). Columns
``china_reserves_valuation_usd_bn``, ``china_reserves_flow_usd_bn``, ``china_reserves_flow_z``;
unavailable (NaN) without the dollar (the monitor also needs the 10-year: without it the split
would be a dollar-only model), and until the fit has ``min_fit`` complete months. The
valuation-effect decomposition follows the accounting of Lane & Shambaugh (2010), "Financial
exchange rates and international currency exposures", *AER* 100(1); the regression stands in
for SAFE's undisclosed currency composition.

**TIC** (Treasury International Capital, "Major Foreign Holders of Treasury Securities", month
end, USD bn; published about seven weeks after the month, ``tic:*``). For each holder of
:data:`TIC_HOLDERS`: ``tic_<holder>_usd_bn``, ``tic_<holder>_chg1_usd_bn``,
``tic_<holder>_chg3_usd_bn``; for Japan and mainland China also ``tic_<holder>_chg1_z``. TIC
attributes holdings by the country of the custodian, so Belgium, Luxembourg and the UK hold
part of China's and other countries' Treasuries; Japan's line mixes official and private
holders. The holdings are at market value, so for Japan and China the monthly change is also
split into valuation (the 10-year's move) and flow as the reserves' is
(:func:`tic_signals`); the gauge's China group reads ``tic_china_mainland_flow_z``.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._compat.warns import catch_warnings
from spillwatch.analytics._recursive import past_zscore

#: Holders whose TIC lines become signals.
TIC_HOLDERS: tuple[str, ...] = ("japan", "china_mainland", "united_kingdom", "belgium",
                                "cayman_islands", "foreign_official", "grand_total")
#: Holders that also get a z-score of the monthly change.
TIC_Z_HOLDERS: tuple[str, ...] = ("japan", "china_mainland")
CHINA_COLUMNS: tuple[str, ...] = ("china_reserves_usd_bn", "china_reserves_chg1_usd_bn",
                                  "china_reserves_chg1_z", "china_reserves_valuation_usd_bn",
                                  "china_reserves_flow_usd_bn", "china_reserves_flow_z")
#: Complete months the valuation fit needs in its window.
MIN_FIT_MONTHS = 24
#: Months before each month the valuation fit reads (four years: the reserves' composition
#: and their typical flow change; see :func:`valuation_split`).
FIT_WINDOW_MONTHS = 48
#: Calendar days a driver's last published value may lie before a month end and still be its
#: month-end value (ten days: the H.10 prints a week at a time, and a holiday can hold it).
DRIVER_MAX_AGE_DAYS = 10
#: Month ends at which TIC's history (``mfhhis01.txt``) changes series: the table prints the
#: month twice (the new series, kept, and the old one, "for comparison only"), so the change
#: into it is a benchmark revision plus the month's flow, not a flow (China's line read
#: +$244 bn in June 2010 and +$147 bn in June 2011 against about $9 bn in other months).
TIC_SERIES_BREAKS: tuple[pd.Timestamp, ...] = (
    pd.Timestamp("2000-03-31"), *(pd.Timestamp(f"{y}-06-30") for y in range(2002, 2012)))


@dataclass(frozen=True, eq=False)
class Published:
    """A daily series with the release date of each value.

    Attributes
    ----------
    values : Series
        Indexed by observation date (increasing).
    released : DatetimeIndex
        Release date of each value.
    """

    values: pd.Series
    released: pd.DatetimeIndex

    def at(self, dates: pd.DatetimeIndex, deadlines: pd.DatetimeIndex) -> np.ndarray:
        """The latest value observed on or before each date and released by its deadline.

        NaN where that value is more than :data:`DRIVER_MAX_AGE_DAYS` older than the date.
        """
        obs = pd.DatetimeIndex(self.values.index).to_numpy(dtype="datetime64[ns]")
        rel = np.maximum.accumulate(self.released.to_numpy(dtype="datetime64[ns]"))
        if len(obs) == 0:
            return np.full(len(dates), np.nan)
        d = dates.to_numpy(dtype="datetime64[ns]")
        pos = np.minimum(np.searchsorted(obs, d, side="right"),
                         np.searchsorted(rel, deadlines.to_numpy(dtype="datetime64[ns]"),
                                         side="right")) - 1
        ok = pos >= 0
        vals = self.values.to_numpy(dtype="float64")[np.maximum(pos, 0)]
        age = (d - obs[np.maximum(pos, 0)]) / np.timedelta64(1, "D")
        return np.where(ok & (age <= DRIVER_MAX_AGE_DAYS), vals, np.nan)


@functools.lru_cache(maxsize=4096)
def _huber_fit(y: bytes, exog: bytes, k: int
               ) -> tuple[np.ndarray, float, np.ndarray] | None:
    """Huber's robust regression of ``y`` on ``exog`` (float64 bytes, ``k`` columns).

    Returns the parameters, the robust scale and the parameters' covariance, or None when
    the fit fails. Memoised on the data: every month's fit reads only the months before it,
    so a replay's or a later evening's run (the monitor, ``--as-of``, the alerts' backtest)
    refits nothing it has fitted before (statsmodels' 250 fits were 3.4 s of the gauge's 4).
    """
    # on use: the alert commands load this module, not the fit; the two classes, not
    # statsmodels.api (which loads every model: 0.3 s of a command's start against 0.09 s)
    from statsmodels.robust.norms import HuberT
    from statsmodels.robust.robust_linear_model import RLM

    yy = np.frombuffer(y, dtype="float64")
    xx = np.frombuffer(exog, dtype="float64").reshape(-1, k)
    with catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = RLM(yy, xx, M=HuberT()).fit()
            cov = np.asarray(fit.cov_params(), dtype="float64")
        except (ValueError, np.linalg.LinAlgError):
            return None
    params = np.asarray(fit.params, dtype="float64")
    params.setflags(write=False)
    cov.setflags(write=False)
    return params, float(fit.scale), cov


def valuation_split(change: pd.Series, drivers: pd.DataFrame, *,
                    min_fit: int = MIN_FIT_MONTHS, window: int = FIT_WINDOW_MONTHS
                    ) -> pd.DataFrame:
    """Split monthly changes into valuation and flow, fitting on earlier months only.

    For month :math:`m`, a robust regression (Huber's M-estimator, Huber 1964, "Robust
    estimation of a location parameter", *Ann. Math. Statist.* 35(1)) of ``change`` on a
    constant and ``drivers`` over the complete months of the ``window`` months before
    :math:`m`; the valuation is the fitted value of month :math:`m`'s drivers without the
    constant, the flow the change less the valuation (the constant, the window's typical flow,
    stays in it), and the z-score the prediction error (the flow less the constant) over its
    standard error, the robust scale and the fit's uncertainty at month :math:`m` (a
    standardised one-step-ahead prediction error, Brown, Durbin & Evans 1975, "Techniques for
    testing the constancy of regression relationships over time", *JRSS B* 37(2)).

    Robust and rolling because the record holds months no regression should follow (SAFE's
    file reads -$87 bn for January 2018, SAFE's own figure +$22 bn) and China's 2015-16
    drawdown, which an expanding least-squares fit carried as the "normal" flow for years: on
    the shared data, from 2020 on, the prediction error's root mean square is 14.4 bn against
    18.0 for expanding least squares, and the z-scores' standard deviation 0.97 against 0.39.

    Parameters
    ----------
    change : Series
        Monthly changes (USD bn), indexed by month end.
    drivers : DataFrame
        Regressors on the same index (NaN where unknown).
    min_fit : int
        Complete months the fit needs in its window.
    window : int
        Months before each month the fit reads.

    Returns
    -------
    DataFrame
        Columns ``valuation``, ``flow``, ``z`` on ``change``'s index (NaN before the fit can
        be made, or where the month's change or drivers are missing).
    """
    y = change.to_numpy(dtype="float64")
    x = drivers.reindex(change.index).to_numpy(dtype="float64")
    full = np.isfinite(y) & np.isfinite(x).all(axis=1)
    out = np.full((len(y), 3), np.nan)
    exog = np.column_stack([np.ones(len(y)), x])     # the constant first
    month = pd.DatetimeIndex(change.index).to_period("M")
    for m in np.flatnonzero(full):
        past = np.flatnonzero(full[:m])
        past = past[np.asarray(month[past] >= month[m] - window)]   # the window's months
        if len(past) < max(min_fit, exog.shape[1] + 2):
            continue
        fit = _huber_fit(y[past].tobytes(), exog[past].tobytes(), exog.shape[1])
        if fit is None:                      # a fit that fails leaves the month unavailable
            continue
        params, scale, cov = fit
        se = float(np.sqrt(scale ** 2 + exog[m] @ cov @ exog[m]))
        error = y[m] - float(exog[m] @ params)
        valuation = float(x[m] @ params[1:])
        out[m] = (valuation, y[m] - valuation,
                  error / se if np.isfinite(se) and se > 0 else np.nan)
    return pd.DataFrame(out, index=change.index, columns=["valuation", "flow", "z"])
TIC_COLUMNS: tuple[str, ...] = tuple(
    c for h in TIC_HOLDERS for c in (
        f"tic_{h}_usd_bn", f"tic_{h}_chg1_usd_bn", f"tic_{h}_chg3_usd_bn",
        *((f"tic_{h}_chg1_z", f"tic_{h}_valuation_usd_bn", f"tic_{h}_flow_usd_bn",
           f"tic_{h}_flow_z") if h in TIC_Z_HOLDERS else ())))


def monthly_calendar(x: pd.DataFrame | pd.Series) -> pd.DatetimeIndex:
    """Every month end from the first to the last date of ``x``."""
    if len(x) == 0:
        return pd.DatetimeIndex([], name="date")
    first = x.index[0] + pd.offsets.MonthEnd(0)
    last = x.index[-1] + pd.offsets.MonthEnd(0)
    return pd.date_range(first, last, freq="ME", name="date")


def _to_month_end(x: pd.Series) -> pd.Series:
    s = x.copy()
    s.index = pd.DatetimeIndex(s.index) + pd.offsets.MonthEnd(0)
    return s[~s.index.duplicated(keep="last")]


def china_signals(reserves_usd100m: pd.Series, *, window: int = 36,
                  min_obs: int = 12, dollar: Published | None = None,
                  ust10y: Published | None = None,
                  released: Callable[[pd.DatetimeIndex], pd.DatetimeIndex] | None = None,
                  min_fit: int = MIN_FIT_MONTHS) -> pd.DataFrame:
    """Monthly China reserve signals (module docstring).

    Parameters
    ----------
    reserves_usd100m : Series
        SAFE reserves at month end, 100 million USD.
    window, min_obs : int
        Months of the z-score yardstick, and how many it needs.
    dollar, ust10y : Published, optional
        The broad dollar index and the 10-year yield (percent) with their release dates; the
        valuation split needs the dollar (the yield is left out of the fit without it).
    released : callable, optional
        Release date of each month end of the reserves (required with ``dollar``): the
        drivers of a month are what was published by then.
    min_fit : int
        Complete earlier months the valuation fit needs.

    Returns
    -------
    DataFrame
        Indexed by month end (months SAFE reported), columns :data:`CHINA_COLUMNS`.
    """
    s = _to_month_end(reserves_usd100m / 10.0)
    lvl = s.reindex(monthly_calendar(s))
    out = pd.DataFrame(index=lvl.index)
    out["china_reserves_usd_bn"] = lvl
    out["china_reserves_chg1_usd_bn"] = lvl - lvl.shift(1)
    out["china_reserves_chg1_z"] = past_zscore(out["china_reserves_chg1_usd_bn"], window=window,
                                               min_obs=min_obs)
    split = pd.DataFrame(np.nan, index=lvl.index, columns=["valuation", "flow", "z"])
    if dollar is not None:
        if released is None:
            raise ValueError("china_signals needs `released` (the reserves' release dates) "
                             "with `dollar`")
        split = valuation_split(out["china_reserves_chg1_usd_bn"],
                                _drivers(lvl.index, released(lvl.index), dollar, ust10y),
                                min_fit=min_fit)
    out["china_reserves_valuation_usd_bn"] = split["valuation"]
    out["china_reserves_flow_usd_bn"] = split["flow"]
    out["china_reserves_flow_z"] = split["z"]
    return out[lvl.notna()]


def _drivers(months: pd.DatetimeIndex, deadlines: pd.DatetimeIndex, dollar: Published | None,
             ust10y: Published | None) -> pd.DataFrame:
    """Each month's dollar move (log, %) and yield move (bp), as published by its deadline."""
    prev = months - pd.offsets.MonthEnd(1)
    out = pd.DataFrame(index=months)
    if dollar is not None:
        level = dollar.at(months, deadlines)
        before = dollar.at(pd.DatetimeIndex(prev), deadlines)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["dollar_pct"] = 100.0 * (np.log(level) - np.log(before))
    if ust10y is not None:
        out["ust10y_bp"] = 100.0 * (ust10y.at(months, deadlines)
                                    - ust10y.at(pd.DatetimeIndex(prev), deadlines))
    return out


def spans_tic_break(start: Any, end: Any) -> np.ndarray:
    """Whether a change from each month end ``start`` to ``end`` spans a TIC series break.

    A break ``t`` of :data:`TIC_SERIES_BREAKS` is spanned when ``start < t <= end``: the
    change into the month TIC prints twice is a benchmark revision as well as a flow (the
    alert facts' ``tic_<holder>.chg_<n>m_usd_bn`` read the UK's −$256 bn of June 2010 as a
    sale).
    """
    brk = pd.DatetimeIndex(TIC_SERIES_BREAKS).asi8
    lo = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(start))).normalize().asi8
    hi = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(end))).normalize().asi8
    return np.asarray(np.searchsorted(brk, hi, side="right")
                      - np.searchsorted(brk, lo, side="right") > 0)


def _spans_break(cal: pd.DatetimeIndex, h: int) -> np.ndarray:
    """Whether the ``h``-month change into each month end spans a TIC series break."""
    brk = np.asarray(pd.DatetimeIndex(cal).isin(pd.DatetimeIndex(TIC_SERIES_BREAKS)))
    out = np.zeros(len(cal), dtype=bool)
    for j in range(h):             # months t-j, j < h, are the ends of the change's steps
        out[j:] |= brk[:len(cal) - j]
    return out


def tic_signals(tic: pd.DataFrame, *, window: int = 36, min_obs: int = 12,
                ust10y: Published | None = None,
                released: Callable[[pd.DatetimeIndex], pd.DatetimeIndex] | None = None,
                min_fit: int = MIN_FIT_MONTHS) -> pd.DataFrame:
    """Monthly TIC signals by holder (module docstring); NaN for holders the input lacks.

    TIC's holdings are at market value: a month whose yields rose marks the holdings down
    without a sale (Japan's line moves about -$5bn and China's about -$3bn per +10 bp of the
    10-year on the shared data), and a z-score of the raw change read those months as selling.
    For Japan and mainland China the change is split as China's reserves are
    (:func:`valuation_split`, on the month's 10-year move as published by TIC's release of
    the month): ``tic_<holder>_valuation_usd_bn``, ``tic_<holder>_flow_usd_bn`` and
    ``tic_<holder>_flow_z``, NaN without the 10-year.

    Parameters
    ----------
    tic : DataFrame
        Holdings by holder (``<holder>_usd_bn``), indexed by month end.
    window, min_obs : int
        Months of the raw change's z-score yardstick, and how many it needs.
    ust10y : Published, optional
        The 10-year yield (percent) with its release dates, for the valuation split.
    released : callable, optional
        Release date of each month end of TIC (required with ``ust10y``).
    min_fit : int
        Complete earlier months the valuation fit needs.

    Returns
    -------
    DataFrame
        Indexed by month end, columns :data:`TIC_COLUMNS`.
    """
    cal = monthly_calendar(tic)
    out = pd.DataFrame(index=cal)
    drivers = None
    if ust10y is not None:
        if released is None:
            raise ValueError("tic_signals needs `released` (TIC's release dates) with `ust10y`")
        drivers = _drivers(cal, released(cal), None, ust10y)
    for h in TIC_HOLDERS:
        col = f"{h}_usd_bn"
        lvl = (_to_month_end(tic[col]).reindex(cal) if col in tic.columns
               else pd.Series(float("nan"), index=cal))
        out[f"tic_{h}_usd_bn"] = lvl
        # a change that spans a series break is a revision, not a flow: missing
        out[f"tic_{h}_chg1_usd_bn"] = (lvl - lvl.shift(1)).where(~_spans_break(cal, 1))
        out[f"tic_{h}_chg3_usd_bn"] = (lvl - lvl.shift(3)).where(~_spans_break(cal, 3))
        if h in TIC_Z_HOLDERS:
            out[f"tic_{h}_chg1_z"] = past_zscore(out[f"tic_{h}_chg1_usd_bn"], window=window,
                                                 min_obs=min_obs)
            split = (valuation_split(out[f"tic_{h}_chg1_usd_bn"], drivers, min_fit=min_fit)
                     if drivers is not None else
                     pd.DataFrame(np.nan, index=cal, columns=["valuation", "flow", "z"]))
            out[f"tic_{h}_valuation_usd_bn"] = split["valuation"]
            out[f"tic_{h}_flow_usd_bn"] = split["flow"]
            # on the raw change's yardstick (its own past, as ``chg1_z``): the fit's
            # prediction error over 48 months read TIC's benchmark revisions as z of 21
            out[f"tic_{h}_flow_z"] = past_zscore(split["flow"], window=window,
                                                 min_obs=min_obs)
    keep = tic.notna().any(axis=1)
    rows = _to_month_end(keep).reindex(cal, fill_value=False).astype(bool)
    return out[rows.to_numpy()][list(TIC_COLUMNS)]
