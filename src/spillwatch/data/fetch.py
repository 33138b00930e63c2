"""Incremental fetch from the live providers into the store.

For each series (or group of series a provider serves in one answer, such as the Treasury curve),
:func:`fetch` asks only for what is missing: from the last stored point minus a short overlap
(to pick up revisions: a week for daily series, four weeks for weekly, two months for monthly,
a day for hourly), up to now. Each group's answer goes through the one write path,
:func:`~spillwatch.data.ingest.ingest_batch` (quality checks, then one transaction), so a group is
stored whole or not at all. The whole fetch is one run in the store's ``runs`` table; a run left
``running`` by a killed process is marked ``interrupted`` when the next fetch starts.

Failures are isolated: a failing group (a provider down, a malformed answer, even a bug in a
parser) is recorded with its error and every other group is still fetched; the result says
which failed (:attr:`FetchResult.failure_lines`, one line per source) and ``ok`` is false. Without
a network the shared client detects it after two hosts and fails the rest at once, so an offline
fetch takes seconds.

Providers and their groups: ``treasury`` (the par curve), ``fred`` (one group per series),
``binance`` / ``coingecko`` (one per symbol and interval), ``tic``, ``auction`` (Treasury's note and
bond auctions, events), ``mof_weekly`` (Japan's weekly portfolio flows), ``mof_jgb`` (JGB yields),
``mof_fx`` (Japan's FX interventions, events); ``mof`` names the three MOF groups.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from spillwatch import universe
from spillwatch._results import ResultBase
from spillwatch.data.ingest import holds_demo, ingest_batch, mark_interrupted
from spillwatch.data.providers._base import FetchRequest, Provider
from spillwatch.exceptions import ConfigError, DataError, SpillwatchError
from spillwatch.store import Store
from spillwatch.timing import timing_of

if TYPE_CHECKING:
    from spillwatch.data._http import HttpClient, HttpConfig

log = logging.getLogger(__name__)

#: Overlap re-fetched before the last stored point, by frequency (catches revisions).
OVERLAP: dict[str, pd.Timedelta] = {
    "hourly": pd.Timedelta(days=1),
    "daily": pd.Timedelta(days=7),
    "weekly": pd.Timedelta(days=28),
    "monthly": pd.Timedelta(days=62),
}

#: Providers whose every series comes in one answer (fetched as one group).
GROUPED = ("treasury", "tic", "auction", "mof_weekly", "mof_jgb", "mof_fx")
#: Names that stand for several providers.
ALIASES = {"mof": ("mof_weekly", "mof_jgb", "mof_fx"), "auctions": ("auction",)}
#: The providers fetched when no series is named.
DEFAULT_ITEMS = ("treasury", "fred", "binance", "tic", "auction", "mof_weekly", "mof_jgb",
                 "mof_fx")
#: Series-id prefixes served by a provider of another name (first match wins).
ROUTES = (("mof:weekly_", "mof_weekly"), ("mof:jgb_", "mof_jgb"), ("mof:intervention", "mof_fx"),
          ("auction:", "auction"))
#: Event ids → the event table whose newest date sets the next start.
EVENT_IDS = {"auction:notes_bonds": "auctions", "mof:intervention": "fx_interventions"}


def default_providers() -> dict[str, Provider]:
    """One instance of each live provider, base URLs from the environment."""
    from spillwatch.data.providers.auctions import AuctionsProvider
    from spillwatch.data.providers.crypto import BinanceProvider, CoinGeckoProvider
    from spillwatch.data.providers.fred import FredProvider
    from spillwatch.data.providers.mof_fx import MofFxProvider
    from spillwatch.data.providers.mof_jgb import MofJgbProvider
    from spillwatch.data.providers.mof_weekly import MofWeeklyProvider
    from spillwatch.data.providers.tic import TicProvider
    from spillwatch.data.providers.treasury import TreasuryProvider

    gecko = CoinGeckoProvider()
    return {"treasury": TreasuryProvider(), "fred": FredProvider(),
            "binance": BinanceProvider(fallback=gecko), "coingecko": gecko,
            "tic": TicProvider(), "auction": AuctionsProvider(),
            "mof_weekly": MofWeeklyProvider(), "mof_jgb": MofJgbProvider(),
            "mof_fx": MofFxProvider()}


def provider_of(series_id: str) -> str:
    """The provider that serves ``series_id`` (``mof:jgb_10y`` → ``mof_jgb``)."""
    for prefix, name in ROUTES:
        if series_id.startswith(prefix):
            return name
    return series_id.split(":", 1)[0]


@dataclass(frozen=True)
class FetchUnit:
    """One request group: a provider and the series it answers together."""

    provider: str
    series_ids: tuple[str, ...]
    whole: bool = False

    @property
    def label(self) -> str:
        """How the group is named in progress and results."""
        return self.provider if self.whole else ", ".join(self.series_ids)


@dataclass
class UnitOutcome:
    """What one group's fetch did."""

    label: str
    provider: str
    start: pd.Timestamp | None
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    revised: int = 0
    quarantined: int = 0
    requests: int = 0
    merged: int = 0
    error: str | None = None
    error_type: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Whether it failed without any answer (no route, refused, no connection in time).
    unreached: bool = False


