"""Facts for alert rules and the scenario comparison, read off a :class:`DemandResult`.

Every fact is named ``demand.<quantity>`` (the namespace of
:mod:`spillwatch.alerts.facts`) and carries a unit; a fact that cannot be computed is ``None``
(unavailable), never zero. :data:`FACTS` lists them with their kind and unit, and
:data:`DEFAULT_RULES` the default alert rules the issue asks for, with the measured basis of each
threshold.

=====================================  ========  ==============================================
fact                                   unit      meaning
=====================================  ========  ==============================================
``demand.gauge``                       0-1       the foreign-demand gauge
``demand.percentile``                  0-100     its recursive percentile
``demand.top_group``                   label     group with the largest attribution share
``demand.top_group_label``             text      its name in words ("Japan official")
``demand.custody_chg1_usd_bn``         USD bn    custody holdings, 1-week change (as published)
``demand.custody_chg4_usd_bn``         USD bn    custody holdings, 4-week change
``demand.custody_chg8_usd_bn``         USD bn    custody holdings, 8-week change
``demand.japan_bond_net1_jpy_bn``      JPY bn    Japan's residents' net foreign-bond purchases
                                                 in the last published week (negative = sales)
``demand.japan_bond_net1_z``           z         that week against the previous 156 weeks
``demand.japan_bond_net4_z``           z         the 4-week sum against its previous 156 weeks
``demand.weak_long_auction``           bool      a 10- or 30-year auction in the last
                                                 ``recent_days`` days was weak (False when
                                                 there was none)
``demand.long_auction_weakness``       score     weakness score of the weakest weak 10y/30y
                                                 auction of those days (else of the latest:
                                                 the alert names the auction that was weak)
``demand.long_auction_date``           date      its date
``demand.intervention_reported``       bool      an MOF report published in the last
                                                 ``recent_days`` days shows dollar-selling
                                                 (yen-buying) intervention days
``demand.intervention_days``           days      dollar-selling days in the latest report
``demand.intervention_jpy_bn``         JPY bn    dollars sold in the latest report
``demand.intervention_usd_bn``         USD bn    the same in dollars (as-of USD/JPY)
``demand.hedged_pickup_pct``           pp        hedged 10y UST minus 10y JGB
``demand.china_reserves_chg1_usd_bn``  USD bn    China's reserves, last monthly change
=====================================  ========  ==============================================
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import jsonable
from spillwatch.analytics.demand._columns import GROUP_LABELS
from spillwatch.analytics.demand._results import DemandResult

#: Fact name -> (kind, unit).
FACTS: dict[str, tuple[str, str]] = {
    "demand.gauge": ("number", "0-1"),
    "demand.percentile": ("number", "pct"),
    "demand.top_group": ("category", ""),
    "demand.top_group_label": ("text", ""),
    "demand.custody_chg1_usd_bn": ("number", "usd_bn"),
    "demand.custody_chg4_usd_bn": ("number", "usd_bn"),
    "demand.custody_chg8_usd_bn": ("number", "usd_bn"),
    "demand.japan_bond_net1_jpy_bn": ("number", "jpy_bn"),
    "demand.japan_bond_net1_z": ("number", "z"),
    "demand.japan_bond_net4_z": ("number", "z"),
    "demand.weak_long_auction": ("bool", ""),
    "demand.long_auction_weakness": ("number", "score"),
    "demand.long_auction_date": ("date", ""),
    "demand.intervention_reported": ("bool", ""),
    "demand.intervention_days": ("number", "days"),
    "demand.intervention_jpy_bn": ("number", "jpy_bn"),
    "demand.intervention_usd_bn": ("number", "usd_bn"),
    "demand.hedged_pickup_pct": ("number", "pp"),
    "demand.china_reserves_chg1_usd_bn": ("number", "usd_bn"),
}

#: Default alert rules: (fact, operator, threshold, why).
DEFAULT_RULES: tuple[tuple[str, str, object, str], ...] = (
    ("demand.custody_chg4_usd_bn", "<=", -50.0,
     "custody down $50 bn in 4 weeks: about the 2.5th percentile of 4-week changes since 2007 "
     "(-54 $bn measured on the shared data)"),
    ("demand.japan_bond_net1_z", "<=", -2.0,
     "Japan's weekly net foreign-bond sales beyond two standard deviations of the last 3 years"),
    ("demand.weak_long_auction", "==", True, "a weak 10-year or 30-year auction"),
    ("demand.intervention_reported", "==", True,
     "MOF reported dollar-selling (yen-buying) intervention"),
    ("demand.percentile", ">=", 90.0, "the foreign-demand gauge in its top decile"),
)

LONG_CLASSES: tuple[int, ...] = (10, 30)


def demand_facts(result: DemandResult, at: object = None, *,
                 recent_days: int = 7) -> dict[str, Any]:
    """The facts of one date (default: the last date with a gauge); see :data:`FACTS`.

    Parameters
    ----------
    result : DemandResult
    at : date-like, optional
        Read the facts as of this date (the last row on or before it).
    recent_days : int, default 7
        Calendar days within which an auction or a report counts as recent.

    Returns
    -------
    dict
        Fact name -> value (``None`` when unavailable), JSON-safe.
    """
    d = result._as_of(at)
    row = result.frame.loc[d]
    out: dict[str, Any] = {
        "demand.gauge": row["gauge"], "demand.percentile": row["percentile"],
        "demand.top_group": row["top_group"] or None,
        "demand.top_group_label": GROUP_LABELS.get(row["top_group"]) if row["top_group"]
        else None,
    }
    for c in ("custody_chg1_usd_bn", "custody_chg4_usd_bn", "custody_chg8_usd_bn",
              "japan_bond_net1_jpy_bn", "japan_bond_net1_z", "japan_bond_net4_z",
              "hedged_pickup_pct", "china_reserves_chg1_usd_bn"):
        out[f"demand.{c}"] = row[c]
    out.update(_auction_facts(result, d, recent_days))
    out.update(_intervention_facts(result, d, recent_days))
    return jsonable(out)


def demand_fact_frame(result: DemandResult, dates: pd.DatetimeIndex, *,
                      recent_days: int = 7) -> pd.DataFrame:
    """:func:`demand_facts` of many dates at once (one row per date; a replay's fast path).

    Row ``t`` equals ``demand_facts(result, at=t)`` (tested on sampled dates); dates before the
    first reading have ``None`` everywhere and ``as_of`` NaT.
    """
    dates = pd.DatetimeIndex(dates)
    # as :meth:`DemandResult._as_of` reads it: the last valid row on or before the date; on a
    # date before any valid row (the result cut there has none), the last row of the frame
    frame = result.frame
    valid = frame.index[frame.index.isin(result.valid.index)]
    pos_all = frame.index.searchsorted(dates, side="right") - 1
    pos_valid = valid.searchsorted(dates, side="right") - 1
    first_valid = valid[0] if len(valid) else None
    pos = np.where((pos_valid >= 0) & (first_valid is not None),
                   frame.index.get_indexer(valid[np.clip(pos_valid, 0, None)]) if len(valid)
                   else -1, pos_all)
    ok = pos >= 0
    rows = frame.iloc[np.clip(pos, 0, None)]
    asof = pd.DatetimeIndex(np.where(ok, frame.index[np.clip(pos, 0, None)],
                                     np.datetime64("NaT")))
    out = pd.DataFrame(index=dates)
    out["as_of"] = asof
    num = ["gauge", "percentile", "custody_chg1_usd_bn", "custody_chg4_usd_bn",
           "custody_chg8_usd_bn", "japan_bond_net1_jpy_bn", "japan_bond_net1_z",
           "japan_bond_net4_z", "hedged_pickup_pct", "china_reserves_chg1_usd_bn"]
    for c in num:
        out[f"demand.{c}"] = np.where(ok, rows[c].to_numpy(dtype=float), np.nan)
    top = rows["top_group"].astype(object).to_numpy()
    out["demand.top_group"] = [t if (k and t) else None for t, k in zip(top, ok, strict=True)]
    out["demand.top_group_label"] = [GROUP_LABELS.get(t) if (k and t) else None
                                     for t, k in zip(top, ok, strict=True)]
    # auctions: the last long auction on or before the reading's date, and the recent window
    weak_v: list[Any] = [None] * len(dates)
    weakness = np.full(len(dates), np.nan)
    last_date: list[Any] = [None] * len(dates)
    t = result.auctions
    if not t.empty:
        long = t[t["class_years"].isin(LONG_CLASSES) & ~t["excluded"]].sort_values(
            "date", kind="stable")
        ld = pd.DatetimeIndex(long["date"])
        w = long["weak"].to_numpy(dtype=bool)
        nan = long["weakness"].isna().to_numpy()
        cw = np.concatenate([[0], np.cumsum(w)])
        cn = np.concatenate([[0], np.cumsum(nan)])
        for i, d in enumerate(asof):
            if pd.isna(d):
                continue
            j = int(ld.searchsorted(d, side="right"))  # long auctions on or before d
            if j == 0:
                continue
            k = int(ld.searchsorted(d - pd.Timedelta(days=recent_days), side="right"))
            pick = j - 1
            if cw[j] - cw[k] > 0:     # the weakest weak auction of the window, not the latest
                cand = np.arange(k, j)[w[k:j]]
                pick = int(cand[np.argmax(long["weakness"].to_numpy(dtype=float)[cand])])
            weakness[i] = float(long["weakness"].iloc[pick])
            last_date[i] = pd.Timestamp(ld[pick]).date().isoformat()
            weak_v[i] = True if cw[j] - cw[k] > 0 else (None if cn[j] - cn[k] > 0 else False)
    out["demand.weak_long_auction"] = weak_v
    out["demand.long_auction_weakness"] = weakness
    out["demand.long_auction_date"] = pd.Series(last_date, index=dates, dtype=object)
    # interventions: the last report and whether it is recent
    idays = np.where(ok, rows["intervention_days"].to_numpy(dtype=float), np.nan)
    jpy = np.where(ok, rows["intervention_usd_sold_jpy_bn"].to_numpy(dtype=float), np.nan)
    fx = np.where(ok, rows["usdjpy"].to_numpy(dtype=float), np.nan)
    out["demand.intervention_days"] = idays
    out["demand.intervention_jpy_bn"] = jpy
    out["demand.intervention_usd_bn"] = jpy / fx
    nat = result.signals.natives.get("interventions")
    rep: list[Any] = [None] * len(dates)
    if nat is not None and ok.any():
        released = pd.DatetimeIndex(nat.last_reported(asof[ok])["released"])
        fresh = np.zeros(len(dates), dtype=bool)
        have = ~pd.isna(released)
        age = (asof[ok] - released).days
        fresh[np.flatnonzero(ok)] = have & (np.asarray(age, dtype=float) < recent_days)
        for i in np.flatnonzero(ok):
            if np.isfinite(idays[i]):
                rep[i] = bool(fresh[i] and idays[i] > 0)
    out["demand.intervention_reported"] = rep
    return out


def _auction_facts(result: DemandResult, d: pd.Timestamp, recent_days: int) -> dict[str, Any]:
    t = result.auctions
    none = {"demand.weak_long_auction": None, "demand.long_auction_weakness": None,
            "demand.long_auction_date": None}
    if t.empty:
        return none
    long = t[t["class_years"].isin(LONG_CLASSES) & ~t["excluded"] & (t["date"] <= d)]
    if long.empty:
        return none
    last = long.iloc[-1]
    recent = long[long["date"] > d - pd.Timedelta(days=recent_days)]
    # no long auction in the window: nothing weak happened; one without a score: unknown
    weak: bool | None = False
    if recent["weak"].any():
        weak = True
        # the weakest weak auction of the window (the alert names it), not the latest
        wk = recent[recent["weak"]].sort_values("date", kind="stable")
        last = wk.iloc[int(np.argmax(wk["weakness"].to_numpy(dtype=float)))]
    elif recent["weakness"].isna().any():
        weak = None
    return {"demand.weak_long_auction": weak, "demand.long_auction_weakness": last["weakness"],
            "demand.long_auction_date": pd.Timestamp(last["date"])}


def _intervention_facts(result: DemandResult, d: pd.Timestamp,
                        recent_days: int) -> dict[str, Any]:
    row = result.frame.loc[d]
    days = row["intervention_days"]
    nat = result.signals.natives.get("interventions")
    out: dict[str, Any] = {"demand.intervention_days": days,
                           "demand.intervention_jpy_bn": row["intervention_usd_sold_jpy_bn"],
                           "demand.intervention_usd_bn": (
                               row["intervention_usd_sold_jpy_bn"] / row["usdjpy"])}
    if nat is None or not np.isfinite(days):
        out["demand.intervention_reported"] = None
        return out
    rep = nat.last_reported(pd.DatetimeIndex([d])).iloc[0]["released"]
    fresh = pd.notna(rep) and (d - pd.Timestamp(rep)).days < recent_days
    out["demand.intervention_reported"] = bool(fresh and days > 0)
    return out


def observed_selling(result: DemandResult, at: object = None) -> dict[str, Any]:
    """The published size of foreign selling, for comparison with a sell-off scenario.

    Returns
    -------
    dict
        ``date``; ``custody_chg8_usd_bn`` (custody change over 8 weeks, USD bn; negative =
        sold); ``japan_bond_net8_usd_bn`` (Japan's residents' net foreign-bond purchases over 8
        weeks, USD bn); ``intervention_usd_sold_2m_usd_bn`` (dollars Japan sold in its last two
        intervention reports, USD bn); ``sentence`` (e.g. ``"custody fell $61 bn in 8
        weeks"``) for the scenario result to complete with "about the size of <scenario>".
        Values are ``None`` when unavailable.
    """
    d = result._as_of(at)
    row = result.frame.loc[d]
    cus = row["custody_chg8_usd_bn"]
    parts = []
    if np.isfinite(cus):
        parts.append(f"custody {'fell' if cus < 0 else 'rose'} ${abs(cus):,.0f} bn in 8 weeks")
    jp = row["japan_bond_net8_usd_bn"]
    if np.isfinite(jp):
        parts.append(f"Japan's investors {'sold' if jp < 0 else 'bought'} ${abs(jp):,.0f} bn of "
                     "foreign bonds in 8 weeks")
    iv = row["intervention_usd_sold_2m_usd_bn"]
    iv_jpy = row["intervention_usd_sold_2m_jpy_bn"] if "intervention_usd_sold_2m_jpy_bn" in \
        row.index else np.nan
    if np.isfinite(iv) and iv > 0:
        parts.append(f"Japan's interventions sold ${iv:,.0f} bn of dollars")
    elif np.isfinite(iv_jpy) and iv_jpy > 0:
        # the yen amount is published; the dollar amount needs a current USD/JPY rate
        parts.append(f"Japan's interventions sold dollars for ¥{iv_jpy:,.0f} bn (no current "
                     "USD/JPY rate to convert it)")
    sentence = "; ".join(parts) or "no published measure of foreign selling is current"
    return jsonable({"date": d, "custody_chg8_usd_bn": cus, "japan_bond_net8_usd_bn": jp,
                     "intervention_usd_sold_2m_usd_bn": iv, "sentence": sentence})


def compare_with_scenario(result: DemandResult, *, scenario: str, amount_usd_bn: float,
                          at: object = None) -> str:
    """One sentence comparing observed custody selling with a scenario's size.

    Parameters
    ----------
    result : DemandResult
    scenario : str
        The scenario's name (e.g. ``"japan-intervention"``).
    amount_usd_bn : float
        The scenario's sale size, USD bn.
    at : date-like, optional

    Returns
    -------
    str
        e.g. ``"custody fell $61 bn in 8 weeks, about 0.6x the size of japan-intervention
        ($100 bn)"``, or a sentence saying custody data are unavailable.
    """
    obs = observed_selling(result, at)
    cus = obs["custody_chg8_usd_bn"]
    if cus is None:
        return f"custody data unavailable on {obs['date']}; cannot compare with {scenario}"
    ratio = abs(cus) / amount_usd_bn if amount_usd_bn else float("nan")
    verb = "fell" if cus < 0 else "rose"
    return (f"custody {verb} ${abs(cus):,.0f} bn in 8 weeks, about {ratio:.1f}x the size of "
            f"{scenario} (${amount_usd_bn:,.0f} bn)")
