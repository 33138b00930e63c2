"""The result of the foreign-demand monitor: one row per business day, the latest reading."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable, whole_percentile
from spillwatch._validation import as_date
from spillwatch.exceptions import ConfigError, DataError
from spillwatch.plotting.demand import BANDS as SELLING_BANDS
from spillwatch.plotting.demand import top_ranked

if TYPE_CHECKING:
    from spillwatch.analytics.demand._asof import Native
    from spillwatch.analytics.demand.signals import SignalSet

#: Readable label and unit of the main signals (others are shown by column name).
SIGNAL_LABELS: dict[str, tuple[str, str]] = {
    "custody_usd_bn": ("foreign official custody at the NY Fed", "USD bn"),
    "custody_chg1_usd_bn": ("custody, 1-week change", "USD bn"),
    "custody_chg4_usd_bn": ("custody, 4-week change", "USD bn"),
    "custody_chg8_usd_bn": ("custody, 8-week change", "USD bn"),
    "custody_chg1_z": ("custody 1-week change vs its past", "z"),
    "custody_chg4_z": ("custody 4-week change vs its past", "z"),
    "japan_bond_net1_jpy_bn": ("Japan: weekly net purchases of foreign bonds", "JPY bn"),
    "japan_bond_net4_jpy_bn": ("Japan: net foreign-bond purchases, 4 weeks", "JPY bn"),
    "japan_bond_net8_jpy_bn": ("Japan: net foreign-bond purchases, 8 weeks", "JPY bn"),
    "japan_bond_net1_z": ("Japan weekly net purchases vs their past", "z"),
    "japan_bond_net4_z": ("Japan 4-week net purchases vs their past", "z"),
    "japan_bond_net4_usd_bn": ("Japan: net foreign-bond purchases, 4 weeks", "USD bn"),
    "japan_bond_net8_usd_bn": ("Japan: net foreign-bond purchases, 8 weeks", "USD bn"),
    "intervention_usd_sold_jpy_bn": ("MOF latest report: dollars sold in interventions",
                                     "JPY bn"),
    "intervention_usd_sold_usd_bn": ("MOF latest report: dollars sold (at the period's mean "
                                     "rate)", "USD bn"),
    "intervention_yen_buying_jpy_bn": ("MOF latest report: yen-buying interventions", "JPY bn"),
    "intervention_days": ("MOF quarterly detail: dollar-selling intervention days", "days"),
    "intervention_usd_sold_2m_jpy_bn": ("MOF last two reports: dollars sold", "JPY bn"),
    "intervention_usd_sold_2m_usd_bn": ("MOF last two reports: dollars sold (at the periods' "
                                        "mean rates)", "USD bn"),
    "auction_weakness_28d": ("auction weakness score, last 28 days (mean)", "score"),
    "auction_indirect_dev_28d_pp": ("indirect share vs same-tenor average, last 28 days",
                                    "pp"),
    "auction_weak_28d": ("weak auctions in the last 28 days", "count"),
    "auction_10y_weakness": ("latest 10-year auction, weakness score", "score"),
    "auction_30y_weakness": ("latest 30-year auction, weakness score", "score"),
    "hedged_pickup_pct": ("hedged 10y UST minus 10y JGB (Japanese investor; before the "
                          "cross-currency basis: an upper bound)", "pp"),
    "hedged_pickup_chg20_bp": ("hedged pick-up, 20-day change", "bp"),
    "ust_jgb_10y_spread_pct": ("10y UST minus 10y JGB, unhedged", "pp"),
    "hedge_cost_pct": ("hedge cost: USD minus JPY short rate", "pp"),
    "china_reserves_usd_bn": ("China FX reserves (SAFE)", "USD bn"),
    "china_reserves_chg1_usd_bn": ("China reserves, 1-month change", "USD bn"),
    "china_reserves_chg1_z": ("China reserves change vs its past (valuation included)", "z"),
    "china_reserves_valuation_usd_bn": ("China reserves, valuation (dollar and yields)",
                                        "USD bn"),
    "china_reserves_flow_usd_bn": ("China reserves, change net of valuation", "USD bn"),
    "china_reserves_flow_z": ("China reserves flow vs its fit", "z"),
    "tic_japan_chg1_usd_bn": ("TIC Japan holdings, 1-month change", "USD bn"),
    "tic_china_mainland_chg1_usd_bn": ("TIC China holdings, 1-month change", "USD bn"),
    "tic_foreign_official_chg1_usd_bn": ("TIC foreign official holdings, 1-month change",
                                         "USD bn"),
    "usdjpy": ("yen per dollar", "JPY"),
}
_INVESTORS = {"total": "all investors", "banks": "banks", "trust_bank": "trust banks",
              "trust_pension": "pension trusts", "secfirms": "securities firms",
              "life": "life insurers", "nonlife": "non-life insurers",
              "invtrust": "investment trusts", "others": "others",
              "central_bank": "central bank", "govt": "government"}
SIGNAL_LABELS.update({
    f"japan_ltbonds_{k}_jpy_tn": (f"Japan monthly net foreign-bond purchases: {v}", "JPY tn")
    for k, v in _INVESTORS.items()})
SIGNAL_LABELS.update({
    f"auction_{c}y_weakness": (f"latest {c}-year auction, weakness score", "score")
    for c in (2, 3, 5, 7, 10, 20, 30)})
for _h, _name in (("japan", "Japan"), ("china_mainland", "China"),
                  ("united_kingdom", "United Kingdom"), ("belgium", "Belgium"),
                  ("cayman_islands", "Cayman Islands"), ("foreign_official", "foreign official"),
                  ("grand_total", "all foreign holders")):
    SIGNAL_LABELS.setdefault(f"tic_{_h}_usd_bn", (f"TIC holdings: {_name}", "USD bn"))
    SIGNAL_LABELS.setdefault(f"tic_{_h}_chg1_usd_bn",
                             (f"TIC holdings: {_name}, 1-month change", "USD bn"))
    SIGNAL_LABELS.setdefault(f"tic_{_h}_chg3_usd_bn",
                             (f"TIC holdings: {_name}, 3-month change", "USD bn"))
    SIGNAL_LABELS.setdefault(f"tic_{_h}_chg1_z", (f"TIC {_name} monthly change vs its past "
                                                  "(valuation included)", "z"))
    SIGNAL_LABELS.setdefault(f"tic_{_h}_valuation_usd_bn",
                             (f"TIC {_name} holdings, valuation (the 10-year's move)", "USD bn"))
    SIGNAL_LABELS.setdefault(f"tic_{_h}_flow_usd_bn",
                             (f"TIC {_name} holdings, change net of valuation", "USD bn"))
    SIGNAL_LABELS.setdefault(f"tic_{_h}_flow_z",
                             (f"TIC {_name} change net of valuation vs its past", "z"))
SIGNAL_LABELS.update({
    "usd_short_rate_pct": ("USD short rate (3-month bill, else SOFR)", "%"),
    "jpy_short_rate_pct": ("JPY short rate (3-month interbank, else TONA)", "%"),
})

#: The inputs behind each gauge group (names of :meth:`DemandResult.inputs_reported`).
GROUP_INPUTS: dict[str, tuple[str, ...]] = {
    "custody": ("custody",), "japan_private": ("mof_weekly",),
    "japan_official": ("interventions",), "auctions": ("auctions",),
    "china": ("china_reserves", "tic"),
}


def _last_observed(inputs: dict[str, Any], group: str) -> str | None:
    """The newest observation date among a group's inputs (ISO), or None."""
    seen = [str(v["observed"]) for k in GROUP_INPUTS.get(group, ())
            if isinstance(v := inputs.get(k), dict) and v.get("observed")]
    return max(seen) if seen else None


