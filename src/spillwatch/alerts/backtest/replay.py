"""The monitor replayed over history: its facts, rule activity and alerts on every business day.

The monitor is taken to run on the evening of every business day ``D`` (Monday to Friday),
after that day's releases, seeing each series only from its publication date
(:mod:`spillwatch.timing`): exactly what :func:`~spillwatch.alerts.facts.compute_facts` gives
on a store that holds what was published by ``D`` (:class:`~.vintage.VintageSource`), with
``today = D``. The replay computes that for every day in **one pass** over the full history
(:mod:`._stress`, :mod:`._facts`), evaluates the rules on all days at once (:mod:`._rules`) and
runs the alert lifecycle (:mod:`.lifecycle`).

The monitor also runs on weekends, when only crypto has a new close; the replay and its scores
keep to business days, and :func:`_weekend_notes` names the rules that would have fired on those
evenings on crypto alone.

Days on which the one-pass shortcut does not hold — a series whose later observation was
published before an earlier one, or a panel calendar with a date not yet published while a later
one was — are recomputed by the truncated run itself and listed in :attr:`Replay.fallback`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.alerts.backtest._facts import (
    FactColumns,
    asset_facts,
    spillover_values,
)
from spillwatch.alerts.backtest._rules import Instance, evaluate_rule
from spillwatch.alerts.backtest._stress import StressReplay
from spillwatch.alerts.backtest.lifecycle import (
    ABSENT,
    ACTIVE,
    INACTIVE,
    UNKNOWN,
    firing_spans,
    told_at,
)
from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.alerts.facts import (
    DEMAND_STALE_DAYS,
    JOINT_FACTS,
    SEGMENT_PCT,
    SPILL_FACTS,
    Fact,
    FactSet,
    compute_facts,
    groups_named,
    joint_changes,
    joint_pick,
)
from spillwatch.alerts.rules import RuleSet, default_pairs, default_summary, render
from spillwatch.analytics.demand import FACTS as DEMAND_FACTS
from spillwatch.analytics.demand import GAUGE_FACTS as DEMAND_GAUGE_FACTS
from spillwatch.analytics.demand.facts import demand_fact_frame
from spillwatch.analytics.stress import SIGNAL_COLUMNS, STRESS_ASSETS, SUBINDEX_COLUMNS
from spillwatch.data.releases import (
    AssetRelease,
    Calendar,
    asset_releases,
    days,
    gap_days,
    to_timestamps,
)
from spillwatch.exceptions import ConfigError, DataError, SpillwatchError
from spillwatch.service import demand as demand_service
from spillwatch.service import spillover as spillover_service
from spillwatch.service import stress as stress_service
from spillwatch.service.workspace import Workspace

log = logging.getLogger(__name__)

#: First replay day by default.
DEFAULT_START = pd.Timestamp("1990-01-01")


@dataclass
class Replay:
    """What the monitor saw and did on every replay day.

    Attributes
    ----------
    dates : DatetimeIndex
        The replay days (business days).
    record : DataFrame
        Per day: ``reading`` (the date of the stress reading the facts read), ``stress``,
        ``percentile``, ``regime``, ``signature`` (``None``/NaN where the fact was unavailable:
        a stale reading, a missing input).
    facts : FactColumns
        Every fact on every day.
    instances : list of Instance
        Every alert instance's activity per day.
    firing : dict
        ``(rule, key)`` -> bool array: firing at the end of the day.
    firings : DataFrame
        One row per firing: ``rule``, ``key``, ``severity``, ``fired``, ``resolved`` (NaT while
        firing at the end), ``days`` (business days firing), ``summary`` (the rule's summary
        filled with that day's facts).
    fallback : DataFrame
        Days not taken from the one-pass shortcut: ``date``, ``how`` ("truncated run": the
        monitor run on that day's data) and ``reason``. (Crypto is read on its own every-day
        calendar, so a hole in the business calendar no longer moves its changes.)
    notes : list of str
    seconds : dict
        Wall time of the steps.
    warmup : Series
        The index as the monitor read it (``stress.index``) on the business days of the year
        before the first replay day (empty from the data's first year on): the trailing
        thresholds of a replay that starts late (``--start``) read the same year as one that
        started earlier.
    """

    dates: pd.DatetimeIndex
    record: pd.DataFrame
    facts: FactColumns
    instances: list[Instance]
    firing: dict[tuple[str, str], np.ndarray]
    firings: pd.DataFrame
    fallback: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    warmup: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))


#: Calendar days of history read before the first replay day for trailing thresholds.
WARMUP_DAYS = 366


def replay_days(ws: Workspace, start: object = None, end: object = None) -> pd.DatetimeIndex:
    """The business days the replay runs on.

    From ``start`` (default 1990-01-01, or the first date of the 10-year yield if later) to
    ``end`` (default the last date of the data).
    """
    raw = ws.raw()
    if "ust10y" not in raw.series or raw.series["ust10y"].empty:
        raise DataError(f"the backtest replays the stress monitor, which needs the 10-year "
                        f"yield (ust10y); {ws.label} lacks it")
    first = max(DEFAULT_START, raw.series["ust10y"].index[0])
    last = max(s.index[-1] for s in raw.series.values() if len(s))
    lo = pd.Timestamp(start) if start is not None else first
    hi = pd.Timestamp(end) if end is not None else last
    if hi < lo:
        fix = ("give --end after --start" if start is not None and end is not None else
               f"--start is after the data's last date ({last.date()})" if start is not None
               else f"--end is before the replay's first date ({first.date()})")
        raise ConfigError(f"the replay ends ({hi.date()}) before it starts ({lo.date()}); "
                          f"{fix}")
    # the days the data cover: before the 10-year yield or after the last point nothing is
    # known, and a replay there would score empty days
    data_first = raw.series["ust10y"].index[0]
    if hi < data_first or lo > last:
        raise DataError(f"the replay window {lo.date()} to {hi.date()} is outside the data "
                        f"({data_first.date()} to {last.date()} in {ws.label})")
    lo, hi = max(lo, data_first), min(hi, last)
    out = pd.bdate_range(lo, hi, name="date")
    if not len(out):
        raise ConfigError(f"no business day between {lo.date()} and {hi.date()}")
    return out


def end_note(last_day: pd.Timestamp, end: object, data_last: pd.Timestamp) -> str | None:
    """The note when the replay's last day is before ``end`` (``None`` when it is not).

    Past the data's last date it says so; an ``end`` on a weekend or a holiday inside the data
    ends on the business day before, which is not the data's end (`backtest --end 2017-12-31`
    read "the replay ends on 2017-12-29, the last date of the watch-list data" of a store that
    runs to 2026).
    """
    if end is None or pd.Timestamp(end) <= last_day:
        return None
    asked, last_day = pd.Timestamp(end), pd.Timestamp(last_day)
    if asked > pd.Timestamp(data_last):
        what = ("the last date of the watch-list data" if last_day == pd.Timestamp(data_last)
                else f"the last business day of the watch-list data (to "
                     f"{pd.Timestamp(data_last).date()})")
        return f"the replay ends on {last_day.date()}, {what}; --end {asked.date()} is past it"
    # a weekend, or a weekday the watch list's markets printed nothing (a holiday, 9/11)
    why = "a weekend" if asked.weekday() >= 5 else "its markets were shut that day"
    return (f"the replay ends on {last_day.date()}, the last business day on or before "
            f"--end {asked.date()} ({why})")


def replay(ws: Workspace, rules: RuleSet, *, start: object = None, end: object = None,
           cache: dict[str, Any] | None = None, _reach: dt.timedelta | None = None,
           evening: object = None, read: dict[str, bool] | None = None) -> Replay:
    """Replay the monitor on every business day from ``start`` to ``end``.

    Parameters
    ----------
    ws : Workspace
        The full data (its store, panels and the service's analyses).
    rules : RuleSet
        The rules to evaluate (the packaged defaults or a user's file).
    start, end : date-like, optional
        The replay days (see :func:`replay_days`). The history before ``start`` is still read
        (the index is recursive).
    cache : dict, optional
        Shared memo of the store's wide frame for the truncated runs of the fallback days.
    _reach : timedelta, optional
        How far before ``start`` the lead-in begins (default: :func:`_timers`; the whole
        history, in a call of its own, when that lead-in is not :func:`_settled`).
    evening : date, optional
        A weekend day after ``end``: the alerts' states at the end are those of its evening
        (:func:`firing_on`), not the ones booked on ``end`` for the days up to the next
        business day.
    read : dict, optional
        The slow fact groups to replay (:func:`~spillwatch.alerts.facts.compute_facts`'s
        flags, as :func:`~spillwatch.alerts.facts.groups_named` gives them for the facts a
        caller's rules read); default every group. The stress facts are always replayed (the
        record reads them); without ``spillover`` or ``demand`` their facts are absent.

    Returns
    -------
    Replay

    Raises
    ------
    DataError
        The data lack the 10-year yield.
    """
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    want = {"spillover": True, "demand": True, **(read or {}), "stress": True}
    asked = replay_days(ws, start, end)
    # a replay that starts late also runs the days before its first that its rules' for and
    # keep_firing_for can reach back, so an alert the monitor was firing (or about to fire) on
    # the first day is in that state there too: `--start 2008-10-01` had treasury_spike off on
    # 10-01 and 10-02, held on by its week in the replay from 1990 (those days are dropped at
    # the end; the index reads the history before the first day anyway)
    reach = _reach if _reach is not None else _timers(rules)
    dates = _lead_in(ws, asked, reach).append(asked)
    lead = len(dates) - len(asked)
    D = days(dates)
    n = len(D)
    raw = ws.raw()
    held = [k for k in ws.have(list(universe.ASSETS)) if len(raw.series.get(k, ()))]
    sources = {k: list(raw.sources[k]) for k in held}
    ids = sorted({s for v in sources.values() for s in v})
    with ws.store.session():
        wide = ws.store.wide(ids)
    wide.index = pd.DatetimeIndex(wide.index).normalize()
    releases = asset_releases(wide, sources)
    notes: list[str] = []
    said = end_note(dates[-1], end, max(s.index[-1] for s in raw.series.values() if len(s)))
    if said:                                                 # said, not cut silently
        notes.append(said)
    for k, r in releases.items():
        if r.disagreements:
            notes.append(f"{k}: on {r.disagreements} date(s) a source published earlier than "
                         f"{r.sources[0]} carries a different value; the replay reads the "
                         "final value from the first publication")
    ref = _reference_days(ws, releases, D)
    seconds["setup"] = time.perf_counter() - clock

    facts = FactColumns(n)
    daily = [k for k in held if universe.ASSETS[k].frequency == "daily"]
    changes = ws.panel(daily, transform="changes")
    levels = ws.panel(daily, transform="levels")
    fcal = Calendar.of(changes.index, releases,
                       [k for k in daily if universe.ASSETS[k].calendar == "business"])
    asset_facts(facts, raw=raw, releases={k: releases[k] for k in held}, changes=changes,
                levels=levels, calendar=fcal, D=D, ref=ref,
                catalog=ws.memo("catalog", ws.store.series))
    seconds["asset_facts"] = time.perf_counter() - clock - sum(seconds.values())

    res = stress_service.stress(ws)
    keys = ws.have(STRESS_ASSETS)
    s_changes = ws.panel(keys, transform="changes")
    s_levels = ws.panel(keys, transform="levels").reindex(s_changes.index)
    sr = StressReplay(s_changes, s_levels, {k: releases[k] for k in keys}, res.spec)
    seconds["stress_history"] = time.perf_counter() - clock - sum(seconds.values())
    sd = sr.read(D)
    reading = sd.reading
    _stress_facts(facts, sd, sr, releases["ust10y"], D, ref)
    warmup = _warmup(ws, sr, releases, asked)
    _joint_facts(facts, ws, releases, D, ref)
    seconds["stress_replay"] = time.perf_counter() - clock - sum(seconds.values())

    spill_partial = (_spill_facts(facts, ws, releases, D) if want["spillover"]
                     else np.zeros(n, dtype=bool))
    seconds["spillover"] = time.perf_counter() - clock - sum(seconds.values())
    if want["demand"]:
        _demand_facts(facts, ws, dates, ref)
    seconds["demand"] = time.perf_counter() - clock - sum(seconds.values())

    reasons = {
        "an observation published before an earlier one": gap_days(releases, D),
        "the stress panel's calendar has an unpublished date before a published one":
            sr.calendar.holes(D),
        "the spillover assets held differ from the full history's": spill_partial,
    }
    full = np.zeros(n, dtype=bool)
    for v in reasons.values():
        full |= v
    instances: list[Instance] = []
    for rule in rules.rules:
        instances += evaluate_rule(rule, facts)
        apart = [x.key for x in instances if x.rule is rule and x.key and rule.apart(x.key)]
        if apart:   # said, as `alerts test` says it per instance
            notes.append(f"rule {rule.name}: not evaluated for {', '.join(apart)}: "
                         f"{rule.apart(apart[0])}")
    if lead and not _settled(instances, dates, lead) and dates[0] > replay_days(ws)[0]:
        # an alert may have been firing (or pending) since before the lead-in: a `for` of
        # 10 days over a regime elevated for five weeks read "no" on an evening the monitor
        # held it; then from the data's first day (a replay's cost is mostly fixed, about a
        # second: doubling the lead-in took up to six of them)
        return replay(ws, rules, start=start, end=end, cache=cache, _reach=WHOLE_HISTORY,
                      evening=evening, read=read)
    fb_rows = []
    cache = cache if cache is not None else {}
    for i in (int(x) for x in np.flatnonzero(full)):
        why = [r for r, v in reasons.items() if v[i]]
        fs = _truncated(ws, dates[i], cache, want)
        _overwrite(facts, fs, i)
        instances = _reevaluate(instances, rules, fs, i, facts.n)
        got = fs.get("stress.index")
        reading[i] = days(pd.DatetimeIndex([got.as_of]))[0] if got.as_of else -1
        fb_rows.append({"date": dates[i], "how": "truncated run", "reason": "; ".join(why)})
    seconds["fallback"] = time.perf_counter() - clock - sum(seconds.values())

    record = pd.DataFrame({
        "reading": pd.Series(to_timestamps(np.where(reading >= 0, reading, 0)), index=dates
                             ).where(reading >= 0),
        "stress": facts.value("stress.index").astype(float),
        "percentile": facts.value("stress.percentile").astype(float),
        "regime": facts.value("stress.regime"),
        "signature": facts.value("stress.signature"),
    }, index=dates)
    # the last day's state as of the evening of ``evening`` (a weekend day after it): the
    # alerts that fire or resolve before the next evening, not before the next business day
    after_last = (None if evening is None
                  else int(days(pd.DatetimeIndex([pd.Timestamp(evening)]))[0]) + 1)
    firing, firings = _lifecycle(instances, facts, dates, D, after_last)
    if lead:
        record, facts = record.iloc[lead:], facts.since(lead)
        instances = [replace(x, active=x.active[lead:],
                             values={k: v[lead:] for k, v in x.values.items()})
                     for x in instances]
        firing = {k: v[lead:] for k, v in firing.items()}
        # the firings in effect on a replay day (one begun in the lead-in keeps its onset)
        firings = firings[firings["resolved"].isna() | (firings["resolved"] > asked[0])
                          ].reset_index(drop=True)
        fb_rows = [r for r in fb_rows if r["date"] >= asked[0]]
        dates = asked
    notes += _weekend_notes(ws, rules, dates, raw=raw, releases=releases, held=held,
                            changes=changes, levels=levels, calendar=fcal)
    seconds["rules"] = time.perf_counter() - clock - sum(seconds.values())
    seconds["total"] = time.perf_counter() - clock
    fallback = pd.DataFrame(fb_rows, columns=["date", "how", "reason"]).sort_values(
        "date", kind="stable").reset_index(drop=True)
    return Replay(dates, record, facts, instances, firing, firings, fallback, notes, seconds,
                  warmup)


#: The first lead-in of a replay with timed rules reaches at least this far back (a year of
#: lead-in costs a replay about 0.2 s more than a month; most alerts reset within it).
MIN_LEAD_IN = dt.timedelta(days=365)
#: The lead-in of a replay whose first one was not :func:`_settled`: the whole history.
WHOLE_HISTORY = dt.timedelta(days=366 * 200)


def _timers(rules: RuleSet) -> dt.timedelta:
    """How far back a replay's lead-in begins.

    The longest ``for`` plus ``keep_firing_for`` of the rules and a week more, at least
    :data:`MIN_LEAD_IN` (zero without a timed rule).
    """
    reach = max((r.for_ + r.keep_firing_for for r in rules.rules), default=dt.timedelta(0))
    return max(reach + dt.timedelta(days=7), MIN_LEAD_IN) if reach > dt.timedelta(0) else reach


def _lead_in(ws: Workspace, asked: pd.DatetimeIndex, reach: dt.timedelta
             ) -> pd.DatetimeIndex:
    """The business days before ``asked[0]`` that the rules' timers reach back over.

    ``reach`` (:func:`_timers`; the whole history when that lead-in is not :func:`_settled`)
    within the data; empty from the data's first day on.
    """
    if reach <= dt.timedelta(0):
        return pd.DatetimeIndex([], name="date")
    try:
        first = replay_days(ws)[0]
    except (ConfigError, DataError):
        return pd.DatetimeIndex([], name="date")
    lo = max(first, asked[0] - pd.Timedelta(reach))
    return pd.bdate_range(lo, asked[0] - pd.Timedelta(days=1), name="date")


def _settled(instances: list[Instance], dates: pd.DatetimeIndex, lead: int) -> bool:
    """Whether a replay begun at ``dates[0]`` has every timed alert in the monitor's state.

    The monitor that started earlier may have had an alert firing or pending there; the
    replay starts with none. The two agree from a day in the lead-in that resets both (the
    lifecycle's rules): a day the conditions do not hold ends a pending alert; an unknown or
    absent one, or ``keep_firing_for`` of days they do not hold, ends a firing one. (When the
    lead-in opens on the data's first day the monitor cannot have started earlier: the
    caller's check.)
    """
    for x in instances:
        if x.rule.for_ + x.rule.keep_firing_for <= dt.timedelta(0):
            continue
        a = np.asarray(x.active[:lead])
        if x.rule.keep_firing_for <= dt.timedelta(0):
            if not (a != ACTIVE).any():
                return False
            continue
        if np.isin(a, (UNKNOWN, ABSENT)).any():
            continue
        off = np.append(a == INACTIVE, False)
        starts = np.flatnonzero(off[1:] & ~off[:-1]) + 1
        if off[0]:
            starts = np.append(0, starts)
        ends = np.flatnonzero(off[:-1] & ~off[1:])
        if not any(dates[e] - dates[b] >= pd.Timedelta(x.rule.keep_firing_for)
                   for b, e in zip(sorted(starts), ends, strict=True)):
            return False
    return True


def _weekend_notes(ws: Workspace, rules: RuleSet, dates: pd.DatetimeIndex, *, raw: Any,
                   releases: dict[str, AssetRelease], held: list[str], changes: pd.DataFrame,
                   levels: pd.DataFrame, calendar: Calendar) -> list[str]:
    """What the monitor's weekend evenings would have added: rules that fire on crypto alone.

    The replay runs on business days, as its scores count them; the monitor also runs on
    Saturday and Sunday evenings, when only crypto has a new close (``alerts test --as-of`` a
    Sunday said ``btc_daily_drop would_fire: yes``; the backtest listed none of the ten
    weekend falls of 8% or more from 2018 to 2025). Each rule is evaluated on the weekend
    days with the crypto facts alone (its other facts absent, as nothing else is published
    then), and the evenings it would have been active are named.
    """
    crypto = [k for k in held if universe.ASSETS[k].block == universe.AssetBlock.CRYPTO
              and universe.ASSETS[k].frequency == "daily"]
    every = pd.date_range(dates[0], dates[-1], freq="D", name="date")
    weekend = every[every.day_of_week >= 5]
    if not crypto or not len(weekend):
        return []
    W = days(weekend)
    wf = FactColumns(len(W))
    asset_facts(wf, raw=raw, releases={k: releases[k] for k in crypto}, changes=changes,
                levels=levels, calendar=calendar, D=W,
                ref=_reference_days(ws, {k: releases[k] for k in crypto}, W),
                catalog=ws.memo("catalog", ws.store.series))
    out = []
    for rule in rules.rules:
        if any(c.fact.endswith(("stale_bdays", "days_past_limit")) for c in rule.conditions):
            continue        # a feed's age, not a market move: the weekday replay has it
        on = np.zeros(len(W), dtype=bool)
        for inst in evaluate_rule(rule, wf):
            on |= inst.active == ACTIVE
        if on.any():
            hit = weekend[on]
            out.append(f"rule {rule.name}: the monitor, which also runs on weekends, would "
                       f"have been firing on {int(on.sum())} weekend evening(s) on crypto's "
                       f"closes alone ({hit[0].date()} to {hit[-1].date()}); the replay and "
                       "its scores run on business days and do not count them")
    return out


def _reference_days(ws: Workspace, releases: dict[str, AssetRelease], D: np.ndarray
                    ) -> np.ndarray:
    """The day staleness is measured to on each replay day (the simulated market's last)."""
    if not ws.simulated:
        return D.copy()
    # compute_facts measures staleness against the data's last date
    lasts = np.stack([r.obs[np.clip(r.last_known(D, D), 0, None)]
                      * (r.last_known(D, D) >= 0) for r in releases.values()])
    return np.asarray(lasts.max(axis=0))


def _gate(sd: Any, sr: StressReplay, D: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Whether the monitor shows each day's reading (published, within the 10-year's limit)."""
    limit = universe.ASSETS["ust10y"].timing.stale_after_days
    read_limit = sr.limits.get("ust10y", limit)
    last_cal = sr.calendar.last(D)
    cal_day = np.where(last_cal >= 0, sr.cal[np.clip(last_cal, 0, None)], -1)
    has = sd.reading >= 0
    return np.asarray(has & (ref - sd.reading <= limit) & (cal_day - sd.reading <= read_limit))


def _warmup(ws: Workspace, sr: StressReplay, releases: dict[str, AssetRelease],
            dates: pd.DatetimeIndex) -> pd.Series:
    """The monitor's ``stress.index`` on the year of business days before ``dates[0]``."""
    first = releases["ust10y"].obs
    lo = max(dates[0] - pd.Timedelta(days=WARMUP_DAYS),
             to_timestamps(first[:1])[0] if len(first) else dates[0])
    before = pd.bdate_range(lo, dates[0] - pd.Timedelta(days=1), name="date")
    if not len(before):
        return pd.Series(dtype=float, name="stress")
    W = days(before)
    sd = sr.read(W)
    level = np.where(_gate(sd, sr, W, _reference_days(ws, releases, W)), sd.index, np.nan)
    return pd.Series(level, index=before, name="stress")


def _stress_facts(facts: FactColumns, sd: Any, sr: StressReplay, anchor: AssetRelease,
                  D: np.ndarray, ref: np.ndarray) -> None:
    """The ``stress.*`` facts of :func:`~spillwatch.alerts.facts._stress_facts` on every day."""
    gate = _gate(sd, sr, D, ref)
    exists = anchor.last_known(D, D) >= 0
    num: dict[str, np.ndarray] = {"stress.index": sd.index, "stress.percentile": sd.percentile,
                                  "stress.percentile_longrun": sd.percentile_longrun}
    num.update({f"stress.{g}": sd.subindices[g] for g in SUBINDEX_COLUMNS})
    # each sub-index's own percentile: none where the sub-index has none (facts._segment_facts)
    num.update({f"stress.{g}{SEGMENT_PCT}": np.where(np.isnan(sd.subindices[g]), np.nan,
                                                     sd.segment_percentiles[g])
                for g in SUBINDEX_COLUMNS})
    for name, v in num.items():
        facts.put(name, np.where(gate, v, np.nan), exists, as_of=sd.reading)
    # a signal is dated by its inputs' last report (the H.10 dollar's Friday before), as
    # facts._signal_dates dates it
    for c in SIGNAL_COLUMNS:
        day = sd.signal_days.get(c, np.full(len(D), -1))
        facts.put(f"stress.{c}", np.where(gate, sd.signals[c], np.nan), exists,
                  as_of=np.where((day >= 0) & (day < sd.reading), day, sd.reading))
    ok = gate & np.array([x is not None and x != "unavailable" for x in sd.regime], dtype=bool)
    labels = np.asarray(sd.regime, dtype=object).copy()
    labels[~ok] = None
    facts.put("stress.regime", labels, exists, as_of=sd.reading)
    # the signature of the latest day with both legs (see facts._latest_signature)
    sig_limit = universe.ASSETS["usd_broad"].timing.stale_after_days
    day = sd.signature_day
    ok = gate & (day >= 0) & (ref - day <= sig_limit) & np.array(
        [x is not None and x != "unavailable" for x in sd.signature_latest], dtype=bool)
    labels = np.asarray(sd.signature_latest, dtype=object).copy()
    labels[~ok] = None
    facts.put("stress.signature", labels, exists, as_of=np.where(day >= 0, day, sd.reading))


def _joint_facts(facts: FactColumns, ws: Workspace, releases: dict[str, AssetRelease],
                 D: np.ndarray, ref: np.ndarray) -> None:
    """:data:`~spillwatch.alerts.facts.JOINT_FACTS` on every day (``facts._joint_facts``)."""
    keys = [k for k, _ in JOINT_FACTS.values()]
    # the facts are there every evening, without a value (and with why) where a leg is not
    # yet out, as the monitor's
    every = np.ones(len(D), dtype=bool)
    if not all(k in releases for k in keys):
        for name in JOINT_FACTS:
            facts.put(name, np.full(len(D), np.nan), every)
        return
    pos = {k: releases[k].last_known(D, D) for k in keys}
    exists = (pos[keys[0]] >= 0) & (pos[keys[1]] >= 0)
    if not exists.any():
        for name in JOINT_FACTS:
            facts.put(name, np.full(len(D), np.nan), every)
        return
    # the last day each leg is known up to, and the latest day with both on or before it
    upto = np.minimum(*(np.where(pos[k] >= 0, releases[k].obs[np.clip(pos[k], 0, None)], -1)
                        for k in keys))
    both, best = joint_pick(joint_changes(ws))
    bd = days(pd.DatetimeIndex(both.index))
    j = np.searchsorted(bd, upto, side="right") - 1
    has = exists & (j >= 0)
    jj = np.clip(j, 0, None)
    last = np.where(has, bd[jj] if len(bd) else -1, -1)
    limit = universe.ASSETS["usd_broad"].timing.stale_after_days
    k = best[jj] if len(best) else np.full(len(D), -1, dtype=np.int64)
    # fresh, and a measured window among the latest days (-1: every one spans a gap)
    fresh = has & (ref - last <= limit) & (k >= 0)
    kk = np.clip(k, 0, None)
    as_of = np.where(fresh, bd[kk] if len(bd) else -1, np.where(has, last, -1))
    for name in JOINT_FACTS:
        col = both[name].to_numpy(dtype=float)
        v = np.where(fresh, col[kk] if len(col) else np.nan, np.nan)
        facts.put(name, v, every, as_of=as_of)


def _spill_facts(facts: FactColumns, ws: Workspace, releases: dict[str, AssetRelease],
                 D: np.ndarray) -> np.ndarray:
    """Put the spillover facts; return the days to recompute by truncation.

    Those are the days on which a vintage headline could exist (crypto held) while the held
    spillover assets or the panel calendar differ from the full history's.
    """
    n = len(D)
    empty = np.full(n, np.nan)
    exists = np.ones(n, dtype=bool)
    partial = np.zeros(n, dtype=bool)
    try:
        rep = spillover_service.spillover(ws)
        headline = rep.headline
    except SpillwatchError as exc:
        log.info("spillover unavailable for the whole replay: %s", exc)
        headline = pd.Series(dtype=float)
        rep = None
    if rep is None or headline.empty:
        for name in ("spillover.net_rates_dollar_to_crypto",
                     "spillover.net_rates_dollar_to_crypto_p95_252d",
                     "spillover.net_rates_dollar_to_crypto_pctile_252d"):
            facts.put(name, empty.copy(), exists)
        return partial
    keys = ws.have(list(spillover_service.ASSETS))
    panel = ws.panel(keys, transform="changes")
    cal = Calendar.of(panel.index, releases,
                      [k for k in keys if universe.ASSETS[k].calendar == "business"])

    def values(series: pd.Series, sampling: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
        hd = days(pd.DatetimeIndex(series.index))
        known = np.zeros(len(hd), dtype=np.int64)
        for k in keys:
            r = releases[k]
            pos = np.clip(np.searchsorted(r.obs, hd, side="right") - 1, 0, None)
            known = np.maximum(known, r.known[pos])
        cpos = np.clip(np.searchsorted(cal.dates, hd), 0, len(cal.dates) - 1)
        known = np.maximum(known, np.maximum.accumulate(cal.enters)[cpos])
        return spillover_values(headline=series, known=np.maximum.accumulate(known),
                                calendar=cal, D=D,
                                history=spillover_service.history_readings(sampling),
                                min_history=spillover_service.min_history_readings(sampling))

    got, pos = values(headline, "daily" if rep.sync is None else rep.sync.sampling)
    read = np.where(pos >= 0, days(pd.DatetimeIndex(headline.index))[np.clip(pos, 0, None)], -1)
    if rep.sync is not None:
        # the service falls back to the daily headline while the synchronous setting has too
        # few rows for its window: on the days before its first window was known
        daily, dpos = values(rep.daily_headline, "daily")
        early = pos < 0
        got = {name: np.where(early, daily[name], v) for name, v in got.items()}
        dread = days(pd.DatetimeIndex(rep.daily_headline.index))[np.clip(dpos, 0, None)]
        read = np.where(early, np.where(dpos >= 0, dread, -1), read)
    # a reading past its slowest input's limit is stale (compute_facts: no value)
    stale = (read >= 0) & (D - read > spillover_service.stale_after_days())
    got = {name: np.where(stale, np.nan, v) for name, v in got.items()}
    for name in SPILL_FACTS:
        # dated by the reading each day reads, as the monitor's facts are (the replay's
        # summaries said "3.5 on n/a" where the monitor said "on 2020-03-12")
        facts.put(name, got[name], exists.copy(), as_of=read.copy())
    held = {k: releases[k].last_known(D, D) >= 0 for k in keys}
    all_held = np.all(np.stack(list(held.values())), axis=0)
    crypto = [k for k in keys if universe.ASSETS[k].block == universe.AssetBlock.CRYPTO]
    some_crypto = np.any(np.stack([held[k] for k in crypto]), axis=0) if crypto else ~exists
    # a headline (and so a value that depends on the calendar or the assets held) needs crypto
    return some_crypto & (~all_held | cal.holes(D))


def _demand_facts(facts: FactColumns, ws: Workspace, dates: pd.DatetimeIndex,
                  ref: np.ndarray) -> None:
    """The ``demand.*`` facts of :func:`~spillwatch.alerts.facts._demand_facts` on every day.

    One gauge on the whole history, read as of each day: its values never depend on what was
    published after the day (every input is dated by its release; its truncation test), so
    row ``t`` of the full gauge is the truncated run's reading.
    """
    n = len(dates)
    names = list(DEMAND_FACTS)
    # a replay that ends before the gauge's first reading (2007 on ../shared/data), or before
    # any foreign-demand input was out, still has the signals the monitor reads on those
    # evenings (MOF's intervention reports since 1991, Japan's weekly flows since 2005): the
    # gauge of the whole history holds them, and its row t never depends on what was published
    # after t. A replay to 1993-06-30 had japan_intervention unavailable on 1991-05-31, when
    # `alerts test --as-of 1991-05-31` fires it; a store whose only input, custody, read 0
    # (not reported) up to --end stopped on an IndexError (an empty gauge frame).
    res, why = None, ""
    for upto in (dates[-1], None):
        try:
            got = demand_service.demand(ws, end=upto)
        except DataError as exc:
            why = exc.message
            continue
        if len(got.frame):
            res = got
            break
        why = "no foreign-demand input was published"
    if res is None:
        for name in names:
            facts.put(name, np.full(n, None, dtype=object), np.ones(n, dtype=bool))
        log.info("foreign demand unavailable for the whole replay: %s", why)
        return
    frame = demand_fact_frame(res, dates)
    # :func:`~spillwatch.alerts.facts.demand_fact_list` on every row at once (its rules: the
    # gauge's facts stale past the limit from the gauge's date, the others from the day's)
    have = ~pd.isna(frame["as_of"]).to_numpy()
    gauge_day = days(pd.DatetimeIndex(frame["as_of"]))
    cal_day = days(pd.DatetimeIndex(frame["day"]))
    for name in names:
        kind = DEMAND_FACTS[name][0]
        gauge = name in DEMAND_GAUGE_FACTS
        when = gauge_day if gauge else cal_day
        fresh = have & (ref - when <= DEMAND_STALE_DAYS)
        col = frame[name]
        if kind in ("number", "bool"):
            raw = np.array([np.nan if x is None else float(x) for x in col.to_numpy(object)])
            v: np.ndarray = np.where(fresh, raw, np.nan)
        else:
            v = np.array([None if (x is None or (isinstance(x, float) and np.isnan(x)))
                          else str(x) for x in col.to_numpy(object)], dtype=object)
            v[~fresh] = None
        stamp = f"{name}@date"
        own = (days(pd.DatetimeIndex(frame[stamp])) if stamp in frame and not gauge
               else when)
        own = np.where(pd.isna(frame[stamp]).to_numpy() if stamp in frame and not gauge
                       else np.zeros(n, dtype=bool), when, own)
        # a stale fact is dated by its reading (the gauge's or the day's), as the FactSet does
        as_of = np.where(have, np.where(fresh, own, when), -1)
        facts.put(name, v, np.ones(n, dtype=bool), as_of=as_of)


_EPOCH = pd.Timestamp("1970-01-01").date()


def _truncated(ws: Workspace, day: pd.Timestamp, cache: dict[str, Any],
               read: dict[str, bool] | None = None) -> FactSet:
    """The monitor's facts on the evening of ``day`` from the data published by then.

    Only the slow groups ``read`` says (every group by default).
    """
    src = VintageSource.of(ws.source, day, cache)
    want = read or {}
    return compute_facts(Workspace(src, whole=ws), today=day.date(),
                         stress=want.get("stress", True),
                         spillover=want.get("spillover", True),
                         demand=want.get("demand", True))


def _put(arrays: dict[str, np.ndarray], name: str, n: int, i: int, value: Any) -> None:
    arr = arrays.get(name)
    if arr is None:
        arr = arrays[name] = np.full(n, np.nan)
    if arr.dtype != object and not (value is None or isinstance(value, int | float)):
        arr = arrays[name] = arr.astype(object)
    arr[i] = (np.nan if arr.dtype != object else None) if value is None else value


def _overwrite(facts: FactColumns, fs: FactSet, i: int) -> None:
    """Put one truncated run's facts in place of day ``i``'s."""
    for name in list(facts.values):
        facts.exists[name][i] = name in fs.facts
    for name, got in fs.facts.items():
        if name not in facts.values:
            facts.put(name, np.full(facts.n, np.nan), np.zeros(facts.n, dtype=bool),
                      dict(got.labels))
        facts.exists[name][i] = True
        _put(facts.values, name, facts.n, i, got.value)
        if name in facts.as_of:     # the date the value describes (summaries print it)
            arr = facts.as_of[name] = facts.as_of[name].copy()   # facts may share one array
            arr[i] = -1 if got.as_of is None else (pd.Timestamp(got.as_of).date() - _EPOCH).days
        for k, v in got.labels.items():
            lab = facts.labels.setdefault(name, {})
            if isinstance(lab.get(k), np.ndarray):
                lab[k][i] = v


def _reevaluate(instances: list[Instance], rules: RuleSet, day: FactSet, i: int, n: int
                ) -> list[Instance]:
    """Evaluate every rule on day ``i``'s FactSet as the engine does.

    This replaces the vectorised evaluation of that day.
    """
    by_key = {(x.rule.name, x.key): x for x in instances}
    seen: set[tuple[str, str]] = set()
    codes = {True: ACTIVE, False: INACTIVE, None: UNKNOWN}
    for rule in rules.rules:
        for e in rule.evaluate(day):
            key = (rule.name, e.key)
            seen.add(key)
            inst = by_key.get(key)
            if inst is None:
                inst = Instance(rule, e.key, np.full(n, ABSENT, dtype=np.int8), {})
                instances.append(inst)
                by_key[key] = inst
            inst.active[i] = codes[e.active]
            for name, v in e.values.items():
                _put(inst.values, name, n, i, v)
    for key, inst in by_key.items():
        if key not in seen:
            inst.active[i] = ABSENT
    return instances


def _lifecycle(instances: list[Instance], facts: FactColumns, dates: pd.DatetimeIndex,
               D: np.ndarray, after_last: int | None = None
               ) -> tuple[dict[tuple[str, str], np.ndarray], pd.DataFrame]:
    firing: dict[tuple[str, str], np.ndarray] = {}
    spans_of: dict[tuple[str, str], list[tuple[int, int | None]]] = {}
    times_of: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for inst in instances:
        times: list[tuple[float, float]] = []
        on, spans = firing_spans(inst.active, D, inst.rule.for_, inst.rule.keep_firing_for,
                                 after_last=after_last, times=times)
        firing[(inst.rule.name, inst.key)] = on
        spans_of[(inst.rule.name, inst.key)] = spans
        times_of[(inst.rule.name, inst.key)] = times
    every = [(x.rule.name, x.labels, times_of[(x.rule.name, x.key)]) for x in instances]
    rows = []
    for inst in instances:
        k = (inst.rule.name, inst.key)
        for (s, e), (fired_at, resolved_at) in zip(spans_of[k], times_of[k], strict=True):
            end = e if e is not None else len(dates)
            p = _peak(inst, s, end)
            # held back and told as the engine decides it evaluation by evaluation (moments,
            # not the days' end states: a held-back alert is told on the evening its inhibitor
            # resolves even when its own keep_firing_for ends that weekend)
            by, when = (told_at(inst.rule, inst.labels, fired_at, resolved_at, every)
                        if inst.rule.inhibited_by else (None, fired_at))
            told = (dates[int(np.searchsorted(D, when, side="right")) - 1]
                    if when is not None else pd.NaT)
            rows.append({"rule": inst.rule.name, "key": inst.key,
                         "severity": inst.rule.severity, "fired": dates[s],
                         "resolved": dates[e] if e is not None else pd.NaT,
                         "days": end - s, "summary": _summary(inst, facts, s),
                         "peak": dates[p] if p is not None else pd.NaT,
                         "peak_summary": _summary(inst, facts, p) if p is not None else None,
                         "inhibited_by": by, "told": told})
    cols = ["rule", "key", "severity", "fired", "resolved", "days", "summary", "peak",
            "peak_summary", "inhibited_by", "told"]
    frame = pd.DataFrame(rows, columns=cols)
    return firing, frame.sort_values(["fired", "rule", "key"]).reset_index(drop=True)


def _peak(inst: Instance, start: int, end: int) -> int | None:
    """The day of a firing span on which its first condition's value was most extreme.

    A firing's first day hid the worst of its episode (March 2020: custody -21.8 $bn in the
    first week, -51.8 in the week to 03-25). ``None`` for a category fact or no value.
    """
    cond = inst.rule.conditions[0]
    first, _ = cond.resolve(inst.key)
    v = inst.values.get(first)
    if v is None or cond.op not in ("<", "<=", ">", ">="):
        return None
    try:
        seg = np.asarray(v[start:end], dtype=float)
    except (TypeError, ValueError):
        return None
    if not np.isfinite(seg).any():
        return None
    j = np.nanargmin(seg) if cond.op in ("<", "<=") else np.nanargmax(seg)
    return start + int(j)


def _summary(inst: Instance, facts: FactColumns, i: int) -> str:
    """The rule's summary as the engine would have rendered it on day ``i``."""
    rule = inst.rule
    values = {name: _py(v[i]) for name, v in inst.values.items()}
    first, _ = rule.conditions[0].resolve(inst.key)
    as_of = facts.as_of.get(first)
    when: Any = "n/a"
    if as_of is not None and as_of[i] >= 0:
        when = to_timestamps(np.asarray([as_of[i]]))[0].date()
    ctx = {"value": values.get(first), "asset": inst.key, "rule": rule.name,
           "severity": rule.severity, "as_of": when}
    template = rule.summary or default_summary(rule.conditions)
    names = _template_facts(template, inst.key)
    fs = FactSet([Fact(nm, _py(facts.at(nm, i)), _day(facts.as_of.get(nm), i))
                  for nm in names if nm in facts.values])
    return render(template, values, ctx, fs,
                  default_pairs(rule.conditions, refs_only=bool(rule.summary)))


def _day(as_of: np.ndarray | None, i: int) -> Any:
    """The date a fact's value on replay day ``i`` describes (``None`` when not recorded)."""
    if as_of is None or as_of[i] < 0:
        return None
    return to_timestamps(np.asarray([as_of[i]]))[0].date()


def _template_facts(template: str, key: str) -> list[str]:
    import string

    out = []
    for _, name, _, _ in string.Formatter().parse(template):
        if name and "." in name:
            out.append(name.removesuffix("@date").replace("*", key, 1))
    return out


def _py(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and np.isnan(v):
            return None
    return v


def firing_on(ws: Workspace, ruleset: RuleSet, day: pd.Timestamp, names: set[str]
              ) -> dict[tuple[str, str], str] | None:
    """The alerts of the rules ``names`` the monitor had firing on the evening of ``day``.

    ``(rule, key)`` -> the day they fired; ``None`` when the replay cannot read the data (so
    a caller does not take "none firing" for an answer).
    """
    # a weekend evening reads the Friday's facts (the replay holds them until the next
    # business day), with the clock at that evening: a `for = "2d"` met since Thursday has
    # fired by Saturday's, a `keep_firing_for` may have run out (Sunday 2013-06-23 read
    # "pending" where the backtest fired the alert on the Friday)
    last = day - pd.offsets.BDay(0) if day.day_of_week < 5 else day - pd.offsets.BDay(1)
    try:
        # the fact groups the rules read, as the evening's own facts are computed (a file of
        # stress rules replayed the spillover and the foreign-demand gauge for nothing)
        rp = replay(ws, ruleset, start=last, end=last, evening=day,
                    read=groups_named(ruleset.fact_names()))
    except SpillwatchError:
        return None
    if not len(rp.dates) or rp.dates[-1] != last:
        return None
    day = last
    out: dict[tuple[str, str], str] = {}
    for row in rp.firings.itertuples(index=False):
        if str(row.rule) in names and row.fired <= day and (
                pd.isna(row.resolved) or row.resolved > day):
            out[(str(row.rule), str(row.key))] = f"{pd.Timestamp(row.fired):%Y-%m-%d}"
    return out
