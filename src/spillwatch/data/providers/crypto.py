"""Crypto OHLCV (BTC, ETH, TRUMP): Binance public klines, with CoinGecko as the fallback.

Binance (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints,
"Kline/Candlestick data")::

    {base}/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=<ms>&endTime=<ms>&limit=1000

answers a JSON array of klines, each an array ``[open_time_ms, "open", "high", "low", "close",
"volume", close_time_ms, "quote_volume", trades, "taker_base", "taker_quote", "0"]``, oldest
first, at most 1000 per call (longer histories are paged on ``startTime``). The market-data host
``data-api.binance.vision`` needs no key. From some regions Binance answers **HTTP 451**
(unavailable for legal reasons): the provider says so and falls back to CoinGecko.

A kline is labelled by its open time (UTC), as in the shared data set: the daily close of
2025-04-08 is the close of the UTC day that opened at 2025-04-08 00:00. Klines not yet closed are
left out (they would be revised on the next fetch). Series: ``binance:BTCUSDT`` (daily close),
``binance:BTCUSDT_open|_high|_low|_volume_base|_volume_quote``, and the same with ``_1h`` after the
symbol for hourly klines (``binance:BTCUSDT_1h``, ``binance:BTCUSDT_1h_high`` ...).

CoinGecko (https://docs.coingecko.com/v3.0.1/reference/coins-id-market-chart)::

    {base}/api/v3/coins/{id}/market_chart?vs_currency=usd&days=<n>[&interval=daily]

answers ``{"prices": [[ms, price], ...], "market_caps": [...], "total_volumes": [...]}``. Daily
points are stamped 00:00 UTC of the *next* day (the price at the day's end), so they are labelled
one day earlier to match Binance's daily closes; the last point is the live price, left out.
Without ``interval`` and with ``days`` ≤ 90 the points are hourly. The keyless public API serves
only the **last 365 days** of history: asked for more, the provider fetches 365 days and says so.
Series: ``coingecko:bitcoin`` (close), ``coingecko:bitcoin_volume_usd``; hourly ``_1h``.

Base URLs: ``$SPILLWATCH_BINANCE_URL`` (default ``https://data-api.binance.vision``) and
``$SPILLWATCH_COINGECKO_URL`` (default ``https://api.coingecko.com``). Symbols come from the
universe (``btc`` → ``binance:BTCUSDT`` and ``coingecko:bitcoin``).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

import pandas as pd

from spillwatch import universe
from spillwatch.data.providers._base import (
    Batch,
    FetchRequest,
    bad_payload,
    base_url,
    guarded,
    in_window,
    json_payload,
    long_frame,
    spec_for,
)
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.exceptions import NetworkError, ProviderError

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient

log = logging.getLogger(__name__)

BINANCE = "binance"
COINGECKO = "coingecko"
BINANCE_ENV = "SPILLWATCH_BINANCE_URL"
COINGECKO_ENV = "SPILLWATCH_COINGECKO_URL"
BINANCE_URL = "https://data-api.binance.vision"
COINGECKO_URL = "https://api.coingecko.com"
PAGE = 1000
KEYLESS_DAYS = 365
HOURLY_DAYS = 90
INTERVALS = {"1d": pd.Timedelta(days=1), "1h": pd.Timedelta(hours=1)}
FIELDS = {1: "open", 2: "high", 3: "low", 4: "close", 5: "volume_base", 7: "volume_quote"}
#: Largest answer accepted (1000 klines are about 150 KB; a year of hourly CoinGecko ~1 MB).
MAX_BYTES = 8 * 1024 * 1024


def crypto_pairs() -> dict[str, str]:
    """Binance symbol → CoinGecko id, from the universe's crypto assets."""
    pairs: dict[str, str] = {}
    for a in universe.ASSETS.values():
        b = [s.split(":", 1)[1] for s in a.sources if s.startswith(f"{BINANCE}:")]
        g = [s.split(":", 1)[1] for s in a.sources if s.startswith(f"{COINGECKO}:")]
        if a.block == universe.AssetBlock.CRYPTO and b and g:
            pairs[b[0]] = g[0]
    return pairs


def split_id(series_id: str) -> tuple[str, str, str]:
    """``binance:BTCUSDT_1h_high`` → ``("BTCUSDT", "1h", "high")`` (daily and close by default)."""
    symbol = series_id.split(":", 1)[1]
    interval, field = "1d", "close"
    for f in (*FIELDS.values(), "volume_usd"):
        if symbol.endswith(f"_{f}"):
            symbol, field = symbol[: -len(f) - 1], f
            break
    if symbol.endswith("_1h"):
        symbol, interval = symbol[:-3], "1h"
    return symbol, interval, field


