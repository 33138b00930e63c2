"""Events (auctions, FX interventions): from text rows to checked rows of an event table.

One checker for both roads into the event tables: the importer (``auctions/`` and
``holdings/mof_fx_intervention_daily.csv`` of the shared data, or any CSV with those columns,
:func:`event_table_of`)
and the live providers (Treasury's fiscal-data auctions API, MOF's intervention CSV). Each event
is read once and ends in exactly one of: clean (then stored, unchanged or revised by
:func:`spillwatch.store.events.upsert_events`), merged (an identical repeat), or quarantined with
its reason, so that ``read = clean + merged + quarantined`` (checked, :meth:`ParsedEvents.check`).

Rules per event
---------------
* the date must parse (ISO 8601, or a timestamp) within 1800-2200;
* key and required text fields must be present (CUSIP nine letters/digits, currency pair
  ``USD/JPY``, direction ``sell_USD_buy_JPY``);
* ``reopening`` must be a yes/no value (``True``/``False``/``Yes``/``No``/``1``/``0``);
* numbers must be numbers (an empty optional number is NULL); an offering size and an
  intervention amount must be positive, bidder shares within 0-100, bid-to-cover non-negative;
* one key twice with the same values: merged; with different values: every version quarantined;
* an auction without a ``security_type`` gets the one its original term implies (``Note`` up to
  10 years, ``Bond`` for 20 and 30 years: Treasury's definitions), so that the shared file and the
  API describe an auction alike.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from spillwatch.data.providers.csvfile import (
    QUARANTINE_COLUMNS,
    _clip,
    parse_dates,
    parse_numbers,
    read_file_table,
)
from spillwatch.exceptions import AccountingError, ImportFileError
from spillwatch.store.events import AUCTIONS, EVENT_TABLES, FX_INTERVENTIONS, EventTable

_TRUE = frozenset({"true", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "f"})


@dataclass(frozen=True)
class EventRules:
    """What makes a row a valid event of one table."""

    table: EventTable
    required: tuple[str, ...]
    patterns: Mapping[str, re.Pattern[str]]
    bounds: Mapping[str, tuple[float, float, bool]]  # column → (low, high, low exclusive)
    series_id: Callable[[Mapping[str, Any]], str]


def _auction_id(row: Mapping[str, Any]) -> str:
    tenor = str(row.get("tenor") or "").strip()
    return f"auction:{tenor}" if tenor else "auction:unknown"


RULES: dict[str, EventRules] = {
    "auctions": EventRules(
        AUCTIONS, required=("auction_date", "cusip", "tenor", "term", "reopening"),
        patterns={"cusip": re.compile(r"^[0-9A-Z]{9}$")},
        # yields in percent: a Treasury auction has never cleared above 16 % (1981) or much
        # below zero; "4,125" read as 4125 % is a misread number, not a yield
        bounds={"size_bn": (0.0, np.inf, True), "bid_to_cover": (0.0, np.inf, False),
                "high_yield": (-5.0, 30.0, False), "median_yield": (-5.0, 30.0, False),
                "dealer_pct": (0.0, 100.0, False), "direct_pct": (0.0, 100.0, False),
                "indirect_pct": (0.0, 100.0, False)},
        series_id=_auction_id),
    "fx_interventions": EventRules(
        FX_INTERVENTIONS,
        required=("intervention_date", "currency_pair", "direction", "amount_jpy_bn"),
        patterns={"currency_pair": re.compile(r"^[A-Z]{3}/[A-Z]{3}$"),
                  "direction": re.compile(r"^sell_[A-Z]{3}_buy_[A-Z]{3}$")},
        bounds={"amount_jpy_bn": (0.0, np.inf, True)},
        series_id=lambda row: "mof:intervention"),
}

#: Columns of the shared data's event files → event table columns.
SHARED_COLUMNS: dict[str, dict[str, str]] = {
    "auctions": {"date": "auction_date"},
    "fx_interventions": {"date": "intervention_date"},
}


@dataclass
class ParsedEvents:
    """Checked events of one source: clean rows, quarantine, counts."""

    table: str
    source: str
    events: pd.DataFrame
    quarantine: pd.DataFrame
    rows: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Raise when ``rows = events + quarantined + merged duplicates`` does not hold."""
        got = len(self.events) + len(self.quarantine) + self.duplicates
        if got != self.rows:
            raise AccountingError(
                f"{self.source}: read {self.rows} event(s) but accounted for {got} "
                f"({len(self.events)} clean, {len(self.quarantine)} quarantined, "
                f"{self.duplicates} merged); this is a bug, please report it")


