"""The dashboard's views: one small provider function per view, cached per data version.

A provider takes a :class:`ViewContext` (a :class:`~spillwatch.service.workspace.Workspace`
of the current data version) and returns a pydantic model from :mod:`spillwatch.api.schemas`.
Every number comes from the service layer — the same functions the CLI and the report call —
and every figure from :mod:`spillwatch.plotting`, so the page, ``spillwatch report`` and the
CLI always show the same thing.

A view that cannot be computed on the data at hand (no 10-year yield, no crypto) raises
:class:`Unavailable`: the API answers 503 with the reason and the page shows it. The outcome of
each provider — the JSON bytes or the reason — is cached until the store's data change
(:meth:`Views.data_version`), so a cached read costs one dict lookup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from spillwatch import universe
from spillwatch._results import jsonable
from spillwatch.alerts import backtest as backtest_mod
from spillwatch.api import schemas
from spillwatch.api.admission import Refused, TurnSlots
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import SpillwatchError
from spillwatch.plotting import backtest as backtest_figs
from spillwatch.plotting import gauge, market
from spillwatch.plotting import stress as stress_figs
from spillwatch.service import demand as demand_service
from spillwatch.service import events as events_service
from spillwatch.service import health as health_service
from spillwatch.service import risk as risk_service
from spillwatch.service import scenarios as scenario_service
from spillwatch.service import spillover as spillover_service
from spillwatch.service import stress as stress_service
from spillwatch.service import summary as summary_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """A view that cannot be served on these data (HTTP 503 with the reason)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Busy(Exception):
    """Too many one-off views are being built: HTTP 503 with ``Retry-After``."""

    def __init__(self, reason: str, retry_after_s: int = 5) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


@dataclass
class ViewContext:
    """What the providers read: the workspace of the current data version.

    ``as_of`` is set on a vintage (the data as published by the evening of that date, the
    API's ``as_of``): the views end there and judge staleness on that day, not today.
    """

    workspace: Workspace
    version: str
    as_of: dt.date | None = None
    #: The server's rule file (``serve --rules``), which the scorecard replays; None: the
    #: monitor's default ($SPILLWATCH_RULES, else the packaged rules).
    rules: Path | None = None

    @property
    def simulated(self) -> bool:
        """Whether the data are the simulated demo market."""
        return self.workspace.simulated


def frame_model(frame: pd.DataFrame) -> schemas.Frame:
    """Convert a DataFrame to the split-orientation :class:`~spillwatch.api.schemas.Frame`."""
    payload = jsonable(frame)
    return schemas.Frame(index=[str(i) for i in payload["index"]], columns=payload["columns"],
                         data=[[_cell(v) for v in row] for row in payload["data"]])


def _cell(value: Any) -> float | str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def figure_model(fig: Any) -> schemas.PlotlyFigure:
    """Serialise a plotly figure with plotly's own encoder (dates, numpy, NaN → null)."""
    import plotly.io as pio

    raw = json.loads(pio.to_json(fig, validate=False))
    return schemas.PlotlyFigure(data=raw.get("data", []), layout=raw.get("layout", {}))


# -- shared computations (the service layer, memoised in the workspace) -------------------------

