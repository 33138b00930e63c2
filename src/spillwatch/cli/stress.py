"""``spillwatch stress``: the stress index, its regime, the yield–dollar signature, the signals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spillwatch.cli._common import (
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
    """Register the ``stress`` command."""

    @app.command()
    @command
    def stress(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        out: Annotated[Path | None, typer.Option(
            "--out", help="Write one row per date to this CSV (date, known_on, stress, "
                          "percentile, regime, signature, sub-indices, signals; README "
                          "'Exports' lists every column). Each row reads its inputs by "
                          "observation date, those published later included (the H.10 dollar "
                          "the next Monday): known_on is the first evening all of them were "
                          "out, so a backtest should use a row from then on. What the monitor "
                          "said that evening is --as-of D, or `backtest` for every day.")] = None,
        start: Annotated[str | None, typer.Option(
            help="First date shown (YYYY-MM-DD); the index is still computed on the whole "
                 "history before it, and a value never uses a later date's data (each input "
                 "on its observation date: `backtest` and `alerts test --as-of` apply the "
                 "publication lags too).")] = None,
        end: Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")] = None,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="What the monitor said on the evening of this date: the data as "
                            "published by then (H.10 the next Monday, H.15 the next day), the "
                            "last rows up to it (as `alerts test --as-of`).")] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Stress index, regime, yield–dollar signature and today's signals (CSV with --out)."""
        from spillwatch.service import stress as service

        lo, hi, when = parse_as_of(start, end, as_of)
        with workspace(demo, data, db, json_out) as ws:
            if when is not None:
                ws = vintage(ws, when)
            result = service.stress(ws, start=lo, end=hi)
            # the headline reads the whole history up to --end: --start only chooses the rows
            # shown (the week-ago reading and the year's sell-America days lie before it)
            summary = service.summary(ws, service.stress(ws, end=hi), end=hi,
                                      end_name="--as-of" if when is not None else "--end")
            rows = service.history(ws, result) if out is not None else None
        if out is not None:
            write_dated_csv(rows, out, json_out)
        emit(SummaryOutput(result, summary), json_out)
