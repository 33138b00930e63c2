"""Japan MOF foreign-exchange intervention operations, day by day (events).

Endpoint (MOF, "Foreign Exchange Intervention Operations", CSV in cp932, published quarterly)::

    {base}/policy/international_policy/reference/feio/foreign_exchange_intervention_operations.csv

Layout: title lines, then a header ``年,月,日,Year,Month,Day,金額(amount),売買通貨,Currency
pairs`` (Japanese era date, the same date in English, the amount in 100 million yen, the pair in
Japanese and in English), then one row per intervention. The year and month are written only
where they change (carried down); a quarter ends with a total row (``平成3年4〜6月期計,,,April -
June 1991,,,350,,``) that has no day and no pair. The English pair reads like ``the US dollar
(sold) the Japanese yen (bought)``.

Each intervention becomes an event of the ``fx_interventions`` table: ``intervention_date``,
``currency_pair`` (``USD/JPY``, ``EUR/JPY``, ``DEM/JPY``, ``USD/DEM``, ``USD/IDR``), ``direction``
(``sell_USD_buy_JPY`` = yen support), ``amount_jpy_bn`` (the 100-million-yen amount / 10), as
in the shared data's ``holdings/mof_fx_intervention_daily.csv``. Columns are found by their
English names. Each quarter's total is compared with the sum of its days (a note when they
differ).
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
)

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

NAME = "mof_fx"
SERIES = "mof:intervention"
PATH = ("/policy/international_policy/reference/feio/"
        "foreign_exchange_intervention_operations.csv")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
CURRENCIES = {"us dollar": "USD", "u.s. dollar": "USD", "japanese yen": "JPY", "yen": "JPY",
              "euro": "EUR", "deutsche mark": "DEM", "deutsch mark": "DEM", "german mark": "DEM",
              "indonesian rupiah": "IDR", "rupiah": "IDR"}
#: Order of the two currencies in a pair name (``USD/JPY``, ``EUR/JPY``, ``USD/DEM``).
PAIR_ORDER = ("EUR", "USD", "DEM", "IDR", "JPY")
_MARK = re.compile(r"\(\s*(sold|bought)\s*\)", re.IGNORECASE)


def legs(text: str) -> tuple[str, str] | None:
    """``the US dollar (sold) the Japanese yen (bought)`` → ``("USD/JPY", "sell_USD_buy_JPY")``."""
    text = _mof.norm(text)
    if len(text) > 200:
        return None
    found, prev = [], 0
    for m in _MARK.finditer(text):  # the name of each leg is the text before its mark
        found.append((text[prev:m.start()].strip(" ."), m.group(1)))
        prev = m.end()
    if len(found) != 2:
        return None
    side: dict[str, str] = {}
    for name, action in found:
        words = name.lower().split()
        if words and words[0] == "the":
            words = words[1:]
        code = CURRENCIES.get(" ".join(words))
        if code is None:
            return None
        side[action.lower()] = code
    if set(side) != {"sold", "bought"} or side["sold"] == side["bought"]:
        return None
    a, b = sorted(side.values(), key=lambda c: PAIR_ORDER.index(c) if c in PAIR_ORDER else 99)
    return f"{a}/{b}", f"sell_{side['sold']}_buy_{side['bought']}"


def _find(header: list[str], *names: str) -> int | None:
    keys = [_mof.norm(h).lower() for h in header]
    for n in names:
        for i, k in enumerate(keys):
            if k == n or (n in k and len(n) > 4):
                return i
    return None


@guarded(NAME)
def parse(content: bytes, *, url: str) -> tuple[pd.DataFrame, list[str]]:
    """Parse the intervention CSV (pure); return raw event rows and notes.

    The rows are not checked here (that is :func:`spillwatch.data.events.check_events`'s job at
    ingest): a row that is not a valid event is quarantined there with its line.

    Raises
    ------
    BadPayload
        HTML, not cp932/UTF-8 text, no header with Year / Month / Day / amount / Currency pairs.
    """
    check_not_html(NAME, content, url=url)
    rows = _mof.records(NAME, content, url=url)
    head = next((i for i, (_, r) in enumerate(rows)
                 if _find(r, "year") is not None and _find(r, "day") is not None), None)
    if head is None:
        raise bad_payload(NAME, "no header with Year, Month, Day columns", content, url=url)
    header = rows[head][1]
    iy, im, iday = _find(header, "year"), _find(header, "month"), _find(header, "day")
    iamt = _find(header, "amount", "金額(amount)")
    ipair = _find(header, "currency pairs", "currency pair")
    if iy is None or im is None or iday is None or iamt is None or ipair is None:
        raise bad_payload(NAME, "the header lacks one of Year, Month, Day, amount, Currency "
                          "pairs", ",".join(header)[:200], url=url)
    out: list[dict[str, Any]] = []
    notes: list[str] = []
    year: int | None = None
    month: int | None = None
    quarter_sum = 0.0
    quarter_rows = 0
    for line, row in rows[head + 1:]:
        cells = [_mof.norm(c) for c in row] + [""] * max(0, len(header) - len(row))

        def cell(i: int, cells: list[str] = cells) -> str:
            return cells[i] if i < len(cells) else ""

        y, mo, d = cell(iy), cell(im), cell(iday)
        if re.fullmatch(r"\d{4}", y):
            year = int(y)
        if mo[:3].lower() in MONTHS:
            month = MONTHS[mo[:3].lower()]
        if not d and not cell(ipair):
            # a quarter total ("April - June 1991", amount) closes the quarter: check its sum
            # (a row with a pair but no day is an intervention whose date cannot be read: it
            # goes on to the events and is quarantined there with its line, not dropped)
            total = cell(iamt)
            if y and total:
                try:
                    t = _mof.number(total)
                except ValueError:
                    t = None
                if t is not None and quarter_rows and abs(t - quarter_sum) > 1.0:
                    notes.append(f"{y}: the quarter total {t:g} differs from the sum of its days "
                                 f"{quarter_sum:g} (100 million yen)")
                quarter_sum, quarter_rows = 0.0, 0
            continue
        pair = legs(cell(ipair))
        date = None
        if year is not None and month is not None and re.fullmatch(r"\d{1,2}", d):
            try:
                date = pd.Timestamp(year=year, month=month, day=int(d)).strftime("%Y-%m-%d")
            except ValueError:
                date = None
        raw_amount = cell(iamt)
        try:
            amount = _mof.number(raw_amount)
        except ValueError:
            amount = None
        if amount is not None:
            quarter_sum += amount
            quarter_rows += 1
        out.append({
            "intervention_date": date or f"{year}-{mo}-{d}",
            "currency_pair": pair[0] if pair else cell(ipair)[:80],
            "direction": pair[1] if pair else "",
            "amount_jpy_bn": amount / 10.0 if amount is not None else raw_amount,
            "line": line,
        })
    frame = pd.DataFrame(out, columns=["intervention_date", "currency_pair", "direction",
                                       "amount_jpy_bn", "line"])
    return frame, notes


class MofFxProvider:
    """MOF's intervention history (one CSV, every intervention since 1991).

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
        """The intervention events (one id: they go to the ``fx_interventions`` table)."""
        return [SERIES]

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch the CSV and keep the interventions on or after the request's start."""
        url = self.url + PATH
        resp = client.get(url, provider=NAME, min_interval=self.min_interval,
                          max_bytes=_mof.MAX_BYTES)
        events, notes = parse(complete_text(NAME, resp, url=url), url=url)
        if request.start is not None and len(events):
            when = pd.to_datetime(events["intervention_date"], errors="coerce", format="%Y-%m-%d")
            keep = when.isna() | ((when >= request.start) & (when <= request.end))
            events = events[keep.to_numpy()].reset_index(drop=True)
        return Batch(empty_observations(), [], url, notes=notes, requests=1,
                     events={"fx_interventions": events})
