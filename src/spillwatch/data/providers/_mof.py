"""What Japan's Ministry of Finance files share: the host, cp932 text, era dates, numbers.

MOF publishes its CSVs in cp932 (Shift_JIS) with Japanese headers (some with English beside
them), numbers with thousands separators and a trailing blank (``"1,689 "``), ``-`` for "none",
and, in the JGB file, dates in the Japanese era calendar (``S49.9.24`` = 1974-09-24,
``H31.4.26`` = 2019-04-26, ``R7.4.1`` = 2025-04-01).

Base URL: ``$SPILLWATCH_MOF_URL`` (default ``https://www.mof.go.jp``).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from spillwatch.data.providers._base import bad_payload
from spillwatch.data.providers._table import TableError, read_records

URL_ENV = "SPILLWATCH_MOF_URL"
DEFAULT_URL = "https://www.mof.go.jp"
#: Largest MOF file accepted (the JGB history since 1974 is about 1.2 MB).
MAX_BYTES = 16 * 1024 * 1024
#: First Gregorian year minus one of each era: year = base + era year.
ERAS = {"M": 1867, "T": 1911, "S": 1925, "H": 1988, "R": 2018,
        "明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_ERA_DATE = re.compile(r"^(M|T|S|H|R|明治|大正|昭和|平成|令和)\s*(\d{1,2}|元)[.年/]\s*"
                       r"(\d{1,2})[.月/]\s*(\d{1,2})日?$")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_YMD = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})$")


def norm(text: object) -> str:
    """NFKC-normalised, stripped text (full-width digits, dots and tildes become ASCII)."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def records(provider: str, content: bytes, *, url: str) -> list[tuple[int, list[str]]]:
    """The non-blank CSV rows of a MOF file with their lines (UTF-8 or cp932 text)."""
    for enc in ("utf-8-sig", "cp932"):
        try:
            content.decode(enc)
        except UnicodeDecodeError:
            continue
        try:
            rows, _, _ = read_records(content, encoding=enc)
        except TableError as exc:
            raise bad_payload(provider, f"line {exc.line}: {exc.message}", content,
                              url=url) from None
        return rows
    raise bad_payload(provider, "neither cp932 (Shift_JIS) nor UTF-8 text", content, url=url)


def era_date(text: str) -> pd.Timestamp | None:
    """A date written in the era calendar (``R7.4.1``) or as ``YYYY.M.D``; ``None`` otherwise."""
    t = norm(text)
    m = _ERA_DATE.match(t)
    if m:
        era, y, mo, d = m.groups()
        year = ERAS[era] + (1 if y == "元" else int(y))
    else:
        m = _YMD.match(t)
        if not m:
            return None
        year, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        ts = pd.Timestamp(year=int(year), month=int(mo), day=int(d))
    except (ValueError, OverflowError):
        return None
    return ts if pd.Timestamp("1800-01-01") <= ts <= pd.Timestamp("2200-12-31") else None


def number(text: object) -> float | None:
    """A MOF number: thousands separators and blanks removed; ``-``/empty → ``None``.

    Raises
    ------
    ValueError
        The cell is not a number (the caller quarantines it).
    """
    t = norm(text).replace(",", "").replace(" ", "")
    if t in {"", "-", "‐", "−", "―", "…", "．", "."}:
        return None
    t = t.replace("−", "-").replace("△", "-").replace("▲", "-")
    if len(t) > 64 or not _NUMBER.fullmatch(t):
        raise ValueError(f"not a number: {str(text)[:40]!r}")
    value = float(t)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {str(text)[:40]!r}")
    return value