def _security_type(tenor: str) -> str | None:
    """``Note`` for an original term up to 10 years, ``Bond`` beyond (``None`` if unknown)."""
    m = re.match(r"^([0-9]{1,3})-Year", tenor)
    if not m:
        return None
    return "Bond" if int(m.group(1)) > 10 else "Note"


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    return str(v).strip()


def check_events(raw: pd.DataFrame, table: str, *, source: str,
                 lines: Sequence[int] | None = None) -> ParsedEvents:
    """Check raw event rows (text or typed) against the rules of ``table``.

    Parameters
    ----------
    raw : DataFrame
        One row per event with the table's column names (missing optional columns are NULL).
    table : str
        ``"auctions"`` or ``"fx_interventions"``.
    source : str
        File or URL, recorded with each event and quarantine row.
    lines : sequence of int, optional
        The line (or, for a live payload, the record number) of each row.

    Returns
    -------
    ParsedEvents
    """
    rules = RULES[table]
    spec = rules.table
    n = len(raw)
    raw = raw.reset_index(drop=True)
    line_no = np.asarray(lines if lines is not None else np.arange(1, n + 1), dtype=np.int64)
    out = pd.DataFrame(index=raw.index)
    reason = np.full(n, "", dtype=object)
    column = np.full(n, "", dtype=object)
    raw_val = np.full(n, "", dtype=object)

    def flag(mask: np.ndarray, col: str, why: Sequence[str] | str, vals: Sequence[Any]) -> None:
        new = mask & (reason == "")
        if not new.any():
            return
        reason[new] = np.asarray(why, dtype=object)[new] if not isinstance(why, str) else why
        column[new] = col
        raw_val[new] = np.asarray([_clip(_text(v)) for v in vals], dtype=object)[new]

    # the date
    dcol = spec.date_column
    dtext = raw[dcol].map(_text) if dcol in raw else pd.Series([""] * n)
    if dcol in raw and pd.api.types.is_datetime64_any_dtype(raw[dcol]):
        dates = pd.to_datetime(raw[dcol]).astype("datetime64[us]")
        dates = dates.where((dates >= pd.Timestamp("1800-01-01"))
                            & (dates <= pd.Timestamp("2200-12-31")))
    else:
        dates, _ = parse_dates(dtext)
    flag(dtext.to_numpy() == "", dcol, "missing date", dtext)
    flag(dates.isna().to_numpy(), dcol,
         [f"unparseable date {_clip(t)!r}" for t in dtext], dtext)
    out[dcol] = dates.dt.normalize()
    # text fields
    for col in dict.fromkeys((*spec.key, *spec.text)):
        if col == dcol:
            continue
        vals = raw[col].map(_text) if col in raw else pd.Series([""] * n)
        if col in rules.required:
            flag(vals.to_numpy() == "", col, f"missing {col}", vals)
        pat = rules.patterns.get(col)
        if pat is not None:
            bad = ~vals.map(lambda s, p=pat: bool(p.match(s))).to_numpy() & (vals != "").to_numpy()
            flag(bad, col, [f"{col} {_clip(v)!r} is not valid" for v in vals], vals)
        out[col] = vals.where(vals != "", None)
    # yes/no fields
    for col in spec.boolean:
        vals = raw[col] if col in raw else pd.Series([None] * n)
        low = vals.map(_text).str.lower()
        is_t, is_f = low.isin(_TRUE).to_numpy(), low.isin(_FALSE).to_numpy()
        if col in rules.required:
            flag(low.to_numpy() == "", col, f"missing {col}", vals)
        flag(~(is_t | is_f) & (low.to_numpy() != ""), col,
             [f"{col} {_clip(v)!r} is not yes/no" for v in vals], vals)
        out[col] = pd.Series(is_t, dtype=bool)
    # numbers
    for col in spec.numeric:
        vals = raw[col] if col in raw else pd.Series([None] * n, dtype=object)
        text = vals.map(_text)
        if pd.api.types.is_numeric_dtype(vals):
            nums = pd.to_numeric(vals, errors="coerce").to_numpy(dtype=float)
            missing = np.isnan(nums)
        else:
            nums, missing = parse_numbers(text.astype(object))
        if col in rules.required:
            flag(missing, col, f"missing {col}", text)
        flag(~missing & ~np.isfinite(nums), col,
             [f"non-numeric {col} {_clip(t)!r}" for t in text], text)
        lo, hi, excl = rules.bounds.get(col, (-np.inf, np.inf, False))
        with np.errstate(invalid="ignore"):
            oob = np.isfinite(nums) & ((nums <= lo) if excl else (nums < lo) | (nums > hi))
            oob |= np.isfinite(nums) & (nums > hi)
        flag(oob, col, [f"{col} {t} out of range" for t in text], text)
        out[col] = np.where(missing, np.nan, nums)
    if table == "auctions":
        out["security_type"] = [t if t else _security_type(tenor)
                                for t, tenor in zip(out["security_type"].map(_text),
                                                    out["tenor"].map(_text), strict=True)]
    out["source"] = source
    out["line"] = line_no

    ok = reason == ""
    good = out[ok]
    dups = 0
    key = list(spec.key)
    dmask = good.duplicated(key, keep=False)
    if dmask.any():
        d = good[dmask]
        values = [c for c in spec.columns if c not in key]
        sig = d[values].apply(lambda col: col.map(repr)).agg("|".join, axis=1)
        nsig = sig.groupby([d[k] for k in key]).transform("nunique")
        conflict_idx = d.index[nsig.to_numpy() > 1]
        same = d[nsig.to_numpy() == 1]
        dups = len(same) - len(same.drop_duplicates(key))
        conflict = np.zeros(n, dtype=bool)
        conflict[conflict_idx] = True
        flag(conflict, key[-1], "event twice with different values", raw.get(
            key[-1], pd.Series([""] * n)))
        good = out[reason == ""].drop_duplicates(key, keep="first")
    bad = reason != ""
    records = raw.to_dict("records") if bad.any() else []
    q = pd.DataFrame({
        "series_id": [rules.series_id(records[i]) for i in np.flatnonzero(bad)],
        "source": source,
        "line": line_no[bad],
        "column": column[bad],
        "raw_date": [_clip(t) for t in dtext.to_numpy()[bad]],
        "raw_value": raw_val[bad],
        "reason": reason[bad],
    }, columns=QUARANTINE_COLUMNS)
    parsed = ParsedEvents(table, source, good.reset_index(drop=True), q, rows=n, duplicates=dups)
    parsed.check()
    return parsed