def why_unavailable(group: str, seen: str | None, inputs: dict[str, Any],
                    stored: Collection[str] | None = None, day: object = None) -> str:
    """Why a group has no reading, in words: no data, stale, too little history, no dollar.

    China's reserves count net of valuation, which needs a current broad dollar.

    ``" (last observed 2026-06-24: past its staleness limit)"``, ``" (no data)"``, or for a
    group whose inputs are current ``" (last observed 2008-10-08: too little history to rank
    it)"`` (the custody print of 2008-10-08 was current; its record began in 2007, and the
    line read as if it were stale). A group never seen whose input the store holds from later
    on (``stored``, :attr:`DemandResult.stored_inputs`, on the evening ``day``)
    says so: " (none published by then: auction results from 2015-01-12)" (it read "(no data)"
    on 2007-08-09).
    """
    if not seen:
        first = _group_first(group, stored, day)
        if first is None:
            return " (no data)"
        return f" (none published by then: {first})"
    fresh = any(_current(inputs.get(k)) for k in GROUP_INPUTS.get(group, ()))
    why = "too little history to rank it" if fresh else "past its staleness limit"
    tic = inputs.get("tic")
    first_tic = _first_of(stored, "tic")
    if (group == "china" and tic is not None and _current(tic)
            and not _current(inputs.get("china_reserves"))
            and _spans_break_into(tic["observed"])
            and (first_tic is None or first_tic.dated.to_period("M")
                 < pd.Timestamp(str(tic["observed"])).to_period("M"))):
        # China read by TIC alone, whose newest month is a series break (June 2010 on
        # 2010-09-15 read "too little history to rank it" of a line begun in 2000); not the
        # store's first month, which has no change to span one (March 2000, TIC's first)
        month = pd.Timestamp(str(tic["observed"]))
        why = (f"TIC's {month:%B %Y} change spans a series break: Treasury's benchmark "
               "revision, not a flow")
    lacking = [f"{k} {_seen(inputs.get(k))}" for k in ("usd_broad", "ust10y")
               if not _current(inputs.get(k))]
    if group == "china" and _current(inputs.get("china_reserves")) and lacking:
        # the reserve change counts net of its valuation, which the dollar's and the yield's
        # moves give
        why = ("its reserve change counts net of valuation, which needs the broad dollar and "
               f"the 10-year yield ({', '.join(lacking)})")
        if _current(tic) and not _current(inputs.get("ust10y")):
            why += "; so does its TIC line (at market value)"
        elif _current(tic):
            why += "; its TIC line has too little history to rank it"
        elif isinstance(tic, dict) and tic.get("observed"):
            why += f"; its TIC line (last observed {tic['observed']}) is past its staleness limit"
    return f" (last observed {seen}: {why})"


def unavailable_words(why: Mapping[str, str]) -> str:
    """The groups without a reading and why, in the words of every surface.

    ``why``: each group's label and its :func:`why_unavailable` (stripped or not), in order:
    ``"unavailable (unknown, not calm): China (last observed 2018-12-31: past its staleness
    limit)"``. `demand` and the dial follow it with what the percentile ranks
    (:meth:`DemandResult.unavailable_line`); the headline and the report said "no current
    reading from China (...)" for the same state.
    """
    # their risk is unknown, which is not calm
    return "unavailable (unknown, not calm): " + ", ".join(
        f"{g} {w.strip()}".rstrip() for g, w in why.items())


def partial_notes(last: dict[str, Any], stored: Collection[str] | None = None) -> list[str]:
    """A line naming the groups read without some of their indicators, and why (``[]``).

    ``last`` is :meth:`DemandResult.latest`'s dict: "read in part: China without China
    reserves flow vs its fit (its valuation needs the broad dollar and the 10-year yield:
    usd_broad last observed 2025-12-26)". ``stored``: the inputs the store holds, as for
    :func:`hedge_notes`.
    """
    from spillwatch.analytics.demand._columns import GROUP_LABELS

    partial = last.get("groups_partial") or {}
    if not partial:
        return []
    inputs, signals = last.get("inputs") or {}, last.get("signals") or {}
    return ["read in part: " + "; ".join(
        f"{GROUP_LABELS[g]} without "
        + ", ".join(SIGNAL_LABELS.get(n, (n,))[0]
                    + _why_missing(n, inputs, signals, stored, last.get("date"))
                    for n in left) for g, left in partial.items())]


#: The legs of the hedged pick-up (:mod:`~spillwatch.analytics.demand.hedging`): each leg's
#: inputs in order of preference, and its name in a sentence.
_HEDGE_LEGS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ust10y",), "the 10-year Treasury yield"),
    (("jgb10y",), "the 10-year JGB yield"),
    (("dgs3mo", "sofr"), "a USD short rate (3-month bill or SOFR)"),
    (("ir3tib", "tona"), "a JPY short rate (3-month interbank or TONA)"),
)


