"""The stress monitor as the product shows it: standard inputs, the reading, the comparison.

:func:`stress` is the one way every interface gets the stress index: the CLI ``stress`` command,
the report's stress section, the dashboard's stress views and the monitor's ``stress.*`` facts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.holiday import GoodFriday

from spillwatch import universe
from spillwatch.analytics.stress import (
    INDICATORS,
    STRESS,
    STRESS_ASSETS,
    SUBINDEX_COLUMNS,
    StressResult,
    compute,
)
from spillwatch.analytics.stress import signature_text as signature_text  # for the interfaces
from spillwatch.analytics.stress._results import (
    segment_text,
    segments_text,
    top_segments,
)
from spillwatch.analytics.stress._results import whole_percentile as whole_percentile  # ditto
from spillwatch.exceptions import DataError
from spillwatch.service._today import behind_today, frozen_note, reference_day, today_utc
from spillwatch.service.workspace import Workspace
from spillwatch.timing import us_bond_only_holidays, us_market_holidays

#: The input the index is anchored on (published only on the days it reports).
ANCHOR = "ust10y"
#: The reference index the report compares the composite with (weekly, dated Friday).
REFERENCE = "stlfsi"


def stress(ws: Workspace, *, start: object = None, end: object = None,
           today: dt.date | None = None) -> StressResult:
    """The composite stress index on the workspace's data (computed once per workspace).

    Parameters
    ----------
    ws : Workspace
    start, end : date-like, optional
        First and last date of the result. The index is computed on the whole history up to
        ``end`` and shown from ``start``: being recursive, no value uses a later date's data
        (``end`` reproduces it exactly) and a short window still has its readings rather
        than a fresh burn-in. Each input is read by observation date, so a row includes
        inputs published after it (the H.10 dollar a week later): what the monitor said that
        evening is the vintage's reading (``stress --as-of``, the backtest's replay).
    today : date, optional
        The day the reading is judged on (default the wall clock's date; ``end`` when it is
        earlier): the inputs' ages and states count to it (:attr:`StressResult.today`). The
        simulated demo market does not move with the clock: there, the panel's last date.

    Raises
    ------
    DataError
        The data lack the 10-year yield.
    """
    if start is not None:
        if end is not None and pd.Timestamp(start) > pd.Timestamp(end):  # type: ignore[arg-type]
            raise DataError(f"--start {_key(start)} is after --end {_key(end)}")
        whole = stress(ws, end=end, today=today)
        if whole.frame.index[-1] < pd.Timestamp(start):  # type: ignore[arg-type]
            cut = (f"the window {_key(start)} to {_key(end)} holds no business day of the data"
                   if end is not None else f"its data end on {whole.frame.index[-1]:%Y-%m-%d}")
            raise DataError(f"the stress index has no date from {_key(start)} on ({cut})")
        return whole.since(start)

    def run() -> StressResult:
        keys = ws.have(STRESS_ASSETS)
        if "ust10y" not in keys:
            raise DataError(f"the stress index needs the 10-year yield (ust10y), which "
                            f"{ws.label} lacks{ws.map_hint('ust10y')}")
        changes = ws.panel(keys, transform="changes", end=end)
        levels = ws.panel(keys, transform="levels").reindex(changes.index)
        changes.attrs["simulated"] = ws.simulated
        res = compute(changes, levels)
        if end is not None and not len(res.valid):
            whole = stress(ws)
            first = whole.valid.index[0] if len(whole.valid) else None
            if first is not None and pd.Timestamp(end) < first:  # type: ignore[arg-type]
                raise DataError(f"--end {_key(end)} is before the stress index's first "
                                f"reading, {first:%Y-%m-%d}")
        return res

    return ws.memo(("stress", _key(end)), run).judged_on(judge_day(ws, end, today))


#: The first column of every history export: the evening the row could first be computed.
KNOWN_ON = "known_on"
#: Suffix of the export's columns of each sub-index's own percentile (``rates_percentile``).
SEGMENT_SUFFIX = "_percentile"


def history(ws: Workspace, result: StressResult) -> pd.DataFrame:
    """The result's rows as ``stress --out`` writes them, each with its ``known_on`` evening.

    A row reads every input by observation date, some published days later (the H.10 dollar
    the next Monday, custody on Thursday for Wednesday): ``known_on`` is the first evening on
    which all of the row's inputs were out (:meth:`Workspace.known_on`). A backtest that uses
    a row only from that evening on has no look-ahead in its inputs; what the monitor said
    on each evening (its latest reading then, which may be an earlier date) is the backtest's
    replay or ``stress --as-of``.
    """
    frame = result.frame
    known = ws.known_on(ws.have(STRESS_ASSETS), pd.DatetimeIndex(frame.index))
    # each sub-index's percentile within its own history (0-100, recursive: no value reads a
    # later date), beside the sub-indices, as `--json`'s `subindex_percentiles` gives the last
    seg = result.segment_percentiles.reindex(frame.index)[list(SUBINDEX_COLUMNS)]
    seg.columns = [f"{g}{SEGMENT_SUFFIX}" for g in SUBINDEX_COLUMNS]
    at = frame.columns.get_loc(SUBINDEX_COLUMNS[-1]) + 1
    return pd.concat([known.rename(KNOWN_ON), frame.iloc[:, :at], seg, frame.iloc[:, at:]],
                     axis=1)


def judge_day(ws: Workspace, end: object = None, today: dt.date | None = None
              ) -> pd.Timestamp | None:
    """The day a reading is judged on: today (or ``today``), or an earlier ``end``.

    ``None`` on the simulated demo market (its dates do not follow the clock).
    """
    if ws.simulated:
        return None
    day = pd.Timestamp(today or today_utc())
    if end is not None:
        day = min(day, pd.Timestamp(end))  # type: ignore[arg-type]
    return day


def reference_correlation(ws: Workspace, result: StressResult, *,
                          end: object = None) -> dict[str, Any]:
    """Correlation of the index's weekly mean with the St. Louis Fed index (when held).

    ``end``: the last observation date read (``--end``), as the index's own; a week that
    ``end`` cuts is compared on its days up to ``end`` with no STLFSI4 of after it (``--end
    2025-04-10``, a Thursday, read the index's Monday-Thursday beside STLFSI4 of Friday 04-11).
    """
    if REFERENCE not in ws.have([REFERENCE]):
        return {}
    ref = ws.panel([REFERENCE], transform="levels", end=end)["stlfsi_idx"].dropna()
    rho, weeks = result.weekly_correlation(ref[ref.index.day_of_week == 4])
    if not math.isfinite(rho):
        return {}
    return {"stlfsi_weekly_corr": rho, "stlfsi_weeks": weeks}


def summary(ws: Workspace, result: StressResult, *, end: object = None,
            today: dt.date | None = None, end_name: str | None = None) -> dict[str, Any]:
    """The headline numbers every interface shows (the same dict in CLI, API and report).

    ``notes`` says when the reading is older than its staleness limit vs today, or vs the
    ``end`` asked for (the reading of a weekend or holiday ``end`` is the last business day's,
    within the limit; one weeks older says so). ``as_of`` is the day the reading is judged
    on (:func:`judge_day`; ``today`` defaults to the clock) and ``data_end`` the panel's last
    date.
    """
    last = result.latest()
    out: dict[str, Any] = {k: last.get(k) for k in (
        "date", "stress", "percentile", "percentile_longrun", "regime", "regime_held",
        "signature", "signature_5d", "signature_5d_last", "signature_5d_last_date",
        "signature_last", "signature_last_date", "signature_waiting", "signature_unread",
        "fresh",
        "as_of", "age_days", "stale", "missing", "week_ago_date", "week_ago_stress",
        "week_ago_percentile")}
    # the signature as every surface says it, with the last day both legs were read and why
    # none was (the dashboard's regime line wrote its own and said "unavailable" alone of
    # 1996-12-30, "no usd_broad by then" in the CLI, the headline and the report)
    out["signature_text"] = signature_text(out)
    out["data_end"] = (result.frame.index[-1].date().isoformat() if len(result.frame)
                       else None)
    out["subindices"] = last["subindices"]
    out.update(segments(last))
    if len(result.valid):
        last_day = result.valid.index[-1]
        sig = result.signature.loc[:last_day]
        read = sig.index[(sig.notna() & (sig != "unavailable")).to_numpy()]
        # the year counted back from the last day the signature could be read (both legs
        # published), which may be days before the reading (the H.10 dollar is out on Mondays:
        # "to 2025-04-11" counted none of 04-07..04-11) or months before today
        to = read[-1] if len(read) else last_day
        since = to - pd.Timedelta(days=364)        # 365 days with both ends (it took 366)
        # no day of the history could be read (before the broad dollar, 2006-01): the count is
        # unknown, not 0 (--as-of 1999-04-26 said "0 sell-America days in the last year"
        # beside a signature "unavailable" on every day)
        out["sell_america_days_last_year"] = (
            int(result.sell_america_days.loc[since:to].sum()) if len(read) else None)
        out["sell_america_days_last_year_to"] = to.date().isoformat() if len(read) else None
        # ... and how many of the year's days could be read: 0 of 4 read days (2006-07-03,
        # the dollar's first readable week) is not 0 of a year's 250 (h_verify22)
        out["sell_america_days_last_year_read"] = (
            int(((read >= since) & (read <= to)).sum()) if len(read) else None)
        # ... and what a year holds on average, to read it by (22 looked like a lot; the
        # signature reads 'sell America' on about 25 days of a typical year, calm days too)
        # (over the years the signature could be read: both legs published)
        span = ((to - read[0]).days + 1) / 365.25 if len(read) else 0.0
        out["sell_america_days_per_year"] = (
            round(float(result.sell_america_days.loc[read[0]:to].sum()) / span, 1)
            if span >= 1 else None)
    out.update(reference_correlation(ws, result, end=end))
    note = freshness_note(_reading_day(result, out), simulated=ws.simulated, end=end,
                          today=today, end_name=end_name)
    # no reading, or a reading without a percentile: why (the short-history note is about
    # percentiles, so it gives way to these)
    out["unread_reason"] = result.unread_reason() or result.unranked_reason()
    # a reading days behind, within the 10-year's limit, because a required segment stopped:
    # say so (the H.10 a week late read the crisis of 04-10 as the headline of 04-15 with no
    # word but a note on crypto's weekend closes "entering the next business day's reading",
    # when three business days had passed without one)
    # ... and a reading past that limit as well: the note said only "the last reading the data
    # allow by then" (--as-of 2026-07-15: 190 days behind, with no word that the equity/vol
    # sub-index's VIX and S&P 500 had stopped at the end of 2025)
    stopped = _unpublished(result, end, today)
    anchor = _anchor_pending(ws, result)
    out["notes"] = [n for n in (note, stopped, anchor,
                                out["unread_reason"] or result.short_history(),
                                # a signal that began later than the index (the spreads in
                                # 1998) ranks against less history than the index does
                                None if out["unread_reason"] or result.short_history()
                                else result.short_signal_history(end),
                                _frozen(ws, result),
                                _unscaled(ws, result),
                                _burning_in(result),
                                None if stopped else _weekend_crypto(
                                    ws, result, end, today, pending=anchor is not None))
                    if n]
    return out


def segments(last: dict[str, Any]) -> dict[str, Any]:
    """The sub-indices as every surface says them, each ranked within its own history.

    The composite (Holló, Kremer & Lo Duca 2012) averages its segments: a Treasury rout with
    equities calm reads "calm" on the headline (2023-10-19, the 10-year at 5%: percentile 72
    beside rates 0.79). Each sub-index's own recursive percentile
    (:func:`~spillwatch.analytics.stress.index.segment_percentiles`) says where it stands.

    Parameters
    ----------
    last : dict
        :meth:`StressResult.latest` of the reading.

    Returns
    -------
    dict
        ``subindex_percentiles`` (0–100 or ``None``), ``segments_top_decile`` (the sub-indices
        at or above the 90th percentile of their own history), ``segments_text`` (every
        sub-index in words, as ``stress`` prints them) and ``segments_flag`` (those in their
        top decile in words, ``None`` when none is).
    """
    pct = dict(last.get("subindex_percentiles") or {})
    subs = dict(last.get("subindices") or {})
    top = top_segments(pct)
    return {"subindex_percentiles": pct, "segments_top_decile": top,
            "segments_text": segments_text(subs, pct),
            "segments_flag": "; ".join(segment_text(k, subs.get(k), pct.get(k))
                                       for k in top) or None}


def _anchor_pending(ws: Workspace, result: StressResult) -> str | None:
    """Why an evening's reading is of an earlier day: its 10-year was not published yet.

    On a vintage (``--as-of``) the 10-year of the evening's day may come out later (H.15's the
    next business day once the par curve stopped in July 2025): the evening of 2025-12-30
    read 2025-12-29 without a word. ``None`` when the reading is of the latest 10-year.
    """
    if not len(result.valid):
        return None
    pending = ws.source.unpublished(ANCHOR)
    day = result.valid.index[-1]
    if pending is None or pending[0] <= day:
        return None
    ten = ws.raw().series.get(ANCHOR)
    if ten is None or not len(ten) or ten.index[-1] != day:
        return None           # the reading stops before the 10-year does: another note's
    obs, rel = pending
    return (f"{PENDING_ANCHOR}{day:%Y-%m-%d}: the 10-year of {obs:%Y-%m-%d} was published "
            f"on {rel:%Y-%m-%d}, after the evening these data are seen from")


def freshness_note(date: object, *, simulated: bool, today: dt.date | None = None,
                   end: object = None, end_name: str | None = None) -> str | None:
    """The note when the stress reading is older than the 10-year's staleness limit.

    Before today, or before ``end`` when one was asked for: the words `stress` prints, which
    the dashboard's history and contributions cards print under a series ending that day (on
    2026-12-05 they drew ../shared/data's 2026-01-06, 333 days old, without a word).
    """
    return behind_today(date, simulated=simulated, end=end, today=today, end_name=end_name,
                        limit_days=universe.ASSETS["ust10y"].timing.stale_after_days,
                        what="the stress reading")


#: How the note on a reading held back by a required sub-index begins (the headline finds it).
UNPUBLISHED = "no reading after"
#: How the note on a move after a run of unchanged values (no z-score) begins (the report's
#: stress section finds it by it).
UNSCALED = "no z-score for a move after a still stretch"
#: How the note on sub-indices whose indicators are still in their burn-in begins (the
#: report's stress section finds it by it).
BURNING_IN = "sub-indices n/a while their indicators are in their burn-in"
#: How the note on a reading of a day before the evening's begins, its 10-year not out yet
#: (the report's stress section finds it by it).
PENDING_ANCHOR = "the reading is of "
#: How the note on percentiles ranked against a short history begins (the headline finds it).
SHORT_HISTORY = "the percentiles rank this reading against"
#: How the note on signals ranked against a short history of their own begins (the report
#: passes it beside its signals table, as `stress` prints it).
SHORT_SIGNAL_HISTORY = "these signals' percentiles rank against"


def _reading_day(result: StressResult, last: Mapping[str, Any]) -> object:
    """The day of the reading a freshness note dates, or ``None`` when there is no reading.

    Without a reading (a store without the equity/volatility block's VIX and S&P 500) the
    last row's date is no reading's: `stress` said "the stress reading is as of 2026-08-20,
    109 days before today" over "no reading in these dates" (h_data1).
    """
    if not len(result.valid):
        return None
    return last.get("date") or last.get("as_of")


def stale_note(ws: Workspace, result: StressResult, *, end: object = None,
               today: dt.date | None = None) -> str | None:
    """The note a stress card prints under a reading that is not the evening's, with why.

    :func:`freshness_note` and, a line below it, the input that stopped the index (the note
    of :func:`summary` that begins :data:`UNPUBLISHED`): the dashboard's gauge, history and
    contributions cards and the report's stress section said "the last reading the data allow
    by then" alone (--as-of 2026-07-15: 190 days behind, with no word that the equity/vol
    sub-index's VIX and S&P 500 had stopped at the end of 2025), which `stress` says beside it.
    Without any reading, why there is none (:meth:`StressResult.unread_reason`). None when the
    reading is the evening's.
    """
    # without a reading, why there is none, as `stress` says it under "no reading" (the
    # dashboard's gauge named only the stale inputs, h_verify36)
    notes = (freshness_note(_reading_day(result, result.latest()), simulated=ws.simulated,
                            end=end, today=today),
             _unpublished(result, end, today),
             None if len(result.valid) else result.unread_reason())
    return "\n".join(n for n in notes if n) or None


def _unpublished(result: StressResult, end: object, today: dt.date | None) -> str | None:
    """The note when the 10-year reported after the reading but the index was not published.

    The index needs every sub-index of ``require`` (rates, dollar, equity/volatility); when
    one has no fresh input, the days after the last reading have no reading although the
    10-year reported on them. Names the first such day, the missing sub-indices and their
    inputs with their last reports.
    """
    if not len(result.valid):
        return None
    _, ref = reference_day(today, end)
    day = result.valid.index[-1]
    frame = result.frame.loc[(result.frame.index > day)
                             & (result.frame.index <= pd.Timestamp(ref))]
    if not len(frame):
        return None
    seen = result.last_observed[ANCHOR].reindex(frame.index)
    printed = frame.index[(pd.DatetimeIndex(seen) == frame.index) & frame[STRESS].isna()]
    if not len(printed):
        return None
    first = printed[0]
    gone = [g for g in result.spec.require if pd.isna(result.frame.at[first, g])]
    if not gone:
        return None
    keys = dict.fromkeys(k for g in gone for k in result.subindex_inputs.get(g, ()))
    last = result.last_observed.loc[printed[-1]]
    inputs = ", ".join(f"{k} last {_key(last[k]) or 'never'}" for k in keys if k in last)
    when = (f"on {first:%Y-%m-%d}" if len(printed) == 1 else
            f"on {len(printed)} days since ({first:%Y-%m-%d} to {printed[-1]:%Y-%m-%d})")
    return (f"{UNPUBLISHED} {day:%Y-%m-%d}: the 10-year reported {when}, but the index "
            f"needs the {', '.join(gone)} sub-index{'es' if len(gone) != 1 else ''}, which "
            f"had no fresh input ({inputs})")


#: How the note on crypto's closes after the reading begins (the headline finds it by it).
WEEKEND_CRYPTO = "crypto closed on a weekend or US market holiday"
#: ... when the closes include a day the Treasury market alone was shut (Columbus, Veterans Day).
BOND_HOLIDAY_CRYPTO = "crypto closed on a US bond-market holiday"
#: ... when they are a business day's, after a reading held back by its unpublished 10-year.
PENDING_CRYPTO = "crypto closed after the reading"


def _weekend_crypto(ws: Workspace, result: StressResult, end: object,
                    today: dt.date | None, *, pending: bool = False) -> str | None:
    """The note when crypto closed on a weekend or a US (bond-)market holiday after the reading.

    The index is on business days: on a Sunday evening it reads Friday, and its inputs block
    gave Friday's bitcoin close as the last while the store held the weekend's (BTC -6.5% and
    ETH -13% on 2025-04-05/06). Those closes enter the next business day's reading; the note
    says so with the move since the reading's close.

    With ``pending`` (the reading is of an earlier day because the evening's 10-year is not
    published yet: H.15's the next business day) a business day's closes after the reading
    are named too: the evening of Friday 2025-10-10 read 2025-10-09 (BTC drawdown 2.4%,
    green) without a word of BTC's -7.3% and ETH's -12.3% that day.
    """
    if ws.simulated or not len(result.frame):
        return None
    _, ref = reference_day(today, end)
    if not len(result.valid):
        return None
    day = pd.Timestamp(result.valid.index[-1])     # the reading (a holiday row reads none)
    if (ref - day.date()).days > universe.ASSETS["ust10y"].timing.stale_after_days:
        return None      # a stale reading says so; months of crypto after it are no weekend
    moves = []
    weekend = business = False
    closed: set[pd.Timestamp] = set()
    for k in ws.have([a for a in STRESS_ASSETS
                      if universe.ASSETS[a].calendar == "every_day"]):
        s = ws.series_of(k)
        if s is None:
            continue
        s = s.dropna()
        after = s.loc[(s.index > day) & (s.index <= pd.Timestamp(ref))]
        # the bond market's own holidays too (Columbus and Veterans Day: no 10-year, so no
        # reading, while crypto trades): the evening of 2022-11-11, FTX's bankruptcy, read
        # 2022-11-10 with no word of BTC's -3.0% that day
        days = after.index.values.astype("datetime64[D]")
        shut = np.isin(days, us_market_holidays()) | np.isin(days, us_bond_only_holidays()) | \
            after.index.normalize().isin(GoodFriday.dates(after.index[0], after.index[-1])
                                         if len(after) else [])
        held = after[(after.index.day_of_week >= 5) | shut]
        if not (len(held) or (pending and len(after))) or day not in s.index:
            continue
        weekend = weekend or bool(len(held))
        closed.update(held.index.normalize())
        business = business or (pending and len(after) > len(held))
        move = 100.0 * (float(after.iloc[-1]) / float(s.loc[day]) - 1.0)
        moves.append(f"{k} {move:+.1f}% to {after.index[-1]:%Y-%m-%d}")
    if not moves:
        return None
    if not weekend:
        return (f"{PENDING_CRYPTO} of {day:%Y-%m-%d}: " + ", ".join(moves)
                + f" (from the close of {day:%Y-%m-%d}); they enter a later day's reading, "
                "whose 10-year is not published yet")
    shut_on = _closed_days(sorted(closed))
    if business:
        # a weekend after a business day whose 10-year is not out yet: both said (Sunday
        # 2025-10-12 read 2025-10-09, and Friday 10-10's -7.3% was counted as the weekend's)
        return (f"{PENDING_CRYPTO} of {day:%Y-%m-%d}, on a business day whose 10-year is not "
                f"published yet and on {shut_on}: " + ", ".join(moves)
                + f" (from the close of {day:%Y-%m-%d}); they enter a later day's reading")
    return (f"crypto closed on {shut_on} after the reading of {day:%Y-%m-%d}: "
            + ", ".join(moves) + f" (from the close of {day:%Y-%m-%d}); the index is on "
            "business days, so these closes enter the next business day's reading")


def _closed_days(days: list[pd.Timestamp]) -> str:
    """What the days after the reading on which crypto closed were, in words.

    "a weekend or US market holiday" unless one is a US bond-market holiday: on Columbus and
    Veterans Day the stock market trades and the Treasury market alone is shut, and the note
    called Veterans Day 2022-11-11 (FTX's bankruptcy, the S&P 500 +0.9%) a "US market holiday".
    Then that holiday is named first (the note begins :data:`BOND_HOLIDAY_CRYPTO`), and the
    other kinds of day after it.
    """
    bond = us_bond_only_holidays()
    on = np.isin(np.asarray(days, dtype="datetime64[D]"), bond)
    if not on.any():
        return WEEKEND_CRYPTO.removeprefix("crypto closed on ")
    words: list[str] = []
    for d in [d for d, b in zip(days, on, strict=True) if b]:
        name = "Columbus Day" if d.month == 10 else "Veterans Day"
        words.append(f"{BOND_HOLIDAY_CRYPTO.removeprefix('crypto closed on ')} ({name} "
                     f"{d:%Y-%m-%d}: the Treasury market shut, stocks traded)")
    for d in [d for d, b in zip(days, on, strict=True) if not b]:
        word = "a weekend" if d.day_of_week >= 5 else "a US market holiday"
        if word not in words:
            words.append(word)
    return " and ".join(words)


def _frozen(ws: Workspace, result: StressResult) -> str | None:
    """The note naming the daily inputs that have stopped moving by the reading's date."""
    if not len(result.frame):
        return None
    daily = [k for k in ws.have(list(STRESS_ASSETS))
             if universe.ASSETS[k].frequency == "daily"]
    if not daily:
        return None
    panel = ws.panel(daily, transform="changes", end=result.frame.index[-1])
    return frozen_note(panel, "the index")


def _unscaled(ws: Workspace, result: StressResult) -> str | None:
    """The note naming z-score rows left out because their series moved after a still stretch.

    A z-score scales a move by the volatility of the ``window`` changes before it; after a run
    of unchanged values that volatility is zero and the z is undefined, so the row drops out
    of the table and the index reads nothing from it. The yuan, held at 8.2765 from March
    2005, fell 2.02% on 2005-07-22 when the peg ended (fred/DEXCHUS 8.2765 to 8.1111, its
    largest move): the evening of 2005-07-25 (the H.10 week out) showed no USD/CNY row and
    said nothing. A still run alone is a managed rate's value, not news (no note).
    """
    if not len(result.valid):
        return None
    day = result.valid.index[-1]
    table = result.signals_table(day)
    window = int(getattr(result.spec, "window", 60))
    need = max(2, window // 2)
    wanted: dict[str, set[int]] = {}
    for col, row in table.iterrows():
        h = next((int(str(col)[-1]) for z in ("_z1", "_z5") if str(col).endswith(z)), None)
        if h is None or pd.notna(row["value"]) or pd.isna(row["last_observed"]):
            continue
        for k in result.signal_inputs.get(str(col), ()):
            wanted.setdefault(k, set()).add(h)
    keys = [k for k in wanted if k in universe.ASSETS]
    if not keys:
        return None
    panel = ws.panel(keys, transform="changes", end=day)
    out = []
    for k in keys:
        col = universe.ASSETS[k].change_column
        x = panel[col].dropna() if col in panel else pd.Series(dtype=float)
        for h in sorted(wanted[k]):
            before = x.iloc[-h - window:-h]
            move = float(x.iloc[-h:].sum()) if len(x) >= h else 0.0
            if move == 0.0 or len(before) < need or float(before.std()) > 0.0:
                continue
            unit = " bp" if col.endswith("_bp") else "% (log change)"
            days = "on" if h == 1 else f"over {h} days to"
            out.append(f"{k} moved {move:+.2f}{unit} {days} {x.index[-1]:%Y-%m-%d} after "
                       f"{len(before)} changes of exactly zero")
            break
    if not out:
        return None
    return (f"{UNSCALED}: {'; '.join(out)}: a z-score scales "
            "a move by the volatility before it, here zero, so its z rows are left out of the "
            "table and the index reads no stress from them")


def _burning_in(result: StressResult) -> str | None:
    """The sub-indices n/a on the reading because their indicators cannot be ranked yet.

    An indicator is ranked against at least ``burn_in`` values of its own history: in the
    first year of a block's data it has values and no rank, and the sub-index reads n/a with
    no word (crypto on 2018-03-01, its coins from 2018-01-01, beside drawdowns of 36%).
    ``None`` when every sub-index with an indicator's value reads.
    """
    if not len(result.valid):
        return None
    d = result.valid.index[-1]
    row = result.frame.loc[d]
    ranks = result.indicators.loc[d] if d in result.indicators.index else pd.Series(dtype=float)
    out = []
    for group, members in INDICATORS.items():
        if group not in row.index or pd.notna(row[group]):
            continue
        waiting = []
        for name, _ in members:
            if name not in row.index or pd.isna(row[name]) or pd.notna(ranks.get(name)):
                continue        # no value (a stale or missing input, said elsewhere), or ranked
            first = result.frame[name].loc[:d].first_valid_index()
            if first is not None:
                waiting.append(f"{name} from {first:%Y-%m-%d}")
        if waiting:
            out.append(f"{group} ({', '.join(waiting)})")
    if not out:
        return None
    return (f"{BURNING_IN}: {'; '.join(out)}: an indicator is ranked once it has "
            f"{result.spec.burn_in} values of its own history")


def _key(value: object) -> str | None:
    return None if value is None else str(pd.Timestamp(value).date())
