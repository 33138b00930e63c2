"""Data commands: ``run`` (the main job), ``import``, and ``data`` (series, health, quarantine)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spillwatch.cli._common import (
    DataOpt,
    DbOpt,
    DemoOpt,
    FrameOutput,
    JsonOpt,
    WideOpt,
    asset_keys,
    command,
    console,
    emit,
    err,
    market,
    parse_date,
    parse_window,
    progress,
    workspace,
    write_dated_csv,
)
from spillwatch.exceptions import ConfigError, DataError, SpillwatchError

if TYPE_CHECKING:
    import pandas as pd


def register(app: typer.Typer) -> None:
    """Register ``run``, ``import`` and the ``data`` group."""

    @app.command()
    @command
    def run(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        out: Annotated[str, typer.Option(      # a str keeps a trailing separator (a folder)
            "--out", help="Folder for report.html, or the file's name if it ends in .html.")
        ] = "spillwatch-report",
        no_fetch: Annotated[bool, typer.Option(
            "--no-fetch", help="Use the store as it is; do not fetch live data first.")] = False,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="Replay the whole job on the evening of this date (YYYY-MM-DD): "
                            "the data as published by then, and that day as today for every "
                            "staleness note (implies --no-fetch).")] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Load data, compute every analytic, write the HTML report, print the headline.

        Without --demo or --data, live data are fetched into the store first (see `spillwatch
        fetch`). A source that fails is named on one line and the exit code is 1; when no
        source can be reached the run stops there, writes no report and says to pass
        --no-fetch to run on the data already in the store.
        """
        from spillwatch.pipeline import run as run_job

        fetch_summary = None
        failed = False
        when = parse_date(as_of, "--as-of")
        from spillwatch.report.html import report_target

        report_target(out)       # a --out that cannot take the report stops before any work
        if not demo and data is None and not no_fetch and when is None:
            from spillwatch.cli.fetch import fetch_into

            fetched = fetch_into(db, json_out=json_out)
            for line in fetched.failure_lines:
                err.print(f"error: {line}", highlight=False, markup=False, soft_wrap=True)
            if fetched.offline:
                err.print("error: no data source could be reached (the network is down); no "
                          "report written. Run `spillwatch run --no-fetch` to use the data "
                          "already in the store.", highlight=False, markup=False,
                          soft_wrap=True)
                raise typer.Exit(code=1)
            failed = not fetched.ok
            if not json_out:
                console(False).print(fetched)
            fetch_summary = fetched.to_dict()
        with market(demo, data, db, json_out) as src, progress(json_out) as bar:
            task = bar.add_task("running", total=None)
            result = run_job(src, out=out, as_of=when,
                             on_step=lambda s: bar.update(task, description=s))
        result.fetched = fetch_summary
        emit(result, json_out)
        if failed:
            raise typer.Exit(code=1)

    @app.command("import")
    @command
    def import_(
        path: Annotated[Path, typer.Argument(help="A CSV file or a folder of CSV files.")],
        db: DbOpt = None,
        mapping: Annotated[Path | None, typer.Option(
            "--mapping", help="TOML file mapping columns to series (generic CSVs).")] = None,
        provider: Annotated[str | None, typer.Option(
            help="Provider part of the series ids of a generic CSV.")] = None,
        date_column: Annotated[str | None, typer.Option(help="Name of the date column.")] = None,
        date_format: Annotated[str, typer.Option(
            help="Date format (strftime codes), default ISO 8601.")] = "ISO8601",
        map_: Annotated[list[str] | None, typer.Option(
            "--map", help="COLUMN=SERIES_ID (repeatable); only mapped columns are imported.")]
        = None,
        positive: Annotated[bool, typer.Option(
            help="Mapped columns are prices: quarantine values <= 0.")] = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Import CSV files into the store; report read/stored/unchanged/revised/quarantined."""
        from spillwatch.config import default_db_path
        from spillwatch.data.ingest import (
            CsvMapping,
            drop_if_empty,
            import_path,
            refuse_shared_stems,
            require_path,
        )
        from spillwatch.store import Store

        given = [name for name, on in (("--provider", provider), ("--date-column", date_column),
                                       ("--date-format", date_format != "ISO8601"),
                                       ("--map", map_), ("--positive", positive)) if on]
        if mapping is not None and given:
            # the mapping file's settings won and these were dropped without a word
            raise ConfigError(f"give the column options in the --mapping file or on the "
                              f"command line, not both ({', '.join(given)} given with "
                              f"--mapping {mapping})")
        if positive and not map_:
            # it applies to mapped columns only: without --map it did nothing, and prices at
            # or below zero were stored
            raise ConfigError("--positive marks the columns --map names as prices: name them "
                              "with --map COLUMN=csv:ID (or set positive = true in a --mapping "
                              "file)")
        m: CsvMapping | None = None
        if mapping is not None:
            m = CsvMapping.from_toml(mapping)
        elif provider or date_column or map_ or date_format != "ISO8601":
            m = CsvMapping.from_options(provider=provider or "csv", date_column=date_column,
                                        date_format=date_format, maps=map_ or [],
                                        positive=positive)
        require_path(path)         # before the store is opened: no empty store file is left
        target = db or default_db_path()
        files = sorted(path.rglob("*.csv")) if path.is_dir() else [path]
        if path.is_dir():
            refuse_shared_stems(files, path, m)
        fresh = not Path(target).expanduser().exists()
        try:
            with Store(target) as store, progress(json_out) as bar:
                task = bar.add_task(f"importing {path}", total=max(len(files), 1))
                report = import_path(path, store, mapping=m,
                                     on_file=lambda _p, _r: bar.advance(task))
        except SpillwatchError:
            if fresh:           # a refused first import leaves no store behind (h_fuzz4)
                drop_if_empty(Path(target).expanduser())
            raise
        if not json_out:
            console(json_out).print(f"store: {target}")
        emit(report, json_out)

    data_app = typer.Typer(help="Inspect the store: health (each series), quarantine, runs, "
                           "panel.",
                           no_args_is_help=True)
    app.add_typer(data_app, name="data")

    @data_app.command("health")
    @command
    def health(demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
               wide: WideOpt = False, json_out: JsonOpt = False) -> None:
        """Last point, point count, quarantined and revised counts per series."""
        from spillwatch.service.health import health_table

        with workspace(demo, data, db, json_out) as ws:
            frame = health_table(ws)
        emit(FrameOutput(frame, "data health", wide=wide,
                         priority=("series_id", "last point", "points", "quarantined")),
             json_out)

    @data_app.command("quarantine")
    @command
    def quarantine(
        series: Annotated[str | None, typer.Option(help="Only this series id.")] = None,
        demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
        wide: WideOpt = False, json_out: JsonOpt = False,
    ) -> None:
        """Points rejected on import, with the file, line, column and reason."""
        with market(demo, data, db, json_out, read_only=True) as src:
            frame = src.store.quarantine(series)
            if series is not None and frame.empty:
                known = set(src.store.series()["series_id"].astype(str))
                if series not in known:   # a typo read as "nothing quarantined"
                    raise DataError(f"no series {series!r} in {src.label}; "
                                    "`spillwatch data health` lists the series it holds",
                                    series_id=series)
        frame = _one_row_a_point(frame)
        emit(FrameOutput(frame, "quarantine", priority=("series_id", "line", "reason"),
                         wide=wide), json_out)

    @data_app.command("runs")
    @command
    def runs(db: DbOpt = None, wide: WideOpt = False, json_out: JsonOpt = False) -> None:
        """The run log of the store (imports, runs, fetches), newest first."""
        from spillwatch.data.ingest import runs_seen

        with market(False, None, db, json_out, read_only=True) as src:
            frame = runs_seen(src.store)
        emit(FrameOutput(frame, "runs", priority=("run_id", "kind", "status", "started_at"),
                         wide=wide), json_out)

    @data_app.command("panel")
    @command
    def panel(
        assets: Annotated[list[str] | None, typer.Option(
            "--asset", "--assets",
            help="Asset key (repeatable), e.g. ust10y, usd_broad, btc; --assets as in the "
                 "other commands, comma-separated (an error's advice names it).")] = None,
        levels: Annotated[bool, typer.Option(help="Levels instead of changes.")] = False,
        start: Annotated[str | None, typer.Option(help="First date (YYYY-MM-DD).")] = None,
        end: Annotated[str | None, typer.Option(help="Last date (YYYY-MM-DD).")] = None,
        out: Annotated[Path | None, typer.Option(
            help="Write the panel to this CSV (one row per date, from the first to the last "
                 "date any named asset has a value).")] = None,
        demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
        wide: WideOpt = False, json_out: JsonOpt = False,
    ) -> None:
        """The aligned daily panel (changes with units in the names, or levels).

        Rows are the watch list's business days (a date some watch-list market published),
        as /api/panel serves them. `risk` and `volatility` use the calendar of their own
        assets, on which a crypto move on a US holiday joins the next business day: their
        figures are computed on that calendar, not on this one.
        """
        from spillwatch.service import health as health_service

        lo, hi = parse_window(start, end)
        # comma-separated as the other commands read --assets (`--assets btc,eth` was refused
        # as "unknown asset 'btc,eth'"), repeatable as --asset always was
        named = asset_keys(",".join(assets)) if assets else None
        keys = list(named) if named else None
        with workspace(demo, data, db, json_out) as ws:
            frame = health_service.panel(ws, keys, start=lo, end=hi,
                                         transform="levels" if levels else "changes")
        if out is not None:     # written beside and moved into place: no half-written file
            # the data as stored, every digit (ten significant digits wrote a fund's NAV of
            # 123456789012.5 as 1.23456789e+11, where --json gives it whole)
            write_dated_csv(frame, out, json_out, float_format=None)
        if json_out:
            emit(FrameOutput(frame.reset_index().assign(date=lambda f: f["date"].dt.date),
                             "panel"), True)
            return
        # the terminal view: one row per series, the last dates on which most (more than half
        # of the) series report (a date where only one late series printed says little; with
        # three series, "half" let one through), as columns
        full = frame[frame.notna().sum(axis=1) > frame.shape[1] / 2]
        last = (full if len(full) else frame).tail(10 if wide else 5)
        shown = last.T.round(3)
        shown.columns = [d.date().isoformat() for d in last.index]
        shown.insert(0, "series", shown.index)
        emit(FrameOutput(shown, f"panel ({'levels' if levels else 'changes'}), last "
                                f"{len(last)} dates with most series (of {len(frame)} rows)",
                         wide=wide, priority=("series", *reversed(shown.columns[1:]))),
             False)


def _one_row_a_point(frame: pd.DataFrame) -> pd.DataFrame:
    """The quarantine, one row per rejected point, from the newest file that rejected it.

    The store keeps a row per file path (a fix of one file tidies its own rows), so a desk
    importing a dated folder each evening saw the same 237 custody zeros of 2003 listed again
    for every folder (4,029 rows after 17 evenings) where ``data health`` counts 237. A point
    is its series, date, value and reason, as ``data health`` counts it; ``files`` says how
    many paths rejected it.
    """
    cols = ["series_id", "source", "line", "column", "raw_date", "raw_value", "files", "reason"]
    if frame.empty:
        return frame.reindex(columns=cols)
    key = ["series_id", "raw_date", "raw_value", "reason"]
    f = frame.sort_values("created_at", kind="stable")
    files = f.groupby(key, dropna=False, sort=False)["source"].transform("nunique")
    f = f.assign(files=files).drop_duplicates(key, keep="last")
    return f.sort_values(["series_id", "source", "line"], kind="stable")[cols].reset_index(
        drop=True)

