"""``spillwatch volatility``, ``spillwatch risk`` and ``spillwatch events``.

Each command loads the panel from the shared source options, calls the core function, then
prints the result (rich) or its ``to_dict()`` with ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from spillwatch.cli._common import (
    DataOpt,
    DbOpt,
    DemoOpt,
    JsonOpt,
    command,
    console,
    emit,
    market,
)

DEFAULT_ASSETS = "ust10y,usd_broad,spx,btc,eth,trump"

AssetsOpt = Annotated[str, typer.Option(
    "--assets", help="Comma-separated asset keys (see `spillwatch.universe`); those the source "
                     "lacks are skipped unless named explicitly.")]
StartOpt = Annotated[str | None, typer.Option(
    help="First date of the history used (YYYY-MM-DD).")]
EndOpt = Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")]


def _panel(src: Any, assets: str, start: str | None, end: str | None) -> Any:
    from spillwatch.data.panel import resolve_sources

    keys = [k.strip() for k in assets.split(",") if k.strip()]
    explicit = assets != DEFAULT_ASSETS
    have = list(resolve_sources(src.store, keys, explicit=explicit))
    return src.panel(assets=have, start=start, end=end)


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
        assets: AssetsOpt = DEFAULT_ASSETS,
        model: Annotated[str, typer.Option(
            help="ewma (RiskMetrics, fast), auto (GARCH/GJR/EGARCH by BIC), garch, gjr-garch, "
                 "egarch.")] = "ewma",
        horizon: Annotated[int, typer.Option(help="Forecast days.")] = 10,
        corr: Annotated[str, typer.Option(
            "--correlation", help="dcc, ewma or none.")] = "dcc",
        start: StartOpt = "2015-01-01",
        end: EndOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Forecast how volatile each asset will be, and how its correlations move."""
        from spillwatch.analytics.volatility import correlation
        from spillwatch.analytics.volatility import volatility as fit_vol

        with market(demo, data, db, json_out) as src:
            panel = _panel(src, assets, start, end)
        parts: dict[str, Any] = {"volatility": fit_vol(panel, model=model, horizon=horizon)}
        if corr != "none":
            parts["correlation"] = correlation(panel, method=corr)
        _show(json_out, parts)

    @app.command()
    @command
    def risk(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        assets: AssetsOpt = "btc,eth,trump",
        level: Annotated[float, typer.Option(help="VaR confidence level.")] = 0.99,
        methods: Annotated[str, typer.Option(
            help="Comma-separated: historical, fhs, t.")] = "historical,fhs,t",
        backtest: Annotated[bool, typer.Option(
            "--backtest/--no-backtest", help="Run the Kupiec/Christoffersen backtest.")] = True,
        q: Annotated[float, typer.Option(help="CoVaR tail level.")] = 0.05,
        start: StartOpt = None,
        end: EndOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """VaR/ES (historical, FHS, t) with backtests, and CoVaR given a Treasury sell-off."""
        from spillwatch.analytics.volatility import covar, var_es

        keys = ",".join(dict.fromkeys([*assets.split(","), "ust10y"]))
        with market(demo, data, db, json_out) as src:
            panel = _panel(src, keys, start, end)
        targets = [c for c in panel.columns if c != "ust10y_bp"]
        meths = tuple(m.strip() for m in methods.split(",") if m.strip())
        res = var_es(panel[targets], level=level, methods=meths)
        parts: dict[str, Any] = {"var_es": res}
        if backtest:
            long_enough = [c for c in targets
                           if panel[c].notna().sum() >= res.spec.warmup + res.spec.min_test]
            skipped = sorted(set(targets) - set(long_enough))
            if skipped:
                console(json_out).print(
                    f"backtest skipped for {', '.join(skipped)}: shorter than "
                    f"{res.spec.warmup + res.spec.min_test} days")
            if long_enough:
                parts["backtest"] = var_es(panel[long_enough], level=level,
                                           methods=meths).backtest()
        if "ust10y_bp" in panel.columns:
            parts["covar"] = covar(panel, q=q, targets=tuple(targets))
        _show(json_out, parts)

    @app.command()
    @command
    def events(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        file: Annotated[Path | None, typer.Option(
            "--file", help="Events TOML ([[event]] tables with id, date, name); default the "
                           "shipped list.")] = None,
        event: Annotated[list[str] | None, typer.Option(
            "--event", help="Only this event id (repeatable).")] = None,
        assets: AssetsOpt = DEFAULT_ASSETS,
        before: Annotated[int, typer.Option(help="Event-window days before day 0.")] = 1,
        after: Annotated[int, typer.Option(help="Event-window days after day 0.")] = 5,
        estimation: Annotated[int, typer.Option(help="Estimation-window days.")] = 120,
        json_out: JsonOpt = False,
    ) -> None:
        """What did each announcement do? Abnormal moves against a market model, with t-stats."""
        from spillwatch.analytics.events import event_study, load_events

        evs = load_events(file)
        with market(demo, data, db, json_out) as src:
            panel = _panel(src, assets, None, None)
        res = event_study(panel, events=evs, only=event or None, window=(-before, after),
                          estimation=estimation)
        _show(json_out, {"events": res})
