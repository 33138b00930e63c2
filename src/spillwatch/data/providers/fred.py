"""FRED series by id: the keyless fredgraph CSV, or the FRED API when ``FRED_API_KEY`` is set.

Keyless endpoint (the "Download CSV" link of every FRED graph)::

    {base}/graph/fredgraph.csv?id=DGS10&cosd=2024-01-01&coed=2024-12-31

Its header is ``observation_date,<ID>`` since late 2024 (formerly ``DATE,<ID>``), dates are
ISO ``YYYY-MM-DD``, and a missing value is an empty cell (formerly ``.``): every form is accepted.

API endpoint (https://fred.stlouisfed.org/docs/api/fred/series_observations.html)::

    {api}/fred/series/observations?series_id=DGS10&api_key=…&file_type=json
        &observation_start=2024-01-01&observation_end=…&limit=100000&offset=0

answers ``{"count": n, "offset": 0, "limit": 100000, "observations": [{"date": "2024-01-02",
"value": "3.95", "realtime_start": …, "realtime_end": …}, …]}`` with ``"."`` for a missing value;
more than ``limit`` observations are paged with ``offset``.

FRED allows about 120 requests a minute per key; the provider keeps at least ``min_interval``
(0.5 s) between two requests to a FRED host. The API key goes in the query parameters only and
is redacted from every log line and error message.

Base URLs: ``$SPILLWATCH_FRED_URL`` (default ``https://fred.stlouisfed.org``) and
``$SPILLWATCH_FRED_API_URL`` (default ``https://api.stlouisfed.org``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from spillwatch.config import settings
from spillwatch.data.providers._base import (
    Batch,
    FetchRequest,
    bad_payload,
    base_url,
    check_not_html,
    complete_text,
    empty_observations,
    guarded,
    in_window,
    json_payload,
    long_frame,
    point_line,
    symbols_of,
    table_of,
)
from spillwatch.data.providers.csvfile import QUARANTINE_COLUMNS
from spillwatch.data.providers.shared import fred_spec
from spillwatch.data.rules import SCALE

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

NAME = "fred"
URL_ENV = "SPILLWATCH_FRED_URL"
API_URL_ENV = "SPILLWATCH_FRED_API_URL"
KEY_ENV = "FRED_API_KEY"
DEFAULT_URL = "https://fred.stlouisfed.org"
DEFAULT_API_URL = "https://api.stlouisfed.org"
MISSING = frozenset({"", "."})
API_LIMIT = 100_000

#: The series fetched by default: dollar, FX, VIX, S&P 500, the curve, custody, stress, premium,
#: and what a hedged Treasury earns a Japanese investor (SOFR, 3-month bill, Japan's 3-month rate).
DEFAULT_SERIES = ("DTWEXBGS", "DEXJPUS", "DEXCHUS", "VIXCLS", "SP500", "DGS2", "DGS10", "DGS30",
                  "WMTSECL1", "STLFSI4", "THREEFYTP10", "SOFR", "DGS3MO", "IR3TIB01JPM156N")

#: Frequency of series that are not daily.
FREQUENCY = {"WMTSECL1": "weekly", "STLFSI4": "weekly", "ANFCI": "weekly",
             "IR3TIB01JPM156N": "monthly"}

#: Largest answer accepted from FRED (a daily series since 1962 is about 400 KB).
MAX_BYTES = 16 * 1024 * 1024
#: Most API pages read for one series (100,000 observations each).
MAX_PAGES = 100


@guarded(NAME)
def parse_csv(content: bytes, series: str, *, url: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse a fredgraph CSV of one series (pure); return observations and quarantine.

    Any line ending (LF, CRLF, a lone CR) and a byte-order mark are accepted.

    Raises
    ------
    BadPayload
        HTML instead of CSV, a header other than ``observation_date|DATE,<ID>``, a row of the
        wrong width (a truncated file) or a date not in ``YYYY-MM-DD``.
    """
    sid = f"{NAME}:{series}"
    check_not_html(NAME, content, url=url, series_id=sid)
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        # a JSON error body with HTTP 200 read as "an answer cut short (truncated)"
        raise bad_payload(NAME, "a JSON answer where the CSV was expected (an error message?)",
                          content, series_id=sid, url=url)
    table = table_of(NAME, content, url=url, series_id=sid)
    header = table.header
    if (len(header) != 2 or header[0].lower() not in {"observation_date", "date"}
            or header[1].upper() != series.upper()):
        raise bad_payload(NAME, f"expected the header 'observation_date,{series}' (or "
                          f"'DATE,{series}')", content, series_id=sid, url=url)
    ts: list[Any] = []
    vals: list[float] = []
    quarantine: list[dict[str, Any]] = []
    for n, (raw_date, raw) in zip(table.lines, table.rows, strict=True):
        raw_date, raw = raw_date.strip(), raw.strip()
        d = _date(raw_date)
        if d is None:
            raise bad_payload(NAME, f"line {n}: date {raw_date[:40]!r} is not YYYY-MM-DD",
                              f"{raw_date},{raw}", series_id=sid, url=url)
        _take(d, raw_date, raw, series, url, ts, vals, quarantine)
    obs = long_frame(sid, ts, vals) if ts else empty_observations()
    return obs, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNT = re.compile(r"^[0-9]+$")


