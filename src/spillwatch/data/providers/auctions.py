"""Treasury note and bond auction results from the Fiscal Data API (keyless; events).

Endpoint (U.S. Treasury, Bureau of the Fiscal Service, "Treasury Securities Auctions Data",
https://fiscaldata.treasury.gov/datasets/treasury-securities-auctions-data/)::

    {base}/services/api/fiscal_service/v1/accounting/od/auctions_query
        ?fields=...&filter=auction_date:gte:2025-01-01,auction_date:lte:2025-04-30,
         security_type:in:(Note,Bond)&sort=auction_date&page[size]=1000&page[number]=1

answers ``{"data": [{...}, ...], "meta": {"count", "labels", "dataTypes", "dataFormats",
"total-count", "total-pages"}, "links": {"self", "first", "prev", "next", "last"}}``; every value
in ``data`` is a **string**, ``"null"`` where there is none. Fields read: ``cusip``,
``security_type``, ``security_term`` (remaining term, ``"9-Year 10-Month"``),
``original_security_term`` (``"10-Year"``), ``auction_date``, ``reopening`` (``Yes``/``No``),
``offering_amt`` (USD), ``high_yield``, ``avg_med_yield`` (percent), ``bid_to_cover_ratio``,
``primary_dealer_accepted``, ``direct_bidder_accepted``, ``indirect_bidder_accepted`` (USD),
``floating_rate`` and ``inflation_index_security`` (``Yes`` for FRNs and TIPS, left out).

Each auction becomes an event of the ``auctions`` table, computed as the shared data's
``auctions/ust_auctions_notes_bonds.csv`` is: ``tenor`` = original term, ``term`` = remaining term,
``size_bn`` = offering / 1e9, ``median_yield`` = average-median yield, bidder shares =
dealer / direct / indirect accepted over their sum × 100 (the competitive accepted amount),
``dispersion_bp`` = (high − median) × 100. Auctions announced but not yet held (no high yield and
no bid-to-cover) are left for a later fetch, with a note.

Base URL: ``$SPILLWATCH_FISCALDATA_URL`` (default ``https://api.fiscaldata.treasury.gov``).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from spillwatch.data.providers._base import (
    Batch,
    FetchRequest,
    bad_payload,
    base_url,
    empty_observations,
    guarded,
    json_payload,
)

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

NAME = "auction"
SERIES = "auction:notes_bonds"
URL_ENV = "SPILLWATCH_FISCALDATA_URL"
DEFAULT_URL = "https://api.fiscaldata.treasury.gov"
PATH = "/services/api/fiscal_service/v1/accounting/od/auctions_query"
FIELDS = ("cusip", "security_type", "security_term", "original_security_term", "auction_date",
          "reopening", "offering_amt", "high_yield", "avg_med_yield", "bid_to_cover_ratio",
          "primary_dealer_accepted", "direct_bidder_accepted", "indirect_bidder_accepted",
          "floating_rate", "inflation_index_security")
TYPES = ("Note", "Bond")
PAGE_SIZE = 1000
MAX_PAGES = 50
#: Largest page accepted (1000 auctions with these fields are about 500 KB).
MAX_BYTES = 16 * 1024 * 1024
_NULL = {"", "null", "none", "n/a"}


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _num(v: Any, *, amount: bool = False) -> float | str | None:
    """A number from a Fiscal Data string; ``None`` for "null"; the raw text when not a number.

    Commas are thousands separators only in an ``amount`` (dollars accepted, offering size)
    and only in groups of three (``"1,234,567"``). In a yield or a ratio a comma is not read:
    ``"4,125"`` is the text it is (quarantined at ingest), never a 4,125 % yield.
    """
    t = _text(v)
    if t.lower() in _NULL:
        return None
    if "," in t:
        if not (amount and _GROUPED.match(t)):
            return t[:80]
        t = t.replace(",", "")
    try:
        x = float(t)
    except (ValueError, OverflowError):
        return t[:80]
    return x if math.isfinite(x) else t[:80]


@guarded(NAME)
def parse(payload: object, *, url: str, page: int = 1) -> tuple[pd.DataFrame, int, list[str]]:
    """Parse one page of ``auctions_query`` (pure); return raw auction rows, pages, notes.

    The rows have the ``auctions`` table's columns plus ``line`` (the record's position in the
    answer); their values are checked at ingest (a bad record is quarantined, not fatal).

    Raises
    ------
    BadPayload
        Not an object with a ``data`` list and a ``meta`` object.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list) or (
            not isinstance(payload.get("meta"), dict)):
        raise bad_payload(NAME, "JSON without a 'data' list and a 'meta' object",
                          repr(payload)[:200], url=url)
    pages = payload["meta"].get("total-pages", 1)
    if isinstance(pages, str) and pages.strip().isdigit():   # "2": a number sent as text
        pages = int(pages.strip())
    pages = int(pages) if isinstance(pages, int) and not isinstance(pages, bool) and (
        0 <= pages <= 10**6) else 1
    # without a usable page count, a 'links.next' still says another page follows
    links = payload.get("links")
    nxt = links.get("next") if isinstance(links, dict) else None
    if isinstance(nxt, str) and nxt.strip() and nxt.strip().lower() != "null":
        pages = max(pages, page + 1)
    rows: list[dict[str, Any]] = []
    pending = other = 0
    for i, rec in enumerate(payload["data"], start=1):
        if not isinstance(rec, dict):
            raise bad_payload(NAME, f"record {i} is not an object", repr(rec)[:200], url=url)
        kind = _text(rec.get("security_type"))
        if kind not in TYPES or _text(rec.get("floating_rate")).lower() == "yes" or _text(
                rec.get("inflation_index_security")).lower() == "yes":
            other += 1
            continue
        high, median = _num(rec.get("high_yield")), _num(rec.get("avg_med_yield"))
        cover = _num(rec.get("bid_to_cover_ratio"))
        if high is None and cover is None:
            pending += 1
            continue
        amounts = [_num(rec.get(k), amount=True) for k in ("primary_dealer_accepted",
                                              "direct_bidder_accepted",
                                              "indirect_bidder_accepted")]
        shares: list[float | str | None]
        nums = [a for a in amounts if isinstance(a, float)]
        if len(nums) == 3:
            total = sum(nums)
            shares = [100.0 * a / total for a in nums] if total > 0 else [None, None, None]
        else:
            shares = [a if not isinstance(a, float) else None for a in amounts]
        size = _num(rec.get("offering_amt"), amount=True)
        disp = ((float(high) - float(median)) * 100.0
                if isinstance(high, float) and isinstance(median, float) else None)
        term = _text(rec.get("security_term"))
        original = _text(rec.get("original_security_term"))
        rows.append({
            "auction_date": _text(rec.get("auction_date")),
            "cusip": _text(rec.get("cusip")),
            "tenor": original if original.lower() not in _NULL else term,
            "term": term,
            "reopening": _text(rec.get("reopening")),
            "security_type": kind,
            "size_bn": size / 1e9 if isinstance(size, float) else size,
            "high_yield": high, "median_yield": median, "bid_to_cover": cover,
            "dealer_pct": shares[0], "direct_pct": shares[1], "indirect_pct": shares[2],
            "dispersion_bp": disp, "line": i,
        })
    notes = []
    if pending:
        notes.append(f"{pending} auction(s) announced but not held yet: left for a later fetch")
    if other:
        notes.append(f"{other} record(s) that are not nominal notes or bonds skipped")
    frame = pd.DataFrame(rows, columns=["auction_date", "cusip", "tenor", "term", "reopening",
                                        "security_type", "size_bn", "high_yield", "median_yield",
                                        "bid_to_cover", "dealer_pct", "direct_pct",
                                        "indirect_pct", "dispersion_bp", "line"])
    return frame.astype(object), pages, notes


