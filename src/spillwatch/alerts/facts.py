"""The facts that alert rules read: a flat set of named values, each with its date and unit.

A *fact* is one number or label computed from the store, the panel and the analytics, named
``<namespace>.<quantity>``. Rules compare facts with thresholds (see
:mod:`spillwatch.alerts.rules`).

Fact names
----------
Per asset ``<key>`` of :data:`spillwatch.universe.ASSETS` that the store holds:

=================================  ==========================================================
``<key>.level``                    last level, in the unit of the panel's level column
``<key>.chg_<n>d_<u>``             change over the last ``n`` ∈ {1, 5, 20} observations of a
                                   daily asset: ``u = bp`` for yields and spreads (sum of the
                                   ``n`` last daily changes), ``u = pct`` for prices, indices and
                                   FX as a **simple** return ``100 (exp(Σ r / 100) − 1)`` of the
                                   panel's log returns ``r`` (so "a drop of 8 %" means the price
                                   fell to 0.92 of its earlier value), ``u = pts`` for stress
                                   indices, ``u = usd`` for WTI. Markets open every day
                                   (crypto) count their own days: a Saturday crash is
                                   Saturday's 1-day change, seen that evening
``<key>.min_chg_1d_<u>_5d``,       the lowest and the highest 1-day change of the last five
``<key>.max_chg_1d_<u>_5d``        observations, in the unit of ``chg_1d``: an H.10 series
                                   (the broad dollar, USD/JPY, USD/CNY) is published a week at
                                   a time, and its ``chg_1d`` is the week's last day only (a
                                   yen-buying intervention on a Thursday, USD/JPY −2.46% on
                                   2024-05-02, was never a fact); dated the window's last day
``<key>.z_1d``                     the last 1-day change in units of the asset's volatility
                                   forecast the evening before it: RiskMetrics' EWMA
                                   (λ = 0.94) of its earlier changes (log % for prices, bp for
                                   yields); ``-4`` is a fall of four such standard deviations
                                   (bitcoin's 2020-03-12, −39%, was −15). Unavailable when
                                   ``chg_1d`` is, or before 61 changes; labels ``asset`` and
                                   ``block`` (``crypto``, ``rates``, ``dollar``, ...), so a
                                   ``*.z_1d`` rule can ``match = { block = "crypto" }``
``<key>.chg_<n>w_usd_bn``          weekly series (custody holdings): change over ``n`` ∈ {1, 4}
                                   weeks in $ billions. FRED publishes WMTSECL1 in $ millions;
                                   the FRED provider stores billions, and a store holding raw
                                   millions (a CSV import) is recognised by its catalog unit or
                                   by the level's magnitude (> 100,000) and divided by 1,000
``<key>.chg_<n>m_usd_bn``          monthly series (TIC holdings): ``n`` ∈ {1, 3}
``<key>.stale_bdays``              business days since the last stored point (weekdays strictly
                                   after it, up to and excluding today); labels ``asset``,
                                   ``frequency``, ``series``
``<key>.days_past_limit``          calendar days the last stored point is past the series'
                                   staleness limit (:mod:`spillwatch.timing`: its release
                                   schedule plus slack); negative = days left before it goes
                                   stale. Same labels. The default ``stale_data`` rule fires
                                   on ``> 0``, so a weekly or lagged release is not "late"
                                   between its publications
=================================  ==========================================================

Every fact comes from the service layer on one
:class:`~spillwatch.service.workspace.Workspace` (the same analyses the report, the dashboard
and the CLI show, so a rule fires on the number a trader sees).

A fact whose input is past its staleness limit (:mod:`spillwatch.timing`) is *stale*: its value
is ``None``, ``stale`` is true and ``reason`` names the last date and the limit; a rule reading it
does not fire (its state says "stale input").

Stress (:func:`spillwatch.service.stress.stress`): ``stress.regime`` (ordered:
``calm < elevated < crisis``), ``stress.signature`` (``sell_america``, ``dash_for_cash``,
``flight_to_quality``, ``none``), ``stress.index``, ``stress.percentile`` (recent),
``stress.percentile_longrun`` (all history) and every other numeric
sub-index and signal of its latest reading as ``stress.<name>`` (a signal dated by its inputs'
last report, as the ``stress`` command's "last input" column: the H.10 dollar's Friday before);
each sub-index's percentile (0–100) within its own history as ``stress.<sub-index>_percentile``
(``stress.rates_percentile``: without a value, and with the same reason, where the sub-index
has none; without one too while its own history is in its burn-in);
``stress.signature_ust10y_chg_5d_bp`` and ``stress.signature_usd_broad_chg_5d_pct``: the 10-year's
and the broad dollar's changes over the **same** five observations (each leg's own), on the days
with both published (the H.10 dollar comes out a week late, so ``ust10y.chg_5d_bp`` and
``usd_broad.chg_5d_pct`` usually describe different weeks); of the five latest such days, the
window with the largest 10-year rise (:func:`joint_pick`: a week published at once is read
whole). They need only the two series, not the stress index.

Spillover (:func:`spillwatch.service.spillover.spillover`: rolling connectedness, Diebold &
Yilmaz 2012, with the block aggregation of Greenwood-Nimmo, Nguyen & Shin 2015):
``spillover.net_rates_dollar_to_crypto`` (the latest reading),
``spillover.net_rates_dollar_to_crypto_p95_252d`` (the 95th percentile of the 126 two-day
readings before it, about a year: 240-244 trading days, as a holiday makes a one-day block
that is a reading of its own) and
``spillover.net_rates_dollar_to_crypto_pctile_252d`` (today's percentile rank among them, 0-1).

A fact that cannot be computed is *unavailable*: its value is ``None`` and ``reason`` says why.
A rule that reads an unavailable fact does not fire (a firing alert resolves), and the reason
is logged and stored.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.analytics.demand import FACTS as DEMAND_FACTS
from spillwatch.analytics.demand import GAUGE_FACTS as DEMAND_GAUGE_FACTS
from spillwatch.analytics.demand import GROUP_NAMES as DEMAND_GROUPS
from spillwatch.analytics.demand import (
    demand_fact_dates,
    demand_facts,
    missing_before,
    unpublished_facts,
    unscored_facts,
)
from spillwatch.analytics.demand.facts import (
    AUCTION_FEED_STALE_DAYS,
    STALE_INPUTS,
    absent_facts,
)
from spillwatch.analytics.demand.reserves import spans_tic_break
from spillwatch.analytics.stress import SIGNAL_COLUMNS, SUBINDEX_COLUMNS, StressResult
from spillwatch.exceptions import ConfigError, DataError
from spillwatch.service import demand as demand_service
from spillwatch.service import spillover as spillover_service
from spillwatch.service import stress as stress_service
from spillwatch.service.workspace import Workspace
from spillwatch.timing import bdays_between, held_quotes

log = logging.getLogger(__name__)

#: Ordered levels of the stress regime.
REGIMES: tuple[str, ...] = ("calm", "elevated", "crisis")
#: Labels of the yield-dollar signature.
SIGNATURES: tuple[str, ...] = ("sell_america", "dash_for_cash", "flight_to_quality", "none",
                               "unavailable")

SPILL = "spillover.net_rates_dollar_to_crypto"
SPILL_FACTS = (SPILL, SPILL + "_p95_252d", SPILL + "_pctile_252d")
_SPILL_UNITS = {SPILL: "pct_points", SPILL + "_p95_252d": "pct_points",
                SPILL + "_pctile_252d": "fraction"}
STRESS_FIXED = ("stress.regime", "stress.signature", "stress.index", "stress.percentile")
#: Suffix of a sub-index's own percentile fact (``stress.rates_percentile``): a name no
#: sub-index or signal takes, so the two never overwrite each other.
SEGMENT_PCT = "_percentile"
#: Scales of the stress facts that have one (``ref`` compares only facts of one unit).
_STRESS_UNITS = {"stress.index": "0-1", "stress.percentile": "pct",
                 "stress.percentile_longrun": "pct",
                 **{f"stress.{g}{SEGMENT_PCT}": "pct" for g in SUBINDEX_COLUMNS}}

_DAILY_N = (1, 5, 20)
#: Observations over which a daily asset's extreme 1-day changes are read
#: (``<key>.min_chg_1d_<u>_5d``, ``<key>.max_chg_1d_<u>_5d``): an H.10 week published at once.
EXTREME_N = 5


def change_facts(key: str, u: str) -> list[tuple[str, int, str]]:
    """``(name, n, how)`` of a daily asset's change facts (``how``: sum, min or max).

    The n-day sums, then the extreme 1-day changes of the last :data:`EXTREME_N` observations.
    """
    return [*((f"{key}.chg_{n}d_{u}", n, "sum") for n in _DAILY_N),
            *((f"{key}.{how}_chg_1d_{u}_{EXTREME_N}d", EXTREME_N, how)
              for how in ("min", "max"))]
_WEEKLY_N = (1, 4)
_MONTHLY_N = (1, 3)
_CHANGE_UNIT = {"yield": "bp", "spread": "bp", "price": "pct", "index": "pct", "fx": "pct",
                "stress": "pts", "signed_price": "usd", "holdings": "usd_bn"}


@dataclass(frozen=True)
class FactKind:
    """What kind of value a fact holds: ``number``, ``ordered`` (levels) or ``category``."""

    kind: str
    levels: tuple[str, ...] = ()
    unit: str = ""


NUMBER = FactKind("number")


def asset_fact_names(a: universe.Asset) -> dict[str, FactKind]:
    """Every fact name an asset offers, with its kind."""
    u = _CHANGE_UNIT[a.kind]
    names = {f"{a.key}.level": FactKind("number", unit=a.unit),
             f"{a.key}.stale_bdays": FactKind("number", unit="bdays"),
             f"{a.key}.days_past_limit": FactKind("number", unit="days")}
    if a.frequency == "daily":
        names.update({name: FactKind("number", unit=u) for name, _, _ in change_facts(a.key, u)})
        names[f"{a.key}.z_1d"] = FactKind("number", unit="sd")
    elif a.frequency == "weekly":
        names.update({f"{a.key}.chg_{n}w_{u}": FactKind("number", unit=u) for n in _WEEKLY_N})
    else:
        names.update({f"{a.key}.chg_{n}m_{u}": FactKind("number", unit=u) for n in _MONTHLY_N})
    return names


#: The two legs' changes over the same five observations, ending on the signature's day (the
#: latest day with the 10-year yield and the broad dollar both published): fact -> (asset, unit).
JOINT_FACTS: dict[str, tuple[str, str]] = {
    "stress.signature_ust10y_chg_5d_bp": ("ust10y", "bp"),
    "stress.signature_usd_broad_chg_5d_pct": ("usd_broad", "pct"),
}
JOINT_N = 5


def stress_fact_names() -> list[str]:
    """The numeric stress facts: index, percentile, sub-indices, signals and the joint moves."""
    return ["stress.index", "stress.percentile", "stress.percentile_longrun",
            *(f"stress.{c}" for c in (*SUBINDEX_COLUMNS, *SIGNAL_COLUMNS)),
            *(f"stress.{g}{SEGMENT_PCT}" for g in SUBINDEX_COLUMNS), *JOINT_FACTS]


def fact_groups() -> dict[str, list[str]]:
    """The fact names of each slow group of :func:`compute_facts`, by its flag's name.

    A caller asking for some facts computes only their groups (``stress``, ``spillover``,
    ``demand``). The joint moves (``stress.signature_*``) are not the stress group's: they
    are computed from the two series whatever the flag.
    """
    return {"stress": ["stress.regime", "stress.signature",
                       *(n for n in stress_fact_names() if n not in JOINT_FACTS)],
            "spillover": list(SPILL_FACTS), "demand": list(DEMAND_FACTS)}


def groups_named(patterns: Iterable[str]) -> dict[str, bool]:
    """Whether any of ``patterns`` (names or ``*`` patterns) names a fact of each group.

    The keyword flags of :func:`compute_facts` for a caller that reads only those facts.
    """
    wanted = list(patterns)
    return {g: any(fnmatch.fnmatchcase(n, p) for n in names for p in wanted)
            for g, names in fact_groups().items()}


def joint_changes(ws: Workspace, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each leg's change over its last :data:`JOINT_N` observations, on the days it reported.

    Columns are the :data:`JOINT_FACTS` names, on the calendar of the two legs' own panel: the
    10-year in bp (sum of daily changes), the dollar as a simple % return (as
    ``usd_broad.chg_5d_pct``); NaN on a day a leg did not report. Read on the signature's day
    (both reported), the two numbers describe the same five days; the asset facts
    ``ust10y.chg_5d_bp`` and ``usd_broad.chg_5d_pct`` end on each series' own last date, a week
    apart when the H.10 dollar has not caught up. NaN too where a leg's window holds a change
    the panel leaves unmeasured (after a gap past its limit); ``attrs["reported"]`` marks the
    days both legs reported, measured or not.
    """
    keys = [k for k, _ in JOINT_FACTS.values()]
    if len(ws.have(keys)) < len(keys):
        return pd.DataFrame(columns=list(JOINT_FACTS), dtype="float64")
    ch = ws.panel(keys, transform="changes", end=end)
    lv = ws.panel(keys, transform="levels", end=end).reindex(ch.index)
    out = pd.DataFrame(index=ch.index)
    both = np.ones(len(ch), dtype=bool)
    for name, (key, _) in JOINT_FACTS.items():
        a = universe.ASSETS[key]
        on = reported(ch[a.change_column], lv[a.level_column])
        both &= on
        s = ch[a.change_column][on]
        # a window holding a change the panel leaves unmeasured (after a gap past its limit)
        # is no n-day change: it was summed without it (the dollar's five days to 2016-01-29
        # read +0.27% where they fell 0.21%)
        tot = s.rolling(JOINT_N).sum()
        if a.log_change:
            tot = 100.0 * np.expm1(tot / 100.0)
        # sums of daily changes carry float noise: +25 bp summed to 24.999999999999993 and
        # missed a ">= 25" rule
        out[name] = tot.round(9).reindex(ch.index)
    # the days both legs reported, whether or not their windows are measured (joint_pick)
    out.attrs["reported"] = both
    return out


