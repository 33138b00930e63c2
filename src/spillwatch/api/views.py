"""The dashboard's views: one small provider function per view, cached per data version.

A provider takes a :class:`ViewContext` (the report's
:class:`~spillwatch.report.context.ReportContext` plus a memo shared by the providers) and returns
a pydantic model from :mod:`spillwatch.api.schemas`.
Figures come from the same functions as the HTML report (``spillwatch.plotting.*``), so the
page and ``spillwatch report`` always draw the same thing.

A capability that is not installed yet (its module does not import), or that cannot be computed
on the data at hand, raises :class:`Unavailable`: the API answers 503 with the reason and the page
shows "not available". The outcome of each provider — the JSON bytes or the reason — is cached
until the store's data change (:meth:`Views.data_version`), so a cached read costs one dict
lookup.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd
from pydantic import BaseModel

from spillwatch._results import jsonable
from spillwatch.api import schemas
from spillwatch.data.source import MarketSource
from spillwatch.report.context import ReportContext

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """A view that cannot be served: its capability is missing or failed on these data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def capability(module: str, what: str) -> ModuleType:
    """Import a capability's module or raise :class:`Unavailable` naming what is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(f"{what}: not available in this build ({exc})") from None


@dataclass
class ViewContext:
    """What the providers read: the report context of the current data version."""

    report: ReportContext
    version: str
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @property
    def simulated(self) -> bool:
        """Whether the data are the simulated demo market."""
        return self.report.simulated

    def memo(self, key: str, fn: Callable[[], Any]) -> Any:
        """Compute ``fn()`` once per data version, even when several threads ask at once.

        The value lives in the report context's cache, so report sections can reuse it.
        """
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self.report.cache:
                self.report.cache[key] = fn()
            return self.report.cache[key]


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


# -- shared computations (memoised per data version) -------------------------------------------

def stress_result(ctx: ViewContext) -> Any:
    """The stress result, computed as the report's stress section does (and shared with it)."""
    section = capability("spillwatch.report.sections.stress", "the stress index")
    res = ctx.memo("stress", lambda: section.stress_result(ctx.report))
    if res is None:
        raise Unavailable("the stress index needs the 10-year yield, which the store lacks")
    return res


def sell_america_days(ctx: ViewContext) -> pd.Series | None:
    """Days flagged 'sell America', or ``None`` when the stress monitor is not available."""
    try:
        days = stress_result(ctx).sell_america_days
    except Unavailable:
        return None
    ctx.report.cache.setdefault("sell_america_days", days)
    return days


def spillover_rolling(ctx: ViewContext) -> Any:
    """Rolling connectedness, computed as the report's spillover section does (and shared)."""
    import warnings

    section = capability("spillwatch.report.sections.spillover", "spillover (connectedness)")
    from spillwatch.exceptions import SpillwatchWarning

    def run() -> Any:
        with warnings.catch_warnings():
            # windows with a singular design are NaN with a reason in roll.failures
            warnings.simplefilter("ignore", SpillwatchWarning)
            return section.compute(ctx.report)

    roll = ctx.memo("spillover_rolling", run)
    if roll is None:
        raise Unavailable("spillover needs yields, the dollar and crypto, which the store lacks")
    return roll


def spillover_latest(ctx: ViewContext) -> Any:
    """The connectedness table of the latest rolling window."""
    return ctx.memo("spillover_latest", lambda: spillover_rolling(ctx).at())


# -- figure providers ----------------------------------------------------------------------------

def _fig_yield_curve(ctx: ViewContext) -> Any:
    from spillwatch.plotting import market

    if ctx.report.levels.empty:
        raise Unavailable("no yield data in the store")
    return market.yield_curve(ctx.report.levels, simulated=ctx.simulated)


def _fig_yield_dollar(ctx: ViewContext) -> Any:
    from spillwatch.plotting import market

    if ctx.report.levels.empty:
        raise Unavailable("no yield or dollar data in the store")
    return market.yield_vs_dollar(ctx.report.levels, simulated=ctx.simulated,
                                  shade=sell_america_days(ctx))


def _fig_crypto(ctx: ViewContext) -> Any:
    from spillwatch.plotting import market

    if ctx.report.levels.empty:
        raise Unavailable("no crypto data in the store")
    return market.crypto(ctx.report.levels, simulated=ctx.simulated)