def hedge_notes(last: dict[str, Any], stored: Collection[str] = ()) -> list[str]:
    """Why the hedged pick-up has no value on the date, in a line (``[]`` when it has one).

    ``last`` is :meth:`DemandResult.latest`'s dict. A store without JGB yields read no
    pick-up and left it out of every table without a word: "no hedged pick-up: the 10-year
    JGB yield is not in the data". ``stored``: the inputs the store holds at all, whether or
    not published by the date (a leg of them with nothing out yet is "not yet published", not
    "not in the data": the yen's short rates before 2002 on ../shared/data).
    """
    if (last.get("signals") or {}).get("hedged_pickup_pct") is not None:
        return []
    inputs = last.get("inputs") or {}
    lacking = []
    for names, label in _HEDGE_LEGS:
        if any(_current(inputs.get(n)) for n in names):
            continue
        seen = [f"{n} last observed {inputs[n]['observed']}" for n in names
                if _seen(inputs.get(n)) != "not given"]
        later = [n for n in names if n in stored and n not in inputs]
        if seen:
            lacking.append(f"{label} is past its staleness limit ({', '.join(seen)})")
        elif later:
            lacking.append(f"{label} was not yet published ({' and '.join(later)} "
                           f"{'has' if len(later) == 1 else 'have'} no value out by then)")
        else:
            lacking.append(f"{label} is not in the data")
    if not lacking:
        return []
    spread = (last.get("signals") or {}).get("ust_jgb_10y_spread_pct") is None
    what = "no hedged pick-up" + (" nor UST–JGB spread" if spread else "")
    return [f"{what} on {last.get('date')}: " + "; ".join(lacking)]


#: The input behind each gauge indicator (its first word names it).
_INDICATOR_INPUT: dict[str, str] = {
    "custody": "custody", "japan": "mof_weekly", "intervention": "interventions",
    "auction": "auctions", "china": "china_reserves", "tic": "tic",
}


#: Each input of :data:`_INDICATOR_INPUT` in words.
_INPUT_WORDS: dict[str, str] = {
    "custody": "Fed custody holdings", "mof_weekly": "MOF weekly flows",
    "interventions": "MOF intervention reports", "auctions": "auction results",
    "china_reserves": "SAFE reserves", "tic": "TIC holdings",
}


class FirstFigure(NamedTuple):
    """The store's first figure of a gauge input: its date and the day it is published."""

    dated: pd.Timestamp
    published: pd.Timestamp


def _first_of(stored: Collection[str] | None, source: str) -> FirstFigure | None:
    """The store's first figure of ``source`` when ``stored`` gives dates (None otherwise)."""
    first = stored.get(source) if isinstance(stored, Mapping) else None
    return first if isinstance(first, FirstFigure) else None


def _first_words(words: str, stored: Collection[str], source: str, day: object) -> str:
    """When the store's figures of ``source`` begin, or are first out, in a clause.

    "Fed custody holdings from 2007-07-04", or of a first figure dated by ``day`` and published
    after it, "MOF weekly flows of 2005-01-08, first published 2005-01-12" (`demand --as-of
    2005-01-10` said "the store's figures begin later" of a week ended two days before).
    ``stored`` without dates (a plain collection) or no ``day``: the input's words alone.
    """
    first = _first_of(stored, source)
    if first is None or day is None:
        return words
    if first.dated <= pd.Timestamp(str(day)).normalize():
        return f"{words} of {first.dated:%Y-%m-%d}, first published {first.published:%Y-%m-%d}"
    return f"{words} from {first.dated:%Y-%m-%d}"


def _group_first(group: str, stored: Collection[str] | None, day: object) -> str | None:
    """:func:`_first_words` of the group's earliest input the store holds (None: it holds none).

    "Fed custody holdings from 2007-07-04"; the input's words alone when ``stored`` has no
    dates or ``day`` is not given.
    """
    held = [i for i in GROUP_INPUTS.get(group, ()) if stored is not None and i in stored]
    if not held:
        return None
    dated = {i: f.dated for i in held if (f := _first_of(stored, i)) is not None}
    if len(dated) == len(held):
        held.sort(key=dated.__getitem__)
    return _first_words(_INPUT_WORDS.get(held[0], held[0]), stored or (), held[0], day)


def _later_how(clauses: Collection[str]) -> str:
    """The verb of a "none published by then" line, as :func:`_first_words`' clauses say.

    "begin later", "are first published later" or "begin or are first published later".
    """
    out = sum(", first published " in c for c in clauses)
    if not out:
        return "begin later"
    return "are first published later" if out == len(clauses) else \
        "begin or are first published later"


