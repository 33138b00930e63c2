"""US Treasury daily par yield curve (CMT), one CSV per year, from home.treasury.gov.

Endpoint (documented on Treasury's "Daily Treasury Par Yield Curve Rates" page, *Download CSV*)::

    {base}/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all
        ?type=daily_treasury_yield_curve&field_tdr_date_value={year}&page&_format=csv

Format: a header ``Date,"1 Mo","1.5 Month","2 Mo","3 Mo","4 Mo","6 Mo","1 Yr",...,"30 Yr"``, then
one row per business day, **newest first**, dates ``MM/DD/YYYY``, yields in percent, an empty cell
where no yield was published. Columns come and go (``1.5 Month``, the 6-week bill, appeared on
2025-02-18; ``2 Mo`` starts in 2018, ``4 Mo`` in 2022; older years lack them), so columns are read
**by name** and mapped to ``treasury:yield_<tenor>_pct`` (``"1.5 Month"`` →
``treasury:yield_1_5m_pct``, ``"10 Yr"`` → ``treasury:yield_10y_pct``), the ids of the shared
data set's ``treasury/par_yield_curve.csv``. A tenor column never seen before is still read (its
id follows the same rule); a column that is not a tenor is ignored with a note.

Base URL: ``$SPILLWATCH_TREASURY_URL`` (default ``https://home.treasury.gov``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from spillwatch.data.providers._base import (
    Batch,
    FetchRequest,
    bad_payload,
    base_url,
    check_not_html,
    complete_text,
    empty_observations,
    guarded,
    long_frame,
    point_line,
    spec_for,
    symbols_of,
    table_of,
)
from spillwatch.data.providers.csvfile import MISSING_MARKERS, QUARANTINE_COLUMNS
from spillwatch.exceptions import ProviderError
from spillwatch.timing import us_holidays

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

NAME = "treasury"
URL_ENV = "SPILLWATCH_TREASURY_URL"
DEFAULT_URL = "https://home.treasury.gov"
PATH = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all"
FIRST_YEAR = 1990
#: Largest yearly CSV accepted (a year is about 25 KB).
MAX_BYTES = 4 * 1024 * 1024

#: Tenors Treasury publishes (or published), in the order of its CSV.
TENORS = ("1m", "1_5m", "2m", "3m", "4m", "6m", "1y", "2y", "3y", "5y", "7y", "10y", "20y",
          "30y")

_TENOR = re.compile(r"^(\d+(?:\.\d+)?)\s*(mo|mos|mth|month|months|wk|wks|week|weeks|yr|yrs|"
                    r"year|years)\.?$", re.IGNORECASE)


_US_DAY = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def _date(text: str) -> pd.Timestamp | None:
    """An ``MM/DD/YYYY`` date between 1800 and 2200, or ``None``."""
    if not _US_DAY.match(text):
        return None
    try:
        d = pd.to_datetime(text, format="%m/%d/%Y")
    except (ValueError, OverflowError):
        return None
    return d if pd.Timestamp("1800-01-01") <= d <= pd.Timestamp("2200-12-31") else None


def column_symbol(header: str) -> str | None:
    """Map a Treasury column name to its symbol (``"1.5 Month"`` → ``"yield_1_5m_pct"``)."""
    m = _TENOR.match(header.strip())
    if m is None:
        return None
    n, unit = m.group(1).replace(".", "_"), m.group(2).lower()
    suffix = "m" if unit.startswith("m") else ("w" if unit.startswith("w") else "y")
    return f"yield_{n}{suffix}_pct"


@guarded(NAME)
def parse(content: bytes, *, url: str, wanted: set[str] | None = None,
          start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> Batch:
    """Parse one yearly CSV into observations (pure).

    Parameters
    ----------
    content : bytes
        The CSV as served.
    url : str
        Where it came from (errors, quarantine).
    wanted : set of str, optional
        Series ids to keep (default every tenor column).
    start, end : Timestamp, optional
        Keep rows within ``[start, end]``.

    Raises
    ------
    BadPayload
        HTML instead of CSV, no ``Date`` column, a row of the wrong width (a truncated file) or a
        date not in ``MM/DD/YYYY``.
    """
    check_not_html(NAME, content, url=url)
    table = table_of(NAME, content, url=url)
    header = table.header
    if not header or header[0].lower() != "date":
        raise bad_payload(NAME, "no 'Date' first column in the yield-curve CSV", content,
                          url=url)
    notes: list[str] = []
    cols: dict[int, str] = {}
    known: set[str] = set()
    for i, h in enumerate(header[1:], start=1):
        sym = column_symbol(h)
        if sym is None:
            notes.append(f"treasury: ignored column {h!r} (not a tenor)")
            continue
        sid = f"{NAME}:{sym}"
        known.add(sid)
        if wanted is None or sid in wanted:
            cols[i] = sid
    if wanted and known and table.rows:
        lost = sorted(set(wanted) - known)
        if lost:   # a tenor renamed or dropped by the service: say so, it stops updating
            notes.append(f"treasury: the answer has no column for {', '.join(lost)} "
                         f"(its columns: {', '.join(h[:12] for h in header[1:])})")
    if not known and len(header) > 1 and table.rows:
        # the service renamed its columns (BC_10YEAR for "10 Yr"): reading none of them is
        # a changed format, not a day without news
        raise bad_payload(NAME, "no tenor column of the yield-curve CSV was recognised "
                          f"({', '.join(h[:20] for h in header[1:8])}); expected '1 Mo' .. "
                          "'30 Yr'", content, url=url)
    dates, records = [], []
    for n, r in zip(table.lines, table.rows, strict=True):
        d = _date(r[0].strip())
        if d is None:
            raise bad_payload(NAME, f"line {n}: date {r[0][:40]!r} is not MM/DD/YYYY",
                              ",".join(r)[:200], url=url)
        dates.append(d)
        records.append(r)
    obs, quarantine = [], []
    for i, sid in cols.items():
        ts, vals = [], []
        for d, r in zip(dates, records, strict=True):
            if (start is not None and d < start) or (end is not None and d > end):
                continue
            raw = r[i].strip()
            if raw.lower() in MISSING_MARKERS:
                continue
            try:
                vals.append(float(raw))
                ts.append(d)
            except (ValueError, OverflowError):
                quarantine.append({"series_id": sid, "source": url, "line": point_line(d),
                                   "column": header[i], "raw_date": r[0], "raw_value": raw,
                                   "reason": "non-numeric value"})
        if ts:
            obs.append(long_frame(sid, ts, vals))
    frame = pd.concat(obs, ignore_index=True) if obs else empty_observations()
    specs = [spec_for(sid, name=f"US Treasury par yield {sid.split('_')[1]}", unit="pct",
                      positive=False, block="rates") for sid in cols.values()]
    return Batch(frame.sort_values(["series_id", "ts"], ignore_index=True), specs, url,
                 pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS), notes)


def _before_first_print(end: pd.Timestamp) -> bool:
    """Whether ``end`` falls before the evening of its year's first business day (after 1 Jan).

    Treasury publishes the curve the same evening; until then the year's file has no row.
    """
    first = pd.Timestamp(np.busday_offset(np.datetime64(f"{end.year}-01-02"), 0,
                                          roll="forward", holidays=us_holidays()))
    return bool(end < first + pd.Timedelta(hours=21))


class TreasuryProvider:
    """The daily par yield curve from home.treasury.gov (all maturities 1M–30Y).

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_TREASURY_URL`` or home.treasury.gov).
    history_start : str, default "2015-01-01"
        First date fetched when the store has nothing and no start is given.
    min_interval : float, default 0.25
        Seconds between two requests (a first fetch asks for a dozen years in a row).
    """

    name = NAME
    url_env = URL_ENV

    def __init__(self, url: str | None = None, *, history_start: str = "2015-01-01",
                 min_interval: float = 0.25) -> None:
        self.url = base_url(URL_ENV, DEFAULT_URL, url)
        self.min_interval = min_interval
        self.history_start = pd.Timestamp(history_start)

    def default_series(self) -> list[str]:
        """Every tenor of the curve."""
        return [f"{NAME}:yield_{t}_pct" for t in TENORS]

    def year_url(self, year: int) -> tuple[str, dict[str, str]]:
        """URL and query of one year's CSV."""
        return (self.url + PATH.format(year=year),
                {"type": "daily_treasury_yield_curve", "field_tdr_date_value": str(year),
                 "page": "", "_format": "csv"})

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch every year from ``request.start`` to ``request.end`` (all or nothing).

        A year's file is newest first, so an answer cut at a row boundary loses its oldest
        days and still ends in a line break: each year must reach back to within
        :data:`REACH_DAYS` of the first day asked of it (:func:`_check_reaches_back`).
        """
        start = request.start if request.start is not None else self.history_start
        start = max(start, pd.Timestamp(f"{FIRST_YEAR}-01-01"))
        end = request.end
        wanted = ({f"{NAME}:{s}" for s in symbols_of(NAME, request.series_ids)}
                  if request.series_ids else None)
        parts: list[Batch] = []
        url = self.url
        for year in range(start.year, end.year + 1):
            url, params = self.year_url(year)
            # a year is history that cannot change once it is well over
            done = year < (end - pd.Timedelta(days=14)).year
            unprinted = year == end.year and _before_first_print(end)
            try:
                resp = client.get(url, params=params, provider=NAME, cache=done,
                                  min_interval=self.min_interval, max_bytes=MAX_BYTES)
            except ProviderError as exc:
                if not (unprinted and getattr(exc, "status", None) == 404):
                    raise
                # a new year's file before its first close may not exist yet: nothing of the
                # year, not a broken service (it failed the whole curve, December too)
                parts.append(Batch(empty_observations(), [], url, notes=[
                    f"{NAME}: the {year} file is not there yet (HTTP 404): no day of {year} "
                    "is published yet"]))
                continue
            if unprinted and not resp.content.strip():
                # or it may come empty (same reading)
                parts.append(Batch(empty_observations(), [], url, notes=[
                    f"{NAME}: the {year} file is empty: no day of {year} is published yet"]))
                continue
            body = complete_text(NAME, resp, url=url)
            part = parse(body, url=url, wanted=wanted, start=start, end=end)
            # the file's oldest row, whatever tenors are wanted (the 20-year restarts in 1993)
            _check_reaches_back(part if wanted is None else
                                parse(body, url=url, wanted=None, start=start, end=end),
                                year, start, end, body, url)
            parts.append(part)
        obs = [p.observations for p in parts if not p.observations.empty]
        specs = {s.series_id: s for p in parts for s in p.specs}
        quarantine = [p.quarantine for p in parts if not p.quarantine.empty]
        # a missing tenor matters in the newest year's answer only (older years predate the
        # 2-, 4- and 1.5-month bills)
        notes = sorted({n for i, p in enumerate(parts) for n in p.notes
                        if i == len(parts) - 1 or "has no column for" not in n})
        return Batch(pd.concat(obs, ignore_index=True) if obs else empty_observations(),
                     list(specs.values()), url,
                     pd.concat(quarantine, ignore_index=True) if quarantine
                     else pd.DataFrame(columns=QUARANTINE_COLUMNS), notes, len(parts))


#: Calendar days a year's file may start after the first day asked of it (New Year's Day, a
#: weekend and the second of January).
REACH_DAYS = 7


def _check_reaches_back(part: Batch, year: int, start: pd.Timestamp, end: pd.Timestamp,
                        body: bytes, url: str) -> None:
    """Refuse a year's file whose oldest day is well after the first day asked of it.

    The file is newest first: a body cut at a row boundary lost the oldest rows and passed
    every check, leaving a hole (2025-07-11 to 2025-10-10) that later fetches, which re-read a
    week, never filled.

    Raises
    ------
    BadPayload
        The file's oldest day is more than :data:`REACH_DAYS` after the first day asked of it.
    """
    if part.observations.empty:
        return
    first = max(pd.Timestamp(start).normalize(), pd.Timestamp(f"{year}-01-01"))
    oldest = pd.Timestamp(part.observations["ts"].min())
    if first + pd.Timedelta(days=REACH_DAYS) < min(oldest, pd.Timestamp(end)):
        raise bad_payload(NAME, f"the {year} file's oldest day is {oldest:%Y-%m-%d}, "
                          f"{(oldest - first).days} days after the first day asked of it "
                          f"({first:%Y-%m-%d}): an answer cut short (the file is newest "
                          "first)", body, url=url)
