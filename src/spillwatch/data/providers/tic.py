"""TIC "Major Foreign Holders of Treasury Securities" (monthly, billions of USD), from Treasury.

Tables (https://home.treasury.gov/data/treasury-international-capital-tic-system, "Securities
(B): Portfolio Holdings", "Major Foreign Holders of U.S. Treasury Securities (MFH table)")::

    {base}/resource-center/data-chart-center/tic/Documents/slt_table5.txt  last 13 months
    {base}/resource-center/data-chart-center/tic/Documents/mfhhis01.txt    history, a block a year

``slt_table5.txt`` ("Table 5", from the SLT reports) replaced ``mfh.txt`` with the April 2023
release (Treasury's description of its archive files); ``mfh.txt`` is still served, frozen at
early 2023, so reading it stored nothing newer and, as the newer table, overwrote the history
table's later revisions of its months. The history table is extended once a year (March).

Layouts, both read:

* **Table 5** (tab-separated): title lines (``Table 5: Major Foreign Holders of Treasury
  Securities``, ``Holdings at end of time period``, ``Billions of dollars``, ``Link: ...``),
  one header line ``Country`` with ISO months newest first (``2026-03 2026-02 ...``), one line per
  holder (``Japan``, ``China, Mainland`` ..., ``All Other``, ``Grand Total``, ``Of Which: Foreign
  Official``, ``Of Which: Foreign Official Treasury Bills``, ``Of Which: Foreign Official T-Bonds
  & Notes``), then ``Notes:`` in prose.
* **The history table** (and the old ``mfh.txt``): a title (``MAJOR FOREIGN HOLDERS OF TREASURY
  SECURITIES``, ...), then blocks of two header lines, month abbreviations (``Dec Nov Oct ...``)
  and ``Country`` with the years (``2025 2025 2025 ...``), newest first, a rule of dashes, then
  one line per holder (``Japan``, ``"China, Mainland"`` ..., ``All Other``, ``Grand Total``,
  ``Of which:``, ``For. Official``, ``Treasury Bills``, ``T-Bonds & Notes``), then footnotes
  (``1/ ...``). Fields are separated by tabs (``mfhhis01.txt``) or aligned with spaces (the old
  ``mfh.txt``).

``n.a.`` is a gap. Where a month appears twice at a series break, the first column (the new
series) is kept. A block ends at its ``T-Bonds & Notes`` line: what follows is notes.

Series ids match the shared data set's ``tic/major_foreign_holders.csv``: ``tic:japan_usd_bn``,
``tic:china_mainland_usd_bn``, ``tic:united_kingdom_usd_bn``, ``tic:grand_total_usd_bn``,
``tic:foreign_official_usd_bn`` (of which ``_bills`` and ``_bonds_notes``); dates are month ends.

Base URL: ``$SPILLWATCH_TIC_URL`` (default ``https://ticdata.treasury.gov``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

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
    in_window,
    long_frame,
    spec_for,
    symbols_of,
)

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

NAME = "tic"
URL_ENV = "SPILLWATCH_TIC_URL"
DEFAULT_URL = "https://ticdata.treasury.gov"
DOCS = "/resource-center/data-chart-center/tic/Documents/"
CURRENT, HISTORY = "slt_table5.txt", "mfhhis01.txt"
#: Largest table accepted (the history table is about 1 MB).
MAX_BYTES = 8 * 1024 * 1024
#: Treasury moves TIC pages between its two hosts; a redirect between them is followed.
ALLOW_HOSTS = ("ticdata.treasury.gov", "home.treasury.gov")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_MARKED = re.compile(r"^(-?[0-9,]+(?:\.[0-9]+)?)[rpe*]$", re.IGNORECASE)


def _unmark(tok: str) -> str:
    """A value without its thousands commas or a revision mark (``1,125.9r`` -> ``1125.9``).

    Treasury marks revised (r) or preliminary (p) figures in some tables; a marked last value
    made the whole holder line read as a label and dropped it.
    """
    m = _MARKED.match(tok)
    return (m.group(1) if m else tok).replace(",", "")
_YEAR = re.compile(r"^[0-9]{4}$")
_ISO_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_FOOTNOTE = re.compile(r"\s*\d+/\s*")
_SPECIAL = {"for_official": "foreign_official", "foreign_official": "foreign_official",
            "treasury_bills": "foreign_official_bills", "t_bills": "foreign_official_bills",
            "t_bonds_notes": "foreign_official_bonds_notes",
            "t_bonds_and_notes": "foreign_official_bonds_notes",
            # Table 5's names of the same three lines
            "of_which_foreign_official": "foreign_official",
            "of_which_foreign_official_treasury_bills": "foreign_official_bills",
            "of_which_foreign_official_t_bonds_notes": "foreign_official_bonds_notes"}

#: The holders the universe names (the default series are every holder in the table).
KEY_HOLDERS = ("japan", "china_mainland", "united_kingdom", "grand_total", "foreign_official")


def holder_symbol(name: str) -> str:
    """Series symbol of a holder: ``"China, Mainland"`` → ``"china_mainland_usd_bn"``."""
    clean = _FOOTNOTE.sub(" ", name.replace('"', "")).strip().lower().replace("&", "and")
    slug = re.sub(r"[^a-z0-9]+", "_", clean).strip("_").replace("_and_", "_")
    return f"{_SPECIAL.get(slug, slug)}_usd_bn"


def _tokens(line: str) -> list[str]:
    if "\t" in line:
        return [t.strip().strip('"').strip() for t in line.split("\t") if t.strip()]
    return line.split()


@guarded(NAME)
def parse(content: bytes, *, url: str) -> pd.DataFrame:
    """Parse a major-foreign-holders table (pure) into ``series_id, ts, value`` rows.

    Raises
    ------
    BadPayload
        HTML instead of text, no header block, a holder line with a number of values other than
        the months of its block, or a block without its ``Grand Total`` line (a truncated file).
    """
    check_not_html(NAME, content, url=url)
    text = content.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace(
        "\r", "\n")
    dates: list[pd.Timestamp] = []
    months: list[int] = []
    seen: set[tuple[str, pd.Timestamp]] = set()
    rows: list[tuple[str, pd.Timestamp, float]] = []
    blocks, inside = 0, False
    block_names: set[str] = set()

    def close_block(n: int) -> None:
        if blocks and "grand_total_usd_bn" not in block_names:
            raise bad_payload(NAME, f"the block ending at line {n} has no 'Grand Total' line "
                              "(a truncated table?)", text[-200:], url=url)
        if "foreign_official_usd_bn" in block_names and (
                "foreign_official_bonds_notes_usd_bn" not in block_names):
            raise bad_payload(NAME, f"the block ending at line {n} stops before 'T-Bonds & "
                              "Notes' (a truncated table?)", text[-200:], url=url)

    for n, line in enumerate(text.split("\n"), start=1):
        toks = _tokens(line)
        if not toks or set("".join(toks)) <= set("-"):
            continue
        low = [t.lower().rstrip(".") for t in toks]
        if low[0] == "country" and len(toks) > 1 and all(_ISO_MONTH.match(t) for t in toks[1:]):
            close_block(n)          # Table 5: one header line of ISO months
            iso = [_ISO_MONTH.match(t) for t in toks[1:]]
            if not all(1900 <= int(m[1]) <= 2200 and 1 <= int(m[2]) <= 12
                       for m in iso if m):
                raise bad_payload(NAME, f"line {n}: a month outside 1900-01..2200-12", line,
                                  url=url)
            dates = [pd.Timestamp(int(m[1]), int(m[2]), 1) + pd.offsets.MonthEnd(0)
                     for m in iso if m]
            months, inside, block_names = [d.month for d in dates], True, set()
            blocks += 1
            continue
        if all(t in MONTHS for t in low):
            close_block(n)
            months, dates, inside, block_names = [MONTHS[t] for t in low], [], False, set()
            blocks += 1
            continue
        if low[0] == "country" and months:
            years = toks[1:]
            if len(years) != len(months) or not all(_YEAR.match(y) for y in years):
                raise bad_payload(NAME, f"line {n}: {len(years)} years under {len(months)} "
                                  "months", line, url=url)
            if not all(1900 <= int(y) <= 2200 for y in years):
                raise bad_payload(NAME, f"line {n}: a year outside 1900-2200", line, url=url)
            dates = [pd.Timestamp(int(y), m, 1) + pd.offsets.MonthEnd(0)
                     for y, m in zip(years, months, strict=True)]
            inside = True
            continue
        if not inside or (_FOOTNOTE.match(line) and not line.startswith("\t")):
            continue
        values: list[str] = []
        while toks and (_NUMBER.match(_unmark(toks[-1])) or toks[-1].lower() in
                        {"n.a.", "na", "n/a"}):
            values.insert(0, _unmark(toks.pop()))
        if not values:
            continue  # "Of which:" and other labels
        name = " ".join(toks)
        if len(name) > 200:
            raise bad_payload(NAME, f"line {n}: a holder name of {len(name):,} characters",
                              line[:200], url=url)
        if not name or len(values) != len(dates):
            raise bad_payload(NAME, f"line {n}: {len(values)} values for {len(dates)} months "
                              "(a truncated or malformed line)", line, url=url)
        sym = holder_symbol(name)
        if sym in block_names:
            # a holder twice in one month block: which line is right cannot be told (the
            # first used to win without a word)
            raise bad_payload(NAME, f"line {n}: {name!r} appears twice in one block of months",
                              line, url=url)
        block_names.add(sym)
        if sym == "foreign_official_bonds_notes_usd_bn":
            inside = False  # the last line of a block; footnotes follow
        sid = f"{NAME}:{sym}"
        for d, v in zip(dates, values, strict=True):
            if (sid, d) in seen or not _NUMBER.match(v):
                continue  # series break: the first column wins; n.a. is a gap
            seen.add((sid, d))
            rows.append((sid, d, float(v)))
    close_block(n)
    if not blocks or not dates:
        head = next((f"line {i}: {ln.strip()[:80]!r}" for i, ln in enumerate(
            text.split("\n"), start=1) if ln.strip().lower().startswith("country")), None)
        raise bad_payload(NAME, "no 'Country' header with months and years found" + (
            f" ({head}: its months are neither ISO (2026-03) nor under a line of month names)"
            if head else ""), text, url=url)
    if not rows:
        return empty_observations()
    frame = pd.DataFrame(rows, columns=["series_id", "ts", "value"])
    parts = [long_frame(sid, g["ts"], g["value"]) for sid, g in frame.groupby("series_id")]
    return pd.concat(parts, ignore_index=True)


class TicProvider:
    """Major foreign holders of Treasuries (``slt_table5.txt``, ``mfhhis01.txt`` for history).

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_TIC_URL`` or ticdata.treasury.gov).
    history_start : str, default "2015-01-01"
        First month fetched when the store has nothing and no start is given.
    """

    name = NAME
    url_env = URL_ENV

    def __init__(self, url: str | None = None, *, history_start: str = "2015-01-01") -> None:
        self.url = base_url(URL_ENV, DEFAULT_URL, url)
        self.history_start = pd.Timestamp(history_start)

    def default_series(self) -> list[str]:
        """The holders the universe names (a fetch of the provider writes every holder)."""
        return [f"{NAME}:{h}_usd_bn" for h in KEY_HOLDERS]

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch the current table, and the history table when the start is older."""
        start = request.start if request.start is not None else self.history_start
        url = self.url + DOCS + CURRENT
        obs = parse(complete_text(NAME, client.get(url, provider=NAME, max_bytes=MAX_BYTES,
                                                   allow_hosts=ALLOW_HOSTS), url=url), url=url)
        requests = 1
        # every month of the current table is kept, not only those after the overlap: the
        # annual survey revises a year of it at once (a Japan revised by $20bn nine months back
        # was downloaded and thrown away, the store keeping the old value without a word)
        keep_from = (min(start, pd.Timestamp(obs["ts"].min()))
                     if request.start is not None and not obs.empty else start)
        if obs.empty or obs["ts"].min() > start + pd.offsets.MonthEnd(0):
            hist_url = self.url + DOCS + HISTORY
            hist = parse(complete_text(NAME, client.get(hist_url, provider=NAME,
                                                        max_bytes=MAX_BYTES,
                                                        allow_hosts=ALLOW_HOSTS), url=hist_url),
                         url=hist_url)
            requests += 1
            # the current table is newer: it wins where both have a month
            obs = pd.concat([obs, hist], ignore_index=True).drop_duplicates(
                ["series_id", "ts"], keep="first")
        wanted = {f"{NAME}:{s}" for s in symbols_of(NAME, request.series_ids)}
        if wanted:
            obs = obs[obs["series_id"].isin(wanted)]
        # month-end labels: a month that has begun by ``end`` is wanted
        obs = in_window(obs, keep_from, request.end + pd.offsets.MonthEnd(0))
        sids = sorted(set(obs["series_id"]) | wanted)
        specs = [spec_for(s, frequency="monthly", unit="usd_bn", positive=False,
                          block="holdings") for s in sids]
        return Batch(obs.sort_values(["series_id", "ts"], ignore_index=True), specs, url,
                     requests=requests)
