"""What every command shares: the source options, ``--json`` output, progress and errors.

Usage in a command module::

    from spillwatch.cli._common import DataOpt, DbOpt, DemoOpt, JsonOpt, command, market, emit

    def register(app):
        @app.command()
        @command
        def stress(demo: DemoOpt = False, data: DataOpt = None, db: DbOpt = None,
                   json_out: JsonOpt = False):
            with market(demo, data, db, json_out) as src:
                result = sw_stress(src.panel(...))
            emit(result, json_out)

Human output (tables, progress bars) goes to stderr when ``--json`` is given, so that stdout
holds only the JSON document.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console, ConsoleDimensions
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spillwatch.exceptions import ConfigError, ImportFileError, SpillwatchError

DemoOpt = Annotated[bool, typer.Option(
    "--demo", help="Use the simulated demo market (offline; in memory, or written into --db "
    "when given, never into a store of real data).")]
DataOpt = Annotated[Path | None, typer.Option(
    "--data", help="Folder or CSV file of market data to import and use (e.g. ../shared/data); "
    "into memory, or into --db when given.")]
# $SPILLWATCH_DB is the default store (config.default_db_path), not a value of --db: with
# --demo or --data it would have received the simulated market or the import
DbOpt = Annotated[Path | None, typer.Option(
    "--db", help="DuckDB store file (default: $SPILLWATCH_DB, else the user data folder).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Compute on the data as published by the evening of this date "
                    "(YYYY-MM-DD; H.10 the next Monday, H.15 the next day): what a trader "
                    "could have known then. --end D reads every series up to D by observation "
                    "date, including points published after D (not in `demand`, whose inputs "
                    "are dated by publication: there --end D is --as-of D).")]
RulesOpt = Annotated[Path | None, typer.Option(
    "--rules", envvar="SPILLWATCH_RULES",
    help="Rule file (TOML); default: the packaged rules (`spillwatch alerts rules`).")]

F = TypeVar("F", bound=Callable[..., Any])

#: Width of human output written to a file or a pipe (``COLUMNS`` overrides it).
PIPE_WIDTH = 200


class _Console(Console):
    """A rich console that does not wrap at 80 columns when it writes to a file or a pipe.

    Rich falls back to 80 columns without a terminal, which re-wrapped the results' own
    100-column lines and split aligned rows (a VaR line and its ES) in a log or a cron mail.
    Without a terminal, prose is not wrapped (each paragraph one line) and tables are laid out
    on :data:`PIPE_WIDTH` columns. ``COLUMNS`` is read at each print, not once when the module
    is imported, and wins over both.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._width = kwargs.get("width")

    @property
    def _piped(self) -> bool:
        """Writing to a file or a pipe, with no width set by the caller or ``COLUMNS``."""
        return self._width is None and not self.is_terminal and not self._environ.get("COLUMNS")

    @property
    def size(self) -> ConsoleDimensions:
        dims = super().size
        return ConsoleDimensions(PIPE_WIDTH, dims.height) if self._piped else dims

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print; to a file or a pipe (``COLUMNS`` unset), prose is not wrapped at all."""
        if "soft_wrap" not in kwargs and self._piped:
            kwargs["soft_wrap"] = True
        super().print(*objects, **kwargs)


# no emoji codes: an error naming "file.toml:100:" must not print a 💯; no markup: the text
# printed is data (a rule's summary "10y [desk=rates] moved ..." printed "10y  moved ...", a
# file "prices[final].csv" lost "[final]"); the error line asks for its own red
out = _Console(emoji=False, markup=False)
err = _Console(stderr=True, emoji=False, markup=False)


def console(json_out: bool) -> Console:
    """The console for human output: stderr when stdout carries JSON."""
    return err if json_out else out


def progress(json_out: bool = False) -> Progress:
    """A rich progress bar (on stderr; hidden when stderr is not a terminal)."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True,
                    disable=not err.is_terminal)