def _stress_figures() -> ModuleType:
    return capability("spillwatch.plotting.stress", "the stress figures")


def _fig_stress_gauge(ctx: ViewContext) -> Any:
    from spillwatch.plotting.gauge import stress_gauge

    return stress_gauge(stress_result(ctx), simulated=ctx.simulated)


def _fig_stress_history(ctx: ViewContext) -> Any:
    figs = _stress_figures()
    return figs.stress_index(stress_result(ctx), simulated=ctx.simulated)


def _fig_stress_contributions(ctx: ViewContext) -> Any:
    figs = _stress_figures()
    return figs.contributions(stress_result(ctx), simulated=ctx.simulated)


def _spillover_figures() -> ModuleType:
    return capability("spillwatch.plotting.spillover", "the spillover figures")


def _fig_spillover_net(ctx: ViewContext) -> Any:
    figs = _spillover_figures()
    return figs.headline_figure(spillover_rolling(ctx), simulated=ctx.simulated)


def _fig_spillover_network(ctx: ViewContext) -> Any:
    figs = _spillover_figures()
    return figs.network_figure(spillover_latest(ctx), simulated=ctx.simulated)


@dataclass(frozen=True)
class FigureView:
    """A dashboard figure: its title and the provider that draws it."""

    title: str
    draw: Callable[[ViewContext], Any]


#: Every dashboard figure, in page order.
FIGURES: dict[str, FigureView] = {
    "stress_gauge": FigureView("Stress gauge and regime", _fig_stress_gauge),
    "stress_history": FigureView("Stress index and regimes", _fig_stress_history),
    "stress_contributions": FigureView("What drives the stress index",
                                       _fig_stress_contributions),
    "yield_dollar": FigureView("10-year yield against the broad dollar", _fig_yield_dollar),
    "yield_curve": FigureView("Treasury yield curve: now, a week and a month ago",
                              _fig_yield_curve),
    "crypto": FigureView("Crypto: BTC, ETH and TRUMP", _fig_crypto),
    "spillover_net": FigureView("Net spillover, rates + dollar → crypto",
                                _fig_spillover_net),
    "spillover_network": FigureView("Spillover network", _fig_spillover_network),
}


def figure_view(ctx: ViewContext, name: str) -> schemas.FigureOut:
    """Draw one figure of :data:`FIGURES`."""
    view = FIGURES[name]
    return schemas.FigureOut(name=name, title=view.title, figure=figure_model(view.draw(ctx)))


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
    """The latest stress reading and the last ``days`` of the index and its sub-indices."""
    mod = capability("spillwatch.analytics.stress", "the stress index")
    res = stress_result(ctx)
    cols = [*mod.HEAD_COLUMNS, *mod.SUBINDEX_COLUMNS]
    return schemas.StressOut(latest=schemas.StressLatest.model_validate(res.latest()),
                             history=frame_model(_dated(_last_days(res.valid[cols], days))))


def signals_view(ctx: ViewContext, days: int = DEFAULT_DAYS) -> schemas.SignalsOut:
    """Today's signals with traffic lights, their last ``days`` of history, the signature."""
    mod = capability("spillwatch.analytics.stress", "the stress index")
    res = stress_result(ctx)
    latest = res.latest()
    sig = res.signature.astype(str)
    counts = {str(k): int(v) for k, v in sig.value_counts().items()}
    history = _last_days(res.frame[[mod.SIGNATURE, *mod.SIGNAL_COLUMNS]], days)
    return schemas.SignalsOut(date=latest["date"], signature=latest["signature"],
                              table=frame_model(res.signals_table()), counts=counts,
                              history=frame_model(_dated(history)))