def _guard(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except SpillwatchError as exc:
        raise Unavailable(exc.message) from None


def stress_result(ctx: ViewContext) -> Any:
    """The stress result of the service layer (shared with the report and the CLI)."""
    return _guard(lambda: stress_service.stress(ctx.workspace, end=ctx.as_of))


def sell_america_days(ctx: ViewContext) -> pd.Series | None:
    """Days flagged 'sell America', or ``None`` when the stress index is unavailable."""
    try:
        return stress_result(ctx).sell_america_days
    except Unavailable:
        return None


def spillover_report(ctx: ViewContext, assets: tuple[str, ...] | None = None) -> Any:
    """The spillover report of the service layer (of ``assets`` when named, as ``--assets``).

    The standard setup needs both blocks (its headline is rates + dollar into crypto); named
    assets of one side give their connectedness without a headline, as the CLI prints it.
    """
    rep = _guard(lambda: spillover_service.spillover(ctx.workspace, assets=assets,
                                                     end=ctx.as_of))
    if assets is None and not rep.has_headline:
        raise Unavailable("spillover needs yields, the dollar and crypto, which the data lack")
    return rep


def _levels(ctx: ViewContext) -> pd.DataFrame:
    ws = ctx.workspace
    keys = ws.have(list(dict.fromkeys([*universe.WATCHLIST, *universe.CURVE_TENORS])))
    if not keys:
        raise Unavailable("no market data in the store")
    return ws.panel(keys, transform="levels")


# -- figure providers ----------------------------------------------------------------------------

def _spillover_card(ctx: ViewContext, which: int) -> Any:
    """A spillover card's figure (0: net, 1: network), with its window's stale note if any.

    :func:`~spillwatch.service.spillover.noted_figures`. Every other card said STALE under
    its chart; the two spillover cards drew a window 344 days old (../shared/data's
    2025-12-26 on 2026-12-05) without a word.
    """
    return spillover_service.noted_figures(spillover_report(ctx), simulated=ctx.simulated)[which]


def _stress_note(ctx: ViewContext) -> str | None:
    """The notes `stress` prints when the reading is not today's, and why (None when it is).

    The gauge beside them said so; the history and contributions cards drew a series ending
    333 days before the evening (../shared/data's 2026-01-06 on 2026-12-05) without a word.
    """
    return stress_service.stale_note(ctx.workspace, stress_result(ctx))


@dataclass(frozen=True)
class FigureView:
    """A dashboard figure: its title and the provider that draws it."""

    title: str
    draw: Callable[[ViewContext], Any]


#: Every dashboard figure, in page order.
FIGURES: dict[str, FigureView] = {
    "stress_gauge": FigureView("Stress gauge and regime", lambda c: gauge.stress_gauge(
        stress_result(c), simulated=c.simulated, note=_stress_note(c))),
    "stress_history": FigureView("Stress index and regimes", lambda c: stress_figs.stress_index(
        stress_result(c), simulated=c.simulated, note=_stress_note(c))),
    "stress_contributions": FigureView("What drives the stress index",
                                       lambda c: stress_figs.contributions(
                                           stress_result(c), simulated=c.simulated,
                                           note=_stress_note(c))),
    "yield_dollar": FigureView("10-year yield against the broad dollar",
                               lambda c: market.yield_vs_dollar(
                                   _levels(c), simulated=c.simulated,
                                   shade=sell_america_days(c),
                                   note=summary_service.stale_note(c.workspace,
                                                                   list(market.YIELD_DOLLAR)))),
    "yield_curve": FigureView("Treasury yield curve: now, a week and a month ago",
                              lambda c: market.yield_curve(
                                  _levels(c), simulated=c.simulated,
                                  note=summary_service.curve_note(c.workspace))),
    "crypto": FigureView("Crypto",
                         lambda c: market.crypto(
                             summary_service.coin_levels(c.workspace), simulated=c.simulated,
                             note=(summary_service.stale_note(c.workspace, list(market.COINS))
                                   or summary_service.coins_note(c.workspace)))),
    "spillover_net": FigureView("Net spillover, rates + dollar → crypto",
                                lambda c: _spillover_card(c, 0)),
    "demand_dial": FigureView("Who is selling? The foreign-demand gauge",
                              lambda c: _guard(lambda: demand_service.dial(c.workspace))),
    "demand_attribution": FigureView("Foreign selling by group",
                                     lambda c: _guard(lambda: demand_service.attribution(
                                         c.workspace))),
    "spillover_network": FigureView("Spillover network",
                                    lambda c: _spillover_card(c, 1)),
}


def figure_view(ctx: ViewContext, name: str) -> schemas.FigureOut:
    """Draw one figure of :data:`FIGURES`."""
    view = FIGURES[name]
    return schemas.FigureOut(name=name, title=view.title, figure=figure_model(view.draw(ctx)))


def replayed(build: Callable[[ViewContext], BaseModel]) -> Callable[[ViewContext], BaseModel]:
    """``build`` with a vintage's evening taken as today, as ``run --as-of`` writes its report.

    The dashboard of a past evening is that evening's report: the headline's freshness of each
    input, its staleness notes and the figures' notes are judged on that day (on the clock's,
    every input of a 2020 evening read years stale). A context without ``as_of`` is built as is.
    """
    def run(ctx: ViewContext) -> BaseModel:
        if ctx.as_of is None:
            return build(ctx)
        with replay_day(ctx.as_of, published=True):
            return build(ctx)

    return run


# -- data providers --------------------------------------------------------------------------------

def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.index = [str(pd.Timestamp(d).date()) for d in out.index]
    return out


#: Calendar days of history the stress and signals views return by default (0: all).
DEFAULT_DAYS = 365


def _last_days(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    if days <= 0 or frame.empty:
        return frame
    return frame.loc[frame.index[-1] - pd.Timedelta(days=days):]


def stress_view(ctx: ViewContext, days: int = DEFAULT_DAYS) -> schemas.StressOut:
    """The latest stress reading, its summary and the last ``days`` of the index."""
    from spillwatch.analytics.stress import HEAD_COLUMNS, SUBINDEX_COLUMNS

    res = stress_result(ctx)
    cols = [stress_service.KNOWN_ON, *HEAD_COLUMNS, *SUBINDEX_COLUMNS]
    # each row with the evening all its inputs were out (as `stress --out`): the history reads
    # inputs by observation date, the H.10 dollar of a Friday published on Monday
    rows = stress_service.history(ctx.workspace, res).loc[res.valid.index, cols]
    summary = stress_service.summary(ctx.workspace, res, end=ctx.as_of, end_name="as_of")
    return schemas.StressOut(summary=jsonable(summary),
                             latest=schemas.StressLatest.model_validate(res.latest()),
                             history=frame_model(_dated(_last_days(rows, days))))


def signals_view(ctx: ViewContext, days: int = DEFAULT_DAYS) -> schemas.SignalsOut:
    """Today's signals with traffic lights, their last ``days`` of history, the signature.

    The table is the command's and the report's (:meth:`StressResult.table`): a signal
    without a value that day (a stale or missing input) is left out of it, as
    ``spillwatch stress`` leaves it out; ``/api/stress`` lists those inputs by state.
    """
    from spillwatch.analytics.stress import SIGNAL_COLUMNS, SIGNATURE

    res = stress_result(ctx)
    latest = res.latest()
    # the history ends on the reading it describes (rows after it hold only the series that
    # run further, e.g. the MOVE index), and the counts are of that history
    history = _last_days(res.frame.loc[:pd.Timestamp(latest["date"]),
                                       [SIGNATURE, *SIGNAL_COLUMNS]], days)
    counts = {str(k): int(v) for k, v in history[SIGNATURE].astype(str).value_counts().items()}
    return schemas.SignalsOut(date=latest["date"], signature=latest["signature"],
                              table=frame_model(res.table()), counts=counts,
                              history=frame_model(_dated(history)))


def spillover_view(ctx: ViewContext,
                   assets: tuple[str, ...] | None = None) -> schemas.SpilloverOut:
    """The latest window's DY table, TCI and NET, and the rolling net rates + dollar → crypto.

    ``assets`` names the series as ``spillwatch spillover --assets`` does (a token such as
    ``trump``, a series of the user's); the rolling net is empty when they hold one side only.
    """
    rep = spillover_report(ctx, assets)
    res = rep.latest
    tci = float(res.tci)
    return schemas.SpilloverOut(
        summary=jsonable(rep.summary_dict()),
        date=str(res.date.date()) if res.date is not None else None,
        window=int(rep.rolling.window) if rep.rolling.window else None,
        tci=tci if pd.notna(tci) else None, table=frame_model(res.table()),
        net={str(k): (float(v) if pd.notna(v) else None) for k, v in res.net.items()},
        rolling_net=frame_model(_dated(rep.headline.to_frame())), notes=list(rep.notes))


def risk_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """Volatility forecasts and tail risk (VaR/ES, backtests, CoVaR) of the standard setup."""
    ws, end = ctx.workspace, ctx.as_of
    # what the whole capability lacks (no crypto by then), as `risk` and the report's section
    # say it: volatility's "give a --start" (an option this endpoint does not take) was given
    # on 2008-09-15, `risk` said the window ends before 2015-01-01, the report "lacks btc"
    empty = risk_service.nothing_to_measure(ws)
    if empty:
        raise Unavailable(empty)
    # each part on its own, as the report's section: a VaR the data cannot support yet
    # (2018-06-01: BTC's 104 days) withheld the volatility forecasts the section showed
    parts: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for key, what, fn in (("volatility", "volatility", risk_service.volatility),
                          ("tail_risk", "VaR/ES", risk_service.tail_risk)):
        try:
            parts[key] = fn(ws, end=end)
        except SpillwatchError as exc:
            # in this endpoint's terms, as its refusals are ("give a later --as-of": as_of)
            from spillwatch.api.terms import api_terms

            failed[key] = f"{what} not computed: {api_terms(exc.message, {'as_of'})}"
    if not parts:       # nothing to show: the VaR's reason, `risk`'s
        raise Unavailable(failed["tail_risk"].removeprefix("VaR/ES not computed: "))
    vol, tail = parts.get("volatility"), parts.get("tail_risk")
    notes = [*(vol.notes if vol is not None else [failed["volatility"]]),
             *(tail.notes if tail is not None else [failed["tail_risk"]])]
    try:                       # the dynamic correlation is one part: its failure is a note
        corr = risk_service.correlation(ws, end=end)
        corr_summary: dict[str, Any] | None = risk_service.correlation_summary(corr)
        corr_detail: dict[str, Any] | None = jsonable(corr.to_dict())
        notes += corr.notes
    except SpillwatchError as exc:
        corr_summary = corr_detail = None
        notes.append(f"dynamic correlation not computed: {exc.message}")
    summary = {"volatility": None if vol is None else risk_service.volatility_summary(vol),
               "correlation": corr_summary,
               "tail_risk": None if tail is None else tail.summary_dict(), "notes": notes}
    return schemas.CapabilityOut(summary=jsonable(summary), detail={
        "volatility": None if vol is None else jsonable(vol.to_dict()),
        "correlation": corr_detail,
        "tail_risk": None if tail is None else jsonable(tail.to_dict())})


def events_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """Cumulative abnormal moves around the shipped events."""
    res = _guard(lambda: events_service.events(ctx.workspace))
    return schemas.CapabilityOut(summary=jsonable(events_service.summary(res)),
                                 detail=jsonable(res.to_dict()))


def scenarios_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """Every preset on the default book (the report's scenario table)."""
    ps = _guard(lambda: scenario_service.presets(ctx.workspace))
    return schemas.CapabilityOut(summary=jsonable(ps.summary_dict()))


def demand_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """Who is selling: the foreign-demand gauge, its attribution and the published evidence."""
    res = _guard(lambda: demand_service.demand(ctx.workspace, end=ctx.as_of))
    # ``detail`` is ``spillwatch demand --json`` beside the summary (the latest reading's
    # tails and groups, the signals table): it was empty
    return schemas.CapabilityOut(summary=jsonable(
        demand_service.summary(ctx.workspace, res, end=ctx.as_of)),
        detail=jsonable(res.to_dict()))


def backtest_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """The early-warning scorecard, as the report's section and ``spillwatch backtest``.

    The headline figures, each episode's leads, the scores and the alert timeline figure.
    """
    # the server's rule file, as its alert views and the monitor beside it read (``serve
    # --rules desk.toml`` scored the packaged rules while /api/alerts/rules listed the desk's)
    res = _guard(lambda: backtest_mod.backtest(ctx.workspace, rules=ctx.rules))
    d = res.to_dict()
    timeline = figure_model(backtest_figs.timeline(res.figure_data(), simulated=ctx.simulated))
    return schemas.CapabilityOut(summary=d["headline"], detail={
        "lines": str(res.summary()).splitlines(), "settings": d["settings"],
        "signals": d["signals"], "episodes": d["episodes"], "scores": d["scores"],
        # what the scorecard could not score and the episodes one alert can hit twice, as
        # `backtest --json` gives them (the API had them only inside its text lines)
        "notes": d["notes"], "not_scored": d["not_scored"],
        # the firings the monitor held back (inhibited_by), per rule
        "inhibition": d["inhibition"],
        "method": d["method"], "timeline": timeline.model_dump()})


def summary_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """The headline block: freshness of each input, stress, spillover, worst scenario VaR.

    ``detail.market_as_of``: the market's date as the report's header gives it.
    """
    h = _guard(lambda: summary_service.headline(ctx.workspace))
    # the market's date as the report's header gives it (the last day half the watch list
    # reports): a past evening's dashboard header showed the latest data's date and age
    market = health_service.as_of(ctx.workspace)
    return schemas.CapabilityOut(summary=h.to_dict(), detail={
        "market_as_of": None if market is None else str(market.date())})


def health_view(ctx: ViewContext) -> schemas.CapabilityOut:
    """Counts of series, points and quarantined points, and the latest levels with dates."""
    ws = ctx.workspace
    return schemas.CapabilityOut(summary=jsonable(health_service.summary(ws)),
                                 detail={"latest": jsonable(health_service.latest_levels(ws))})


def series_view(ctx: ViewContext) -> schemas.SeriesList:
    """Every stored series with its health."""
    health = ctx.workspace.health()
    rows = []
    for rec in health.to_dict(orient="records"):
        rows.append(schemas.SeriesInfo(
            series_id=str(rec["series_id"]), name=_str(rec.get("name")),
            provider=_str(rec.get("provider")), frequency=_str(rec.get("frequency")),
            unit=_str(rec.get("unit")), first=_date(rec.get("first_ts")),
            last=_date(rec.get("last_ts")), points=int(rec.get("points") or 0),
            quarantined=int(rec.get("quarantined") or 0),
            revisions=int(rec.get("revisions") or 0)))
    return schemas.SeriesList(series=rows)


def _str(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def _date(v: Any) -> str | None:
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    return str(pd.Timestamp(v).date())


#: Views with a ``days`` parameter.
HISTORY: dict[str, Callable[[ViewContext, int], BaseModel]] = {
    "stress": stress_view,
    "signals": signals_view,
}

#: Data views served at ``/api/<name>`` (GET).
DATA: dict[str, Callable[[ViewContext], BaseModel]] = {
    "summary": summary_view,
    "stress": stress_view,
    "signals": signals_view,
    "spillover": spillover_view,
    "demand": demand_view,
    "risk": risk_view,
    "events": events_view,
    "health": health_view,
    "series": series_view,
}

#: Vintages (and their views) kept at once; each holds its own panels and fits.
VINTAGES_KEPT = 4
#: One-off views (a past date's, a window of days not the default) built at once; one more
#: is refused as busy, not queued: 60 dated reads without a token held the app's worker
#: threads for 188 s, and every other route waited behind them (86 s for the alert rules).
MAX_ONE_OFF_BUILDS = 2
#: Requests that may wait for a date whose views are being built (its other views, asked side
#: by side), beyond the slots; one more is refused as busy.
MAX_DATE_WAITERS = 8
#: Views of past dates kept (a dashboard's evening is 13: its figures, headline, regime and
#: scorecard): four evenings.
DATED_KEPT = 52

#: Data views computed on first request rather than at start-up (Monte Carlo).
LAZY: dict[str, Callable[[ViewContext], BaseModel]] = {
    "scenarios/summary": scenarios_view,
    "backtest": backtest_view,
}

#: The cache keys of the views that replay the alert rules (the scorecard, today's and a past
#: evening's): a rule added or deleted through the API changes them, not the data version.
RULE_VIEWS: tuple[str, ...] = ("lazy:backtest", "data:backtest")


# -- the cache -------------------------------------------------------------------------------------

#: One view built at a time: plotly's figure objects are not thread-safe, and the dashboard's
#: requests built figures beside the background warm-up ("ValueError: Invalid value" from
#: plotly, cached as the view's reason for the whole data version, 3 loads in 5). Reentrant:
#: a build may draw more than one figure.
PLOTLY_LOCK = threading.RLock()


def gzipped(body: bytes) -> bytes | None:
    """``body`` gzip-compressed for a client that takes it, or None when too small to gain."""
    return gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 1024 else None


@dataclass
class _Entry:
    version: str
    body: bytes | None = None
    reason: str | None = None
    gzipped: bytes | None = None

    def __post_init__(self) -> None:
        # compressed once per data version, so a client that accepts gzip gets it for free
        if self.body is not None:
            self.gzipped = gzipped(self.body)


@dataclass
class Views:
    """Compute-once, serve-many: each view's JSON bytes (or its reason) per data version.

    Parameters
    ----------
    source : MarketSource
    refresh_s : float
        How often (seconds) to ask the store whether its data changed; between probes a read is
        served from the cache without touching the store.
    """

    source: MarketSource
    refresh_s: float = 30.0
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _version: str = ""
    _probed: float = -1e18
    _ctx: ViewContext | None = None
    _vintages: OrderedDict[tuple[str, dt.date], ViewContext] = field(
        default_factory=OrderedDict)
    _dated: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    _dated_locks: dict[dt.date, threading.Lock] = field(default_factory=dict)
    _vintage_locks: dict[tuple[str, dt.date], threading.Lock] = field(default_factory=dict)
    _date_inside: dict[dt.date, int] = field(default_factory=dict)
    #: Counts :meth:`rules_changed`: a rule view built while a rule changed is not kept.
    _rules_epoch: int = 0
    _one_off: TurnSlots = field(default_factory=lambda: TurnSlots(MAX_ONE_OFF_BUILDS))
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: Build views in a background thread (at start-up and on every new data version), so
    #: that :meth:`status` answers at once with the views not built yet ``pending``; without,
    #: :meth:`status` builds them itself.
    background: bool = False
    _warming: threading.Thread | None = None
    _warm_extra: Callable[[], None] | None = None
    #: Set by :meth:`stop` (the server shutting down): no view is started after it.
    _stopping: threading.Event = field(default_factory=threading.Event)
    #: What a body goes through before it is kept (the server's: the store's path as its file
    #: name, :func:`spillwatch.api.app.public_bytes`), so the cached and gzipped bytes are it.
    scrub: Callable[[bytes], bytes] | None = None
    #: The server's rule file (``serve --rules``), handed to every context's scorecard.
    rules: Path | None = None

    def _probe(self) -> str:
        # the day is part of the version: a view says how old its reading is today ("STALE:
        # 329 days old", the demand facts of today's calendar), so a store that stopped
        # updating must not serve yesterday's ages from the cache
        from spillwatch.service._today import today_utc

        return f"{self.source.store.data_version()}@{today_utc().isoformat()}"

    def data_version(self) -> str:
        """The store's data version (probed at most every ``refresh_s`` seconds)."""
        now = time.monotonic()
        if now - self._probed < self.refresh_s and self._version:
            return self._version
        with self._guard:
            if time.monotonic() - self._probed >= self.refresh_s or not self._version:
                version = self._probe()
                if version != self._version:
                    self._version = version
                    self._ctx = None
                self._probed = time.monotonic()
        return self._version

    def context(self) -> ViewContext:
        """The view context of the current data version (a new workspace on change)."""
        self.data_version()
        with self._guard:
            # the newest version probed, not the one this thread read before it waited here: a
            # request that read the old version while another's probe found new data replaced
            # the new context with a workspace named after the old version (the store read
            # again under this lock, its views thrown away), and the next request replaced it
            version = self._version
            if self._ctx is None or self._ctx.version != version:
                # the past evenings of an older version are never served again (the version
                # is their key) and each holds that version's whole-store workspace (its
                # store memo): kept, they held it, with every view it computed, until
                # VINTAGES_KEPT later evenings had been asked
                for key in [k for k in self._vintages if k[0] != version]:
                    del self._vintages[key]
                ws = Workspace(self.source)
                ws.raw()  # read the store once here, so that threads never race to read it
                self._ctx = ViewContext(ws, version, rules=self.rules)
                self.generated_at = dt.datetime.now(dt.UTC)
            return self._ctx

    def vintage(self, when: dt.date) -> ViewContext:
        """The context of the data as published by the evening of ``when``.

        The last :data:`VINTAGES_KEPT` vintages are kept.

        Raises
        ------
        SpillwatchError
            ``when`` after the newest data or before the 10-year's first value.
        """
        from spillwatch.alerts.backtest.vintage import vintage_workspace

        ctx = self.context()
        key = (ctx.version, when)
        with self._guard:
            hit = self._vintages.get(key)
            if hit is not None:
                self._vintages.move_to_end(key)
                return hit
            # one build per vintage: a scenario run and a view of the same date asked side by
            # side each built a workspace of their own (the store read twice, and the views
            # and the run no longer shared their panels and fits); the locks of an older
            # data version go
            for k in [k for k in self._vintage_locks if k[0] != ctx.version]:
                del self._vintage_locks[k]
            lock = self._vintage_locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                hit = self._vintages.get(key)
                if hit is not None:
                    self._vintages.move_to_end(key)
                    return hit
            out = ViewContext(vintage_workspace(ctx.workspace, when, name="as_of"),
                              ctx.version, as_of=when, rules=ctx.rules)
            with self._guard:
                # kept only while its version is the current one: one whose build was in
                # flight when a new version came (context() let that version's evenings go
                # meanwhile) answers its own requests but would hold the old whole-store
                # workspace until VINTAGES_KEPT later evenings had been asked
                if ctx.version == self._version:
                    self._vintages[key] = out
                while len(self._vintages) > VINTAGES_KEPT:
                    self._vintages.popitem(last=False)
        return out

    def rules_changed(self) -> None:
        """Drop the cached views that replay the alert rules (:data:`RULE_VIEWS`).

        ``spillwatch backtest`` replays the rule file's rules and the API's; the scorecard cached
        per data version kept the rules it was built with, so a rule added through the API was
        in the CLI's scorecard and not in ``/api/backtest`` until the next import (h_verify29).
        """
        with self._guard:
            self._rules_epoch += 1
            for key in [k for k in self._entries if k in RULE_VIEWS]:
                del self._entries[key]
            for key in [k for k in self._dated if k.split("@", 1)[0] in RULE_VIEWS]:
                del self._dated[key]

    def dated(self, key: str, build: Callable[[ViewContext], BaseModel],
              when: dt.date) -> _Entry:
        """The entry of ``key`` on the vintage of ``when`` (the last :data:`DATED_KEPT` kept).

        Built one date at a time: a vintage's panels and fits are shared by its views, and
        two requests for one date compute it once. A kept entry is served without waiting,
        and another date's build does not wait either (one lock for every date held a cached
        answer 4.5 s behind an unrelated date's build, and queued five dates one after the
        other).
        """
        full = f"{key}@{when.isoformat()}"
        version = self.data_version()
        with self._guard:
            entry = self._dated.get(full)
            if entry is not None and entry.version == version:
                self._dated.move_to_end(full)
                return entry
            # a date's lock lives while requests of that date are inside (counted below):
            # dropped by the last one out, never under a request that holds it or is about to
            # take it (a clean-up of unlocked ones past 52 dates could drop a lock another
            # thread had fetched and not yet taken, and a third then built the date beside it)
            lock = self._dated_locks.setdefault(when, threading.Lock())
            # the first request of a date takes a slot and builds; the others asking that
            # date meanwhile (a client asking its views side by side) wait for it without a
            # slot of their own, up to MAX_DATE_WAITERS
            inside = self._date_inside.get(when, 0)
            if inside > MAX_DATE_WAITERS:
                retry = max(1, math.ceil(self._one_off.mean_s))
                raise Busy(f"busy: {MAX_DATE_WAITERS} requests already wait for the views of "
                           f"{when}; retry in {retry} s", retry)
            self._date_inside[when] = inside + 1
        try:
            with (contextlib.nullcontext() if inside else self.one_off_slot(when.isoformat()),
                  lock):
                return self._dated_entry(full, build, when)
        finally:
            with self._guard:
                self._date_inside[when] -= 1
                if not self._date_inside[when]:
                    del self._date_inside[when]
                    del self._dated_locks[when]

    def _dated_entry(self, full: str, build: Callable[[ViewContext], BaseModel],
                     when: dt.date) -> _Entry:
        """Build (or find built meanwhile) the entry ``full``; the date's lock is held."""
        ctx = self.vintage(when)
        with self._guard:
            entry = self._dated.get(full)
            epoch = self._rules_epoch
        if entry is None or entry.version != ctx.version:
            entry = self._build(build, ctx, full)
        with self._guard:
            if full.split("@", 1)[0] in RULE_VIEWS and epoch != self._rules_epoch:
                return entry        # built on the rules before a change: answered, not kept
            self._dated[full] = entry
            self._dated.move_to_end(full)
            while len(self._dated) > DATED_KEPT:
                self._dated.popitem(last=False)
        return entry

    @contextlib.contextmanager
    def one_off_slot(self, turn: str = "") -> Iterator[None]:
        """One of :data:`MAX_ONE_OFF_BUILDS` slots for ``turn``, else :class:`Busy` at once.

        ``turn`` (a date, a view's key) keeps its place in line when refused, and its
        ``Retry-After`` is when a slot is expected to free for it (:mod:`.admission`).
        """
        try:
            ticket = self._one_off.take(turn)
        except Refused as no:
            ahead = (f"; {no.place} earlier request(s) keep their turn" if no.place else "")
            raise Busy(f"busy: {MAX_ONE_OFF_BUILDS} views of other dates or windows are being "
                       f"built{ahead}; retry in {no.retry_after_s} s, this request's turn (the "
                       "standard views are served from the cache meanwhile)",
                       no.retry_after_s) from None
        try:
            yield
        finally:
            self._one_off.give_back(ticket)

    def cached(self, key: str) -> _Entry | None:
        """The cached entry of ``key`` if it is of the current data version."""
        entry = self._entries.get(key)
        if entry is not None and entry.version == self.data_version():
            return entry
        return None

    def peek(self, key: str) -> _Entry | None:
        """The cached entry of ``key`` when the data version is known without asking the store.

        For the event loop (the API's guard and its ``async`` routes), which must never wait:
        :meth:`cached` probes the store every ``refresh_s``, and a probe waits for another
        process's session on the file (an import's, the monitor's) up to the store's timeout;
        on the event loop every request of every client waited with it (a static file took
        4.3 s behind a 6 s session). ``None`` when a probe is due or the entry is of another
        version: the caller then asks :meth:`get` in a worker thread, which probes.
        """
        version = self._version
        if not version or time.monotonic() - self._probed >= self.refresh_s:
            return None
        entry = self._entries.get(key)
        return entry if entry is not None and entry.version == version else None

    def get(self, key: str, build: Callable[[ViewContext], BaseModel],
            keep: bool = True) -> _Entry:
        """Return the entry of ``key``, building it (once, under a per-key lock) if stale.

        ``keep=False`` builds without caching (one-off parameters, so the cache stays bounded).
        """
        entry = self.cached(key)
        if entry is not None:
            return entry
        if not keep:
            with self.one_off_slot(key):
                return self._build(build, self.context())
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            entry = self.cached(key)
            if entry is not None:
                return entry
            epoch = self._rules_epoch
            entry = self._build(build, self.context(), key)
            with self._guard:
                # built on the rules before a change (a rule added meanwhile): answered, not kept
                if key not in RULE_VIEWS or epoch == self._rules_epoch:
                    self._entries[key] = entry
            return entry

    def _build(self, build: Callable[[ViewContext], BaseModel], ctx: ViewContext,
               key: str = "") -> _Entry:
        try:
            with PLOTLY_LOCK:       # plotly's figure objects are not thread-safe
                model = build(ctx)
            if ctx.simulated and "simulated" in type(model).model_fields:
                model = model.model_copy(update={"simulated": True})
            body = model.model_dump_json().encode()
            return _Entry(ctx.version, body=self.scrub(body) if self.scrub else body)
        except Unavailable as exc:
            return _Entry(ctx.version, reason=exc.reason)
        except Exception as exc:
            if isinstance(exc, SpillwatchError):   # the data lack something: one line
                log.warning("view %s failed: %s: %s", key, type(exc).__name__, exc)
                return _Entry(ctx.version, reason=f"not computable on these data: "
                                                  f"{type(exc).__name__}: {exc}")
            log.exception("view %s failed", key)   # a defect: its traceback, in the log only
            return _Entry(ctx.version, reason="could not be computed: an internal error; the "
                                              "server's log has the details")

    def figure(self, name: str) -> _Entry:
        """The entry of figure ``name``."""
        return self.get(f"figure:{name}", lambda ctx: figure_view(ctx, name))

    def data(self, name: str) -> _Entry:
        """The entry of data view ``name``."""
        return self.get(f"data:{name}", DATA[name])

    def warm(self) -> None:
        """Build every view (run in a background thread at start-up) until :meth:`stop`."""
        builds: list[Callable[[], object]] = [
            *(functools.partial(self.data, n) for n in DATA),
            *(functools.partial(self.figure, n) for n in FIGURES)]
        if self._warm_extra is not None:
            builds.append(self._warm_extra)
        for build in builds:
            if self._stopping.is_set():
                return
            build()

    def warm_in_background(self, extra: Callable[[], None] | None = None) -> None:
        """Start :meth:`warm` in a daemon thread unless one is running (``extra`` after it)."""
        if extra is not None:
            self._warm_extra = extra
        with self._guard:
            if self._stopping.is_set() or (self._warming is not None
                                           and self._warming.is_alive()):
                return
            self._warming = threading.Thread(target=self.warm, name="spillwatch-warm",
                                             daemon=True)
            self._warming.start()

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Start no more background builds and wait for the one under way.

        The server calls it at shutdown, before the source is closed: a daemon thread still
        inside DuckDB when the interpreter exits could abort the process (exit 134) instead
        of the clean stop SIGTERM asks for. Returns whether the warm-up thread has ended
        (``False`` after ``timeout_s`` seconds, logged).
        """
        self._stopping.set()
        with self._guard:
            thread = self._warming
        if thread is None or not thread.is_alive():
            return True
        log.info("waiting for the view being built before stopping")
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning("a view was still being built after %.0f s; stopping without it",
                        timeout_s)
            return False
        return True

    def status(self) -> dict[str, schemas.ViewStatus]:
        """Availability of every view.

        With :attr:`background`, the views not built for this data version are ``pending``
        and built in a background thread (``/api/meta`` took 22-28 s after a restart, a new
        day or new data, while it built every view itself); otherwise they are built here.
        """
        out: dict[str, schemas.ViewStatus] = {}
        views = [(f"figure:{n}", f"figure:{n}", n, self.figure) for n in FIGURES] + \
            [(n, f"data:{n}", n, self.data) for n in DATA]
        missing = False
        for label, key, name, build in views:
            e = self.cached(key) if self.background else build(name)
            if e is None:
                missing = True
                out[label] = schemas.ViewStatus(available=True, pending=True)
            else:
                out[label] = schemas.ViewStatus(available=e.body is not None, reason=e.reason)
        if missing:
            self.warm_in_background()
        return out