def _why_missing(name: str, inputs: dict[str, Any], signals: dict[str, Any],
                 stored: Collection[str] | None = None, day: object = None) -> str:
    """Why a gauge indicator is left out today, in words (not given, stale, history...).

    ``stored`` (the inputs the store holds at all, :func:`spillwatch.service.demand.
    stored_inputs`) tells an input not yet published by the date from one not in the data:
    on 2013-06-24 China's reserves read "(no china_reserves input)" where the store holds
    SAFE's figures from 2015.
    """
    source = _INDICATOR_INPUT.get(name.split("_")[0], "")
    entry = inputs.get(source)
    if not isinstance(entry, dict) or not entry.get("observed"):
        if not source:
            return ""
        words = _INPUT_WORDS.get(source, source)
        if stored is None:
            return f" (no {words} in the data by then)"
        if source not in stored:
            return f" (no {words} in the data)"
        first = _first_of(stored, source)
        if first is None or day is None:
            return f" (no {words} published by then: the store's figures begin later)"
        if first.dated > pd.Timestamp(str(day)).normalize():
            return (f" (no {words} published by then: the store's figures begin "
                    f"{first.dated:%Y-%m-%d})")
        return (f" (no {words} published by then: the store's first, of "
                f"{first.dated:%Y-%m-%d}, is published {first.published:%Y-%m-%d})")
    if not _current(entry) or (
            source == "auctions" and signals.get(name) is None and day is not None
            and _feed_stopped(entry["observed"], day)):
        # (the auction record counts as stopped 21 days after its last auction, as the 28-day
        # means and the monitor's facts take it: on 2026-12-04, 59 days after the file's last
        # auction, the gauge's "why" said auctions had "too little history to rank it")
        return (f" ({_INPUT_WORDS.get(source, source)} last observed {entry['observed']}: "
                "past its staleness limit)")
    if signals.get(name) is not None:
        # a value, not yet ranked: its record is shorter than the gauge's burn-in
        return " (too few readings yet to rank it)"
    if name == "china_reserves_flow_z":
        # the valuation split's own needs: the dollar and the yield of the month, a change
        # between two months SAFE reported, and 24 complete months in the 48 before
        lacking = [f"{k} {_seen(inputs.get(k))}" for k in ("usd_broad", "ust10y")
                   if not _current(inputs.get(k))]
        if lacking:
            return (" (its valuation needs the broad dollar and the 10-year yield: "
                    + ", ".join(lacking) + ")")
        if signals.get("china_reserves_chg1_usd_bn") is None:
            first = _first_of(stored, source)
            if first is not None and \
                    pd.Timestamp(str(entry["observed"])).normalize() == first.dated:
                # the store's first month: no month before it to change from (`demand --as-of
                # 2015-07-08` said SAFE had not reported a month, of a record that begins
                # with June 2015)
                return (f" (the store's first month of SAFE reserves, {first.dated:%Y-%m-%d}: "
                        "no change before it)")
            return " (its last change spans a month SAFE did not report)"
        return " (its valuation fit needs 24 complete months in the 48 before)"
    if name == "tic_china_mainland_flow_z":
        if signals.get("tic_china_mainland_chg1_usd_bn") is None and isinstance(
                tic := inputs.get("tic"), dict) and _spans_break_into(tic.get("observed")):
            # TIC prints the month of each benchmark revision twice (old and new series): the
            # change into it is a revision, not a flow, and is left out (2008-09-15 read China
            # as unavailable without a word of it)
            month = pd.Timestamp(tic["observed"])
            return (f" (TIC's {month:%B %Y} change spans a series break: Treasury's "
                    "benchmark revision, not a flow)")
        # TIC's market value, net of the 10-year's mark: the yield of the month, and the fit's
        # 24 complete months in the 48 before (then a year of flows to rank)
        if not _current(inputs.get("ust10y")):
            return (" (its valuation needs the 10-year yield: ust10y "
                    f"{_seen(inputs.get('ust10y'))})")
        return (" (its valuation fit needs 24 complete months in the 48 before, then a year "
                "of flows)")
    return " (too little history to rank it)"


def _feed_stopped(observed: object, day: object) -> bool:
    """Whether the auction record stopped by ``day`` (no auction in the 21 days before it)."""
    from spillwatch.analytics.demand.auctions import AUCTION_FEED_STALE_DAYS

    return (pd.Timestamp(str(day)) - pd.Timestamp(str(observed))).days > AUCTION_FEED_STALE_DAYS


def _spans_break_into(observed: object) -> bool:
    """Whether the 1-month change into the TIC month ``observed`` spans a series break."""
    from spillwatch.analytics.demand.reserves import spans_tic_break

    if not observed:
        return False
    month = pd.Timestamp(str(observed))
    prev = (month - pd.offsets.MonthEnd(1)).normalize()
    return bool(spans_tic_break(prev, month)[0])


def _seen(entry: object) -> str:
    if isinstance(entry, dict) and entry.get("observed"):
        return f"last observed {entry['observed']}"
    return "not given"


def _current(v: object) -> bool:
    """Whether an input's freshness entry has an observation within its limit."""
    return isinstance(v, dict) and bool(v.get("observed")) and not v.get("stale")


#: Tail probabilities of the traffic lights of gauge indicators (red, amber).
LIGHT_TAILS: tuple[float, float] = (0.05, 0.20)
#: z of the traffic lights of other z-score signals (amber, red), on the selling side: each
#: ``*_z`` signal is a change of holdings or purchases, negative when foreigners sell.
LIGHT_Z: tuple[float, float] = (-2.0, -3.0)


def _light(q: float, value: float, name: str) -> str:
    if math.isfinite(q):
        red, amber = LIGHT_TAILS
        return "red" if q <= red else "amber" if q <= amber else "green"
    if name.endswith("_z") and math.isfinite(value):
        # one-sided as the gauge is: Japan's TIC holdings up $57 bn (z +3.27) read red
        amber, red = LIGHT_Z
        return "red" if value <= red else "amber" if value <= amber else "green"
    return ""