def fact_kind(name: str) -> FactKind:
    """Check a fact name (``*`` allowed in place of the asset key) and return its kind.

    Raises
    ------
    ConfigError
        With a message naming the unknown series or quantity and the valid choices.
    """
    if name == "stress.regime":
        return FactKind("ordered", REGIMES)
    if name == "stress.signature":
        return FactKind("category", SIGNATURES)
    if name.startswith("stress."):
        known = stress_fact_names()
        if name in _STRESS_UNITS:
            # a percentile (0-100) or the index (0-1) compared by `ref` with a fraction or a
            # percentile of another scale was accepted ("demand.percentile > spillover…
            # _pctile_252d" held on every reading)
            return FactKind("number", unit=_STRESS_UNITS[name])
        if name in known:
            return NUMBER
        raise ConfigError(f"unknown stress fact {name!r}; choose one of: "
                          f"{', '.join(['stress.regime', 'stress.signature', *known])}")
    if name.startswith("spillover."):
        if name in SPILL_FACTS:
            return FactKind("number", unit=_SPILL_UNITS[name])
        raise ConfigError(f"unknown fact {name!r}; spillover facts are: {', '.join(SPILL_FACTS)}")
    if name.startswith("demand."):
        if name not in DEMAND_FACTS:
            raise ConfigError(f"unknown fact {name!r}; foreign-demand facts are: "
                              f"{', '.join(DEMAND_FACTS)}")
        kind = DEMAND_FACTS[name][0]
        if kind == "category":
            return FactKind("category", DEMAND_GROUPS)
        if kind in ("date", "text"):
            return FactKind("category", ())
        return FactKind("number", unit=DEMAND_FACTS[name][1])  # numbers; flags as 0/1
    head, dot, quantity = name.partition(".")
    if not dot or not quantity:
        raise ConfigError(f"fact {name!r} is not of the form '<series>.<quantity>' "
                          "(e.g. 'btc.chg_1d_pct', 'stress.regime')")
    if head == "*":
        kinds = {n.partition(".")[2]: k for a in universe.ASSETS.values()
                 for n, k in asset_fact_names(a).items()}
        if quantity in kinds:
            return kinds[quantity]
        raise ConfigError(f"no series offers {quantity!r} (in {name!r}); quantities are: "
                          f"{', '.join(sorted(kinds))}")
    if head not in universe.ASSETS:
        raise ConfigError(f"unknown series {head!r} in fact {name!r}; choose one of: "
                          f"{', '.join(sorted(universe.ASSETS))}, stress, spillover")
    offered = asset_fact_names(universe.ASSETS[head])
    if name not in offered:
        raise ConfigError(f"series {head!r} has no quantity {quantity!r}; it offers: "
                          f"{', '.join(n.partition('.')[2] for n in offered)}")
    return offered[name]