#: whether the market the running command read is the simulated demo (set by :func:`market`,
#: cleared by :func:`command` as each command starts; one command runs per process)
_SIMULATED: list[bool] = [False]


def command(fn: F) -> F:
    """Turn spillwatch errors into a clear message on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _SIMULATED[0] = False
        try:
            return fn(*args, **kwargs)
        except SpillwatchError as exc:
            err.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, markup=True,
                      soft_wrap=True)
            raise typer.Exit(code=2) from None
        except OSError as exc:
            # a folder it may not write (--out, the store's lock), a full disk: the file and
            # the system's reason, not a traceback
            what = f"{exc.filename}: " if exc.filename else ""
            err.print(f"[bold red]error:[/] {escape(what + (exc.strerror or str(exc)))}",
                      highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(code=2) from None

    return wrapper  # type: ignore[return-value]


def note_simulated(store: Any, json_out: bool) -> None:
    """Label a command's output as simulated when the store it read holds the demo market.

    For commands that read a store's own tables (alert states, their values) rather than a
    market source: the same stderr line and ``"simulated": true`` as :func:`market` gives.
    """
    from spillwatch.data.ingest import holds_demo

    if holds_demo(store):
        if not json_out:
            err.print(f"SIMULATED: {store.path}: the demo market's alerts (simulated data, not "
                      "real prices)", highlight=False, soft_wrap=True)
        _SIMULATED[0] = True


@contextmanager
def market(demo: bool, data: Path | None, db: Path | None, json_out: bool = False, *,
           read_only: bool = False) -> Iterator[Any]:
    """Open the market-data source the options name (``--demo`` / ``--data`` / the store).

    The options mean the same in every command: ``--demo`` the simulated market, ``--data``
    a folder or CSV imported into memory, otherwise the store at ``--db`` (or the default).
    With ``--demo`` or ``--data``, a given ``--db`` receives the data instead of memory (the demo
    is refused for a store that holds real data).
    """
    from spillwatch.data.source import open_source

    if demo and data is not None:
        raise ConfigError("give either --demo or --data, not both")
    if demo:
        src = open_source("demo", db=db)
        if not json_out:   # every command's numbers are of the simulated market: say so once
            err.print("SIMULATED: the demo market (simulated data, not real prices)",
                      highlight=False)
    elif data is not None:
        files = sorted(data.rglob("*.csv")) if data.is_dir() else [data]
        try:
            with progress(json_out) as bar:
                task = bar.add_task(f"importing {data}", total=max(len(files), 1))
                src = open_source(data, db=db, on_file=lambda _p, _r: bar.advance(task))
        except ImportFileError as exc:
            raise _through_data(exc, data, db) from None
        _say_what_was_imported(src, data, db)
    else:
        src = open_source(None, db=db, read_only=read_only)
        if src.simulated and not json_out:
            err.print(f"SIMULATED: {src.label}: simulated data, not real prices",
                      highlight=False, soft_wrap=True)
    _SIMULATED[0] = _SIMULATED[0] or bool(src.simulated)
    try:
        yield src
    finally:
        src.close()


#: Options of `spillwatch import` that an import error may advise and `--data` lacks (an
#: intraday file's "give a --mapping file with frequency = \"intraday\"" too).
_IMPORT_ONLY = ("--date-format", "--date-column", "--mapping")


def _through_data(exc: ImportFileError, data: Path, db: Path | None) -> ImportFileError:
    """An import error met through ``--data``, whose advice names an option only ``import`` has.

    ``spillover --data fund.csv`` with day-first dates said "pass --date-format '%d/%m/%Y'",
    which the analysis refuses ("No such option: --date-format"): the error says how to
    import the file with it and run on the store.
    """
    named = [o for o in _IMPORT_ONLY if o in exc.message]
    if not named:
        return exc
    store = f"--db {db}" if db is not None else "--db STORE.duckdb"
    return ImportFileError(
        f"{exc.message} (--data takes no {' or '.join(named)}: import the file with "
        f"`spillwatch import FILE {' '.join(f'{o} …' for o in named)} {store}`, then run "
        f"this command with {store} instead of --data {data})", **exc.context)


def _say_what_was_imported(src: Any, data: Path, db: Path | None = None,
                           shown: int = 5) -> None:
    """On stderr: what ``--data`` read and stored, and each point it quarantined (up to a few).

    The analysis that follows reads only the stored points: a quarantined row (a bad date, an
    ambiguous number) silently moved the reading back a day. Only the quarantine of the files
    just read is listed (with ``--db``, the store's holds other files' too).
    """
    rep = getattr(src, "imported", None)
    if rep is None:
        return
    t = rep.totals
    err.print(f"{data}: read {t['read']}, stored {t['stored']}, quarantined "
              f"{t['quarantined']} (an analysis reads only the stored points)",
              highlight=False, soft_wrap=True)
    if t["quarantined"]:
        read = {str(Path(f.source).resolve()) for f in rep.files}
        q = src.store.quarantine()
        q = q[[str(Path(x).resolve()) in read for x in q["source"]]]
        for r in q.head(shown).itertuples():
            err.print(f"  quarantined: {r.source}:{r.line} {r.column} {r.raw_date!s} "
                      f"{r.raw_value!s}: {r.reason}", highlight=False, soft_wrap=True,
                      markup=False)
        if len(q) > shown:
            how = (f"`spillwatch data quarantine --db {db}` lists them" if db is not None else
                   "import into a store with --db to list them with `spillwatch data "
                   "quarantine`")
            err.print(f"  … and {len(q) - shown} more ({how})", highlight=False,
                      soft_wrap=True, markup=False)


@contextmanager
def workspace(demo: bool, data: Path | None, db: Path | None, json_out: bool = False
              ) -> Iterator[Any]:
    """A :class:`~spillwatch.service.workspace.Workspace` on the source the options name.

    Read-only on a store file; the wait for a busy store (a running monitor) is reported.
    """
    from spillwatch.service.workspace import Workspace

    with market(demo, data, db, json_out, read_only=True) as src:
        ws = Workspace(src)
        try:
            yield ws
        finally:
            waited = getattr(src.store, "longest_wait_s", 0.0)
            if waited > 0.1:
                err.print(f"(waited {waited:.1f} s for the store, busy with another process)",
                          highlight=False)


def parse_window(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--start`` and ``--end`` parsed (:func:`parse_date`); a start after the end is refused.

    Raises
    ------
    ConfigError
        A bad date, or ``--start`` after ``--end`` (it gave an empty window without a word).
    """
    lo, hi = parse_date(start, "--start"), parse_date(end, "--end")
    if lo is not None and hi is not None and lo > hi:
        raise ConfigError(f"--start {lo} is after --end {hi}")
    return lo, hi