class FetchResult(ResultBase):
    """What a fetch did, group by group.

    Attributes
    ----------
    outcomes : list of UnitOutcome
    run_id : int
    seconds : float
    """

    title = "fetch"

    def __init__(self, outcomes: list[UnitOutcome], run_id: int | None, seconds: float) -> None:
        self.outcomes = outcomes
        self.run_id = run_id
        self.seconds = seconds

    @property
    def totals(self) -> dict[str, int]:
        """Summed counts over all groups."""
        keys = ("read", "stored", "unchanged", "revised", "quarantined", "merged", "requests")
        return {k: sum(getattr(o, k) for o in self.outcomes) for k in keys}

    @property
    def errors(self) -> dict[str, str]:
        """Group label → error message of every failed group."""
        return {o.label: o.error for o in self.outcomes if o.error is not None}

    @property
    def ok(self) -> bool:
        """Whether every group succeeded."""
        return not self.errors

    @property
    def failure_lines(self) -> list[str]:
        """One line per failed group: ``label: first line of its error``."""
        out = []
        for o in self.outcomes:
            if o.error is None:
                continue
            msg = o.error.splitlines()[0] if o.error else "failed"
            out.append(f"{o.label}: {msg.removeprefix(f'{o.provider}: ')}")
        return out

    @property
    def offline(self) -> bool:
        """Whether every group failed without an answer: no provider could be reached.

        A server that answered (HTTP 503, a broken body, a read timeout) was reached: every
        provider answering 503 was reported as "the network is down".
        """
        return bool(self.outcomes) and all(o.error_type == "NetworkError" and o.unreached
                                           for o in self.outcomes)

    def table(self) -> pd.DataFrame:
        """One row per group with its counts and error."""
        rows = [{k: v for k, v in vars(o).items() if k not in {"notes", "error_type", "unreached"}}
                for o in self.outcomes]
        return pd.DataFrame(rows).set_index("label") if rows else pd.DataFrame()

    def _summary_lines(self) -> list[str]:
        t = self.totals
        lines = [f"fetched {len(self.outcomes)} group(s) in {self.seconds:.1f}s with "
                 f"{t['requests']} request(s): read {t['read']}, stored {t['stored']}, "
                 f"unchanged {t['unchanged']}, revised {t['revised']}, "
                 f"quarantined {t['quarantined']}, repeated rows merged {t['merged']}, "
                 f"failed {len(self.errors)}"]
        if self.offline:
            lines.append("  offline: no provider could be reached; check the network connection")
        lines += [f"  note: {n}" for o in self.outcomes for n in o.notes]
        lines += [f"  FAILED {line}" for line in self.failure_lines]
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "seconds": self.seconds, "totals": self.totals,
                "errors": self.errors, "offline": self.offline, "ok": self.ok,
                "failures": self.failure_lines,
                "groups": [{**vars(o), "start": None if o.start is None else o.start.isoformat()}
                           for o in self.outcomes]}

    def __rich__(self) -> Any:
        from rich.text import Text  # lazy: the core never imports rich at module level

        return Text("\n".join(self._summary_lines()))


