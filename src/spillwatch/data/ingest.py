"""The one write path into the store: parse → quality checks → store, one transaction per batch.

:func:`import_path` imports CSV files (the shared real-data folder, or any CSV with a date column
and value columns) and :func:`ingest_batch` stores a batch that a live provider parsed. Both
record a run in the ``runs`` table and report read / stored / unchanged / revised / quarantined.

Accounting closes for every file and batch: ``read = stored + unchanged + revised + quarantined
+ merged duplicates`` (empty cells are counted apart, as ``empty``). It is checked in code after
each store write (:meth:`FileReport.check` raises :class:`~spillwatch.exceptions.AccountingError`)
and in the tests. Nothing is dropped without a quarantine row.

Series ids of generic CSVs
--------------------------
A generic CSV's unmapped column ``Close`` becomes ``<provider>:Close`` when the file is imported
on its own, and ``<provider>:<path>.Close`` when it is imported as part of a folder, ``<path>``
being the file's path inside the folder without ``.csv`` (``/`` written as ``.``): two files of
one folder never merge their same-named columns. Mapped columns keep the id they are mapped to.
A mapping or a generic import never changes an existing catalog entry (only the shared-data
layout and the live providers, which know the series, do).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase
from spillwatch.data.events import (
    SHARED_COLUMNS,
    ParsedEvents,
    check_events,
    event_table_of,
    parse_event_csv,
)
from spillwatch.data.panel import MAX_GAP_DAYS
from spillwatch.data.providers import shared
from spillwatch.data.providers._base import known_spec
from spillwatch.data.providers.csvfile import (
    QUARANTINE_COLUMNS,
    ParsedFile,
    SeriesSpec,
    parse_csv,
)
from spillwatch.data.rules import SCALE, scale_of
from spillwatch.exceptions import AccountingError, ConfigError, ImportFileError
from spillwatch.store import Store, UpsertCounts
from spillwatch.store.events import upsert_events
from spillwatch.universe import Frequency


@dataclass
class FileReport:
    """Counts for one imported file (or provider batch).

    ``read`` counts non-empty value cells of series files and rows of event files; it always
    equals ``stored + unchanged + revised + quarantined + duplicates``.
    """

    source: str
    kind: str = "series"
    series: int = 0
    rows: int = 0
    read: int = 0
    empty: int = 0
    stored: int = 0
    revised: int = 0
    unchanged: int = 0
    quarantined: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Raise :class:`AccountingError` when the counts do not close."""
        got = self.stored + self.unchanged + self.revised + self.quarantined + self.duplicates
        if got != self.read:
            raise AccountingError(
                f"{self.source}: read {self.read} but stored {self.stored} + unchanged "
                f"{self.unchanged} + revised {self.revised} + quarantined {self.quarantined} + "
                f"merged {self.duplicates} = {got}; this is a bug, please report it",
                path=self.source)


_TOTAL_KEYS = ("series", "rows", "read", "empty", "stored", "revised", "unchanged",
               "quarantined", "duplicates")


class ImportReport(ResultBase):
    """What an import did, file by file, with totals."""

    title = "import"

    def __init__(self, files: list[FileReport], run_id: int | None,
                 skipped: Sequence[str] = ()) -> None:
        self.files = files
        self.run_id = run_id
        #: Files of an imported folder that are not read (not ``.csv``), by path in the folder.
        self.skipped = list(skipped)

    @property
    def totals(self) -> dict[str, int]:
        """Summed counts over all files."""
        return {k: sum(getattr(f, k) for f in self.files) for k in _TOTAL_KEYS}

    def table(self) -> pd.DataFrame:
        """One row per file with its counts."""
        rows = [{k: v for k, v in vars(f).items() if k != "notes"} for f in self.files]
        frame = pd.DataFrame(rows).set_index("source") if rows else pd.DataFrame()
        return frame

    def _summary_lines(self) -> list[str]:
        t = self.totals
        lines = [f"imported {len(self.files)} file(s): read {t['read']}, stored {t['stored']}, "
                 f"unchanged {t['unchanged']}, revised {t['revised']}, "
                 f"quarantined {t['quarantined']}, repeated rows merged {t['duplicates']} "
                 f"(read = stored + unchanged + revised + quarantined + merged); empty cells "
                 f"{t['empty']}"]
        lines += [f"  note: {Path(f.source).name}: {n}" for f in self.files for n in f.notes]
        if self.skipped:
            shown = ", ".join(self.skipped[:8])
            more = f" and {len(self.skipped) - 8} more" if len(self.skipped) > 8 else ""
            lines.append(f"  not read (not .csv): {len(self.skipped)} file(s) of the folder: "
                         f"{shown}{more}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "totals": self.totals,
                "files": [vars(f) for f in self.files], "skipped": list(self.skipped)}

    def __rich__(self) -> Any:
        """Per file counts in a table that fits 80 columns, then the totals and the notes."""
        from rich.console import Group  # lazy: the core never imports rich at module level
        from rich.table import Table
        from rich.text import Text

        t = Table(title=self.title, title_justify="left")
        t.add_column("file", overflow="fold", max_width=30)
        for c in ("read", "stored", "unchanged", "revised", "quarantined"):
            t.add_column(c, justify="right")
        names = [Path(f.source) for f in self.files]
        common = Path(*names[0].parts[:-1]) if len(names) == 1 else _common(names)
        for f, p in zip(self.files, names, strict=True):
            label = str(p.relative_to(common)) if common and p.is_relative_to(common) else p.name
            t.add_row(label, *(f"{getattr(f, c):,}" for c in ("read", "stored", "unchanged",
                                                                "revised", "quarantined")))
        return Group(t, Text("\n".join(self._summary_lines())))


def _common(paths: Sequence[Path]) -> Path | None:
    if not paths:
        return None
    parts = list(paths[0].parts[:-1])
    for p in paths[1:]:
        while parts and list(p.parts[:len(parts)]) != parts:
            parts.pop()
    return Path(*parts) if parts else None


