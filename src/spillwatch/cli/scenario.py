"""``spillwatch scenario``: price a foreign sell-off of Treasuries by Monte Carlo."""

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
    err,
    parse_date,
    progress,
    vintage,
    workspace,
)
from spillwatch.service import defaults


class _ScenarioOutput:
    """The result, plus the first seller alone when several sell (side by side)."""

    def __init__(self, result: Any, alone: Any | None, book_note: str | None = None) -> None:
        self.result, self.alone, self.book_note = result, alone, book_note

    def to_dict(self) -> dict[str, Any]:
        from spillwatch.service import scenarios as service

        out = self.result.to_dict()
        if self.book_note is not None:
            out["book_note"] = self.book_note
        side = service.side_by_side_dict(self.result, self.alone)
        if side is not None:
            out["side_by_side"] = side
        return out

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        from spillwatch.service import scenarios as service

        parts: list[Any] = [Text(str(self.result.summary()))]
        if self.book_note is not None:
            parts.append(Text(f"book: {self.book_note}"))
        side = service.side_by_side(self.result, self.alone)
        if side is not None:
            parts += [Text(f"\nside by side — {side[0]}:"), Text(side[1].round(2).to_string())]
        return Group(*parts)


def register(app: typer.Typer) -> None:
    """Register ``scenario``."""

    @app.command()
    @command
    def scenario(
        preset_name: Annotated[str | None, typer.Argument(
            metavar="PRESET",
            help="japan-intervention, japan-10pct, japan-china-coordinated or full-dump.")
        ] = None,
        seller: Annotated[list[str] | None, typer.Option(
            "--seller", help="COUNTRY:AMOUNT[:WEEKSw]\\[@STARTw], e.g. japan:100e9:4w or "
                             "china:10%:8w@2w (repeatable, or several separated by commas).")
        ] = None,
        portfolio: Annotated[Path | None, typer.Option(
            "--portfolio", help="TOML or CSV of weights or USD notionals; assets are keys "
                                "(btc, ust10y, ...) or ids of your own series (csv:MYFUND).")
        ] = None,
        paths: Annotated[int, typer.Option(help="Monte Carlo paths.")] = defaults.SCENARIO_PATHS,
        horizon: Annotated[int | None, typer.Option(
            help="Horizon in business days (default: the end of the last sale + 20).")
        ] = None,
        seed: Annotated[int, typer.Option(help="Random seed.")] = defaults.SCENARIO_SEED,
        chunk_size: Annotated[int, typer.Option(
            help="Paths per chunk (bounds memory). Each chunk has its own random stream: the "
                 "same seed and chunk size give the same numbers, locally or on Dask.")]
        = defaults.SCENARIO_CHUNK_SIZE,
        method: Annotated[str, typer.Option(
            help="Residual noise: t-copula or fhs (filtered historical simulation).")
        ] = defaults.SCENARIO_METHOD,
        band: Annotated[str, typer.Option(help="Impact band: central or upper.")] = "central",
        scheduler: Annotated[str | None, typer.Option(
            help="Dask scheduler address tcp://HOST:8786.")] = None,
        workers: Annotated[int | None, typer.Option(
            help="Run on a local Dask cluster of N worker processes.")] = None,
        alone: Annotated[bool, typer.Option(
            help="Also run the first seller alone, side by side.")] = True,
        explain: Annotated[bool, typer.Option(
            "--explain", help="Print how the shock is identified, the sample, the response "
                              "bands per +10 bp of the 10-year and the literature band.")]
        = False,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="Run on the data as published by the evening of this date "
                            "(each series from its release: H.10 the next Monday, TIC about "
                            "seven weeks late): the scenario a trader could have run then.")
        ] = None,
        demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Simulate a sell-off: yield impact, cross-asset fans, probabilities, the book's VaR/ES."""
        from spillwatch.exceptions import ScenarioError
        from spillwatch.service import scenarios as service

        sellers = [part.strip() for s in seller or [] for part in s.split(",") if part.strip()]
        if (preset_name is None) == (not sellers):
            raise ScenarioError("give either a PRESET or one or more --seller, e.g. "
                                "`spillwatch scenario japan-10pct` or "
                                "`spillwatch scenario --seller japan:100e9:4w`")
        opts: dict[str, Any] = {"paths": paths, "horizon": horizon, "seed": seed,
                                "chunk_size": chunk_size, "portfolio": portfolio,
                                "scheduler": scheduler, "workers": workers, "method": method,
                                "band": band}
        when = parse_date(as_of, "--as-of")
        # what no data can make valid is told before the market is read and fitted
        service.check_request(name=preset_name, sellers=sellers, portfolio=portfolio,
                              paths=paths, horizon=horizon, seed=seed, chunk_size=chunk_size,
                              workers=workers, scheduler=scheduler)
        with workspace(demo, data, db, json_out) as ws, progress(json_out) as bar:
            if when is not None:
                ws = vintage(ws, when)
            sc = service.scenario_spec(ws, name=preset_name, sellers=sellers, method=method)
            task = bar.add_task(f"simulating {sc.name}", total=paths)

            def step(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = service.run(ws, sc, progress=step, **opts)
            lone = None
            first = service.lone_seller(sc) if alone else None
            if first is not None:
                bar.update(task, completed=0, description=f"simulating {first} alone")
                lone = service.alone(ws, sc, result, progress=step, **opts)
            label = ws.label
            note = service.default_book_note(ws, method=method) if portfolio is None else None
        if explain and not json_out:
            console(False).print(str(result.explain()), highlight=False, soft_wrap=True)
        if not json_out:
            info = result.market.info
            err.print(f"data: {label}; fit {info['sample'][0]} to {info['sample'][1]}",
                      highlight=False)
        emit(_ScenarioOutput(result, lone, note), json_out)
