"""Japan MOF JGB benchmark yields (``jgbcm_all.csv`` history, ``jgbcm.csv`` this month).

Endpoints (MOF, "Interest Rate (JGB)", CSV in cp932)::

    {base}/jgbs/reference/interest_rate/data/jgbcm_all.csv   from 1974-09-24 to last month
    {base}/jgbs/reference/interest_rate/jgbcm.csv            the current month

Layout: a title line ``国債金利情報,,...,(単位 : %)``, a header ``基準日,1年,2年,...,10年,15年,
20年,25年,30年,40年`` (the English files have ``Date,1Y,...,40Y``), then one row per business
day, the date in the era calendar (``S49.9.24``, ``H31.4.26``, ``R7.4.1``), yields in percent,
``-`` where a tenor was not yet issued. Columns are read by name and stored as ``mof:jgb_<n>y``,
the ids of the shared data's ``japan/jgb_yields_mof.csv``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from spillwatch.data.providers import _mof
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
    long_frame,
    point_line,
    spec_for,
)
from spillwatch.data.providers.csvfile import QUARANTINE_COLUMNS

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

NAME = "mof_jgb"
PREFIX = "mof:jgb_"
HISTORY = "/jgbs/reference/interest_rate/data/jgbcm_all.csv"
CURRENT = "/jgbs/reference/interest_rate/jgbcm.csv"
TENORS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40)
_TENOR = re.compile(r"^(\d{1,2})\s*(?:年|y|yr|year|years)$", re.IGNORECASE)
_DATE_HEAD = {"基準日", "date", "日付"}


@guarded(NAME)
def parse(content: bytes, *, url: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse a JGB yield CSV (pure); return observations and quarantine.

    Raises
    ------
    BadPayload
        HTML, not cp932/UTF-8 text, no ``基準日``/``Date`` header with tenor columns, a row of the
        wrong width or a date that is neither an era date nor ``YYYY.M.D``.
    """
    check_not_html(NAME, content, url=url)
    rows = _mof.records(NAME, content, url=url)
    head = next((i for i, (_, r) in enumerate(rows)
                 if r and _mof.norm(r[0]).lower() in _DATE_HEAD), None)
    if head is None:
        raise bad_payload(NAME, "no header line starting with 基準日 (Date)", content, url=url)
    header = rows[head][1]
    cols: dict[int, str] = {}
    for i, h in enumerate(header[1:], start=1):
        m = _TENOR.match(_mof.norm(h))
        if m:
            cols[i] = f"jgb_{int(m.group(1))}y"
    if not cols:
        raise bad_payload(NAME, "the header names no tenor column (1年 ... 40年)", content,
                          url=url)
    ts: dict[str, list[Any]] = {c: [] for c in cols.values()}
    vals: dict[str, list[float]] = {c: [] for c in cols.values()}
    quarantine: list[dict[str, Any]] = []
    for line, row in rows[head + 1:]:
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            raise bad_payload(NAME, f"line {line}: {len(row)} fields, the header has "
                              f"{len(header)}", ",".join(row)[:200], url=url)
        d = _mof.era_date(row[0])
        if d is None:
            raise bad_payload(NAME, f"line {line}: date {row[0][:40]!r} is neither an era date "
                              "(R7.4.1) nor YYYY.M.D", ",".join(row)[:200], url=url)
        for pos, name in cols.items():
            raw = row[pos] if pos < len(row) else ""
            try:
                v = _mof.number(raw)
            except ValueError:
                quarantine.append({"series_id": PREFIX + name[4:], "source": url,
                                   "line": point_line(d), "column": header[pos][:40],
                                   "raw_date": row[0][:40], "raw_value": str(raw)[:200],
                                   "reason": f"non-numeric value {str(raw)[:40]!r}"})
                continue
            if v is not None:
                ts[name].append(d)
                vals[name].append(v)
    parts = [long_frame(f"mof:{c}", ts[c], vals[c]) for c in cols.values() if ts[c]]
    obs = pd.concat(parts, ignore_index=True) if parts else empty_observations()
    return obs, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS)


class MofJgbProvider:
    """JGB benchmark yields from MOF: this month's file, plus the history when it is needed.

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_MOF_URL`` or www.mof.go.jp).
    history_start : str, default "2015-01-01"
        First date kept when the store has nothing and no start is given.
    min_interval : float, default 1.0
        Seconds between two requests to MOF.
    """

    name = NAME
    url_env = _mof.URL_ENV

    def __init__(self, url: str | None = None, *, history_start: str = "2015-01-01",
                 min_interval: float = 1.0) -> None:
        self.url = base_url(_mof.URL_ENV, _mof.DEFAULT_URL, url)
        self.history_start = pd.Timestamp(history_start)
        self.min_interval = min_interval

    def default_series(self) -> list[str]:
        """Every tenor, 1 to 40 years."""
        return [f"{PREFIX}{n}y" for n in TENORS]

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch ``jgbcm.csv`` (and ``jgbcm_all.csv`` when the start is before this month)."""
        start = request.start if request.start is not None else self.history_start
        month = request.end.normalize().replace(day=1)
        parts, qs, url, requests = [], [], self.url + CURRENT, 0
        paths = [CURRENT] + ([HISTORY] if start < month else [])
        for path in paths:
            url = self.url + path
            resp = client.get(url, provider=NAME, min_interval=self.min_interval,
                              max_bytes=_mof.MAX_BYTES)
            requests += 1
            o, q = parse(complete_text(NAME, resp, url=url), url=url)
            parts.append(o)
            qs.append(q)
        # the current month's file wins where both have a day; a day twice within one file
        # stays twice, so that the ingest quarantines both values when they differ (keeping
        # the first silently stored a wrong yield)
        obs = parts[0]
        for more in parts[1:]:
            seen = pd.MultiIndex.from_frame(obs[["series_id", "ts"]])
            new = ~pd.MultiIndex.from_frame(more[["series_id", "ts"]]).isin(seen)
            obs = pd.concat([obs, more[new]], ignore_index=True)
        quarantine = pd.concat(qs, ignore_index=True).drop_duplicates(
            ["series_id", "line"], keep="first")
        wanted = set(request.series_ids)
        if wanted:
            obs = obs[obs["series_id"].isin(wanted)]
            quarantine = quarantine[quarantine["series_id"].isin(wanted)]
        obs = in_window(obs, start, request.end)
        quarantine = quarantine[(quarantine["line"] >= start.value // 10**9).to_numpy()]
        sids = sorted(set(obs["series_id"]) | (wanted or set(self.default_series())))
        specs = [spec_for(s, unit="pct", positive=False, block="rates",
                          name=f"JGB {s[len(PREFIX):]} benchmark yield (MOF)") for s in sids]
        return Batch(obs.reset_index(drop=True), specs, self.url + paths[0],
                     quarantine.reset_index(drop=True), requests=requests)
