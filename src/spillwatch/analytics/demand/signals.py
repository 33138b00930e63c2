"""Every foreign-demand signal on one daily as-of calendar, each with its publication lag.

:func:`build_signals` turns :class:`~.inputs.DemandInputs` into native-frequency frames (weekly
custody, weekly MOF flows, monthly intervention reports, auctions, monthly reserves and TIC,
daily rates), each released by the rule of its store series id
(:func:`spillwatch.timing.timing_of`), and puts them on a business-day calendar: the value of a
date is what had been published by then and is not stale (:mod:`._asof`). A signal whose input
is missing, not yet published or stale is NaN (*unavailable*), never zero.

The calendar runs from the first release of any gauge input (custody, MOF weekly flows,
interventions, auctions, China's reserves, TIC) to the last release of any input, or to a given
``end`` (a replay's date, or today).

Dollar conversions use the yen rate (``usdjpy``, H.10, yen per dollar): the weekly flows
``japan_bond_net4_usd_bn`` and ``japan_bond_net8_usd_bn`` = yen amount / the as-of USDJPY;
``intervention_usd_sold_usd_bn`` and ``intervention_usd_sold_2m_usd_bn`` convert each report's
yen at the mean rate of its period's days as published by its release (:func:`report_dollars`;
the days of the operations are public only with the quarter's detail): July 2024's ¥5.53tn
reads about $35bn at the period's mean, not $38bn at August's 146.98.

Columns of ``spillwatch demand --out`` and where each is defined
----------------------------------------------------------------
Units are in the names (``_usd_bn``, ``_jpy_bn``, ``_jpy_tn``, ``_pct``, ``_pp``, ``_bp``; ``_z``
a z-score against the series' own past; ``chgN`` a change over N observations of the series'
own frequency).

* ``gauge``, ``percentile`` (0-100), ``percentile_groups``, ``top_group``, ``groups``,
  ``share_<group>``, ``tail_<group>``: the gauge, its recursive percentile, the groups whose
  gauge that percentile ranks (fewer than those present when their composition lacks the
  history: a fallback), the group with the largest share, how many groups are present, each
  group's share of the evidence and its recursive tail probability (:mod:`.gauge`, steps 2-6);
* ``custody_*``: Fed custody for foreign official accounts (:mod:`.custody`);
* ``japan_bond_*``, ``intervention_*``, ``japan_ltbonds_<investor>_jpy_tn``: Japan's weekly
  foreign-bond flows, MOF's interventions, the monthly net purchases of foreign long-term bonds
  by type of investor (:mod:`.japan`);
* ``auction_*``: the last 28 days' mean weakness and indirect-share deviation, the weak-auction
  flag and each tenor class's latest weakness (:mod:`.auctions`);
* ``ust_jgb_10y_spread_pct``, ``usd_short_rate_pct``, ``jpy_short_rate_pct``,
  ``hedge_cost_pct``, ``hedged_pickup_*``: the hedged pick-up of a Japanese investor and its
  inputs (:mod:`.hedging`);
* ``china_reserves_*``, ``tic_<holder>_*``: China's reserves and TIC holdings by holder
  (:mod:`.reserves`);
* ``usdjpy``: the as-of yen rate of the conversions (yen per dollar).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spillwatch._validation import as_date
from spillwatch.analytics.demand._asof import Native
from spillwatch.analytics.demand.auctions import (
    CLASS_COLUMNS,
    CLASSES,
    ROLLING_CARRY_DAYS,
    ROLLING_COLUMNS,
    auction_by_class,
    auction_rolling,
    auction_table,
)
from spillwatch.analytics.demand.custody import CUSTODY_COLUMNS, custody_signals
from spillwatch.analytics.demand.hedging import HEDGE_COLUMNS, first_fresh, hedged_pickup
from spillwatch.analytics.demand.inputs import DemandInputs
from spillwatch.analytics.demand.japan import (
    DETAIL_STALE_DAYS,
    INTERVENTION_COLUMNS,
    INVESTOR_COLUMNS,
    JAPAN_WEEKLY_COLUMNS,
    intervention_detail,
    intervention_operations,
    intervention_reports,
    investor_signals,
    japan_weekly_signals,
)
from spillwatch.analytics.demand.reserves import (
    CHINA_COLUMNS,
    TIC_COLUMNS,
    Published,
    china_signals,
    tic_signals,
)
from spillwatch.timing import timing_of

#: Dollar conversions of the yen signals.
USD_COLUMNS: tuple[str, ...] = ("japan_bond_net4_usd_bn", "japan_bond_net8_usd_bn",
                                "intervention_usd_sold_usd_bn",
                                "intervention_usd_sold_2m_usd_bn")
#: Every signal column of the daily frame, in order.
SIGNAL_COLUMNS: tuple[str, ...] = (
    *CUSTODY_COLUMNS, *JAPAN_WEEKLY_COLUMNS, *INTERVENTION_COLUMNS, *USD_COLUMNS,
    *INVESTOR_COLUMNS, *ROLLING_COLUMNS, *CLASS_COLUMNS, *HEDGE_COLUMNS, *CHINA_COLUMNS,
    *TIC_COLUMNS, "usdjpy",
)
#: Natives whose first release starts the calendar.
GAUGE_SOURCES: tuple[str, ...] = ("custody", "mof_weekly", "interventions", "auctions",
                                  "china_reserves", "tic")
#: Natives observed monthly (or quarterly), left out of the data's evening when others exist.
MONTHLY_NATIVES: frozenset[str] = frozenset({"tic", "china", "investors", "ir3tib",
                                             "interventions", "intervention_detail"})
#: Staleness of an intervention report (the next report is due within a month).
REPORT_STALE_DAYS = 45
#: Names of the daily rate inputs (each its own native).
RATE_FIELDS: tuple[str, ...] = ("ust10y", "jgb10y", "sofr", "dgs3mo", "tona", "ir3tib",
                                "usdjpy", "usd_broad")


@dataclass(frozen=True)
class SignalOptions:
    """Windows of the signals (see each module).

    Parameters
    ----------
    weekly_window, weekly_min_obs : int, default 156, 52
        Weeks of the z-score yardstick of custody and MOF flows, and how many it needs.
    monthly_window, monthly_min_obs : int, default 36, 12
        Months of the z-score yardstick of China's reserves and TIC.
    auction_trailing, auction_min_trailing : int, default 6, 3
        Previous same-class auctions in the average, and how many it needs.
    auction_scale_min : int, default 24
        Earlier auctions the scale of each deviation needs.
    weak_threshold : float, default 1.0
        Weakness score of a weak auction.
    """

    weekly_window: int = 156
    weekly_min_obs: int = 52
    monthly_window: int = 36
    monthly_min_obs: int = 12
    auction_trailing: int = 6
    auction_min_trailing: int = 3
    auction_scale_min: int = 24
    weak_threshold: float = 1.0


@dataclass(frozen=True, eq=False)
class SignalSet:
    """The signals of one run: native frames, the calendar and the daily frame.

    Attributes
    ----------
    natives : dict of str to Native
        Native-frequency frames by name (``custody``, ``japan_weekly``, ``interventions``,
        ``investors``, ``auctions``, ``auction_<c>y``, ``china``, ``tic`` and one per daily
        rate input).
    grid : DatetimeIndex
        The business-day calendar.
    frame : DataFrame
        The daily signals, columns :data:`SIGNAL_COLUMNS`.
    auctions : DataFrame or None
        One row per auction (:func:`.auctions.auction_table`).
    operations : DataFrame or None
        One row per intervention operation with its report date.
    hedge_source : DataFrame
        Per date, which short rates priced the hedge (``usd``, ``jpy``: input names).
    """

    natives: dict[str, Native]
    grid: pd.DatetimeIndex
    frame: pd.DataFrame
    auctions: pd.DataFrame | None = None
    operations: pd.DataFrame | None = None
    hedge_source: pd.DataFrame = field(default_factory=pd.DataFrame)


def _natives(inputs: DemandInputs, opts: SignalOptions) -> tuple[dict[str, Native],
                                                                 pd.DataFrame | None]:
    ids = inputs.series_ids
    out: dict[str, Native] = {}
    table = None
    if inputs.custody is not None and len(inputs.custody):
        out["custody"] = Native.timed(
            custody_signals(inputs.custody, window=opts.weekly_window,
                            min_obs=opts.weekly_min_obs), ids["custody"], "custody")
    if inputs.mof_weekly is not None and len(inputs.mof_weekly):
        out["japan_weekly"] = Native.timed(
            japan_weekly_signals(inputs.mof_weekly, window=opts.weekly_window,
                                 min_obs=opts.weekly_min_obs), ids["mof_weekly"], "mof_weekly")
    if inputs.mof_monthly is not None and len(inputs.mof_monthly):
        out["investors"] = Native.timed(investor_signals(inputs.mof_monthly),
                                        ids["mof_monthly"], "mof_monthly")
    if inputs.auctions is not None and len(inputs.auctions):
        table = auction_table(inputs.auctions, trailing=opts.auction_trailing,
                              min_trailing=opts.auction_min_trailing,
                              scale_min=opts.auction_scale_min, threshold=opts.weak_threshold)
        # a row per business day, each carried over a long weekend only: its window is its
        # own (it was carried 28 days past rows that ran 27 past the last auction)
        out["auctions"] = Native.timed(auction_rolling(table), ids["auctions"], "auctions",
                                       stale_after_days=ROLLING_CARRY_DAYS)
        for c, frame in auction_by_class(table).items():
            out[f"auction_{c}y"] = Native.timed(frame, ids["auctions"], "auctions")
    if inputs.china_reserves is not None and len(inputs.china_reserves):
        out["china"] = Native.timed(
            china_signals(inputs.china_reserves, window=opts.monthly_window,
                          min_obs=opts.monthly_min_obs,
                          # the split needs both (without the yield it was a dollar-only
                          # model under the same label)
                          dollar=(_published(inputs.usd_broad, ids["usd_broad"])
                                  if "ust10y" in inputs.present else None),
                          ust10y=_published(inputs.ust10y, ids["ust10y"],
                                            inputs.released.get("ust10y")),
                          released=timing_of(ids["china_reserves"]).released_index),
            ids["china_reserves"], "china_reserves")
    if inputs.tic is not None and len(inputs.tic):
        out["tic"] = Native.timed(
            tic_signals(inputs.tic, window=opts.monthly_window, min_obs=opts.monthly_min_obs,
                        ust10y=_published(inputs.ust10y, ids["ust10y"],
                                          inputs.released.get("ust10y")),
                        released=timing_of(ids["tic"]).released_index),
            ids["tic"], "tic")
    for name in RATE_FIELDS:
        s = getattr(inputs, name)
        if s is not None and len(s):
            out[name] = Native.timed(s.to_frame(name), ids[name], name,
                                     released=inputs.released.get(name))
    return out, table


def _published(s: pd.Series | None, series_id: str,
               released: pd.Series | None = None) -> Published | None:
    if s is None or not len(s):
        return None
    if released is not None:
        return Published(s, pd.DatetimeIndex(released.reindex(s.index)))
    return Published(s, timing_of(series_id).released_index(pd.DatetimeIndex(s.index)))


def _grid(natives: dict[str, Native], end: pd.Timestamp | None) -> pd.DatetimeIndex:
    gauge = [n for n in natives.values() if n.source in GAUGE_SOURCES and len(n.values)]
    pool = gauge or [n for n in natives.values() if len(n.values)]
    if not pool:
        return pd.DatetimeIndex([], name="date")
    start = min(n.first_release for n in pool)  # type: ignore[type-var]
    if end is None:
        end = data_evening(natives)
    grid = pd.bdate_range(start, end, name="date")
    end = pd.Timestamp(end)
    if len(grid) and end > grid[-1]:
        # a weekend evening is a row of its own, each input judged on it: on Saturday
        # 2026-07-11 the gauge and the ``demand.*`` facts read Friday's row, where custody's
        # print of 06-24 was fresh (16 days) and 17 days old that evening, past its limit
        grid = grid.append(pd.DatetimeIndex([end], name="date"))
    return grid


def data_evening(natives: dict[str, Native]) -> pd.Timestamp:
    """The evening the data's newest observation came out: the calendar's default end.

    Not the last release of any input: a store cut on 2020-03-18 holds February's TIC,
    released on 04-17, and its gauge was read a month after the data end, without the custody
    print of 03-18 (stale by then) that led it that evening (percentile 1 against 86). The
    auctions' rolling means are left out (their rows run past the last auction by design).
    """
    held = {k: n for k, n in natives.items() if len(n.values) and k != "auctions"}
    # a monthly row is labelled by its month's end and released weeks later: a folder cut on
    # 2016-06-30 holds June's TIC (out 08-18), and the gauge was read on 07-15, past the
    # Japanese weekly flows' limit (percentile 56 where that evening read 41)
    frequent = {k: n for k, n in held.items() if k not in MONTHLY_NATIVES}
    held = frequent or held
    if not held:
        held = {k: n for k, n in natives.items() if len(n.values)}
    newest = max(n.values.index[-1] for n in held.values())
    return max(n.released[-1] for n in held.values() if n.values.index[-1] == newest)


def _interventions(inputs: DemandInputs, grid_end: pd.Timestamp
                   ) -> tuple[Native | None, pd.DataFrame | None]:
    if inputs.interventions is None or not len(inputs.interventions):
        return None, None
    sid = inputs.series_ids["interventions"]
    ops = intervention_operations(inputs.interventions, series_id=sid)
    through = grid_end
    if inputs.interventions_through is not None:
        # a report holding one of the record's operations is known to be one (at least their
        # sum): an operation in a quarter's last week goes to the next month's report, after
        # the quarter's end, and a record ending with one (2026-06-26 on a record through
        # 2026-06-30) read "latest report: 0" for June while July's, never kept, held it
        held = ops["report"].max() if len(ops) else pd.NaT
        bound = (inputs.interventions_through if pd.isna(held)
                 else max(inputs.interventions_through, pd.Timestamp(held)))
        through = min(bound, grid_end)
    # a report is complete when the record covers its whole period (reports up to ``through``)
    reports = intervention_reports(inputs.interventions, through=through, series_id=sid)
    native = Native(reports, pd.DatetimeIndex(reports.index), REPORT_STALE_DAYS,
                    "interventions")
    return native, ops


def report_dollars(reports: pd.DataFrame, fx: Native | None, *,
                   series_id: str = "mof:intervention_usdjpy") -> pd.DataFrame:
    """Dollars sold in each report and its last two, at the period's mean rate as of the report.

    A monthly report gives the yen total of its period, not the days (they are public only
    with the quarter's daily detail, :func:`.japan.intervention_detail`), so the rate is what
    a reader of the report had: the mean USD/JPY of the days its period covers (the days
    the report's timing rule assigns to it), of those published by its release.

    Parameters
    ----------
    reports : DataFrame
        :func:`.japan.intervention_reports`, indexed by report date (its release).
    fx : Native or None
        USD/JPY (yen per dollar) with its release dates.
    series_id : str
        Store id whose timing dates the reports (and so gives each report its period).

    Returns
    -------
    DataFrame
        On the reports' index, USD bn: ``intervention_usd_sold_usd_bn`` (the report) and
        ``intervention_usd_sold_2m_usd_bn`` (the report and the one before), each the
        report's ``intervention_usd_sold_jpy_bn`` / that mean rate (an H.10 week is out the
        Monday after: a report on the month's last weekday lacks its last days' rates). A
        period without a published rate takes the last rate published by the release when
        it is within the rate's staleness limit; otherwise the dollars are NaN (0 for a
        report that sold nothing).
    """
    jpy = reports["intervention_usd_sold_jpy_bn"].to_numpy(dtype=float)
    mean = np.full(len(reports), np.nan)
    if fx is not None and len(fx.values) and len(reports):
        rate = fx.values.iloc[:, 0].astype(float)
        obs = pd.DatetimeIndex(rate.index)
        released = pd.DatetimeIndex(np.maximum.accumulate(
            fx.released.to_numpy(dtype="datetime64[ns]")))
        period = timing_of(series_id).released_index(obs)
        held = rate.notna().to_numpy()
        for k, day in enumerate(pd.DatetimeIndex(reports.index)):
            if jpy[k] == 0.0:
                continue                     # nothing sold: no rate needed
            known = (released <= day) & held
            inside = known & (period == day)
            if inside.any():
                mean[k] = float(rate[inside].mean())
                continue
            last = np.flatnonzero(known)
            if len(last) and not fx.is_stale(obs[last[-1]], day):
                mean[k] = float(rate.iloc[last[-1]])
    # a report that sold no dollars needs no rate
    month = pd.Series(np.where(jpy == 0.0, 0.0, jpy / mean), index=reports.index)
    return pd.DataFrame({"intervention_usd_sold_usd_bn": month,
                         "intervention_usd_sold_2m_usd_bn": month + month.shift(1, fill_value=0.0)},
                        index=reports.index, dtype="float64")


def _intervention_detail(inputs: DemandInputs, grid_end: pd.Timestamp) -> Native | None:
    """The days of each quarter's operations, known at MOF's quarterly detail."""
    if inputs.interventions is None or not len(inputs.interventions):
        return None
    days, released = intervention_detail(inputs.interventions, through=grid_end)
    if inputs.interventions_through is not None:
        # a quarter the record does not cover is not one without operations
        keep = days.index <= inputs.interventions_through
        days, released = days[keep], released[keep]
    return Native(days, released, DETAIL_STALE_DAYS, "interventions") if len(days) else None


def build_signals(inputs: DemandInputs, options: SignalOptions | None = None, *,
                  end: object = None) -> SignalSet:
    """Compute every signal and put it on the daily as-of calendar (module docstring).

    Parameters
    ----------
    inputs : DemandInputs
    options : SignalOptions, optional
    end : date-like, optional
        Last date of the calendar (default: :func:`data_evening`, the release of the data's
        newest observation). A replay passes its date: the row of a day without a release then
        still exists, with what was known.

    Returns
    -------
    SignalSet
    """
    opts = options or SignalOptions()
    # a zone-aware end raised pandas' "Start and end cannot both be tz-aware": its own day
    last = None if end is None else as_date(end, "end")
    natives, table = _natives(inputs, opts)
    grid = _grid(natives, last)
    if len(grid) == 0 and inputs.interventions is not None and len(inputs.interventions):
        first = timing_of(inputs.series_ids["interventions"]).released(
            inputs.interventions["date"].min())
        grid = pd.bdate_range(first, first, name="date")
    ops = None
    if len(grid):
        iv, ops = _interventions(inputs, grid[-1])
        if iv is not None:
            usd = report_dollars(iv.values, natives.get("usdjpy"),
                                 series_id=inputs.series_ids["interventions"])
            for c in usd.columns:
                iv.values[c] = usd[c]
            natives["interventions"] = iv
            grid = _grid(natives, last)
        # the interventions' first report can come after ``last`` (a replay to 1990-01-05
        # stopped on grid[-1] of an empty grid)
        detail = _intervention_detail(inputs, grid[-1]) if len(grid) else None
        if detail is not None:
            natives["intervention_detail"] = detail
    frame = pd.DataFrame(index=grid)
    for name, nat in natives.items():
        if name in RATE_FIELDS:
            continue
        on = nat.on(grid)
        for c in on.columns:
            frame[c] = on[c]
    rates = {name: natives[name].on(grid)[name] if name in natives else None
             for name in RATE_FIELDS}
    # 3-month rates first on both sides: the hedge is rolled 3-month forwards, and overnight
    # SOFR understated its cost by 0.4-1.1 pp while the Fed hiked (the pick-up read +0.90 pp on
    # 2022-10-21 instead of about -0.16)
    usd, usd_src = first_fresh(rates["dgs3mo"], rates["sofr"]) if (
        rates["sofr"] is not None or rates["dgs3mo"] is not None) else (None, None)
    jpy, jpy_src = first_fresh(rates["ir3tib"], rates["tona"]) if (
        rates["tona"] is not None or rates["ir3tib"] is not None) else (None, None)
    nan = pd.Series(np.nan, index=grid)
    hedge = hedged_pickup(rates["ust10y"] if rates["ust10y"] is not None else nan,
                          rates["jgb10y"] if rates["jgb10y"] is not None else nan,
                          usd if usd is not None else nan, jpy if jpy is not None else nan,
                          usd_candidates=(rates["dgs3mo"], rates["sofr"]),
                          jpy_candidates=(rates["ir3tib"], rates["tona"]),
                          usd_source=usd_src, jpy_source=jpy_src)
    for c in hedge.columns:
        frame[c] = hedge[c]
    names_usd, names_jpy = np.array(["dgs3mo", "sofr"]), np.array(["ir3tib", "tona"])
    hedge_source = pd.DataFrame({
        "usd": _source_names(usd_src, names_usd, grid),
        "jpy": _source_names(jpy_src, names_jpy, grid)}, index=grid)
    fx = rates["usdjpy"] if rates["usdjpy"] is not None else nan
    frame["usdjpy"] = fx
    for c in SIGNAL_COLUMNS:
        if c not in frame.columns:
            frame[c] = np.nan
    frame["japan_bond_net4_usd_bn"] = frame["japan_bond_net4_jpy_bn"] / fx
    frame["japan_bond_net8_usd_bn"] = frame["japan_bond_net8_jpy_bn"] / fx
    frame = frame[list(SIGNAL_COLUMNS)].astype("float64")
    frame.index.name = "date"
    return SignalSet(natives=natives, grid=grid, frame=frame, auctions=table, operations=ops,
                     hedge_source=hedge_source)


def _source_names(src: pd.Series | None, names: np.ndarray, grid: pd.DatetimeIndex
                  ) -> pd.Series:
    if src is None:
        return pd.Series("", index=grid, dtype=object)
    idx = src.to_numpy()
    out = np.where(np.isnan(idx), "", names[np.nan_to_num(idx, nan=0).astype(int)])
    return pd.Series(out, index=grid, dtype=object)


__all__ = ["CLASSES", "SIGNAL_COLUMNS", "SignalOptions", "SignalSet", "build_signals",
           "report_dollars"]
