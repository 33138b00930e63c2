"""Read a CSV of a date column plus value columns into canonical observations, with quarantine.

This is the one CSV reader of spillwatch: the shared real-data files, a user's local CSVs and the
tests all come through :func:`parse_csv`. It is pure: it reads the file and returns a
:class:`ParsedFile`; writing to the store is :mod:`spillwatch.data.ingest`'s job. The bytes are
read by :mod:`spillwatch.data.providers._table` (encodings, line endings, delimiters, blank
lines, trailing delimiters, field limits).

What happens to each cell
-------------------------
* an empty cell, ``.``, ``NA``, ``N/A``, ``#N/A`` (and Bloomberg's ``#N/A N/A``, ``#N/A
  Field Not Applicable``, ...), ``n.a.``, ``NaN``, ``-``, ``null`` or ``None`` (any case): a
  gap (counted as ``empty``, nothing stored: the publishers use these for holidays
  and missing prints);
* in a file without a final line break, the last row's last value when it is shorter than
  each of its column's 20 values before it and differs from the one before: quarantined (the
  file looks cut short: 6845.5 read as 68, a row cut after its 4th field);
* a date that does not parse (``date_format``, ISO 8601 by default), or one outside 1800-2200:
  every value of that row is quarantined (``unparseable date`` / ``date out of range``).
  Timestamps with UTC offsets (mixed ones included) are converted to UTC;
* a row dated after the newest date anywhere now (UTC+14): every value quarantined (``date in
  the future``: a typo or a forecast would make a stale series read as fresh);
* a value that is not a number, or not finite: quarantined (``non-numeric value``). Numbers may
  carry a percent sign when no cell of their column is a plain number (``4.25%`` is 4.25 in
  percent, x100 in a basis-point series, not read into a series of another unit; with a
  note), thousands separators (``"1,234.5"``, ``1.250.000``) and decimal commas
  (``1,5``); each column's cells decide its convention (:func:`read_numbers`), and a cell
  that could be read either way (``1.001``: one thousand and one, or one point zero zero one)
  with nothing in the column to decide is quarantined (``ambiguous number``), never read a
  thousand times off;
* a value at or below zero in a series whose kind must be positive (prices, FX rates, positive
  indices): quarantined (``non-positive price``). Yields, spreads and stress indices may be
  negative, and so may WTI crude (it closed at -37.63 USD on 2020-04-20);
* a 0 in a series whose publisher prints 0 for "not reported" (:data:`spillwatch.data.rules.
  ZERO_NOT_A_VALUE`): quarantined with that reason;
* one date twice in a column with the same value: merged into one point (counted as
  ``duplicates``); with two different values: every version is quarantined (``date twice with
  different values``) and none is stored, since nothing says which is right.

Accounting: ``values == stored points + quarantined + duplicates`` for every file, checked here
(:meth:`ParsedFile.check`) and again after the store write.

Whole-file problems raise :class:`~spillwatch.exceptions.ImportFileError` naming the file and,
where there is one, the line: it is missing, empty, not text, malformed, has no date column,
repeats a column name, has no value column, maps two columns to one series, or none of its dates
parses (with a hint about ``--date-format``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from spillwatch.data.providers._table import Table, TableError, read_table
from spillwatch.data.rules import ZERO_NOT_A_VALUE, pct_checked, pct_far, pct_reason
from spillwatch.exceptions import ConfigError, ImportFileError

MISSING_MARKERS = frozenset({"", ".", "na", "n/a", "n.a.", "nan", "null", "#n/a", "none", "-"})
#: Bloomberg's and Excel's "not available" family: ``#N/A N/A``, ``#N/A Field Not
#: Applicable``, ``#N/A Requesting Data...`` (they were quarantined as non-numeric values).
_NA_FAMILY = r"^#n/a\b"


def _missing(cells: pd.Series) -> np.ndarray:
    """Which (stripped) cells are a missing-value marker (module docstring)."""
    low = cells.str.lower()
    return (low.isin(MISSING_MARKERS) | low.str.contains(_NA_FAMILY, regex=True)
            ).to_numpy(dtype=bool)
DATE_CANDIDATES = ("date", "observation_date", "timestamp", "time", "day", "ts")
#: Dates outside this range are quarantined (a year 0 or 99999 is a typo, not a date).
DATE_RANGE = (pd.Timestamp("1800-01-01"), pd.Timestamp("2200-12-31"))
#: Longest raw text kept in a quarantine row.
RAW_KEEP = 200
#: Date formats tried when none of a file's dates is ISO 8601 (to suggest ``--date-format``).
FORMAT_HINTS = ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y",
                "%Y%m%d", "%d %b %Y", "%b %d, %Y", "%d/%m/%y", "%m/%d/%y")

OBS_COLUMNS = ["series_id", "ts", "value"]
#: Where each stored point came from in the file (for a point quarantined after parsing).
ORIGIN_COLUMNS = ["line", "column"]
QUARANTINE_COLUMNS = [
    "series_id", "source", "line", "column", "raw_date", "raw_value", "reason",
]
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
#: A European number: dots group thousands, a comma marks the decimals ("1.000,25", "2.000").
_EURO = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d+)?$")


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
        One per value column that has at least one non-empty cell.
    observations : DataFrame
        Clean points, columns ``series_id, ts, value`` (``ts`` naive UTC midnight), unique on
        ``(series_id, ts)``.
    quarantine : DataFrame
        Rejected points with ``line`` (1-based line in the file), ``column`` and ``reason``.
    rows : int
        Data rows read.
    values : int
        Non-empty value cells read.
    empty : int
        Empty cells (gaps).
    duplicates : int
        Repeated identical points merged.
    notes : list of str
        What a user should know (skipped columns, an encoding or delimiter guessed, dates that
        did not parse with a hint).
    origins : DataFrame or None
        Aligned with ``observations``: each point's ``line`` and ``column`` in the file (so that
        a check against the store can quarantine it by its line).
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
    authoritative: bool = False
    origins: pd.DataFrame | None = None

    def check(self) -> None:
        """Raise when the counts do not close: ``values = points + quarantined + duplicates``."""
        got = len(self.observations) + len(self.quarantine) + self.duplicates
        if got != self.values:
            from spillwatch.exceptions import AccountingError

            raise AccountingError(
                f"{self.path}: read {self.values} value(s) but accounted for {got} "
                f"({len(self.observations)} points, {len(self.quarantine)} quarantined, "
                f"{self.duplicates} merged duplicates); this is a bug, please report it",
                path=str(self.path))


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


def _clip(text: object) -> str:
    s = str(text)
    return s if len(s) <= RAW_KEEP else s[:RAW_KEEP] + f"… ({len(s):,} characters)"


def read_file_table(path: Path, *, encoding: str | None = None) -> Table:
    """Read a file as a :class:`Table`; every failure is an ImportFileError naming file:line."""
    if not path.exists():
        raise ImportFileError(f"{path}: no such file", path=str(path))
    if path.is_dir():
        raise ImportFileError(f"{path}: is a folder, not a CSV file", path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})",
                              path=str(path)) from None
    try:
        table = read_table(data, encoding=encoding)
    except TableError as exc:
        raise ImportFileError(exc.where(str(path)), path=str(path), row=exc.line) from None
    table.unterminated = bool(data.strip()) and not data.endswith((b"\n", b"\r"))
    return table


def _check_header(path: Path, table: Table) -> list[str]:
    names = table.header
    seen: set[str] = set()
    for i, n in enumerate(names):
        if not n:
            raise ImportFileError(f"{path}:{table.header_line}: column {i + 1} of the header has "
                                  "no name; name it or remove the column", path=str(path),
                                  row=table.header_line)
        if n in seen:
            raise ImportFileError(f"{path}:{table.header_line}: column {n!r} appears twice in "
                                  "the header", path=str(path), column=n, row=table.header_line)
        seen.add(n)
    return names


def _find_date_column(path: Path, columns: list[str], date_column: str | None) -> str:
    if date_column is not None:
        if date_column not in columns:
            raise ImportFileError(
                f"{path}: no column {date_column!r}; the header has: "
                f"{', '.join(c[:40] for c in columns[:20])}", path=str(path), column=date_column,
            )
        return date_column
    for c in columns:
        if c.lower() in DATE_CANDIDATES:
            return c
    raise ImportFileError(
        f"{path}: no date column (looked for {', '.join(DATE_CANDIDATES)}); the header has: "
        f"{', '.join(c[:40] for c in columns[:20])}. Name it 'date' or pass --date-column.",
        path=str(path),
    )


def _offset_notes(dcol: str, raw: pd.Series, dates: pd.Series, lines: np.ndarray,
                  date_format: str) -> list[str]:
    """A note when a daily file's timestamps carry UTC offsets that put them on another UTC day.

    A daily file keeps the date written (:func:`parse_dates` with ``local``): a New York close
    stamped ``2025-04-06T20:00:00-04:00`` is the close of 6 April. A series dated by UTC days
    (an exchange's daily bars) written in New York time is then a day early, and its import
    revised five stored closes without a word.
    """
    text = raw.str.strip()
    stamped = text.str.contains(_OFFSET) & dates.notna()
    if not stamped.any():
        return []
    as_utc, _ = parse_dates(text[stamped], date_format)
    moved = as_utc.notna() & (as_utc.dt.normalize() != dates[stamped].dt.normalize())
    if not moved.any():
        return []
    first = moved.index[moved.to_numpy()][0]
    pos = int(raw.index.get_loc(first))
    return [f"column {dcol!r}: {int(moved.sum())} timestamp(s) carry a UTC offset that puts "
            f"them on another day in UTC (line {int(lines[pos])}: {text[first]!r} is stored on "
            f"{dates[first]:%Y-%m-%d}, the date written; in UTC it is "
            f"{as_utc[first]:%Y-%m-%d}): a daily file keeps the date written, its market's "
            "day; write the timestamps in UTC if the series is dated by UTC days (a crypto "
            "exchange's daily bars)"]


def parse_dates(raw: pd.Series, date_format: str = "ISO8601", *,
                local: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Parse date strings to naive timestamps; return them and a mask of out-of-range ones.

    Strings with a UTC offset (``Z``, ``+09:00``; mixed offsets too) are converted to UTC;
    strings without one are taken as UTC. With ``local`` (a daily file), an offset is dropped
    instead and the time kept as written: a daily value stamped ``2025-06-02 00:00+02:00`` (a
    Berlin export) is the value of 2 June, which in UTC is 1 June (a day early, a Monday on a
    Sunday), and a New York close stamped ``20:00-04:00`` is that day's, not the next UTC day's.
    Unparseable strings give NaT; dates outside :data:`DATE_RANGE` give NaT and are flagged in
    the mask.

    Raises
    ------
    ConfigError
        ``date_format`` is not a valid format.
    """
    text = raw.astype(str)
    if local:
        text = text.str.strip().str.replace(_OFFSET, "", regex=True)
        date_format = date_format.replace("%z", "").replace("%Z", "").rstrip()
    utc = "%z" in date_format

    def attempt(values: pd.Series, as_utc: bool) -> pd.Series:
        try:
            return pd.to_datetime(values, format=date_format, errors="coerce", utc=as_utc)
        except (ValueError, TypeError) as exc:
            mixed = "Mixed timezones" in str(exc) or "mix of timezone" in str(exc).lower()
            if mixed and not as_utc:
                return attempt(values, True)  # mixed UTC offsets: normalise to UTC
            if date_format != "ISO8601" and "%" in date_format and not as_utc:
                raise ConfigError(f"invalid date format {date_format!r} ({exc}); use strftime "
                                  "codes such as %Y-%m-%d or %d/%m/%Y") from None
        except OverflowError:
            pass
        return pd.Series([_one_date(t, date_format) for t in values], index=values.index)

    dates = attempt(text, utc)
    if dates.isna().any():  # retry the failures with surrounding blanks removed
        stripped = text.str.strip()
        again = stripped != text
        if again.any():
            retry = attempt(stripped[again], utc)
            dates = _combine(dates, retry)
    if not isinstance(dates.dtype, pd.DatetimeTZDtype) and dates.dtype == object:
        dates = _to_utc(dates)
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    dates = dates.astype("datetime64[us]")
    lo, hi = DATE_RANGE
    out = (dates.notna() & ((dates < lo) | (dates > hi))).to_numpy()
    dates = dates.mask(out)
    return dates, out


def _combine(dates: pd.Series, retry: pd.Series) -> pd.Series:
    """Fill the NaT of ``dates`` from ``retry`` (both naive, or both brought to UTC)."""
    a_tz = isinstance(dates.dtype, pd.DatetimeTZDtype)
    b_tz = isinstance(retry.dtype, pd.DatetimeTZDtype)
    if a_tz or b_tz or dates.dtype == object or retry.dtype == object:
        dates, retry = _to_utc(dates), _to_utc(retry)
    out = dates.copy()
    fill = retry.notna() & out.loc[retry.index].isna()
    out.loc[fill[fill].index] = retry[fill]
    return out


def _to_utc(values: pd.Series) -> pd.Series:
    """Timestamps (naive = UTC, aware, NaT or junk) as one tz-aware UTC series."""
    try:
        return pd.to_datetime(values, errors="coerce", utc=True)
    except (ValueError, TypeError, OverflowError):
        out = []
        for v in values:
            try:
                t = pd.Timestamp(v)
                out.append(t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC"))
            except (ValueError, TypeError, OverflowError):
                out.append(pd.NaT)
        return pd.Series(pd.DatetimeIndex(out, tz="UTC"), index=values.index)


def _one_date(text: str, fmt: str) -> pd.Timestamp:
    try:
        text = str(text).strip()
        ts = pd.to_datetime(text, format=fmt, utc=bool(_OFFSET.search(text)))
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    return ts


def _refuse_long_format(path: Path, frame: dict[str, pd.Series], value_cols: Sequence[str],
                        dates: pd.Series, lines: np.ndarray, delimiter: str,
                        dcol: str) -> None:
    """Refuse a long file (``date,series,value``): one row per date and series.

    Read as a wide file its name column became a series of text (every cell quarantined) and
    its value column a series with each date several times (thousands of "date twice"
    quarantines) and the points of the dates one series alone has.
    """
    repeats = dates.dropna().duplicated()
    if not len(repeats) or repeats.mean() < 0.2:   # a long file repeats nearly every date
        return
    for col in value_cols:
        text = frame[col].astype(str)
        values, missing, _ = read_numbers(text, delimiter)
        present = ~missing
        if present.sum() and not np.isfinite(values[present]).any():
            names = text[present].str.strip().unique()
            if len(names) < 2:
                continue
            others = [c for c in value_cols if c != col]
            i = int(np.flatnonzero(repeats.reindex(dates.index, fill_value=False)
                                   .to_numpy())[0])
            raise ImportFileError(
                f"{path}:{lines[i]}: a long file (one row per date and series): column {col!r} "
                f"holds names ({', '.join(repr(_clip(str(x))) for x in names[:3])}, ...) and "
                f"dates repeat; spillwatch reads wide files, one column per series: pivot it "
                f"(pandas: df.pivot(index={dcol!r}, columns={col!r}"
                + (f", values={others[0]!r}" if others else "") + ")). Nothing was imported "
                "from this file", path=str(path), column=col, row=int(lines[i]))


#: A number written with a percent sign ("4.25%", "-0,1 %", "1,234.5%").
_PERCENT = re.compile(r"^\s*[+-]?(?:\d[\d.,]*|[.,]\d+)\s*%\s*$")


#: Series units a value written with a percent sign may be stored in ("" is a user's series
#: of no stated unit; basis points are stored x100).
PERCENT_UNITS = frozenset({"", "pct", "percent", "%", "bp"})


def _percent_signs(text: pd.Series) -> tuple[pd.Series, int, str]:
    """A column whose numbers are all written ``4.25%``: unsigned, the count, the first cell.

    A spreadsheet formatted as percent exports "4.25%"; the whole column was quarantined as
    non-numeric (exit 0, nothing stored). The signs are dropped when no cell of the column is
    a plain number: a column mixing "4.25%" and 4.25 is left to the value checks (nothing
    says the two mean the same), while a stray text cell ("abc") is quarantined on its own.
    """
    cells = text.astype(str)
    # a cell the pattern matches holds a '%': most columns have none, and a plain scan for it
    # is several times cheaper than the regex over every cell (0.26 s of an import of
    # ../shared/data's 787,254 cells, against 0.03 s)
    if not any("%" in c for c in cells.to_numpy(dtype=object)):
        return text, 0, ""
    signed = cells.str.match(_PERCENT).to_numpy()
    if not signed.any():
        return text, 0, ""
    rest = cells[~signed].str.strip()
    plain = pd.to_numeric(rest.str.replace(",", "", regex=False), errors="coerce").notna()
    if plain.any():
        return text, 0, ""
    out = text.astype(object).copy()
    out[signed] = cells[signed].str.replace("%", "", regex=False).str.strip()
    return out, int(signed.sum()), str(cells[signed].iloc[0]).strip()


def _disagree(raw: pd.Series, formats: Sequence[str]) -> tuple[str, str, str] | None:
    """The first date two formats both read but on different days: (cell, day, other day)."""
    text = raw.astype(str).str.strip()
    one, two = (pd.to_datetime(text, format=f, errors="coerce") for f in formats[:2])
    differ = (one != two) & one.notna() & two.notna()
    if not differ.any():
        return None
    i = int(np.flatnonzero(differ.to_numpy())[0])
    return (text.iloc[i], f"{one.iloc[i]:%Y-%m-%d}", f"{two.iloc[i]:%Y-%m-%d}")


def guess_formats(samples: Sequence[str]) -> list[str]:
    """Date formats of :data:`FORMAT_HINTS` that parse every sample (for error hints)."""
    out = []
    for fmt in FORMAT_HINTS:
        got = pd.to_datetime(pd.Series(list(samples), dtype=object), format=fmt, errors="coerce")
        if len(samples) and got.notna().all():
            out.append(fmt)
    return out


#: One dot or comma before exactly three digits ("1.001", "4,125"): a thousands group or
#: decimals; the column's other cells decide.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_AMBIGUOUS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")
#: Cells that show the European convention (decimal comma, dots grouping thousands) ...
_EU_SIGN = re.compile(r"^[+-]?(?:\d*,(?:\d{1,2}|\d{4,})|0,\d+|[1-9]\d{0,2}(?:\.\d{3}){2,}"
                      r"(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+)$")
#: ... and the English one (decimal point, commas grouping thousands).
_EN_SIGN = re.compile(r"^[+-]?(?:\d*\.(?:\d{1,2}|\d{4,})|0\.\d+|[1-9]\d{0,2}(?:,\d{3}){2,}"
                      r"(?:\.\d+)?|\d{1,3}(?:,\d{3})+\.\d+)$")


def _refuse_intraday(path: Path, raw_times: np.ndarray, lines: np.ndarray) -> None:
    """Refuse a file every one of whose dates has several times of day, before reading values.

    A generic CSV is stored as one value a day: an hourly or minute file read as daily had each
    day's rows quarantined one by one with the day's values listed, after every value was read
    (2 million minutes: 39 s and 2.1 GB of memory to say "nothing was written").
    """
    dated = ~pd.isna(raw_times)
    if not dated.any():
        return
    t = pd.Series(raw_times[dated])
    times = t.groupby(t.dt.normalize().to_numpy()).nunique()
    if (times > 1).all():
        at = int(lines[int(np.flatnonzero(dated)[0])])
        on = f"{len(times):,} date{'s' if len(times) > 1 else ''}"
        raise ImportFileError(
            f"{path}:{at}: every date has several times of day ({int(dated.sum()):,} rows on "
            f"{on}): an intraday file, and a generic CSV is stored as one value a day; give a "
            "--mapping file with frequency = \"intraday\", or resample it to daily; nothing "
            "was written", path=str(path), row=at)


def parse_numbers(text: pd.Series, delimiter: str = ",") -> tuple[np.ndarray, np.ndarray]:
    """Parse value cells; the values (NaN where not a number, or ambiguous) and the missing mask.

    See :func:`read_numbers`, which also says which cells were ambiguous.
    """
    values, is_missing, _ = read_numbers(text, delimiter)
    return values, is_missing


def read_numbers(text: pd.Series, delimiter: str = ","
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse value cells: the values, the missing mask and the mask of ambiguous cells.

    A cell with one dot or comma before exactly three digits ("1.001", "4,125") is a thousands
    group or decimals; the column's other cells decide. A column with European signs only (a
    decimal comma, several dot groups) is read the European way, one with English signs only
    (a decimal point with other than three decimals, several comma groups) the English way. A
    column with both, a semicolon-separated column with neither (its dotted cells), or a tab- or
    pipe-separated column with neither leaves such a cell ambiguous (NaN, flagged); a
    comma-separated file's quoted "4,125" with no sign either way is read the English way (4125),
    the way such files are written, and a semicolon file's "4,125" as a decimal comma. A number
    is never read 1000 times off without a sign that says so.
    """
    if delimiter == ",":
        # a comma-separated file's plain cells are English numbers; only a cell that is not a
        # plain number (a quoted "4,25", "1.250.000") can show another convention
        values, is_missing = _english_numbers(text, decimal_comma=False)
        odd = np.isnan(values) & ~is_missing
        if not odd.any() or not text[odd].astype(str).str.contains(r"[.,]", regex=True).any():
            return values, is_missing, np.zeros(len(text), dtype=bool)
    cells = text.astype(str).str.strip()
    cand = cells.str.contains(r"[.,]", regex=True)
    amb = np.zeros(len(text), dtype=bool)
    eu = en = False
    if cand.any():
        sub = cells[cand]
        eu = bool(sub.str.match(_EU_SIGN).any())
        en = bool(sub.str.match(_EN_SIGN).any())
        if eu and en:
            amb = cells.str.match(_AMBIGUOUS).to_numpy()
        elif not eu and not en and delimiter == ";":
            amb = cells.str.match(_AMBIGUOUS_DOT).to_numpy()
        elif not eu and not en and delimiter != ",":
            amb = cells.str.match(_AMBIGUOUS).to_numpy()     # tab, pipe: nothing decides
        if eu and not en:
            values = _european(cells.where(cells.str.match(_EURO) & (cells != "")))
            is_missing = (text.astype(object) == "").to_numpy() | _missing(cells)
            return values, is_missing, amb
    # a lone decimal comma ("4,30") is a decimal in a semicolon file, or in a column of both
    values, is_missing = _english_numbers(
        text, decimal_comma=(delimiter == ";" and not en) or (eu and en))
    if eu and en:       # each cell as its own form says ("1.000,25" is European)
        own = cells.str.match(_EU_SIGN).to_numpy()
        values[own] = _european(cells[own])
    values[amb] = np.nan
    return values, is_missing, amb


def _european(cells: pd.Series) -> np.ndarray:
    """European numbers ("1.000,25") as floats: dots dropped, the comma made the decimal point."""
    conv = cells.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(conv, errors="coerce").to_numpy(dtype=float, copy=True)


def _english_numbers(text: pd.Series, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Parse value cells; return the values (NaN where not a number) and the missing mask.

    Numbers are tried fast first; only the cells that are not plain numbers are looked at as text
    (missing markers, comma thousands separators, a lone decimal comma when ``decimal_comma``).
    """
    n = len(text)
    try:
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, copy=True)
    except (ValueError, TypeError, OverflowError):
        values = np.array([_one_number(t) for t in text], dtype=float)
    is_missing = np.zeros(n, dtype=bool)
    odd = np.flatnonzero(np.isnan(values))
    if len(odd):
        sub = text.iloc[odd].astype(object)
        empty = (sub == "").to_numpy()
        is_missing[odd[empty]] = True
        odd = odd[~empty]
    if len(odd):
        stripped = text.iloc[odd].astype(str).str.strip()
        is_missing[odd] = _missing(stripped)
        fixed = []
        for s in stripped:
            if decimal_comma and _DECIMAL_COMMA.match(s):
                s = s.replace(",", ".")
            elif _THOUSANDS.match(s) and not s.lstrip("+-").startswith("0"):
                s = s.replace(",", "")
            fixed.append(_one_number(s))
        values[odd] = fixed
    return values, is_missing


def _one_number(text: object) -> float:
    t = str(text).strip()
    if "_" in t:  # Python's digit grouping (1_000) is not a number in a data file
        return float("nan")
    try:
        return float(t)
    except (ValueError, OverflowError):
        return float("nan")


def parse_csv(
    path: str | Path,
    *,
    provider: str = "csv",
    date_column: str | None = None,
    date_format: str = "ISO8601",
    columns: Mapping[str, SeriesSpec] | None = None,
    only_mapped: bool = False,
    frequency: str = "daily",
    period_columns: Sequence[str] = (),
    scale_of: Callable[[str], float] | None = None,
    symbol_prefix: str = "",
    spec_of: Callable[[str], SeriesSpec] | None = None,
    today: object = None,
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
        Catalog entry per column name; other columns get ``<provider>:<prefix><column>``.
    only_mapped : bool, default False
        Ignore (and note) columns that are not in ``columns``.
    frequency : str, default "daily"
        Frequency recorded for unmapped columns.
    period_columns : sequence of str
        Columns holding the start date of the period each row covers (MOF's weekly
        ``period_start``): not series; a row whose period start is not a date on or before the
        row's date has all its values quarantined.
    scale_of : callable, optional
        Column → factor from the published to the stored unit (default 1).
    symbol_prefix : str
        Prefix of the symbol of unmapped columns (``"weekly_"`` → ``mof:weekly_<column>``).
    spec_of : callable, optional
        Column → catalog entry for columns not in ``columns`` (default
        ``<provider>:<prefix><column>``, no unit).
    today : date-like, optional
        The current (UTC) date: a row dated more than a day after it is quarantined (``date in
        the future``: a typo or a forecast would read as fresh data). Default the clock: a row
        dated after the newest date anywhere (UTC+14) is.

    Returns
    -------
    ParsedFile

    Raises
    ------
    ImportFileError
        The file is missing, empty, not text, malformed, has no date column, a repeated or empty
        column name, no value column, two columns mapped to one series, or no date that parses.
    """
    path = Path(path)
    table = read_file_table(path)
    names = _check_header(path, table)
    dcol = _find_date_column(path, names, date_column)
    mapping = dict(columns or {})
    periods = [c for c in period_columns if c in names]
    value_cols = [c for c in names if c != dcol and c not in periods
                  and (not only_mapped or c in mapping)]
    notes = list(table.notes)
    notes += [f"column {c!r} not mapped: skipped" for c in names
              if c != dcol and c not in periods and only_mapped and c not in mapping]
    absent = [c for c in mapping if c not in names]
    if not value_cols and only_mapped and absent:
        raise ImportFileError(
            f"{path}: mapped column{'s' if len(absent) > 1 else ''} "
            f"{', '.join(repr(c) for c in absent)} not in the header; its columns are: "
            f"{', '.join(names)}", path=str(path), column=absent[0])
    if not value_cols:
        raise ImportFileError(f"{path}: no value column besides {dcol!r}", path=str(path))
    # some mapped columns found and others not: said (a misspelt --map OTHR=csv:OTHER imported
    # nothing of OTHER with exit 0 and not a word, where a file with none of them is refused)
    notes += [f"mapped column {c!r} not in the header: nothing imported into "
              f"{mapping[c].series_id}" for c in absent]
    specs_by_col = {c: mapping.get(c) or (spec_of(c) if spec_of is not None else _default_spec(
        provider, f"{symbol_prefix}{c}", frequency)) for c in value_cols}
    by_sid: dict[str, str] = {}
    for c, s in specs_by_col.items():
        if s.series_id in by_sid:
            raise ImportFileError(
                f"{path}: columns {by_sid[s.series_id]!r} and {c!r} are both mapped to "
                f"{s.series_id}; one series can come from one column only (map the other to "
                "another id, or import the files one at a time)", path=str(path), column=c)
        by_sid[s.series_id] = c

    n = len(table.lines)
    source = str(path)
    frame = {name: table.column(i).reset_index(drop=True) for i, name in enumerate(names)}
    lines = np.asarray(table.lines, dtype=np.int64)
    raw_dates = frame[dcol].astype(str)
    dates, out_of_range = parse_dates(raw_dates, date_format, local=frequency != "intraday")
    blank_date = raw_dates.str.strip().to_numpy() == ""
    bad_date = dates.isna().to_numpy() & ~blank_date
    raw_times = dates.to_numpy()                 # before the daily normalisation
    if frequency != "intraday":
        _refuse_intraday(path, raw_times, lines)
        notes += _offset_notes(dcol, raw_dates, dates, lines, date_format)
    dates = dates.dt.normalize() if frequency != "intraday" else dates
    date_reason = np.full(n, "", dtype=object)
    date_reason[bad_date] = "unparseable date"
    date_reason[out_of_range] = "date out of range"
    date_reason[blank_date] = "missing date"
    if today is not None:      # a date without an hour: the next day may have begun somewhere
        latest = pd.Timestamp(today).normalize() + pd.Timedelta(days=1)
    else:                      # the newest date anywhere now (UTC+14, Kiribati)
        latest = (pd.Timestamp.now("UTC").tz_localize(None)
                  + pd.Timedelta(hours=14)).normalize()
    future = (dates.dt.normalize() > latest).to_numpy() & (date_reason == "")
    date_reason[future] = "date in the future"
    for pc in periods:
        pdates, _ = parse_dates(frame[pc].astype(str), date_format,
                                local=frequency != "intraday")
        bad_p = (pdates.isna() | (pdates.dt.normalize() > dates)).to_numpy() & (date_reason == "")
        date_reason[bad_p] = f"{pc} is not a date on or before the row's date"
    if n and (~blank_date).any() and bad_date[~blank_date].all() and not out_of_range.any():
        # (a blank date among them made this a quarantine of every row, exit 0)
        first = str(raw_dates[~blank_date].iloc[0]).strip()
        at = int(lines[int(np.flatnonzero(~blank_date)[0])])
        head = [str(x).strip() for x in raw_dates[~blank_date].iloc[:50]]
        # the formats that read every date, not only the first ones: a 01/02 to 12/02 head
        # reads both ways, and the hint recommended the month first for a file of days first
        fits = guess_formats([x.strip() for x in raw_dates[~blank_date]]) or guess_formats(head)
        serial = all(re.fullmatch(r"\d{4,5}(?:\.\d+)?", x) and 20_000 <= float(x) <= 80_000
                     for x in head if x)
        split = _disagree(raw_dates[~blank_date], fits[:2]) if len(fits) > 1 else None
        how = (f"every date reads both as {fits[0]!r} and as {fits[1]!r}, and nothing in the "
               f"file says which ({_clip(split[0])!r} is {split[1]} one way, {split[2]} the "
               "other): pass --date-format with the one your file uses" if split else
               f"it looks like {fits[0]!r}: pass --date-format '{fits[0]}'" if fits else
               "they look like spreadsheet serial day numbers (45293 is 2024-01-02): save the "
               "column formatted as dates (YYYY-MM-DD)" if serial else
               "pass --date-format with strftime codes, e.g. --date-format '%d/%m/%Y'")
        fmt = "ISO 8601 (YYYY-MM-DD)" if date_format == "ISO8601" else repr(date_format)
        raise ImportFileError(
            f"{path}:{at}: no date in column {dcol!r} parses as {fmt} (first: "
            f"{_clip(first)!r}); {how}. Nothing was imported from this file",
            path=str(path), column=dcol, row=at)
    if bad_date.any() and date_format != "ISO8601":
        # some dates parse and the rest do not, and another format reads them all: the day and
        # the month are the wrong way round (%m/%d/%Y on 13/01/2021 quarantined the days past
        # the 12th and stored the others on swapped dates, exit 0)
        given = raw_dates[~blank_date].str.strip()
        sample = pd.concat([given[bad_date[~blank_date]].head(200), given.head(200)])
        fits = [f for f in guess_formats(list(sample)) if f != date_format]
        if fits and guess_formats(list(given)).count(fits[0]):
            i = int(np.flatnonzero(bad_date)[0])
            raise ImportFileError(
                f"{path}:{lines[i]}: {int(bad_date.sum())} of {int((~blank_date).sum())} dates "
                f"in column {dcol!r} do not parse as {date_format!r} (first: "
                f"{_clip(raw_dates.iloc[i])!r}) and every date parses as {fits[0]!r}: the "
                f"others would be stored on the wrong days; pass --date-format '{fits[0]}'. "
                "Nothing was imported from this file",
                path=str(path), column=dcol, row=int(lines[i]))
    if date_format != "ISO8601" and n and not bad_date.any():
        # the format given reads every date, and so does another, on other days: said, as the
        # dates are then the user's choice alone (03/01 to 03/12 as '%d/%m/%Y' put March's
        # data on weekends of August to November without a word)
        given = raw_dates[~blank_date]
        # the common formats, and the one given with its day and month the other way round
        # (a format with a time, '%d/%m/%Y %H:%M', is none of the common ones)
        swapped = re.sub(r"%[dm]", lambda m: "%m" if m.group() == "%d" else "%d", date_format)
        others = dict.fromkeys([*guess_formats([x.strip() for x in given]), swapped])
        stripped = given.astype(str).str.strip()
        for other in others:
            # only a format that reads every date leaves the order undecided: a '31/12/2025'
            # among them settles '%d/%m/%Y' (the note said "every date also reads as
            # '%m/%d/%Y'" of a file with days past the 12th, and asked to check its order)
            split = (_disagree(given, [date_format, other])
                     if other != date_format and pd.to_datetime(
                         stripped, format=other, errors="coerce").notna().all() else None)
            if split:
                notes.append(f"column {dcol!r}: every date also reads as {other!r} ("
                             f"{_clip(split[0])!r} is {split[1]} as --date-format "
                             f"{date_format!r} reads it, {split[2]} as {other!r}): they were "
                             "read as given; check that it is your file's order")
                break
    date_note = len(notes)       # the note on bad dates goes here, once the values are read
    # a file that does not end with a line break may have been cut inside its last row's last
    # non-empty cell (6845.5 read as 68; a 15-column row cut after its 4th field)
    cut_col = None
    if table.unterminated and n >= 2:
        filled = [c for c in names if str(frame[c].iloc[-1]).strip()]
        cut_col = filled[-1] if filled else None
    dated_values = np.zeros(n, dtype=bool)     # rows with a bad date and a value: quarantined

    _refuse_long_format(path, frame, value_cols, dates, lines, table.delimiter, dcol)
    specs: list[SeriesSpec] = []
    obs_parts: list[pd.DataFrame] = []
    q_parts: list[pd.DataFrame] = []
    total_values = total_empty = total_dups = 0
    intraday_rows = first_intraday = 0
    for col in value_cols:
        spec = specs_by_col[col]
        text = frame[col]
        signed, pct, first_pct = _percent_signs(text)
        unit = spec.unit.strip().lower()
        if pct and unit in PERCENT_UNITS:
            text = signed
            notes.append(f"column {col!r}: its {pct} value(s) are written with a percent sign "
                         f"(first {_clip(first_pct)!r}): read as the number before "
                         "it, in percent" + (" and stored in basis points (x100), the unit of "
                                             f"{spec.series_id}" if unit == "bp" else ""))
        elif pct:
            notes.append(f"column {col!r}: its {pct} value(s) are written with a percent sign "
                         f"but {spec.series_id} is in {spec.unit!r}: not read (quarantined); "
                         "map the column to a series in percent")
        values, is_missing, ambiguous = read_numbers(text, table.delimiter)
        if pct and unit == "bp":
            values = values * 100.0
        present = ~is_missing
        total_empty += int(is_missing.sum())
        n_present = int(present.sum())
        total_values += n_present
        if not n_present:
            notes.append(f"column {col!r} has no value: not imported")
            continue
        specs.append(spec)

        reasons = date_reason.copy()
        reasons[~present] = ""
        nonnum = present & ~np.isfinite(values) & (reasons == "")
        reasons[nonnum] = "non-numeric value"
        reasons[nonnum & np.isinf(values)] = "non-finite value"    # 1e400, inf
        reasons[nonnum & ambiguous] = "ambiguous number"
        zero_reason = ZERO_NOT_A_VALUE.get(spec.series_id)
        if zero_reason is not None:
            reasons[present & (values == 0) & (reasons == "")] = "zero"
        if spec.positive:
            nonpos = present & np.isfinite(values) & (values <= 0) & (reasons == "")
            reasons[nonpos] = "non-positive price"
        if pct_checked(spec):
            ok_so_far = present & (reasons == "")
            held, most = pct_far(np.where(ok_so_far, values, np.nan))
            reasons[held & ok_so_far] = "bp column" if most else "not a rate"
        dated_values |= present & (date_reason != "")
        if col == cut_col and present[-1] and reasons[-1] == "" and _looks_cut(text, present,
                                                                               values):
            reasons[-1] = "cut short"
        ok = present & (reasons == "")
        factor = scale_of(col) if scale_of is not None else 1.0

        good = pd.DataFrame({"ts": dates.to_numpy()[ok], "value": values[ok] * factor,
                             "line": lines[ok], "pos": np.flatnonzero(ok)})
        dup_mask = good.duplicated("ts", keep=False)
        if dup_mask.any():
            d = good[dup_mask]
            nvals = d.groupby("ts")["value"].transform("nunique")
            conflict = d[nvals > 1]
            same = d[nvals == 1]
            total_dups += len(same) - same["ts"].nunique()
            if len(conflict):
                listing = conflict.groupby("ts")["value"].apply(
                    lambda s, f=factor: value_listing(s.to_numpy() / f))
                listed = listing.to_dict()
                pos = conflict["pos"].to_numpy()
                # rows of one date at several times of day: an intraday file read as daily
                raw_ts = pd.Series(raw_times[pos], index=conflict.index)
                times = raw_ts.groupby(conflict["ts"]).nunique()
                several_times = set(times[times > 1].index)
                intraday_rows += int(conflict["ts"].isin(several_times).sum())
                first_intraday = first_intraday or (
                    int(conflict["line"].iloc[0]) if several_times else 0)
                intraday = ("; the file has several times of day on this date and generic "
                            "CSVs are stored as daily values (a --mapping file can set "
                            "frequency = \"intraday\")")
                q_parts.append(pd.DataFrame({
                    "series_id": spec.series_id, "source": source,
                    "line": conflict["line"].to_numpy(), "column": col,
                    "raw_date": [_clip(x) for x in raw_dates.to_numpy()[pos]],
                    "raw_value": [_clip(x) for x in text.to_numpy()[pos]],
                    # a dict by date, not the Series looked up row by row (2.95 s -> 2.1 s
                    # on 300,000 intraday rows; column-wise string sums cost 80 MB more)
                    "reason": [f"date twice with different values ({listed[t]})"
                               + (intraday if t in several_times else "")
                               for t in conflict["ts"].tolist()],
                }))
            good = good[~good["ts"].isin(conflict["ts"])].drop_duplicates("ts")
        obs_parts.append(pd.DataFrame({"series_id": spec.series_id,
                                       "ts": good["ts"].to_numpy(),
                                       "value": good["value"].to_numpy(),
                                       "line": good["line"].to_numpy(), "column": col}))
        bad = reasons != ""
        if bad.any():
            q_parts.append(pd.DataFrame({
                "series_id": spec.series_id,
                "source": source,
                "line": lines[bad],
                "column": col,
                "raw_date": [_clip(x) for x in raw_dates.to_numpy()[bad]],
                "raw_value": [_clip(x) for x in text.to_numpy()[bad]],
                "reason": [_reason_text(r, d, v, zero_reason) for r, d, v in
                           zip(reasons[bad], raw_dates.to_numpy()[bad], text.to_numpy()[bad],
                               strict=True)],
            }))

    n_bad = int((date_reason != "").sum())
    if n_bad:
        i = int(np.flatnonzero(date_reason != "")[0])
        n_q = int(dated_values.sum())
        what = (f"{n_q} row(s) with a bad date were quarantined" if n_q == n_bad else
                f"{n_bad} row(s) have a bad date: {n_q} with a value were quarantined, "
                f"{n_bad - n_q} without one were read as empty")
        notes.insert(date_note, f"{what} (first on line {lines[i]}: "
                                f"{_clip(raw_dates.iloc[i])!r}, {date_reason[i]})"
                     + ("; if the file uses another format, pass --date-format"
                        if bad_date.any() else ""))
    if intraday_rows and not sum(len(x) for x in obs_parts):
        # every value is of a date with several times of day: the whole file is intraday.
        # Quarantining it row by row stored every value once more with its reason (an hourly
        # file of 6m values grew a store from 50 MB to 2.2 GB) and kept nothing
        raise ImportFileError(
            f"{path}:{first_intraday}: every date has several times of day ({intraday_rows:,} "
            "values): an intraday file, and a generic CSV is stored as one value a day; give "
            "a --mapping file with frequency = \"intraday\", or resample it to daily; "
            "nothing was written", path=str(path), row=first_intraday)
    points = (pd.concat(obs_parts, ignore_index=True) if obs_parts
              else pd.DataFrame({c: [] for c in [*OBS_COLUMNS, *ORIGIN_COLUMNS]}))
    observations = points[OBS_COLUMNS].copy()
    origins = points[ORIGIN_COLUMNS].copy()
    origins["line"] = origins["line"].astype("int64")
    observations["ts"] = pd.to_datetime(observations["ts"]).astype("datetime64[us]")
    observations["value"] = observations["value"].astype("float64")
    observations["series_id"] = observations["series_id"].astype(object)
    quarantine = (pd.concat(q_parts, ignore_index=True) if q_parts
                  else pd.DataFrame({c: [] for c in QUARANTINE_COLUMNS}))
    quarantine["line"] = quarantine["line"].astype("int64")
    parsed = ParsedFile(path=path, series=specs, observations=observations,
                        quarantine=quarantine.sort_values(["line", "column"], ignore_index=True),
                        rows=n, values=total_values, empty=total_empty, duplicates=total_dups,
                        notes=notes, origins=origins)
    parsed.check()
    return parsed


def value_listing(values: Sequence[float] | np.ndarray, most: int = 6) -> str:
    """``"1.5, 2, 3"``, or the first ``most`` values and how many in all.

    A day of hourly values listed its 24 numbers in each of its 24 rows' reasons.
    """
    v = [f"{x:g}" for x in values]
    if len(v) <= most:
        return ", ".join(v)
    return ", ".join(v[:most]) + f", … ({len(v)} values)"


def _looks_cut(text: pd.Series, present: np.ndarray, values: np.ndarray,
               recent: int = 20) -> bool:
    """Whether a file's last cell looks cut: shorter than each of its column's recent cells.

    A number cut short loses characters (6845.5 read as 68, 4.67 as 4); a whole one keeps the
    column's usual length whatever it moved (SOFR's 75 bp hike, 3.05 to 3.80). The last value
    must also differ from the one before it.
    """
    cells = text.astype(str).str.strip().to_numpy()
    before = cells[:-1][present[:-1]][-recent:]
    if len(before) < 5:
        return False
    previous = values[:-1][present[:-1]][-1]
    return len(cells[-1]) < min(len(c) for c in before) and values[-1] != previous


def _reason_text(reason: str, raw_date: str, raw_value: str, zero: str | None = None) -> str:
    if reason in ("not a rate", "bp column"):
        return pct_reason(_clip(raw_value).strip(), column=reason == "bp column")
    if reason == "cut short":
        return (f"the file does not end with a line break and its last value "
                f"{_clip(raw_value).strip()!r} is shorter than the column's other values: the "
                "file looks cut short (copy or export it again; if the line is whole, end the "
                "file with a line break)")
    if reason == "unparseable date":
        return f"unparseable date {_clip(raw_date)!r} (see --date-format)"
    if reason == "date out of range":
        return (f"date {_clip(raw_date)!r} out of range ({DATE_RANGE[0].year}-"
                f"{DATE_RANGE[1].year})")
    if reason == "missing date":
        return "missing date"
    if reason == "date in the future":
        return (f"date {_clip(raw_date)!r} is in the future (a typo or a forecast; only "
                "observations are stored)")
    if reason == "non-numeric value":
        return f"non-numeric value {_clip(raw_value)!r}"
    if reason == "ambiguous number":
        return (f"ambiguous number {_clip(raw_value).strip()!r}: a dot or comma before three "
                "digits groups thousands or marks decimals, and the column's other cells show "
                "neither convention (or both); write it without thousands separators")
    if reason == "non-finite value":
        return f"non-finite value {_clip(raw_value)!r} (infinite, or beyond the float range)"
    if reason == "non-positive price":
        return f"non-positive price {_clip(raw_value).strip()}"
    if reason == "zero" and zero is not None:
        return zero
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