@dataclass(frozen=True, eq=False, repr=False)
class DemandResult(ResultBase):
    """Per-date foreign-demand gauge, percentile, attribution, group tails and signals.

    Attributes
    ----------
    spec : DemandGauge
        The specification that produced it.
    frame : DataFrame
        One row per business day, and a weekend ``end``'s last (index ``date``), columns
        :data:`~spillwatch.analytics.demand.gauge.FRAME_COLUMNS`: ``gauge`` (0–1),
        ``percentile`` (0–100, recursive), ``percentile_groups`` (the groups whose gauge it
        ranks, comma-separated), ``top_group``, ``groups`` (how many were present),
        ``share_<group>`` (0–1, sum 1), ``tail_<group>`` (the group's combined recursive tail
        probability: small = strong evidence of selling) and every signal.
    tails : DataFrame
        Recursive tail probability (0–1) of each gauge indicator as of each date.
    signals : SignalSet
        Native frames, the per-auction table, the intervention operations.
    simulated : bool
        Whether the inputs were the simulated demo market.
    """

    spec: Any
    frame: pd.DataFrame
    tails: pd.DataFrame
    signals: SignalSet
    simulated: bool = False
    #: The inputs the store holds at all, with their first figures (:func:`spillwatch.service.
    #: demand.stored_inputs`), so that the result's own lines tell an input not yet published
    #: from one not in the data, as the service's notes do; ``None`` when not known.
    stored_inputs: Mapping[str, FirstFigure] | None = None
    title: str = field(default="foreign demand for Treasuries", init=False)

    # -- series -------------------------------------------------------------------------
    @cached_property
    def valid(self) -> pd.DataFrame:
        """Rows on which the gauge is defined."""
        return self.frame[self.frame["gauge"].notna()]

    @property
    def gauge(self) -> pd.Series:
        """The gauge (0–1)."""
        return self.frame["gauge"]

    @property
    def percentile(self) -> pd.Series:
        """The gauge's recursive percentile (0–100)."""
        return self.frame["percentile"]

    @cached_property
    def shares(self) -> pd.DataFrame:
        """Attribution shares (columns = group names)."""
        from spillwatch.analytics.demand._columns import GROUP_NAMES, SHARE_COLUMNS

        return self.frame[list(SHARE_COLUMNS)].set_axis(list(GROUP_NAMES), axis=1)

    @property
    def auctions(self) -> pd.DataFrame:
        """One row per auction with deviations, weakness score and the weak/strong flags."""
        t = self.signals.auctions
        return pd.DataFrame() if t is None else t

    @property
    def interventions(self) -> pd.DataFrame:
        """One row per intervention operation with its report (release) date."""
        t = self.signals.operations
        return pd.DataFrame() if t is None else t

    # -- one date -----------------------------------------------------------------------
    def _as_of(self, at: object = None) -> pd.Timestamp:
        frame = self.valid if len(self.valid) else self.frame
        if len(frame) == 0:
            raise DataError("the foreign-demand monitor has no date (the inputs are empty)")
        if at is None:
            return pd.Timestamp(frame.index[-1])
        when = frame.index[frame.index <= as_date(at, "at")]
        if len(when) == 0:
            raise DataError(f"no foreign-demand reading on or before {at}; the first is "
                            f"{frame.index[0].date()}")
        return pd.Timestamp(when[-1])

    def day(self, at: object = None) -> pd.Timestamp:
        """The calendar's last date on or before ``at`` (default: its last), gauge or not.

        The signals of that row are what was published and fresh that evening, whether or not
        enough groups were fresh for a gauge (:meth:`_as_of` is the gauge's last date).
        """
        idx = self.frame.index
        if len(idx) == 0:
            raise DataError("the foreign-demand monitor has no date (the inputs are empty)")
        if at is None:
            return pd.Timestamp(idx[-1])
        when = idx[idx <= as_date(at, "at")]
        if len(when) == 0:
            raise DataError(f"no foreign-demand reading on or before {at}; the first is "
                            f"{idx[0].date()}")
        return pd.Timestamp(when[-1])

    def inputs_reported(self, at: object = None) -> dict[str, dict[str, Any]]:
        """For each input, the date of its last value published by ``at`` and its release.

        ``at`` is the gauge's reading on or before it (:meth:`latest`'s date): on 2008-09-15,
        read as of 2008-08-15, custody's last value is of 2008-08-13, not the 2008-09-10
        published by that evening (:meth:`gap` reads the evening itself).

        Returns
        -------
        dict
            ``{input: {"observed": ISO date, "released": ISO date, "stale": bool}}``.
            Inputs not given, or with nothing published by ``at``, are absent (they are
            :meth:`latest`'s ``missing_inputs``): an input that begins later (SOFR before
            2018) is not yet there, not stale, as :func:`~spillwatch.analytics.demand.facts.
            stale_inputs` counts it and as the data cut at ``at`` shows it.
        """
        return self._reported(self._as_of(at))

    def _reported(self, d: pd.Timestamp) -> dict[str, dict[str, Any]]:
        """:meth:`inputs_reported` on the calendar's date ``d``, gauge or not."""
        grid = pd.DatetimeIndex([d])
        best: dict[str, tuple[pd.Timestamp, pd.Timestamp, Native]] = {}
        natives = self.signals.natives
        for name, nat in natives.items():
            if name == "auctions" and any(k.startswith("auction_") for k in natives):
                # the rolling means have a row each business day past the last auction: the
                # input's date is its last auction's (it read the evening itself, never stale)
                continue
            rep = nat.last_reported(grid).iloc[0]
            obs, rel = rep["observed"], rep["released"]
            if pd.isna(obs):
                continue
            prev = best.get(nat.source)
            if prev is None or obs > prev[0]:
                best[nat.source] = (pd.Timestamp(obs), pd.Timestamp(rel), nat)
        return {src: jsonable({"observed": obs, "released": rel,
                               "stale": nat.is_stale(obs, d)})
                for src, (obs, rel, nat) in best.items()}

    def latest(self, at: object = None) -> dict[str, Any]:
        """The reading of the last date with a defined gauge (or the last on or before ``at``).

        Returns
        -------
        dict
            ``date``, ``gauge``, ``percentile``, ``top_group`` (and ``top_group_label``),
            ``shares`` and ``tails`` (per group), ``groups_unavailable`` (and
            ``groups_last_reading``, the newest observation behind each), ``signals``
            (every signal), ``unavailable`` (signals without a value), ``inputs`` (the date
            each input last reported, :meth:`inputs_reported`), ``hedge_sources`` (which USD
            and JPY short rates priced the hedge) and ``missing_inputs``. NaN becomes ``None``.
        """
        from spillwatch.analytics.demand._columns import GROUP_LABELS, GROUP_NAMES, GROUPS
        from spillwatch.analytics.demand.signals import SIGNAL_COLUMNS

        d = self._as_of(at)
        row = self.frame.loc[d]
        tails = self.tails.loc[d] if d in self.tails.index else pd.Series(dtype=float)
        top = str(row["top_group"])
        reported = self.inputs_reported(d)
        return jsonable({
            "date": d.date().isoformat(), "gauge": row["gauge"],
            "percentile": row["percentile"],
            # the groups whose gauge the percentile ranks (fewer than the gauge's on a fallback)
            "percentile_groups": (str(row["percentile_groups"]).split(",")
                                  if isinstance(row["percentile_groups"], str) else None),
            "top_group": top,
            "top_group_label": GROUP_LABELS.get(top, ""),
            "shares": {g: row[f"share_{g}"] for g in GROUP_NAMES},
            "tails": {g: row[f"tail_{g}"] for g in GROUP_NAMES},
            "groups_unavailable": [g for g in GROUP_NAMES if pd.isna(row[f"tail_{g}"])],
            # the last observation behind each unavailable group (custody's week, Japan's
            # week, ...), or None when it never had one
            "groups_last_reading": {
                g: _last_observed(reported, g)
                for g in GROUP_NAMES if pd.isna(row[f"tail_{g}"])},
            # a group read on part of its indicators (China on its TIC line alone while its
            # reserves have no current dollar to value them, or while their flow has too few
            # readings to rank: 2017-10 to 2020-12 said nothing of it): the indicators with
            # no tail, the ones the group's reading leaves out
            "groups_partial": {
                g: left for g in GROUP_NAMES if pd.notna(row[f"tail_{g}"])
                and (left := [n for n, _ in GROUPS[g] if pd.isna(tails.get(n, np.nan))])},
            "signals": {k: row[k] for k in SIGNAL_COLUMNS},
            "unavailable": [k for k in SIGNAL_COLUMNS if pd.isna(row[k])],
            "inputs": reported,
            "hedge_sources": (self.signals.hedge_source.loc[d].to_dict()
                              if d in self.signals.hedge_source.index else {}),
            "missing_inputs": sorted(set(_source_names()) - set(reported)),
        })

    def gap(self, at: object = None) -> str | None:
        """Why the calendar's date ``at`` (default: its last) has no gauge, in words (or None).

        The gauge of an evening falls back to the last date with enough groups, and the note
        said only "as of 2008-08-15, 31 days before 2008-09-15, the date asked for": "on
        2008-09-15 only Japan private and Japan official have a reading (the gauge needs 3):
        foreign official custody (too few readings yet to rank it), auctions (no auction
        results published by then: ...), China (...)". None when the date has a gauge.
        """
        from spillwatch.analytics.demand._columns import GROUP_LABELS, GROUP_NAMES, GROUPS
        from spillwatch.analytics.demand.signals import SIGNAL_COLUMNS

        if not len(self.frame):
            return None
        d = self.day(at)
        row = self.frame.loc[d]
        if pd.notna(row["gauge"]):
            return None
        inputs = self._reported(d)
        signals = jsonable({k: row[k] for k in SIGNAL_COLUMNS})
        tails = self.tails.loc[d] if d in self.tails.index else pd.Series(dtype=float)
        have = [GROUP_LABELS[g] for g in GROUP_NAMES if pd.notna(row[f"tail_{g}"])]
        need = getattr(self.spec, "min_groups", 3)
        if len(have) >= need:      # enough groups: not a missing reading this explains
            return None
        why = []
        for g in GROUP_NAMES:
            if pd.notna(row[f"tail_{g}"]):
                continue
            reasons: list[str] = []
            for n, _ in GROUPS[g]:
                if pd.notna(tails.get(n, np.nan)):
                    continue
                r = _why_missing(n, inputs, signals, self.stored_inputs, d).strip()[1:-1]
                r = r or "no reading"
                if len(GROUPS[g]) > 1 and len({m for m, _ in GROUPS[g]}) > 1:
                    r = f"{SIGNAL_LABELS.get(n, (n,))[0]}: {r}"
                if r not in reasons:
                    reasons.append(r)
            # both indicators of a group for the same reason: once
            plain = {r.split(": ", 1)[-1] for r in reasons}
            if len(plain) == 1 and len(reasons) > 1:
                reasons = [plain.pop()]
            why.append(f"{GROUP_LABELS[g]} ({'; '.join(reasons)})")
        # "A, B and C" (a gauge needing 4 read "only Japan private and Japan official and China")
        named = ", ".join(have[:-1]) + " and " + have[-1] if len(have) > 1 else "".join(have)
        who = ("no group has a reading" if not have else
               f"only {named} {'has' if len(have) == 1 else 'have'} a reading")
        return (f"on {d:%Y-%m-%d} {who} (the gauge needs {need}): " + ", ".join(why))

    def signals_table(self, at: object = None) -> pd.DataFrame:
        """Signals of one date with unit, gauge group, tail probability and a traffic light.

        Returns
        -------
        DataFrame
            Indexed by signal column: ``signal`` (label), ``unit``, ``value``, ``group`` (the
            gauge group it feeds, or ""), ``tail`` (recursive tail probability for gauge
            indicators: the share of past readings at least as extreme), ``light``.
        """
        from spillwatch.analytics.demand._columns import GROUPS
        from spillwatch.analytics.demand.signals import SIGNAL_COLUMNS

        d = self._as_of(at)
        row = self.frame.loc[d]
        tails = self.tails.loc[d] if d in self.tails.index else pd.Series(dtype=float)
        group_of = {n: g for g, ind in GROUPS.items() for n, _ in ind}
        month = self._investors_month(d)
        # the month each monthly source's row describes: SAFE's reserves are out about a week
        # after their month, TIC's about seven weeks after it; on 2016-01-08 the table read
        # "TIC Japan holdings, 1-month change -27.90" (October 2015's) beside the week's
        # custody with nothing to say it was two months old
        months = {src: self.observed_on(src, d) for src in ("tic", "china")}
        weeks = {src: self.observed_on(src, d) for src in ("custody", "japan_weekly")}
        rows = []
        for col in SIGNAL_COLUMNS:
            v = float(row[col])
            q = float(tails[col]) if col in tails.index else math.nan
            label, unit = SIGNAL_LABELS.get(col, (col, ""))
            if col == "intervention_days":
                label = self._detail_label(label, d)
            elif col.startswith("intervention_"):
                label = self._report_label(label, d)
            elif col.startswith("japan_ltbonds_") and month:
                # the month it is of (published about 40 days after its first day): a
                # desk read March's figures on 2025-04-10 with nothing to say so
                label = label.replace("monthly", f"monthly ({month})", 1)
            elif col.startswith(("tic_", "china_reserves_")):
                obs = months["tic" if col.startswith("tic_") else "china"]
                if obs is not None:
                    label = f"{label} ({obs:%Y-%m})"
            elif col.startswith(("custody_", "japan_bond_net")):
                # the week each weekly row is of: custody's Wednesday (H.4.1, out Thursday),
                # MOF's week to Saturday (out the next Thursday); the table said neither, and
                # on 2025-04-10 the week to 04-05 read as the week of the evening
                obs = weeks["custody" if col.startswith("custody_") else "japan_weekly"]
                if obs is not None:
                    which = ("" if col == "custody_usd_bn" else
                             "week to " if "net1" in col else "to ")
                    label = f"{label} ({which}{obs:%Y-%m-%d})"
            elif col.startswith("auction_") and col.endswith("y_weakness"):
                # the latest auction of the tenor: a 20-year auction is a month old at most,
                # a 30-year's may be two, with nothing to say which it was
                obs = self.observed_on(col.removesuffix("_weakness"), d)
                if obs is not None:
                    label = label.replace(" auction,", f" auction ({obs:%Y-%m-%d}),", 1)
            elif col == "jpy_short_rate_pct":
                label = self._short_rate_label(label, d)
            elif col == "usdjpy":
                # the H.10 rate is out the Monday after its week: on the evening of the BoJ's
                # 2022-12-20 turn the row read "yen per dollar 136.55" (the noon rate of
                # 12-16) with nothing to say so, while the yen stood at 131.08 that day
                obs = self.observed_on("usdjpy", d)
                if obs is not None:
                    label = f"{label} ({obs:%Y-%m-%d})"
            rows.append({"name": col, "signal": label, "unit": unit, "value": v,
                         "group": group_of.get(col, ""), "tail": q,
                         "light": _light(q, v, col) if math.isfinite(v) else ""})
        return pd.DataFrame(rows).set_index("name")

    def _short_rate_label(self, label: str, d: pd.Timestamp) -> str:
        """The JPY short rate's label with what it is of: OECD's month, or TONA's day.

        The 3-month interbank rate is the OECD's monthly average, out about six weeks after
        its month: on the evening of 2024-08-05, after the BoJ's rise of 07-31, the row read
        "JPY short rate (3-month interbank, else TONA) 0.15" (June's average, 0.149) with
        nothing to say so, beside the day's 10-year JGB and 3-month bill.
        """
        src = (self.signals.hedge_source.at[d, "jpy"]
               if d in self.signals.hedge_source.index else "")
        obs = self.observed_on(src, d) if src else None
        if obs is None:
            return label
        if src == "ir3tib":
            return f"{label} (the OECD's {obs:%Y-%m} average)"
        return f"{label} ({src.upper()} of {obs:%Y-%m-%d})"

    def observed_on(self, name: str, d: pd.Timestamp) -> pd.Timestamp | None:
        """The date of input ``name``'s last value published by ``d`` (None: none yet)."""
        nat = self.signals.natives.get(name)
        if nat is None or not len(nat.values):
            return None
        obs = nat.last_reported(pd.DatetimeIndex([d])).iloc[0]["observed"]
        return None if pd.isna(obs) else pd.Timestamp(obs)

    def _investors_month(self, d: pd.Timestamp) -> str:
        """The month of MOF's by-investor figures published by ``d`` (``"2025-03"``), or ""."""
        obs = self.observed_on("investors", d)
        return "" if obs is None else f"{obs:%Y-%m}"

    def _report_label(self, label: str, d: pd.Timestamp) -> str:
        """A report row's label with the month of MOF's report(s) it reads (``"(2011-10)"``).

        MOF's monthly report is out on the month's last business day and holds the operations
        settled in its month: on the evening of 2011-10-31, the day of the record ¥8.07tn
        operation (settled in November), the row read "MOF latest report: dollars sold in
        interventions 0.00" with nothing to say it was October's report, and on 1998-06-17,
        the day of the joint yen-buying operation, the same 0.00 was May's.
        """
        obs = self.observed_on("interventions", d)
        if obs is None:
            return label
        month = obs.to_period("M")
        which = (f"{(month - 1).strftime('%Y-%m')} and {month.strftime('%Y-%m')}"
                 if label.startswith("MOF last two reports") else month.strftime("%Y-%m"))
        return label.replace(":", f" ({which}):", 1)

    def _detail_label(self, label: str, d: pd.Timestamp) -> str:
        """The quarterly detail's label with the quarter it details (``"... (2024 Q2)"``).

        MOF dates its operations only in a quarterly release weeks after the quarter, so
        the count of a date describes a quarter that ended months before it.
        """
        q = self.observed_on("intervention_detail", d)
        if q is None:
            return label
        return label.replace("quarterly detail", f"quarterly detail of {q.year} Q{q.quarter}")

    # -- verbs --------------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        """The latest signals table (:meth:`signals_table`), signals without a value left out."""
        t = self.signals_table()
        return t[t["value"].notna()]

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``date, variable, value`` (numeric columns only)."""
        num = self.frame.drop(columns=["top_group"])
        long = num.reset_index().melt(id_vars="date", var_name="variable", value_name="value")
        return long.dropna(subset=["value"]).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: the latest reading and its signals table."""
        return {"title": self.title, "simulated": self.simulated, "latest": self.latest(),
                "signals": jsonable(self.table().reset_index().to_dict(orient="records"))}

    def _summary_lines(self) -> list[str]:
        from spillwatch.analytics.demand._columns import GROUP_LABELS

        if not len(self.valid):
            return [self.no_reading()]
        last = self.latest()
        pct = last["percentile"]
        # below the lower band nobody is selling, as every headline says ("calm"), and the
        # shares after it are of a small sum (2018-12-24, percentile 20: "attribution:
        # China 31%" with no word of it)
        # ... unless the percentile leaves out the group that carries most of the evidence
        # (its first year): the other groups' calm is not the gauge's
        ranked = top_ranked(last.get("top_group"), last.get("percentile_groups"))
        calm = (", calm" if ranked else
                f", not ranked with its largest part, "
                f"{GROUP_LABELS.get(last.get('top_group') or '', '')}: not a calm reading")
        pct_txt = (f"percentile {whole_percentile(pct)}"
                   + (calm if pct < SELLING_BANDS[0] else "") if pct is not None
                   else "percentile n/a")
        shares = sorted(((v, k) for k, v in last["shares"].items() if v is not None),
                        reverse=True)
        attr = ", ".join(f"{GROUP_LABELS[k]} {100 * v:.0f}%" for v, k in shares)
        s = last["signals"]
        tag = " (SIMULATED)" if self.simulated else ""
        lines = [f"{self.title}{tag} as of {last['date']}: gauge {last['gauge']:.3f} ({pct_txt}); "
                 f"attribution: {attr or 'n/a'}"]
        facts = []
        if s.get("custody_chg4_usd_bn") is not None:
            facts.append(f"custody 4w {s['custody_chg4_usd_bn']:+,.1f} $bn")
        if s.get("japan_bond_net1_jpy_bn") is not None:
            z = s.get("japan_bond_net1_z")
            facts.append(f"Japan weekly net foreign bonds {s['japan_bond_net1_jpy_bn']:+,.0f} ¥bn"
                         + (f" (z {z:+.1f})" if z is not None else ""))
        if s.get("hedged_pickup_pct") is not None:
            facts.append(f"hedged pick-up {s['hedged_pickup_pct']:+.2f} pp")
        if facts:
            lines.append("; ".join(facts))
        unavailable = self.unavailable_line(last)
        if unavailable:
            lines.append(unavailable)
        lines += partial_notes(last, self.stored_inputs)
        return lines

    def unavailable_line(self, last: dict[str, Any] | None = None) -> str | None:
        """The groups without a reading and why, as every surface words them (or None).

        Parameters
        ----------
        last : dict, optional
            :meth:`latest`'s dict (default: the last reading's).

        Returns
        -------
        str or None
            ``"unavailable (unknown, not calm): China (last observed 2018-12-31: past its
            staleness limit); the percentile ranks the gauge of ... among past values of the
            same groups"``, the line ``demand`` prints (without the percentile's clause when
            there is no percentile); None when every group has a reading.
            The dashboard's dial said only "unavailable: China" (2019-02-15).
        """
        from spillwatch.analytics.demand._columns import GROUP_LABELS

        last = self.latest() if last is None else last
        if not last.get("groups_unavailable"):
            return None
        seen = last.get("groups_last_reading") or {}
        # the groups the percentile ranks, which may leave out one read for under a year
        # (2010-06-01 said "the other 4" of a percentile of 3 groups, custody left out)
        ranked = [GROUP_LABELS[g] for g in last.get("percentile_groups") or ()]
        which = (f"of {ranked[0]}" if len(ranked) == 1 else
                 f"of {', '.join(ranked[:-1])} and {ranked[-1]}" if ranked else
                 f"of the other {len(GROUP_LABELS) - len(last['groups_unavailable'])}")
        # no percentile, nothing ranked: a store without any of the gauge's inputs read "the
        # percentile ranks the gauge of the other 0" on the dial and in the report (h_verify36)
        ranks = (f"; the percentile ranks the gauge {which} among past values of the same "
                 "groups" if last.get("percentile") is not None else "")
        return (unavailable_words({
            GROUP_LABELS[g]: why_unavailable(g, seen.get(g), last.get("inputs") or {},
                                             self.stored_inputs, last.get("date"))
            for g in last["groups_unavailable"]}) + ranks)

    def no_reading(self) -> str:
        """Why the gauge has no reading: which groups never reported, which stopped.

        For a result without any reading (an evening before the gauge's first, or a store
        lacking its inputs): the line its text begins with, and the note of every surface's
        null gauge (`demand --as-of 2005-01-10 --json` gave ``"gauge": null`` without a word).
        """
        from spillwatch.analytics.demand._columns import GROUP_LABELS

        need = getattr(self.spec, "min_groups", 3)
        if not len(self.frame):
            return f"{self.title}: no reading: none of the gauge's inputs is in the data"
        last = self.latest()
        seen = last.get("groups_last_reading") or {}
        inputs = last.get("inputs") or {}
        unseen = [g for g in last["groups_unavailable"] if not seen.get(g)]
        # a group none of whose inputs is out by the date while the store holds one of them
        # from later on: `demand --as-of 2003-10-31` read "no data (or too short a history)
        # for foreign official custody, Japan private, auctions" of a store holding custody
        # from 2007, MOF's weekly flows from 2005 and the auctions from 2015 (h_verify20)
        stored = self.stored_inputs
        later = [GROUP_LABELS[g] for g in unseen if stored is not None
                 and any(i in stored for i in GROUP_INPUTS.get(g, ()))]
        never = [GROUP_LABELS[g] for g in unseen if GROUP_LABELS[g] not in later]
        # a group seen before is stale only when none of its inputs is current: TIC's month
        # of 2003-08 on 2003-10-31 (61 days, limit 83) read "past their staleness limit"
        # while the group had too little history to rank it (why_unavailable says which)
        why = {g: why_unavailable(g, seen[g], inputs, stored)
               for g in last["groups_unavailable"] if seen.get(g)}
        stale = "past its staleness limit)"
        old = [f"{GROUP_LABELS[g]} (last observed {seen[g]})" for g, w in why.items()
               if w.endswith(stale)]
        other = [GROUP_LABELS[g] + w for g, w in why.items() if not w.endswith(stale)]
        have = len(GROUP_LABELS) - len(last["groups_unavailable"])
        parts = [f"{self.title}: no reading on {last['date']}: the gauge needs {need} groups "
                 f"with a current reading and has {have}"]
        if never:
            parts.append(f"no data (or too short a history) for {', '.join(never)}")
        if later:
            # when each begins (or is first out), by the group's earliest stored input
            firsts = {GROUP_LABELS[g]: _group_first(g, stored, last.get("date")) or ""
                      for g in unseen if GROUP_LABELS[g] in later}
            named = [f"{g} ({w})" if " from " in w or ", first published " in w else g
                     for g, w in firsts.items()]
            parts.append(f"none published by then for {', '.join(named)}: the store's "
                         f"figures {_later_how(list(firsts.values()))}")
        if old:
            parts.append(f"past their staleness limit: {', '.join(old)}")
        if other:
            parts.append(f"current but not read: {', '.join(other)}")
        return "; ".join(parts)

    @property
    def headline(self) -> str:
        """One line for run summaries."""
        return self._summary_lines()[0]

    def plot(self, kind: str | None = None) -> Any:
        """Plotly figure of the given kind; plotly is imported lazily.

        Kinds: ``"gauge"`` (default), ``"attribution"``, ``"custody"``, ``"japan"``,
        ``"auctions"``, ``"hedge"`` and ``"dial"`` (the dashboard card).
        """
        from spillwatch.plotting import demand as figs

        # the dial takes a note too: a dict of each one's own signature is of no call mypy knows
        kinds: dict[str, Callable[[DemandResult], Any]] = {
            "gauge": figs.gauge_history, "attribution": figs.attribution,
            "custody": figs.custody, "japan": figs.japan_flows,
            "auctions": figs.auction_demand, "hedge": figs.hedged_pickup,
            "dial": figs.demand_dial}
        key = kind or "gauge"
        if key not in kinds:
            raise ConfigError(f"unknown plot kind {key!r}; choose one of: "
                              f"{', '.join(repr(k) for k in kinds)}", parameter="kind",
                              value=key)
        return kinds[key](self)

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(title="foreign-demand signals")
        for c in ("signal", "value", "unit", "tail", "light"):
            t.add_column(c, justify="left" if c in ("signal", "unit") else "right")
        colors = {"red": "bold red", "amber": "bold yellow", "green": "green"}
        for _, r in self.table().iterrows():
            lt = r["light"]
            tail = "" if not np.isfinite(r["tail"]) else f"{r['tail']:.3f}"
            t.add_row(r["signal"], f"{r['value']:,.2f}", r["unit"], tail,
                      Text(lt, style=colors[lt]) if lt else "")
        return Group(*self._summary_lines(), t)


def _source_names() -> tuple[str, ...]:
    from spillwatch.analytics.demand.inputs import input_fields

    return input_fields()
