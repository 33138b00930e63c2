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
``demand.long_auction_weakness``       score     weakness score of the latest weak 10y/30y
                                                 auction of those days (else of the latest:
                                                 the alert names the auction that was weak)
``demand.long_auction_date``           date      its date
``demand.long_auction_indirect_pct``   pct       that auction's indirect bidders' share of
                                                 the competitive accepted (the usual proxy for
                                                 foreign demand)
``demand.long_auction_indirect_dev_pp`` pp       ... its gap to the class's last six auctions
``demand.long_auction_dealer_pct``     pct       ... the dealers' share (left holding it)
``demand.long_auction_bid_to_cover``   ratio     ... its bid-to-cover
``demand.weak_auction``                bool      an auction of any tenor (2 to 30 years) in
                                                 the last ``recent_days`` days was weak
``demand.auction_weakness``            score     its weakness score (as for the long ones)
``demand.auction_date``                date      its date
``demand.auction_tenor``               text      its tenor ("7-year")
``demand.weak_other_auction``          bool      as ``weak_long_auction``, of the 2, 3, 5,
                                                 7 and 20-year auctions
``demand.other_auction_weakness``      score     ... its weakness score
``demand.other_auction_date``          date      ... its date
``demand.other_auction_tenor``         text      ... its tenor
``demand.intervention_reported``       bool      an MOF report published in the last
                                                 ``recent_days`` days shows dollars sold
                                                 (for yen, or another currency: 1997's
                                                 rupiah support)
``demand.intervention_days``           days      dollar-selling days in the latest quarter
                                                 MOF has detailed (its quarterly release;
                                                 the monthly report gives the total only)
``demand.intervention_jpy_bn``         JPY bn    dollars sold in the latest report
``demand.intervention_usd_bn``         USD bn    the same in dollars (at the mean USD/JPY
                                                 of the report's period, as published by
                                                 its release)
``demand.hedged_pickup_pct``           pp        hedged 10y UST minus 10y JGB
``demand.china_reserves_chg1_usd_bn``  USD bn    China's reserves, last monthly change
``demand.china_reserves_flow_usd_bn``  USD bn    the same net of its valuation effect (the
                                                 dollar's and yields' marks; None without a
                                                 current broad dollar and 10-year)
``demand.stale_inputs``                count     inputs of the gauge past their staleness
                                                 limit that are not watch-list series (MOF
                                                 weekly flows, auctions, China's reserves;
                                                 custody and TIC are in ``stale_data``); the
                                                 default ``stale_demand_inputs`` rule fires
                                                 on > 0
``demand.stale_inputs_list``           text      which, with each last observation
=====================================  ========  ==============================================

**Dates.** The gauge's facts (``gauge``, ``percentile``, ``top_group``) are those of the last
date with a gauge; every other fact is read on the calendar's last date (the evaluation day),
whether or not enough groups were fresh for a gauge: a weak auction or an intervention report is
news on its own. Each fact's date (:func:`demand_fact_dates`) is the observation it describes:
custody's Wednesday, Japan's week end, the report's month end, the auction's day, China's month
end. A signal past its input's staleness limit is ``None``. The auction facts are ``None`` when
the auction record has gone quiet: no auction of any tenor for more than
:data:`AUCTION_FEED_STALE_DAYS` days (note and bond auctions were never more than 20 days apart
from 2015 to 2026), so a stopped feed does not read as "no weak auction".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import jsonable, sale_size
from spillwatch._validation import as_date
from spillwatch.analytics.demand._columns import GROUP_LABELS
from spillwatch.analytics.demand._results import (
    _HEDGE_LEGS,
    _INPUT_WORDS,
    DemandResult,
    _first_of,
)
from spillwatch.analytics.demand.auctions import AUCTION_FEED_STALE_DAYS
from spillwatch.plotting.demand import BANDS

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
    "demand.long_auction_indirect_pct": ("number", "pct"),
    "demand.long_auction_indirect_dev_pp": ("number", "pp"),
    "demand.long_auction_dealer_pct": ("number", "pct"),
    "demand.long_auction_bid_to_cover": ("number", "ratio"),
    "demand.weak_auction": ("bool", ""),
    "demand.auction_weakness": ("number", "score"),
    "demand.auction_date": ("date", ""),
    "demand.auction_tenor": ("text", ""),
    "demand.weak_other_auction": ("bool", ""),
    "demand.other_auction_weakness": ("number", "score"),
    "demand.other_auction_date": ("date", ""),
    "demand.other_auction_tenor": ("text", ""),
    "demand.intervention_reported": ("bool", ""),
    "demand.intervention_days": ("number", "days"),
    "demand.intervention_jpy_bn": ("number", "jpy_bn"),
    "demand.intervention_usd_bn": ("number", "usd_bn"),
    "demand.hedged_pickup_pct": ("number", "pp"),
    "demand.china_reserves_chg1_usd_bn": ("number", "usd_bn"),
    "demand.china_reserves_flow_usd_bn": ("number", "usd_bn"),
    "demand.stale_inputs": ("number", "count"),
    "demand.stale_inputs_list": ("text", ""),
}

#: Default alert rules: (fact, operator, threshold, why).
DEFAULT_RULES: tuple[tuple[str, str, object, str], ...] = (
    ("demand.custody_chg4_usd_bn", "<=", -50.0,
     "custody down $50 bn in 4 weeks: about the 2.5th percentile of 4-week changes since 2007 "
     "(-54 $bn measured on the shared data)"),
    ("demand.japan_bond_net1_z", "<=", -2.0,
     "Japan's weekly net foreign-bond sales beyond two standard deviations of the last 3 years"),
    ("demand.weak_long_auction", "==", True, "a weak 10-year or 30-year auction"),
    ("demand.weak_other_auction", "==", True,
     "a weak auction of another tenor (2, 3, 5, 7 or 20 years), severity info: 71 of the 93 "
     "auctions the signal flags weak from 2015 to 2026 (measured on the shared data) were of "
     "these tenors"),
    ("demand.intervention_reported", "==", True,
     "MOF reported dollar-selling intervention (dollars sold for yen, or for another "
     "currency: the rupiah's support of November 1997)"),
    ("demand.percentile", ">=", BANDS[1], "the foreign-demand gauge in its top decile"),
    ("demand.stale_inputs", ">", 0.0,
     "an input of the gauge past its staleness limit (the rules on it cannot fire)"),
)

