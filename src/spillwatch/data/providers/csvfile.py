"""Read a CSV of a date column plus value columns into canonical observations, with quarantine.

This is the one CSV reader of spillwatch: the shared real-data files, a user's local CSVs and the
tests all come through :func:`parse_csv`. It is pure: it reads the file and returns a
:class:`ParsedFile`; writing to the store is :mod:`spillwatch.data.ingest`'s job.

What happens to each cell
-------------------------
* an empty cell, ``.``, ``NA``, ``N/A``, ``n.a.``, ``NaN`` or ``null``: a gap (counted as ``empty``,
  nothing stored: the publishers use these for holidays and missing prints);
* a date that does not parse (``date_format``, ISO 8601 by default): every value of that row is
  quarantined with reason ``unparseable date``;
* a value that is not a number, or not finite: quarantined (``non-numeric value``);
* a value at or below zero in a series whose kind must be positive (prices, FX rates, positive
  indices): quarantined (``non-positive price``). Yields, spreads and stress indices may be
  negative, and so may WTI crude (it closed at -37.63 USD on 2020-04-20);
* one date twice in a column with the same value: merged into one point (counted as
  ``duplicates``); with two different values: every version is quarantined (``date twice with
  different values``) and none is stored, since nothing says which is right.

Whole-file problems raise :class:`~spillwatch.exceptions.ImportFileError` naming the file: it is
missing, empty, has no date column, repeats a column name, or has no value column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from spillwatch.exceptions import ImportFileError

MISSING_MARKERS = frozenset({"", ".", "na", "n/a", "n.a.", "nan", "null", "#n/a", "none"})
DATE_CANDIDATES = ("date", "observation_date", "timestamp", "time", "day", "ts")

OBS_COLUMNS = ["series_id", "ts", "value"]
QUARANTINE_COLUMNS = [
    "series_id", "source", "line", "column", "raw_date", "raw_value", "reason",
]


@dataclass(frozen=True)
class SeriesSpec:
    """Catalog entry of one stored series.

    Attributes
    ----------
    series_id : str
        ``"<provider>:<symbol>"``.
    name, unit, frequency, block, provider, symbol : str
        Catalog fields.
    positive : bool
        Whether values at or below zero are rejected.
    """

    series_id: str
    name: str
    unit: str
    frequency: str
    block: str
    provider: str
    symbol: str
    positive: bool = True


@dataclass
class ParsedFile:
    """What :func:`parse_csv` read from one file.

    Attributes
    ----------
    path : Path
        The file.
    series : list of SeriesSpec
        One per value column.
    observations : DataFrame
        Clean points, columns ``series_id, ts, value`` (``ts`` naive UTC midnight), unique on
        ``(series_id, ts)``.
    quarantine : DataFrame
        Rejected points with ``line`` (1-based line in the file, the header being line 1),
        ``column`` and ``reason``.
    rows : int
        Data rows read.
    values : int
        Non-empty value cells read.
    empty : int
        Empty cells (gaps).
    duplicates : int
        Repeated identical points merged.
    """

    path: Path
    series: list[SeriesSpec]
    observations: pd.DataFrame
    quarantine: pd.DataFrame
    rows: int = 0
    values: int = 0
    empty: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)


def _default_spec(provider: str, column: str, frequency: str) -> SeriesSpec:
    return SeriesSpec(
        series_id=f"{provider}:{column}",
        name=column,
        unit="",
        frequency=frequency,
        block="other",
        provider=provider,
        symbol=column,
        positive=False,
    )


def _read_raw(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise ImportFileError(f"{path}: no such file", path=str(path))
    if path.is_dir():
        raise ImportFileError(f"{path}: is a folder, not a CSV file", path=str(path))
    data = path.read_bytes()
    if not data.strip():
        raise ImportFileError(f"{path}: the file is empty (expected a header line)", path=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV", path=str(path)
        ) from None
    header = next(csv.reader(io.StringIO(text)))
    names = [h.strip() for h in header]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ImportFileError(f"{path}: column {n!r} appears twice in the header",
                                  path=str(path), column=n)
        seen.add(n)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
            on_bad_lines="error", engine="c",
        )
    except pd.errors.ParserError as exc:
        raise ImportFileError(f"{path}: malformed CSV ({exc})", path=str(path)) from None
    frame.columns = names
    return frame


def _find_date_column(path: Path, columns: list[str], date_column: str | None) -> str:
    if date_column is not None:
        if date_column not in columns:
            raise ImportFileError(
                f"{path}: no column {date_column!r}; the header has: {', '.join(columns)}",
                path=str(path), column=date_column,
            )
        return date_column
    for c in columns:
        if c.lower() in DATE_CANDIDATES:
            return c
    raise ImportFileError(
        f"{path}: no date column (looked for {', '.join(DATE_CANDIDATES)}); the header has: "
        f"{', '.join(columns)}. Name it 'date' or pass --date-column.",
        path=str(path),
    )


def parse_csv(
    path: str | Path,
    *,
    provider: str = "csv",
    date_column: str | None = None,
    date_format: str = "ISO8601",
    columns: Mapping[str, SeriesSpec] | None = None,
    only_mapped: bool = False,
    frequency: str = "daily",
) -> ParsedFile:
    """Parse one CSV file into observations and quarantined points.

    Parameters
    ----------
    path : str or Path
        The CSV file: a header line, a date column, then one column per series.
    provider : str, default "csv"
        Provider part of the series ids of columns not in ``columns``.
    date_column : str, optional
        Name of the date column; found among ``date``, ``observation_date``, ... when omitted.
    date_format : str, default "ISO8601"
        A :func:`pandas.to_datetime` format for the dates.
    columns : mapping of str to SeriesSpec, optional
        Catalog entry per column name; other columns get ``<provider>:<column>``.
    only_mapped : bool, default False
        Ignore (and note) columns that are not in ``columns``.
    frequency : str, default "daily"
        Frequency recorded for unmapped columns.

    Returns
    -------
    ParsedFile

    Raises
    ------
    ImportFileError
        The file is missing, empty, has no date column, a repeated column name, or no value column.
    """
    path = Path(path)
    raw = _read_raw(path)
    names = list(raw.columns)
    dcol = _find_date_column(path, names, date_column)
    mapping = dict(columns or {})
    value_cols = [c for c in names if c != dcol and (not only_mapped or c in mapping)]
    notes = [f"column {c!r} not mapped: skipped" for c in names
             if c != dcol and only_mapped and c not in mapping]
    if not value_cols:
        raise ImportFileError(f"{path}: no value column besides {dcol!r}", path=str(path))

    n = len(raw)
    lines = np.arange(2, n + 2)
    raw_dates = raw[dcol]
    dates = pd.to_datetime(raw_dates, format=date_format, errors="coerce")
    if dates.isna().any():  # retry the failures with surrounding blanks removed
        raw_dates = raw_dates.str.strip()
        dates = pd.to_datetime(raw_dates, format=date_format, errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    dates = dates.dt.normalize() if frequency != "intraday" else dates
    bad_date = dates.isna().to_numpy() & (raw_dates.to_numpy() != "")
    blank_date = raw_dates.to_numpy() == ""

    specs: list[SeriesSpec] = []
    obs_parts: list[pd.DataFrame] = []
    q_parts: list[pd.DataFrame] = []
    total_values = total_empty = total_dups = 0
    source = str(path)
    for col in value_cols:
        spec = mapping.get(col) or _default_spec(provider, col, frequency)
        specs.append(spec)
        text = raw[col]
        # numbers first (fast path); only the cells that are not numbers are looked at as text
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, copy=True)
        is_missing = np.zeros(n, dtype=bool)
        odd = np.flatnonzero(np.isnan(values))
        if len(odd):
            stripped = text.iloc[odd].str.strip()
            is_missing[odd] = stripped.str.lower().isin(MISSING_MARKERS).to_numpy()
            retry = pd.to_numeric(stripped, errors="coerce").to_numpy(dtype=float)
            values[odd] = retry
        present = ~is_missing
        total_empty += int(is_missing.sum())
        total_values += int(present.sum())

        reasons = np.full(n, "", dtype=object)
        reasons[present & (bad_date | blank_date)] = "unparseable date"
        nonnum = present & ~np.isfinite(values) & (reasons == "")
        reasons[nonnum] = "non-numeric value"
        if spec.positive:
            nonpos = present & np.isfinite(values) & (values <= 0) & (reasons == "")
            reasons[nonpos] = "non-positive price"
        ok = present & (reasons == "")

        frame = pd.DataFrame({"ts": dates.to_numpy()[ok], "value": values[ok],
                              "line": lines[ok]})
        # duplicates within this column
        dup_mask = frame.duplicated("ts", keep=False)
        if dup_mask.any():
            d = frame[dup_mask]
            nvals = d.groupby("ts")["value"].transform("nunique")
            conflict = d[nvals > 1]
            same = d[nvals == 1]
            total_dups += len(same) - same["ts"].nunique()
            if len(conflict):
                listing = conflict.groupby("ts")["value"].apply(
                    lambda s: ", ".join(f"{v:g}" for v in s))
                q_parts.append(pd.DataFrame({
                    "series_id": spec.series_id,
                    "source": source,
                    "line": conflict["line"].to_numpy(),
                    "column": col,
                    "raw_date": raw_dates.to_numpy()[conflict["line"].to_numpy() - 2],
                    "raw_value": text.to_numpy()[conflict["line"].to_numpy() - 2],
                    "reason": [f"date twice with different values ({listing[t]})"
                               for t in conflict["ts"]],
                }))
            frame = frame[~frame["ts"].isin(conflict["ts"])].drop_duplicates("ts")
        obs_parts.append(pd.DataFrame({"series_id": spec.series_id, "ts": frame["ts"].to_numpy(),
                                       "value": frame["value"].to_numpy()}))
        bad = reasons != ""
        if bad.any():
            q_parts.append(pd.DataFrame({
                "series_id": spec.series_id,
                "source": source,
                "line": lines[bad],
                "column": col,
                "raw_date": raw_dates.to_numpy()[bad],
                "raw_value": text.to_numpy()[bad],
                "reason": [_reason_text(r, d, v) for r, d, v in
                           zip(reasons[bad], raw_dates.to_numpy()[bad], text.to_numpy()[bad],
                               strict=True)],
            }))

    observations = (pd.concat(obs_parts, ignore_index=True) if obs_parts
                    else pd.DataFrame(columns=OBS_COLUMNS))
    observations["ts"] = pd.to_datetime(observations["ts"]).astype("datetime64[us]")
    observations["value"] = observations["value"].astype("float64")
    quarantine = (pd.concat(q_parts, ignore_index=True) if q_parts
                  else pd.DataFrame(columns=QUARANTINE_COLUMNS))
    quarantine["line"] = quarantine["line"].astype("int64")
    return ParsedFile(path=path, series=specs, observations=observations,
                      quarantine=quarantine.sort_values(["line", "column"], ignore_index=True),
                      rows=n, values=total_values, empty=total_empty, duplicates=total_dups,
                      notes=notes)


def _reason_text(reason: str, raw_date: str, raw_value: str) -> str:
    if reason == "unparseable date":
        return f"unparseable date {raw_date!r}"
    if reason == "non-numeric value":
        return f"non-numeric value {raw_value!r}"
    if reason == "non-positive price":
        return f"non-positive price {raw_value}"
    return reason


def read_wide(path: str | Path, **options: object) -> pd.DataFrame:
    """Read a CSV into a wide DataFrame of its clean values (date index, one column per series).

    A convenience over :func:`parse_csv` for analysis: columns keep the file's names, quarantined
    points are absent (NaN) and the quarantine rows are in ``frame.attrs["quarantine"]``.

    Examples
    --------
    >>> import spillwatch as sw
    >>> dy = sw.read_csv("../shared/data/reference/dy2012.csv")  # doctest: +SKIP
    """
    parsed = parse_csv(path, **options)  # type: ignore[arg-type]
    sym = {s.series_id: s.symbol for s in parsed.series}
    wide = parsed.observations.pivot(index="ts", columns="series_id", values="value")
    wide = wide.rename(columns=sym).reindex(columns=[s.symbol for s in parsed.series])
    wide.index.name = "date"
    wide.columns.name = None
    wide.attrs["quarantine"] = parsed.quarantine
    return wide.sort_index()
