r"""Bytes → rows of text with their line numbers: the one tolerant CSV reader of spillwatch.

Used by the CSV importer and by every provider that receives CSV, so that they all accept the same
files and fail the same way. :func:`decode` and :func:`read_table` never raise anything but
:class:`TableError`, which carries the line (and column) and a fix; callers turn it into their own
error (:class:`~spillwatch.exceptions.ImportFileError` naming the file, or
:class:`~spillwatch.exceptions.BadPayload` naming the provider).

What is accepted
----------------
* encodings: UTF-8 with or without a byte-order mark; UTF-16 (LE/BE, with a BOM, or without one
  when every other byte is NUL); text whose only non-ASCII bytes are isolated Latin-1 letters
  or Windows-1252 marks such as the euro sign (decoded as Windows-1252, with a note). Anything
  else is a clear "not UTF-8" error naming the line and column of the first bad byte.
  ``encoding=`` forces a codec (the MOF files are cp932);
* line endings: ``\n``, ``\r\n``, a lone ``\r`` (old Mac files) and any mix of them;
* delimiters: ``,``, ``;``, tab or ``|``, sniffed from the header line (the one that occurs most
  often outside quotes; a comma on a tie);
* blank lines anywhere (before the header included) are skipped; a row with fewer fields than
  the header has empty trailing cells; extra trailing fields are accepted when they are empty (a
  trailing delimiter, ``2024-01-02,100.5,``), an error otherwise;
* fields up to :data:`MAX_FIELD` characters (1 MiB), column names up to :data:`MAX_NAME`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: The longest field read (characters); longer ones are an error naming the line.
MAX_FIELD = 1 << 20
#: The longest column name accepted (characters).
MAX_NAME = 256
DELIMITERS = (",", ";", "\t", "|")

# the csv module's limit is process-wide; raising it never breaks another reader
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))


class TableError(Exception):
    """A CSV that cannot be read as a table: what, where (1-based line, column) and the fix."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None,
                 hint: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.hint = message, line, column, hint

    def where(self, source: str) -> str:
        """``source:line: message; hint`` (the form every caller prints)."""
        loc = f"{source}:{self.line}" if self.line is not None else source
        return f"{loc}: {self.message}" + (f"; {self.hint}" if self.hint else "")


@dataclass
class Table:
    """A CSV read as text: the header, the data cells and the line each data row starts on.

    Attributes
    ----------
    header : list of str
        Column names (stripped).
    body : DataFrame
        One ``str`` column per header name, by position (``0 .. len(header)-1``).
    lines : list of int
        The 1-based line each data row starts on.
    """

    header: list[str]
    body: pd.DataFrame
    lines: list[int]
    header_line: int
    delimiter: str = ","
    encoding: str = "utf-8"
    notes: list[str] = field(default_factory=list)
    preamble: list[list[str]] = field(default_factory=list)
    #: The data do not end with a line break (a file cut short, or an editor that adds none).
    unterminated: bool = False

    @property
    def rows(self) -> list[list[str]]:
        """The data rows as lists of cells."""
        return self.body.to_numpy(dtype=object).tolist()

    def column(self, i: int) -> pd.Series:
        """The cells of column ``i`` (object dtype)."""
        return self.body.iloc[:, i].astype(object)


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, pos) + 1
    if b"\n" not in data[:pos] and b"\r" in data[:pos]:
        line = data.count(b"\r", 0, pos) + 1
    start = max(data.rfind(b"\n", 0, pos), data.rfind(b"\r", 0, pos)) + 1
    return line, pos - start + 1


#: Windows-1252's printable marks in 0x80-0x9F: € ‚ „ … ‘ ’ “ ” • – — ™
_CP1252_MARKS = frozenset(b"\x80\x82\x84\x85\x91\x92\x93\x94\x95\x96\x97\x99")