def plan(series: Sequence[str] | None, providers: Mapping[str, Provider]) -> list[FetchUnit]:
    """Turn ``--series`` items into request groups.

    Items may be a provider name (``fred``: its default series; ``mof``: the three MOF
    groups), a series id (``fred:DGS10``, ``binance:BTCUSDT_1h``, ``mof:jgb_10y``) or an asset key
    (``btc``: its first live source). ``None`` fetches the defaults of :data:`DEFAULT_ITEMS` (those
    present in ``providers``).

    Raises
    ------
    ConfigError
        An item that is none of these, listing what is valid.
    """
    items = list(series) if series else [p for p in DEFAULT_ITEMS if p in providers]
    ids: list[str] = []
    whole: set[str] = set()
    for raw in items:
        for item in (s.strip() for s in raw.split(",") if s.strip()):
            names = [n for n in ALIASES.get(item, (item,)) if n in providers]
            if names:
                for name in names:
                    if name in GROUPED:
                        whole.add(name)
                    ids.extend(providers[name].default_series())
            elif ":" in item and provider_of(item) in providers:
                ids.append(item)
            elif item in universe.ASSETS:
                live = [s for s in universe.ASSETS[item].sources if provider_of(s) in providers]
                if not live:
                    raise ConfigError(f"asset {item!r} has no live source (its sources are "
                                      f"{', '.join(universe.ASSETS[item].sources)})")
                ids.append(live[0])
            else:
                raise ConfigError(
                    f"unknown series {item!r}; give a provider ({', '.join(providers)}"
                    f"{', mof' if 'mof_fx' in providers else ''}), a series id such as "
                    "'fred:DGS10' or 'binance:BTCUSDT_1h', or an asset key such as 'ust10y' "
                    "or 'btc'")
    units: list[FetchUnit] = []
    grouped: dict[str, list[str]] = {}
    for sid in dict.fromkeys(ids):
        prov = provider_of(sid)
        if prov in GROUPED:
            grouped.setdefault(prov, []).append(sid)
        else:
            units.append(FetchUnit(prov, (sid,)))
    for prov, sids in reversed(list(grouped.items())):
        units.insert(0, FetchUnit(prov, tuple(sids), whole=prov in whole))
    return units


def _frequency(unit: FetchUnit) -> str:
    sid = unit.series_ids[0]
    if unit.provider in ("binance", "coingecko"):
        return "hourly" if "_1h" in sid else "daily"
    if unit.provider == "tic":
        return "monthly"
    if unit.provider == "mof_weekly":
        return "weekly"
    from spillwatch.data.providers.fred import FREQUENCY

    return FREQUENCY.get(sid.split(":", 1)[1], "daily") if unit.provider == "fred" else "daily"


def start_of(unit: FetchUnit, last: Mapping[str, pd.Timestamp],
             overlap: Mapping[str, pd.Timedelta] | None = None) -> pd.Timestamp | None:
    """First timestamp to ask for: the group's last stored point minus the overlap.

    A group whose series have no stored point at all gets ``None`` (the provider's default
    history). For a group, the earliest last point among its series that have data is used.
    Event ids (``auction:notes_bonds``, ``mof:intervention``) find theirs in ``last`` too (see
    :func:`last_points`).
    """
    points = [last[s] for s in unit.series_ids if s in last]
    if not points:
        return None
    ov = (overlap or OVERLAP)[_frequency(unit)]
    return pd.Timestamp(min(points)) - ov


def last_points(store: Store) -> dict[str, pd.Timestamp]:
    """The last stored point of every series, and the newest date of each event table."""
    from spillwatch.store.events import last_event_dates

    last = store.last_points()
    tables = last_event_dates(store)
    for sid, table in EVENT_IDS.items():
        if table in tables:
            last[sid] = tables[table]
    return last