def series_id(provider: str, symbol: str, interval: str, field: str = "close") -> str:
    """Inverse of :func:`split_id`."""
    sid = f"{provider}:{symbol}" + ("_1h" if interval == "1h" else "")
    return sid if field == "close" else f"{sid}_{field}"


_UNITS = {"volume_usd": "usd", "volume_base": "base", "volume_quote": "usdt"}


def _specs(provider: str, symbol: str, interval: str, fields: list[str]) -> list[SeriesSpec]:
    """Catalog entries: the close as the universe names it, the other fields derived."""
    freq = "hourly" if interval == "1h" else "daily"
    close = spec_for(series_id(provider, symbol, "1d"), frequency=freq)
    out = []
    for f in fields:
        sid = series_id(provider, symbol, interval, f)
        hourly = " (hourly)" if interval == "1h" else ""
        if f == "close":
            out.append(dataclasses.replace(close, series_id=sid, name=close.name + hourly,
                                           symbol=sid.split(":", 1)[1]))
        else:
            out.append(SeriesSpec(sid, f"{close.name} {f.replace('_', ' ')}{hourly}",
                                  _UNITS.get(f, close.unit), freq, "crypto", provider,
                                  sid.split(":", 1)[1], not f.startswith("volume")))
    return out


@guarded(BINANCE)
def parse_klines(payload: object, symbol: str, interval: str, *, url: str,
                 now: pd.Timestamp) -> tuple[pd.DataFrame, int, int | None]:
    """Parse one page of Binance klines (pure).

    Returns
    -------
    observations, rows, last_open_ms
        Long rows of every field of the closed klines, the number of klines in the page, and
        the open time of its last kline (for paging).

    Raises
    ------
    BadPayload
        Not a JSON array of kline arrays of at least 8 fields with numeric prices.
    """
    text = repr(payload)[:200]
    if not isinstance(payload, list):
        raise bad_payload(BINANCE, "klines answer is not a JSON array", text, url=url)
    if not payload:
        return long_frame(f"{BINANCE}:{symbol}", [], []), 0, None
    try:
        frame = pd.DataFrame([k[:8] for k in payload])
        if frame.shape[1] < 8 or not all(isinstance(k, list) for k in payload):
            raise ValueError("short kline")
        open_ms = frame[0].astype("int64")
        close_ms = frame[6].astype("int64")
        values = {f: pd.to_numeric(frame[i], errors="raise").astype("float64")
                  for i, f in FIELDS.items()}
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise bad_payload(BINANCE, f"klines of {symbol} not in the documented layout "
                          "[open_time, open, high, low, close, volume, close_time, "
                          "quote_volume, ...]", text, url=url) from None
    # milliseconds since 1970: a page in seconds (1.7e9) or microseconds (1.7e15) read as
    # milliseconds lands in 1970 or the far future and every kline vanished without a word
    if not ((open_ms >= 10**12) & (open_ms < 10**14)).all():
        raise bad_payload(BINANCE, f"klines of {symbol}: open times not in milliseconds since "
                          f"1970 (first {int(open_ms.iloc[0])}: seconds or microseconds?)",
                          text, url=url)
    ts = pd.to_datetime(open_ms, unit="ms")
    # the one kline still open is left out; a kline that opens days after now is no open
    # candle but a wrong date: kept, so the ingest quarantines and counts it (a 2031 kline
    # vanished uncounted)
    closed = ((pd.to_datetime(close_ms, unit="ms") < now)
              | (ts > now + pd.Timedelta(days=1))).to_numpy()
    parts = [long_frame(series_id(BINANCE, symbol, interval, f), ts[closed], v[closed])
             for f, v in values.items()]
    return pd.concat(parts, ignore_index=True), len(payload), int(open_ms.iloc[-1])


