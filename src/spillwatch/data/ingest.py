"""The one write path into the store: parse → quality checks → store, one transaction per batch.

:func:`import_path` imports CSV files (the shared real-data folder, or any CSV with a date column
and value columns) and :func:`ingest_batch` stores a batch that a live provider parsed. Both
record a run in the ``runs`` table and report read / stored / unchanged / revised / quarantined.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from spillwatch._results import ResultBase
from spillwatch.data.providers import shared
from spillwatch.data.providers.csvfile import ParsedFile, SeriesSpec, parse_csv
from spillwatch.exceptions import ConfigError, ImportFileError
from spillwatch.store import Store, UpsertCounts


@dataclass
class FileReport:
    """Counts for one imported file (or provider batch)."""

    source: str
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


class ImportReport(ResultBase):
    """What an import did, file by file, with totals."""

    title = "import"

    def __init__(self, files: list[FileReport], run_id: int | None) -> None:
        self.files = files
        self.run_id = run_id

    @property
    def totals(self) -> dict[str, int]:
        """Summed counts over all files."""
        keys = ("series", "rows", "read", "empty", "stored", "revised", "unchanged",
                "quarantined", "duplicates")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}

    def table(self) -> pd.DataFrame:
        """One row per file with its counts."""
        rows = [{k: v for k, v in vars(f).items() if k != "notes"} for f in self.files]
        frame = pd.DataFrame(rows).set_index("source") if rows else pd.DataFrame()
        return frame

    def _summary_lines(self) -> list[str]:
        t = self.totals
        return [f"imported {len(self.files)} file(s): read {t['read']}, stored {t['stored']}, "
                f"unchanged {t['unchanged']}, revised {t['revised']}, "
                f"quarantined {t['quarantined']}, empty cells {t['empty']}"]

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "totals": self.totals,
                "files": [vars(f) for f in self.files]}


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
            doc = tomllib.loads(path.read_text())
        except FileNotFoundError:
            raise ConfigError(f"{path}: mapping file not found", path=str(path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}", path=str(path)) from None
        allowed = {"provider", "date_column", "date_format", "frequency", "only_mapped",
                   "columns"}
        unknown = set(doc) - allowed
        if unknown:
            raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: "
                              f"{sorted(allowed)}", path=str(path))
        provider = str(doc.get("provider", "csv"))
        frequency = str(doc.get("frequency", "daily"))
        cols: dict[str, SeriesSpec] = {}
        col_keys = {"series_id", "name", "unit", "positive", "block", "frequency"}
        for col, spec in dict(doc.get("columns", {})).items():
            if not isinstance(spec, dict):
                raise ConfigError(f"{path}: [columns.{col}] must be a table", path=str(path))
            bad = set(spec) - col_keys
            if bad:
                raise ConfigError(f"{path}: [columns.{col}] unknown key(s) {sorted(bad)}; "
                                  f"allowed: {sorted(col_keys)}", path=str(path))
            cols[col] = make_spec(str(spec.get("series_id", f"{provider}:{col}")),
                                  name=str(spec.get("name", col)), unit=str(spec.get("unit", "")),
                                  positive=bool(spec.get("positive", False)),
                                  block=str(spec.get("block", "other")),
                                  frequency=str(spec.get("frequency", frequency)))
        return cls(provider=provider, date_column=doc.get("date_column"),
                   date_format=str(doc.get("date_format", "ISO8601")), frequency=frequency,
                   only_mapped=bool(doc.get("only_mapped", False)), columns=cols)

    @classmethod
    def from_options(cls, *, provider: str = "csv", date_column: str | None = None,
                     date_format: str = "ISO8601", maps: Sequence[str] = (),
                     positive: bool = False) -> CsvMapping:
        """Build a mapping from CLI options; ``maps`` holds ``COLUMN=SERIES_ID`` strings."""
        cols: dict[str, SeriesSpec] = {}
        for item in maps:
            col, sep, sid = item.partition("=")
            if not sep or not col.strip() or not sid.strip():
                raise ConfigError(f"--map expects COLUMN=SERIES_ID, got {item!r}")
            cols[col.strip()] = make_spec(sid.strip(), name=col.strip(), positive=positive)
        return cls(provider=provider, date_column=date_column, date_format=date_format,
                   only_mapped=bool(cols), columns=cols)


def make_spec(series_id: str, *, name: str | None = None, unit: str = "",
              positive: bool = False, block: str = "other", frequency: str = "daily"
              ) -> SeriesSpec:
    """Build a catalog entry for ``series_id`` (``provider:symbol``)."""
    provider, sep, symbol = series_id.partition(":")
    if not sep or not provider or not symbol:
        raise ConfigError(f"series id must look like 'provider:symbol', got {series_id!r}")
    return SeriesSpec(series_id, name or symbol, unit, frequency, block, provider, symbol,
                      positive)


def _csv_files(path: Path) -> list[Path]:
    if not path.exists():
        raise ImportFileError(f"{path}: no such file or folder", path=str(path))
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*.csv") if p.is_file())
    if not files:
        raise ImportFileError(f"{path}: no .csv file in this folder", path=str(path))
    return files


def parse_file(path: Path, root: Path | None, mapping: CsvMapping | None) -> ParsedFile:
    """Parse one file with the shared-data layout when it is one, else as a generic CSV."""
    layout = shared.layout_of(path, root) if mapping is None else None
    if layout is not None:
        header = path.read_text(encoding="utf-8-sig").splitlines()[:1] if path.exists() else []
        columns = [c.strip() for c in header[0].split(",")[1:]] if header else []
        specs = shared.column_specs(path, layout, columns)
        return parse_csv(path, provider=layout.provider, columns=specs,
                         frequency=layout.frequency)
    m = mapping or CsvMapping()
    return parse_csv(path, provider=m.provider, date_column=m.date_column,
                     date_format=m.date_format, columns=m.columns, only_mapped=m.only_mapped,
                     frequency=m.frequency)


def store_parsed(store: Store, parsed: ParsedFile, *, run_id: int | None) -> FileReport:
    """Write one parsed file in one transaction: catalog, quarantine, then the upsert."""
    with store.transaction() as con:
        store.register_series(parsed.series, con=con)
        store.add_quarantine(parsed.quarantine, run_id=run_id, con=con)
        counts: UpsertCounts = store.upsert(parsed.observations, run_id=run_id, con=con)
    return FileReport(source=str(parsed.path), series=len(parsed.series), rows=parsed.rows,
                      read=parsed.values, empty=parsed.empty, stored=counts.stored,
                      revised=counts.revised, unchanged=counts.unchanged,
                      quarantined=len(parsed.quarantine), duplicates=parsed.duplicates,
                      notes=list(parsed.notes))


def import_path(path: str | Path, store: Store, *, mapping: CsvMapping | None = None,
                on_file: Callable[[Path, FileReport], None] | None = None) -> ImportReport:
    """Import a CSV file or every CSV under a folder into ``store``.

    Parameters
    ----------
    path : str or Path
        A CSV file, or a folder (searched recursively). Files of the shared real-data layout
        (``fred/``, ``crypto/``, ``treasury/`` ...) get their publisher's series ids and units.
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
        A file is missing, empty, or lacks a date column. Files before it stay imported (each
        file is one transaction); nothing of the failing file is written.
    """
    root = Path(path)
    files = _csv_files(root)
    base = root if root.is_dir() else None
    run_id = store.start_run("import", message=str(root))
    reports: list[FileReport] = []
    try:
        for f in files:
            parsed = parse_file(f, base, mapping)
            rep = store_parsed(store, parsed, run_id=run_id)
            reports.append(rep)
            if on_file is not None:
                on_file(f, rep)
    except Exception as exc:
        t = ImportReport(reports, run_id).totals
        store.finish_run(run_id, status="error", message=str(exc), read=t["read"],
                         stored=t["stored"], unchanged=t["unchanged"], revised=t["revised"],
                         quarantined=t["quarantined"])
        raise
    report = ImportReport(reports, run_id)
    t = report.totals
    store.finish_run(run_id, status="ok", read=t["read"], stored=t["stored"],
                     unchanged=t["unchanged"], revised=t["revised"],
                     quarantined=t["quarantined"])
    return report


def ingest_batch(store: Store, observations: pd.DataFrame, specs: Sequence[SeriesSpec], *,
                 source: str, run_id: int | None = None,
                 quarantine: pd.DataFrame | None = None) -> FileReport:
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
        Points the provider's parser already rejected.
    """
    from spillwatch.data import quality

    clean, rejected = quality.check(observations, specs, source=source, store=store)
    if quarantine is not None and not quarantine.empty:
        rejected = pd.concat([quarantine, rejected], ignore_index=True)
    parsed = ParsedFile(path=Path(source), series=list(specs), observations=clean,
                        quarantine=rejected, rows=len(observations), values=len(observations))
    rep = store_parsed(store, parsed, run_id=run_id)
    rep.source = source
    return rep
