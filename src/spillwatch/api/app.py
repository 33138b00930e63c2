"""The FastAPI app: the dashboard page at ``/`` and the JSON API under ``/api/``.

Reads are open and served from a per-data-version cache (:mod:`spillwatch.api.views`); writes
(alert rules, silences, running a scenario) need the bearer token (:mod:`spillwatch.api.auth`).
A guard in front of the router (:mod:`spillwatch.api.limits`) checks the Host header against
the trusted hosts, refuses writes without the token before anything else, limits request size,
per-client rates (separate budgets with and without the token) and the time a body may take,
and marks every response ``nosniff``. CORS is closed unless origins are given. Every response
code an operation can return is declared in the OpenAPI spec at ``/openapi.json``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path as PathLib
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from spillwatch import universe
from spillwatch._version import __version__
from spillwatch.alerts.admin import NotFound, RuleConflict
from spillwatch.alerts.schema import RuleSpec, SilenceSpec
from spillwatch.api import actions, schemas
from spillwatch.api import views as views_mod
from spillwatch.api.auth import WRITE_METHODS, resolve_token, token_matches
from spillwatch.api.limits import (
    ACCEPTS_GZIP,
    DEFAULT_BODY_TIMEOUT_S,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_READ_LIMIT,
    DEFAULT_TOKEN_READ_LIMIT,
    DEFAULT_TOKEN_WRITE_LIMIT,
    DEFAULT_TRUSTED_HOSTS,
    DEFAULT_WRITE_LIMIT,
    ApiGuard,
    ClientResolver,
    RateLimit,
    accepts_gzip,
)
from spillwatch.api.strict_json import StrictJSONRoute
from spillwatch.api.terms import api_terms
from spillwatch.api.views import FIGURES, Busy, Unavailable, Views
from spillwatch.config import settings
from spillwatch.data.source import MarketSource, open_source
from spillwatch.exceptions import ConfigError, DataError, SpillwatchError, StoreError
from spillwatch.service import health as health_service

log = logging.getLogger(__name__)

_DESCRIPTIONS = {
    400: "Malformed request, or a Host header that is not one of the trusted hosts.",
    401: "Missing or wrong bearer token.",
    404: "No such item.",
    408: "The request body did not arrive in time; the connection is closed.",
    409: "The request is well formed but cannot be done on these data or this state; the "
         "reason is in 'detail'.",
    413: "Request body too large.",
    429: "Rate limit exceeded; retry after the Retry-After header's seconds.",
    414: "Query string too long (over 4 KiB).",
    431: "Request headers too large.",
    503: "This view cannot be computed on the latest data (e.g. a store with no 10-year yield; "
         "a past `as_of` the data cannot support is a 409), the store is "
         "unavailable, or the server is busy with other dates' views or other scenarios "
         "('busy: …', with Retry-After); the reason is in 'detail'.",
}


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


#: A date given as YYYY-MM-DD only (pydantic alone would also take '0' as 1970-01-01).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


#: Calendar days of history of the stress and signals views.
Days = Annotated[int, Query(ge=0, le=36_500, description=(
    "Calendar days of history (0: all of it); the default is served from the cache."))]
AsOf = Annotated[IsoDate | None, Query(description=(
    "Replay: the view as it stood on the evening of this date (YYYY-MM-DD), on the data as "
    "published by then (the CLI's --as-of); 409 after the newest data or before the 10-year's "
    "first value."))]


#: What a 409 means on each kind of path (one text for all listed every path's reasons).
CONFLICT = {
    "as_of": "An `as_of` after the newest data, or before the 10-year's first value, or one "
             "whose data cannot support the view (none of its assets published by then, "
             "e.g. no crypto before 2017 for the spillover figures).",
    "window": "A window whose start is after its end, or an `as_of` after the newest data.",
    "spillover": "An `as_of` after the newest data or before the 10-year's first value, an "
                 "asset listed twice, or assets the data cannot support together (too few "
                 "common days for the window).",
    "panel": "A window whose start is after its end, or a column listed twice.",
    "scenario": "A request with no scenario, or sellers or a book that cannot be built (an "
                "asset listed twice, one the data hold nothing of by `as_of`), or an `as_of` "
                "after the newest data.",
    "book": "A book that cannot be built (an asset listed twice, one the data hold nothing "
            "of), or an `as_of` after the newest data.",
    "rule": "A rule that would make the rule set invalid (the rules parser says why) or whose "
            "name the rule file holds.",
    "rule_named": "Another rule names it in `inhibited_by` (edit or delete that rule first).",
    "silence": "An empty or zero-length silence, or one no rule can match.",
    "ended": "The silence has already ended.",
}


def _codes(*codes: int, conflict: str | None = None) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {}
    # the guard middleware may answer any request 400 (foreign Host, bad Content-Length), 408
    # (slow body), 413, 414 (long query string), 429 or 431
    for code in sorted({*codes, 400, 408, 413, 414, 429, 431}):
        entry: dict[str, Any] = {"model": schemas.Problem, "description": _DESCRIPTIONS[code]}
        if code == 409 and conflict is not None:
            entry["description"] = f"{_DESCRIPTIONS[code]} {CONFLICT[conflict]}"
        if code in (429, 503):
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                "description": "Seconds to wait (503: when "
                                                "busy or the store is unavailable)."
                                                if code == 503 else "Seconds to wait."}}
        if code == 401:
            entry["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"},
                                                     "description": "Bearer"}}
        out[code] = entry
    return out


FigureName = enum.StrEnum("FigureName", {k: k for k in FIGURES})  # type: ignore[misc]

_STATIC = {
    "dashboard.js": "text/javascript; charset=utf-8",
    "dashboard.css": "text/css; charset=utf-8",
}
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
_PAGE_HEADERS = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}


_bearer = HTTPBearer(auto_error=False, description="The server's token ($SPILLWATCH_TOKEN, or "
                     "the one printed when it started).")


def require_token(
        request: Request,
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Refuse a write without the right bearer token (401).

    The guard middleware already refused it before the body was read; this dependency declares
    the security scheme in OpenAPI and checks again (defence in depth).
    """
    if creds is None or not token_matches(creds.credentials, request.app.state.token):
        raise HTTPException(401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


#: The scenario endpoint's 200: JSON, or NDJSON events with ``stream=true``.
_STREAM_200: dict[int | str, dict[str, Any]] = {200: {
    "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    "description": "The scenario (JSON), or with stream=true its progress events and result "
                   "(newline-delimited JSON)."}}


def reject_unknown_query(request: Request) -> None:
    """Refuse a query parameter the endpoint does not take, or one given twice.

    Silently ignoring ``?day=30`` (for ``days``) would serve a default the caller did not ask
    for (400 naming it and the valid ones); ``?days=30&days=0`` asks two things (400).
    """
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    if not getattr(route, "path", "").startswith("/api/"):
        # the page and its files: a link pasted with ?utm_source=slack got a 400 in JSON
        return
    spec = request.app.openapi()  # built once, then cached by FastAPI
    ops = spec.get("paths", {}).get(getattr(route, "path", ""), {})
    # this method's operation only: GET /api/scenarios took POST's ?stream=banana (a HEAD is
    # answered by the GET route)
    method = request.method.lower()
    op = ops.get("get" if method == "head" else method)
    allowed = {p["name"] for p in (op.get("parameters", []) if isinstance(op, dict) else [])
               if p.get("in") == "query"}
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "no query parameters"
        raise HTTPException(400, detail=f"unknown query parameter(s) {', '.join(unknown)}; "
                                        f"{request.url.path} takes: {takes}")
    # every parameter takes one value: FastAPI would read the last of ?days=30&days=0 and
    # answer 200 to a request that asked two things
    counts = Counter(k for k, _ in request.query_params.multi_items())
    twice = sorted(k for k, n in counts.items() if n > 1)
    if twice:
        raise HTTPException(400, detail=f"query parameter(s) {', '.join(twice)} given more "
                                        "than once; each takes one value")


#: What a caller reads of a defect (its traceback goes to the server's log).
INTERNAL_ERROR = "internal server error; the server's log has the details"


def _path_forms(store_path: object) -> tuple[set[str], str] | None:
    """A store file's path as given, absolute and resolved, and its name (None: in memory)."""
    text = str(store_path or "")
    if not text or text.startswith(":"):
        return None
    path = PathLib(text)
    return {text, str(path.absolute()), str(path.resolve())}, path.name




def operation_params(spec: dict[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """Each operation's parameter and JSON body field names, from the OpenAPI document."""
    schemas = spec.get("components", {}).get("schemas", {})
    out: dict[tuple[str, str], frozenset[str]] = {}
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            names = {p["name"] for p in op.get("parameters", [])}
            body = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
                    .get("schema", {}))
            ref = str(body.get("$ref", "")).rsplit("/", 1)[-1]
            names |= set(schemas.get(ref, {}).get("properties", {}))
            out[(path, method.upper())] = frozenset(names)
    return out


def public_text(store_path: object) -> Callable[[str], str]:
    """A function that writes a store file's path, in a text, as the file's name alone.

    The path as given, absolute and resolved (symbolic links followed), longest first; an
    in-memory store has no path to hide.

    >>> public = public_text("/srv/desk/real.duckdb")
    >>> public("no series 'x' in store /srv/desk/real.duckdb")
    "no series 'x' in store real.duckdb"
    """
    found = _path_forms(store_path)
    if found is None:
        return lambda s: s
    forms, name = sorted(found[0], key=len, reverse=True), found[1]

    def public(s: str) -> str:
        for form in forms:
            s = s.replace(form, name)
        return s

    return public


def public_bytes(store_path: object) -> Callable[[bytes], bytes]:
    r""":func:`public_text` on a JSON body: the path as written, and as JSON escapes it.

    A view's notes name the data as the CLI does ("store /srv/desk/real.duckdb as published
    by 2023-03-13"): 200 answers carried the server's folders that its errors hide.

    >>> public_bytes("/srv/desk/real.duckdb")(b'{"notes": ["store /srv/desk/real.duckdb"]}')
    b'{"notes": ["store real.duckdb"]}'
    >>> public_bytes('/srv/é"q/real.duckdb')('["store /srv/é\\"q/real.duckdb"]'.encode())
    b'["store real.duckdb"]'
    """
    found = _path_forms(store_path)
    if found is None:
        return lambda b: b
    forms, name = found
    # as written, and as JSON writes it with its escapes (\" and \\), its non-ASCII letters
    # either raw (pydantic) or as \u escapes (json.dumps)
    pairs = sorted({(f.encode(), name.encode()) for f in forms}
                   | {(json.dumps(f, ensure_ascii=a)[1:-1].encode(),
                       json.dumps(name, ensure_ascii=a)[1:-1].encode())
                      for f in forms for a in (True, False)},
                   key=lambda p: len(p[0]), reverse=True)

    def public(body: bytes) -> bytes:
        for form, name in pairs:
            if form in body:
                body = body.replace(form, name)
        return body

    return public


def _json_response(body: bytes, status: int = 200, packed: bytes | None = None) -> Response:
    """JSON ``body``, or its gzip ``packed`` when given and the request takes gzip."""
    coded = packed is not None and ACCEPTS_GZIP.get()
    response = Response(content=packed if coded else body, status_code=status,
                        media_type="application/json",
                        headers={"Cache-Control": "no-cache", "Vary": "Accept-Encoding"})
    if coded:
        response.headers["Content-Encoding"] = "gzip"
    return response


def create_app(source: object = "demo", *, token: str | None = None,
               cors_origins: Sequence[str] = (),
               max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               read_limit: RateLimit | None = DEFAULT_READ_LIMIT,
               write_limit: RateLimit | None = DEFAULT_WRITE_LIMIT,
               token_read_limit: RateLimit | None = DEFAULT_TOKEN_READ_LIMIT,
               token_write_limit: RateLimit | None = DEFAULT_TOKEN_WRITE_LIMIT,
               trusted_hosts: Sequence[str] = DEFAULT_TRUSTED_HOSTS,
               trusted_proxies: Sequence[str] = (),
               forwarded_header: str = "x-forwarded-for",
               body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S,
               refresh_s: float = 30.0, warm: bool = True,
               evaluate_alerts: bool | None = None, page_refresh_s: float = 30.0,
               rules_path: str | os.PathLike[str] | None = None) -> FastAPI:
    """Build the dashboard and API app.

    Parameters
    ----------
    source : MarketSource, "demo", path or Store
        Market data (see :func:`spillwatch.data.source.open_source`). A source opened here is
        closed when the app shuts down; a :class:`MarketSource` passed in stays open.
    token : str, optional
        Bearer token for writes; default ``$SPILLWATCH_TOKEN``, else a generated one
        (``app.state.token``, ``app.state.token_generated``).
    cors_origins : sequence of str
        Origins allowed to call the API from a browser; empty (the default) keeps CORS closed.
    max_body_bytes : int
        Largest request body accepted (413 above it).
    read_limit, write_limit : RateLimit or None
        Per-client token-bucket limits of requests without the token (429 beyond them);
        ``None`` disables one.
    token_read_limit, token_write_limit : RateLimit or None
        The same for requests with the token: a budget of their own, which anonymous requests
        cannot spend.
    trusted_hosts : sequence of str
        Host names served (``localhost``, ``127.0.0.1``, ``::1`` by default; ``*.example.org``
        for subdomains, ``*`` for any); another Host header gets 400.
    trusted_proxies : sequence of str
        Addresses or networks of reverse proxies whose ``forwarded_header`` names the client;
        none by default, so rate limits key on the connection's peer address.
    forwarded_header : {"x-forwarded-for", "forwarded"}
        The header the trusted proxies set.
    body_timeout_s : float
        Seconds a request body may take to arrive (408 and the connection closed beyond).
    refresh_s : float
        How often the server checks whether the store's data changed.
    warm : bool
        Build every view in a background thread at start-up.
    page_refresh_s : float
        How often the page polls ``/api/meta`` and redraws when the data version changed.
    evaluate_alerts : bool, optional
        Evaluate the alert rules once per data version (default: on the demo market only, where
        no monitor runs; elsewhere ``spillwatch monitor`` evaluates them).
    rules_path : path, optional
        The monitor's rule file (``serve --rules``; default ``$SPILLWATCH_RULES``, else the
        packaged rules): the rules the API lists, evaluates, lets a user silence and replays
        in ``/api/backtest``.

    Returns
    -------
    fastapi.FastAPI
    """
    # checked now, not at the first request (Starlette builds the middleware lazily)
    ClientResolver(tuple(trusted_proxies), forwarded_header)
    if not (body_timeout_s > 0 and math.isfinite(body_timeout_s)):
        raise ConfigError(f"body_timeout_s must be a positive number, got {body_timeout_s!r}")
    src = source if isinstance(source, MarketSource) else open_source(source)
    owned = not isinstance(source, MarketSource)
    # what a caller reads names the store by its file only: the server's folders are nobody
    # else's business (a 404 for an unknown series gave "store /srv/desk/data/real.duckdb")
    # the rule file's too (``serve --rules``, else $SPILLWATCH_RULES), which the scorecard's
    # settings name: /api/backtest gave "/srv/desk/rules/desk.toml" (h_verify29)
    chosen = rules_path if rules_path is not None else settings().rules
    rule_file = None if chosen is None else PathLib(chosen).expanduser()
    public_store, public_rules = public_text(src.store.path), public_text(rule_file)
    scrub_store, scrub_rules = public_bytes(src.store.path), public_bytes(rule_file)

    def public(text: str) -> str:
        return public_rules(public_store(text))

    def scrub(body: bytes) -> bytes:
        return scrub_rules(scrub_store(body))

    def _json(body: bytes, status: int = 200) -> Response:
        body = scrub(body)
        # a window of the panel or of a series, built per request (454 KB whole, 194 KB
        # compressed): compressed as the cached views are
        take = status == 200 and ACCEPTS_GZIP.get()
        return _json_response(body, status, views_mod.gzipped(body) if take else None)

    def _served(entry: Any) -> Response:
        if entry.body is None:
            raise HTTPException(503, detail=entry.reason or "not available")
        # scrubbed and compressed when the view was built (a view with a query string passes
        # the guard's fast path, which sent only query-less reads compressed)
        return _json_response(entry.body, packed=entry.gzipped)

    secret, generated = resolve_token(token)
    views = Views(src, refresh_s=refresh_s, background=warm, scrub=scrub,
                  rules=None if rules_path is None else PathLib(rules_path))
    runner = actions.ScenarioRunner(views)
    alerts = actions.AlertsBackend(src, evaluate=src.simulated if evaluate_alerts is None
                                   else evaluate_alerts,
                                   rules_path=None if rules_path is None else PathLib(rules_path))
    ctx_of = views.context

    def warm_extra() -> None:
        views.get("data:presets", actions.presets_view)
        views.get("panel:changes", lambda c: actions.panel_view(c, "changes"))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:   # and again on each new data version (Views.status)
            views.warm_in_background(warm_extra)
        try:
            yield
        finally:
            # also when the shutdown is forced (Ctrl-C twice: uvicorn skips the lifespan's
            # shutdown and cancels it): the warm-up ends its view before the source closes
            # under it, else the process could abort (exit 134) after "stopped cleanly"
            views.stop()
            if owned:
                src.close()

    # no /docs or /redoc: FastAPI serves their JavaScript from a CDN, and nothing here may load
    # from outside the server; the spec itself is at /openapi.json
    app = FastAPI(
        title="spillwatch", version=__version__, lifespan=lifespan, docs_url=None,
        redoc_url=None, dependencies=[Depends(reject_unknown_query)],
        description="Treasury and dollar stress, its spillover into crypto, and sell-off "
                    "scenarios. Reads are open; writes need `Authorization: Bearer <token>`.",
    )
    # a body naming a key twice is refused, not read last-wins (strict_json)
    app.router.route_class = StrictJSONRoute
    app.state.token = secret
    app.state.token_generated = generated
    app.state.views = views
    app.state.runner = runner
    app.state.source = src

    Writer = Depends(require_token)

    # -- the page ---------------------------------------------------------------------------
    page = resources.files("spillwatch.api").joinpath("static/index.html").read_bytes()

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page, headers=_PAGE_HEADERS)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js(request: Request) -> Response:
        # 4.8 MB on every dashboard load a day apart: gzip when the browser takes it (about
        # 1.4 MB), and a 304 when it revalidates the copy it has
        packed = accepts_gzip(request.headers.get("accept-encoding"))
        # each coding its own strong validator (RFC 9110, 8.8.3: the gzip body is other bytes)
        etag = actions.plotly_js_etag()
        if packed:
            etag = etag[:-1] + '-gzip"'
        headers = {"Cache-Control": "public, max-age=86400", "ETag": etag,
                   "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
        # If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" matches "x"
        sent = {t.strip().removeprefix("W/") for t in
                request.headers.get("if-none-match", "").split(",")}
        if etag in sent or "*" in sent:
            return Response(status_code=304, headers=headers)
        body = actions.plotly_js_gzip() if packed else actions.plotly_js()
        if packed:
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:
            raise HTTPException(404, detail=f"no static file {name!r}")
        body = resources.files("spillwatch.api").joinpath(f"static/{name}").read_bytes()
        return Response(body, media_type=_STATIC[name],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    # -- reads ------------------------------------------------------------------------------
    @app.get("/api/meta", response_model=schemas.Meta, responses=_codes(), tags=["meta"])
    async def meta() -> Response:
        """The source, the data version and the availability of every view."""
        status = {k: v.model_copy(update={"reason": public(v.reason)}) if v.reason else v
                  for k, v in (await run_in_threadpool(views.status)).items()}
        presets = (views.peek("data:presets") if views.background else
                   await run_in_threadpool(views.get, "data:presets", actions.presets_view))
        status["scenarios"] = (schemas.ViewStatus(available=True, pending=True)
                               if presets is None else
                               schemas.ViewStatus(available=presets.body is not None,
                                                  reason=presets.reason))
        status["alerts"] = schemas.ViewStatus(available=True)
        ctx = await run_in_threadpool(views.context)
        as_of = await run_in_threadpool(ctx.workspace.memo, "as_of",
                                        lambda: health_service.as_of(ctx.workspace))
        first, last = await run_in_threadpool(ctx.workspace.memo, "evenings",
                                              lambda: health_service.evenings(ctx.workspace))
        body = schemas.Meta(
            version=__version__, source=public(src.label), simulated=src.simulated,
            as_of=str(as_of.date()) if as_of is not None else None,
            first_evening=None if first is None else str(first.date()),
            last_evening=None if last is None else str(last.date()),
            data_version=ctx.version, generated_at=views.generated_at.isoformat(),
            refresh_seconds=page_refresh_s, views=status)
        return _json(body.model_dump_json().encode())

    @app.get("/api/series", response_model=schemas.SeriesList, responses=_codes(503),
             tags=["data"])
    async def series() -> Response:
        """Every stored series with its first and last point and health counts."""
        return _served(views.peek("data:series") or
                       await run_in_threadpool(views.data, "series"))

    async def _asset_spec(ctx: Any, asset: str) -> Any:
        """The asset of ``asset`` (a standard key or a series of the user's), else a 404."""
        spec = universe.ASSETS.get(asset)
        if spec is None and ":" in asset:
            # a series of the user's, as `data panel --asset csv:MYFUND` reads it (the path
            # refused every id with a colon)
            try:
                spec = await run_in_threadpool(ctx.workspace.user_asset, asset)
            except DataError as exc:
                raise HTTPException(404, detail=exc.message) from None
        if spec is None:
            raise HTTPException(404, detail=f"unknown asset {asset!r}; choose one of: "
                                + ", ".join(sorted(universe.ASSETS)) + ", or the id of a "
                                "series of your own (e.g. 'csv:MYFUND')")
        return spec

    @app.get("/api/series/{asset}", response_model=schemas.AssetSeries,
             responses=_codes(404, 409, 503, conflict="window"), tags=["data"])
    async def asset_series(
            asset: Annotated[str, Path(pattern=r"^[^/\x00-\x1f]{1,128}$",
                                       description="Asset key, e.g. 'ust10y', 'btc', or the "
                                       "id of a series of your own, e.g. 'csv:MYFUND'.")],
            start: IsoDate | None = None,
            end: IsoDate | None = None,
    ) -> Response:
        """Level and daily change of one asset (units in the column names)."""
        ctx = await run_in_threadpool(views.context)
        spec = await _asset_spec(ctx, asset)
        lv_col, ch_col = spec.level_column, spec.change_column
        if asset not in ctx.workspace.have([asset]):
            raise HTTPException(404, detail=f"no data for {asset!r} in {src.label}")
        _in_order(start, end)
        # the asset's columns on the watch-list panel's calendar (as /api/panel and `data
        # panel --asset` give them; a one-asset panel kept BTC's US holidays as days of their
        # own), from its first value to its last; any asset of the store, not the watch list's
        # only (ust7y was "no data" with 14,739 rows stored)

        def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
            ws = ctx.workspace
            return (health_service.panel(ws, [asset], transform="levels", start=start, end=end),
                    health_service.panel(ws, [asset], transform="changes", start=start,
                                         end=end))

        try:
            lv, ch = await run_in_threadpool(frames)
        except DataError as exc:    # an empty window: the CLI's error and /api/panel's 404
            raise HTTPException(404, detail=exc.message) from None
        except SpillwatchError as exc:
            raise HTTPException(503, detail=exc.message) from None
        frame = pd.DataFrame({"level": lv.get(lv_col), "change": ch.get(ch_col)})
        # the series' own dates (crypto's weekend closes too), up to the end asked for
        own = ctx.workspace.series_of(asset)
        own = own.dropna() if own is not None else None
        if own is not None and end is not None:
            own = own.loc[:pd.Timestamp(end)]
        body = schemas.AssetSeries(
            asset=asset, level_column=lv_col, change_column=ch_col,
            dates=[str(d.date()) for d in frame.index],
            level=[_num(v) for v in frame["level"]], change=[_num(v) for v in frame["change"]],
            last_observation=(str(own.index[-1].date()) if own is not None and len(own)
                              else None),
            simulated=ctx.simulated)
        return _json(body.model_dump_json().encode())

    @app.get("/api/panel", response_model=schemas.PanelOut,
             responses=_codes(404, 409, conflict="panel"),
             tags=["data"])
    async def panel(
            transform: Literal["changes", "levels"] = "changes",
            start: IsoDate | None = None,
            end: IsoDate | None = None,
            columns: Annotated[str | None, Query(
                pattern=r"^[a-z0-9_]{1,40}(,[a-z0-9_]{1,40}){0,39}$",
                description="Comma-separated panel columns (default all).")] = None,
    ) -> Response:
        """The aligned daily panel of the watch list."""
        if start is None and end is None and columns is None:
            entry = views.peek(f"panel:{transform}") or await run_in_threadpool(
                views.get, f"panel:{transform}", lambda c: actions.panel_view(c, transform))
            return _served(entry)
        ctx = await run_in_threadpool(views.context)
        try:
            frame = await run_in_threadpool(actions.panel_frame, ctx, transform)
        except Unavailable as exc:
            raise HTTPException(503, detail=exc.reason) from None
        if columns is not None:
            wanted = columns.split(",")
            twice = sorted(c for c, n in Counter(wanted).items() if n > 1)
            if twice:       # the column came back twice, under one name (well formed: 409)
                raise HTTPException(409, detail=f"column(s) {', '.join(twice)} listed more "
                                                "than once; give each once")
            missing = [c for c in wanted if c not in frame]
            if missing:
                raise HTTPException(404, detail=f"no column(s) {', '.join(missing)}; the panel "
                                    f"has: {', '.join(frame.columns)}")
            frame = frame[wanted]
        part = _window(frame, start, end)
        try:   # an empty window is the CLI's error too, not an empty 200
            health_service.require_dates(part, frame, start, end)
        except DataError as exc:
            raise HTTPException(404, detail=exc.message) from None
        body = actions.panel_model(part, transform, src.simulated)
        return _json(body.model_dump_json().encode())

    async def _dated_view(name: str, when: dt.date, build: Any) -> Response:
        try:
            entry = await run_in_threadpool(views.dated, f"data:{name}", build, when)
        except StoreError:
            raise                   # the store's fault, not the date's: 503 (store_error)
        except SpillwatchError as exc:
            raise HTTPException(409, detail=exc.message) from None
        if entry.body is None and not (entry.reason or "").startswith("could not be computed"):
            # the data of that date cannot support the view (risk before 2018, one series
            # too short): the caller's date, a 409 as the scenario's, not a 503 "try later"
            raise HTTPException(409, detail=f"as_of {when}: {entry.reason}")
        return _served(entry)

    async def _data_view(name: str, when: dt.date | None) -> Response:
        if when is not None:
            return await _dated_view(name, when, views_mod.DATA[name])
        return _served(views.peek(f"data:{name}")
                       or await run_in_threadpool(views.data, name))

    async def _history_view(name: str, days: int, when: dt.date | None) -> Response:
        build = views_mod.HISTORY[name]
        if when is not None:
            return await _dated_view(f"{name}:{days}", when, lambda c: build(c, days))
        if days == views_mod.DEFAULT_DAYS:
            return _served(views.peek(f"data:{name}")
                           or await run_in_threadpool(views.data, name))
        entry = await run_in_threadpool(views.get, f"data:{name}:{days}",
                                        lambda c: build(c, days), False)
        return _served(entry)

    @app.get("/api/stress", response_model=schemas.StressOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def stress(days: Days = views_mod.DEFAULT_DAYS, as_of: AsOf = None) -> Response:
        """The composite stress index: the latest reading and its history."""
        return await _history_view("stress", days, as_of)

    @app.get("/api/signals", response_model=schemas.SignalsOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def signals(days: Days = views_mod.DEFAULT_DAYS, as_of: AsOf = None) -> Response:
        """Today's signals with traffic lights, their history, the yield–dollar signature."""
        return await _history_view("signals", days, as_of)

    @app.get("/api/spillover", response_model=schemas.SpilloverOut,
             responses=_codes(404, 409, 503, conflict="spillover"), tags=["views"])
    async def spillover(
            as_of: AsOf = None,
            assets: Annotated[str | None, Query(
                pattern=rf"^{_ASSET_NAME}(,{_ASSET_NAME}){{1,19}}$",
                description="Comma-separated asset keys, 2 to 20 (the CLI's --assets): e.g. "
                "'ust10y,usd_broad,btc,trump', or a series of your own ('csv:MYFUND'). Default "
                "the standard setup, served from the cache.")] = None,
    ) -> Response:
        """Diebold–Yilmaz connectedness and the rolling net spillover into crypto."""
        if assets is None:
            return await _data_view("spillover", as_of)
        keys = tuple(k.strip() for k in assets.split(","))   # as the CLI reads --assets
        if not all(keys):
            # a blank name: ' , ' answered 409 "asset(s)  listed more than once" and
            # 'btc,eth, ' 404 "unknown asset ''"; unreadable, as assets='' is (422)
            raise RequestValidationError([{"type": "string_pattern_mismatch",
                                           "loc": ("query", "assets"), "msg": "a blank name",
                                           "input": assets}])
        twice = sorted(k for k, n in Counter(keys).items() if n > 1)
        if twice:
            raise HTTPException(409, detail=f"asset(s) {', '.join(twice)} listed more than "
                                            "once; give each once")
        ctx = await run_in_threadpool(views.context)
        for key in keys:
            await _asset_spec(ctx, key)

        def build(c: Any) -> Any:
            return views_mod.spillover_view(c, keys)

        if as_of is not None:
            return await _dated_view(f"spillover:{assets}", as_of, build)
        entry = await run_in_threadpool(views.get, f"data:spillover:{assets}", build, False)
        if entry.body is None and not (entry.reason or "").startswith("could not be computed"):
            # the assets asked for cannot support it (too short together): the caller's
            # choice, a 409 as a date's, not a 503 "try later"
            raise HTTPException(409, detail=f"assets {assets}: {entry.reason}")
        return _served(entry)

    @app.get("/api/summary", response_model=schemas.CapabilityOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def summary(as_of: AsOf = None) -> Response:
        """The headline: each input's last report, stress, spillover, the worst scenario VaR.

        With ``as_of``, the headline of ``spillwatch run --as-of``: the data as published by
        that evening, each input's freshness judged on it.
        """
        if as_of is not None:
            return await _dated_view("summary", as_of,
                                     views_mod.replayed(views_mod.summary_view))
        return _served(views.peek("data:summary")
                       or await run_in_threadpool(views.data, "summary"))

    @app.get("/api/demand", response_model=schemas.CapabilityOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def demand(as_of: AsOf = None) -> Response:
        """Who is selling Treasuries: the foreign-demand gauge, its attribution, the evidence."""
        return await _data_view("demand", as_of)

    @app.get("/api/risk", response_model=schemas.CapabilityOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def risk(as_of: AsOf = None) -> Response:
        """Volatility forecasts, VaR/ES with backtests and CoVaR (the standard setup)."""
        return await _data_view("risk", as_of)

    @app.get("/api/events", response_model=schemas.CapabilityOut, responses=_codes(503),
             tags=["views"])
    async def events() -> Response:
        """Cumulative abnormal moves around the shipped events."""
        return _served(views.peek("data:events")
                       or await run_in_threadpool(views.data, "events"))

    @app.get("/api/health", response_model=schemas.CapabilityOut, responses=_codes(503),
             tags=["data"])
    async def health() -> Response:
        """Data health counts and the latest level of each headline asset with its date."""
        return _served(views.peek("data:health")
                       or await run_in_threadpool(views.data, "health"))

    @app.get("/api/scenarios/summary", response_model=schemas.CapabilityOut,
             responses=_codes(503), tags=["scenarios"])
    async def scenarios_summary() -> Response:
        """Every preset on the default book: amount sold, impact, the book's VaR/ES."""
        return _served(views.peek("lazy:scenarios/summary")
                       or await run_in_threadpool(views.get, "lazy:scenarios/summary",
                                                  views_mod.LAZY["scenarios/summary"]))

    @app.get("/api/backtest", response_model=schemas.CapabilityOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def backtest(as_of: AsOf = None) -> Response:
        """The early-warning scorecard: the monitor replayed over history, scored.

        Scored against dated episodes and the official stress indices; computed on the first
        request, then cached per data version. With ``as_of``, the scorecard of ``spillwatch
        run --as-of``'s report: the replay to that evening on the data published by then,
        episodes still open then not scored, later ones not listed.
        """
        if as_of is not None:
            return await _dated_view("backtest", as_of,
                                     views_mod.replayed(views_mod.backtest_view))
        return _served(views.peek("lazy:backtest")
                       or await run_in_threadpool(views.get, "lazy:backtest",
                                                  views_mod.LAZY["backtest"]))

    @app.get("/api/figures/{name}", response_model=schemas.FigureOut,
             responses=_codes(409, 503, conflict="as_of"), tags=["views"])
    async def figure(name: FigureName,  # type: ignore[valid-type]
                     as_of: AsOf = None) -> Response:
        """One dashboard figure as plotly JSON (the same figure the report draws).

        With ``as_of``, the figure of ``spillwatch run --as-of``'s report: the dashboard of
        a past evening.
        """
        key = str(name.value)
        if as_of is not None:
            return await _dated_view(f"figure:{key}", as_of, views_mod.replayed(
                lambda c: views_mod.figure_view(c, key)))
        return _served(views.peek(f"figure:{key}")
                       or await run_in_threadpool(views.figure, key))

    @app.get("/api/scenarios", response_model=schemas.PresetList, responses=_codes(503),
             tags=["scenarios"])
    async def scenarios() -> Response:
        """The scenario presets the server can run."""
        return _served(views.peek("data:presets")
                       or await run_in_threadpool(views.get, "data:presets",
                                                  actions.presets_view))

    @app.get("/api/alerts", response_model=schemas.AlertsOut, responses=_codes(503),
             tags=["alerts"])
    async def alerts_list() -> Response:
        """Alert states, newest first."""
        ctx = await run_in_threadpool(ctx_of)
        return _json(await _call(alerts.alerts, ctx))

    @app.get("/api/alerts/rules", response_model=schemas.RulesOut, responses=_codes(503),
             tags=["alerts"])
    async def rules_list() -> Response:
        """Alert rules."""
        return _json(await _call(alerts.rules))

    @app.get("/api/alerts/silences", response_model=schemas.SilencesOut,
             responses=_codes(503), tags=["alerts"])
    async def silences_list() -> Response:
        """Silences."""
        return _json(await _call(alerts.silences))

    # -- writes -----------------------------------------------------------------------------
    write_codes = _codes(401, 503)

    @app.post("/api/scenarios", response_model=schemas.ScenarioOut,
              responses={**write_codes, **_codes(404, 409, conflict="scenario"), **_STREAM_200},
              tags=["scenarios"],
              dependencies=[Writer])
    async def run_scenario(req: schemas.ScenarioRequest, stream: Annotated[bool, Query(
            description="Answer with newline-delimited JSON: progress events "
                        "{'event': 'progress', 'done', 'total'} while the Monte Carlo runs, "
                        "then {'event': 'result', 'result': <the ScenarioOut>}.")] = False
                           ) -> Response:
        """Run a preset or custom sellers by Monte Carlo; the headline, table and fan chart."""
        try:
            await run_in_threadpool(runner.check, req)
        except actions.UnknownPreset as exc:
            raise HTTPException(404, detail=str(exc)) from None
        except actions.BadScenario as exc:
            raise HTTPException(409, detail=exc.reason) from None
        except Unavailable as exc:
            raise HTTPException(503, detail=exc.reason) from None
        if stream:
            if runner.busy() and not await run_in_threadpool(runner.cached, req):  # before the 200
                raise Busy(f"busy: {actions.MAX_RUNS} scenarios are running; retry in a "
                           "minute", retry_after_s=actions.RUN_RETRY_S)
            return StreamingResponse(_scenario_events(runner, req, public, scrub),
                                     media_type="application/x-ndjson",
                                     headers={"Cache-Control": "no-cache"})
        try:
            body = await run_in_threadpool(runner.run, req)
        except actions.UnknownPreset as exc:
            raise HTTPException(404, detail=str(exc)) from None
        except actions.BadScenario as exc:
            raise HTTPException(409, detail=exc.reason) from None
        except Unavailable as exc:
            raise HTTPException(503, detail=exc.reason) from None
        return _json(body)

    @app.post("/api/risk/portfolio", response_model=schemas.CapabilityOut,
              responses={**write_codes, **_codes(409, conflict="book")}, tags=["views"],
              dependencies=[Writer])
    async def risk_portfolio(req: schemas.BookRiskRequest) -> Response:
        """A book's one-day VaR and ES in dollars from its P&L over history (`risk --portfolio`)."""
        try:
            body = await run_in_threadpool(actions.book_risk, views, req)
        except actions.BadScenario as exc:
            raise HTTPException(409, detail=exc.reason) from None
        except Unavailable as exc:
            raise HTTPException(503, detail=exc.reason) from None
        return _json(body)

    @app.post("/api/alerts/rules", response_model=schemas.Created, status_code=201,
              responses={**write_codes, **_codes(409, conflict="rule")}, tags=["alerts"],
              dependencies=[Writer])
    async def rules_add(rule: RuleSpec) -> Response:
        """Add an alert rule, or replace the API rule of that name (the item's `replaced`)."""
        body = await _call(alerts.add_rule, rule)
        views.rules_changed()       # the scorecard replays the API's rules too
        return _json(body, 201)

    @app.delete("/api/alerts/rules/{rule_id}", response_model=schemas.Deleted,
                responses={**write_codes, **_codes(404, 409, conflict="rule_named")},
                tags=["alerts"],
                dependencies=[Writer])
    async def rules_delete(rule_id: Annotated[str, Path(max_length=64)]) -> Response:
        """Delete an alert rule."""
        body = await _call(alerts.delete_rule, rule_id)
        views.rules_changed()
        return _json(body)

    @app.post("/api/alerts/silences", response_model=schemas.Created, status_code=201,
              responses={**write_codes, **_codes(404, 409, conflict="silence")}, tags=["alerts"],
              dependencies=[Writer])
    async def silences_add(silence: SilenceSpec) -> Response:
        """Add a silence."""
        return _json(await _call(alerts.add_silence, silence), 201)

    @app.delete("/api/alerts/silences/{silence_id}", response_model=schemas.Deleted,
                responses={**write_codes, **_codes(404, 409, conflict="ended")}, tags=["alerts"],
                dependencies=[Writer])
    async def silences_delete(silence_id: Annotated[str, Path(max_length=64)]) -> Response:
        """End a silence."""
        return _json(await _call(alerts.delete_silence, silence_id))

    method_routes = [r for r in app.routes if isinstance(r, Route) and r.methods]

    def sent_by(request: Request) -> set[str]:
        # what the caller wrote, echoed in a message: left as written
        words = {w for k, v in request.query_params.multi_items()
                 for w in (k, *v.split(","))}
        return words | set(request.url.path.split("/"))

    def params_of(request: Request) -> frozenset[str]:
        route = request.scope.get("route")
        if not hasattr(app.state, "operation_params"):
            app.state.operation_params = operation_params(app.openapi())
        return app.state.operation_params.get(
            (getattr(route, "path", request.url.path), request.method), frozenset())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # one path may have several routes (GET and POST /api/scenarios): list them all
            allowed = sorted({m for r in method_routes if r.path_regex.match(request.url.path)
                              for m in r.methods or ()})
            headers["Allow"] = ", ".join(allowed)
        detail = public(exc.detail) if isinstance(exc.detail, str) else exc.detail
        if isinstance(detail, str):
            # "give a --start": the service's words for the command line (the API took none);
            # a 503 of the latest data too (/api/spillover on a store of bitcoin alone said
            # "Name the assets (--assets)" where its 409 of a past evening said "(assets)")
            detail = api_terms(detail, params_of(request), sent_by(request))
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Exception) -> Response:
        # too many one-off builds or scenario runs at once: refused, not queued, so the
        # other routes keep their worker threads
        return JSONResponse({"detail": getattr(exc, "reason", str(exc))}, status_code=503,
                            headers={"Retry-After": str(getattr(exc, "retry_after_s", 5))})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own handler echoes each bad input back; a NaN or Infinity (which Python's
        # JSON reader accepts) cannot be written as JSON, so it crashed into a 500. Echo such
        # numbers as text.
        return JSONResponse({"detail": _json_safe(_hinted(jsonable_encoder(exc.errors())))},
                            status_code=422)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: Exception) -> Response:
        # the store moved, deleted, damaged or busy past the wait: said, as a 503 (it was a
        # bare 500 whose reason only the server's log had)
        log.error("store unavailable: %s", exc)
        return JSONResponse({"detail": public(getattr(exc, "message", str(exc)))},
                            status_code=503,
                            headers={"Retry-After": "30"})

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette answers a crash outside every middleware (uvicorn logs the traceback), so
        # the guard cannot mark this response: it carries its own nosniff
        return JSONResponse({"detail": INTERNAL_ERROR},
                            status_code=500, headers={"X-Content-Type-Options": "nosniff"})

    # -- middleware -------------------------------------------------------------------------
    write_routes = [r for r in method_routes if set(r.methods or ()) & WRITE_METHODS]

    def is_write(method: str, path: str) -> bool:
        return method in WRITE_METHODS and any(
            method in (r.methods or ()) and r.path_regex.match(path) for r in write_routes)

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins),
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    fast = {f"/api/{name}": f"data:{name}" for name in views_mod.DATA}
    fast |= {f"/api/figures/{name}": f"figure:{name}" for name in FIGURES}
    fast |= {"/api/panel": "panel:changes", "/api/scenarios": "data:presets"}

    def cached_body(path: str) -> tuple[bytes, bytes | None] | None:
        # on the event loop: never asks the store (a probe due here waited for another
        # process's session, and every request of every client waited with it)
        key = fast.get(path)
        entry = views.peek(key) if key is not None else None
        if entry is None or entry.body is None:
            return None
        return entry.body, entry.gzipped

    app.add_middleware(ApiGuard, token=secret, max_body_bytes=max_body_bytes,
                       read_limit=read_limit, write_limit=write_limit,
                       token_read_limit=token_read_limit, token_write_limit=token_write_limit,
                       is_write=is_write, cached=cached_body, trusted_hosts=tuple(trusted_hosts),
                       trusted_proxies=tuple(trusted_proxies),
                       forwarded_header=forwarded_header, body_timeout_s=body_timeout_s)
    return app


async def _scenario_events(runner: Any, req: schemas.ScenarioRequest,
                           public: Callable[[str], str] = str,
                           scrub: Callable[[bytes], bytes] = bytes) -> AsyncIterator[bytes]:
    """Progress events while a scenario runs in a worker thread, then its result (NDJSON)."""
    import asyncio
    import json as _json_mod

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def progress(done: int, total: int) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, ("progress", (done, total)))

    def work() -> None:
        try:
            body = runner.run(req, progress)
        except (actions.UnknownPreset, actions.BadScenario, Unavailable, Busy,
                StoreError) as exc:
            reason = getattr(exc, "reason", None) or getattr(exc, "message", None) or str(exc)
            loop.call_soon_threadsafe(queue.put_nowait, ("error", public(reason)))
        except Exception:  # reported as an event: the stream has already begun
            log.exception("scenario stream failed")     # a defect: its traceback, in the log
            loop.call_soon_threadsafe(queue.put_nowait, ("error", INTERNAL_ERROR))
        else:
            loop.call_soon_threadsafe(queue.put_nowait, ("result", body))

    task = loop.run_in_executor(None, work)
    while True:
        kind, payload = await queue.get()
        if kind == "progress":
            yield (_json_mod.dumps({"event": "progress", "done": payload[0],
                                    "total": payload[1]}) + "\n").encode()
            continue
        if kind == "error":
            yield (_json_mod.dumps({"event": "error", "detail": payload}) + "\n").encode()
        else:
            yield b'{"event": "result", "result": ' + scrub(payload) + b"}\n"
        break
    await task


#: The blanks ``str.isspace`` calls so among the characters a name may hold (not the controls).
_BLANK = r"\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: One name of ``/api/spillover``'s ``assets``: up to 128 characters after its leading blanks
#: (the handler strips them, as the CLI does), the first of them not blank. The schema allowed a
#: name of blanks ("\x85", " "), which the handler read as no name and refused (422): a request
#: the schema called valid was rejected (schemathesis, ST202). Each character has one place in
#: the match (the blanks before the first other one, that one, the rest), so a client's
#: backtracking engine refuses a list in linear time: with the first other character allowed
#: anywhere in a name, Python's ``re`` took 19.6 s to refuse ten names and a bad one (h_mut30).
_ASSET_NAME = (rf"[{_BLANK}]{{0,64}}[^,/\x00-\x20{_BLANK[4:]}][^,/\x00-\x1f]{{0,127}}")

#: What a field refused by its pattern should look like: pydantic's message quoted the regular
#: expression ("String should match pattern '^[A-Za-z_]{2,20}:\\$?…'"), which the dashboard
#: printed as the scenario's error.
_PATTERN_HINTS: dict[str, str] = {
    "sellers": "write COUNTRY:AMOUNT[:WEEKSw][@STARTw], e.g. japan:100e9:4w, japan:100bn:2.5w "
               "or china:10%:8w@2w",
    "preset": "a preset name in lower case (GET /api/scenarios lists them)",
    "method": "t-copula or fhs",
    "asset": "an asset name such as btc or ust10y, or a series id of your own such as csv:MYFUND",
    "assets": "2 to 20 comma-separated asset names or series ids, e.g. ust10y,usd_broad,btc",
    "columns": "comma-separated panel columns in lower case, e.g. ust10y_bp,btc_pct",
}


def _hinted(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pattern mismatch of a known field says what to write (the regex stays in ``ctx``)."""
    out = []
    for e in errors:
        field = next((str(p) for p in reversed(e.get("loc") or []) if isinstance(p, str)), "")
        hint = _PATTERN_HINTS.get(field)
        if e.get("type") == "string_pattern_mismatch" and hint:
            e = {**e, "msg": f"{field}: cannot read {e.get('input')!r}; {hint}"}
        out.append(e)
    return out


def _json_safe(value: Any) -> Any:
    """``value`` (JSON-ready but for floats) with non-finite floats as text (``"nan"``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


async def _call(fn: Any, *args: Any) -> bytes:
    try:
        return await run_in_threadpool(fn, *args)
    except NotFound as exc:
        raise HTTPException(404, detail=exc.message) from None
    except RuleConflict as exc:
        raise HTTPException(409, detail=exc.message) from None
    except ConfigError as exc:
        raise HTTPException(409, detail=exc.message) from None
    except Unavailable as exc:
        raise HTTPException(503, detail=exc.reason) from None


def _in_order(start: dt.date | None, end: dt.date | None) -> None:
    # an end before the start is schema-valid (OpenAPI cannot relate two parameters) but not a
    # window: refused as the CLI refuses it, not answered with an empty one
    if start is not None and end is not None and start > end:
        raise HTTPException(409, detail=f"start {start} is after end {end}")


def _window(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    _in_order(start, end)
    lo = pd.Timestamp(start) if start else None
    hi = pd.Timestamp(end) if end else None
    return frame.loc[lo:hi]


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)