def _date(text: str) -> pd.Timestamp | None:
    """A ``YYYY-MM-DD`` date between 1800 and 2200, or ``None``."""
    if not _ISO_DAY.match(text):
        return None
    try:
        d = pd.Timestamp(text)
    except (ValueError, OverflowError):
        return None
    return d if pd.Timestamp("1800-01-01") <= d <= pd.Timestamp("2200-12-31") else None


def _take(d: pd.Timestamp, raw_date: str, raw: str, series: str, url: str, ts: list[Any],
          vals: list[float], quarantine: list[dict[str, Any]]) -> None:
    """Keep one point: skip a missing marker, quarantine a non-number, else append it."""
    if raw in MISSING:
        return
    try:
        vals.append(float(raw))
        ts.append(d)
    except (ValueError, OverflowError):
        quarantine.append({"series_id": f"{NAME}:{series}", "source": url,
                           "line": point_line(d), "column": series, "raw_date": raw_date,
                           "raw_value": raw, "reason": "non-numeric value"})


@guarded(NAME)
def parse_json(payload: object, series: str, *, url: str) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                   int]:
    """Parse one page of ``fred/series/observations`` JSON (pure).

    Returns
    -------
    observations, quarantine, count : DataFrame, DataFrame, int
        ``count`` is the total number of observations the API holds for the query (paging).

    Raises
    ------
    BadPayload
        Not an object with an ``observations`` list, or an observation without ``date`` or
        ``value``.
    """
    sid = f"{NAME}:{series}"
    text = repr(payload)[:200]
    if not isinstance(payload, dict) or not isinstance(payload.get("observations"), list):
        raise bad_payload(NAME, "JSON without an 'observations' list", text, series_id=sid,
                          url=url)
    ts: list[Any] = []
    vals: list[float] = []
    quarantine: list[dict[str, Any]] = []
    for i, o in enumerate(payload["observations"]):
        if not isinstance(o, dict) or "date" not in o or "value" not in o:
            raise bad_payload(NAME, f"observation {i} lacks 'date' or 'value'", repr(o)[:200],
                              series_id=sid, url=url)
        d = _date(str(o["date"]).strip())
        if d is None:
            raise bad_payload(NAME, f"observation {i}: date {str(o['date'])[:40]!r} is not "
                              "YYYY-MM-DD", json.dumps(o)[:200], series_id=sid, url=url)
        _take(d, str(o["date"]), str(o["value"]).strip(), series, url, ts, vals, quarantine)
    count = payload.get("count", len(payload["observations"]))
    obs = long_frame(sid, ts, vals) if ts else empty_observations()
    # a count that is not a plain non-negative integer ("²" passes str.isdigit) means no paging
    ok = (isinstance(count, int | str) and not isinstance(count, bool)
          and _COUNT.match(str(count)[:13]) and len(str(count)) <= 12)
    return (obs, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS),
            min(int(count), 10**9) if ok else 0)


