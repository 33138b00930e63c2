"""Fuzz cases for every input parser: mutated CSV files for the importer, mutated payloads for each
provider parser. Shared by the bounded hypothesis tests (tests/data/test_fuzz.py) and the large
run (benchmarks/fuzz_inputs.py).

Each case ends in one :class:`Outcome` kind:

``ok``          parsed and stored, and the accounting closed (read = stored + unchanged + revised +
                quarantined + merged, per file or batch, and the store grew by what was reported);
``own_error``   a :class:`~spillwatch.exceptions.SpillwatchError` other than an accounting error;
``accounting``  the counts did not close (an AccountingError, or the store disagreeing);
``unhandled``   any other exception (a raw traceback a user would see).
"""

from __future__ import annotations

import codecs
import json
import random
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from spillwatch.data.events import check_events
from spillwatch.data.ingest import CsvMapping, import_path, ingest_batch
from spillwatch.data.providers import (
    auctions,
    crypto,
    fred,
    mof_fx,
    mof_jgb,
    mof_weekly,
    tic,
    treasury,
)
from spillwatch.data.providers._base import Batch, json_payload
from spillwatch.exceptions import AccountingError, SpillwatchError
from spillwatch.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = pd.Timestamp("2026-11-29")


@dataclass
class Outcome:
    """How one case ended (``kind``) and, for failures, what happened."""

    kind: str
    detail: str = ""


# -- byte and text mutations ----------------------------------------------------------------------
SPECIAL = [",", ";", '"', "\r", "\n", "\r\n", "\t", "\x00", "\ufeff", "\u2028", "é", "週", "²",
           "١", " ", "", "-", ".", "e", "E", "+", "inf", "nan", "NaN", "1e999", "9" * 400,
           "0000-01-01", "99999-12-31", "2024-02-30", "2024-01-01T00:00:00+09:00",
           "2024-01-01T00:00:00Z", "01/02/2024", "null", "n.a.", "\\", "'", "=1+1", "<html>"]


def mutate_text(text: str, rng: random.Random, n: int | None = None) -> str:
    """Apply 1-4 random edits: insert, delete, replace, duplicate or swap lines, line endings."""
    for _ in range(n if n is not None else rng.randint(1, 4)):
        op = rng.randrange(9)
        pos = rng.randrange(len(text) + 1) if text else 0
        if op == 0:  # insert a special token
            text = text[:pos] + rng.choice(SPECIAL) + text[pos:]
        elif op == 1 and text:  # delete a span
            end = min(len(text), pos + rng.randint(1, 40))
            text = text[:pos] + text[end:]
        elif op == 2 and text:  # replace a char
            text = text[:pos] + rng.choice(SPECIAL) + text[pos + 1:]
        elif op == 3:  # duplicate or drop a line
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines.insert(i, lines[i])
            else:
                del lines[i]
            text = "\n".join(lines)
        elif op == 4:  # swap two lines (the header too)
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == 5:  # line endings
            text = text.replace("\n", rng.choice(["\r", "\r\n", "\n\n", "\r\r\n"]))
        elif op == 6:  # trailing delimiters
            text = "\n".join(ln + rng.choice([",", ",,", ";", ""]) for ln in text.split("\n"))
        elif op == 7:  # truncate
            text = text[:pos]
        else:  # a long field
            text = text[:pos] + rng.choice(["x", "1", '"']) * rng.choice([10, 5000, 140_000]) + \
                text[pos:]
    return text