def _latin1_like(data: bytes) -> bool:
    """Whether the non-ASCII bytes look like single Latin-1 letters among ASCII text."""
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if not high or len(high) > max(8, len(data) // 20):
        return False
    for i in high:
        if data[i] < 0xA0 and not (
                data[i] in _CP1252_MARKS
                and not (i + 1 < len(data) and 0x40 <= data[i + 1] <= 0x7E)):
            # C1 controls / cp932 lead bytes (a cp932 pair may end on an ASCII-range byte):
            # not Windows-1252 text; its euro sign, quotes and dashes, followed by a space, a
            # digit or punctuation, are ("Preis €," in a European Excel export)
            return False
        if (i > 0 and data[i - 1] >= 0x80) or (i + 1 < len(data) and data[i + 1] >= 0x80):
            return False  # runs of high bytes are multi-byte text (cp932, mangled UTF-8)
    return True


def decode(data: bytes, *, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Decode bytes to text; return ``(text, encoding, notes)``.

    Raises
    ------
    TableError
        The bytes are not text in a supported encoding.
    """
    for magic, kind, how in ((b"\x1f\x8b", "gzip-compressed", "gunzip it"),
                             (b"PK\x03\x04", "a zip archive (or an .xlsx workbook)",
                              "unzip it, or save the sheet as CSV")):
        if data.startswith(magic):
            # read as text it failed at its second byte, naming neither
            raise TableError(f"the file is {kind}, not CSV text; {how} and import the CSV",
                             line=1)
    notes: list[str] = []
    if encoding is not None:
        try:
            return data.decode(encoding), encoding, notes
        except (UnicodeDecodeError, LookupError) as exc:
            pos = getattr(exc, "start", 0)
            line, col = _line_col(data, pos)
            raise TableError(f"not {encoding} text (byte {data[pos:pos + 1]!r} at column "
                             f"{col})", line=line) from None
    if data.startswith(codecs.BOM_UTF8):
        body, enc = data[len(codecs.BOM_UTF8):], "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", ["decoded as UTF-16 (byte-order mark)"]
        except UnicodeDecodeError:
            raise TableError("a UTF-16 byte-order mark but not UTF-16 text; save the file as "
                             "UTF-8 CSV") from None
    else:
        body, enc = data, "utf-8"
    if len(body) >= 4 and body.count(b"\x00") * 3 >= len(body):
        # UTF-16 without a BOM: ASCII text with a NUL beside every character
        for cand in ("utf-16-le", "utf-16-be"):
            try:
                text = body.decode(cand)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text, cand, [f"decoded as {cand.upper()} (no byte-order mark)"]
    try:
        return body.decode("utf-8"), enc, notes
    except UnicodeDecodeError as exc:
        if _latin1_like(body):
            return (body.decode("cp1252", errors="replace"), "cp1252",
                    ["not UTF-8: decoded as Windows-1252/Latin-1 (its only non-ASCII bytes are "
                     "single accented letters or marks such as the euro sign); save it as "
                     "UTF-8 to be sure"])
        line, col = _line_col(body, exc.start)
        raise TableError(f"not UTF-8 text (byte 0x{body[exc.start]:02x} at column {col})",
                         line=line, hint="save the file as UTF-8 CSV (UTF-16 and Latin-1 are "
                         "read too)") from None


def sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``, ; TAB |`` outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


_BLANK = re.compile(r"^[\s\ufeff]*$")


def read_records(data: bytes | str, *, delimiter: str = ",", encoding: str | None = None
                 ) -> tuple[list[tuple[int, list[str]]], str, list[str]]:
    """Every non-blank row with the line it starts on (for files with a multi-line preamble).

    Returns
    -------
    records, encoding, notes

    Raises
    ------
    TableError
        Not text, a NUL character, a field over :data:`MAX_FIELD`, or a malformed row.
    """
    if isinstance(data, bytes):
        text, enc, notes = decode(data, encoding=encoding)
    else:
        text, enc, notes = data, "str", []
    if "\x00" in text:
        raise TableError("a NUL character: this is a binary file, not a CSV",
                         line=text.count("\n", 0, text.index("\x00")) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[tuple[int, list[str]]] = []
    line_end = 0
    try:
        for row in reader:
            start = line_end + 1
            line_end = reader.line_num
            if row and "".join(row).strip():
                records.append((start, row))
    except csv.Error as exc:
        msg = str(exc)
        if "field larger than field limit" in msg:
            raise TableError(f"a field longer than {MAX_FIELD:,} characters",
                             line=line_end + 1) from None
        raise TableError(f"malformed CSV ({msg})", line=line_end + 1) from None
    return records, enc, notes


def read_table(data: bytes | str, *, delimiter: str | None = None, encoding: str | None = None,
               header_at: int | None = None, max_field: int = MAX_FIELD,
               short_rows: bool = True) -> Table:
    """Read a CSV into a :class:`Table` (see the module notes for what is accepted).

    Parameters
    ----------
    data : bytes or str
        The file's bytes (decoded with :func:`decode`) or text.
    delimiter : str, optional
        Default: sniffed from the header line.
    encoding : str, optional
        Force a codec (default: detected).
    header_at : int, optional
        Index (0-based, among non-blank rows) of the header row; rows before it are returned
        in ``preamble``. Default: the first non-blank row.
    max_field : int
        Longest field accepted (characters).
    short_rows : bool, default True
        Whether a row with fewer fields than the header is read (its missing cells empty);
        ``False`` makes it an error (a truncated payload).

    Raises
    ------
    TableError
        Not text, empty, a field over the limit, a malformed row or header.
    """
    if isinstance(data, bytes):
        text, enc, notes = decode(data, encoding=encoding)
    else:
        text, enc, notes = data, "str", []
    if "\x00" in text:
        pos = text.index("\x00")
        line = text.count("\n", 0, pos) + 1
        raise TableError("a NUL character: this is a binary file, not a CSV", line=line)
    if _BLANK.match(text):
        raise TableError("the file is empty (expected a header line)", line=1)
    # the header line decides the delimiter
    first = next(ln for ln in text.splitlines() if not _BLANK.match(ln))
    delim = delimiter or sniff_delimiter(first)
    if delim != ",":
        notes.append(f"delimiter {delim!r} (sniffed from the header)")
    if header_at is None and max_field >= MAX_FIELD and short_rows:
        fast = _fast(text, delim)
        if fast is not None:
            f_line, f_header, f_body, f_lines = fast
            _check_names(f_header, f_line)
            return Table(f_header, f_body, f_lines, f_line, delim, enc, notes, [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
    records: list[tuple[int, list[str]]] = []
    line_end = 0
    try:
        for row in reader:
            start = line_end + 1
            line_end = reader.line_num
            if not row or not "".join(row).strip():
                continue
            records.append((start, row))
    except csv.Error as exc:
        msg = str(exc)
        if "field larger than field limit" in msg:
            raise TableError(f"a field longer than {max_field:,} characters", line=line_end + 1,
                             hint="split the file or shorten the field") from None
        raise TableError(f"malformed CSV ({msg})", line=line_end + 1) from None
    if max_field < MAX_FIELD:
        for ln, row in records:
            if any(len(c) > max_field for c in row):
                raise TableError(f"a field longer than {max_field:,} characters", line=ln)
    skip = header_at or 0
    if len(records) <= skip:
        raise TableError("no header line found", line=1)
    preamble = [r for _, r in records[:skip]]
    header_line, raw_header = records[skip]
    header = [h.strip().lstrip("\ufeff").strip() for h in raw_header]
    _check_names(header, header_line)
    # trailing empty header names (a trailing delimiter on the header line) are dropped
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    for ln, row in records[skip + 1:]:
        if len(row) > width:
            extra = row[width:]
            if any(c.strip() for c in extra):
                raise TableError(f"malformed CSV: {len(row)} fields, the header has {width}",
                                 line=ln, hint="a value with an unquoted delimiter, or a "
                                 "missing column name in the header?")
            row = row[:width]
        elif len(row) < width:
            if not short_rows:
                raise TableError(f"{len(row)} fields, the header has {width} (a truncated "
                                 "file?)", line=ln)
            row = row + [""] * (width - len(row))
        rows.append(row)
        lines.append(ln)
    body = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else pd.DataFrame(
        {i: pd.Series([], dtype=object) for i in range(width)})
    return Table(header, body, lines, header_line, delim, enc, notes, preamble)


def _check_names(header: list[str], line: int) -> None:
    for i, h in enumerate(header):
        if len(h) > MAX_NAME:
            raise TableError(f"column {i + 1} of the header has a name of {len(h):,} characters "
                             f"(the limit is {MAX_NAME})", line=line,
                             hint="is the first line really a header?")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _fast(text: str, delim: str) -> tuple[int, list[str], pd.DataFrame, list[int]] | None:
    """Read with pandas' C parser when that gives the same table as the csv module would.

    Only for files whose rows are one physical line each (no line break inside quotes) and as
    wide as the header; anything else goes the slow, line-exact way (``None``).
    """
    n_lines = len(_LINE_BREAK.split(text.rstrip("\r\n")))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c", quotechar='"', doublequote=True)
    except (pd.errors.ParserError, ValueError, MemoryError, OverflowError):
        return None
    if len(frame) != n_lines:
        return None  # a quoted line break, or a parser disagreement: take the exact path
    # a row is kept when any of its cells holds more than blanks; a column is only looked at
    # on the rows no earlier column filled (the date column fills nearly all: stripping every
    # cell of every column was a third of an import of ../shared/data)
    filled = np.zeros(len(frame), dtype=bool)
    for c in frame.columns:
        todo = np.flatnonzero(~filled)
        if not len(todo):
            break
        col = frame[c].iloc[todo]
        has = col.ne("").to_numpy()
        if has.any():
            nonblank = col[has].str.strip().ne("").to_numpy()
            filled[todo[np.flatnonzero(has)[nonblank]]] = True
    keep = np.flatnonzero(filled)
    if not len(keep):
        return None
    if len(text) > MAX_FIELD:
        longest = max(int(frame[c].str.len().max()) for c in frame.columns)
        if longest > MAX_FIELD:
            return None
    header_row = int(keep[0])
    header = [str(h).strip().lstrip("\ufeff").strip() for h in frame.iloc[header_row]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    if width < frame.shape[1]:
        extra = frame.iloc[keep[1:], width:].astype(object)
        if (extra.map(lambda c: bool(str(c).strip())) if len(extra) else extra).to_numpy().any():
            return None  # let the exact path name the malformed line
    body = frame.iloc[keep[1:], :width].astype(object)
    body.columns = range(width)
    body = body.reset_index(drop=True)
    lines = (keep[1:] + 1).tolist()
    return header_row + 1, header, body, lines