def stuck_notes(observations: pd.DataFrame, now: pd.Timestamp) -> list[str]:
    """A note for each series whose answer's newest point is past its staleness limit at ``now``.

    The overlap re-reads stored points, so a source that stopped publishing (a frozen file, a
    table moved to another address) answers "read 24, unchanged 24" and looks healthy; its
    newest point against the series' limit (:func:`spillwatch.timing.timing_of`) says it.
    """
    if observations.empty:
        return []
    newest = observations.groupby("series_id", sort=True)["ts"].max()
    out = []
    for sid, ts in newest.items():
        t = timing_of(str(sid))
        if t.is_stale(ts, now):
            days = (now.normalize() - pd.Timestamp(ts).normalize()).days
            out.append(f"{sid}: the source's newest point is {pd.Timestamp(ts):%Y-%m-%d}, "
                       f"{days} days before {now:%Y-%m-%d} (stale after {t.stale_after_days}); "
                       "it has published nothing newer, or has stopped or moved")
    return out


def missing_notes(unit: FetchUnit, observations: pd.DataFrame,
                  last: Mapping[str, pd.Timestamp], start: pd.Timestamp | None) -> list[str]:
    """A note for each series of the group the answer lacks while the store holds it recently.

    The window re-reads the stored tail, so a series the store holds from ``start`` on must be
    in the answer: a renamed column (MOF's ``10年`` as ``10年(指標)``) or row (TIC's "China,
    Mainland" as "China") froze the 10-year JGB and China's holdings with "failed 0".
    """
    if start is None:
        return []
    got = set(observations["series_id"]) if len(observations) else set()
    out = []
    for sid in unit.series_ids:
        held = last.get(sid)
        if sid in EVENT_IDS or held is None or held < start or sid in got:
            continue
        out.append(f"{sid}: not in the answer, though the store holds it to "
                   f"{pd.Timestamp(held):%Y-%m-%d} (inside the window asked for, from "
                   f"{start:%Y-%m-%d}): the source's columns or rows may have been renamed; "
                   "the series stops there until it is mapped again")
    return out


