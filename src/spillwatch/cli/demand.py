"""``spillwatch demand``: who is selling Treasuries — custody, Japan's flows, auctions, China."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spillwatch.cli._common import (
    AsOfOpt,
    DataOpt,
    DbOpt,
    DemoOpt,
    JsonOpt,
    SummaryOutput,
    command,
    emit,
    parse_as_of,
    vintage,
    workspace,
    write_dated_csv,
)


def register(app: typer.Typer) -> None:
    """Register the ``demand`` command."""

    @app.command()
    @command
    def demand(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        out: Annotated[Path | None, typer.Option(
            "--out", help="Write one row per date to this CSV (gauge, percentile, each "
                          "group's attribution share, every signal).")] = None,
        end: Annotated[str | None, typer.Option(
            help="Read the gauge as it stood on this date (YYYY-MM-DD): each input enters "
                 "on the day it was published, so this is what --as-of D gives.")] = None,
        as_of: AsOfOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Foreign demand for Treasuries: is anyone selling, and who (custody, Japan, China)."""
        from spillwatch.service import demand as service

        _, hi, when = parse_as_of(None, end, as_of)
        with workspace(demo, data, db, json_out) as ws:
            if when is not None:
                ws = vintage(ws, when)
            result = service.demand(ws, end=hi)
            summary = service.summary(ws, result, end=hi)
        if out is not None:
            write_dated_csv(result.frame, out, json_out)
        emit(SummaryOutput(result, summary), json_out)