@dataclass(frozen=True)
class Fact:
    """One named value (``None`` when unavailable, with ``reason``)."""

    name: str
    value: float | str | None
    as_of: dt.date | None = None
    unit: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    reason: str | None = None
    stale: bool = False

    @property
    def available(self) -> bool:
        """Whether the fact has a value."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "unit": self.unit,
                "as_of": None if self.as_of is None else self.as_of.isoformat(),
                "labels": dict(self.labels), "reason": self.reason, "stale": self.stale}


class FactSet:
    """The facts of one evaluation, by name.

    Attributes
    ----------
    facts : dict of str to Fact
    as_of : date or None
        The last date of the panel the facts come from.
    simulated : bool
        Whether the data are the simulated demo market.
    notes : list of str
        Why a group of facts is unavailable (stress module missing, ...).
    """

    def __init__(self, facts: Iterable[Fact], *, as_of: dt.date | None = None,
                 simulated: bool = False, notes: Iterable[str] = (),
                 newest: Iterable[str] = (), absent: Mapping[str, str] | None = None) -> None:
        self.facts = {f.name: f for f in facts}
        self.as_of = as_of
        self.simulated = simulated
        self.notes = list(notes)
        self.newest = list(newest)
        # on a past evening, the words for each watch-list asset the evening lacks but the
        # store holds from later on ("published by 2004-04-02: the store's figures of it
        # begin later: btc 2018-01-01")
        self.absent = dict(absent or {})

    @property
    def stress_as_of(self) -> dt.date | None:
        """The date of the stress reading the facts describe (``None`` without one)."""
        f = self.facts.get("stress.percentile")
        return f.as_of if f is not None else None

    def dates_line(self) -> str:
        """Which dates the facts describe.

        The newest data (and its series) and the stress reading, which may be older (a trader
        reads the newest date as "today's data").
        """
        head = f"newest data {self.as_of}"
        if self.newest:
            head += f" ({', '.join(self.newest)})"
        sa = self.stress_as_of
        if sa is not None and sa != self.as_of:
            head += f"; stress reading {sa}"
        return head

    def get(self, name: str) -> Fact:
        """The fact ``name``; an unavailable fact (with the reason) when there is none."""
        got = self.facts.get(name)
        if got is not None:
            return got
        head = name.partition(".")[0]
        # `alerts test --as-of 2004-04-02` said "no data for series 'btc' in the store" of a
        # store whose bitcoin begins on 2018-01-01: the evening has none, the store has
        reason = (f"fact {name!r} was not computed" if head not in universe.ASSETS
                  else f"no data for series {head!r} {self.absent[head]}" if head in self.absent
                  else f"no data for series {head!r} in the store")
        return Fact(name, None, reason=reason)

    def expand(self, pattern: str) -> list[tuple[str, Fact]]:
        """Facts matching a pattern with ``*`` in place of the asset key: ``(key, fact)``."""
        if "*" not in pattern:
            return [("", self.get(pattern))]
        return [(n.partition(".")[0], f) for n, f in sorted(self.facts.items())
                if fnmatch.fnmatchcase(n, pattern)]

    def __len__(self) -> int:
        return len(self.facts)

    def to_dict(self) -> dict[str, Any]:
        sa = self.stress_as_of
        return {"as_of": None if self.as_of is None else self.as_of.isoformat(),
                "newest_series": list(self.newest),
                "stress_as_of": None if sa is None else sa.isoformat(),
                "simulated": self.simulated, "notes": list(self.notes),
                "facts": {n: f.to_dict() for n, f in sorted(self.facts.items())}}


# -- computing ----------------------------------------------------------------------------------
def _simple_pct(log_pct_sum: float) -> float:
    return float(100.0 * np.expm1(log_pct_sum / 100.0))


def _stale(a: universe.Asset, last: pd.Timestamp, today: dt.date) -> str | None:
    """Why the asset's last value is stale on ``today`` (``None`` when fresh)."""
    t = a.timing
    if t.is_stale(last, today):
        return (f"stale input: {a.key} last reported {last.date()}, past its "
                f"{t.stale_after_days}-day limit ({t.note})")
    return None


def reported(changes: pd.Series, levels: pd.Series) -> np.ndarray:
    """The rows of a panel column on which the asset reported (a level, or a change).

    Its change there is NaN where the panel leaves it unmeasured (the first day after a gap
    past the asset's limit): kept, so that an n-day sum over it is NaN, not a sum without it.
    """
    return (levels.notna() | changes.notna()).to_numpy()


