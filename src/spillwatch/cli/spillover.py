"""``spillwatch spillover``: Diebold–Yilmaz connectedness of rates, the dollar and crypto.

Loads the daily panel of the chosen assets (changes: yields in bp, prices in log-return percent),
runs rolling-window VAR connectedness (or a TVP-VAR with ``--model tvp``) and prints the total
connectedness index, the latest DY table and the headline: the net spillover from the rates +
dollar block to the crypto block. ``--out`` writes the time series as CSV.
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

#: rates, the dollar and crypto: the blocks of the headline
DEFAULT_ASSETS = "ust2y,ust10y,usd_broad,usdjpy,btc,eth"


def _panel(src: Any, assets: str, start: str | None, end: str | None) -> Any:
    from spillwatch.data.panel import resolve_sources

    keys = [k.strip() for k in assets.split(",") if k.strip()]
    have = list(resolve_sources(src.store, keys, explicit=assets != DEFAULT_ASSETS))
    return src.panel(assets=have, start=start, end=end)


def timeseries_frame(result: Any) -> Any:
    """One row per date: TCI, corrected TCI, net rates+dollar → crypto (if both blocks), NET."""
    import pandas as pd

    frame = pd.DataFrame({"tci": result.tci, "tci_corrected": result.tci_corrected})
    blocks = result.blocks()
    if {"rates_dollar", "crypto"} <= set(blocks.names):
        frame["net_rates_dollar_to_crypto"] = blocks.headline
    net = result.net.add_prefix("net_")
    return pd.concat([frame, net], axis=1)


def register(app: typer.Typer) -> None:
    """Register the ``spillover`` command."""

    @app.command()
    @command
    def spillover(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        assets: Annotated[str, typer.Option(
            "--assets", help="Comma-separated asset keys (rates/dollar vs crypto by default); "
                             "those the source lacks are skipped unless named explicitly.")
        ] = DEFAULT_ASSETS,
        window: Annotated[int, typer.Option(
            help="Rolling window in rows (VAR); ignored by --model tvp.")] = 200,
        lags: Annotated[int, typer.Option(help="VAR order p.")] = 2,
        horizon: Annotated[int, typer.Option(help="Forecast horizon H (days).")] = 10,
        model: Annotated[str, typer.Option(help="'var' (rolling OLS) or 'tvp' (TVP-VAR).")
                         ] = "var",
        start: Annotated[str | None, typer.Option(
            help="First date used (YYYY-MM-DD); default all.")] = None,
        end: Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")] = None,
        out: Annotated[Path | None, typer.Option(
            "--out", help="Write one row per date (TCI, net rates+dollar -> crypto, NET of "
                          "each series) to this CSV.")] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Show whether stress in Treasuries and the dollar spills into crypto (DY 2012)."""
        from spillwatch.analytics.connectedness import connectedness

        with market(demo, data, db, json_out) as src:
            panel = _panel(src, assets, start, end)
        if model.lower() in ("tvp", "tvp-var"):
            result = connectedness(panel, lags=lags, horizon=horizon, model="tvp")
        else:
            result = connectedness(panel, lags=lags, horizon=horizon, model=model,
                                   window=window)
        blocks = result.blocks()
        if out is not None:
            frame = timeseries_frame(result).reset_index()
            frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
            frame.to_csv(out, index=False, float_format="%.10g")
            console(json_out).print(f"wrote {len(frame)} rows to {out}")
        if json_out:
            emit({"spillover": result.to_dict(), "blocks": blocks.to_dict()}, True)
            return
        show = console(False)
        show.print(str(result), highlight=False, soft_wrap=True)
        show.print(str(blocks), highlight=False, soft_wrap=True)