def parse_as_of(start: str | None, end: str | None, as_of: str | None
                ) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """``--start``, ``--end`` and ``--as-of`` parsed: ``(start, end, as_of)``.

    ``--as-of D`` is ``--end D`` on the data published by the evening of D (:func:`vintage`).

    Raises
    ------
    ConfigError
        A bad date, ``--start`` after the end, or both ``--as-of`` and ``--end``.
    """
    when = parse_date(as_of, "--as-of")
    if when is not None and end is not None:
        raise ConfigError("give --as-of or --end, not both (--as-of D is --end D on the data "
                          "published by then)")
    if when is None:
        lo, hi = parse_window(start, end)
        return lo, hi, None
    # the option the user gave: "--start 2020-01-01 is after --end 2019-01-02" answered
    # `--start 2020-01-01 --as-of 2019-01-02` (stress, spillover, risk, volatility)
    lo = parse_date(start, "--start")
    if lo is not None and lo > when:
        raise ConfigError(f"--start {lo} is after --as-of {when}")
    return lo, when, when


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str | None, option: str) -> dt.date | None:
    """Parse a date option strictly as ISO 8601 ``YYYY-MM-DD``.

    Raises
    ------
    ConfigError
        Any other spelling (``11/04/2025`` is ambiguous) or an impossible date.
    """
    if value is None:
        return None
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):
        raise ConfigError(f"{option} {value!r} is not a date written YYYY-MM-DD "
                          "(e.g. 2025-04-09)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"{option} {value!r} is not a valid date: {exc}") from None


def asset_keys(assets: str | None) -> tuple[str, ...] | None:
    """The keys of an ``--assets`` option, or ``None`` (the standard set) when it is not given.

    An option given but naming no key (``''``, ``' , '``) is an error, not the standard set
    under the user's explicit choice; so is a key given twice.
    """
    if assets is None:
        return None
    keys = tuple(k.strip() for k in assets.split(",") if k.strip())
    if not keys:
        raise ConfigError(f"--assets {assets!r} names no asset: give comma-separated keys "
                          "(e.g. btc,eth,trump) or leave the option out for the standard set")
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:   # volatility and events ran on btc once for btc,btc; spillover and the API refuse
        raise ConfigError(f"--assets lists {', '.join(twice)} more than once; give each once")
    return keys


def write_dated_csv(frame: Any, out: Path, json_out: bool,
                    float_format: str | None = "%.10g") -> None:
    """Write a date-indexed frame to ``out`` as CSV, one row per date (``YYYY-MM-DD``).

    Numbers are written with ten significant digits (an analysis's figures), or as
    ``float_format`` says (``None``: every digit of the float, as ``--json`` gives it).

    Written beside ``out`` first and moved into place, so a failed write leaves no half file.
    A symbolic link is followed (its target is written, the link kept); a device or a pipe
    (``/dev/stdout``, a FIFO) is written into, as a shell's ``>`` does: moving a file over it
    replaced it (``--out /dev/full`` said "wrote 12008 rows" and left a CSV file in /dev).
    """
    import os
    import stat

    if not out.name:
        # '' and '.' (the current folder) or '/': Path.with_name below raised a bare ValueError
        raise ConfigError(f"--out {str(out)!r} names no file: give a CSV file's name, "
                          "e.g. --out rows.csv")
    table = frame.reset_index()
    first = table.columns[0]
    table[first] = table[first].dt.strftime("%Y-%m-%d")
    try:
        mode = out.stat().st_mode
    except OSError:
        mode = None          # no such file (yet), or a dangling link: written as a new file
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        try:
            with open(out, "w", encoding="utf-8", newline="") as fh:
                table.to_csv(fh, index=False, float_format=float_format)
        except OSError as exc:
            raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from None
        console(json_out).print(f"wrote {len(table)} rows to {out}")
        return
    target = Path(os.path.realpath(out)) if out.is_symlink() else out
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        table.to_csv(tmp, index=False, float_format=float_format)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from None
    console(json_out).print(f"wrote {len(table)} rows to {out}")


def emit(result: Any, json_out: bool) -> None:
    """Print a result: its ``to_dict()`` as JSON with ``--json``, else its rich rendering.

    A JSON document computed on the simulated demo market says so (``"simulated": true``):
    the only label was a line on stderr, which ``--json`` leaves out.
    """
    if json_out:
        from spillwatch._results import jsonable  # numpy and pandas: not for `--help`

        payload = result.to_dict() if hasattr(result, "to_dict") else result
        if isinstance(payload, dict) and _SIMULATED[0]:
            payload = {"simulated": True, **payload}
        sys.stdout.write(json.dumps(jsonable(payload), indent=2) + "\n")
        sys.stdout.flush()
        return
    if hasattr(result, "__rich__"):
        out.print(result)
    else:
        out.print(str(result), markup=False)


WideOpt = Annotated[bool, typer.Option(
    "--wide", help="Show every column, however wide the terminal (default: fit its width).")]


class SummaryOutput:
    """A command's output: the service's summary dict, then the result (rich and JSON)."""

    def __init__(self, result: Any, summary: dict[str, Any]) -> None:
        self.result, self.summary = result, summary

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, **self.result.to_dict()}

    def __rich__(self) -> Any:
        # a note the result's own text already gives is said once ("read in part: China
        # without ..." came twice in `demand`, as a NOTE and in the result's lines)
        text = " ".join(str(self.result).split())
        notes = [n for n in self.summary.get("notes") or [] if " ".join(n.split()) not in text]
        if not notes:
            return self.result.__rich__()
        from rich.console import Group
        from rich.text import Text

        return Group(*(Text(f"NOTE: {n}", style="bold") for n in notes), self.result.__rich__())