LONG_CLASSES: tuple[int, ...] = (10, 30)
#: Every class of the auction record (2- to 30-year notes and bonds).
ALL_CLASSES: tuple[int, ...] = (2, 3, 5, 7, 10, 20, 30)
#: The classes that are not :data:`LONG_CLASSES` (their own facts: a rule on "any tenor but not
#: a long one" resolved when a weak 10-year came the next day, the 3-year still weak).
OTHER_CLASSES: tuple[int, ...] = tuple(c for c in ALL_CLASSES if c not in LONG_CLASSES)
#: The auction records facts are read on.
_CLASS_SETS: tuple[tuple[int, ...], ...] = (LONG_CLASSES, ALL_CLASSES, OTHER_CLASSES)
#: Facts of the gauge itself (read on the gauge's last date).
GAUGE_FACTS: tuple[str, ...] = ("demand.gauge", "demand.percentile", "demand.top_group",
                                "demand.top_group_label")
#: Signal facts -> the native input whose last observation dates them.
_FACT_NATIVE: dict[str, str] = {
    "demand.custody_chg1_usd_bn": "custody", "demand.custody_chg4_usd_bn": "custody",
    "demand.custody_chg8_usd_bn": "custody", "demand.japan_bond_net1_jpy_bn": "japan_weekly",
    "demand.japan_bond_net1_z": "japan_weekly", "demand.japan_bond_net4_z": "japan_weekly",
    "demand.intervention_reported": "interventions",
    "demand.intervention_days": "intervention_detail",
    "demand.intervention_jpy_bn": "interventions",
    "demand.intervention_usd_bn": "interventions",
    "demand.china_reserves_chg1_usd_bn": "china",
    "demand.china_reserves_flow_usd_bn": "china",
}
#: Auction facts -> (which record, which field).
_AUCTION_FACTS: dict[str, tuple[tuple[int, ...], str]] = {
    "demand.weak_long_auction": (LONG_CLASSES, "weak"),
    "demand.long_auction_weakness": (LONG_CLASSES, "weakness"),
    "demand.long_auction_date": (LONG_CLASSES, "date"),
    "demand.long_auction_indirect_pct": (LONG_CLASSES, "indirect_pct"),
    "demand.long_auction_indirect_dev_pp": (LONG_CLASSES, "indirect_dev_pp"),
    "demand.long_auction_dealer_pct": (LONG_CLASSES, "dealer_pct"),
    "demand.long_auction_bid_to_cover": (LONG_CLASSES, "bid_to_cover"),
    "demand.weak_auction": (ALL_CLASSES, "weak"),
    "demand.auction_weakness": (ALL_CLASSES, "weakness"),
    "demand.auction_date": (ALL_CLASSES, "date"),
    "demand.auction_tenor": (ALL_CLASSES, "tenor"),
    "demand.weak_other_auction": (OTHER_CLASSES, "weak"),
    "demand.other_auction_weakness": (OTHER_CLASSES, "weakness"),
    "demand.other_auction_date": (OTHER_CLASSES, "date"),
    "demand.other_auction_tenor": (OTHER_CLASSES, "tenor"),
}

#: The numbers an auction fact can give (the score and its parts, of the auction it names).
AUCTION_NUMBERS: tuple[str, ...] = ("weakness", "indirect_pct", "indirect_dev_pp", "dealer_pct",
                                    "bid_to_cover")


_SIGNALS: tuple[str, ...] = (
    "custody_chg1_usd_bn", "custody_chg4_usd_bn", "custody_chg8_usd_bn",
    "japan_bond_net1_jpy_bn", "japan_bond_net1_z", "japan_bond_net4_z", "hedged_pickup_pct",
    "china_reserves_chg1_usd_bn", "china_reserves_flow_usd_bn")


def demand_facts(result: DemandResult, at: object = None, *,
                 recent_days: int = 7) -> dict[str, Any]:
    """The facts of one date (default: the calendar's last); see :data:`FACTS`.

    Parameters
    ----------
    result : DemandResult
    at : date-like, optional
        Read the facts as of this date: the gauge's facts on its last date on or before it,
        the others on the calendar's last date on or before it (module docstring, *Dates*).
    recent_days : int, default 7
        Calendar days within which an auction or a report counts as recent.

    Returns
    -------
    dict
        Fact name -> value (``None`` when unavailable), JSON-safe.
    """
    g = result._as_of(at)
    d = result.day(at)
    grow = result.frame.loc[g]
    row = result.frame.loc[d]
    out: dict[str, Any] = {
        "demand.gauge": grow["gauge"], "demand.percentile": grow["percentile"],
        "demand.top_group": grow["top_group"] or None,
        "demand.top_group_label": GROUP_LABELS.get(grow["top_group"]) if grow["top_group"]
        else None,
    }
    for c in _SIGNALS:
        out[f"demand.{c}"] = row[c]
    t = result.auctions
    for classes in _CLASS_SETS:
        cols = auction_columns(t, pd.DatetimeIndex([d]), recent_days, classes)
        for name, (cl, key) in _AUCTION_FACTS.items():
            if cl == classes:
                out[name] = cols[key][0]
    out.update(_intervention_facts(result, d, recent_days))
    gone = stale_inputs(result, pd.DatetimeIndex([d]))[0]
    given = bool(inputs_reported(result, pd.DatetimeIndex([d]))[0])
    out["demand.stale_inputs"] = float(len(gone)) if given else None
    out["demand.stale_inputs_list"] = "; ".join(gone) if gone else None
    return jsonable(out)


def unscored_facts(result: DemandResult, at: object = None, *,
                   values: dict[str, Any] | None = None,
                   dates: dict[str, Any] | None = None) -> frozenset[str]:
    """The facts with no value whose input is current: its record is too short for them.

    Read on the calendar's day on or before ``at``; ``values`` and ``dates`` are
    :func:`demand_facts` and :func:`demand_fact_dates` of the same ``at`` when the caller
    has them. A signal fact counts when its native input's last value published by the day is within
    its staleness limit; an auction fact when its record's last auction is within
    :data:`AUCTION_FEED_STALE_DAYS` days and the fact's class has held one (a weakness score
    needs the class's earlier auctions: the record begins 2015-01-12, and on 2015-01-15 the
    30-year of the day before had none). The facts of the gauge are not judged here.
    """
    d = result.day(at)
    values = demand_facts(result, at) if values is None else values
    dates = demand_fact_dates(result, at) if dates is None else dates
    out = set()
    for name, native in _FACT_NATIVE.items():
        nat = result.signals.natives.get(native)
        seen = dates.get(name)
        if values.get(name) is None and nat is not None and seen is not None \
                and not nat.is_stale(seen, d):
            out.add(name)
    t = result.auctions
    every = pd.DatetimeIndex(t["date"] if len(t) else []).dropna()
    every = every[every <= d]
    if len(every) and (d - every.max()).days <= AUCTION_FEED_STALE_DAYS:
        cols = {c: auction_columns(t, pd.DatetimeIndex([d]), 7, c) for c in _CLASS_SETS}
        for name, (classes, _) in _AUCTION_FACTS.items():
            if values.get(name) is None and cols[classes]["date"][0] is not None:
                out.add(name)
    return frozenset(out)


