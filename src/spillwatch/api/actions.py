"""The API's actions beyond the cached views: the panel, scenario runs and the alerts store.

Scenarios run through the service layer (:mod:`spillwatch.service.scenarios`), alert rules and
silences through :class:`spillwatch.alerts.admin.AlertAdmin` — the same code the CLI calls.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from spillwatch import universe
from spillwatch._results import jsonable
from spillwatch.alerts.admin import AlertAdmin, NotFound, RuleConflict
from spillwatch.alerts.facts import compute_facts
from spillwatch.alerts.schema import RuleSpec, SilenceSpec
from spillwatch.api import schemas
from spillwatch.api.views import (
    PLOTLY_LOCK,
    Busy,
    Unavailable,
    ViewContext,
    Views,
    figure_model,
    frame_model,
)
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import ConfigError, ScenarioError, SpillwatchError, StoreError
from spillwatch.scenarios import FALLBACK_HOLDINGS_USD, PRESETS, preset
from spillwatch.scenarios.portfolio import Portfolio
from spillwatch.scenarios.run import default_horizon
from spillwatch.service import health as health_service
from spillwatch.service import risk as risk_service
from spillwatch.service import scenarios as scenario_service

log = logging.getLogger(__name__)

__all__ = ["AlertsBackend", "BadScenario", "NotFound", "RuleConflict", "ScenarioRunner",
           "UnknownPreset",
           "panel_model", "panel_view", "plotly_js", "presets_view"]


class UnknownPreset(NotFound):
    """The scenario preset does not exist (HTTP 404)."""


class BadScenario(Exception):
    """The request names no scenario, or sellers or a book that cannot be built (HTTP 409).

    The body is valid JSON of the right shape; what it asks for is not a scenario.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@functools.cache