@dataclass(frozen=True)
class CsvMapping:
    """How a generic CSV maps to series (from CLI options or a small TOML file).

    TOML layout::

        provider = "mydesk"            # series ids become "mydesk:<column>" unless mapped
        date_column = "Date"           # optional
        date_format = "%d/%m/%Y"       # optional, default ISO 8601
        frequency = "daily"            # optional
        only_mapped = false            # import only the columns listed below
        [columns.Close]                # one table per mapped column
        series_id = "binance:BTCUSDT"
        name = "Bitcoin close"
        unit = "usd"
        positive = true                # values <= 0 are quarantined
        block = "crypto"
    """

    provider: str = "csv"
    date_column: str | None = None
    date_format: str = "ISO8601"
    frequency: str = "daily"
    only_mapped: bool = False
    columns: Mapping[str, SeriesSpec] = field(default_factory=dict)

    @classmethod
    def from_toml(cls, path: str | Path) -> CsvMapping:
        """Read a mapping file; an unknown key or a bad value names the file and the key."""
        path = Path(path)
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: mapping file not found", path=str(path)) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}", path=str(path)) from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})",
                              path=str(path)) from None
        allowed = {"provider", "date_column", "date_format", "frequency", "only_mapped",
                   "columns"}
        unknown = set(doc) - allowed
        if unknown:
            raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: "
                              f"{sorted(allowed)}", path=str(path))
        for key in ("provider", "date_column", "date_format", "frequency"):
            _toml_text(doc, key, path)
        _toml_frequency(doc, path)
        provider = str(doc.get("provider", "csv"))
        _check_provider(provider, f"{path}: provider")
        frequency = str(doc.get("frequency", "daily"))
        only_mapped = bool(_toml_flag(doc, "only_mapped", False, path))
        cols: dict[str, SeriesSpec] = {}
        col_keys = {"series_id", "name", "unit", "positive", "block", "frequency"}
        columns = doc.get("columns", {})
        if not isinstance(columns, dict):
            raise ConfigError(f"{path}: 'columns' must be a table of [columns.NAME] tables",
                              path=str(path))
        for col, spec in columns.items():
            if not isinstance(spec, dict):
                raise ConfigError(f"{path}: [columns.{col}] must be a table", path=str(path))
            bad = set(spec) - col_keys
            if bad:
                raise ConfigError(f"{path}: [columns.{col}] unknown key(s) {sorted(bad)}; "
                                  f"allowed: {sorted(col_keys)}", path=str(path))
            for key in ("series_id", "name", "unit", "block", "frequency"):
                _toml_text(spec, key, path, f"[columns.{col}] ")
            _toml_frequency(spec, path, f"[columns.{col}] ")
            _toml_unit_of_id(spec, str(spec.get("series_id", f"{provider}:{col}")), path,
                             f"[columns.{col}] ")
            positive = _toml_flag(spec, "positive", None, path, f"[columns.{col}] ")
            try:
                cols[col] = make_spec(str(spec.get("series_id", f"{provider}:{col}")),
                                      name=spec.get("name"), unit=spec.get("unit"),
                                      positive=positive, block=spec.get("block"),
                                      frequency=str(spec.get("frequency", frequency)))
            except ConfigError as exc:   # it named neither the file nor the table (h_fuzz4)
                raise ConfigError(f"{path}: [columns.{col}] {exc.message}",
                                  path=str(path)) from None
        _no_shared_targets(cols, str(path))
        return cls(provider=provider, date_column=doc.get("date_column"),
                   date_format=str(doc.get("date_format", "ISO8601")), frequency=frequency,
                   only_mapped=only_mapped, columns=cols)

    @classmethod
    def from_options(cls, *, provider: str = "csv", date_column: str | None = None,
                     date_format: str = "ISO8601", maps: Sequence[str] = (),
                     positive: bool = False) -> CsvMapping:
        """Build a mapping from CLI options; ``maps`` holds ``COLUMN=SERIES_ID`` strings.

        Raises
        ------
        ConfigError
            A malformed item, one column mapped twice, or two columns mapped to one series id.
        """
        _check_provider(provider, "--provider")
        cols: dict[str, SeriesSpec] = {}
        for item in maps:
            col, sep, sid = item.partition("=")
            if not sep or not col.strip() or not sid.strip():
                raise ConfigError(f"--map expects COLUMN=SERIES_ID, got {item!r}")
            if col.strip() in cols:
                raise ConfigError(f"--map: column {col.strip()!r} is mapped twice")
            try:
                cols[col.strip()] = make_spec(sid.strip(), name=None,
                                              positive=positive or None,
                                              fallback_name=col.strip(),
                                              frequency=_published_frequency(sid.strip()))
            except ConfigError as exc:
                raise ConfigError(f"--map {item!r}: {exc.message}") from None
        _no_shared_targets(cols, "--map")
        return cls(provider=provider, date_column=date_column, date_format=date_format,
                   only_mapped=bool(cols), columns=cols)


def _check_provider(provider: str, where: str) -> None:
    """Refuse a provider that cannot be the first part of a ``provider:symbol`` id.

    ``provider = ""`` stored the series ``:Close``, ``" "`` the series `` :Close`` and
    ``"a:b"`` the series ``a:b:Close``, whose id reads as provider ``a`` and symbol ``b:Close``
    everywhere but in the catalog (h_fuzz4).

    Raises
    ------
    ConfigError
        Naming where the provider was given and the value.
    """
    if not provider.strip() or provider != provider.strip() or ":" in provider:
        raise ConfigError(f"{where} must be a name without ':' or surrounding spaces (the "
                          f"series ids are PROVIDER:COLUMN), got {provider!r}")


def _toml_flag(table: Mapping[str, Any], key: str, default: bool | None, path: Path,
               where: str = "") -> bool | None:
    """A mapping's ``true``/``false`` key; a string or a number is refused, not read as true.

    Raises
    ------
    ConfigError
        The key holds something other than a TOML boolean (``positive = "no"`` read as a
        price, ``only_mapped = "false"`` as true, before).
    """
    value = table.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise ConfigError(f"{path}: {where}{key} must be true or false (unquoted), got "
                          f"{value!r}", path=str(path))
    return value


def _toml_text(table: Mapping[str, Any], key: str, path: Path, where: str = "") -> None:
    """Refuse a mapping's text key that holds a number, a boolean or a table.

    ``unit = 5`` stopped ``import`` on a raw ``AttributeError`` ('int' object has no attribute
    'strip'), and ``block = true`` or ``name = 3`` were stored as they came.

    Raises
    ------
    ConfigError
        Naming the file, the table and the key.
    """
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{path}: {where}{key} must be a quoted string, got {value!r}",
                          path=str(path))


#: A mapping's frequencies: the store's, and ``"intraday"``, the file's times of day kept in UTC
#: (what an intraday file's refusal advises: a --mapping file with frequency = "intraday").
MAPPING_FREQUENCIES: tuple[str, ...] = (*get_args(Frequency), "intraday")


def _toml_frequency(table: Mapping[str, Any], path: Path, where: str = "") -> None:
    """Refuse a mapping's ``frequency`` the store does not know.

    ``frequency = "hourly"`` (or ``"Daily"``) was stored as given; the quality checks then
    skipped the series and the panel read it as daily, so a typo passed for a setting.
    ``"intraday"`` is allowed: it is how an intraday file is imported (h_verify29: refusing it
    refused the advice the import gives).

    Raises
    ------
    ConfigError
        Naming the file, the table, the value and the frequencies allowed.
    """
    value = table.get("frequency")
    allowed = MAPPING_FREQUENCIES
    if value is not None and value not in allowed:
        raise ConfigError(f"{path}: {where}frequency must be one of {', '.join(allowed)}, "
                          f"got {value!r}", path=str(path))


