r"""Japan: residents' weekly flows into foreign bonds, MOF's FX interventions, who sold.

**Weekly flows** (MOF, "International Transactions in Securities", designated major investors;
published on Thursday at 08:50 in Tokyo, 23:50 UTC on Wednesday, for the week to the previous
Saturday). ``assets_ltdebt_net_jpy100m`` is
Japanese residents' net purchases of foreign long-term bonds (100 million yen; negative = net
selling). It covers all foreign bonds, not Treasuries alone, and private investors (banks,
life insurers, pensions, asset managers) rather than the official sector. Signals, at the weekly
frequency (dated the week-end Saturday), in **billions of yen**:

===========================  =============================================================
``japan_bond_net1_jpy_bn``   net purchases in the week
``japan_bond_net4_jpy_bn``   sum over the last 4 weeks
``japan_bond_net8_jpy_bn``   sum over the last 8 weeks
``japan_bond_net1_z``        the week's net purchases standardised by the mean and standard
                             deviation of the previous ``window`` weeks (past only); beyond
                             −2 is an outlier sale
``japan_bond_net4_z``        the same for the 4-week sum
===========================  =============================================================

**Interventions** (MOF, "Foreign Exchange Intervention Operations"). Selling dollars for yen
(``sell_USD_buy_JPY``) is paid for out of Japan's reserves, i.e. by selling dollar deposits and
Treasuries; buying dollars (``sell_JPY_buy_USD``) adds to them. MOF reports the month's
operations settled in the month on its last business day (spot: two business days of Tokyo and
New York after the trade, so those of the month's last two days fall into the next report;
:data:`spillwatch.timing.TIMINGS` ``mof:intervention*``), so an operation becomes
known at its report. Per report (dated the report's month end), in **billions of yen**:

===================================  ======================================================
``intervention_usd_sold_jpy_bn``     dollars sold in the report's operations (any pair with
                                     USD sold), minus dollars bought; the official sector's
                                     dollar-asset sales
``intervention_yen_buying_jpy_bn``   yen-buying operations (``sell_USD_buy_JPY``) alone
``intervention_usd_sold_2m_jpy_bn``  ``intervention_usd_sold_jpy_bn`` summed over the last
                                     two reports (reserves are drawn down and rebuilt over
                                     the weeks around an operation)
===================================  ======================================================

Months without operations are reports with zero (MOF publishes them too); the record is taken
as complete up to ``through``.

The month-end report gives the period's total only: the days and amounts of each operation
come in MOF's quarterly release ("Foreign Exchange Intervention Operations", daily detail),
early in the second month after the quarter (the operations of July–September 2022 on
2022-11-08, of October–December 2022 on 2023-02-07). ``intervention_days`` (days with a
dollar-selling operation in the latest quarter detailed) is therefore dated by that release,
taken conservatively as the :data:`DETAIL_DAY` th of the second month after the quarter (the
next weekday when it falls on a weekend): :func:`intervention_detail`.

**By investor** (MOF monthly, trillion yen, dated the 1st of the month): net purchases of
foreign long-term bonds by banks, trust accounts, pensions, life insurers, investment trusts,
... as ``japan_ltbonds_<type>_jpy_tn`` (who in Japan sold; shown, not in the gauge).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics._recursive import past_zscore
from spillwatch.analytics.demand.custody import weekly_calendar
from spillwatch.analytics.demand.inputs import MOF_BOND_NET
from spillwatch.timing import timing_of

#: Columns of :func:`japan_weekly_signals`.
JAPAN_WEEKLY_COLUMNS: tuple[str, ...] = (
    "japan_bond_net1_jpy_bn", "japan_bond_net4_jpy_bn", "japan_bond_net8_jpy_bn",
    "japan_bond_net1_z", "japan_bond_net4_z",
)
#: Columns of :func:`intervention_reports` and, ``intervention_days``, of
#: :func:`intervention_detail`.
INTERVENTION_COLUMNS: tuple[str, ...] = (
    "intervention_usd_sold_jpy_bn", "intervention_yen_buying_jpy_bn", "intervention_days",
    "intervention_usd_sold_2m_jpy_bn",
)
#: Day of the second month after a quarter by which MOF's daily detail of its operations is
#: out (it came on 2022-11-08 and 2023-02-07; later, never earlier, keeps a replay honest).
DETAIL_DAY = 10
#: Calendar days after a quarter's end past which its detail is stale (the next quarter's is
#: due about 131 days after it).
DETAIL_STALE_DAYS = 150
#: Investor types of MOF's monthly table (``ltbonds_<type>_jpy_tn``).
INVESTOR_TYPES: tuple[str, ...] = ("total", "banks", "trust_bank", "trust_pension", "secfirms",
                                   "life", "nonlife", "invtrust", "others", "central_bank",
                                   "govt")
#: Columns of :func:`investor_signals`.
INVESTOR_COLUMNS: tuple[str, ...] = tuple(f"japan_ltbonds_{t}_jpy_tn" for t in INVESTOR_TYPES)


def japan_weekly_signals(mof_weekly: pd.DataFrame, *, window: int = 156,
                         min_obs: int = 52) -> pd.DataFrame:
    r"""Weekly net foreign-bond purchases, their sums and z-scores (module docstring).

    .. math::

        z_t = \frac{N_t - \bar N_{t-1}}{s_{t-1}(N)}, \qquad
        N^{(4)}_t = \textstyle\sum_{j=0}^{3} N_{t-j}

    Parameters
    ----------
    mof_weekly : DataFrame
        MOF's weekly frame indexed by week-end Saturday, with ``assets_ltdebt_net_jpy100m``.
    window : int, default 156
        Weeks of the z-score yardstick (three years: gross flows have grown several-fold since
        2005, so the yardstick moves with them).
    min_obs : int, default 52
        Weeks the yardstick needs.

    Returns
    -------
    DataFrame
        Indexed by the week-end Saturday, columns :data:`JAPAN_WEEKLY_COLUMNS`.
    """
    net = weekly_calendar(mof_weekly[MOF_BOND_NET].dropna() / 10.0)
    out = pd.DataFrame(index=net.index)
    out["japan_bond_net1_jpy_bn"] = net
    out["japan_bond_net4_jpy_bn"] = net.rolling(4, min_periods=4).sum()
    out["japan_bond_net8_jpy_bn"] = net.rolling(8, min_periods=8).sum()
    out["japan_bond_net1_z"] = past_zscore(net, window=window, min_obs=min_obs)
    out["japan_bond_net4_z"] = past_zscore(out["japan_bond_net4_jpy_bn"], window=window,
                                           min_obs=min_obs)
    out.index.name = "date"
    return out[net.notna()][list(JAPAN_WEEKLY_COLUMNS)]


def intervention_operations(interventions: pd.DataFrame, *,
                            series_id: str = "mof:intervention_usdjpy") -> pd.DataFrame:
    """One row per operation with its report date and the dollars it sold (¥bn, signed).

    Returns
    -------
    DataFrame
        Columns ``date`` (operation), ``report`` (release), ``detail`` (the release of its
        quarter's daily detail, which dates it), ``currency_pair``, ``direction``,
        ``amount_jpy_bn``, ``usd_sold_jpy_bn`` (positive when dollars were sold, negative when
        bought, 0 for pairs without the dollar).
    """
    ops = interventions[["date", "currency_pair", "direction", "amount_jpy_bn"]].copy()
    direction = ops["direction"].astype(str)
    sign = np.where(direction.str.startswith("sell_USD"), 1.0,
                    np.where(direction.str.endswith("buy_USD"), -1.0, 0.0))
    ops["usd_sold_jpy_bn"] = sign * ops["amount_jpy_bn"].to_numpy(dtype=float)
    ops.insert(1, "report", timing_of(series_id).released_index(pd.DatetimeIndex(ops["date"])))
    # the day itself is public only with the quarter's daily detail (the month's report
    # gives its total): a replay must not place an operation on its day before that
    ops.insert(2, "detail", detail_release(pd.DatetimeIndex(ops["date"])
                                           + pd.offsets.QuarterEnd(0)))
    return ops.dropna(subset=["amount_jpy_bn"]).reset_index(drop=True)


def intervention_reports(interventions: pd.DataFrame, *, through: pd.Timestamp,
                         series_id: str = "mof:intervention_usdjpy") -> pd.DataFrame:
    """MOF's monthly intervention reports, zero months included (module docstring).

    Parameters
    ----------
    interventions : DataFrame
        Operations: ``date``, ``currency_pair``, ``direction``, ``amount_jpy_bn``.
    through : Timestamp
        Last date the record is complete: reports dated after it are left out.
    series_id : str
        Store id whose timing dates the reports.

    Returns
    -------
    DataFrame
        Indexed by report date (the month's last weekday), columns
        :data:`INTERVENTION_COLUMNS`.
    """
    ops = intervention_operations(interventions, series_id=series_id)
    if ops.empty:
        return pd.DataFrame(columns=list(INTERVENTION_COLUMNS), dtype="float64")
    # every month's report, on its release day (the month's last weekday, as timing_of dates it)
    cal = pd.date_range(ops["report"].min(), through, freq="BME")
    g = ops.groupby("report")
    out = pd.DataFrame(index=cal)
    out["intervention_usd_sold_jpy_bn"] = g["usd_sold_jpy_bn"].sum().reindex(cal, fill_value=0.0)
    yen = ops[ops["direction"].astype(str) == "sell_USD_buy_JPY"]
    out["intervention_yen_buying_jpy_bn"] = (yen.groupby("report")["amount_jpy_bn"].sum()
                                             .reindex(cal, fill_value=0.0))
    out["intervention_usd_sold_2m_jpy_bn"] = (out["intervention_usd_sold_jpy_bn"]
                                              .rolling(2, min_periods=1).sum())
    out.index.name = "date"
    return out.astype("float64")


def detail_release(quarter_end: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """When MOF's daily detail of a quarter's operations is out (:data:`DETAIL_DAY`).

    The :data:`DETAIL_DAY` th of the second month after the quarter's end, or the next
    weekday.
    """
    day = (pd.DatetimeIndex(quarter_end).to_period("M") + 2).to_timestamp() \
        + pd.Timedelta(days=DETAIL_DAY - 1)
    return pd.DatetimeIndex([d + pd.offsets.BDay(0) for d in day])


def intervention_detail(interventions: pd.DataFrame, *, through: pd.Timestamp
                        ) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """Days with a dollar-selling operation per quarter, with the release of each quarter.

    Parameters
    ----------
    interventions : DataFrame
        Operations: ``date``, ``currency_pair``, ``direction``, ``amount_jpy_bn``.
    through : Timestamp
        Last date the record is complete: quarters detailed after it are left out.

    Returns
    -------
    (DataFrame, DatetimeIndex)
        ``intervention_days`` indexed by quarter end, zero quarters included, and the date
        each quarter's detail is out (:func:`detail_release`).
    """
    ops = intervention_operations(interventions)
    empty = pd.DataFrame({"intervention_days": pd.Series(dtype="float64")},
                         index=pd.DatetimeIndex([], name="date"))
    if ops.empty:
        return empty, pd.DatetimeIndex([])
    quarters = pd.date_range(pd.Timestamp(ops["date"].min()) + pd.offsets.QuarterEnd(0),
                             pd.Timestamp(through) + pd.offsets.QuarterEnd(0), freq="QE")
    released = detail_release(quarters)
    keep = released <= pd.Timestamp(through)
    quarters, released = quarters[keep], released[keep]
    selling = ops[ops["usd_sold_jpy_bn"] > 0]
    q = pd.DatetimeIndex(selling["date"]) + pd.offsets.QuarterEnd(0)
    days = selling.groupby(q)["date"].nunique().reindex(quarters, fill_value=0)
    out = pd.DataFrame({"intervention_days": days.astype("float64").to_numpy()},
                       index=pd.DatetimeIndex(quarters, name="date"))
    return out, released


def investor_signals(mof_monthly: pd.DataFrame) -> pd.DataFrame:
    """MOF's monthly net purchases of foreign long-term bonds by investor type (¥tn).

    Returns
    -------
    DataFrame
        Indexed by the 1st of the month, columns :data:`INVESTOR_COLUMNS` (NaN for a type the
        input lacks).
    """
    out = pd.DataFrame(index=mof_monthly.index)
    for t, col in zip(INVESTOR_TYPES, INVESTOR_COLUMNS, strict=True):
        src = f"ltbonds_{t}_jpy_tn"
        out[col] = mof_monthly[src] if src in mof_monthly.columns else np.nan
    out.index.name = "date"
    return out.astype("float64")