def fetch(store: Store, *, series: Sequence[str] | None = None, since: Any = None,
          end: Any = None, client: HttpClient | None = None, config: HttpConfig | None = None,
          providers: Mapping[str, Provider] | None = None,
          overlap: Mapping[str, pd.Timedelta] | None = None,
          on_unit: Callable[[str, int, int], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> FetchResult:
    """Fetch what the store lacks from the live providers, group by group.

    Parameters
    ----------
    store : Store
        Written through :func:`~spillwatch.data.ingest.ingest_batch`.
    series : sequence of str, optional
        Providers, series ids or asset keys (see :func:`plan`); default every provider's
        default series.
    since : date-like, optional
        Fetch from this date whatever the store holds (a back-fill or a re-check).
    end : date-like, optional
        Last timestamp wanted (naive UTC); default now.
    client : HttpClient, optional
        The shared client (default one built from ``config`` and closed at the end).
    config : HttpConfig, optional
        Default :meth:`HttpConfig.from_env`.
    providers : mapping, optional
        Name → provider (default :func:`default_providers`).
    overlap : mapping, optional
        Frequency → overlap (default :data:`OVERLAP`).
    on_unit : callable, optional
        Called as ``on_unit(label, done, total)`` after each group (progress bars).
    should_stop : callable, optional
        Asked before each group; once it returns True (the monitor got a SIGTERM) the groups
        left are not fetched and each says so (a provider that never answers then delays the
        stop by one group, not by all of them).

    Returns
    -------
    FetchResult
        Counts and per-group errors; a failing group never stops the others.
    """
    from spillwatch.data._http import HttpClient, HttpConfig  # lazy: httpx is heavy

    if not store.in_memory and holds_demo(store):
        raise DataError(f"{store.path} holds the simulated demo market (written by --demo "
                        "--db): fetch live data into a store of its own", path=str(store.path))
    t0 = dt.datetime.now(dt.UTC)
    provs = dict(providers) if providers is not None else default_providers()
    units = plan(series, provs)
    now = (pd.Timestamp(end) if end is not None
           else pd.Timestamp.now(tz="UTC").tz_localize(None)).floor("s")
    since_ts = pd.Timestamp(since) if since is not None else None
    own = client is None
    http = client if client is not None else HttpClient(config or HttpConfig.from_env(),
                                                        should_stop=should_stop)
    mark_interrupted(store)
    run_id = store.start_run("fetch", message=", ".join(u.label for u in units))
    outcomes: list[UnitOutcome] = []
    try:
        last = last_points(store)
        for i, unit in enumerate(units, start=1):
            start = since_ts if since_ts is not None else start_of(unit, last, overlap)
            out = UnitOutcome(unit.label, unit.provider, start)
            if should_stop is not None and should_stop():
                out.error, out.error_type = "not fetched: stopping (SIGTERM)", "Stopped"
                outcomes.append(out)
                continue
            sent = getattr(http, "attempts", 0)
            try:
                request = FetchRequest(() if unit.whole else unit.series_ids, start, now)
                batch = provs[unit.provider].fetch(http, request)
                out.requests, out.notes = batch.requests, list(batch.notes)
                rep = ingest_batch(store, batch.observations, batch.specs, source=batch.source,
                                   run_id=run_id, quarantine=batch.quarantine,
                                   events=batch.events)
                if "fx_interventions" in batch.events:
                    # when MOF's intervention file was last read (whole): it holds every
                    # quarter MOF had detailed by then, a quarter without operations as no row
                    from spillwatch.store.events import INTERVENTIONS_FETCHED

                    store.set_meta(INTERVENTIONS_FETCHED, pd.Timestamp(now).isoformat())
                out.read, out.stored, out.unchanged = rep.read, rep.stored, rep.unchanged
                out.revised, out.quarantined = rep.revised, rep.quarantined
                out.merged = rep.duplicates
                if rep.read == 0 and not batch.events:
                    # an empty array, an all-"." CSV: said, not a silent success (the window
                    # re-reads a few stored points, so a working source is never empty)
                    since = f" from {start:%Y-%m-%d}" if start is not None else ""
                    out.notes.append(f"{unit.label}: the answer held no observation{since}; "
                                     "the source may have stopped or changed")
                out.notes += stuck_notes(batch.observations, now)
                out.notes += missing_notes(unit, batch.observations, last, start)
            except SpillwatchError as exc:
                out.error, out.error_type = exc.message, type(exc).__name__
                out.unreached = bool(getattr(exc, "unreached", False))
                # the attempts it made ("with 0 request(s)" after five failed attempts)
                out.requests = getattr(http, "attempts", 0) - sent
                # reported in the result; logged at info so a CLI does not print it twice
                log.info("fetch %s failed (%s): %s", unit.label, type(exc).__name__,
                         exc.message)
            except Exception as exc:  # isolation: a bug in one group must not stop the others
                out.error = (f"{unit.provider}: internal error {type(exc).__name__}: "
                             f"{str(exc)[:300]} (a bug in spillwatch; nothing of this group was "
                             "stored; please report it)")
                out.error_type = "InternalError"
                log.warning("fetch %s failed with an internal error", unit.label, exc_info=True)
            outcomes.append(out)
            if on_unit is not None:
                on_unit(unit.label, i, len(units))
    except BaseException as exc:
        result = FetchResult(outcomes, run_id, 0.0)
        t = result.totals
        store.finish_run(run_id, status="error", message=f"{type(exc).__name__}: {exc}",
                         read=t["read"], stored=t["stored"], unchanged=t["unchanged"],
                         revised=t["revised"], quarantined=t["quarantined"])
        raise
    finally:
        if own:
            http.close()
    seconds = (dt.datetime.now(dt.UTC) - t0).total_seconds()
    result = FetchResult(outcomes, run_id, seconds)
    t = result.totals
    status = "ok" if result.ok else ("error" if len(result.errors) == len(outcomes) else "partial")
    store.finish_run(run_id, status=status, read=t["read"], stored=t["stored"],
                     unchanged=t["unchanged"], revised=t["revised"],
                     quarantined=t["quarantined"],
                     message="; ".join(f"{k}: {v}" for k, v in result.errors.items())[:2000]
                     or None)
    return result