#: Each signal and auction fact's input, as :attr:`DemandResult.stored_inputs` names it.
_FACT_INPUT: dict[str, str] = {
    **{name: {"custody": "custody", "japan_weekly": "mof_weekly",
              "interventions": "interventions", "intervention_detail": "interventions",
              "china": "china_reserves"}[native] for name, native in _FACT_NATIVE.items()},
    **dict.fromkeys(_AUCTION_FACTS, "auctions"),
}


def unpublished_facts(result: DemandResult, at: object = None, *,
                      dates: dict[str, Any] | None = None) -> dict[str, str]:
    """The facts whose input has nothing published by the day, the store's first figure later.

    Read on the calendar's day on or before ``at``; ``dates`` is :func:`demand_fact_dates` of
    the same ``at`` when the caller has it. A fact counts when no observation of its input is
    out by the day (its date is ``None``) and the store holds the input from a later date or
    publication (``result.stored_inputs``, given by the service): on 1998-10-08 custody's
    changes, whose figures begin 2007-07-04, read "its input is past its staleness limit or
    has not reported" beside the custody series' own "the store's figures of it begin later".

    Returns
    -------
    dict
        Fact name -> the clause saying when: "the store's Fed custody holdings begin
        2007-07-04", or of a first figure out after the day, "the store's first MOF weekly
        flows, of 2005-01-08, are published 2005-01-12".
    """
    d = result.day(at)
    dates = demand_fact_dates(result, at) if dates is None else dates
    out = {}
    for name, source in _FACT_INPUT.items():
        first = _first_of(result.stored_inputs, source)
        if dates.get(name) is not None or first is None or first.published <= d:
            continue
        words = _INPUT_WORDS[source]
        out[name] = (f"the store's {words} begin {first.dated:%Y-%m-%d}" if first.dated > d
                     else f"the store's first {words}, of {first.dated:%Y-%m-%d}, are "
                          f"published {first.published:%Y-%m-%d}")
    # the hedged pick-up: a leg none of whose inputs is out by the day, the store holding one
    # from later (1998-10-08 read "past its staleness limit or has not reported" beside
    # `demand`'s "a JPY short rate ... was not yet published"; OECD's begins 2002-04-01)
    hedge = result.frame.get("hedged_pickup_pct")
    if hedge is not None and d in hedge.index and pd.isna(hedge.at[d]):
        for names, label in _HEDGE_LEGS:
            firsts = [f for f in (_first_of(result.stored_inputs, n) for n in names) if f]
            if not firsts or min(f.published for f in firsts) <= d:
                continue
            first = min(firsts)
            out["demand.hedged_pickup_pct"] = (
                f"the store's figures of {label} begin {first.dated:%Y-%m-%d}"
                if first.dated > d else
                f"the store's first figure of {label}, of {first.dated:%Y-%m-%d}, is published "
                f"{first.published:%Y-%m-%d}")
            break
    return out



def absent_facts(result: DemandResult) -> dict[str, str]:
    """The facts whose input the store does not hold at all, with what it lacks in words.

    On a store of FRED's files alone the MOF, auction and China facts read "its input is past
    its staleness limit or has not reported", as of a feed that stopped, where the gauge's own
    reason on the same evening says "Japan private (no MOF weekly flows in the data)".

    Returns
    -------
    dict
        Fact name -> "no MOF weekly flows in the data", or for the hedged pick-up its missing
        legs, "the 10-year JGB yield is not in the data" (as :func:`hedge_notes` words them);
        empty when ``result.stored_inputs`` is not known.
    """
    stored = result.stored_inputs
    if stored is None:
        return {}
    out = {name: f"no {_INPUT_WORDS[source]} in the data"
           for name, source in _FACT_INPUT.items() if source not in stored}
    legs = [f"{label} is not in the data" for names, label in _HEDGE_LEGS
            if not any(n in stored for n in names)]
    if legs:
        out["demand.hedged_pickup_pct"] = "; ".join(legs)
    return out

#: Inputs printed at a steady pace (weekly, monthly), whose record can show a missing figure.
_STEADY_NATIVES = ("custody", "japan_weekly", "china")


def missing_before(result: DemandResult, names: Iterable[str],
                   dates: dict[str, Any]) -> dict[str, pd.Timestamp]:
    """Of ``names`` (facts of :func:`unscored_facts`), those whose last figure follows a gap.

    A change or a fit needs the figure before the last one; when the record skips it (SAFE's
    file has no 2024-12-31: January 2025's one-month change has no December), the fact has no
    value though its record is long, and "its record is too short" was said of ten years of
    reserves from 2025-02-10 to 2025-03-07. A gap is a step into the last observation (by
    ``dates``) more than 1.5 times the record's usual step before it, in a native printed at a
    steady pace (:data:`_STEADY_NATIVES`).

    Returns
    -------
    dict
        Fact name -> the observation before the gap.
    """
    out: dict[str, pd.Timestamp] = {}
    for name in names:
        native = _FACT_NATIVE.get(name)
        nat = result.signals.natives.get(native) if native in _STEADY_NATIVES else None
        seen = dates.get(name)
        if nat is None or seen is None or pd.isna(seen):
            continue
        obs = pd.DatetimeIndex(nat.values.index)
        obs = obs[obs <= pd.Timestamp(seen)]
        if len(obs) < 3:
            continue
        steps = np.diff(obs.to_numpy(dtype="datetime64[D]")).astype(np.int64)
        if steps[-1] > 1.5 * float(np.median(steps[:-1])):
            out[name] = pd.Timestamp(obs[-2])
    return out