@guarded(COINGECKO)
def parse_market_chart(payload: object, coin: str, interval: str, *, url: str,
                       now: pd.Timestamp) -> pd.DataFrame:
    """Parse a CoinGecko ``market_chart`` answer (pure); see the module notes on labels.

    Raises
    ------
    BadPayload
        Not an object with ``prices`` and ``total_volumes`` lists of ``[ms, number]`` pairs.
    """
    text = repr(payload)[:200]
    if not isinstance(payload, dict) or not all(
            isinstance(payload.get(k), list) for k in ("prices", "total_volumes")):
        raise bad_payload(COINGECKO, "market_chart JSON without 'prices' and 'total_volumes' "
                          "lists", text, url=url)
    out = []
    for key, field in (("prices", "close"), ("total_volumes", "volume_usd")):
        rows = payload[key]
        try:
            frame = pd.DataFrame(rows, columns=["ms", "v"]) if rows else pd.DataFrame(
                {"ms": [], "v": []})
            ts = pd.to_datetime(frame["ms"].astype("int64"), unit="ms")
            v = pd.to_numeric(frame["v"], errors="raise").astype("float64")
        except (ValueError, TypeError, OverflowError):
            raise bad_payload(COINGECKO, f"'{key}' is not a list of [ms, value] pairs", text,
                              url=url) from None
        step = INTERVALS[interval]
        floor = ts.dt.floor("h" if interval == "1h" else "D")
        keep = (ts <= now).to_numpy().copy()
        if interval == "1d":
            keep &= (ts == floor).to_numpy()  # the live, intraday point is not a close
        elif len(keep):
            keep[-1] = False  # the last hourly point is the live price
        label = floor - step
        frame = pd.DataFrame({"ts": label[keep], "v": v[keep]}).drop_duplicates("ts",
                                                                              keep="first")
        out.append(long_frame(series_id(COINGECKO, coin, interval, field), frame["ts"],
                              frame["v"]))
    return pd.concat(out, ignore_index=True)