def encode(text: str, rng: random.Random) -> bytes:
    """Text to bytes in a random encoding (mostly UTF-8), sometimes with a BOM or raw junk."""
    r = rng.random()
    try:
        if r < 0.6:
            return text.encode("utf-8", errors="surrogatepass")
        if r < 0.7:
            return codecs.BOM_UTF8 + text.encode("utf-8", errors="replace")
        if r < 0.78:
            return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"]),
                               errors="replace")
        if r < 0.86:
            return text.encode("latin-1", errors="replace")
        if r < 0.93:
            return text.encode("cp932", errors="replace")
    except UnicodeError:
        pass
    data = bytearray(text.encode("utf-8", errors="replace"))
    for _ in range(rng.randint(1, 5)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


# -- CSV importer cases ---------------------------------------------------------------------------
CSV_BASES: list[tuple[str, str]] = [
    ("generic/desk.csv", "date,Close,Volume\n2024-01-02,100.5,10\n2024-01-03,101,\n"
                         "2024-01-04,99.75,12\n2024-01-05,.,13\n"),
    ("generic/semi.csv", "date;A;B\n2024-01-02;1,5;2\n2024-01-03;1,6;2,5\n"),
    ("generic/tz.csv", "timestamp,X\n2024-01-02T00:00:00Z,1\n2024-01-03T09:00:00+09:00,2\n"),
    ("fred/DGS10.csv", "date,DGS10\n2025-04-01,4.17\n2025-04-02,4.2\n2025-04-03,\n"),
    ("fred/WMTSECL1.csv", "date,WMTSECL1\n2007-06-27,0\n2007-07-04,1209781\n"),
    ("crypto/BTCUSDT.csv", "date,BTCUSDT\n2025-04-07,78430\n2025-04-08,76322\n"),
    ("holdings/mof_weekly_intl_securities.csv",
     "date,period_start,assets_ltdebt_net_jpy100m\n2025-04-05,2025-03-30,-25726\n"
     "2025-04-12,2025-04-06,-5119\n"),
    ("auctions/ust_auctions_notes_bonds.csv",
     "date,tenor,term,reopening,cusip,size_bn,high_yield,median_yield,bid_to_cover,dealer_pct,"
     "direct_pct,indirect_pct,dispersion_bp\n2025-04-09,10-Year,9-Year 10-Month,True,91282CMM0,"
     "39.0,4.435,4.34,2.67,10.7,1.4,87.9,9.5\n2025-04-09,3-Year,3-Year,False,91282CMW8,58.0,"
     "3.784,3.7,2.47,20.7,6.2,73.1,8.4\n"),
    ("holdings/mof_fx_intervention_daily.csv",
     "date,currency_pair,direction,amount_jpy_bn\n1999-06-21,USD/JPY,sell_JPY_buy_USD,927.2\n"
     "1999-06-21,EUR/JPY,sell_JPY_buy_EUR,101.7\n"),
]


def _closes(rep: Any) -> bool:
    return all(f.read == f.stored + f.unchanged + f.revised + f.quarantined + f.duplicates
               for f in rep.files)


def run_csv_case(seed: int, store: Store, workdir: Path) -> Outcome:
    """Mutate one base CSV, import it (as a file or inside its folder), classify the result."""
    rng = random.Random(seed)
    rel, base = CSV_BASES[rng.randrange(len(CSV_BASES))]
    r = rng.random()
    if r < 0.03:
        data = rng.choice([b"", b"   \n\t", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\x00" * 10])
    else:
        data = encode(mutate_text(base, rng), rng)
    root = workdir / f"c{seed}"
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    mapping = None
    if rel.startswith("generic") and rng.random() < 0.3:
        mapping = CsvMapping.from_options(maps=["Close=m:close", "A=m:a"],
                                          date_format=rng.choice(["ISO8601", "%Y-%m-%d",
                                                                  "%d/%m/%Y"]))
    before = store.count() + store.count("auctions") + store.count("fx_interventions")
    try:
        rep = import_path(root if rng.random() < 0.5 else path, store, mapping=mapping)
    except AccountingError as exc:
        return Outcome("accounting", exc.message)
    except SpillwatchError:
        return Outcome("own_error")
    except Exception as exc:
        return Outcome("unhandled", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        for p in sorted(root.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        root.rmdir()
    after = store.count() + store.count("auctions") + store.count("fx_interventions")
    if not _closes(rep) or after - before != rep.totals["stored"]:
        return Outcome("accounting", f"totals {rep.totals}, store grew by {after - before}")
    return Outcome("ok")


# -- provider payload cases -----------------------------------------------------------------------
def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class _Resp:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def json(self) -> Any:
        return json.loads(self.content)


JUNK: list[Any] = [None, True, -1, 0, 2**70, -(2**63), 1e308, float("inf"), "", "²", "١٢", "null",
                   "abc", [], {}, [[[]]], "9" * 5000, "2024-13-45", "0000-01-01", 3.5, "1e999"]


def mutate_json(obj: Any, rng: random.Random, depth: int = 0) -> Any:
    """A structurally mutated copy: values swapped for junk, keys dropped, lists cut, nesting."""
    r = rng.random()
    if depth > 6 or r < 0.08:
        return rng.choice(JUNK) if rng.random() < 0.7 else [rng.choice(JUNK)] * rng.randint(0, 3)
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            x = rng.random()
            if x < 0.06:
                continue  # key dropped
            out[k if x > 0.09 else k + "_"] = mutate_json(v, rng, depth + 1) if x < 0.5 else v
        return out
    if isinstance(obj, list):
        items = list(obj)
        if items and rng.random() < 0.3:
            items = items[: rng.randrange(len(items) + 1)]
        if items and rng.random() < 0.2:
            items.append(items[rng.randrange(len(items))])
        return [mutate_json(v, rng, depth + 1) if rng.random() < 0.4 else v for v in items]
    if r < 0.3:
        return rng.choice(JUNK)
    return obj


def _json_bytes(doc: Any, rng: random.Random) -> bytes:
    r = rng.random()
    if r < 0.05:
        return b"[" * rng.choice([100, 5000, 50_000]) + b"]" * rng.randrange(10)
    try:
        text = json.dumps(mutate_json(doc, rng), allow_nan=True)
    except (ValueError, TypeError, RecursionError):
        text = "{}"
    if r < 0.35:
        text = mutate_text(text, rng, rng.randint(1, 2))
    return encode(text, rng) if r < 0.45 else text.encode("utf-8", errors="replace")


@dataclass(frozen=True)
class ProviderCase:
    """A provider parser fed with mutated copies of one recorded payload."""

    name: str
    fixture: str
    kind: str  # "text" or "json"
    parse: Callable[[bytes], Batch]


def _specs(obs: pd.DataFrame, frequency: str = "daily") -> list[Any]:
    from spillwatch.data.providers._base import spec_for

    return [spec_for(str(s), frequency=frequency, positive=False)
            for s in sorted(set(obs["series_id"].astype(str)))]


def _fred_csv(content: bytes) -> Batch:
    obs, q = fred.parse_csv(content, "DGS10", url="u")
    return Batch(obs, _specs(obs), "u", q)


def _fred_json(content: bytes) -> Batch:
    payload = json_payload("fred", _Resp(content), url="u")
    obs, q, _ = fred.parse_json(payload, "DGS10", url="u")
    return Batch(obs, _specs(obs), "u", q)


def _treasury(content: bytes) -> Batch:
    return treasury.parse(content, url="u")


def _tic(content: bytes) -> Batch:
    obs = tic.parse(content, url="u")
    return Batch(obs, _specs(obs, "monthly"), "u")


def _binance(content: bytes) -> Batch:
    payload = json_payload("binance", _Resp(content), url="u")
    obs, _, _ = crypto.parse_klines(payload, "BTCUSDT", "1d", url="u", now=NOW)
    return Batch(obs, _specs(obs), "u")


def _coingecko(content: bytes) -> Batch:
    payload = json_payload("coingecko", _Resp(content), url="u")
    obs = crypto.parse_market_chart(payload, "bitcoin", "1d", url="u", now=NOW)
    return Batch(obs, _specs(obs), "u")


def _auctions(content: bytes) -> Batch:
    payload = json_payload("auction", _Resp(content), url="u")
    rows, _, notes = auctions.parse(payload, url="u")
    return Batch(pd.DataFrame(columns=["series_id", "ts", "value"]), [], "u", notes=notes,
                 events={"auctions": rows})


def _mof_weekly(content: bytes) -> Batch:
    obs, q, _ = mof_weekly.parse(content, url="u")
    return Batch(obs, _specs(obs, "weekly"), "u", q)


def _mof_jgb(content: bytes) -> Batch:
    obs, q = mof_jgb.parse(content, url="u")
    return Batch(obs, _specs(obs), "u", q)


def _mof_fx(content: bytes) -> Batch:
    rows, notes = mof_fx.parse(content, url="u")
    return Batch(pd.DataFrame(columns=["series_id", "ts", "value"]), [], "u", notes=notes,
                 events={"fx_interventions": rows})


PROVIDER_CASES = [
    ProviderCase("fred_csv", "fred/fredgraph_DGS10.csv", "text", _fred_csv),
    ProviderCase("fred_json", "fred/api_series_observations_DGS10.json", "json", _fred_json),
    ProviderCase("treasury", "treasury/daily_treasury_rates_2025.csv", "text", _treasury),
    ProviderCase("tic", "tic/slt_table5.txt", "text", _tic),
    ProviderCase("tic_history", "tic/mfhhis01_excerpt.txt", "text", _tic),
    ProviderCase("binance", "binance/klines_BTCUSDT_1d_page1.json", "json", _binance),
    ProviderCase("coingecko", "coingecko/market_chart_bitcoin_daily.json", "json", _coingecko),
    ProviderCase("auctions", "fiscaldata/auctions_query_2025-04.json", "json", _auctions),
    ProviderCase("mof_weekly", "mof/week.csv", "cp932", _mof_weekly),
    ProviderCase("mof_jgb", "mof/jgbcm.csv", "cp932", _mof_jgb),
    ProviderCase("mof_fx", "mof/foreign_exchange_intervention_operations.csv", "cp932",
                 _mof_fx),
]


def provider_payload(case: ProviderCase, seed: int) -> bytes:
    """A mutated copy of the case's recorded payload."""
    rng = random.Random(seed)
    raw = _load(case.fixture)
    if case.kind == "json":
        return _json_bytes(json.loads(raw), rng)
    text = raw.decode("cp932" if case.kind == "cp932" else "utf-8-sig")
    if rng.random() < 0.03:
        return rng.choice([b"", b"<!DOCTYPE html><html>", b"\x00" * 5, b"\xff" * 40])
    mutated = mutate_text(text, rng)
    if case.kind == "cp932" and rng.random() < 0.6:
        return mutated.encode("cp932", errors="replace")
    return encode(mutated, rng)


def run_provider_case(case: ProviderCase, seed: int, store: Store) -> Outcome:
    """Parse one mutated payload and ingest what came out; classify the result."""
    content = provider_payload(case, seed)
    try:
        batch = case.parse(content)
        before = (store.count() + store.count("auctions") + store.count("fx_interventions"))
        rep = ingest_batch(store, batch.observations, batch.specs, source=f"fuzz:{case.name}",
                           quarantine=batch.quarantine, events=batch.events)
    except AccountingError as exc:
        return Outcome("accounting", exc.message)
    except SpillwatchError:
        return Outcome("own_error")
    except Exception as exc:
        return Outcome("unhandled", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    after = store.count() + store.count("auctions") + store.count("fx_interventions")
    if rep.read != rep.stored + rep.unchanged + rep.revised + rep.quarantined + rep.duplicates:
        return Outcome("accounting", f"{vars(rep)}")
    if after - before != rep.stored:
        return Outcome("accounting", f"store grew by {after - before}, stored {rep.stored}")
    return Outcome("ok")


def events_closes(rows: pd.DataFrame, table: str) -> bool:
    """Whether checking raw event rows accounts for every row (used by the tests)."""
    got = check_events(rows.drop(columns=["line"], errors="ignore"), table, source="u")
    return len(got.events) + len(got.quarantine) + got.duplicates == len(rows)


def scratch() -> Path:
    """A fresh temporary folder for CSV cases."""
    return Path(tempfile.mkdtemp(prefix="spillwatch-fuzz-"))