def demand_fact_dates(result: DemandResult, at: object = None) -> dict[str, Any]:
    """The date each fact of :func:`demand_facts` describes (module docstring, *Dates*).

    Returns
    -------
    dict
        Fact name -> Timestamp (``None`` when its input never reported).
    """
    g = result._as_of(at)
    d = result.day(at)
    grid = pd.DatetimeIndex([d])
    out: dict[str, Any] = {n: g for n in GAUGE_FACTS}
    observed = {k: nat.last_reported(grid)["observed"].iloc[0]
                for k, nat in result.signals.natives.items()}
    auc = {c: auction_columns(result.auctions, grid, 7, c) for c in _CLASS_SETS}
    for name in FACTS:
        if name in GAUGE_FACTS:
            continue
        if name in _AUCTION_FACTS:
            v = auc[_AUCTION_FACTS[name][0]]["date"][0]
            if v is None:       # unknown: dated by the record's last auction (of any tenor)
                t = result.auctions
                before = t["date"][t["date"] <= d] if len(t) else pd.Series(dtype=object)
                v = before.max() if len(before) else None
            out[name] = None if v is None else pd.Timestamp(v)
        elif name in _FACT_NATIVE:
            v = observed.get(_FACT_NATIVE[name])
            out[name] = None if v is None or pd.isna(v) else pd.Timestamp(v)
        else:
            out[name] = d
    return out


#: Inputs whose staleness ``demand.stale_inputs`` counts: native -> the name it is given.
#: Custody and TIC are watch-list series, reported by the ``stale_data`` rule already. The
#: intervention record, whose monthly reports run up to the day unless its coverage ends
#: earlier (``interventions_through``: MOF reports months without operations too), is listed
#: for the freshness table and goes stale only past a known end of coverage.
STALE_INPUTS: dict[str, str] = {"japan_weekly": "MOF weekly flows", "china": "China's reserves",
                                "interventions": "MOF's FX interventions (monthly report)"}


def stale_inputs(result: DemandResult, days: pd.DatetimeIndex) -> list[list[str]]:
    """Per date, the gauge's inputs past their staleness limit, each with its last observation.

    An input counts when it was ever given; the auction record is stale after
    :data:`AUCTION_FEED_STALE_DAYS` days without an auction.
    """
    n = len(days)
    out: list[list[str]] = [[] for _ in range(n)]
    ok = ~pd.isna(days)
    if not ok.any():
        return out
    good = pd.DatetimeIndex(days[ok])
    idx = np.flatnonzero(ok)
    for key, label in STALE_INPUTS.items():
        nat = result.signals.natives.get(key)
        if nat is None or len(nat.values) == 0:
            continue
        obs = pd.DatetimeIndex(nat.last_reported(good)["observed"])
        past = nat.days_past(obs.to_numpy(dtype="datetime64[D]"),
                             good.to_numpy(dtype="datetime64[D]"))
        # not yet published by then (NaT): no input yet, not a stale one. Only the stale dates
        # are visited, each observation's date written once (a Timestamp per date and key
        # was most of the replay's demand facts)
        said: dict[int, str] = {}
        with np.errstate(invalid="ignore"):
            gone = past > 0
        for j in np.flatnonzero(gone):
            key_j = int(obs.asi8[j])
            if key_j not in said:
                said[key_j] = f"{label} (last {obs[j]:%Y-%m-%d})"
            out[idx[j]].append(said[key_j])
    t = result.auctions
    every = pd.DatetimeIndex(t["date"] if len(t) else []).dropna().sort_values()
    if len(every):                                  # (an undated auction is no last one)
        pos = every.searchsorted(good, side="right")
        ev = every.to_numpy(dtype="datetime64[ns]").view("int64")
        prev = ev[np.maximum(pos - 1, 0)]
        gap = (good.to_numpy(dtype="datetime64[ns]").view("int64") - prev) \
            // np.int64(86_400_000_000_000)             # Timedelta.days (floor)
        told: dict[int, str] = {}
        for j in np.flatnonzero((pos > 0) & (gap > AUCTION_FEED_STALE_DAYS)):
            p = int(pos[j]) - 1
            if p not in told:
                told[p] = f"auctions (last {every[p]:%Y-%m-%d})"
            out[idx[j]].append(told[p])
    return out


def inputs_reported(result: DemandResult, days: pd.DatetimeIndex) -> np.ndarray:
    """Per date, whether any input :func:`stale_inputs` judges had reported by then.

    Before the first (MOF's first intervention report, 1991-05-31, on ../shared/data) or in
    a store without any foreign-demand input, "no input is stale" counts none of none: the
    live facts said ``demand.stale_inputs`` 0 ("nothing stale") where the replay of the same
    evening said unknown.
    """
    out = np.zeros(len(days), dtype=bool)
    ok = ~pd.isna(days)
    if not ok.any():
        return out
    good = pd.DatetimeIndex(days[ok])
    idx = np.flatnonzero(ok)
    for key in STALE_INPUTS:
        nat = result.signals.natives.get(key)
        if nat is None or len(nat.values) == 0:
            continue
        obs = pd.DatetimeIndex(nat.last_reported(good)["observed"])
        out[idx[~np.asarray(pd.isna(obs))]] = True
    t = result.auctions
    every = pd.DatetimeIndex(t["date"] if len(t) else []).dropna()
    if len(every):
        out[idx[np.asarray(good >= every.min())]] = True
    return out


def input_freshness(result: DemandResult, day: object) -> list[dict[str, Any]]:
    """The gauge's inputs that are not watch-list series, each with its age on ``day``.

    One row per input ever given (MOF weekly flows, China's reserves, auctions), as the
    headline's freshness table holds the watch list: ``asset``, ``name``, ``last`` (ISO, the
    last observation published by ``day``), ``days_old``, ``limit_days``, ``stale``. The same
    limits as :func:`stale_inputs` (the table listed the watch list only, while the headline's
    "Stale inputs" named these too).
    """
    d = pd.Timestamp(day)  # type: ignore[arg-type]
    rows = []
    for key, label in STALE_INPUTS.items():
        nat = result.signals.natives.get(key)
        if nat is None or len(nat.values) == 0:
            continue
        seen = nat.last_reported(pd.DatetimeIndex([d]))["observed"].iloc[0]
        if pd.isna(seen):
            continue
        seen = pd.Timestamp(seen)
        rows.append((key, label, seen, nat.stale_after_days, nat.is_stale(seen, d)))
    t = result.auctions
    if len(t):
        before = pd.DatetimeIndex(t["date"])[pd.DatetimeIndex(t["date"]) <= d]
        if len(before):
            last = before.max()
            rows.append(("auctions", "Treasury note and bond auctions", last,
                         AUCTION_FEED_STALE_DAYS, (d - last).days > AUCTION_FEED_STALE_DAYS))
    return [{"asset": key, "name": label, "last": seen.date().isoformat(),
             "days_old": (d - seen).days, "limit_days": int(limit), "stale": bool(stale)}
            for key, label, seen, limit, stale in rows]