class FredProvider:
    """FRED series by id (keyless CSV, or the API with ``$FRED_API_KEY``).

    Parameters
    ----------
    url, api_url : str, optional
        Base URLs (default from the environment, else FRED's).
    api_key : str, optional
        Default ``$FRED_API_KEY``; without one the keyless CSV is used.
    min_interval : float, default 0.5
        Seconds between two requests to FRED (its limit is about two a second).
    history_start : str, default "2015-01-01"
        First date fetched when the store has nothing and no start is given.
    page_limit : int, default 100000
        Observations per API page (the API's maximum).
    """

    name = NAME
    url_env = URL_ENV

    def __init__(self, url: str | None = None, *, api_url: str | None = None,
                 api_key: str | None = None, min_interval: float = 0.5,
                 history_start: str = "2015-01-01", page_limit: int = API_LIMIT) -> None:
        self.url = base_url(URL_ENV, DEFAULT_URL, url)
        self.page_limit = page_limit
        self.api_url = base_url(API_URL_ENV, DEFAULT_API_URL, api_url)
        # the settings' $SPILLWATCH_FRED_API_KEY (what the README lists), else FRED's own name
        self.api_key = (api_key if api_key is not None else settings().fred_api_key
                        or os.environ.get(KEY_ENV) or None)
        self.min_interval = min_interval
        self.history_start = pd.Timestamp(history_start)

    def default_series(self) -> list[str]:
        """The default FRED series (see :data:`DEFAULT_SERIES`)."""
        return [f"{NAME}:{s}" for s in DEFAULT_SERIES]

    def _csv(self, client: HttpClient, series: str, start: pd.Timestamp, end: pd.Timestamp
             ) -> tuple[pd.DataFrame, pd.DataFrame, str, int]:
        url = self.url + "/graph/fredgraph.csv"
        params = {"id": series, "cosd": start.strftime("%Y-%m-%d"),
                  "coed": end.strftime("%Y-%m-%d")}
        resp = client.get(url, params=params, provider=NAME, min_interval=self.min_interval,
                          series_id=f"{NAME}:{series}", max_bytes=MAX_BYTES)
        obs, q = parse_csv(complete_text(NAME, resp, url=url), series, url=url)
        return obs, q, url, 1

    def _api(self, client: HttpClient, series: str, start: pd.Timestamp, end: pd.Timestamp
             ) -> tuple[pd.DataFrame, pd.DataFrame, str, int]:
        url = self.api_url + "/fred/series/observations"
        obs, qs, offset, requests = [], [], 0, 0
        while True:
            params = {"series_id": series, "api_key": self.api_key or "", "file_type": "json",
                      "observation_start": start.strftime("%Y-%m-%d"),
                      "observation_end": end.strftime("%Y-%m-%d"), "limit": str(self.page_limit),
                      "offset": str(offset)}
            resp = client.get(url, params=params, provider=NAME, max_bytes=MAX_BYTES,
                              min_interval=self.min_interval, series_id=f"{NAME}:{series}")
            requests += 1
            payload = json_payload(NAME, resp, url=url, series_id=f"{NAME}:{series}")
            o, q, count = parse_json(payload, series, url=url)
            obs.append(o)
            qs.append(q)
            offset += len(payload["observations"])
            if not payload["observations"] or offset >= count:
                break
            if requests >= MAX_PAGES:
                raise bad_payload(NAME, f"more than {MAX_PAGES} pages for one series (the "
                                  f"answer claims {count} observations)", "", url=url,
                                  series_id=f"{NAME}:{series}")
        return (pd.concat(obs, ignore_index=True), pd.concat(qs, ignore_index=True), url,
                requests)

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch each requested series; every series must succeed for the batch to exist."""
        start = request.start if request.start is not None else self.history_start
        series = symbols_of(NAME, request.series_ids) or list(DEFAULT_SERIES)
        obs, qs, specs, notes, requests, url = [], [], [], [], 0, self.url
        for s in series:
            get = self._api if self.api_key else self._csv
            o, q, url, n = get(client, s, start, request.end)
            requests += n
            o = in_window(o, start, request.end)
            sid = f"{NAME}:{s}"
            if sid in SCALE:
                factor, note = SCALE[sid]
                o = o.assign(value=o["value"] * factor)
                notes.append(f"{sid}: {note}")
            obs.append(o)
            qs.append(q)
            # the import's entry of fred/<s>.csv: a fetch rewrote its unit and price flag
            spec = fred_spec(s)
            specs.append(spec if spec.frequency == FREQUENCY.get(s, "daily") else
                         dataclasses.replace(spec, frequency=FREQUENCY.get(s, "daily")))
        return Batch(pd.concat(obs, ignore_index=True) if obs else empty_observations(), specs,
                     url, pd.concat(qs, ignore_index=True) if qs
                     else pd.DataFrame(columns=QUARANTINE_COLUMNS), notes, requests)