#: Unit suffixes of a series id that say its scale (the shared data's
#: ``mof:weekly_assets_ltdebt_net_jpy100m``): the analyses read such a series in that unit.
ID_UNITS: tuple[str, ...] = ("usd_bn", "usd100m", "jpy100m", "jpy_tn", "jpy_bn")


def _toml_unit_of_id(table: Mapping[str, Any], series_id: str, path: Path,
                     where: str = "") -> None:
    """Refuse a mapping's ``unit`` that contradicts the unit its series id names.

    ``unit = "jpy_bn"`` on ``mof:weekly_assets_ltdebt_net_jpy100m`` was stored in the catalog
    while the demand analyses read the values as 100 million yen: Japan's weekly flows, their
    dollar figure and the alert fact ``demand.japan_bond_net1_jpy_bn`` came out a tenth of
    the file's (h_meta2). Nothing converts a column's values, so the two units cannot both hold.

    Raises
    ------
    ConfigError
        Naming the file, the table, both units and the ways out.
    """
    unit = table.get("unit")
    named = next((u for u in ID_UNITS if series_id.endswith(f"_{u}")), None)
    if unit is not None and named is not None and unit != named:
        raise ConfigError(f"{path}: {where}unit {unit!r}, but {series_id} is read in "
                          f"{named!r} (its id says so) and an import does not convert values: "
                          f"write the column in {named}, or map it to a series id of your own",
                          path=str(path))
    if unit is not None and scale_of(series_id) != 1.0:
        # the import converts such a column from its publisher's unit (aa06f6f): a unit given
        # beside it is either that (then not needed) or another, whose values were converted
        # as if published (unit = "usd_bn" on fred:WMTSECL1: billions stored a thousandth)
        raise ConfigError(f"{path}: {where}unit {unit!r}, but {series_id} is read in its "
                          f"publisher's unit ({SCALE[series_id][1]}) and converted: leave "
                          f"unit out and write the column as published, or map it to a series "
                          f"id of your own", path=str(path))


def _no_shared_targets(cols: Mapping[str, SeriesSpec], where: str) -> None:
    seen: dict[str, str] = {}
    for col, spec in cols.items():
        if spec.series_id in seen:
            raise ConfigError(f"{where}: columns {seen[spec.series_id]!r} and {col!r} are both "
                              f"mapped to {spec.series_id}; one series can come from one column "
                              "only")
        seen[spec.series_id] = col


def _published_frequency(series_id: str) -> str:
    """The frequency a publisher's series has in the shared layout, else ``"daily"``.

    ``--map`` takes no frequency: a file mapped onto FRED's weekly custody series
    (``--map WMTSECL1=fred:WMTSECL1``) was catalogued daily, where ``fred/WMTSECL1.csv``
    is weekly, and the import advised "give it its frequency in a mapping file" (h_data1).
    """
    provider, _, symbol = series_id.partition(":")
    if provider == "fred" and symbol:
        return shared.fred_spec(symbol).frequency
    return "daily"


def make_spec(series_id: str, *, name: str | None = None, unit: str | None = None,
              positive: bool | None = None, block: str | None = None,
              frequency: str = "daily", fallback_name: str | None = None) -> SeriesSpec:
    """Build a catalog entry for ``series_id`` (``provider:symbol``).

    A series the watch list knows (``fred:DEXJPUS``) keeps its known name, unit, block and
    positivity where they are not given; otherwise ``fallback_name`` (or the symbol) names it.
    """
    provider, sep, symbol = series_id.partition(":")
    if not sep or not provider or not symbol:
        raise ConfigError(f"series id must look like 'provider:symbol', got {series_id!r}")
    known = known_spec(series_id, frequency=frequency)
    if known is not None:
        return SeriesSpec(series_id, name or known.name, unit or known.unit, frequency,
                          block or known.block, provider, symbol,
                          known.positive if positive is None else bool(positive))
    return SeriesSpec(series_id, name or fallback_name or symbol, unit or "", frequency,
                      block or "other", provider, symbol, bool(positive))


def require_path(path: Path) -> None:
    """Refuse a path to import that does not exist.

    Called before a store is opened for the import: a store file created for nothing was left
    behind otherwise.

    Raises
    ------
    ImportFileError
        ``path`` does not exist.
    """
    if not path.exists():
        raise ImportFileError(f"{path}: no such file or folder", path=str(path))


def drop_if_empty(db: Path) -> None:
    """Remove a store file an import created and then refused, when nothing is in it.

    A first import refused (a malformed file, a duplicate header) left a store holding only its
    run log's error: the next command said the store "lacks" the 10-year instead of "no store
    at … yet: fill it with `spillwatch import PATH`", as :func:`require_path` leaves none for a
    missing path (h_fuzz4). A folder whose other files were stored keeps its store.
    """
    from spillwatch.store.duckdb import lock_path

    with Store(str(db)) as store:
        tables = store.query("SELECT table_name FROM information_schema.tables WHERE "
                             "table_schema = 'main' AND table_catalog = current_database() "
                             "AND table_name NOT IN ('runs', 'meta')"
                             )["table_name"].tolist()
        held = sum(int(store.query(f'SELECT count(*) AS n FROM "{t}"')["n"].iloc[0])
                   for t in tables)
    if held == 0:
        for f in (db, Path(f"{db}.wal"), lock_path(db)):
            f.unlink(missing_ok=True)