def auction_columns(t: pd.DataFrame, asof: pd.DatetimeIndex, recent_days: int,
                    classes: tuple[int, ...]) -> dict[str, list[Any]]:
    """Auction facts of the classes ``classes`` on each date of ``asof``.

    Per date: ``weak`` (an auction of those classes in the last ``recent_days`` days was weak;
    False when none was, ``None`` when one of them has no score or the record has gone quiet:
    no auction of any class for more than :data:`AUCTION_FEED_STALE_DAYS` days), and the
    ``date``, ``tenor`` and :data:`AUCTION_NUMBERS` (the ``weakness`` score, the indirect
    bidders' share and its gap to the class's recent auctions, the dealers' share, the
    bid-to-cover) of the latest day with a weak auction in the window
    (the weakest of that day's, and every weak tenor of it: "5-year and 2-year"; else of the
    latest auction of those classes). ``None`` everywhere before the first auction or while
    the record is quiet.
    """
    n = len(asof)
    out: dict[str, list[Any]] = {k: [None] * n for k in ("weak", "date", "tenor",
                                                         *AUCTION_NUMBERS)}
    if t.empty:
        return out
    # an auction without a date is in no window (and no date of the record's last auction)
    t = t[pd.DatetimeIndex(t["date"]).notna()]
    if t.empty:
        return out
    every = pd.DatetimeIndex(t["date"]).sort_values()
    sel = t[t["class_years"].isin(classes) & ~t["excluded"]].sort_values("date", kind="stable")
    ld = pd.DatetimeIndex(sel["date"])
    w = sel["weak"].to_numpy(dtype=bool)
    nan = sel["weakness"].isna().to_numpy()
    score = sel["weakness"].to_numpy(dtype=float)
    numbers = {k: sel[k].to_numpy(dtype=float) if k in sel else np.full(len(sel), np.nan)
               for k in AUCTION_NUMBERS}
    years = sel["class_years"].to_numpy()
    cw = np.concatenate([[0], np.cumsum(w)])
    cn = np.concatenate([[0], np.cumsum(nan)])
    # every date at once: the searches on the integer nanoseconds (a Timestamp per date and
    # four searches each were 1.3 s of the report's replay), and the pick of each distinct
    # window (a date's facts depend only on which auctions its window holds) made once
    day_ns = np.int64(86_400_000_000_000)
    every_i = every.to_numpy(dtype="datetime64[ns]").view("int64")
    ld_i = ld.to_numpy(dtype="datetime64[ns]").view("int64")
    d_all = pd.DatetimeIndex(asof).to_numpy(dtype="datetime64[ns]")
    d_i = d_all.view("int64")
    last_any = np.searchsorted(every_i, d_i, side="right")
    gap = (d_i - every_i[np.maximum(last_any - 1, 0)]) // day_ns    # Timedelta.days (floor)
    jj = np.searchsorted(ld_i, d_i, side="right")
    kk = np.searchsorted(ld_i, d_i - np.int64(recent_days) * day_ns, side="right")
    # no record yet, or it stopped: unknown, not calm; an undated evening: nothing
    use = ~np.isnat(d_all) & (last_any > 0) & (gap <= AUCTION_FEED_STALE_DAYS) & (jj > 0)
    done: dict[tuple[int, int], tuple[Any, ...]] = {}
    for i in np.flatnonzero(use).tolist():
        j, k = int(jj[i]), int(kk[i])
        row = done.get((j, k))
        if row is None:
            pick = j - 1
            same = [pick]
            if cw[j] - cw[k] > 0:
                # the latest day with a weak auction in the window (not the latest auction,
                # which may be strong): each weak auction is news in turn (naming the weakest
                # of the window kept a later weak auction of the same week from ever being
                # named); of that day's weak ones the weakest, and every tenor (2022-06-27:
                # 5- and 2-year)
                last = k + int(np.flatnonzero(w[k:j])[-1])
                same = [x for x in range(k, j) if w[x] and ld_i[x] == ld_i[last]]
                same.sort(key=lambda x: -score[x])
                pick = same[0]
            row = done[(j, k)] = (
                # the score and the parts of the same auction
                tuple(float(v[pick]) if np.isfinite(v[pick]) else None
                      for v in numbers.values()),
                pd.Timestamp(ld[pick]).date().isoformat(),
                " and ".join(dict.fromkeys(f"{int(years[x])}-year" for x in same)),
                True if cw[j] - cw[k] > 0 else (None if cn[j] - cn[k] > 0 else False))
        vals, date, tenor, weak = row
        for col, v in zip(numbers, vals, strict=True):
            out[col][i] = v
        out["date"][i] = date
        out["tenor"][i] = tenor
        out["weak"][i] = weak
    return out