class FrameOutput:
    """A table for the terminal that fits its width, and its rows as JSON.

    Columns are kept in order of ``priority`` (then the frame's order) while they fit the
    console; the others are left out with a note naming ``--wide``. Cells are never cut.
    """

    def __init__(self, frame: Any, title: str, *, priority: tuple[str, ...] = (),
                 wide: bool = False, extra: dict[str, Any] | None = None) -> None:
        self.frame, self.title, self.priority, self.wide = frame, title, priority, wide
        self.extra = extra or {}

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, **self.extra,
                "rows": self.frame.to_dict(orient="records")}

    def _columns(self, width: int) -> list[str]:
        import pandas as pd

        cols = [str(c) for c in self.frame.columns]
        if self.wide:
            return cols

        def need(c: str) -> int:
            vals = ["" if (not isinstance(v, list | dict) and pd.isna(v)) else str(v)
                    for v in self.frame[c]]
            return max([len(c), *map(len, vals)]) + 3  # padding and the border

        order = [c for c in self.priority if c in cols] + [c for c in cols
                                                            if c not in self.priority]
        kept: list[str] = []
        used = 1
        for c in order:
            if used + need(c) <= width or not kept:
                kept.append(c)
                used += need(c)
        return [c for c in cols if c in kept]

    def __rich__(self) -> Any:
        import pandas as pd
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        cols = self._columns(out.width)
        t = Table(title=self.title)
        for c in cols:  # --wide on a narrow terminal folds cells rather than cutting them
            t.add_column(c, no_wrap=not self.wide, overflow="fold")
        for row in utc_instants(self.frame[cols]).itertuples(index=False):
            t.add_row(*["" if (not isinstance(v, list | dict) and pd.isna(v)) else str(v)
                        for v in row])
        hidden = [str(c) for c in self.frame.columns if str(c) not in cols]
        if not hidden:
            return t
        return Group(t, Text(f"({len(hidden)} column(s) not shown: {', '.join(hidden)}; "
                             "--wide shows them)", style="dim"))


def utc_instants(frame: Any) -> Any:
    """``frame`` with its columns of times of day written as UTC (``2026-12-04 16:09:22 UTC``).

    The store keeps naive UTC times: printed bare they read as the reader's local time (a
    silence expiring in two hours read as expired seven hours ago in Tokyo). Columns of dates
    (every value at midnight) are left as they are.
    """
    import pandas as pd

    out = frame
    for c in frame.columns:
        col = frame[c]
        if not pd.api.types.is_datetime64_any_dtype(col):
            continue
        t = col.dt.tz_convert("UTC").dt.tz_localize(None) if col.dt.tz is not None else col
        if (t.dropna() == t.dropna().dt.normalize()).all():
            continue
        if out is frame:
            out = frame.copy()
        out[c] = t.dt.strftime("%Y-%m-%d %H:%M:%S UTC").where(t.notna(), None)
    return out


def vintage(ws: Any, when: dt.date) -> Any:
    """A workspace on the data of ``ws`` as published by the evening of ``when``.

    See :func:`spillwatch.alerts.backtest.vintage.vintage_workspace`.
    """
    from spillwatch.alerts.backtest.vintage import vintage_workspace

    return vintage_workspace(ws, when)