def spillover_view(ctx: ViewContext) -> schemas.SpilloverOut:
    """The latest window's DY table, TCI and NET, and the rolling net rates + dollar → crypto."""
    roll = spillover_rolling(ctx)
    res = spillover_latest(ctx)
    blocks = roll.blocks()
    rolling_net: schemas.Frame | None = None
    if {"rates_dollar", "crypto"} <= set(blocks.names):
        head = pd.Series(blocks.headline, name="net_rates_dollar_to_crypto").dropna()
        rolling_net = frame_model(_dated(head.to_frame()))
    tci = float(res.tci)
    return schemas.SpilloverOut(
        date=str(res.date.date()) if res.date is not None else None,
        window=int(roll.window) if roll.window else None,
        tci=tci if pd.notna(tci) else None, table=frame_model(res.table()),
        net={str(k): (float(v) if pd.notna(v) else None) for k, v in res.net.items()},
        rolling_net=rolling_net)


def series_view(ctx: ViewContext) -> schemas.SeriesList:
    """Every stored series with its health."""
    health = ctx.report.health
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
    "stress": stress_view,
    "signals": signals_view,
    "spillover": spillover_view,
    "series": series_view,
}


# -- the cache -------------------------------------------------------------------------------------

@dataclass
class _Entry:
    version: str
    body: bytes | None = None
    reason: str | None = None
    gzipped: bytes | None = None

    def __post_init__(self) -> None:
        # compressed once per data version, so a client that accepts gzip gets it for free
        if self.body is not None and len(self.body) > 1024:
            self.gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)


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
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def _probe(self) -> str:
        frame = self.source.store.query(
            "SELECT (SELECT count(*) FROM observations) AS n, "
            "(SELECT max(ts) FROM observations) AS last_ts, "
            "(SELECT count(*) FROM revisions) AS r")
        row = frame.iloc[0]
        last = pd.Timestamp(row["last_ts"]).value if pd.notna(row["last_ts"]) else 0
        return f"{int(row['n'])}-{last}-{int(row['r'])}"

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
        """The view context of the current data version (a new report context on change)."""
        version = self.data_version()
        with self._guard:
            if self._ctx is None or self._ctx.version != version:
                report = ReportContext(self.source)
                # touch the shared panels once here, so that threads never race to build them
                _ = report.levels, report.changes
                self._ctx = ViewContext(report, version)
                self.generated_at = report.generated_at
            return self._ctx

    def cached(self, key: str) -> _Entry | None:
        """The cached entry of ``key`` if it is of the current data version."""
        entry = self._entries.get(key)
        if entry is not None and entry.version == self.data_version():
            return entry
        return None

    def get(self, key: str, build: Callable[[ViewContext], BaseModel],
            keep: bool = True) -> _Entry:
        """Return the entry of ``key``, building it (once, under a per-key lock) if stale.

        ``keep=False`` builds without caching (one-off parameters, so the cache stays bounded).
        """
        entry = self.cached(key)
        if entry is not None:
            return entry
        if not keep:
            return self._build(build, self.context())
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            entry = self.cached(key)
            if entry is not None:
                return entry
            entry = self._build(build, self.context(), key)
            self._entries[key] = entry
            return entry

    @staticmethod
    def _build(build: Callable[[ViewContext], BaseModel], ctx: ViewContext,
               key: str = "") -> _Entry:
        try:
            return _Entry(ctx.version, body=build(ctx).model_dump_json().encode())
        except Unavailable as exc:
            return _Entry(ctx.version, reason=exc.reason)
        except Exception as exc:
            log.exception("view %s failed", key)
            return _Entry(ctx.version, reason=f"could not be computed: "
                                              f"{type(exc).__name__}: {exc}")

    def figure(self, name: str) -> _Entry:
        """The entry of figure ``name``."""
        return self.get(f"figure:{name}", lambda ctx: figure_view(ctx, name))

    def data(self, name: str) -> _Entry:
        """The entry of data view ``name``."""
        return self.get(f"data:{name}", DATA[name])

    def warm(self) -> None:
        """Build every view (run in a background thread at start-up)."""
        for name in DATA:
            self.data(name)
        for name in FIGURES:
            self.figure(name)

    def status(self) -> dict[str, schemas.ViewStatus]:
        """Availability of every view (builds those not built yet)."""
        out: dict[str, schemas.ViewStatus] = {}
        for name in FIGURES:
            e = self.figure(name)
            out[f"figure:{name}"] = schemas.ViewStatus(available=e.body is not None,
                                                       reason=e.reason)
        for name in DATA:
            e = self.data(name)
            out[name] = schemas.ViewStatus(available=e.body is not None, reason=e.reason)
        return out
