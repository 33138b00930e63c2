"""``spillwatch spillover``: Diebold–Yilmaz connectedness of rates, the dollar and crypto.

Runs the service layer's standard setup (rolling VAR connectedness, or a TVP-VAR with
``--model tvp``) and prints the total connectedness index, the latest DY table and the headline:
the net spillover from the rates + dollar block to the crypto block. ``--out`` writes the time
series as CSV.
"""

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
    asset_keys,
    command,
    console,
    emit,
    parse_as_of,
    vintage,
    workspace,
    write_dated_csv,
)
from spillwatch.service import defaults


def register(app: typer.Typer) -> None:
    """Register the ``spillover`` command."""

    @app.command()
    @command
    def spillover(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        assets: Annotated[str | None, typer.Option(
            "--assets", help="Comma-separated asset keys (default: "
                             f"{','.join(defaults.SPILLOVER_ASSETS)}); named assets must be in "
                             "the data.")
        ] = None,
        window: Annotated[int, typer.Option(
            help="Rolling window in daily rows (VAR); the two-day headline's window is 3/4 "
                 "of it in two-day readings (150 at 200). With --model tvp: the rows the "
                 "Bayes prior is fitted on (R's window.size), left out of the means.")
        ] = defaults.SPILLOVER_WINDOW,
        lags: Annotated[int, typer.Option(help="VAR order p (in steps of each setting).")
                        ] = defaults.SPILLOVER_LAGS,
        horizon: Annotated[int, typer.Option(
            help="Forecast horizon H in steps: days for the daily VAR, two-day steps for the "
                 "headline (H=10: 20 days).")] = defaults.SPILLOVER_HORIZON,
        model: Annotated[str, typer.Option(help="'var' (rolling OLS) or 'tvp' (TVP-VAR).")
                         ] = defaults.SPILLOVER_MODEL,
        start: Annotated[str | None, typer.Option(
            help="First date used (YYYY-MM-DD); default all.")] = None,
        end: Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")] = None,
        out: Annotated[Path | None, typer.Option(
            "--out", help="Write one row per date (known_on, TCI, the net rates+dollar -> "
                          "crypto headline on its two-day dates and its daily reading, NET of "
                          "each series) to this CSV. A window ending on a date reads the H.10 "
                          "dollar and yen published the next Monday: known_on is the first "
                          "evening every series of the row was out; use a row from then "
                          "on.")] = None,
        as_of: AsOfOpt = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Show whether stress in Treasuries and the dollar spills into crypto (DY 2012)."""
        from spillwatch.service import spillover as service

        keys = asset_keys(assets)
        lo, hi, when = parse_as_of(start, end, as_of)
        with workspace(demo, data, db, json_out) as ws:
            if when is not None:
                ws = vintage(ws, when)
            rep = service.spillover(ws, assets=keys, window=window, lags=lags,
                                    horizon=horizon, model=model, start=lo, end=hi)
            rows = service.history(ws, rep) if out is not None else None
        if out is not None:
            write_dated_csv(rows, out, json_out)
        if json_out:
            emit(rep, True)
            return
        console(False).print(str(rep), highlight=False, soft_wrap=True)