def event_table_of(path: str | Path) -> str | None:
    """The event table whose required columns the file's header names, or ``None``.

    A copy of the shared auctions or interventions file outside its folder (``import
    my/ust_auctions_notes_bonds.csv``) was read as a generic file: its columns became the series
    ``csv:tenor``, ``csv:high_yield`` … and no auction reached the monitor. The header is the
    first line, with the shared file's ``date`` for the table's date column.
    """
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline()
    except OSError:
        return None
    row = next(csv.reader([first]), [])          # a quoted header (R's write.csv) too
    header = {h.strip() for h in row}
    for table, rules in RULES.items():
        renames = SHARED_COLUMNS.get(table, {})
        names = {renames.get(h, h) for h in header}
        if all(c in names for c in rules.required):
            return table
    return None


def parse_event_csv(path: str | Path, table: str,
                    renames: Mapping[str, str] | None = None) -> ParsedEvents:
    """Read an event CSV (a header with the table's column names, or ``renames`` of them).

    Raises
    ------
    ImportFileError
        The file cannot be read as a table, or lacks a required column.
    """
    path = Path(path)
    spec = EVENT_TABLES[table]
    tab = read_file_table(path)
    names = [(renames or {}).get(h, h) for h in tab.header]
    missing = [c for c in RULES[table].required if c not in names]
    if missing:
        raise ImportFileError(f"{path}:{tab.header_line}: an {table} file needs the column(s) "
                              f"{', '.join(missing)}; the header has: {', '.join(tab.header)}",
                              path=str(path), row=tab.header_line)
    seen: set[str] = set()
    for h in names:
        if h in seen:
            raise ImportFileError(f"{path}:{tab.header_line}: column {h!r} appears twice in "
                                  "the header", path=str(path), column=h)
        seen.add(h)
    known = set(spec.columns)
    frame = tab.body.astype(object).set_axis(names, axis=1)
    extra = [h for h in names if h not in known]
    parsed = check_events(frame[[c for c in names if c in known]], table, source=str(path),
                          lines=tab.lines)
    parsed.notes = list(tab.notes) + [f"column {h!r} is not an {table} field: skipped"
                                      for h in extra]
    return parsed