def _csv_files(path: Path) -> tuple[list[Path], list[str]]:
    """The ``.csv`` files under ``path`` (sorted), and the other files, by path in it."""
    require_path(path)
    if path.is_file():
        return [path], []
    unread: list[str] = []

    def refuse(exc: OSError) -> None:  # os.walk would skip a folder it cannot list
        unread.append(f"{exc.filename}: cannot be read ({exc.strerror or exc})")

    found = [Path(top) / name for top, _dirs, names in os.walk(path, onerror=refuse)
             for name in names]              # symlinked folders are not entered (as rglob)
    if unread:
        raise ImportFileError(f"{unread[0]}; nothing was imported from {path}"
                              + (f" ({len(unread) - 1} more folders unreadable)"
                                 if len(unread) > 1 else ""), path=str(path))
    files = sorted(p for p in found if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise ImportFileError(f"{path}: no .csv file in this folder", path=str(path))
    # a folder import names what it did not read (an .xlsx, a .txt of CSV text, a .csv.bak)
    others = sorted(str(p.relative_to(path)) for p in found
                    if p.suffix.lower() != ".csv" and p.is_file())
    return files, others


def _relative_stem(path: Path, root: Path | None) -> str | None:
    if root is None:
        return None
    try:  # the path inside the folder as listed (a symlink keeps its own name)
        rel = path.relative_to(root)
    except ValueError:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except ValueError:
            return None
    return ".".join(rel.with_suffix("").parts)


def refuse_shared_stems(files: Sequence[Path], root: Path, mapping: CsvMapping | None
                        ) -> None:
    """Refuse a folder in which two generic files would give their columns one id prefix.

    ``a.b.csv`` and ``a/b.csv`` both qualify their columns as ``a.b.<column>``: their ``X``
    columns merged into one series (a point of each quarantined as "two files disagree").
    Nothing is written.
    """
    seen: dict[str, Path] = {}
    for f in files:
        if mapping is None and shared.layout_of(f, root) is not None:
            continue                     # the shared layout names its series itself
        stem = _relative_stem(f, root)
        if stem is None:
            continue
        if stem in seen:
            raise ImportFileError(f"{seen[stem]} and {f} would both name their columns "
                                  f"'{stem}.<column>' (a folder's path is written with '.'): "
                                  "rename one of them; nothing was imported", path=str(f))
        seen[stem] = f


def _refuse_produced_ids(parsed: ParsedFile | ParsedEvents, path: Path,
                        produced: dict[str, Path]) -> None:
    """Refuse a generic file of a folder whose column id another file already gave.

    ``a.csv`` with a column ``b.X`` and ``a/b.csv`` with ``X`` both give ``csv:a.b.X``; the
    stem check cannot see column names. The later file is left out and named.
    """
    if isinstance(parsed, ParsedEvents) or getattr(parsed, "authoritative", False):
        return
    for spec in parsed.series:
        other = produced.get(spec.series_id)
        if other is not None and other != path:
            raise ImportFileError(f"{path}: its column gives the series id {spec.series_id}, "
                                  f"which {other} already gave: rename the column or the "
                                  "file", path=str(path))
    for spec in parsed.series:
        produced[spec.series_id] = path


#: Files larger than this are parsed with the store's file free (:meth:`Store.lease`); a
#: smaller one parses in well under a second, and reconnecting per file costs a catalog build.
PARSE_FREE_BYTES = 8 * 1024 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def parse_file(path: Path, root: Path | None, mapping: CsvMapping | None
               ) -> ParsedFile | ParsedEvents:
    """Parse one file: shared-data layout when it is one (series or events), else generic CSV.

    ``root`` is the imported folder (``None`` for a single file): in a folder, a generic file's
    unmapped columns get ids qualified by the file's path (see the module notes).
    """
    layout = shared.layout_of(path, root) if mapping is None else None
    if layout is not None and layout.events is not None:
        return parse_event_csv(path, layout.events, SHARED_COLUMNS.get(layout.events))
    table = event_table_of(path) if layout is None and mapping is None else None
    if table is not None:      # the events' columns in a file of the user's own folder
        return parse_event_csv(path, table, SHARED_COLUMNS.get(table))
    if layout is not None:
        provider = shared.provider_of(path, layout)

        def spec_of(col: str) -> SeriesSpec:
            return shared.column_specs(path, layout, [col])[col]

        parsed = parse_csv(path, provider=provider, spec_of=spec_of, frequency=layout.frequency,
                           period_columns=layout.period_columns,
                           scale_of=lambda c: shared.column_scales(path, layout, [c]).get(c, 1.0),
                           symbol_prefix=layout.prefix)
        parsed.authoritative = True
        note = _named_series_absent(parsed, f"{provider}:{layout.prefix}{path.stem}")
        if note:
            parsed.notes.append(note)
        return parsed
    m = mapping or CsvMapping()
    stem = _relative_stem(path, root)

    prefix = f"{stem}." if stem else ""

    def published(col: str) -> float:
        # a column mapped onto a publisher's id is in the publisher's unit, as its own file
        # (FRED's WMTSECL1 in millions: --map WMTSECL1=fred:WMTSECL1 stored 1,000x, h_meta2);
        # so is a column whose id names one through the provider (FRED's own download imported
        # with --provider fred stored WMTSECL1's millions as billions, h_fuzz4)
        return scale_of(m.columns[col].series_id if col in m.columns
                        else f"{m.provider}:{prefix}{col}")

    return parse_csv(path, provider=m.provider, date_column=m.date_column,
                     date_format=m.date_format, columns=m.columns, only_mapped=m.only_mapped,
                     frequency=m.frequency, symbol_prefix=prefix, scale_of=published)


def _named_series_absent(parsed: ParsedFile, named: str) -> str | None:
    """A note when a file named after a watched series holds no column of it.

    ``fred/VIXCLS.csv`` with its value column headed ``VIX_CLOSE`` was stored as
    ``fred:VIX_CLOSE`` without a word, and `stress` then read "missing inputs: vix" (h_data1).
    None when ``named`` is no series of the watch list or the file holds it.
    """
    if known_spec(named) is None:
        return None
    ids = [s.series_id for s in parsed.series]
    col = parsed.path.stem
    # the column is there when it was stored, quarantined, or said to hold no value
    held = (named in ids
            or ("column" in parsed.quarantine and col in set(parsed.quarantine["column"]))
            or any(f"column {col!r}" in n for n in parsed.notes))
    if held:
        return None
    stored = ", ".join(ids) if ids else "nothing"
    return (f"no column {col}, the series {named} the file's name is of (stored: {stored}, "
            f"which no analytic reads); name its value column {col}")


def _register(store: Store, specs: Sequence[SeriesSpec], *, authoritative: bool,
              con: Any) -> list[str]:
    """Catalog entries: a layout/provider updates them; anything else only adds missing ones.

    Returns notes for entries kept although the import named them differently.
    """
    if authoritative:
        store.register_series(specs, con=con)
        return []
    ids = [s.series_id for s in specs]
    if not ids:
        return []
    rows = con.execute("SELECT series_id, name, unit, positive, frequency FROM series WHERE "
                       "series_id IN (SELECT unnest(?))", [ids]).fetchall()
    have = {r[0]: r[1:4] for r in rows}
    freq = {r[0]: r[4] for r in rows}
    store.register_series([s for s in specs if s.series_id not in have], con=con)
    notes = [f"{s.series_id} is already in the catalog as {have[s.series_id][0]!r}: its entry "
             f"is kept (not renamed to {s.name!r})" for s in specs
             if s.series_id in have and have[s.series_id][0] != s.name]
    # a series imported again as a price (--positive, or positive = true in a mapping) becomes
    # one: the catalog said "not a price" forever and the error that asked for exactly this
    # import came back; a unit the catalog lacks is filled in. Its stored values at or below
    # zero cannot be prices: they move to the quarantine, counted in the note.
    for spec in specs:
        if spec.series_id not in have:
            continue
        _, unit, was_positive = have[spec.series_id]
        # a publisher's series keeps its entry: a spread, a bill rate or WTI may be at or below
        # zero (one row imported onto fred:T10Y2Y with --positive moved its whole 2022-24
        # inversion, 1,739 points, to the quarantine)
        publisher = _publisher_id(spec)
        # a frequency a mapping file gives (daily is every CSV's default) is the series' own:
        # the import's advice for a weekly file ("give it its frequency in a mapping file")
        # left it daily, and its weekly changes were none on the daily calendar
        if (spec.frequency != "daily" and spec.frequency != freq.get(spec.series_id)
                and not publisher):
            con.execute("UPDATE series SET frequency = ? WHERE series_id = ?",
                        [spec.frequency, spec.series_id])
            notes.append(f"{spec.series_id}: frequency set to {spec.frequency!r} (was "
                         f"{freq.get(spec.series_id)!r})")
        upgrade = bool(spec.positive) and not was_positive and not publisher
        if bool(spec.positive) and not was_positive and publisher:
            notes.append(f"{spec.series_id} is a publisher's series: it stays as published "
                         "(not made a price; its values at or below zero are kept)")
        fill = bool(spec.unit) and not unit
        if not (upgrade or fill):
            if spec.unit and unit and spec.unit != unit:
                notes.append(f"{spec.series_id} is already in the catalog in {unit!r}: its unit "
                             f"is kept (not changed to {spec.unit!r})")
            continue
        con.execute("UPDATE series SET positive = positive OR ?, unit = CASE WHEN unit = '' "
                    "THEN ? ELSE unit END WHERE series_id = ?",
                    [upgrade, spec.unit or "", spec.series_id])
        if fill:
            notes.append(f"{spec.series_id}: unit set to {spec.unit!r}")
        if upgrade:
            notes.append(_now_a_price(store, con, spec.series_id))
    return notes


def _now_a_price(store: Store, con: Any, series_id: str) -> str:
    """Make a stored series a price: its values at or below zero move to the quarantine."""
    bad = con.execute("SELECT ts, value FROM observations WHERE series_id = ? AND value <= 0 "
                      "ORDER BY ts", [series_id]).fetchall()
    if bad:
        store.add_quarantine(pd.DataFrame({
            "series_id": series_id, "source": "store (imported before it was a price)",
            "line": pd.array([None] * len(bad), dtype="Int64"), "column": None,
            "raw_date": [str(ts.date()) for ts, _ in bad],
            "raw_value": [repr(float(v)) for _, v in bad],
            # (one reason per date: the points have no line of a file to tell them apart)
            "reason": [f"a price at or below zero on {ts.date()} (stored before the series "
                       "was declared a price)" for ts, _ in bad]}),
            con=con)
        con.execute("DELETE FROM observations WHERE series_id = ? AND value <= 0", [series_id])
    return (f"{series_id} is now a price (positive)"
            + (f"; its {len(bad)} stored value(s) at or below zero moved to the quarantine"
               if bad else ""))


def _refuse_demo_ids(con: Any, parsed: ParsedFile) -> None:
    """Refuse a file that would write series of the demo provider or that the demo market holds.

    The demo writes its foreign-demand inputs under the real ids (``fred:WMTSECL1``, MOF's
    flows): real points would revise simulated ones and the two would read as one series. A
    series of the user's own (``csv:MYFUND``) may join a demo store (to try a book on it); the
    store is labelled simulated wherever it is read.
    """
    ids = [s.series_id for s in parsed.series]
    if not ids:
        return
    own = [s.series_id for s in parsed.series if s.provider == "demo"]
    if own:
        # the demo provider's ids mark the simulated market: one such series (--provider demo,
        # --map X=demo:btc) labelled a real store "the simulated demo market" everywhere, its
        # analyses read the absent demo series and fetch refused it (h_fuzz4)
        raise ImportFileError(
            f"{parsed.path}: would write {len(own)} series under the demo provider "
            f"({', '.join(own[:3])}{', …' if len(own) > 3 else ''}), whose ids mark the "
            "simulated demo market: choose another provider (--provider, or the mapping's "
            "series_id)", path=str(parsed.path))
    hit = [r[0] for r in con.execute(
        "SELECT series_id FROM series WHERE provider = 'demo' AND series_id IN "
        "(SELECT unnest(?)) ORDER BY series_id", [ids]).fetchall()]
    if hit:
        raise ImportFileError(
            f"{parsed.path}: would write {len(hit)} series the simulated demo market holds in "
            f"this store ({', '.join(hit[:3])}{', …' if len(hit) > 3 else ''}): import real data "
            "into a store of its own", path=str(parsed.path))


def store_parsed(store: Store, parsed: ParsedFile | ParsedEvents, *, run_id: int | None,
                 earlier: dict[str, pd.Series] | None = None) -> FileReport:
    """Write one parsed file in one transaction: catalog, quarantine, then the upsert.

    ``earlier`` holds what the earlier files of the import gave and were kept (series id →
    values by date): a point of this file that disagrees is quarantined, and the points this
    file has kept are added to it once they are written.
    """
    if isinstance(parsed, ParsedEvents):
        return store_events(store, parsed, run_id=run_id)
    from spillwatch.data import quality

    notes = list(parsed.notes)
    with store.transaction() as con:
        _refuse_demo_ids(con, parsed)
        notes += _register(store, parsed.series,
                           authoritative=getattr(parsed, "authoritative", False), con=con)
        notes += sparse_daily_notes(parsed.observations, parsed.series, con)
        if not getattr(parsed, "authoritative", False):   # a publisher's file is as published
            notes += gap_notes(parsed.observations, parsed.series, con)
        flags = quality.revision_flags(con, parsed.observations, parsed.series, run_id=run_id,
                                       earlier=earlier)
        n_rev = len(flags)
        along = quality.overlap_holds(con, parsed.observations, flags)
        flags.update(along)
        sibling = quality.sibling_unit_flags(con, parsed.observations, parsed.series)
        sibling = {k: why for k, why in sibling.items() if k not in flags}
        flags.update(sibling)
        for k, why in quality.import_spike_flags(con, parsed.observations,
                                                 parsed.series).items():
            flags.setdefault(k, why)
        obs, held = _hold_revisions(parsed, flags)
        if n_rev:
            notes.append(f"{n_rev} point(s) would have revised stored values into "
                         "implausible ones (a unit change or a bad tick?) or contradict an "
                         "earlier file of this import: quarantined, the stored values kept "
                         "(see `spillwatch data quarantine`)")
        if along:
            notes.append(f"{len(along)} new point(s) held with them: most of their series' "
                         "stored dates came back in another unit, so its new dates are not "
                         "trusted either (see `spillwatch data quarantine`)")
        if sibling:
            notes.append(f"{len(sibling)} point(s) are in another unit than a stored source of "
                         "the same asset (a fraction against percent, cents against dollars?): "
                         "quarantined, the stored source kept (see `spillwatch data "
                         "quarantine`)")
        spikes = len(held) - n_rev - len(along) - len(sibling)
        if spikes:
            notes.append(f"{spikes} point(s) jump beyond {quality.SPIKE_K:g} robust sigmas of "
                         "their series' daily moves and straight back (alone, or as a run of "
                         f"up to {quality.PLATEAU_MAX} points a power of ten away), or beyond "
                         f"{quality.EDGE_K:g} to a level a power of ten away held to the end "
                         "(another unit?), or, as the newest "
                         f"point, beyond {quality.EDGE_K:g} and threefold (bad ticks?): "
                         "quarantined, not stored (see `spillwatch data quarantine`)")
        quarantine = pd.concat([parsed.quarantine, held], ignore_index=True) if len(held) \
            else parsed.quarantine
        store.add_quarantine(quarantine, run_id=run_id, con=con)
        gone = store.resolve_quarantine(str(parsed.path), quarantine, con=con)
        if gone:
            notes.append(f"{gone} quarantined point(s) of earlier imports of this file are no "
                         "longer rejected: removed from the quarantine")
        counts: UpsertCounts = store.upsert(obs, run_id=run_id, con=con)
        rep = FileReport(source=str(parsed.path), series=len(parsed.series), rows=parsed.rows,
                         read=parsed.values, empty=parsed.empty, stored=counts.stored,
                         revised=counts.revised, unchanged=counts.unchanged,
                         quarantined=len(quarantine), duplicates=parsed.duplicates,
                         notes=notes)
        rep.check()  # inside the transaction: counts that do not close write nothing
    if earlier is not None:
        for sid, grp in obs.groupby("series_id", sort=False):
            now = pd.Series(grp["value"].to_numpy(dtype="float64"),
                            index=pd.DatetimeIndex(pd.to_datetime(grp["ts"])))
            prev = earlier.get(str(sid))
            earlier[str(sid)] = now if prev is None else prev.combine_first(now)
    return rep


#: Median days between a series' dates from which a series catalogued as daily is not daily.
SPARSE_DAYS = 6


def _publisher_id(spec: SeriesSpec) -> bool:
    """Whether ``spec`` is a publisher's series, whose catalog entry an import keeps."""
    return (spec.series_id.partition(":")[0] in shared.publisher_providers()
            or known_spec(spec.series_id, frequency=spec.frequency) is not None)


def sparse_daily_notes(observations: pd.DataFrame, specs: Sequence[SeriesSpec],
                       con: Any = None) -> list[str]:
    """A note for each series catalogued as daily whose dates are weeks or months apart.

    Such a series (a monthly file imported with ``--map``, which catalogs daily) has no daily
    change on the panel's calendar: a spillover on it said "csv_eur_chg has no change" with
    nothing at the import to say why. With the store's connection ``con`` the catalog decides
    what is daily: a publisher's series (``binance:BTCUSDT``) stays daily whatever frequency a
    mapping gives it, and its note says so (a user's weekly bitcoin was told to give it its
    frequency in a mapping file; the import that did so said nothing, and the series stayed
    daily, without a change).
    """
    out = []
    daily = {s.series_id for s in specs if s.frequency == "daily"}
    if con is not None and specs:
        daily |= {r[0] for r in con.execute(
            "SELECT series_id FROM series WHERE frequency = 'daily' AND series_id IN "
            "(SELECT unnest(?))", [[s.series_id for s in specs]]).fetchall()}
    publisher = {s.series_id for s in specs if _publisher_id(s)}
    for sid, ts in observations.groupby("series_id", sort=False)["ts"]:
        if sid in daily and (why := sparse_daily(ts, own=sid not in publisher)):
            out.append(f"{sid}: {why}")
    return out


def sparse_daily(dates: Any, *, own: bool = True) -> str | None:
    """Why a series catalogued as daily has no daily change, from its dates (None: it has).

    ``"its 378 dates are a median of 7 days apart (a weekly series?) but it is catalogued as
    daily, so it has no daily changes; give it its frequency in a mapping file (--mapping,
    frequency = "weekly")"`` when the median gap is :data:`SPARSE_DAYS` days or more (with at
    least 10 dates). A publisher's series (``own=False``) keeps its daily catalog entry, so
    the advice is to import daily values, or the file under an id of the user's own.
    """
    ts = pd.to_datetime(pd.Series(dates)).dropna()
    if len(ts) < 10:
        return None
    gap = float(np.median(np.diff(np.sort(ts.to_numpy())) / np.timedelta64(1, "D")))
    if gap < SPARSE_DAYS:
        return None
    kind = "monthly" if gap >= 25 else "weekly"
    head = f"its {len(ts)} dates are a median of {gap:g} days apart (a {kind} series?) but "
    if not own:
        return (head + "it is a publisher's series, catalogued as daily whatever frequency a "
                "mapping gives it, so it has no daily changes; import daily values, or this "
                "file under an id of your own (a mapping file with series_id = "
                f"\"csv:NAME\" and frequency = \"{kind}\")")
    return (head + "it is catalogued as daily, so it has no daily changes; give it its "
            f"frequency in a mapping file (--mapping, frequency = \"{kind}\")")


def gap_notes(observations: pd.DataFrame, specs: Sequence[SeriesSpec],
              con: Any = None) -> list[str]:
    """A note for each daily series with dates more than :data:`MAX_GAP_DAYS` apart.

    A holiday week (Japan's Golden Week, a market closed after a storm): the change across
    it is not a daily change, and the panel leaves it out. It was left out without a word (a
    JGB yield of the user's lost 14 changes); said here, where the file is read. With the
    store's connection ``con``, also the gap between the file and the stored dates around it
    (a month's file appended after a missing month read only its own dates).
    """
    out = []
    daily = {s.series_id for s in specs if s.frequency == "daily"}
    for sid, ts in observations.groupby("series_id", sort=False)["ts"]:
        if sid not in daily:
            continue
        days = pd.DatetimeIndex(pd.to_datetime(ts)).normalize().unique().sort_values()
        if con is not None and len(days):
            out += _edge_gaps(con, str(sid), days)
        if len(days) < 10 or np.median(np.diff(days.to_numpy()) / np.timedelta64(1, "D")) \
                >= SPARSE_DAYS:
            continue     # too short to say, or sparse (sparse_daily_notes says so)
        after = days[1:][np.diff(days.to_numpy()) > np.timedelta64(MAX_GAP_DAYS, "D")]
        if len(after):
            before = days[days.get_indexer(after) - 1]
            shown = ", ".join(f"{a:%Y-%m-%d} after {b:%Y-%m-%d}"
                              for a, b in zip(after[:3], before[:3], strict=True))
            out.append(f"{sid}: {len(after)} of its dates "
                       f"follow{'s' if len(after) == 1 else ''} a gap of more than "
                       f"{MAX_GAP_DAYS} calendar days ({shown}{', ...' if len(after) > 3 else ''})"
                       "; the change across such a gap is not a daily change and is left out "
                       "of its daily changes")
    return out


def _edge_gaps(con: Any, sid: str, days: pd.DatetimeIndex) -> list[str]:
    """The gaps of more than :data:`MAX_GAP_DAYS` between a file's dates and the stored ones."""
    first, last = days[0], days[-1]
    prev, nxt = con.execute(
        "SELECT max(ts) FILTER (WHERE ts < ?), min(ts) FILTER (WHERE ts > ?) "
        "FROM observations WHERE series_id = ?",
        # the stored dates either side of the file's: the day right after its last date
        # included (`> last + 1 day` skipped it, and a later stored date was said to follow
        # the file after a gap)
        [first.to_pydatetime(), last.to_pydatetime(), sid]
    ).fetchall()[0]
    out = []
    for a, b in ((prev, first), (last, nxt)):
        if a is None or b is None:
            continue
        a, b = pd.Timestamp(a).normalize(), pd.Timestamp(b).normalize()
        if (b - a).days > MAX_GAP_DAYS:
            which = "its first date" if b == first else "the stored"
            other = "the stored" if b == first else "its last date"
            out.append(f"{sid}: {which} {b:%Y-%m-%d} follows {other} {a:%Y-%m-%d} after a gap "
                       f"of {(b - a).days} calendar days (more than {MAX_GAP_DAYS}); the change "
                       "across it is not a daily change and is left out of its daily changes")
    return out


def _hold_revisions(parsed: ParsedFile, flags: Mapping[Any, str]
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a parsed file's points into those to upsert and the quarantine rows of ``flags``."""
    obs = parsed.observations
    if not flags:
        return obs, pd.DataFrame(columns=QUARANTINE_COLUMNS)
    idx = pd.Index(list(flags))
    bad = obs.loc[idx]
    origin = parsed.origins.loc[idx] if parsed.origins is not None else None
    held = pd.DataFrame({
        "series_id": bad["series_id"].to_numpy(),
        "source": str(parsed.path),
        "line": origin["line"].to_numpy() if origin is not None else -1,
        "column": origin["column"].to_numpy() if origin is not None
        else bad["series_id"].to_numpy(),
        "raw_date": pd.to_datetime(bad["ts"]).dt.strftime("%Y-%m-%d").to_numpy(),
        "raw_value": [f"{v:g}" for v in bad["value"]],
        "reason": [flags[i] for i in idx],
    })
    return obs.drop(index=idx), held


def store_events(store: Store, parsed: ParsedEvents, *, run_id: int | None) -> FileReport:
    """Write checked events and their quarantine in one transaction."""
    with store.transaction() as con:
        # (a store opened for writing has the event tables: the schema creates them)
        demo = con.execute(f"SELECT count(*) FROM {parsed.table} WHERE source = 'demo'"
                           ).fetchall()[0][0]
        if demo:     # real auctions among simulated ones read as one record
            raise ImportFileError(f"{parsed.source}: the store holds the simulated demo "
                                  f"market's {parsed.table}: import real data into a store of "
                                  "its own", path=str(parsed.source))
        store.add_quarantine(parsed.quarantine, run_id=run_id, con=con)
        counts = upsert_events(store, parsed.table, parsed.events, run_id=run_id, con=con)
        rep = FileReport(source=parsed.source, kind=f"events:{parsed.table}", rows=parsed.rows,
                         read=parsed.rows, stored=counts.stored, revised=counts.revised,
                         unchanged=counts.unchanged, quarantined=len(parsed.quarantine),
                         duplicates=parsed.duplicates, notes=list(parsed.notes))
        rep.check()
    return rep


def _process_start() -> dt.datetime:
    import psutil

    return dt.datetime.fromtimestamp(psutil.Process().create_time(), dt.UTC).replace(
        tzinfo=None)


def _alive(pid: int, started_at: dt.datetime) -> bool:
    """Whether the process ``pid`` exists and is the one that started a run at ``started_at``."""
    import psutil

    try:
        proc = psutil.Process(pid)
        created = dt.datetime.fromtimestamp(proc.create_time(), dt.UTC).replace(tzinfo=None)
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.Error:
        return True  # exists, but not ours to inspect: assume it is still running
    if proc.status() == psutil.STATUS_ZOMBIE:
        return False
    # a pid reused by a process born after the run started is not that run's process
    return created <= started_at + dt.timedelta(seconds=2)


def _gone(store: Store) -> list[int]:
    """Runs left ``running`` whose process ended (see :func:`mark_interrupted`)."""
    frame = store.query("SELECT run_id, pid, started_at FROM runs WHERE status = 'running'")
    me, born = os.getpid(), _process_start()
    out = []
    for run_id, pid, started in frame.itertuples(index=False):
        started = pd.Timestamp(started).to_pydatetime()
        if pd.isna(pid):
            if started < born:
                out.append(int(run_id))
        elif int(pid) != me and not _alive(int(pid), started):
            out.append(int(run_id))
    return out


def runs_seen(store: Store) -> pd.DataFrame:
    """The run log as it stands: a ``running`` run whose process ended reads ``interrupted``.

    Read-only: the next import or fetch records it and counts what it wrote
    (:func:`mark_interrupted`). ``data runs`` showed a killed import as ``running`` until then,
    while the half-filled store read as a calm market.
    """
    frame = store.runs()
    gone = _gone(store)
    if gone:
        hit = frame["run_id"].isin(gone)
        frame.loc[hit, "status"] = "interrupted"
        frame.loc[hit, "message"] = [
            (f"{m}; " if isinstance(m, str) and m else "") + "its process ended before it "
            "finished (the next import or fetch records what it wrote)"
            for m in frame.loc[hit, "message"]]
    return frame


def mark_interrupted(store: Store) -> int:
    """Mark runs left ``running`` by a process that ended (killed) as ``interrupted``.

    A run is interrupted when the process recorded with it no longer exists (or its pid now
    belongs to a younger process); runs of stores written before process ids were recorded are
    interrupted when they started before this process. Runs of this process are never touched.

    Returns
    -------
    int
        The number of runs marked.
    """
    stale = _gone(store)
    if stale:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with store.transaction() as c:
            for run_id in stale:
                # what it wrote before the kill is in the store, tagged with its id: counted
                # here (the run read 0 / stored 0 while 6,372 of its rows were in the store)
                obs, rev, held, events = (int((c.execute(q, [run_id]).fetchone() or (0,))[0])
                                          for q in (
                    "SELECT count(*) FROM observations WHERE run_id = ?",
                    "SELECT count(*) FROM revisions WHERE run_id = ?",
                    "SELECT count(*) FROM quarantine WHERE run_id = ?",
                    "SELECT (SELECT count(*) FROM auctions WHERE run_id = ?1) + "
                    "(SELECT count(*) FROM fx_interventions WHERE run_id = ?1)"))
                stored = max(obs - rev, 0) + events
                c.execute(
                    "UPDATE runs SET status = 'interrupted', finished_at = ?, stored = ?, "
                    "revised = ?, quarantined = ?, read = ?, message = coalesce(message || "
                    "'; ', '') || ? WHERE run_id = ?",
                    [now, stored, rev, held, stored + rev + held,
                     "interrupted: its process ended before the run finished (killed?); the "
                     f"counts are of the rows it left in the store ({stored:,} stored, {rev:,} "
                     f"revised, {held:,} quarantined; what it read unchanged is not known)",
                     run_id])
    return len(stale)


def holds_demo(store: Store) -> bool:
    """Whether a store holds the simulated demo market (series of the ``demo`` provider)."""
    return bool(store.query("SELECT count(*) AS n FROM series WHERE provider = 'demo'")
                ["n"].iloc[0])


def import_path(path: str | Path, store: Store, *, mapping: CsvMapping | None = None,
                on_file: Callable[[Path, FileReport], None] | None = None) -> ImportReport:
    """Import a CSV file or every CSV under a folder into ``store``.

    Parameters
    ----------
    path : str or Path
        A CSV file, or a folder (searched recursively). Files of the shared real-data layout
        (``fred/``, ``crypto/``, ``treasury/``, ``holdings/``, ``auctions/`` ...) get their
        publisher's series ids and units, or go to the event tables.
    store : Store
        Where to write.
    mapping : CsvMapping, optional
        Column → series mapping for generic CSVs (disables the shared-data layout).
    on_file : callable, optional
        Called after each file with its report (for progress bars).

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportFileError
        A file is missing, empty, malformed, or lacks a date column (the message names the file
        and line); nothing of that file is written. In a folder the import goes on with the
        other files (each file is one transaction) and then raises, naming every file it left
        out and what it stored: one bad file had stopped it halfway, the files after it unread,
        and the half-filled store read as a calm market.
    """
    # each file's rows are recorded by its absolute path (the quarantine keys on it): the same
    # file imported as `full` and as `$PWD/full` doubled the quarantine (474 rows, 237 points)
    root = Path(os.path.abspath(path))      # symbolic links kept (a linked file's own ids)
    files, skipped = _csv_files(root)
    base = root if root.is_dir() else None
    if base is not None:
        refuse_shared_stems(files, base, mapping)
    with store.lease() as breathe:          # one connection across files (see Store.lease)
        mark_interrupted(store)
        run_id = store.start_run("import", message=str(root))
        reports: list[FileReport] = []
        refused: list[ImportFileError] = []
        try:
            produced: dict[str, Path] = {}    # generic ids of this folder -> their file
            earlier: dict[str, pd.Series] = {}   # what its files gave, series id -> values
            for f in files:
                try:
                    # a big file is parsed with the store free: its parse held the file for
                    # a minute, and a monitor or reader waiting on it gave up
                    with breathe.free() if _size(f) > PARSE_FREE_BYTES else nullcontext():
                        parsed = parse_file(f, base, mapping)
                    if base is not None and mapping is None:
                        _refuse_produced_ids(parsed, f, produced)
                except ImportFileError as exc:
                    if base is None:
                        raise
                    refused.append(exc)
                    continue
                rep = store_parsed(store, parsed, run_id=run_id, earlier=earlier)
                reports.append(rep)
                if on_file is not None:
                    on_file(f, rep)
                breathe()
            if refused:
                t = ImportReport(reports, run_id).totals
                raise ImportFileError(
                    f"{len(refused)} of {len(files)} file(s) were not imported: "
                    + "; ".join(str(e) for e in refused)
                    + f". The other {len(reports)} file(s) were (read {t['read']}, stored "
                    f"{t['stored']}, unchanged {t['unchanged']}, revised {t['revised']}, "
                    f"quarantined {t['quarantined']}); fix the file(s) and import again",
                    path=str(root))
        except BaseException as exc:
            t = ImportReport(reports, run_id).totals
            store.finish_run(run_id, status="error", message=str(exc)[:2000], read=t["read"],
                             stored=t["stored"], unchanged=t["unchanged"],
                             revised=t["revised"], quarantined=t["quarantined"])
            raise
        report = ImportReport(reports, run_id, skipped)
        t = report.totals
        store.finish_run(run_id, status="ok", read=t["read"], stored=t["stored"],
                         unchanged=t["unchanged"], revised=t["revised"],
                         quarantined=t["quarantined"])
    return report


def ingest_batch(store: Store, observations: pd.DataFrame, specs: Sequence[SeriesSpec], *,
                 source: str, run_id: int | None = None,
                 quarantine: pd.DataFrame | None = None,
                 events: Mapping[str, pd.DataFrame] | None = None) -> FileReport:
    """Store a batch parsed by a live provider after the quality checks, in one transaction.

    Parameters
    ----------
    store : Store
    observations : DataFrame
        ``series_id, ts, value`` rows.
    specs : sequence of SeriesSpec
        Catalog entries of the series in the batch.
    source : str
        Where the batch came from (URL or provider name), recorded with quarantined points.
    run_id : int, optional
    quarantine : DataFrame, optional
        Points the provider's parser already rejected (they count as read and quarantined).
    events : mapping of str to DataFrame, optional
        Event table name → raw event rows (checked by :func:`spillwatch.data.events.
        check_events`; a ``line`` column, when present, numbers them).

    Returns
    -------
    FileReport
        ``read`` = points + parser-rejected points + events; it equals stored + unchanged +
        revised + quarantined + merged (checked).
    """
    from spillwatch.data import quality

    checked = quality.check_batch(observations, specs, source=source, store=store)
    pre = quarantine if quarantine is not None else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    rejected = (pd.concat([pre, checked.quarantine], ignore_index=True)
                if len(pre) else checked.quarantine)
    parsed_events = []
    for table, raw in (events or {}).items():
        lines = raw["line"].tolist() if "line" in raw else None
        parsed_events.append(check_events(raw.drop(columns=["line"], errors="ignore"), table,
                                          source=source, lines=lines))
    with store.transaction() as con:
        store.register_series(specs, con=con)
        clean = checked.clean
        flags = quality.revision_flags(con, clean, specs)
        flags.update(quality.overlap_holds(con, clean, flags))
        if flags:
            idx = pd.Index(list(flags))
            held = quality.quarantine_rows(clean.loc[idx], [flags[i] for i in idx], source)
            rejected = pd.concat([rejected, held], ignore_index=True)
            clean = clean.drop(index=idx)
        store.add_quarantine(rejected, run_id=run_id, con=con)
        counts = store.upsert(clean, run_id=run_id, con=con)
        read = len(observations) + len(pre)
        rep = FileReport(source=source, series=len(specs), rows=len(observations),
                         read=read, stored=counts.stored, revised=counts.revised,
                         unchanged=counts.unchanged, quarantined=len(rejected),
                         duplicates=checked.merged)
        for pe in parsed_events:
            store.add_quarantine(pe.quarantine, run_id=run_id, con=con)
            ec = upsert_events(store, pe.table, pe.events, run_id=run_id, con=con)
            rep.rows += pe.rows
            rep.read += pe.rows
            rep.stored += ec.stored
            rep.revised += ec.revised
            rep.unchanged += ec.unchanged
            rep.quarantined += len(pe.quarantine)
            rep.duplicates += pe.duplicates
            rep.kind = "series+events" if len(observations) else f"events:{pe.table}"
        rep.check()
    return rep
