"""Japan MOF weekly international transactions in securities (designated major investors).

Endpoint (MOF, "International Transactions in Securities (weekly)", CSV in cp932)::

    {base}/policy/international_policy/reference/itn_transactions_in_securities/week.csv

Layout: a bilingual title block (title, "Final Update ...", "単位：億円 / Unit: 100 million
Yen"), then a header block whose English rows name the columns: the section ("1. Portfolio
Investment Assets", "2. Portfolio Investment Liabilities"), the group ("Equity and investment fund
shares", "Long-term debt securities", "Subtotal", "Short-term debt securities", "Total") and the
kind ("Acquisition", "Disposition", "Net"); section and group labels stand over the first of the
columns they cover. Then one row per week: ``2025．3．30～ 4．5`` (Sunday to Saturday, full-width
dots; the end carries a year when it differs, ``2025．12．28～2026．1．3``) and 22 numbers such as
``"1,689 "``; notes (``（備考）``, ``(Note 1)``) close the file.

Columns are read **by name** (English labels, or the Japanese ones when the English are absent)
and stored as ``mof:weekly_<section>_<group>_<kind>_jpy100m``, the ids of the shared data's
``holdings/mof_weekly_intl_securities.csv`` (``mof:weekly_assets_ltdebt_net_jpy100m`` =
Japanese residents' net purchases of foreign long-term bonds; negative = net selling), dated by
the week's last day (Saturday), in 100 million yen.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
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

NAME = "mof_weekly"
PREFIX = "mof:weekly_"
PATH = "/policy/international_policy/reference/itn_transactions_in_securities/week.csv"
SECTIONS = (("assets", ("portfolioinvestmentassets", "対外証券投資")),
            ("liab", ("portfolioinvestmentliabilities", "対内証券投資")))
GROUPS = (("subtotal", ("subtotal", "小計")), ("stdebt", ("short-termdebt", "短期債")),
          ("ltdebt", ("long-termdebt", "中長期債")), ("equity", ("equity", "株式")),
          ("total", ("total", "合計")))
KINDS = (("acq", ("acquisition", "取得")), ("disp", ("disposition", "処分")),
         ("net", ("net", "ネット")))
#: The 22 columns of the file, in MOF's order.
COLUMNS = tuple(
    f"{sec}_{grp}_{kind}_jpy100m" for sec in ("assets", "liab") for grp, kinds in (
        ("equity", ("acq", "disp", "net")), ("ltdebt", ("acq", "disp", "net")),
        ("subtotal", ("net",)), ("stdebt", ("acq", "disp", "net")), ("total", ("net",)))
    for kind in kinds)
_PERIOD = re.compile(r"^(\d{4})[.年]\s*(\d{1,2})[.月]\s*(\d{1,2})日?\s*[~〜-]\s*"
                     r"(?:(\d{4})[.年]\s*)?(\d{1,2})[.月]\s*(\d{1,2})日?$")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", _mof.norm(text)).lower()


def _label(cell: str, table: Sequence[tuple[str, tuple[str, ...]]]) -> str | None:
    k = _key(cell)
    if not k:
        return None
    for name, words in table:
        if any(w in k for w in words):
            return name
    return None


def _columns(header: list[list[str]]) -> dict[int, str]:
    """Column position → name from the header rows (section and group labels fill right)."""
    width = max(len(r) for r in header)
    section: list[str | None] = [None] * width
    group: list[str | None] = [None] * width
    kind: list[str | None] = [None] * width
    for row in header:
        secs = [_label(c, SECTIONS) for c in row]
        grps = [_label(c, GROUPS) for c in row]
        kinds = [_label(c, KINDS) for c in row]
        if any(secs):
            cur = None
            for i in range(width):
                cur = (secs[i] if i < len(secs) and secs[i] else cur)
                section[i] = section[i] or cur
        elif sum(g is not None for g in grps) >= 3:
            cur = None
            for i in range(width):
                if i < len(row) and _key(row[i]):
                    cur = grps[i] if i < len(grps) else None
                group[i] = group[i] or cur
        elif sum(k is not None for k in kinds) >= 6:
            for i, k in enumerate(kinds):
                kind[i] = kind[i] or k
    out: dict[int, str] = {}
    for i in range(width):
        sec, grp, knd = section[i], group[i], kind[i]
        if sec and grp and knd:
            if grp in {"subtotal", "total"}:
                knd = "net"
            out[i] = f"{sec}_{grp}_{knd}_jpy100m"
    return out


def parse_period(text: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """``2025．3．30～ 4．5`` → (2025-03-30, 2025-04-05); ``None`` when it is not a period."""
    m = _PERIOD.match(_mof.norm(text))
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    try:
        start = pd.Timestamp(year=int(y1), month=int(m1), day=int(d1))
        year2 = int(y2) if y2 else (int(y1) + 1 if int(m2) < int(m1) else int(y1))
        end = pd.Timestamp(year=year2, month=int(m2), day=int(d2))
    except (ValueError, OverflowError):
        return None
    return start, end


def _numbers_in(cells: Sequence[str]) -> int:
    """How many cells read as MOF numbers (a data row has 22; a footnote none)."""
    count = 0
    for cell in cells:
        with contextlib.suppress(ValueError):
            count += _mof.number(cell) is not None
    return count


@guarded(NAME)
def parse(content: bytes, *, url: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Parse ``week.csv`` (pure); return observations, quarantine and notes.

    Raises
    ------
    BadPayload
        HTML, not cp932/UTF-8 text, no header naming the 22 columns, no week row, a row that
        starts like a period but is not one, or a week that does not run 7 days.
    """
    check_not_html(NAME, content, url=url)
    rows = _mof.records(NAME, content, url=url)
    first_data = next((i for i, (_, r) in enumerate(rows) if r and parse_period(r[0])), None)
    if first_data is None:
        raise bad_payload(NAME, "no week row ('2025.3.30~4.5') found", content, url=url)
    cols = _columns([r for _, r in rows[:first_data]])
    missing = [c for c in COLUMNS if c not in cols.values()]
    if missing:
        raise bad_payload(NAME, f"the header does not name {len(missing)} of the 22 columns "
                          f"(e.g. {missing[0]}); the layout changed?", content, url=url)
    ts: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    vals: dict[str, list[float]] = {c: [] for c in COLUMNS}
    quarantine: list[dict[str, Any]] = []
    notes: list[str] = []
    seen: set[pd.Timestamp] = set()
    for line, row in rows[first_data:]:
        head = _mof.norm(row[0]) if row else ""
        period = parse_period(head)
        if period is None:
            if re.match(r"^\d{4}[.年]", head) and _numbers_in(row[1:]) >= 2:
                # a row of figures whose period cannot be read; a dated footnote ("2014年1月
                #以降…") is a note, and it failed the whole group
                raise bad_payload(NAME, f"line {line}: period {row[0][:40]!r} not understood",
                                  ",".join(row)[:200], url=url)
            continue  # notes and blank separators after the table
        start, end = period
        if (end - start).days != 6:
            raise bad_payload(NAME, f"line {line}: {row[0]!r} is not a week (Sunday to "
                              "Saturday)", ",".join(row)[:200], url=url)
        if end in seen:
            raise bad_payload(NAME, f"line {line}: the week to {end.date()} appears twice",
                              ",".join(row)[:200], url=url)
        seen.add(end)
        for pos, name in cols.items():
            raw = row[pos] if pos < len(row) else ""
            try:
                v = _mof.number(raw)
            except ValueError:
                quarantine.append({"series_id": PREFIX + name, "source": url,
                                   "line": point_line(end), "column": name,
                                   "raw_date": row[0][:40], "raw_value": str(raw)[:200],
                                   "reason": f"non-numeric value {str(raw)[:40]!r}"})
                continue
            if v is None:
                continue
            ts[name].append(end)
            vals[name].append(v)
    parts = [long_frame(PREFIX + c, ts[c], vals[c]) for c in COLUMNS if ts[c]]
    obs = pd.concat(parts, ignore_index=True) if parts else empty_observations()
    return obs, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS), notes


