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
                                   indices, ``u = usd`` for WTI
``<key>.chg_<n>w_usd_bn``          weekly series (custody holdings): change over ``n`` ∈ {1, 4}
                                   weeks in $ billions. FRED publishes WMTSECL1 in $ millions;
                                   the FRED provider stores billions, and a store holding raw
                                   millions (a CSV import) is recognised by its catalog unit or
                                   by the level's magnitude (> 100,000) and divided by 1,000
``<key>.chg_<n>m_usd_bn``          monthly series (TIC holdings): ``n`` ∈ {1, 3}
``<key>.stale_bdays``              business days since the last stored point (weekdays strictly
                                   after it, up to and excluding today); labels ``asset``,
                                   ``frequency``, ``series``
=================================  ==========================================================

Stress (from :func:`spillwatch.analytics.stress.compute` on the panels of
:func:`spillwatch.analytics.stress.load_inputs`): ``stress.regime`` (ordered:
``calm < elevated < crisis``), ``stress.signature`` (``sell_america``, ``dash_for_cash``,
``flight_to_quality``, ``none``), ``stress.index``, ``stress.percentile`` and every other numeric
sub-index and signal of its latest reading as ``stress.<name>``.

Spillover (rolling connectedness, Diebold & Yilmaz 2012, with the block aggregation of
Greenwood-Nimmo, Nguyen & Shin 2015): ``spillover.net_rates_dollar_to_crypto`` (the latest
window), ``spillover.net_rates_dollar_to_crypto_p95_252d`` (the 95th percentile of the 252
windows before it) and ``spillover.net_rates_dollar_to_crypto_pctile_252d`` (today's percentile
rank among them, 0-1).

A fact that cannot be computed is *unavailable*: its value is ``None`` and ``reason`` says why.
A rule that reads an unavailable fact does not fire, and the reason is logged and stored.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store

log = logging.getLogger(__name__)

#: Ordered levels of the stress regime.
REGIMES: tuple[str, ...] = ("calm", "elevated", "crisis")
#: Labels of the yield-dollar signature.
SIGNATURES: tuple[str, ...] = ("sell_america", "dash_for_cash", "flight_to_quality", "none")

SPILL = "spillover.net_rates_dollar_to_crypto"
SPILL_FACTS = (SPILL, SPILL + "_p95_252d", SPILL + "_pctile_252d")
STRESS_FIXED = ("stress.regime", "stress.signature", "stress.index", "stress.percentile")

_DAILY_N = (1, 5, 20)
_WEEKLY_N = (1, 4)
_MONTHLY_N = (1, 3)
_CHANGE_UNIT = {"yield": "bp", "spread": "bp", "price": "pct", "index": "pct", "fx": "pct",
                "stress": "pts", "signed_price": "usd", "holdings": "usd_bn"}
_SPILL_WINDOW = 200
_SPILL_HISTORY = 252


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
             f"{a.key}.stale_bdays": FactKind("number", unit="bdays")}
    if a.frequency == "daily":
        names.update({f"{a.key}.chg_{n}d_{u}": FactKind("number", unit=u) for n in _DAILY_N})
    elif a.frequency == "weekly":
        names.update({f"{a.key}.chg_{n}w_{u}": FactKind("number", unit=u) for n in _WEEKLY_N})
    else:
        names.update({f"{a.key}.chg_{n}m_{u}": FactKind("number", unit=u) for n in _MONTHLY_N})
    return names