class AuctionsProvider:
    """Nominal note and bond auctions from Treasury's Fiscal Data API.

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_FISCALDATA_URL`` or api.fiscaldata.treasury.gov).
    history_start : str, default "2015-01-01"
        First auction date fetched when the store has none and no start is given.
    min_interval : float, default 0.5
        Seconds between two requests.
    page_size : int, default 1000
        Records per page.
    """

    name = NAME
    url_env = URL_ENV

    def __init__(self, url: str | None = None, *, history_start: str = "2015-01-01",
                 min_interval: float = 0.5, page_size: int = PAGE_SIZE) -> None:
        self.url = base_url(URL_ENV, DEFAULT_URL, url)
        self.history_start = pd.Timestamp(history_start)
        self.min_interval = min_interval
        self.page_size = page_size

    def default_series(self) -> list[str]:
        """The auction events (one id: they go to the ``auctions`` table)."""
        return [SERIES]

    def params(self, start: pd.Timestamp, end: pd.Timestamp, page: int) -> dict[str, str]:
        """The query of one page."""
        return {"fields": ",".join(FIELDS),
                "filter": f"auction_date:gte:{start:%Y-%m-%d},auction_date:lte:{end:%Y-%m-%d},"
                          f"security_type:in:({','.join(TYPES)})",
                "sort": "auction_date,cusip", "format": "json",
                "page[size]": str(self.page_size), "page[number]": str(page)}

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch every page of auctions from ``request.start`` to ``request.end``."""
        start = request.start if request.start is not None else self.history_start
        url = self.url + PATH
        frames, notes, page, pages = [], [], 1, 1
        while page <= pages:
            if page > MAX_PAGES:
                raise bad_payload(NAME, f"more than {MAX_PAGES} pages ({pages} announced)", "",
                                  url=url)
            resp = client.get(url, params=self.params(start, request.end, page), provider=NAME,
                              min_interval=self.min_interval, max_bytes=MAX_BYTES)
            payload = json_payload(NAME, resp, url=url)
            rows, pages, page_notes = parse(payload, url=url, page=page)
            # the record number across pages identifies a quarantined record
            rows["line"] = [(page - 1) * self.page_size + int(n) for n in rows["line"]]
            frames.append(rows)
            notes += page_notes
            page += 1
        events = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        return Batch(empty_observations(), [], url, notes=notes, requests=page - 1,
                     events={"auctions": events})
