"""``spillwatch volatility``, ``spillwatch risk`` and ``spillwatch events``.

Each command runs the service layer's standard setup (the same one the report and the
dashboard use) and prints the result, or its ``to_dict()`` with ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from spillwatch.cli._common import (
    AsOfOpt,
    DataOpt,
    DbOpt,
    DemoOpt,
    JsonOpt,
    asset_keys,
    command,
    console,
    emit,
    parse_as_of,
    vintage,
    workspace,
)
from spillwatch.exceptions import ConfigError, DataError, ModelError
from spillwatch.service import defaults

AssetsOpt = Annotated[str | None, typer.Option(
    "--assets", help="Comma-separated asset keys (default: the standard set); named assets "
                     "must be in the data.")]
StartOpt = Annotated[str | None, typer.Option(
    help=f"First date of the history used (YYYY-MM-DD); default {defaults.RISK_START}, or "
         f"{defaults.RISK_MIN_YEARS} years before the window's end when that is earlier.")]
EndOpt = Annotated[str | None, typer.Option(
    help="Last date (YYYY-MM-DD), every series by observation date (see --as-of).")]


class _NotEstimated:
    """A part of a command's output that could not be computed, and why."""

    def __init__(self, title: str, reason: str) -> None:
        self.title, self.reason = title, reason

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "error": self.reason}

    def __str__(self) -> str:
        return f"{self.title}: not estimated: {self.reason}"


def _show(json_out: bool, parts: dict[str, Any]) -> None:
    """One JSON document of every part with ``--json``; else each part's text summary."""
    if json_out:
        emit({k: v.to_dict() for k, v in parts.items()}, True)
        return
    for v in parts.values():
        console(False).print(str(v), highlight=False)


def register(app: typer.Typer) -> None:
    """Register the volatility, risk and events commands."""

    @app.command()
    @command
    def volatility(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        assets: AssetsOpt = None,
        model: Annotated[str, typer.Option(
            help="auto (GARCH/GJR/EGARCH by BIC), garch, gjr-garch, egarch, or ewma "
                 "(RiskMetrics, fast).")] = defaults.VOL_MODEL,
        horizon: Annotated[int, typer.Option(help="Forecast days.")] = defaults.VOL_HORIZON,
        corr: Annotated[str, typer.Option(
            "--correlation", help="dcc, ewma or none.")] = defaults.CORR_METHOD,
        start: StartOpt = None,
        end: EndOpt = None,
        as_of: AsOfOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Forecast how volatile each asset will be, and how its correlations move."""
        from spillwatch.service import risk as service

        keys = asset_keys(assets)
        if corr not in service.CORR_CHOICES:      # before the fits, not after them
            raise ConfigError(f"unknown --correlation {corr!r}; choose one of: "
                              + ", ".join(repr(m) for m in service.CORR_CHOICES))
        first, hi, when = parse_as_of(start, end, as_of)
        lo: object = first or service.DEFAULT_START
        with workspace(demo, data, db, json_out) as ws:
            if when is not None:
                ws = vintage(ws, when)
            parts: dict[str, Any] = {"volatility": service.volatility(
                ws, assets=keys, model=model, horizon=horizon, start=lo, end=hi)}
            if corr != "none" and (keys is None or len(keys) > 1):   # one asset: nothing
                try:
                    parts["correlation"] = service.correlation(ws, assets=keys, method=corr,
                                                               start=lo, end=hi)
                except (DataError, ModelError) as exc:
                    # the joint fit failing is no reason to withhold each series' own
                    # forecasts (200 days each, 250 together: the command exited 2)
                    parts["correlation"] = _NotEstimated("dynamic correlation", str(exc))
        _show(json_out, parts)

    @app.command()
    @command
    def risk(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        assets: AssetsOpt = None,
        level: Annotated[float, typer.Option(help="VaR confidence level.")] = defaults.VAR_LEVEL,
        methods: Annotated[str, typer.Option(
            help="Comma-separated: historical, fhs, t.")] = ",".join(defaults.VAR_METHODS),
        backtest: Annotated[bool, typer.Option(
            "--backtest/--no-backtest", help="Run the Kupiec/Christoffersen backtest.")] = True,
        q: Annotated[float, typer.Option(help="CoVaR tail level.")] = defaults.COVAR_Q,
        start: StartOpt = None,
        end: EndOpt = None,
        portfolio: Annotated[Path | None, typer.Option(
            help="A book (TOML or CSV, as `scenario --portfolio` reads it): its one-day VaR "
                 "and ES in dollars from its daily P&L over history.")] = None,
        as_of: AsOfOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """VaR/ES (historical, FHS, t) with backtests, and CoVaR given a Treasury sell-off."""
        from spillwatch.service import risk as service

        meths = tuple(m.strip() for m in methods.split(",") if m.strip())
        since, hi, when = parse_as_of(start, end, as_of)
        lo: object = since or service.DEFAULT_START
        with workspace(demo, data, db, json_out) as ws:
            if when is not None:
                ws = vintage(ws, when)
            rep = service.tail_risk(ws, assets=asset_keys(assets), level=level, methods=meths,
                                    backtest=backtest, q=q, start=lo, end=hi,
                                    portfolio=None if portfolio is None else str(portfolio))
        if json_out:
            emit(rep, True)
            return
        console(False).print(str(rep), highlight=False)

    @app.command()
    @command
    def events(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        file: Annotated[Path | None, typer.Option(
            "--file", help="Events TOML (\\[\\[event]] tables with id, date, name); default the "
                           "shipped list.")] = None,
        event: Annotated[list[str] | None, typer.Option(
            "--event", help="Only this event id (repeatable).")] = None,
        assets: AssetsOpt = None,
        before: Annotated[int, typer.Option(help="Event-window days before day 0.")
                          ] = defaults.EVENT_BEFORE,
        after: Annotated[int, typer.Option(help="Event-window days after day 0.")
                         ] = defaults.EVENT_AFTER,
        estimation: Annotated[int, typer.Option(help="Estimation-window days.")
                              ] = defaults.EVENT_ESTIMATION,
        json_out: JsonOpt = False,
    ) -> None:
        """What did each announcement do? Abnormal moves against a market model, with t-stats."""
        from spillwatch.service import events as events_service

        with workspace(demo, data, db, json_out) as ws:
            res = events_service.events(ws, file=file, only=event, assets=asset_keys(assets),
                                        before=before, after=after, estimation=estimation)
        if json_out:
            emit({"summary": events_service.summary(res), **res.to_dict()}, True)
            return
        console(False).print(str(res), highlight=False)