def stress_fact_names() -> list[str]:
    """The numeric stress facts: index, percentile, sub-indices and signals.

    Empty when the stress module is not installed (any ``stress.<name>`` is then accepted).
    """
    try:
        from spillwatch.analytics.stress import SIGNAL_COLUMNS, SUBINDEX_COLUMNS
    except ImportError:
        return []
    return ["stress.index", "stress.percentile",
            *(f"stress.{c}" for c in (*SUBINDEX_COLUMNS, *SIGNAL_COLUMNS))]


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
        if name in known or (not known and re.fullmatch(r"stress\.[a-z0-9_]+", name)):
            return NUMBER
        raise ConfigError(f"unknown stress fact {name!r}; choose one of: "
                          f"{', '.join(['stress.regime', 'stress.signature', *known])}")
    if name.startswith("spillover."):
        if name in SPILL_FACTS:
            return NUMBER
        raise ConfigError(f"unknown fact {name!r}; spillover facts are: {', '.join(SPILL_FACTS)}")
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

    @property
    def available(self) -> bool:
        """Whether the fact has a value."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "unit": self.unit,
                "as_of": None if self.as_of is None else self.as_of.isoformat(),
                "labels": dict(self.labels), "reason": self.reason}


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
                 simulated: bool = False, notes: Iterable[str] = ()) -> None:
        self.facts = {f.name: f for f in facts}
        self.as_of = as_of
        self.simulated = simulated
        self.notes = list(notes)

    def get(self, name: str) -> Fact:
        """The fact ``name``; an unavailable fact (with the reason) when there is none."""
        got = self.facts.get(name)
        if got is not None:
            return got
        head = name.partition(".")[0]
        reason = (f"no data for series {head!r} in the store" if head in universe.ASSETS
                  else f"fact {name!r} was not computed")
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
        return {"as_of": None if self.as_of is None else self.as_of.isoformat(),
                "simulated": self.simulated, "notes": list(self.notes),
                "facts": {n: f.to_dict() for n, f in sorted(self.facts.items())}}


# -- computing ----------------------------------------------------------------------------------
def _simple_pct(log_pct_sum: float) -> float:
    return float(100.0 * np.expm1(log_pct_sum / 100.0))


def _daily_facts(a: universe.Asset, changes: pd.Series) -> list[Fact]:
    out: list[Fact] = []
    ch = changes.dropna()
    u = _CHANGE_UNIT[a.kind]
    for n in _DAILY_N:
        name = f"{a.key}.chg_{n}d_{u}"
        if len(ch) < n:
            out.append(Fact(name, None, unit=u, reason=f"{a.key} has {len(ch)} changes, needs {n}"))
            continue
        tail = ch.iloc[-n:]
        total = float(tail.sum())
        value = _simple_pct(total) if a.log_change else total
        out.append(Fact(name, value, tail.index[-1].date(), u, {"asset": a.key}))
    return out


def _scale_to_bn(store: Store, ids: list[str], levels: pd.Series) -> float:
    """Divisor that turns a holdings series into $ billions (FRED WMTSECL1 is in $ millions)."""
    cat = store.series()
    units = " ".join(str(u).lower() for u in cat.loc[cat["series_id"].isin(ids), "unit"])
    if "mn" in units or "million" in units:
        return 1000.0
    if len(levels) and float(levels.abs().median()) > 1e5:
        log.info("holdings series %s look like $ millions (median %.0f): dividing by 1000",
                 ids, float(levels.abs().median()))
        return 1000.0
    return 1.0


def _low_freq_facts(store: Store, a: universe.Asset, ids: list[str],
                    end: dt.date | None) -> list[Fact]:
    wide = store.wide(ids, end=None if end is None else pd.Timestamp(end))
    s = wide[ids[0]]
    for sid in ids[1:]:
        s = s.combine_first(wide[sid])
    s = s.dropna()
    s.index = pd.DatetimeIndex(s.index).normalize()
    u = _CHANGE_UNIT[a.kind]
    if a.kind == "holdings":
        s = s / _scale_to_bn(store, ids, s)
    letter, ns = ("w", _WEEKLY_N) if a.frequency == "weekly" else ("m", _MONTHLY_N)
    out: list[Fact] = []
    if len(s):
        out.append(Fact(f"{a.key}.level", float(s.iloc[-1]), s.index[-1].date(),
                        u if a.kind == "holdings" else a.unit, {"asset": a.key}))
    for n in ns:
        name = f"{a.key}.chg_{n}{letter}_{u}"
        if len(s) <= n:
            out.append(Fact(name, None, unit=u,
                            reason=f"{a.key} has {len(s)} points, needs {n + 1}"))
            continue
        out.append(Fact(name, float(s.iloc[-1] - s.iloc[-1 - n]), s.index[-1].date(), u,
                        {"asset": a.key}))
    return out


def business_days_between(last: dt.date, today: dt.date) -> int:
    """Weekdays strictly after ``last`` and before ``today`` (0 when ``today`` follows it)."""
    start = last + dt.timedelta(days=1)
    if start >= today:
        return 0
    return int(np.busday_count(start, today))


def _stress_facts(store: Store, end: pd.Timestamp | None) -> tuple[list[Fact], list[str]]:
    try:
        from spillwatch.analytics.stress import compute, load_inputs
    except ImportError as exc:
        reason = f"the stress module is not available ({exc})"
        return [Fact(n, None, reason=reason) for n in STRESS_FIXED], [reason]
    try:
        changes, levels = load_inputs(store, end=end)  # the panels the stress monitor reads
        if "ust10y_bp" not in changes:
            reason = "stress needs the 10-year yield (ust10y), which the store lacks"
            return [Fact(n, None, reason=reason) for n in STRESS_FIXED], [reason]
        res = compute(changes, levels)
        latest = dict(res.latest())
        as_of = pd.Timestamp(latest.pop("date")).date() if latest.get("date") else None
    except Exception as exc:  # a failing analytic must not stop the monitor
        reason = f"stress could not be computed: {type(exc).__name__}: {exc}"
        log.warning(reason)
        return [Fact(n, None, reason=reason) for n in STRESS_FIXED], [reason]
    out = []
    rename = {"stress": "index"}
    flat: dict[str, Any] = {}
    for k, v in latest.items():  # sub-indices and signals come as nested dicts
        if isinstance(v, dict):
            flat.update(v)
        else:
            flat[k] = v
    for k, v in flat.items():
        name = f"stress.{rename.get(k, k)}"
        if isinstance(v, str | np.str_):
            val: float | str | None = str(v)
        elif v is None or (isinstance(v, float) and np.isnan(v)):
            val = None
        else:
            try:
                val = float(v)
            except (TypeError, ValueError):
                continue
        out.append(Fact(name, val, as_of,
                        reason=None if val is not None else "NaN on the last date"))
    have = {f.name for f in out}
    out += [Fact(n, None, reason="not in the stress result") for n in STRESS_FIXED
            if n not in have]
    return out, []


#: The assets of the spillover headline (the same as the report's spillover section).
SPILL_ASSETS: tuple[str, ...] = ("ust2y", "ust10y", "usd_broad", "usdjpy", "btc", "eth")


def spillover_series(store: Store, *, end: object = None, window: int = _SPILL_WINDOW
                     ) -> pd.Series:
    """Net spillover from rates + dollar to crypto over rolling windows (by window end date).

    Rolling Diebold-Yilmaz connectedness (``lags=2, horizon=10``, generalized FEVD) on the
    complete rows of the :data:`SPILL_ASSETS` panel, over its last ``window + 252`` rows; the
    block helper (``.blocks().headline``, Greenwood-Nimmo et al. 2015) gives the net spillover
    into crypto from rates + dollar. Singular windows are NaN and dropped.
    """
    from spillwatch.analytics.connectedness import connectedness
    from spillwatch.data.panel import build_panel, resolve_sources

    have = list(resolve_sources(store, list(SPILL_ASSETS), explicit=False))
    panel = build_panel(store, assets=have, transform="changes", end=end)
    data = panel.dropna().iloc[-(window + _SPILL_HISTORY):]
    roll = connectedness(data, lags=2, horizon=10, window=window, on_singular="nan")
    return pd.Series(roll.blocks().headline).dropna()


def _spill_facts(store: Store, end: pd.Timestamp | None) -> tuple[list[Fact], list[str]]:
    try:
        net = spillover_series(store, end=end)
    except Exception as exc:  # unavailable analytics leave the facts unavailable, with a reason
        reason = f"spillover unavailable: {type(exc).__name__}: {exc}"
        log.info(reason)
        return [Fact(n, None, reason=reason) for n in SPILL_FACTS], [reason]
    if len(net) < 2:
        reason = "spillover unavailable: fewer than 2 rolling windows"
        return [Fact(n, None, reason=reason) for n in SPILL_FACTS], [reason]
    today = float(net.iloc[-1])
    hist = net.iloc[-1 - _SPILL_HISTORY:-1].to_numpy(dtype=float)
    as_of = pd.Timestamp(net.index[-1]).date()
    p95 = float(np.percentile(hist, 95))
    rank = float(np.mean(hist <= today))
    return [Fact(SPILL, today, as_of, "pct_points"),
            Fact(SPILL + "_p95_252d", p95, as_of, "pct_points"),
            Fact(SPILL + "_pctile_252d", rank, as_of, "fraction")], []


def compute_facts(store: Store, *, today: dt.date | None = None, as_of: dt.date | None = None,
                  stress: bool = True, spillover: bool = True) -> FactSet:
    """Compute every fact the store allows.

    Parameters
    ----------
    store : Store
    today : date, optional
        The clock's date, for staleness (default: the UTC date). With simulated (demo) data,
        staleness is measured against the panel's last date instead, since the demo market does
        not move with the clock.
    as_of : date, optional
        Compute the facts as they stood at the close of this date (only data up to it; staleness
        as seen the next day): what the rules would have said then.
    stress, spillover : bool, default True
        Whether to compute the stress and spillover facts (the slow ones).

    Returns
    -------
    FactSet
    """
    from spillwatch.data.panel import build_panel, resolve_sources

    today = today or dt.datetime.now(dt.UTC).date()
    if as_of is not None:
        as_of = pd.Timestamp(as_of).date()
        today = as_of + dt.timedelta(days=1)
    end = None if as_of is None else pd.Timestamp(as_of)
    sources = resolve_sources(store, list(universe.ASSETS), explicit=False)
    if not sources:
        return FactSet([], notes=["the store holds no series of the watch list"])
    daily = [k for k in sources if universe.ASSETS[k].frequency == "daily"]
    facts: list[Fact] = []
    notes: list[str] = []
    last_date: dt.date | None = None
    simulated = False
    changes = levels = pd.DataFrame()
    if daily:
        changes = build_panel(store, assets=daily, transform="changes", end=end)
        levels = build_panel(store, assets=daily, transform="levels", end=end)
        simulated = bool(changes.attrs.get("simulated"))
        last_date = changes.index[-1].date() if len(changes) else None
        for k in daily:
            a = universe.ASSETS[k]
            lv = levels[a.level_column].dropna()
            if len(lv):
                facts.append(Fact(f"{k}.level", float(lv.iloc[-1]), lv.index[-1].date(), a.unit,
                                  {"asset": k}))
            facts += _daily_facts(a, changes[a.change_column])
    for k, ids in sources.items():
        a = universe.ASSETS[k]
        if a.frequency != "daily":
            facts += _low_freq_facts(store, a, ids, as_of)
    if end is None:
        last = store.last_points()
    else:
        got = store.query("SELECT series_id, max(ts) AS last_ts FROM observations WHERE ts <= ? "
                          "GROUP BY series_id", [end.to_pydatetime()])
        last = dict(zip(got["series_id"], pd.to_datetime(got["last_ts"]), strict=True))
    ref = last_date if (simulated and last_date is not None and as_of is None) else today
    for k, ids in sources.items():
        stamps = [last[i] for i in ids if i in last]
        if not stamps:
            continue
        d = max(stamps).date()
        a = universe.ASSETS[k]
        facts.append(Fact(f"{k}.stale_bdays", float(business_days_between(d, ref)), d, "bdays",
                          {"asset": k, "frequency": a.frequency, "series": ids[0]}))
    if stress and not changes.empty:
        got, why = _stress_facts(store, end)
        facts += got
        notes += why
    if spillover and not changes.empty:
        got, why = _spill_facts(store, end)
        facts += got
        notes += why
    return FactSet(facts, as_of=last_date, simulated=simulated, notes=notes)