class CoinGeckoProvider:
    """CoinGecko ``market_chart`` (keyless: the last 365 days only).

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_COINGECKO_URL`` or api.coingecko.com).
    min_interval : float, default 2.0
        Seconds between two requests (the keyless API allows a few calls a minute).
    """

    name = COINGECKO
    url_env = COINGECKO_ENV

    def __init__(self, url: str | None = None, *, min_interval: float = 2.0) -> None:
        self.url = base_url(COINGECKO_ENV, COINGECKO_URL, url)
        self.min_interval = min_interval

    def default_series(self) -> list[str]:
        """Daily and hourly close of every crypto asset of the universe."""
        return [series_id(COINGECKO, c, i) for c in crypto_pairs().values() for i in INTERVALS]

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch one coin at one interval (``request.series_ids[0]`` names it)."""
        coin, interval, _ = split_id(request.series_ids[0])
        end = request.end
        limit = KEYLESS_DAYS if interval == "1d" else HOURLY_DAYS
        start = request.start if request.start is not None else end - pd.Timedelta(days=limit)
        days = int((end - start) / pd.Timedelta(days=1)) + 2
        notes = []
        first = (end - pd.Timedelta(days=limit)).normalize()    # the first day served
        if days > limit and start.normalize() < first:   # (a first fetch asks for no more)
            notes.append(f"coingecko:{coin}: the keyless CoinGecko API serves only the last "
                         f"{limit} days at this interval; asked from {start.date()}, got from "
                         f"{first.date()}")
            log.info(notes[-1])
        days = min(days, limit)
        url = f"{self.url}/api/v3/coins/{coin}/market_chart"
        params = {"vs_currency": "usd", "days": str(days)}
        if interval == "1d":
            params["interval"] = "daily"
        resp = client.get(url, params=params, provider=COINGECKO, min_interval=self.min_interval,
                          max_bytes=MAX_BYTES,
                          series_id=series_id(COINGECKO, coin, interval))
        payload = json_payload(COINGECKO, resp, url=url)
        obs = parse_market_chart(payload, coin, interval, url=url, now=end)
        # a day's close is labelled 00:00: the window's first day is kept (now - 365 days, at
        # 14:33, dropped it from every first fetch)
        obs = in_window(obs, start.normalize() if interval == "1d" else start, end)
        return Batch(obs,
                     _specs(COINGECKO, coin, interval, ["close", "volume_usd"]), url,
                     notes=notes, requests=1)


class BinanceProvider:
    """Binance spot klines, falling back to CoinGecko when Binance fails (HTTP 451 included).

    Parameters
    ----------
    url : str, optional
        Base URL (default ``$SPILLWATCH_BINANCE_URL`` or data-api.binance.vision).
    fallback : CoinGeckoProvider or None
        Used when Binance fails; ``None`` disables the fallback.
    history_start : str, default "2018-01-01"
        First day of daily klines when the store has nothing and no start is given.
    hourly_days : int, default 90
        Days of hourly klines fetched in that case.
    page_size : int, default 1000
        Klines per request (Binance's maximum is 1000).
    """

    name = BINANCE
    url_env = BINANCE_ENV

    def __init__(self, url: str | None = None, *, fallback: CoinGeckoProvider | None = None,
                 use_fallback: bool = True, history_start: str = "2018-01-01",
                 hourly_days: int = 90, page_size: int = PAGE) -> None:
        self.url = base_url(BINANCE_ENV, BINANCE_URL, url)
        self.fallback = fallback if fallback is not None else (
            CoinGeckoProvider() if use_fallback else None)
        self.history_start = pd.Timestamp(history_start)
        self.hourly_days = hourly_days
        self.page_size = page_size

    def default_series(self) -> list[str]:
        """Daily and hourly close of BTC, ETH and TRUMP (with their OHLV series)."""
        return [series_id(BINANCE, s, i) for s in crypto_pairs() for i in INTERVALS]

    def _klines(self, client: HttpClient, symbol: str, interval: str, start: pd.Timestamp,
                end: pd.Timestamp) -> tuple[pd.DataFrame, int]:
        url = self.url + "/api/v3/klines"
        step = INTERVALS[interval]
        ms = pd.Timedelta(milliseconds=1)
        cursor, parts, requests, seen = start, [], 0, False
        while cursor <= end:
            page_end = min(end, cursor + step * self.page_size - ms)
            params = {"symbol": symbol, "interval": interval,
                      "startTime": str(int(cursor.value // 1_000_000)),
                      "endTime": str(int(page_end.value // 1_000_000)),
                      "limit": str(self.page_size)}
            resp = client.get(url, params=params, provider=BINANCE, max_bytes=MAX_BYTES,
                              series_id=series_id(BINANCE, symbol, interval),
                              cache=page_end + 2 * step < end)
            requests += 1
            payload = json_payload(BINANCE, resp, url=url)
            obs, _rows, last_ms = parse_klines(payload, symbol, interval, url=url, now=end)
            parts.append(obs)
            if last_ms is None:
                if seen:
                    break  # past the newest kline: Binance has nothing later
                cursor = page_end + ms
                continue
            seen = True
            # on from the last kline the page held, not from the page's end: a server that
            # answers fewer rows than asked (a cap below the limit, a duplicate) lost the rest
            # of the page (1,757 of 3,257 days stored, "ok", behind a 500-row cap)
            nxt = pd.Timestamp(last_ms, unit="ms") + step
            # (a server that ignores startTime and repeats its page must not hold the pager)
            cursor = nxt if nxt > cursor else page_end + ms
            if cursor + step > end:
                break   # no closed candle can follow by ``end`` (the open one is not a close)
        return pd.concat(parts, ignore_index=True) if parts else long_frame(
            series_id(BINANCE, symbol, interval), [], []), requests

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch one symbol at one interval (``request.series_ids[0]`` names it)."""
        symbol, interval, _ = split_id(request.series_ids[0])
        end = request.end
        if request.start is not None:
            start = request.start
        elif interval == "1h":
            start = end.floor("h") - pd.Timedelta(days=self.hourly_days)
        else:
            start = self.history_start
        start = start.floor("h" if interval == "1h" else "D")
        url = self.url + "/api/v3/klines"
        try:
            obs, requests = self._klines(client, symbol, interval, start, end)
        except ProviderError as exc:
            coin = crypto_pairs().get(symbol)
            if self.fallback is None or coin is None or getattr(client, "offline", False):
                raise  # offline: the fallback would not be reached either
            if getattr(exc, "status", None) == 451:
                why = ("Binance answered HTTP 451 (unavailable for legal reasons): it blocks "
                       "requests from this region")
            else:
                why = f"Binance failed ({exc.message})"
            note = f"{series_id(BINANCE, symbol, interval)}: {why}; fell back to CoinGecko " \
                   f"({series_id(COINGECKO, coin, interval)})"
            log.info(note)
            try:
                batch = self.fallback.fetch(client, FetchRequest(
                    (series_id(COINGECKO, coin, interval),), request.start, end))
            except ProviderError as exc2:
                both_offline = isinstance(exc, NetworkError) and isinstance(exc2, NetworkError)
                cls = NetworkError if both_offline else ProviderError
                raise cls(f"{why}, and the CoinGecko fallback failed too: {exc2.message}",
                          provider=BINANCE, series_id=series_id(BINANCE, symbol, interval),
                          # neither answered: no provider reached (for the fetch's "offline")
                          unreached=bool(getattr(exc, "unreached", False)
                                         and getattr(exc2, "unreached", False))) from None
            batch.notes.insert(0, note)
            return batch
        obs = in_window(obs, start, end)
        return Batch(obs, _specs(BINANCE, symbol, interval, list(FIELDS.values())), url,
                     requests=requests)