def _daily_facts(a: universe.Asset, changes: pd.Series, stale: str | None,
                 levels: pd.Series) -> list[Fact]:
    """The asset's n-day changes, each of the days up to its last level.

    ``changes`` and ``levels`` are the asset's panel columns. When the last level has no change
    (it follows a gap the panel leaves unmeasured), no change is served: the last change found
    was of a day before the gap, dated then and read as fresh (BTC's +1.2% of 2026-01-02
    beside a level of 12-01 a third lower). When an earlier change of the n is unmeasured, the
    n-day change is not served either: it was the sum of the others (the dollar's five days to
    2016-01-29, with no change measured for 01-27 after six days without a print, read +0.27%
    where they fell 0.21%).
    """
    out: list[Fact] = []
    seen = changes[reported(changes, levels)]
    ch = seen.dropna()
    lv = levels.dropna()
    last_level = lv.index[-1] if len(lv) else None
    u = _CHANGE_UNIT[a.kind]
    gap = (last_level is not None and len(ch) and stale is None
           and pd.Timestamp(ch.index[-1]) < pd.Timestamp(last_level))
    for name, n, how in change_facts(a.key, u):
        what = (f"{n}-day change" if how == "sum" else
                f"{'lowest' if how == 'min' else 'highest'} of {n} 1-day changes")
        if stale is not None:
            out.append(Fact(name, None, ch.index[-1].date() if len(ch) else None, u,
                            {"asset": a.key}, stale, True))
            continue
        if gap:
            out.append(Fact(
                name, None, pd.Timestamp(last_level).date(), u, {"asset": a.key},
                f"{a.key}'s last value ({pd.Timestamp(last_level).date()}) follows a gap in "
                f"its data after {ch.index[-1].date()}: the move across it is not a "
                f"{n if how == 'sum' else 1}-day change", True))
            continue
        if len(ch) < n:
            out.append(Fact(name, None, unit=u, reason=f"{a.key} has {len(ch)} changes, needs {n}"))
            continue
        tail = seen.iloc[-n:]
        hole = tail.index[tail.isna().to_numpy()]
        if len(hole):
            before = seen.index[:seen.index.get_loc(hole[-1])]
            after = f"after {before[-1].date()} " if len(before) else ""
            out.append(Fact(
                name, None, tail.index[-1].date(), u, {"asset": a.key},
                f"{a.key}'s {what} spans a gap in its data ({after}to "
                f"{hole[-1].date()}) that is not measured"))
            continue
        total = float(tail.sum() if how == "sum" else tail.min() if how == "min"
                      else tail.max())
        value = _simple_pct(total) if a.log_change else total
        out.append(Fact(name, value, tail.index[-1].date(), u, {"asset": a.key}))
    out.append(_z_fact(a, seen, next(f for f in out if f.name == f"{a.key}.chg_1d_{u}")))
    return out


def z_labels(a: universe.Asset) -> dict[str, str]:
    """The labels of an asset's ``z_1d`` fact (``match = { block = "crypto" }`` picks coins)."""
    return {"asset": a.key, "block": a.block.value}


def traded_z(key: str, seen: pd.Series) -> np.ndarray:
    """Standardised moves of ``key``'s changes ``seen``, its held quotes read as no move.

    A held quote of a shut home market (:func:`~spillwatch.timing.held_quotes`: the yuan's
    rate repeated through China's holidays) is skipped by the EWMA, as the stress signals
    leave it out, so its variance does not decay through the closure and the reopening's
    change is read against the volatility of traded days (2020-10-09's -1.43% read -6.40 sd
    with the held zeros, -5.65 without); the held day itself reads 0 (its change is 0).
    """
    # here, not at the top: the volatility package loads scipy.signal and arch, which
    # `alerts list` and `silence` (they import this module) must not wait for
    from spillwatch.analytics.volatility.ewma import STANDARDIZED_MIN_PRIOR, standardized_moves

    x = seen.to_numpy(dtype=float)
    held = held_quotes(key, seen)
    if not held.any():
        return standardized_moves(x)
    x = np.where(held, np.nan, x)
    z = standardized_moves(x)
    read = np.cumsum(~np.isnan(x)) >= STANDARDIZED_MIN_PRIOR
    z[held & read] = 0.0
    return z


def _z_fact(a: universe.Asset, seen: pd.Series, chg_1d: Fact) -> Fact:
    """``<key>.z_1d``: the 1-day change over the EWMA volatility of the changes before it.

    ``seen`` is the asset's changes on the days it reported (NaN where unmeasured); the fact
    is unavailable, for the same reason, when ``chg_1d`` is.
    """
    from spillwatch.analytics.volatility.ewma import STANDARDIZED_MIN_PRIOR

    name = f"{a.key}.z_1d"
    if not chg_1d.available:
        return Fact(name, None, chg_1d.as_of, "sd", z_labels(a),
                    chg_1d.reason.replace("1-day change", "standardised 1-day change")
                    if chg_1d.reason else None, chg_1d.stale)
    z = traded_z(a.key, seen)
    if np.isnan(z[-1]):
        n = int(seen.notna().sum())
        return Fact(name, None, chg_1d.as_of, "sd", z_labels(a),
                    f"{a.key} has {n - 1} changes before its last, needs "
                    f"{STANDARDIZED_MIN_PRIOR} to read it against their volatility"
                    if n <= STANDARDIZED_MIN_PRIOR else
                    f"{a.key}'s changes before its last were all zero")
    return Fact(name, float(z[-1]), chg_1d.as_of, "sd", z_labels(a))


#: A holdings series whose typical non-zero level exceeds this is in $ millions, not billions.
HOLDINGS_MAGNITUDE = 1e5


def _scale_to_bn(catalog: pd.DataFrame, ids: list[str], levels: pd.Series) -> float:
    """Divisor that turns a holdings series into $ billions (FRED WMTSECL1 is in $ millions).

    The catalog's unit decides; else the median of the non-zero levels (FRED prints WMTSECL1 as
    0 for the 237 weeks before it was reported, 2002-12 to 2007-06: a zero holding is not a
    value, and counting those zeros kept the median below the threshold until 2012, so a
    history cut before then read weekly changes in $ millions as billions).
    """
    units = " ".join(str(u).lower() for u in catalog.loc[catalog["series_id"].isin(ids), "unit"])
    if "mn" in units or "million" in units:
        return 1000.0
    nonzero = levels[levels != 0].abs()
    if len(nonzero) and float(nonzero.median()) > HOLDINGS_MAGNITUDE:
        log.info("holdings series %s look like $ millions (median %.0f): dividing by 1000",
                 ids, float(nonzero.median()))
        return 1000.0
    return 1.0


def tic_line(a: universe.Asset) -> bool:
    """Whether the asset is a line of TIC's table of major foreign holders."""
    return a.frequency == "monthly" and all(s.startswith("tic:") for s in a.sources)


def _low_freq_facts(ws: Workspace, a: universe.Asset, s: pd.Series, stale: str | None
                    ) -> list[Fact]:
    u = _CHANGE_UNIT[a.kind]
    if a.kind == "holdings":
        catalog = ws.memo("catalog", ws.store.series)
        s = s / _scale_to_bn(catalog, ws.raw().sources[a.key], s)
    letter, ns = ("w", _WEEKLY_N) if a.frequency == "weekly" else ("m", _MONTHLY_N)
    out: list[Fact] = []
    last = s.index[-1].date() if len(s) else None
    if len(s):
        out.append(Fact(f"{a.key}.level", None if stale else float(s.iloc[-1]), last,
                        u if a.kind == "holdings" else a.unit, {"asset": a.key}, stale,
                        stale is not None))
    for n in ns:
        name = f"{a.key}.chg_{n}{letter}_{u}"
        if stale is not None:
            out.append(Fact(name, None, last, u, {"asset": a.key}, stale, True))
        elif len(s) <= n:
            out.append(Fact(name, None, unit=u,
                            reason=f"{a.key} has {len(s)} points, needs {n + 1}"))
        elif tic_line(a) and spans_tic_break(s.index[-1 - n], s.index[-1])[0]:
            # TIC prints the month of a series break twice and the store keeps the new
            # series: the change into it is a benchmark revision, not a flow (June 2010 read
            # the UK's holdings -$256 bn, China's +$244 bn)
            out.append(Fact(name, None, last, u, {"asset": a.key},
                            f"the change from {s.index[-1 - n]:%Y-%m} to {s.index[-1]:%Y-%m} "
                            "spans a TIC series break (a benchmark revision, not a flow)"))
        else:
            out.append(Fact(name, float(s.iloc[-1] - s.iloc[-1 - n]), last, u,
                            {"asset": a.key}))
    return out


