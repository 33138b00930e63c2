"""Who is selling: the foreign-demand gauge on the store's data, as the product shows it.

:func:`inputs` reads the gauge's inputs from the store in one session — the Fed's custody
holdings, Japan's MOF weekly flows and FX interventions, every Treasury auction, JGB and short
rates, China's reserves, TIC holdings by holder — and :func:`demand` runs the gauge
(:mod:`spillwatch.analytics.demand`). The CLI ``demand`` command, the report, the dashboard, the
monitor's ``demand.*`` facts and the headline read these functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from spillwatch._results import jsonable
from spillwatch.analytics.demand import (
    GROUP_LABELS,
    DemandInputs,
    DemandResult,
    demand_facts,
    observed_selling,
    sell_america_check,
)
from spillwatch.analytics.demand import demand as fit_demand
from spillwatch.analytics.demand._results import (
    FirstFigure,
    hedge_notes,
    partial_notes,
    why_unavailable,
)
from spillwatch.analytics.demand._results import (
    unavailable_words as unavailable_words,  # the headline's words for a missing group
)
from spillwatch.analytics.demand.facts import input_freshness, stale_inputs
from spillwatch.analytics.demand.inputs import ID_FIELDS as SERIES_INPUT_IDS
from spillwatch.analytics.demand.inputs import PREFIX_FIELDS as SERIES_INPUT_PREFIXES
from spillwatch.analytics.demand.japan import detail_release
from spillwatch.exceptions import DataError
from spillwatch.plotting.demand import top_ranked
from spillwatch.service import stress as stress_service
from spillwatch.service._today import behind_today, today_utc
from spillwatch.service.workspace import Workspace
from spillwatch.store.events import INTERVENTIONS_FETCHED
from spillwatch.timing import timing_of

#: Store series the gauge reads (patterns as in :meth:`DemandInputs.from_frames`).
SERIES: tuple[str, ...] = (
    "fred:WMTSECL1", "fred:DGS10", "treasury:yield_10y_pct", "mof:jgb_10y", "fred:SOFR",
    "fred:DGS3MO", "treasury:yield_3m_pct", "boj:tona_pct", "fred:IR3TIB01JPM156N",
    "safe:cn_fx_reserves_usd100m", "safe:cn_fx_reserves_usd_bn", "fred:DEXJPUS",
    "fred:DTWEXBGS", "demo:usd_broad", "mof:weekly_*", "tic:*", "mof:monthly_*",
)


#: Calendar days after which the gauge's latest reading is not today's (its inputs are weekly:
#: custody on Thursdays, MOF's flows on Wednesday evenings, 23:50 UTC); the monitor's limit too.
STALE_DAYS = 16

def inputs(ws: Workspace) -> DemandInputs:
    """The gauge's inputs from the workspace's store (read once per workspace).

    Raises
    ------
    DataError
        The store holds none of the gauge's inputs.
    """
    def run() -> DemandInputs:
        src = ws.source
        # the catalog's memo first, then the store's session: taken the other way round, a
        # thread holding the session waited for the catalog's memo while a request holding it
        # (an own series looked up) waited for the session, and the server hung for good
        catalog = ws.memo("catalog", ws.store.series)
        with ws.store.session():
            ids = [sid for sid in catalog["series_id"].astype(str)
                   if any(fnmatch.fnmatchcase(sid, pat) for pat in SERIES)]
            wide = src.store_series(ids)
            auc = src.events("auctions")
            ops = src.events("fx_interventions")
        if wide.empty and auc.empty and ops.empty:
            raise DataError(f"{ws.label} holds none of the foreign-demand inputs (custody "
                            "holdings, MOF flows, auctions, ...); import ../shared/data or run "
                            "`spillwatch fetch`")
        series = {c: wide[c].dropna() for c in wide.columns}
        return DemandInputs.from_frames(
            series,
            interventions=ops.rename(columns={"intervention_date": "date"}) if len(ops)
            else None,
            auctions=auc.rename(columns={"auction_date": "date"}) if len(auc) else None,
            # the demo's simulated record is whole to its last day (made, not fetched)
            interventions_through=None if ws.simulated else ws.store_memo(
                "demand:interventions through", lambda: interventions_through(src)))

    return ws.memo("demand:inputs", run)


def interventions_through(src: Any) -> pd.Timestamp | None:
    """The last day MOF's intervention record is known to be complete: its last quarter's end.

    MOF publishes the operations day by day a quarter at a time, and an events table holds
    operations only, so a month without a row is a report of zero only while the record is
    known to cover it. Taken as complete up to any evening, the shared data's record (last
    operation 2026-05-06) read "MOF latest report: 0" for a report of 2026-11-30 that nothing
    in the store holds, and the intervention rule "not met" where every other stale input
    read unknown. After the quarter of the store's last operation the reports are unknown
    (past their staleness limit, not calm); a replay's evening before it reads the record as
    before (the whole store's record, not the part out by that evening, bounds it). A record
    fetched from MOF (``spillwatch fetch``) covers every quarter MOF had detailed when it was
    fetched (:func:`~spillwatch.analytics.demand.japan.detail_release`), operations or not.
    """
    with src.store.session():       # one connection for the record's end and the fetch's day
        last = src.record_end("fx_interventions")
        fetched = src.store.meta(INTERVENTIONS_FETCHED)
    bounds = [] if last is None else [last.to_period("Q").end_time.normalize()]
    if fetched is not None:
        # a file fetched from MOF holds every quarter detailed by then, with or without
        # operations: the last quarter whose detail was out by the fetch
        when = pd.Timestamp(fetched)
        quarters = pd.date_range((when - pd.DateOffset(years=1)).normalize(), when, freq="QE")
        # a detail out on an earlier day (MOF's hour of release is not known: a fetch on the
        # day itself may have read the file before it)
        out = quarters[detail_release(quarters) < when.normalize()]
        bounds += list(out[-1:])
    return max(bounds) if bounds else None


def stored_inputs(ws: Workspace) -> Mapping[str, FirstFigure]:
    """The series inputs of the gauge the store holds, published by any date or not.

    A view of a past evening (``--as-of``) holds only what was out by then: an input it lacks
    may still be in the store, where it begins later. Each with the store's first figure of it
    (its date and the day it is published), so that a note can say when.
    """
    def run() -> Mapping[str, FirstFigure]:
        # the series with observations, not the catalog's names: a series catalogued without
        # a row (its rows deleted or quarantined) is no figure that "begins later"
        firsts: dict[str, list[FirstFigure]] = {}

        def add(field: str, timing: str | None, first: object) -> None:
            # the figure's day, and its release by the series' timing (None: out that day)
            day = pd.Timestamp(first).normalize()
            out = day if timing is None else timing_of(timing).released_index(
                pd.DatetimeIndex([day])).min()
            firsts.setdefault(field, []).append(
                FirstFigure(day, day if pd.isna(out) else pd.Timestamp(out).normalize()))

        for sid, first in ws.series_firsts().items():
            if sid in SERIES_INPUT_IDS:
                add(SERIES_INPUT_IDS[sid], sid, first)
            # and the inputs made of several series (TIC's holders, MOF's weekly lines): a
            # store with TIC read "no TIC holdings in the data" before its first release, not
            # "not yet published"
            for prefix, field in SERIES_INPUT_PREFIXES.items():
                if sid.startswith(prefix):
                    add(field, sid, first)
        # and the event tables (auctions, MOF's interventions): "auctions (no data)" on
        # 2008-09-15 of a store whose auctions begin in 2015 (an auction's result is out on
        # its day; an operation with MOF's month-end report)
        with ws.store.session():    # one connection for both tables
            starts = [(field, timing, ws.source.record_start(table)) for field, table, timing in (
                ("auctions", "auctions", None),
                ("interventions", "fx_interventions", "mof:intervention"))]
        for field, timing, first in starts:
            if first is not None:
                add(field, timing, first)
        return MappingProxyType({k: min(v) for k, v in firsts.items()})

    # read once for the store (each summary, dial and headline asks, two event tables each),
    # whatever evening the workspace reads
    return ws.store_memo("demand:stored_inputs", run)


def demand(ws: Workspace, *, end: object = None) -> DemandResult:
    """The foreign-demand gauge (computed once per workspace and ``end``).

    An ``end`` after today is today: no input is published in the future, and rows there
    would only carry the last readings forward. On the simulated demo market "today" is the
    market's last date (as the monitor's facts take it): releases the simulation dates after it
    are in its future, and the headline read a gauge two weeks past the data (percentile 45
    led by China where the alerts, on the market's last date, read 80 led by Japan).
    """
    today = pd.Timestamp(today_utc())
    newest = ws.newest() if ws.simulated else None
    # data as published by an evening (``--as-of``): that evening is today (the auctions'
    # 28-day window ran the gauge's dates three weeks past a vintage of 2024-05-31)
    cut = getattr(ws.source, "known_by", None)
    if cut is not None:
        newest = pd.Timestamp(cut) if newest is None else min(newest, pd.Timestamp(cut))
    default_end = None
    if newest is not None:
        today = min(today, newest.normalize())
        default_end = today
        end = today if end is None else end
    if end is not None:
        end = min(pd.Timestamp(end), today)  # type: ignore[arg-type]

    def run() -> DemandResult:
        # the stored inputs ride with the result: its own "read in part" line said "(no SAFE
        # reserves in the data by then)" under the service's NOTE "(... published by then: the
        # store's figures begin later)", so `demand` printed the note twice, in two wordings
        res = dataclasses.replace(fit_demand(inputs(ws), end=end),
                                  stored_inputs=stored_inputs(ws))
        if end is not None and not len(res.valid):   # the whole history only for the message
            # (not this very call again: a vintage's or the demo's whole history ends on its
            # "today", the memo key being computed, and its lock is held)
            whole = res if str(end) == str(default_end) else demand(ws)
            first = whole.valid.index[0] if len(whole.valid) else None
            if first is not None and pd.Timestamp(end) < first:
                raise DataError(f"--end {pd.Timestamp(end):%Y-%m-%d} is before the "
                                f"foreign-demand gauge's first reading, {first:%Y-%m-%d}; "
                                f"--as-of {pd.Timestamp(end):%Y-%m-%d} shows the signals "
                                "published by that evening, without a gauge")
        return dataclasses.replace(res, simulated=True) if ws.simulated else res

    return ws.memo(("demand", str(end)), run)


#: Said beside a replay's gauge that reads TIC.
TIC_REVISED_NOTE = ("TIC holdings as the stored table gives them: each month enters on its "
                    "release day, but with Treasury's later revisions (a year's figures are "
                    "revised each spring), not as first published")


def summary(ws: Workspace, result: DemandResult, *, end: object = None) -> dict[str, Any]:
    """The headline numbers every interface shows (the same dict in CLI, API and report).

    ``notes`` says when the gauge is older than its staleness limit vs today, unless the
    caller asked for a past ``end``.
    """
    last = result.latest()
    out: dict[str, Any] = {k: last.get(k) for k in ("date", "gauge", "percentile", "top_group",
                                                   "top_group_label")}
    # whether the percentile ranks the gauge with its largest group (no "calm" when it does not)
    out["top_group_ranked"] = top_ranked(last.get("top_group"), last.get("percentile_groups"))
    out["shares"] = last.get("shares")
    out["groups_unavailable"] = last.get("groups_unavailable")
    out["observed"] = observed_selling(result)
    # the facts of the monitor's evening (today, or the asked ``end``), as the alert rules read
    # them: on a calendar that stopped at the data's last release, an input that went stale
    # since (the auctions' feed) was counted fresh (2 stale inputs here, 3 in the alerts)
    out["facts"] = demand_facts(demand(ws, end=end if end is not None else today_utc()))
    verdict = verdict_of(ws, result)
    if verdict is not None:
        out["sell_america"] = verdict
    note = stale_note(ws, result, end=end)
    out["notes"] = [note] if note else []
    out["freshness_note"] = note or None    # which of the notes says the reading is not today's
    if not len(result.valid):
        # no reading at all by the evening: why, as the text's first line says it (the JSON
        # and the API gave a null gauge without a word)
        out["notes"].insert(0, result.no_reading())
    # a group read on part of its indicators (China on TIC alone while its reserves have no
    # current dollar to value them) says so
    out["notes"] += partial_notes(last, stored_inputs(ws))
    # a store without JGB yields read no pick-up and left it out of every table in silence
    out["notes"] += hedge_notes(last, stored_inputs(ws))
    short = short_history(result)
    if short:
        out["notes"].append(short)
    # a replay (--as-of, or a past --end: the same numbers) reads each release on its day,
    # but TIC's figures as the stored table gives them: Treasury revises them (a year's each
    # spring), and nothing said so
    newest = ws.newest()
    past = getattr(ws.source, "known_by", None) is not None or (
        end is not None and not ws.simulated and newest is not None
        and pd.Timestamp(end) < newest)  # type: ignore[arg-type]
    if past and (last.get("inputs") or {}).get("tic"):
        out["notes"].append(TIC_REVISED_NOTE)
    # a percentile read off fewer groups than the gauge holds says so (2016-01-06: a gauge led
    # by auctions ranked at 35 as the gauge of the four other groups, without a word)
    out["percentile_groups"] = last.get("percentile_groups")
    without = ranked_without(result, last)
    if without:
        out["notes"].append(without)
    return jsonable(out)


def ranked_without(result: DemandResult, last: Mapping[str, Any] | None = None) -> str | None:
    """A note when the last percentile ranks the gauge without a group that has a reading.

    A group's first year in the gauge is too short a history to rank the gauge with it, so
    the percentile is the other groups' gauge: the headline of 2010-06-01 read "percentile 27,
    calm (largest part of the evidence: foreign official custody)", custody 84% of a gauge
    whose percentile left custody out, and only ``demand`` said so.
    """
    last = result.latest() if last is None else last
    held = [g for g, v in (last.get("tails") or {}).items() if v is not None]
    ranked = last.get("percentile_groups") or []
    if not ranked or set(ranked) == set(held):
        return None
    left = [GROUP_LABELS.get(g, g) for g in held if g not in ranked]
    return (f"the percentile is the gauge's without {' and '.join(left)}: with "
            f"{'them' if len(left) > 1 else 'it'} the gauge has under "
            f"{result.spec.burn_in} business days of history to be ranked against")


def dial(ws: Workspace, result: DemandResult | None = None) -> Any:
    """The dashboard's dial, with the freshness note under it when the reading is not today's.

    The card read "96 pct, led by Japan official" for a reading 138 days old without a word.
    It also gives the headline's caveats in the headline's words: a group read on part of its
    indicators, and a percentile ranked against a short history (on 2020-03-18 the headline
    said "read in part: China without ..." and "... against 3.9 years of its readings"; the
    dial gave only "91 pct, led by foreign official custody").
    """
    from spillwatch.plotting import demand as figs

    res = result if result is not None else demand(ws)
    last = res.latest()
    # the groups without a reading as `demand` says them (2019-02-15: "unavailable (unknown,
    # not calm): China (last observed 2018-12-31: past its staleness limit)"; the dial said
    # "unavailable: China")
    notes = [stale_note(ws, res), res.unavailable_line(last),
             *partial_notes(last, stored_inputs(ws)),
             short_history(res) if last.get("percentile") is not None else None,
             ranked_without(res, last) if last.get("percentile") is not None else None]
    return figs.demand_dial(res, note="\n".join(n for n in notes if n))


def attribution(ws: Workspace, result: DemandResult | None = None) -> Any:
    """The dashboard's attribution chart, with the freshness note under it as under the dial.

    The card drew the shares to 2026-07-10, 148 days before the evening of 2026-12-05, with
    no word while the dial beside it said "not today's reading".
    """
    from spillwatch.plotting import demand as figs

    res = result if result is not None else demand(ws)
    return figs.attribution(res, note=stale_note(ws, res))


def stale_note(ws: Workspace, result: DemandResult, *, end: object = None,
               today: dt.date | None = None) -> str | None:
    """The note of a gauge older than the evening, with why: one sentence for every surface.

    :func:`freshness_note`, and after it the groups that evening lacked and why each
    (:meth:`~spillwatch.analytics.demand.DemandResult.gap`; 2008-09-15 said "the last reading
    the data allow by then" and no more). ``demand``, the headline, the dashboard's dial and
    attribution cards and the report read it here (the cards said the freshness alone).
    """
    note = freshness_note(result.latest().get("date"), simulated=ws.simulated, today=today,
                          end=end)
    if not note:
        return None
    # without a reading the last row's date is no gauge's: a store without the gauge's
    # inputs said "the foreign-demand gauge is as of 2026-08-06" (the JGB's and TONA's last
    # release) over "no reading on 2026-08-06" (h_data1): the evening's groups alone
    read = bool(len(result.valid))
    # said of the evening: a calendar without an ``end`` stops at the last input's date (the
    # auctions' 2026-10-06), and the live evening of 2026-12-06 read "on 2026-10-06 only
    # auctions has a reading" beside the headline's "auctions (last 2026-10-06)" past its
    # limit; the evening's calendar is the one the monitor's facts read
    evening = end if end is not None else (today if today is not None else today_utc())
    gap = demand(ws, end=evening).gap()
    if not read:
        return gap or None
    return f"{note}: {gap}" if gap else note


def freshness_note(date: object, *, simulated: bool, today: dt.date | None = None,
                   end: object = None) -> str | None:
    """The note when the gauge's reading is older than :data:`STALE_DAYS` days.

    Before today, or before ``end`` when one was asked for. Weekly inputs: a reading more
    than two weeks old is not today's, as the monitor says.
    """
    return behind_today(date, simulated=simulated, limit_days=STALE_DAYS, today=today,
                        what="the foreign-demand gauge", end=end)


#: The verdict table shows the sell-America runs of this many calendar days to the last...
VERDICT_DAYS = 365
#: ... and at least this many runs.
VERDICT_MIN_RUNS = 5


def verdict_of(ws: Workspace, result: DemandResult) -> dict[str, Any] | None:
    """'Sell America, and foreigners are selling' vs 'on other news': the latest episodes.

    ``episodes``: the runs ending in the :data:`VERDICT_DAYS` days to the signature's last date
    known by the gauge's last (``end``), at least the last :data:`VERDICT_MIN_RUNS`; ``runs``:
    how many there are since the ``first``; ``counts``: days by verdict.
    """
    if "ust10y" not in ws.have(["ust10y"]):
        return None
    end = result.frame.index[-1]
    try:   # the signature is recursive: cut at the gauge's last date, it is what was known
        sig = stress_service.stress(ws).signature.loc[:end]
    except DataError:
        return None
    # ... and only the days whose two legs were both published by then (the broad dollar of a
    # week comes out the next Monday: on 2025-04-09 the sell-America day 04-09 was not known)
    sig = sig[signature_released(ws, sig.index) <= end]
    check = sell_america_check(sig, result)
    eps = check.episodes()
    # the runs of the last year (at least the last VERDICT_MIN_RUNS): five runs reached back
    # from 2025-12 to May and left out April 2025's
    read = sig.index[(sig != "unavailable").to_numpy()]   # the dollar may stop long before
    last = read[-1] if len(read) else end
    since = last - pd.Timedelta(days=VERDICT_DAYS)
    recent = eps[pd.to_datetime(eps["end"]) > since] if len(eps) else eps
    if len(recent) < VERDICT_MIN_RUNS:
        recent = eps.tail(VERDICT_MIN_RUNS)
    return {"episodes": jsonable(recent.reset_index(drop=True).to_dict(orient="records")),
            "runs": len(eps), "first": jsonable(eps["start"].iloc[0]) if len(eps) else None,
            "end": jsonable(last),
            "counts": jsonable(check.frame["verdict"].value_counts().to_dict())
            if hasattr(check, "frame") and "verdict" in check.frame else {}}


def signature_released(ws: Workspace, days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The date each day's yield–dollar signature was known: both legs published.

    Each leg's release follows its slowest source (:mod:`spillwatch.timing`: the Treasury
    curve the same evening, H.15 the next business day, H.10 the next Monday).
    """
    raw = ws.raw()
    out = pd.DatetimeIndex(days)
    for key in ("ust10y", "usd_broad"):
        for sid in raw.sources.get(key, []):
            rel = timing_of(sid).released_index(pd.DatetimeIndex(days))
            out = out.where(out >= rel, rel)
    return out


#: Years of gauge readings under which the percentile's base is said to be short (as the
#: stress index's :data:`spillwatch.analytics.stress._results.SHORT_HISTORY_YEARS`).
SHORT_HISTORY_YEARS = 5.0


def short_history(result: DemandResult, years: float = SHORT_HISTORY_YEARS) -> str | None:
    """A note when the gauge's last percentile ranks it against under ``years`` of readings.

    Three years of data (2023-2025) ranked the gauge of 2026-01-05 at 60, "calm", among the
    261 readings since 2025-01-06 (its indicators' own burn-in takes the first year) without
    a word; the stress index says the same of its percentiles.
    """
    f = result.frame
    read = f[f["percentile"].notna()]
    if not len(read):
        return None
    day, ranked = read.index[-1], read["percentile_groups"].iloc[-1]
    cols = [f"tail_{g}" for g in str(ranked).split(",") if f"tail_{g}" in f.columns] \
        if isinstance(ranked, str) else []
    if not cols:
        return None
    ok = f.loc[:day, cols].notna().all(axis=1)
    if not ok.any():
        return None
    first = ok.index[ok.to_numpy()][0]
    span = (day - first).days / 365.25
    if span >= years:
        return None
    return (f"the percentile ranks this gauge against {span:.1f} years of its readings "
            f"({int(ok.sum()):,} days since {first:%Y-%m-%d}): a selling wave that history has "
            "not seen can read as calm; import a longer history")


def headline(ws: Workspace, today: dt.date | None = None) -> dict[str, Any] | None:
    """The demand line of the headline block (``None`` when the store lacks the inputs)."""
    try:
        res = demand(ws)
    except DataError:
        return None
    last = res.latest()
    obs = observed_selling(res)
    note = stale_note(ws, res, today=today)     # and why, as `demand` says it
    seen = last.get("groups_last_reading") or {}
    # the inputs past their limits on the headline's day, each with its last observation (the
    # headline named the groups without a reading and never said since when)
    day = pd.Timestamp(today) if today is not None else pd.Timestamp(res.frame.index[-1])
    return jsonable({"date": last["date"], "percentile": last["percentile"],
                     "top_group_label": last["top_group_label"],
                     "top_group_ranked": top_ranked(last.get("top_group"),
                                                    last.get("percentile_groups")),
                     "groups_unavailable": [GROUP_LABELS.get(g, g)
                                            for g in last.get("groups_unavailable") or []],
                     "groups_last_reading": {GROUP_LABELS.get(g, g): seen.get(g)
                                             for g in last.get("groups_unavailable") or []},
                     # why each has no reading, as `demand` says it: China's reserves were
                     # current on 2026-07-10, the dollar valuing their change was not, and
                     # the headline gave only the reserves' date
                     "groups_why": {GROUP_LABELS.get(g, g): why_unavailable(
                         g, seen.get(g), last.get("inputs") or {}, stored_inputs(ws),
                         last.get("date")).strip()
                         for g in last.get("groups_unavailable") or []},
                     "stale_inputs": stale_inputs(res, pd.DatetimeIndex([day]))[0],
                     "freshness": input_freshness(res, day),
                     "observed": obs.get("sentence"), "notes": [note] if note else [],
                     # a group read on part of its indicators, as `demand` says it (the
                     # headline named China on its TIC line alone without a word)
                     "partial": partial_notes(last, stored_inputs(ws)),
                     "short_history": short_history(res),
                     # the percentile of a gauge without its group of under a year (2010-06-01
                     # read "calm (largest part of the evidence: foreign official custody)"
                     # where custody was not in the percentile)
                     "ranked_without": ranked_without(res, last)})