def plotly_js() -> bytes:
    """plotly.js as bundled with the installed plotly package (served locally, never a CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


@functools.cache
def plotly_js_gzip() -> bytes:
    """:func:`plotly_js` gzip-compressed, once (4.8 MB sent as about 1.4 MB)."""
    import gzip

    return gzip.compress(plotly_js(), compresslevel=6, mtime=0)


@functools.cache
def plotly_js_etag() -> str:
    """A strong validator of :func:`plotly_js`: the hash of its bytes (RFC 9110, 8.8.3)."""
    import hashlib

    return '"' + hashlib.sha256(plotly_js()).hexdigest()[:32] + '"'


# -- panel ----------------------------------------------------------------------------------------

def panel_model(frame: pd.DataFrame, transform: str, simulated: bool) -> schemas.PanelOut:
    """The panel as a :class:`~spillwatch.api.schemas.PanelOut`."""
    out = frame.copy()
    out.index = [str(d.date()) for d in out.index]
    return schemas.PanelOut(transform=transform, simulated=simulated, frame=frame_model(out))


def panel_frame(ctx: ViewContext, transform: str) -> pd.DataFrame:
    """The watch-list panel of ``transform`` (built once per data version)."""
    ws = ctx.workspace
    try:
        return health_service.panel(ws, transform=transform)
    except SpillwatchError as exc:
        raise Unavailable(exc.message) from None


def panel_view(ctx: ViewContext, transform: str) -> schemas.PanelOut:
    """The whole panel of ``transform`` (cached per data version)."""
    return panel_model(panel_frame(ctx, transform), transform, ctx.simulated)


# -- scenarios ------------------------------------------------------------------------------------

def preset_names(held: dict[str, float] | None = None, label: str = "fallback"
                 ) -> dict[str, str]:
    """Preset name → its label (what it sells, over how long), sized on ``held`` holdings."""
    book = dict(FALLBACK_HOLDINGS_USD) if held is None else held
    return {str(name): str(preset(name, book, label).label()) for name in PRESETS}


def presets_view(ctx: ViewContext) -> schemas.PresetList:
    """The presets the server can run, sized on the holdings a run would use."""
    held, label = scenario_service.holdings(ctx.workspace)
    return schemas.PresetList(presets=[
        schemas.PresetInfo(name=k, description=f"{v} (holdings: {label})")
        for k, v in preset_names(held, label).items()])


def check_book(portfolio: list[schemas.Position], kind: str = "weights") -> None:
    """Each position of a request's book, and no asset twice (aliases resolved).

    Raises
    ------
    BadScenario
        Naming the position by its place in the list (a mapping would have kept only the
        last weight of an asset named twice).
    """
    try:
        if not portfolio:
            scenario_service.book_assets({})
        seen: set[str] = set()
        for i, p in enumerate(portfolio):
            try:        # each position named by its place in the list
                # a zero line is checked for its name only (it holds nothing, as the CLI's
                # file; alone it read "the portfolio is empty" and refused the whole book)
                (key,) = scenario_service.book_assets(Portfolio(
                    {p.asset: p.weight if p.weight else 1.0}, kind=kind))  # type: ignore[arg-type]
            except (ScenarioError, ConfigError) as exc:
                raise BadScenario(f"portfolio[{i}]: {exc.message}") from None
            a = universe.asset_of_series(key)     # binance:BTCUSDT is btc
            # a name without ":" is a scenario asset here: book_assets refused any other
            key = a.key if a is not None else key
            if key in seen:
                raise BadScenario(f"portfolio[{i}]: {key!r} is listed twice (give each "
                                  "asset once, with its whole weight)")
            seen.add(key)
    except (ScenarioError, ConfigError) as exc:
        raise BadScenario(exc.message) from None


def book_risk(views: Views, req: schemas.BookRiskRequest) -> bytes:
    """`risk --portfolio` for a request's book: the JSON body of a CapabilityOut.

    ``summary`` is the risk summary with the book's dollars and the notes; ``detail`` the
    document `spillwatch risk --portfolio FILE --json` prints.

    Raises
    ------
    BadScenario
        A bad position, an asset twice, a date the data cannot support, or a book the data
        cannot price (no day with every position, too short a history).
    """
    check_book(req.portfolio, req.kind)
    try:
        ws = (views.context() if req.as_of is None else views.vintage(req.as_of)).workspace
        book = Portfolio({p.asset: p.weight for p in req.portfolio}, kind=req.kind,
                         name="api")
        rep = risk_service.tail_risk(ws, portfolio=book, level=req.level,
                                     backtest=req.backtest,
                                     end=None if req.as_of is None else req.as_of)
    except StoreError:
        raise                            # the store's fault, not the request's: 503
    except SpillwatchError as exc:       # the request's book or date: the caller can change it
        raise BadScenario(exc.message) from None
    summary = {**rep.summary_dict(), "notes": list(rep.notes)}
    return schemas.CapabilityOut(summary=jsonable(summary), detail=jsonable(rep.to_dict()),
                                 simulated=ws.simulated).model_dump_json().encode()


#: The largest Monte Carlo a request may ask for, in paths times business days of horizon
#: (20,000 paths over a year; 2,000 over ten): 20,000 paths over 2,620 days took 65 s and
#: 2 GB of the server's memory for one request (the CLI has no such limit).
MAX_PATH_DAYS = 20_000 * 260
#: Scenarios run at once; one more is refused as busy (each takes a core and up to a GB).
MAX_RUNS = 2
#: Seconds a busy scenario request is told to wait (``Retry-After``).
RUN_RETRY_S = 60


@contextlib.contextmanager
def _scenario_errors(req: schemas.ScenarioRequest) -> Iterator[None]:
    """A scenario's errors as the API answers them.

    A bad scenario or book: :class:`BadScenario` (409). The store's failure: itself (503, the
    app's handler). Data that cannot support the run: 409 when the request's date or book is
    the cause (the caller can change it), else :class:`Unavailable` (503, "try again later").
    """
    try:
        yield
    except (ScenarioError, ConfigError) as exc:
        raise BadScenario(exc.message) from None
    except StoreError:
        raise
    except SpillwatchError as exc:
        reason = f"the scenario could not be run on these data: {exc}"
        if req.as_of is not None or req.portfolio is not None:
            raise BadScenario(reason) from None
        raise Unavailable(reason) from None


class ScenarioRunner:
    """Run scenarios on the current workspace; keep the last few results (per data version)."""

    def __init__(self, views: Views, *, keep: int = 32) -> None:
        self.views = views
        self.keep = keep
        self._cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._running = 0          # runs holding a slot, under ``_lock``

    def check(self, req: schemas.ScenarioRequest) -> None:
        """Refuse a bad request before any answer starts.

        No scenario or an unknown preset, an asset listed twice in the book, a bad position, an
        own series the store lacks, sellers the holdings cannot support, or more paths times
        days than :data:`MAX_PATH_DAYS`.
        """
        if (req.preset is None) == (not req.sellers):
            raise BadScenario("give either a preset or sellers (e.g. ['japan:100e9:4w'])")
        if req.preset is not None and req.preset not in PRESETS:
            raise UnknownPreset(f"unknown preset {req.preset!r}; choose one of: "
                                + ", ".join(PRESETS))
        if req.portfolio is not None:
            check_book(req.portfolio)
        held = {p.asset: p.weight for p in req.portfolio or () if p.weight}
        if req.portfolio and not held:
            raise BadScenario("the portfolio is empty: every line is zero")
        ws = self.workspace(req)
        with _scenario_errors(req):
            # the model fitted on the day's data, the sellers against the holdings and the
            # book's own series against the store, before any answer starts (a stream sent
            # its 200, then the error); the run reuses the fit
            spec = scenario_service.scenario_spec(ws, name=req.preset,
                                                  sellers=req.sellers or (), method=req.method)
            if held:
                # an asset with no data or too little by as_of is refused here (a BTC book as
                # of 2018-01-10 streamed 200, then the error), on the fit above; an own
                # series' fit with the market is the run's, in a run slot
                scenario_service.check_book(ws, Portfolio(held), method=req.method)
        days = req.horizon or default_horizon(spec)
        if req.paths * days > MAX_PATH_DAYS:
            raise BadScenario(
                f"{req.paths:,} paths over {days:,} business days is {req.paths * days:,} "
                f"path-days, more than this server runs for a request ({MAX_PATH_DAYS:,}: "
                f"{MAX_PATH_DAYS // days:,} paths over {days:,} days); ask fewer paths or a "
                "shorter horizon, or run `spillwatch scenario` yourself")

    def cached(self, req: schemas.ScenarioRequest) -> bool:
        """Whether the result of ``req`` is kept (served without a run)."""
        key = (self.views.context().version, req.model_dump_json())
        with self._lock:
            return key in self._cache

    def busy(self) -> bool:
        """Whether :data:`MAX_RUNS` scenarios are running now."""
        # a count read under the lock: a probe that took a slot and gave it back (as this
        # did) refused, in that instant, a run asking for the last free slot
        with self._lock:
            return self._running >= MAX_RUNS

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """One of :data:`MAX_RUNS` runs, else :class:`Busy` at once (not queued)."""
        with self._lock:
            if self._running >= MAX_RUNS:
                raise Busy(f"busy: {MAX_RUNS} scenarios are running; retry in a minute",
                           retry_after_s=RUN_RETRY_S)
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def workspace(self, req: schemas.ScenarioRequest) -> Any:
        """The current workspace, or its vintage as published by the evening of ``as_of``.

        Raises
        ------
        BadScenario
            ``as_of`` after the newest data or before the 10-year's first value.
        """
        if req.as_of is None:
            return self.views.context().workspace
        # the views' vintage of that date: the check and the run (and the GET views of the
        # same as_of) share its fitted market (each built its own, fitting the model twice)
        try:
            return self.views.vintage(req.as_of).workspace
        except StoreError:
            raise
        except SpillwatchError as exc:
            raise BadScenario(exc.message) from None

    def run(self, req: schemas.ScenarioRequest,
            progress: Callable[[int, int], None] | None = None) -> bytes:
        """Run the request's preset or sellers; the JSON body of :class:`ScenarioOut`.

        Raises
        ------
        UnknownPreset
            The preset does not exist.
        Unavailable
            Neither or both of preset and sellers, or the data cannot support the scenario.
        """
        self.check(req)
        ctx = self.views.context()
        key = (ctx.version, req.model_dump_json())
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        with self.slot():
            return self._run(req, key, progress)

    def _run(self, req: schemas.ScenarioRequest, key: tuple[Any, ...],
             progress: Callable[[int, int], None] | None) -> bytes:
        ws = self.workspace(req)
        with _scenario_errors(req):
            spec = scenario_service.scenario_spec(ws, name=req.preset,
                                                  sellers=req.sellers or (), method=req.method)
            book = ({p.asset: p.weight for p in req.portfolio} if req.portfolio is not None
                    else None)          # [] is an empty book (an error), not the default
            opts: dict[str, Any] = {"paths": req.paths, "seed": req.seed, "portfolio": book,
                                    "method": req.method, "band": req.band,
                                    "horizon": req.horizon}
            result = scenario_service.run(ws, spec, progress=progress, **opts)
            # the first seller alone over the same days, as the CLI's --alone
            lone = (scenario_service.alone(ws, spec, result, **opts) if req.alone
                    else None)
        pnl = result.portfolio()
        headline = {"ust10y_bp_median": float(result.quantiles("ust10y", (0.5,)).iloc[0]),
                    "horizon_bdays": int(result.horizon),
                    "sold_usd_bn": result.scenario.total_usd / 1e9,
                    "book_gross_usd": pnl.portfolio.gross_usd,
                    # the default book without the assets the data cannot carry by then (the
                    # CLI's book_note and the report's line: "$800,000" said nothing of why)
                    "book_note": (scenario_service.default_book_note(ws, method=req.method)
                                  if book is None else None),
                    "book_var99_usd": float(pnl.var(0.99)),
                    "book_var99_ci95_usd": list(pnl.var_interval(0.99)),
                    "book_es99_usd": float(pnl.es(0.99)),
                    # positions simulated beyond their history: the VaR is no measured risk
                    "book_caveat": scenario_service.book_caveat(result),
                    # what the book's lines rest on (a forward's points, the bonds' coupons,
                    # lines of constant volatility): the sentences under the CLI's VaR
                    "book_notes": scenario_service.book_notes(result),
                    "probabilities": {str(k): float(v)
                                      for k, v in result.probabilities.items()},
                    # what each event counts: a close past the level within N days
                    "probabilities_note": scenario_service.PROBABILITY_NOTE,
                    # each one's Monte Carlo standard error (the CLI prints it beside)
                    "probabilities_se": {str(k): float(v)
                                         for k, v in result.probabilities_se.items()},
                    # the state the paths start from, and what not to read literally (the
                    # CLI's text says both; the API's headline said neither)
                    "as_of": result.market.info.get("as_of"),
                    "stale": list(result.market.info.get("stale") or []),
                    "book_last_dates": scenario_service.book_last_dates(
                        result.market, pnl.portfolio.positions),
                    "warnings": result.warnings(),
                    # a series that starts the dependence's sample after the shock's
                    "sample_note": scenario_service.joint_start(result),
                    # the impact signs the identification imposes (under the CLI's table)
                    "assumed_signs": scenario_service.assumed_signs(result)}
        doc = result.to_dict()
        side = scenario_service.side_by_side_dict(result, lone)
        if side is not None:        # the first seller alone beside all, as the CLI's --json
            doc["side_by_side"] = side
        with PLOTLY_LOCK:
            fan = figure_model(result.plot("fan"))
        body = schemas.ScenarioOut(
            preset=req.preset or "custom", label=spec.label(), paths=req.paths, seed=req.seed,
            headline=jsonable(headline), table=frame_model(result.display_table()),
            result=jsonable(doc), figure=fan, simulated=ws.simulated,
        ).model_dump_json().encode()
        with self._lock:
            self._cache[key] = body
            while len(self._cache) > self.keep:
                self._cache.popitem(last=False)
        return body


# -- alerts ---------------------------------------------------------------------------------------

class AlertsBackend:
    """The API's alert endpoints over :class:`~spillwatch.alerts.admin.AlertAdmin`.

    Parameters
    ----------
    source : MarketSource
    evaluate : bool
        Evaluate the rules once per data version (the demo market has no monitor running, so
        the server evaluates them itself to fill the alerts list).
    rules_path : path, optional
        The rule file the monitor runs (default ``$SPILLWATCH_RULES``, else the packaged
        rules); read now, so that a bad file stops the server before it serves.
    """

    def __init__(self, source: MarketSource, *, evaluate: bool = False,
                 rules_path: str | Path | None = None) -> None:
        self.source = source
        self.admin = AlertAdmin(source.store, rules_path)
        self.admin.ruleset()
        self.evaluate = evaluate
        self._evaluated: str | None = None
        self._lock = threading.Lock()

    def rules(self) -> bytes:
        """Every rule, marked ``file`` or ``api``."""
        return json.dumps({"rules": jsonable(self.admin.rules())}).encode()

    def add_rule(self, rule: RuleSpec) -> bytes:
        """Add a rule (or replace an API rule of the same name)."""
        item = self.admin.add_rule(rule)
        with self._lock:
            self._evaluated = None
        log.info("rule %s added through the API", rule.name)
        return schemas.Created(id=rule.name, item=jsonable(item)).model_dump_json().encode()

    def delete_rule(self, rule_id: str) -> bytes:
        """Delete an API rule."""
        self.admin.delete_rule(rule_id)
        return schemas.Deleted(id=rule_id, deleted=True).model_dump_json().encode()

    def silences(self) -> bytes:
        """Silences that have not expired."""
        frame = self.admin.silences()
        rows = frame.to_dict(orient="records") if len(frame) else []
        for r in rows:
            r["matchers"] = json.loads(r.get("matchers") or "{}")
            _utc(r, ("created_at", "expires_at"))
        return json.dumps({"silences": jsonable(rows)}).encode()

    def add_silence(self, silence: SilenceSpec) -> bytes:
        """Silence a rule (and/or labels) for a while."""
        item = self.admin.add_silence(silence, created_by="api")
        return schemas.Created(id=item["id"], item=jsonable(item)).model_dump_json().encode()

    def delete_silence(self, silence_id: str) -> bytes:
        """End a silence now."""
        self.admin.expire_silence(silence_id)
        return schemas.Deleted(id=silence_id, deleted=True).model_dump_json().encode()

    def alerts(self, ctx: ViewContext | None = None) -> bytes:
        """Alert states (pending, firing, resolved), the most recently changed first."""
        if self.evaluate and ctx is not None:
            with self._lock:
                if self._evaluated != ctx.version:
                    self.admin.evaluate(compute_facts(ctx.workspace))
                    self._evaluated = ctx.version
        doc = self.admin.alert_docs()
        for a in doc["alerts"]:
            _utc(a, ("since", "fired_at", "resolved_at", "last_eval"))
        _utc(doc, ("evaluated_at",))
        if ctx is not None and ctx.simulated:    # the alerts' values are the demo market's
            doc["simulated"] = True
        return json.dumps(jsonable(doc)).encode()


def _utc(row: dict[str, Any], keys: Sequence[str]) -> None:
    """Give the store's naive UTC times of ``row`` their zone (ISO 8601 with ``+00:00``).

    The store keeps naive UTC; served bare, JavaScript's ``Date.parse`` reads them as local
    time (a silence's expiry five hours off in New York), while the POST that made it said "Z".
    """
    for k in keys:
        v = row.get(k)
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            continue
        t = pd.Timestamp(v)
        row[k] = (t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")).isoformat()