def business_days_between(last: dt.date, today: dt.date) -> int:
    """Weekdays strictly after ``last`` and before ``today`` (0 when ``today`` follows it)."""
    return bdays_between(last, today)


def _unavailable(names: Iterable[str], reason: str) -> list[Fact]:
    return [Fact(n, None, reason=reason) for n in names]


#: Keys of the stress reading that are not facts (its metadata).
_STRESS_META = ("as_of", "age_days", "fresh", "stale", "missing", "inputs", "signature_5d",
                "signature_5d_last", "signature_5d_last_date",
                # the last day with both legs: what the stress.signature fact itself reads
                "signature_last", "signature_last_date", "signature_waiting",
                "signature_unread", "week_ago_date", "week_ago_stress", "week_ago_percentile",
                # the reading's context, said beside it, not rule facts
                "reading_without", "regime_since", "regime_readings", "regime_last_20",
                "regime_held",
                # each sub-index's own percentile, keyed by the sub-index's name: flattened
                # with the values it overwrote them (`stress.rates` read 11.18, its percentile,
                # where the replay read 0.30 on 1992-06-04); read as `stress.<g>_percentile`
                # by :func:`_segment_facts`
                "subindex_percentiles")


def _stress_facts(ws: Workspace, end: pd.Timestamp | None, today: dt.date
                  ) -> tuple[list[Fact], list[str]]:
    if "ust10y" not in ws.have(["ust10y"]):
        reason = "stress needs the 10-year yield (ust10y), which the store lacks"
        return _unavailable(STRESS_FIXED, reason), [reason]
    try:
        res = stress_service.stress(ws, end=end, today=today)
        latest = dict(res.latest())
        states = res.fact_states()
    except Exception as exc:  # a failing analytic must not stop the monitor
        reason = f"stress could not be computed: {type(exc).__name__}: {exc}"
        log.warning(reason)
        return _unavailable(STRESS_FIXED, reason), [reason]
    as_of = pd.Timestamp(latest.pop("date")).date() if latest.get("date") else None
    limit = universe.ASSETS["ust10y"].timing.stale_after_days
    old = as_of is not None and (today - as_of).days > limit
    why_old = None
    unread = res.unread_reason()
    if unread is not None:
        # an index never published (a required block absent, or its burn-in) is no stale
        # one: it read "last published for 1997-06-20, past the 6-day limit of the 10-year
        # yield (stale inputs: none listed)" of a store without the dollar and the VIX
        why_old = f"the stress index has no reading: {unread}"
    elif old or not latest.get("fresh", True):
        why_old = (f"stale input: the stress index was last published for {as_of}, past the "
                   f"{limit}-day limit of the 10-year yield (stale inputs: "
                   f"{', '.join(latest.get('stale') or []) or 'none listed'})")
    rename = {"stress": "index"}
    seen = _signal_dates(res, as_of)
    flat: dict[str, Any] = {}
    for k, v in latest.items():  # sub-indices and signals come as nested dicts
        if k in _STRESS_META:
            continue
        if isinstance(v, dict):
            flat.update(v)
        else:
            flat[k] = v
    out = []
    later: dict[tuple[str, ...], str | None] = {}
    for k, v in flat.items():
        name = f"stress.{rename.get(k, k)}"
        if k == "signature":
            out.append(_latest_signature(res.frame, as_of, today, why_old, ws))
            continue
        state = states.get(k, "available")
        if why_old is not None or state != "available":
            # a missing value says which input, or that its inputs print and its history is
            # too short (the credit sub-index of 1997-06-23 read "missing input")
            why = (why_old or (res.missing_reason(k) if state == "missing" and (
                       k in res.subindex_inputs or k in res.signal_inputs) else None)
                   or f"{state} input on {as_of}")
            inputs = tuple(res.subindex_inputs.get(k) or res.signal_inputs.get(k) or ())
            if why_old is None and state == "missing" and inputs:
                # and when the store's figures of them begin, as the series' facts say it:
                # `stress.btc_drawdown_pct` of 2014-10-15 read "missing input on 2014-10-15
                # (btc)" beside btc's "the store's figures of it begin later: btc 2018-01-01"
                if inputs not in later:
                    later[inputs] = ws.begins_later(list(inputs), advice=False)
                if later[inputs]:
                    why += f": {later[inputs]}"
            out.append(Fact(name, None, as_of, reason=why, stale=True))
            continue
        if isinstance(v, str | np.str_):
            val: float | str | None = str(v)
        elif v is None or (isinstance(v, float) and np.isnan(v)):
            val = None
        else:
            try:
                val = float(v)
            except (TypeError, ValueError):
                continue
        out.append(Fact(name, val, seen.get(k, as_of),
                        reason=None if val is not None else "NaN on the last date"))
    out += _segment_facts(res, latest.get("subindex_percentiles") or {}, out, as_of)
    have = {f.name for f in out}
    out += [Fact(n, None, reason="not in the stress result") for n in STRESS_FIXED
            if n not in have]
    return out, []


def _segment_facts(res: StressResult, pcts: dict[str, Any], facts: list[Fact],
                   as_of: dt.date | None) -> list[Fact]:
    """``stress.<g>_percentile``: each sub-index's percentile (0–100) within its own history.

    The age-weighted recursive ECDF of Boudoukh, Richardson & Whitelaw (1998) among the
    sub-index's values on the days the index is published
    (:func:`~spillwatch.analytics.stress.index.segment_percentiles`). No value where the
    sub-index's own fact (``stress.<g>``) has none, with its reason (a stale or unread
    reading, a missing input); none either while the sub-index's own history is in its
    burn-in, saying how many of the readings it needs it has.
    """
    by_name = {f.name: f for f in facts}
    out = []
    for g in SUBINDEX_COLUMNS:
        name = f"stress.{g}{SEGMENT_PCT}"
        sub = by_name.get(f"stress.{g}")
        v = pcts.get(g)
        if sub is None or sub.value is None:
            out.append(Fact(name, None, as_of, "pct",
                            reason=sub.reason if sub is not None else "not in the stress result",
                            stale=bool(sub is not None and sub.stale)))
        elif v is None or (isinstance(v, float) and np.isnan(v)):
            d = pd.Timestamp(as_of) if as_of is not None else res.frame.index[-1]
            head = res.frame.loc[:d]
            n = int((head[g].notna() & head["stress"].notna()).sum())
            out.append(Fact(name, None, as_of, "pct", reason=(
                f"the {g} sub-index's own percentile is in its burn-in on {as_of}: {n} of "
                f"the {res.spec.burn_in} published readings it is ranked among")))
        else:
            out.append(Fact(name, float(v), as_of, "pct"))
    return out