class MofWeeklyProvider:
    """MOF's weekly portfolio flows (``week.csv``, the whole history in one file).

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_MOF_URL`` or www.mof.go.jp).
    min_interval : float, default 1.0
        Seconds between two requests to MOF.
    """

    name = NAME
    url_env = _mof.URL_ENV

    def __init__(self, url: str | None = None, *, min_interval: float = 1.0) -> None:
        self.url = base_url(_mof.URL_ENV, _mof.DEFAULT_URL, url)
        self.min_interval = min_interval

    def default_series(self) -> list[str]:
        """The 22 weekly flow series."""
        return [PREFIX + c for c in COLUMNS]

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch ``week.csv`` and keep the weeks ending within the request."""
        url = self.url + PATH
        resp = client.get(url, provider=NAME, min_interval=self.min_interval,
                          max_bytes=_mof.MAX_BYTES)
        obs, quarantine, notes = parse(complete_text(NAME, resp, url=url), url=url)
        wanted = set(request.series_ids)
        if wanted:
            obs = obs[obs["series_id"].isin(wanted)]
            quarantine = quarantine[quarantine["series_id"].isin(wanted)]
        obs = in_window(obs, request.start, request.end)
        keep = pd.to_datetime(quarantine["raw_date"].map(
            lambda t: (parse_period(t) or (pd.NaT, pd.NaT))[1]))
        # a bad cell of a week inside the request (both ends, as its observations; a week
        # whose period cannot be read stays, its date unknown): a fetch ending in March
        # quarantined a cell of a later week (h_mut18)
        if len(quarantine):
            inside = keep.isna() | (True if request.start is None else keep >= request.start)
            if request.end is not None:
                inside &= keep.isna() | (keep <= request.end)
            quarantine = quarantine[inside.to_numpy()]
        sids = sorted(set(obs["series_id"]) | (wanted or set(self.default_series())))
        specs = [spec_for(s, frequency="weekly", unit="jpy100m", positive=False,
                          block="holdings", name=f"MOF weekly {s[len(PREFIX):]}") for s in sids]
        return Batch(obs.reset_index(drop=True), specs, url,
                     quarantine.reset_index(drop=True), notes, requests=1)
