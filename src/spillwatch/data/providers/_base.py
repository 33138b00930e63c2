"""What every live provider shares: the batch it returns, the request it answers, payload checks.

A provider (``treasury``, ``fred``, ``binance``, ``coingecko``, ``tic``) is a small class with

* ``name`` and ``url_env`` (``SPILLWATCH_<NAME>_URL`` overrides its base URL, for a mirror or a
  local test server);
* ``default_series()``: the series ids it writes by default;
* ``fetch(client, request) -> Batch``: I/O through the shared :class:`~spillwatch.data._http.
  HttpClient`, then a pure ``parse`` of the payload into canonical observations.

A payload that is not in the documented format raises :class:`~spillwatch.exceptions.BadPayload`
with a snippet; a provider never returns a half-parsed batch, so that nothing partial is written.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pandas as pd

from spillwatch import universe
from spillwatch.config import Settings, settings
from spillwatch.data.providers.csvfile import OBS_COLUMNS, QUARANTINE_COLUMNS, SeriesSpec
from spillwatch.exceptions import BadPayload, SpillwatchError

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient


@dataclass(frozen=True)
class FetchRequest:
    """What to fetch: series of one provider, from a start (inclusive) to an end.

    Attributes
    ----------
    series_ids : tuple of str
        ``provider:symbol`` ids of this provider.
    start : Timestamp or None
        First timestamp wanted (naive UTC); ``None`` asks for the provider's default history.
    end : Timestamp
        Last timestamp wanted (naive UTC, usually now).
    """

    series_ids: tuple[str, ...]
    start: pd.Timestamp | None
    end: pd.Timestamp


@dataclass
class Batch:
    """What a provider fetched for one request, ready for ``ingest_batch``.

    Attributes
    ----------
    observations : DataFrame
        ``series_id, ts, value`` (``ts`` naive UTC).
    specs : list of SeriesSpec
        Catalog entries of the series in the batch.
    source : str
        The endpoint (URL without secrets), recorded with quarantined points.
    quarantine : DataFrame
        Points the parser rejected (quarantine layout).
    notes : list of str
        What a user should know (a fallback taken, a history limit, ignored columns).
    requests : int
        HTTP requests made (cache hits included).
    events : dict of str to DataFrame
        Event table name → raw event rows (auctions, interventions), checked at ingest.
    """

    observations: pd.DataFrame
    specs: list[SeriesSpec]
    source: str
    quarantine: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=QUARANTINE_COLUMNS))
    notes: list[str] = field(default_factory=list)
    requests: int = 0
    events: dict[str, pd.DataFrame] = field(default_factory=dict)


class Provider(Protocol):
    """The interface of a live provider."""

    name: str
    url_env: str

    def default_series(self) -> list[str]:
        """Series ids written by default."""
        ...

    def fetch(self, client: HttpClient, request: FetchRequest) -> Batch:
        """Fetch and parse ``request``; raise a ``ProviderError`` or return a whole batch."""
        ...


def base_url(env: str, default: str, override: str | None = None) -> str:
    """Return the base URL: ``override``, else ``$env``, else ``default`` (no trailing slash).

    ``$env`` is read through the settings (:class:`spillwatch.config.Settings`) when it is one
    of them (``SPILLWATCH_FRED_URL`` is ``fred_url``); a provider of one's own names its own.
    """
    name = env.removeprefix("SPILLWATCH_").lower()
    given = (getattr(settings(), name) if env.startswith("SPILLWATCH_")
             and name in Settings.model_fields else os.environ.get(env))
    url = override or given or default
    return url.rstrip("/")


def empty_observations() -> pd.DataFrame:
    """An empty frame of the observations layout."""
    return pd.DataFrame({"series_id": pd.Series([], dtype=object),
                         "ts": pd.Series([], dtype="datetime64[us]"),
                         "value": pd.Series([], dtype="float64")})


def long_frame(series_id: str, ts: Sequence[object] | pd.Series | pd.DatetimeIndex,
               values: Sequence[object] | pd.Series) -> pd.DataFrame:
    """Build ``series_id, ts, value`` rows of one series."""
    t = pd.to_datetime(pd.Series(ts)).astype("datetime64[us]").reset_index(drop=True)
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").reset_index(
        drop=True)
    return pd.DataFrame({"series_id": series_id, "ts": t, "value": v})[OBS_COLUMNS]


def looks_like_html(content: bytes) -> bool:
    """Whether a body is an HTML page (an error or login page where data was expected)."""
    head = content[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        b"<html" in head)


def snippet(content: bytes | str, n: int = 120) -> str:
    """The first ``n`` characters of a payload, on one line (for error messages)."""
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    text = " ".join(text.split())
    return text[:n] + ("…" if len(text) > n else "")


def bad_payload(provider: str, what: str, content: bytes | str, *,
                series_id: str | None = None, url: str | None = None) -> BadPayload:
    """Build the :class:`BadPayload` error for a payload not in the documented format."""
    where = f" from {url}" if url else ""
    return BadPayload(f"{provider}: {what}{where}; got: {snippet(content)!r}. The service may "
                      "have changed its format or sent an error page; nothing was stored",
                      provider=provider, series_id=series_id, url=url)


def check_not_html(provider: str, content: bytes, *, url: str,
                   series_id: str | None = None) -> None:
    """Raise :class:`BadPayload` when an HTML page came where data was expected."""
    if not content.strip():
        raise bad_payload(provider, "empty answer", content, series_id=series_id, url=url)
    if looks_like_html(content):
        raise bad_payload(provider, "an HTML page instead of data (an error or maintenance "
                          "page?)", content, series_id=series_id, url=url)


def complete_text(provider: str, resp: Any, *, url: str,
                  series_id: str | None = None) -> bytes:
    """The body of a CSV or text answer, checked to be whole.

    A server that closes the connection mid-transfer without a Content-Length (which the
    HTTP client checks when there is one) leaves a body whose last line is cut: ``4.42`` read
    as ``4.``, ``3475.1`` as ``34``, a plausible number stored without a word. Every service
    read here ends its CSV or text with a line break, so a body without one is an answer cut
    short.

    Raises
    ------
    BadPayload
        An empty body, an HTML page, or a body whose last line has no line break.
    """
    content = resp.content
    check_not_html(provider, content, url=url, series_id=series_id)
    if not content.endswith((b"\n", b"\r")):
        raise bad_payload(provider, "an answer cut short (truncated: its last line has no line "
                          "break: "
                          f"...{content[-40:].decode('utf-8', 'replace')!r})", content,
                          series_id=series_id, url=url)
    return bytes(content)


def guarded(provider: str) -> Callable[[F], F]:
    """Make a pure parser raise only :class:`BadPayload` (or another SpillwatchError).

    Whatever a malformed payload makes the parsing code trip on (a missing key, a type, an
    overflow of a huge timestamp, a NaT, deep nesting) becomes a BadPayload naming the provider
    and the URL (the ``url`` keyword of the parser), never a raw traceback.
    """

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except SpillwatchError:
                raise
            except RecursionError:
                raise bad_payload(provider, "a payload nested too deeply to read", "",
                                  url=kwargs.get("url")) from None
            except Exception as exc:  # the boundary: any other failure is a bad payload
                content = args[0] if args and isinstance(args[0], bytes | str) else repr(
                    args[0] if args else "")[:200]
                raise bad_payload(provider, f"a payload that cannot be read ({type(exc).__name__}"
                                  f": {str(exc)[:160]})", content, url=kwargs.get("url")
                                  ) from None

        return inner  # type: ignore[return-value]

    return wrap


def table_of(provider: str, content: bytes, *, url: str, series_id: str | None = None,
             short_rows: bool = False, encoding: str | None = None) -> Any:
    """Read a CSV payload with the shared tolerant reader; a failure is a BadPayload."""
    from spillwatch.data.providers._table import TableError, read_table

    try:
        return read_table(content, short_rows=short_rows, encoding=encoding)
    except TableError as exc:
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise bad_payload(provider, f"{where}{exc.message}", content, series_id=series_id,
                          url=url) from None


def in_window(obs: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
              ) -> pd.DataFrame:
    """Rows within ``[start, end]``; rows without a timestamp are kept (quarantined later).

    So are rows dated after the clock's now, whatever ``end`` is: a service that sends a 2099
    date is wrong, and the ingest's future-date rule quarantines (and counts) them, or stores
    a date within its day of tolerance, instead of their vanishing before anything was
    counted (a FRED row dated tomorrow was neither read nor quarantined: "read 8" of 9).
    """
    ts = obs["ts"]
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    keep = ts.isna() | (ts > now)
    inside = pd.Series(True, index=obs.index)
    if start is not None:
        inside &= ts >= start
    if end is not None:
        inside &= ts <= end
    return obs[(keep | inside).to_numpy()].reset_index(drop=True)


def json_payload(provider: str, resp: Any, *, url: str, series_id: str | None = None) -> Any:
    """Decode a JSON answer; an HTML page, an empty body or invalid JSON raises BadPayload."""
    check_not_html(provider, resp.content, url=url, series_id=series_id)
    try:
        return resp.json()
    except RecursionError:
        raise bad_payload(provider, "JSON nested too deeply to read", resp.content[:120],
                          series_id=series_id, url=url) from None
    except (ValueError, TypeError, OverflowError):  # UnicodeDecodeError is a ValueError
        raise bad_payload(provider, "an answer that is not JSON", resp.content,
                          series_id=series_id, url=url) from None


def known_spec(series_id: str, *, frequency: str = "daily") -> SeriesSpec | None:
    """The catalog entry the watch list gives ``series_id``, or ``None`` when no asset lists it."""
    provider, _, symbol = series_id.partition(":")
    for a in universe.ASSETS.values():
        if series_id in a.sources:
            return SeriesSpec(series_id, a.name, a.unit, frequency, a.block.value, provider,
                              symbol, a.positive)
    return None


def spec_for(series_id: str, *, frequency: str = "daily", name: str | None = None,
             unit: str | None = None, positive: bool | None = None,
             block: str | None = None) -> SeriesSpec:
    """Catalog entry of ``series_id``: from the universe when an asset lists it, else given."""
    provider, _, symbol = series_id.partition(":")
    for a in universe.ASSETS.values():
        if series_id in a.sources:
            return SeriesSpec(series_id, name or a.name, unit or a.unit, frequency,
                              block or a.block.value, provider, symbol,
                              a.positive if positive is None else positive)
    return SeriesSpec(series_id, name or symbol, unit or "", frequency, block or "other",
                      provider, symbol, bool(positive))


def point_line(ts: pd.Timestamp) -> int:
    """The ``line`` of a quarantined live point: its Unix time in seconds.

    A live payload has no stable line numbers (a newest-first file shifts every day), so the
    point's time identifies it, and a point rejected again on a later fetch is recorded once.
    """
    return int(pd.Timestamp(ts).value // 10**9)


def symbols_of(provider: str, series_ids: Sequence[str]) -> list[str]:
    """The symbol part of each id of ``provider`` (others are ignored)."""
    pre = f"{provider}:"
    return [s[len(pre):] for s in series_ids if s.startswith(pre)]