def _signal_dates(res: StressResult, as_of: dt.date | None) -> dict[str, dt.date]:
    """Each signal of the reading whose inputs last reported before it, with that date.

    A signal's value describes its inputs' last report (``last_observed``, as the CLI's "last
    input" column, ``--json`` and ``/api/signals`` date it), not the reading's day: on the evening
    of 2022-09-22 ``stress.usdjpy_z1`` (the yen's z of the H.10 print of 09-16, the intervention's
    fall first published on 09-26) was dated 2022-09-22, as a move of that day.
    """
    if as_of is None:
        return {}
    table = res.signals_table()
    return {k: pd.Timestamp(v).date() for k, v in table["last_observed"].items()
            if pd.notna(v) and pd.Timestamp(v).date() < as_of}


def _latest_signature(frame: pd.DataFrame, as_of: dt.date | None, today: dt.date,
                      why_old: str | None, ws: Workspace | None = None) -> Fact:
    """``stress.signature``: the signature of the latest day with both of its legs.

    The broad dollar (H.10) comes out on Mondays for the week before, so the newest day of the
    index almost never has it: the fact reads the last day on which the 10-year yield and the
    dollar both moved and were published, with that day as its date, and is stale past the
    dollar's staleness limit. Without such a day, ``ws`` says when a leg's figures begin.
    """
    name = "stress.signature"
    if why_old is not None:
        return Fact(name, None, as_of, reason=why_old, stale=True)
    col = frame["signature"] if "signature" in frame else pd.Series(dtype=object)
    col = col[col.notna() & (col != "unavailable")]
    if col.empty:
        # as the window's facts beside it say (1994-12-20: "... begin later: usd_broad
        # 2006-01-02"; h_verify25)
        leg = None if ws is None else ws.begins_later(["ust10y", "usd_broad"], advice=False)
        return Fact(name, None, as_of, reason="no day yet with both the 10-year yield and the "
                                              "broad dollar" + (f": {leg}" if leg else ""),
                    stale=True)
    day = pd.Timestamp(col.index[-1]).date()
    limit = universe.ASSETS["usd_broad"].timing.stale_after_days
    if (today - day).days > limit:
        return Fact(name, None, day, reason=(
            f"stale input: the last day with both the 10-year yield and the broad dollar is "
            f"{day}, past the {limit}-day limit of the dollar"), stale=True)
    return Fact(name, str(col.iloc[-1]), day)


def _joint_facts(ws: Workspace, end: pd.Timestamp | None, ref: dt.date) -> list[Fact]:
    """:data:`JOINT_FACTS`: the window :func:`joint_pick` picks, as of the latest joint day."""
    jc = joint_changes(ws, end)
    both, best = joint_pick(jc)
    if len(both) == 0 or not (best >= 0).any():
        return [Fact(n, None, None, u, reason="no day yet with both the 10-year yield and the "
                     f"broad dollar and {JOINT_N} changes of each")
                for n, (_, u) in JOINT_FACTS.items()]
    last = both.index[-1].date()
    limit = universe.ASSETS["usd_broad"].timing.stale_after_days
    if (ref - last).days > limit:
        return [Fact(n, None, last, u, reason=(
            f"stale input: the last day with both the 10-year yield and the broad dollar is "
            f"{last}, past the {limit}-day limit of the dollar"), stale=True)
            for n, (_, u) in JOINT_FACTS.items()]
    k = int(best[-1])
    if k < 0:
        # every window of the latest days spans a change left unmeasured: none is served
        # (the pick went back past the gap to a window 18 days old, the dollar's sign flipped)
        return [Fact(n, None, last, u, reason=(
            f"the {JOINT_N}-day windows of the 10-year yield and the broad dollar to {last} "
            "span a gap in their data that is not measured")) for n, (_, u) in JOINT_FACTS.items()]
    day = both.index[k].date()
    return [Fact(n, float(both[n].iloc[k]), day, u) for n, (_, u) in JOINT_FACTS.items()]


