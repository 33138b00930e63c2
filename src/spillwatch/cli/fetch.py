"""``spillwatch fetch``: incremental download from the live providers into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from spillwatch.cli._common import (
    DbOpt,
    JsonOpt,
    command,
    console,
    emit,
    parse_date,
    progress,
)
from spillwatch.exceptions import ConfigError

SeriesOpt = Annotated[list[str] | None, typer.Option(
    "--series", help="Provider (treasury, fred, binance, coingecko, tic, auction, mof_weekly, "
    "mof_jgb, mof_fx; mof = the three MOF groups), series id "
    "(fred:DGS10, binance:BTCUSDT_1h) or asset key (ust10y, btc); repeatable or "
    "comma-separated. Default: every provider's default series.")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", help="Fetch from this date (YYYY-MM-DD) whatever the store holds.")]


def fetch_into(db: Path | None, *, series: list[str] | None = None, since: str | None = None,
               json_out: bool = False) -> Any:
    """Fetch into the store at ``db`` (created when missing) with a progress bar."""
    from spillwatch.config import default_db_path
    from spillwatch.data.fetch import default_providers, fetch, plan
    from spillwatch.store import Store

    target = db or default_db_path()
    units = plan(series, default_providers())
    with Store(target) as store, progress(json_out) as bar:
        task = bar.add_task("fetching", total=len(units))

        def step(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, description=f"done with {label}")

        return fetch(store, series=series, since=since, on_unit=step)


def register(app: typer.Typer) -> None:
    """Register ``fetch``."""

    @app.command("fetch")
    @command
    def fetch_cmd(series: SeriesOpt = None, since: SinceOpt = None, db: DbOpt = None,
                  json_out: JsonOpt = False) -> None:
        """Download what the store lacks (after its last point, with a short overlap).

        Sources (keyless): Treasury par curve, FRED, Binance klines (CoinGecko fallback), TIC,
        Treasury auctions (Fiscal Data), Japan MOF weekly flows, JGB yields and FX interventions.

        SPILLWATCH_FRED_API_KEY (or FRED_API_KEY) switches FRED to its API;
        SPILLWATCH_<NAME>_URL points a provider at a mirror. Exit code 1 when a source failed
        (one line each; the others are stored).
        """
        from spillwatch.config import default_db_path

        start = parse_date(since, "--since")
        # today as every command reckons it, the UTC date (the machine's local date refused
        # a UTC today in Samoa, and passed a day ahead of it in Kiribati)
        from spillwatch.service._today import today_utc

        today = today_utc()
        if start is not None and start > today:   # asked every provider for nothing
            raise ConfigError(f"--since {start} is in the future (today is {today}, UTC)")
        result = fetch_into(db, series=series, since=None if start is None else str(start),
                            json_out=json_out)
        if not json_out:
            console(json_out).print(f"store: {db or default_db_path()}")
        emit(result, json_out)
        if not result.ok:
            raise typer.Exit(code=1)