def demand_fact_frame(result: DemandResult, dates: pd.DatetimeIndex, *,
                      recent_days: int = 7) -> pd.DataFrame:
    """:func:`demand_facts` of many dates at once (one row per date; a replay's fast path).

    Row ``t`` equals ``demand_facts(result, at=t)`` (tested on sampled dates); dates before the
    first reading have ``None`` everywhere and ``as_of`` NaT. ``as_of`` is the gauge's date,
    ``day`` the calendar's, and ``<fact>@date`` the date of each signal fact
    (:func:`demand_fact_dates`).
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
    # the signals: the calendar's row of the date (:meth:`DemandResult.day`)
    ok_d = pos_all >= 0
    drows = frame.iloc[np.clip(pos_all, 0, None)]
    day = pd.DatetimeIndex(np.where(ok_d, frame.index[np.clip(pos_all, 0, None)],
                                    np.datetime64("NaT")))
    out = pd.DataFrame(index=dates)
    out["as_of"] = asof
    out["day"] = day
    for c in ("gauge", "percentile"):
        out[f"demand.{c}"] = np.where(ok, rows[c].to_numpy(dtype=float), np.nan)
    for c in _SIGNALS:
        out[f"demand.{c}"] = np.where(ok_d, drows[c].to_numpy(dtype=float), np.nan)
    top = rows["top_group"].astype(object).to_numpy()
    out["demand.top_group"] = [t if (k and t) else None for t, k in zip(top, ok, strict=True)]
    out["demand.top_group_label"] = [GROUP_LABELS.get(t) if (k and t) else None
                                     for t, k in zip(top, ok, strict=True)]
    for classes in _CLASS_SETS:
        cols = auction_columns(result.auctions, day, recent_days, classes)
        for name, (cl, key) in _AUCTION_FACTS.items():
            if cl != classes:
                continue
            if key in AUCTION_NUMBERS:
                out[name] = np.array([np.nan if v is None else v for v in cols[key]])
            else:
                out[name] = pd.Series(cols[key], index=dates, dtype=object)
            out[f"{name}@date"] = pd.to_datetime(pd.Series(cols["date"], index=dates))
    # interventions: the last report and whether it is recent
    idays = np.where(ok_d, drows["intervention_days"].to_numpy(dtype=float), np.nan)
    jpy = np.where(ok_d, drows["intervention_usd_sold_jpy_bn"].to_numpy(dtype=float), np.nan)
    usd = np.where(ok_d, drows["intervention_usd_sold_usd_bn"].to_numpy(dtype=float), np.nan)
    out["demand.intervention_days"] = idays
    out["demand.intervention_jpy_bn"] = jpy
    out["demand.intervention_usd_bn"] = usd
    nat = result.signals.natives.get("interventions")
    rep: list[Any] = [None] * len(dates)
    if nat is not None and ok_d.any():
        released = pd.DatetimeIndex(nat.last_reported(day[ok_d])["released"])
        fresh = np.zeros(len(dates), dtype=bool)
        have = ~pd.isna(released)
        age = (day[ok_d] - released).days
        fresh[np.flatnonzero(ok_d)] = have & (np.asarray(age, dtype=float) < recent_days)
        # the report's total, not its days: MOF dates each operation only in its quarterly
        # release, weeks later (the alert rested on days a trader could not know yet)
        for i in np.flatnonzero(ok_d):
            if np.isfinite(jpy[i]):
                rep[i] = bool(fresh[i] and jpy[i] > 0)
    out["demand.intervention_reported"] = rep
    gone = stale_inputs(result, day)
    out["demand.stale_inputs"] = np.where(ok_d & inputs_reported(result, day),
                                          [float(len(g)) for g in gone], np.nan)
    out["demand.stale_inputs_list"] = pd.Series(["; ".join(g) if g else None for g in gone],
                                                index=dates, dtype=object)
    # the observation each signal describes
    nat_obs = {}
    for k, nt in result.signals.natives.items():
        got = pd.Series(pd.NaT, index=dates, dtype="datetime64[ns]")
        if ok_d.any():
            got[ok_d] = nt.last_reported(day[ok_d])["observed"].to_numpy()
        nat_obs[k] = got
    for name, k in _FACT_NATIVE.items():
        out[f"{name}@date"] = nat_obs.get(k, pd.NaT)
    for name in FACTS:
        if name not in GAUGE_FACTS and f"{name}@date" not in out:
            out[f"{name}@date"] = day
    return out


def _intervention_facts(result: DemandResult, d: pd.Timestamp,
                        recent_days: int) -> dict[str, Any]:
    row = result.frame.loc[d]
    days = row["intervention_days"]
    nat = result.signals.natives.get("interventions")
    out: dict[str, Any] = {"demand.intervention_days": days,
                           "demand.intervention_jpy_bn": row["intervention_usd_sold_jpy_bn"],
                           "demand.intervention_usd_bn": row["intervention_usd_sold_usd_bn"]}
    amount = row["intervention_usd_sold_jpy_bn"]
    if nat is None or not np.isfinite(amount):
        out["demand.intervention_reported"] = None
        return out
    rep = nat.last_reported(pd.DatetimeIndex([d])).iloc[0]["released"]
    fresh = pd.notna(rep) and (d - pd.Timestamp(rep)).days < recent_days
    out["demand.intervention_reported"] = bool(fresh and amount > 0)
    return out


def observed_selling(result: DemandResult, at: object = None, *,
                     evening: bool = False) -> dict[str, Any]:
    """The published size of foreign selling, for comparison with a sell-off scenario.

    Parameters
    ----------
    result : DemandResult
    at : date-like, optional
        Default: the last date.
    evening : bool
        Read the calendar's day on or before ``at`` (:meth:`DemandResult.day`: what was
        published and fresh that evening, gauge or not) rather than the gauge's last reading
        (:meth:`DemandResult._as_of`, the default, as the gauge's headline is dated). A
        scenario priced as of 2007-08-30 read custody on 2007-08-17, the gauge's last reading,
        where the print of 08-29 was out that evening (down $47 bn in 4 weeks, $33 bn in 8).

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
    d = result.day(at) if evening else result._as_of(at)
    row = result.frame.loc[d]
    cus = row["custody_chg8_usd_bn"]
    parts = []
    last = _last_custody(result, d)
    c4 = row["custody_chg4_usd_bn"]
    # a calendar that stops before the evening (no ``end``: the data's last release) reads an
    # earlier day's row, judged fresh on that day, where a Wednesday custody print goes past
    # its 16 days on a Saturday (as of 2026-07-11 "custody fell $98 bn in 8 weeks" of the
    # 06-24 print, 17 days old; "past its staleness limit" from Monday 07-13) and a report of
    # interventions past its 45 on any day (the 06-30 report said on Saturday 2026-08-15)
    stale = {k: evening and _stale_on(result, k, d, at) for k in ("custody", "interventions")}
    if stale["custody"]:
        cus = c4 = np.nan
    if np.isfinite(cus):
        parts.append(f"custody {_moved(cus)} in 8 weeks" + _last_4_weeks(cus, c4))
    elif last is not None:
        # past its limit, the last print is not today's figure, but it is the last published
        # evidence: shown as such rather than left out ("custody data unavailable")
        parts.append(f"custody's last print ({last[0]:%Y-%m-%d}, past its staleness limit): "
                     f"{_moved(last[1])} in 8 weeks")
    elif np.isfinite(c4):
        # a record shorter than 8 weeks: its 4-week change is published evidence too
        parts.append(f"custody {_moved(c4)} in 4 weeks (no 8-week change yet: its record "
                     "is shorter)")
    jp = row["japan_bond_net8_usd_bn"]
    jp4 = row["japan_bond_net4_usd_bn"] if "japan_bond_net4_usd_bn" in row.index else np.nan
    if np.isfinite(jp):
        # the last 4 weeks as custody's: "sold $12 bn in 8 weeks" on 2025-04-10, when the
        # last 4 had sold $20 bn (the week to 04-05 alone ¥2.57tn)
        parts.append(_japan_flows(jp, jp4, "$") + _japan_week(result, row, d))
    elif np.isfinite(jy := row.get("japan_bond_net8_jpy_bn", np.nan)):
        # the yen flows are published; their dollar size needs a current USD/JPY rate, as the
        # interventions' (2026-03-13: ¥2,479 bn sold in 8 weeks, ¥2,662 bn in the last 4, and
        # the sentence said only "custody fell $34 bn", the rate having stopped in February)
        parts.append(_japan_flows(jy, row.get("japan_bond_net4_jpy_bn", np.nan), "¥")
                     + _japan_week(result, row, d) + " (no current USD/JPY rate to convert it)")
    iv = row["intervention_usd_sold_2m_usd_bn"]
    iv_jpy = row["intervention_usd_sold_2m_jpy_bn"] if "intervention_usd_sold_2m_jpy_bn" in \
        row.index else np.nan
    if stale["interventions"]:
        iv = iv_jpy = np.nan
    when = _intervention_reports(result, d)
    if np.isfinite(iv) and iv > 0:
        parts.append(f"Japan's interventions sold ${iv:,.0f} bn of dollars{when}")
    elif np.isfinite(iv_jpy) and iv_jpy > 0:
        # the yen amount is published; the dollar amount needs a current USD/JPY rate
        parts.append(f"Japan's interventions sold dollars for ¥{iv_jpy:,.0f} bn{when} (no "
                     "current USD/JPY rate to convert it)")
    sentence = "; ".join(parts) or "no published measure of foreign selling is current"
    return jsonable({"date": d, "custody_chg8_usd_bn": cus, "custody_chg4_usd_bn": c4,
                     "japan_bond_net8_usd_bn": jp, "japan_bond_net4_usd_bn": jp4,
                     "intervention_usd_sold_2m_usd_bn": iv, "sentence": sentence,
                     "custody_last_print": None if last is None or np.isfinite(cus) else {
                         "date": last[0], "custody_chg8_usd_bn": last[1]}})


def _flat(chg: float) -> bool:
    """Whether a change in bn prints as 0 (``{:,.0f}`` rounds half to even: ±0.5 is flat)."""
    return f"{abs(chg):,.0f}" == "0"


def _moved(chg: float, verbs: tuple[str, str] = ("fell", "rose"), unit: str = "$",
           be: str = "was") -> str:
    """``"fell $39 bn"``, or ``"was flat (+$0.2 bn)"`` for a change that prints as $0 bn.

    Custody up $0.2 bn over the 8 weeks to 2020-03-11 read "rose $0 bn" (a rise, to a reader
    of the scenario's "buying"). ``be``: the verb of a flat change ("were" for a plural
    subject).
    """
    if _flat(chg):
        return f"{be} flat ({'-' if chg < 0 else '+'}{unit}{abs(chg):.1f} bn)"
    return f"{verbs[0] if chg < 0 else verbs[1]} {unit}{abs(chg):,.0f} bn"


def _japan_flows(chg8: float, chg4: float, unit: str) -> str:
    """Japan's residents' net foreign-bond purchases over 8 weeks, and the last 4's if apart.

    ``"Japan's investors sold $12 bn of foreign bonds in 8 weeks (sold $20 bn in the last
    4)"``, in dollars or (``unit`` ``"¥"``) in yen.
    """
    said = (f"Japan's investors' net foreign-bond purchases {_moved(chg8, unit=unit, be='were')}"
            if _flat(chg8) else
            f"Japan's investors {_moved(chg8, ('sold', 'bought'), unit)} of foreign bonds")
    return said + " in 8 weeks" + _last_4_weeks(chg8, chg4, ("sold", "bought"), unit)


def _last_4_weeks(chg8: float, chg4: float,
                  verbs: tuple[str, str] = ("fell", "rose"), unit: str = "$") -> str:
    """``" (fell $39 bn in the last 4)"`` when the last 4 weeks tell another story.

    On 2020-03-18 custody was up $0.2 bn over 8 weeks and down $39 bn over the last 4 (the
    8-week window began at the mid-January level): "rose $0 bn" alone read as buying.
    ``verbs``: the words for a fall and a rise ("sold", "bought" for Japan's flows).
    """
    if not np.isfinite(chg4) or _flat(chg4):
        return ""
    if np.sign(chg4) != np.sign(chg8) or abs(chg4) > abs(chg8):
        return f" ({_moved(chg4, verbs, unit)} in the last 4)"
    return ""


def _japan_week(result: DemandResult, row: pd.Series, d: pd.Timestamp) -> str:
    """``"; the week to 2024-06-08 alone sold ¥2,687 bn (z -2.84)"`` for a week beyond 2σ.

    On 2024-06-13 the 8 and 4 weeks read "sold $6 bn ... (bought $3 bn in the last 4)" while
    the week just published was the third-largest sale on file: the alert's own fact said so,
    the sentence beside a scenario did not.
    """
    z = row.get("japan_bond_net1_z", np.nan)
    week = row.get("japan_bond_net1_jpy_bn", np.nan)
    if not (np.isfinite(z) and np.isfinite(week)) or abs(z) < 2.0:
        return ""
    seen = result.observed_on("japan_weekly", d)
    to = "" if seen is None else f" to {seen:%Y-%m-%d}"
    return (f"; the week{to} alone {'sold' if week < 0 else 'bought'} ¥{abs(week):,.0f} bn "
            f"(z {z:+.2f})")


def _intervention_reports(result: DemandResult, d: pd.Timestamp) -> str:
    """" (MOF's reports for 2026-05 and 2026-06)": the months the two-report sum covers.

    A report of the two that sold nothing is said to: on 2022-12-06 the sum read "sold $43 bn
    of dollars (MOF's reports for 2022-10 and 2022-11)" where November's report held none,
    and a trader read the gauge's "Japan official" lead as selling in both months; it reads
    " (MOF's report for 2022-10; none in 2022-11's)".
    """
    seen = result.observed_on("interventions", d)
    if seen is None:
        return ""
    last = result.signals.natives["interventions"].values.loc[:seen].iloc[-2:]
    sold = last["intervention_usd_sold_jpy_bn"].to_numpy(dtype=float)
    months = [f"{m:%Y-%m}" for m in last.index]
    if len(months) == 2 and np.isfinite(sold).all() and (sold == 0).any():
        some, none = (months[0], months[1]) if sold[1] == 0 else (months[1], months[0])
        return f" (MOF's report for {some}; none in {none}'s)"
    return f" (MOF's reports for {' and '.join(months)})"


def _stale_on(result: DemandResult, name: str, d: pd.Timestamp, at: object) -> bool:
    """Whether input ``name``'s value read on ``d`` is past its staleness limit on ``at``.

    ``at`` is after ``d`` when the calendar stops before the evening (a result without an
    ``end``, read on the store's newest day, a weekend's).
    """
    if at is None:
        return False
    evening = pd.Timestamp(as_date(at, "at"))
    nat = result.signals.natives.get(name)
    seen = result.observed_on(name, d)
    if evening <= d or nat is None or seen is None:
        return False
    return nat.is_stale(seen, evening)


def _last_custody(result: DemandResult, d: pd.Timestamp) -> tuple[pd.Timestamp, float] | None:
    """Custody's last published 8-week change on ``d`` (its week, value), stale or not."""
    nat = result.signals.natives.get("custody")
    if nat is None or len(nat.values) == 0:
        return None
    rep = nat.last_reported(pd.DatetimeIndex([d])).iloc[0]
    if pd.isna(rep["observed"]):
        return None
    v = nat.values.loc[rep["observed"], "custody_chg8_usd_bn"]
    return (pd.Timestamp(rep["observed"]), float(v)) if np.isfinite(v) else None


def compare_with_scenario(result: DemandResult, *, scenario: str, amount_usd_bn: float,
                          at: object = None, first_8w_usd_bn: float | None = None,
                          evening: bool = False) -> str:
    """One sentence comparing observed custody selling with a scenario's size.

    Parameters
    ----------
    result : DemandResult
    scenario : str
        The scenario's name (e.g. ``"japan-intervention"``).
    amount_usd_bn : float
        The scenario's sale size, USD bn.
    at : date-like, optional
    first_8w_usd_bn : float, optional
        What the scenario sells in its first 8 weeks (40 business days), USD bn: custody's
        8-week change is compared with that (a 27-week sale is not matched against 8 weeks of
        custody). Default: the whole sale.
    evening : bool
        As :func:`observed_selling`'s: the evening's published figures, not the gauge's last
        reading's.

    Returns
    -------
    str
        e.g. ``"custody fell $61 bn in 8 weeks, about 0.6x the size of japan-intervention
        ($100 bn)"``; a rise is said as buying, with no ratio (a $17 bn rise read "0.2x the
        size of" a sale); or a sentence saying custody data are unavailable.
    """
    cus, head = _custody_change(result, at, evening)
    if cus is None:
        obs = observed_selling(result, at, evening=evening)
        c4 = obs.get("custody_chg4_usd_bn")
        if c4 is not None:
            # a record shorter than 8 weeks (custody from 2007-07-04): "custody data
            # unavailable on 2007-08-09" of a print the day before, down $5 bn in 4 weeks
            return (f"custody {_moved(c4)} in 4 weeks and has no 8-week change yet on "
                    f"{obs['date']} (its record is shorter); cannot compare with {scenario}")
        return f"custody data unavailable on {obs['date']}; cannot compare with {scenario}"
    c4 = observed_selling(result, at, evening=evening).get("custody_chg4_usd_bn") \
        if not head else None
    flat = _flat(cus)                   # as the sentence prints it
    if (cus >= 0 or flat) and c4 is not None and c4 < 0 and not _flat(c4) and -c4 > cus:
        # down more over the last 4 weeks than up over 8: not "buying"
        return (f"custody {_moved(cus)} in 8 weeks but fell ${abs(c4):,.0f} bn in the "
                f"last 4; the 8-week change sets no selling against {scenario} "
                f"({_usd_bn(amount_usd_bn)})")
    # the last 4 weeks when they tell another story, as `demand`'s sentence gives them: on
    # 2022-09-28 custody was up $16 bn over 8 weeks and down $15 bn over the last 4, and the
    # sentence beside the scenario read "buying" alone
    four = _last_4_weeks(cus, c4) if c4 is not None else ""
    # the stale last print leads in itself ("custody's last print (…): custody fell" said
    # custody twice)
    head = head or "custody "
    if cus >= 0 or flat:
        # (a change that rounds to $0 bn is flat: neither "buying" nor "fell $0 bn, about
        # 0.0x the size of" the sale)
        return (f"{head}{_moved(cus)} in 8 weeks{four}: "
                f"{'' if flat else 'buying, '}no selling to set against {scenario} "
                f"({_usd_bn(amount_usd_bn)})")
    # what counts as the whole sale: within $0.5bn, or 0.5% of a small one ($900m over 12
    # weeks sells $600m in its first 8: compared with the whole, custody read 109x, not 163x)
    tol = min(0.5, 0.005 * abs(amount_usd_bn))
    if first_8w_usd_bn is not None and first_8w_usd_bn < tol \
            and amount_usd_bn - first_8w_usd_bn >= tol:
        return (f"{head}fell ${abs(cus):,.0f} bn in 8 weeks{four}; {scenario} sells "
                f"nothing in its first 8 weeks (its {_usd_bn(amount_usd_bn)} come later)")
    part = first_8w_usd_bn is not None and first_8w_usd_bn < amount_usd_bn - tol
    base = first_8w_usd_bn if part and first_8w_usd_bn is not None else amount_usd_bn
    ratio = abs(cus) / base if base else float("nan")
    if part:
        return (f"{head}fell ${abs(cus):,.0f} bn in 8 weeks{four}, about {_times(ratio)}x "
                f"what {scenario} sells in its first 8 weeks ({_usd_bn(base)} of "
                f"{_usd_bn(amount_usd_bn)})")
    return (f"{head}fell ${abs(cus):,.0f} bn in 8 weeks{four}, about {_times(ratio)}x the "
            f"size of {scenario} ({_usd_bn(amount_usd_bn)})")


def _times(ratio: float) -> str:
    """A ratio as ``0.8`` (one decimal), or two significant figures under 0.1.

    Custody's $98bn fall against a $2,735bn sale read "about 0.0x the size of" it, not 0.036x.
    """
    return f"{ratio:.1f}" if not ratio < 0.1 else f"{ratio:.2g}"


def _usd_bn(x: float) -> str:
    """A scenario's dollars (``x`` in $bn): ``$100 bn``, ``$1.5 bn``, or ``$500m`` under $1bn."""
    return sale_size(x * 1e9, space=True)


def _custody_change(result: DemandResult, at: object = None, evening: bool = False
                    ) -> tuple[float | None, str]:
    """Custody's 8-week change ($bn) and, when it is the stale last print, a lead-in."""
    obs = observed_selling(result, at, evening=evening)
    cus = obs["custody_chg8_usd_bn"]
    if cus is None and obs.get("custody_last_print"):
        last = obs["custody_last_print"]
        return (last["custody_chg8_usd_bn"],
                f"custody's last print ({last['date']}, past its staleness limit): ")
    return cus, ""


def custody_share_of_sale(result: DemandResult, base_usd_bn: float, at: object = None, *,
                          evening: bool = False) -> float | None:
    """Custody's 8-week sale as a share of ``base_usd_bn`` (0 when custody rose).

    The same figure as :func:`compare_with_scenario`'s ratio (its stale last print too);
    ``None`` without custody data or a base.
    """
    cus, _ = _custody_change(result, at, evening)
    if cus is None or not base_usd_bn:
        return None
    return max(0.0, -float(cus)) / base_usd_bn