def joint_pick(jc: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The days with both legs, and for each the window the joint facts read on it.

    When the H.10 dollar publishes a week, the windows ending on each of its days become known
    at once; the facts read, among the :data:`JOINT_N` latest days with both legs, the window
    with the largest 10-year rise (the latest on a tie), so a Tuesday's window that met a
    "yields up, dollar down" rule is not passed over for the Friday's.

    A window that holds a change the panel leaves unmeasured (after a gap) is none: the
    latest days count it among the :data:`JOINT_N` but never read it, and when all of them
    are such, none is read (``-1``).

    Returns
    -------
    both : DataFrame
        The rows of ``jc`` with both legs (``jc.attrs["reported"]``; else its complete rows).
    best : ndarray of int
        Per row of ``both``, the position in ``both`` of the window read on that day (``-1``:
        none is measured).
    """
    rep = jc.attrs.get("reported")
    both = jc[np.asarray(rep, dtype=bool)] if rep is not None else jc.dropna()
    measured = both.notna().all(axis=1).to_numpy()
    ten = both[next(iter(JOINT_FACTS))].to_numpy(dtype=float)
    ten = np.where(measured, ten, -np.inf)
    best = np.empty(len(both), dtype=np.int64)
    for j in range(len(both)):
        lo = max(0, j - JOINT_N + 1)
        w = ten[lo:j + 1]
        k = lo + len(w) - 1 - int(np.argmax(w[::-1]))
        best[j] = k if measured[k] else -1
    return both, best


def _spill_facts(ws: Workspace, end: pd.Timestamp | None, ref: dt.date
                 ) -> tuple[list[Fact], list[str]]:
    try:
        rep = spillover_service.spillover(ws, end=end)
        summ = rep.summary_dict()
    except Exception as exc:  # unavailable analytics leave the facts unavailable, with a reason
        reason = f"spillover unavailable: {type(exc).__name__}: {exc}"
        log.info(reason)
        return _unavailable(SPILL_FACTS, reason), [reason]
    when = summ.get("headline_date") or summ.get("as_of")
    as_of = pd.Timestamp(when).date() if when else None
    if any(summ.get(n.partition(".")[2]) is None for n in SPILL_FACTS):
        have = summ.get("net_rates_dollar_to_crypto_history_readings")
        reason = ("spillover unavailable: fewer than 2 rolling windows with both blocks"
                  if have is None else
                  f"spillover unavailable: its one-year percentile needs "
                  f"{spillover_service.min_history_readings(summ['sampling'])} earlier "
                  f"readings; it has {have}")
        return _unavailable(SPILL_FACTS, reason), [reason]
    # a reading older than its slowest input's limit is stale, as the spillover view says (a
    # rule would otherwise fire or resolve on last winter's value)
    limit = spillover_service.stale_after_days()
    if as_of is not None and (ref - as_of).days > limit:
        reason = (f"stale input: the latest spillover reading is as of {as_of}, "
                  f"{(ref - as_of).days} days before {ref}, past its {limit}-day limit")
        return [Fact(n, None, as_of, _SPILL_UNITS[n], {}, reason, True)
                for n in SPILL_FACTS], [reason]
    return [Fact(n, float(summ[n.partition(".")[2]]), as_of, _SPILL_UNITS[n])
            for n in SPILL_FACTS], []


def compute_facts(ws: Workspace | object, *, today: dt.date | None = None,
                  as_of: dt.date | None = None, stress: bool = True,
                  spillover: bool = True, demand: bool = True) -> FactSet:
    """Compute every fact the workspace's data allow.

    Parameters
    ----------
    ws : Workspace, or a source (Store, MarketSource, "demo", path)
        The data (its panels and analyses are shared with whatever else reads it); a source is
        wrapped in a new workspace.
    today : date, optional
        The clock's date, for staleness (default: the UTC date). With simulated (demo) data,
        staleness is measured against the data's last date instead, since the demo market does
        not move with the clock.
    as_of : date, optional
        Compute the facts as they stood on the evening of this date: on the data *published*
        by then (each series from its release date, :class:`~spillwatch.alerts.backtest.vintage.
        VintageSource`: H.10 the next Monday, custody the Thursday after its Wednesday, TIC
        about seven weeks late), staleness measured on that day. This is the backtest's
        truncated run, so ``alerts test --as-of D`` says what the replay says on ``D``.
    stress, spillover, demand : bool, default True
        Whether to compute the stress, spillover and foreign-demand facts (the slow ones).

    Returns
    -------
    FactSet
    """
    if not isinstance(ws, Workspace):
        ws = Workspace(ws)
    today = today or dt.datetime.now(dt.UTC).date()
    if as_of is not None:
        as_of = pd.Timestamp(as_of).date()
        if as_of > today:
            raise DataError(f"as of {as_of} is in the future (today is {today})")
        from spillwatch.alerts.backtest.vintage import VintageSource

        if not isinstance(ws.source, VintageSource):
            held = ws.have(list(universe.ASSETS))
            starts = [ws.raw().series[k].index[0] for k in held if len(ws.raw().series[k])]
            if starts and pd.Timestamp(as_of) < min(starts):
                raise DataError(f"no data on or before {as_of}: the watch list's data start "
                                f"on {min(starts):%Y-%m-%d}")
            # an evening after the watch list's newest data is the monitor's evening on a store
            # whose market data stopped (its facts stale, each with its reason), and the demand
            # inputs may run on (the auctions to 2026-10-06 of a store whose markets end on
            # 2026-08-21): not refused, as the analyses' --as-of is
            src = VintageSource.of(ws.source, as_of, ws.whole.memo("vintage:store frames", dict))
            return compute_facts(Workspace(src, whole=ws), today=as_of,
                                 stress=stress, spillover=spillover, demand=demand)
        today = as_of
    end = None if as_of is None else pd.Timestamp(as_of)
    held = ws.have(list(universe.ASSETS))
    if not held:
        return FactSet([], notes=["the store holds no series of the watch list"])
    raw = ws.raw()
    series = {k: (raw.series[k] if end is None else raw.series[k].loc[:end]) for k in held}
    series = {k: s for k, s in series.items() if len(s)}
    if not series:
        first = min(raw.series[k].index[0] for k in held if len(raw.series[k]))
        raise DataError(f"no data on or before {as_of}: the watch list's data start on "
                        f"{first:%Y-%m-%d}")
    daily = [k for k in series if universe.ASSETS[k].frequency == "daily"]
    simulated = ws.simulated
    last_all = max(s.index[-1] for s in series.values()).date()
    ref = last_all if (simulated and as_of is None) else today
    stale = {k: _stale(universe.ASSETS[k], s.index[-1], ref) for k, s in series.items()}
    facts: list[Fact] = []
    notes: list[str] = []
    last_date: dt.date | None = None
    changes = pd.DataFrame()
    if daily:
        changes = ws.panel(daily, transform="changes", end=end)
        levels = ws.panel(daily, transform="levels", end=end)
        last_date = changes.index[-1].date() if len(changes) else None
        # a market open every day (crypto) is read on its own calendar: a Saturday crash is
        # Saturday's 1-day change, seen that evening, not part of Monday's move
        own_ch = {c: changes[c] for c in changes}
        own_lv = {c: levels[c] for c in levels}
        every = [k for k in daily if universe.ASSETS[k].calendar == "every_day"]
        if every:
            ev_ch = ws.panel(every, transform="changes", calendar="every_day", end=end)
            ev_lv = ws.panel(every, transform="levels", calendar="every_day", end=end)
            own_ch.update({c: ev_ch[c] for c in ev_ch})
            own_lv.update({c: ev_lv[c] for c in ev_lv})
            # the newest data include crypto's own closes (a weekend, or a store whose
            # business-day series stopped earlier): a BTC crash of 11-30 is not "data as of"
            # the last business day some other series reached
            if len(ev_ch) and (last_date is None or ev_ch.index[-1].date() > last_date):
                last_date = ev_ch.index[-1].date()
        for k in daily:
            a = universe.ASSETS[k]
            lv = own_lv[a.level_column].dropna()
            if len(lv):
                facts.append(Fact(f"{k}.level", None if stale[k] else float(lv.iloc[-1]),
                                  lv.index[-1].date(), a.unit, {"asset": k}, stale[k],
                                  stale[k] is not None))
            facts += _daily_facts(a, own_ch[a.change_column], stale[k],
                                  own_lv[a.level_column])
    legs = ["ust10y", "usd_broad"]
    if set(legs) <= set(daily):
        facts += _joint_facts(ws, end, ref)
    else:
        # a leg the evening lacks: `alerts test --as-of 1994-12-20` said "fact
        # 'stress.signature_ust10y_chg_5d_bp' was not computed" beside stress.signature's "no
        # day yet with both the 10-year yield and the broad dollar"
        lacking = [k for k in legs if k not in daily]
        leg = ws.begins_later(lacking, advice=False) or \
            f"the store holds no {' or '.join(lacking)}"
        facts += [Fact(n, None, None, u, reason="no day yet with both the 10-year yield and the "
                       f"broad dollar: {leg}") for n, (_, u) in JOINT_FACTS.items()]
    for k, s in series.items():
        a = universe.ASSETS[k]
        if a.frequency != "daily":
            facts += _low_freq_facts(ws, a, s, stale[k])
    for k, s in series.items():
        a = universe.ASSETS[k]
        d = s.index[-1].date()
        labels = {"asset": k, "frequency": a.frequency, "series": raw.sources[k][0]}
        facts.append(Fact(f"{k}.stale_bdays", float(business_days_between(d, ref)), d, "bdays",
                          labels))
        facts.append(Fact(f"{k}.days_past_limit",
                          float((ref - d).days - a.timing.stale_after_days), d, "days",
                          dict(labels)))
    notes += [why for why in stale.values() if why]
    if stress and not changes.empty:
        got, why = _stress_facts(ws, end, ref)
        facts += got
        notes += why
    if spillover and not changes.empty:
        got, why = _spill_facts(ws, end, ref)
        facts += got
        notes += why
    if demand:
        got, why = _demand_facts(ws, end if end is not None else pd.Timestamp(ref), ref)
        facts += got
        notes += why
    newest = sorted(k for k in daily if last_date is not None
                    and series[k].index[-1].date() >= last_date)
    # a past evening (a vintage view of the store): the watch-list assets it lacks that the
    # store holds from later on, in the words the analyses use (none on the latest data)
    absent = {}
    if getattr(ws.source, "known_by", None) is not None:
        for k in universe.ASSETS:
            words = None if k in series else ws.begins_later([k], advice=False)
            if words:
                absent[k] = f"published by {today}: {words}"
    return FactSet(facts, as_of=last_date, simulated=simulated, notes=notes, newest=newest,
                   absent=absent)


#: Calendar days after which the gauge's latest reading is too old to alert on (its inputs are
#: weekly: custody on Thursdays, MOF flows on Wednesday evenings); the service's own limit.
DEMAND_STALE_DAYS = demand_service.STALE_DAYS


def _demand_facts(ws: Workspace, end: pd.Timestamp | None, today: dt.date
                  ) -> tuple[list[Fact], list[str]]:
    try:
        res = demand_service.demand(ws, end=end)
        values = demand_facts(res)
        dates = demand_fact_dates(res)
        short = unscored_facts(res, values=values, dates=dates)
        later = unpublished_facts(res, dates=dates)
        absent = absent_facts(res)
        gaps = missing_before(res, short, dates)
        as_of = pd.Timestamp(res.latest()["date"]).date()
        day = res.day().date()
        # why the gauge's last reading is older than the evening: the groups it lacked then
        # ... or why it has none on the evening at all (1998-10-08 read "no value on the last
        # date" where `demand` says the gauge needs 3 groups and has 1)
        why = res.gap() if (today - as_of).days > DEMAND_STALE_DAYS \
            or values.get("demand.gauge") is None else None
    except DataError as exc:  # no demand inputs in this store: the facts are unavailable
        return _unavailable(DEMAND_FACTS, f"foreign demand unavailable: {exc.message}"), []
    except Exception as exc:  # a failing analytic must not stop the monitor
        reason = f"foreign demand could not be computed: {type(exc).__name__}: {exc}"
        log.warning(reason)
        return _unavailable(DEMAND_FACTS, reason), [reason]
    return demand_fact_list(values, as_of, today, day=day, dates=dates, why=why,
                            short=short, later=later, gaps=gaps, absent=absent), []


def demand_fact_list(values: dict[str, Any], as_of: dt.date, today: dt.date, *,
                     day: dt.date | None = None,
                     dates: dict[str, Any] | None = None, why: str | None = None,
                     short: Collection[str] = (),
                     later: Mapping[str, str] | None = None,
                     gaps: Mapping[str, Any] | None = None,
                     absent: Mapping[str, str] | None = None) -> list[Fact]:
    """The ``demand.*`` facts of one reading (flags as 0/1).

    The gauge's facts are stale when the gauge was last read more than
    :data:`DEMAND_STALE_DAYS` before ``today`` (``as_of``: fewer groups than it needs were
    fresh since); every other fact is read on the calendar's ``day`` (default ``as_of``), from
    its own input, and is ``None`` when that input is past its staleness limit: an auction or a
    report is not silenced by custody going stale. ``dates`` gives each fact's own date (the
    observation it describes). ``why``: why the gauge has no later reading
    (:meth:`~spillwatch.analytics.demand.DemandResult.gap`), said after a stale gauge fact's
    reason ("... more than 16 days before 2008-09-15" said nothing of it). ``short``: the
    facts whose input is current but whose record is too short for them
    (:func:`~spillwatch.analytics.demand.facts.unscored_facts`), said so; ``gaps``: those of
    them whose last figure follows a missing one, with the figure before the gap
    (:func:`~spillwatch.analytics.demand.facts.missing_before`), said so instead. ``later``:
    the facts whose input has nothing published by the day, with the clause saying when the
    store's figures of it begin (:func:`~spillwatch.analytics.demand.facts.unpublished_facts`);
    ``absent``: the facts whose input the store does not hold at all, with what it lacks
    (:func:`~spillwatch.analytics.demand.facts.absent_facts`).
    """
    day = as_of if day is None else day
    dates = dates or {}
    later = later or {}
    absent = absent or {}
    # the auction record's last result, of any tenor: a class's own last auction is weeks old
    # in an ordinary month (the 10- and 30-year of 2015-04-08/09, the next on 05-13/14), and
    # "the feed has stopped" was said of it on 2015-05-01 beside the 7-year of 04-29
    held = [pd.Timestamp(v).date() for k, v in dates.items()
            if "auction" in k and v is not None and not pd.isna(v)]
    last_auction = max(held) if held else None
    out = []
    for name, (kind, unit) in DEMAND_FACTS.items():
        v = values.get(name)
        if v is not None and isinstance(v, float) and np.isnan(v):
            v = None
        gauge = name in DEMAND_GAUGE_FACTS
        when = as_of if gauge else day
        if (today - when).days > DEMAND_STALE_DAYS:
            out.append(Fact(name, None, when, unit, reason=(
                f"stale input: the gauge was last read on {when}, more than "
                f"{DEMAND_STALE_DAYS} days before {today}" + (f": {why}" if why else "")
                if gauge else
                f"stale input: the foreign-demand inputs end on {when}, more than "
                f"{DEMAND_STALE_DAYS} days before {today}"), stale=True))
            continue
        if kind == "bool" and v is not None:
            v = 1.0 if v else 0.0
        elif kind == "number" and v is not None:
            v = float(v)
        elif v is not None:
            v = str(v)
        d = dates.get(name, when)
        d = when if d is None or pd.isna(d) else pd.Timestamp(d).date()
        reason = None
        if v is None and name.startswith("demand.stale_inputs") and values.get(
                "demand.stale_inputs") is None:
            # a count of none of none: before the first input (1990-91) or in a store
            # without any (it read 0, "nothing stale", where the replay read unknown)
            # (custody may have: a store of FRED's files alone said "no foreign-demand input"
            # beside custody's own last observation)
            reason = (f"no value on {when}: none of the inputs it counts has reported by then: "
                      f"{', '.join([*STALE_INPUTS.values(), 'auctions'])} (custody and TIC are "
                      "the stale_data rule's)")
        elif v is None and name == "demand.stale_inputs_list" and values.get(
                "demand.stale_inputs") == 0:
            # nothing is stale: the list is empty, which is no missing input (it said "its
            # input is past its staleness limit" on every day no input was)
            reason = f"none on {when}: no foreign-demand input is past its staleness limit"
        elif v is None:
            reason = (f"no value on {when}: its input is past its staleness limit or has "
                      "not reported" + (f" (last observation {d})" if d != when else "")
                      if not gauge else "no value on the last date" + (f": {why}" if why else ""))
            if name in short:
                # a current input whose record is too short: the auctions' weakness on
                # 2015-01-15 (the 30-year of the day before, the record from 2015-01-12) said
                # "past its staleness limit or has not reported"
                reason = (f"no value on {when}: its input is current (last observation {d}) "
                          "but its record is too short for it")
                before = (gaps or {}).get(name)
                if before is not None:
                    # SAFE's file skips 2024-12: "too short" was said of ten years of reserves
                    reason = (f"no value on {when}: its input is current (last observation "
                              f"{d}) but the figure before it is missing (its record goes from "
                              f"{pd.Timestamp(before).date()} to {d})")
            elif name in absent:
                # no such input in the store: MOF's weekly flows on a store of FRED's files
                # read "past its staleness limit or has not reported", as of a stopped feed
                reason = f"no value on {when}: {absent[name]}"
            elif name in later:
                # an input not out yet: custody's changes on 1998-10-08 read "past its
                # staleness limit or has not reported" beside custody's "begin later"
                reason = (f"no value on {when}: nothing of its input is published by then: "
                          f"{later[name]}")
            last = last_auction or d
            if "auction" in name and (when - last).days > AUCTION_FEED_STALE_DAYS:
                reason = (f"stale input: the auction record's last result is of {last}, more "
                          f"than {AUCTION_FEED_STALE_DAYS} days before {when} (note and bond "
                          "auctions are never that far apart): the feed has stopped")
        out.append(Fact(name, v, d, unit, reason=reason))
    return out
