"""The workspace: one market source, its panels built once, and a memo of the analyses on it.

Every interface (CLI command, report, dashboard, monitor cycle) opens one :class:`Workspace` per
request or cycle and asks the service functions for what it shows. The workspace reads the
store once (every watch-list series it holds, in one short session), assembles each panel from
that read at most once, and memoises each analysis, so that the report's sections and the
dashboard's views share one computation and the same data give the same number everywhere.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

from spillwatch import universe
from spillwatch._typing import Transform
from spillwatch.data.ingest import sparse_daily
from spillwatch.data.panel import (
    MAX_GAP_DAYS,
    RawSeries,
    assemble_panel,
    catalog_asset,
    resolve_sources,
)
from spillwatch.data.releases import AssetRelease, asset_releases, known_on
from spillwatch.data.source import MarketSource, open_source
from spillwatch.exceptions import DataError

#: Dates of a user's daily series its calendar is read from (:meth:`Workspace.user_asset`).
CALENDAR_SAMPLE = 260
#: Analyses (:meth:`Workspace.memo`) and panels a workspace keeps, the least recently asked for
#: dropped first. A server's workspace lives as long as its data version, and each asset list
#: or book a client asked for was kept: 1.4 MB a spillover request's, 0.75 MB a book's (the
#: server from 3.7 to 5.0 GB over 1,000 requests). The standard views, the report and a
#: monitor cycle use 15 analyses and 12 panels.
MEMO_KEPT = 64
PANELS_KEPT = 48


class Workspace:
    """A market source with memoised panels and analyses.

    A workspace is one version of the data: what it read and computed is kept for its life, so
    after an import into its store, make a new one (the server makes one per data version,
    the monitor one per cycle, a command one per run; a past evening made from an old one
    reads its store-wide memo as far as it was filled before the import, and the store as it
    now is for the rest).

    Parameters
    ----------
    source : MarketSource, "demo", path, Store or None
        What :func:`spillwatch.data.source.open_source` accepts; a source opened here is closed
        by :meth:`close`.
    whole : Workspace, optional
        The workspace on the whole store whose evening this one reads (a past evening's, made
        from it by ``--as-of``, the API's ``as_of`` or a replay): what the store holds whatever
        the evening (when each series begins, the series ids of each asset) is read once, there,
        by :meth:`store_memo`, for all the evenings made from it.

    Attributes
    ----------
    reads : int
        How many times the store's series were read (one per workspace unless refreshed).
    builds : Counter
        How many times each panel was assembled, by ``(assets, transform, calendar)``.
    """

    def __init__(self, source: object = None, *, whole: Workspace | None = None,
                 **open_options: Any) -> None:
        if isinstance(source, MarketSource):
            self.source = source
            self._owned = False
        else:
            self.source = open_source(source, **open_options)
            self._owned = True
        self.reads = 0
        self.builds: Counter[tuple[Any, ...]] = Counter()
        self._raw: RawSeries | None = None
        self._raw_user: RawSeries | None = None
        self._user: dict[str, universe.Asset] = {}
        self._panels: OrderedDict[tuple[Any, ...], pd.DataFrame] = OrderedDict()
        self._memo: OrderedDict[Any, Any] = OrderedDict()
        self._locks: dict[Any, threading.Lock] = {}
        self._guard = threading.RLock()
        self.whole: Workspace = self if whole is None else whole.whole

    # -- the source -----------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """Where the data come from."""
        return self.source.label

    @property
    def simulated(self) -> bool:
        """Whether the data are the simulated demo market (by the source or its series ids)."""
        return self.source.simulated or self.raw().simulated

    @property
    def store(self) -> Any:
        """The source's store handle (short-lived connections on a file)."""
        return self.source.store

    def close(self) -> None:
        """Close the source if this workspace opened it."""
        if self._owned:
            self.source.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- panels ---------------------------------------------------------------------------------
    def raw(self) -> RawSeries:
        """Every watch-list series the store holds, read once (one store session)."""
        with self._guard:
            if self._raw is None:
                try:
                    self._raw = self.source.read_series(list(universe.ASSETS), explicit=False)
                except DataError:  # the store holds none of the watch list
                    self._raw = RawSeries({}, {})
                self.reads += 1
            return self._raw

    def releases(self, assets: Sequence[str]) -> dict[str, AssetRelease]:
        """When each of ``assets``' observations was published (their store series' timing).

        See :mod:`spillwatch.data.releases`; an asset the store lacks is left out.
        """
        def run() -> dict[str, AssetRelease]:
            raw = self.raw()
            sources = {k: list(raw.sources[k]) for k in assets if len(raw.series.get(k, ()))}
            wide = self.source.store_series(sorted({s for v in sources.values() for s in v}))
            return asset_releases(wide, sources) if sources else {}

        return self.memo(("releases", tuple(assets)), run)

    def known_on(self, assets: Sequence[str], index: pd.DatetimeIndex) -> pd.Series:
        """The evening each row of ``index`` could first be computed from ``assets``.

        Every observation up to the row's date published
        (:func:`spillwatch.data.releases.known_on`); on a vintage (``--as-of``), a last row
        still missing an input due after that evening waits for its release.
        """
        return known_on(self.releases(assets), index,
                        as_of=getattr(self.source, "known_by", None))

    def user_asset(self, series_id: str) -> universe.Asset:
        """:func:`~spillwatch.data.panel.catalog_asset` on the store's catalog, memoised."""
        with self._guard:
            if series_id in self._user:
                return self._user[series_id]
        catalog = self.memo("catalog", self.store.series)
        a = catalog_asset(catalog, series_id, self.label)
        if a.frequency == "daily" and self._trades_every_day(series_id):
            a = dataclasses.replace(a, calendar="every_day")
        with self._guard:
            self._user[series_id] = a
            self._raw_user = None
        return a

    def _trades_every_day(self, series_id: str) -> bool:
        """Whether a daily series of the user's trades at weekends (a coin): its calendar.

        A sixth or more of its first :data:`CALENDAR_SAMPLE` dates on Saturdays and Sundays
        (an every-day market has two in seven; a business-day one none, or a stray few). The
        first, not the last: the calendar a truncated store would infer. A coin of one's own
        was on the business-day calendar: no weekend note beside its Friday VaR, and its
        weekday US holidays became rows of the panel (where bitcoin's joined the next day).
        """
        first = self._stored_dates(series_id)[:CALENDAR_SAMPLE]
        return len(first) >= 20 and bool((first.day_of_week >= 5).mean() >= 1 / 6)

    def _user_raw(self) -> RawSeries:
        with self._guard:
            if self._raw_user is None:
                self._raw_user = (self.source.read_series(list(self._user), explicit=False,
                                                          extra=self._user)
                                  if self._user else RawSeries({}, {}))
                self.reads += 1 if self._user else 0
            return self._raw_user

    def series_of(self, key: str) -> pd.Series | None:
        """The stored values of a watch-list asset or a user's series (``None``: none stored).

        A user's id must have been resolved by :meth:`user_asset` first.
        """
        if key in universe.ASSETS:
            return self.raw().series.get(key)
        return self._user_raw().series.get(key)

    def map_hint(self, key: str) -> str:
        """A hint when the store holds the asset's series under another id, else ``""``.

        A file ``DGS10.csv`` imported on its own becomes ``csv:DGS10``, not ``fred:DGS10``:
        the hint names the ``--map`` that makes it the 10-year yield.
        """
        a = universe.ASSETS.get(key)
        if a is None:
            return ""
        want = {sid.partition(":")[2].lower(): sid for sid in a.sources}
        try:
            cat = self.store.series()
        except Exception:   # a closed or odd store: no hint rather than another error
            return ""
        for sid, sym in zip(cat["series_id"], cat["symbol"].astype(str), strict=True):
            col = sym.rsplit(".", 1)[-1]
            if sid not in a.sources and col.lower() in want:
                return (f" (it holds {sid}: import the file with --map "
                        f"{col}={want[col.lower()]} to use it as {key})")
        return ""

    def have(self, keys: Sequence[str]) -> list[str]:
        """The asset keys among ``keys`` that the store holds (in the order given).

        A key may be a watch-list asset (``"btc"``) or the id of a series of the user's
        (``"csv:MYFUND"``).
        """
        out = []
        for k in keys:
            if k not in universe.ASSETS:
                try:
                    self.user_asset(k)
                except DataError:
                    continue
            s = self.series_of(k)
            if s is not None and len(s):
                out.append(k)
        return out

    def last_dates(self) -> dict[str, pd.Timestamp | None]:
        """Asset key -> the date of its last stored value."""
        return self.raw().last_dates()

    def newest(self) -> pd.Timestamp | None:
        """The last date any watch-list series reaches (``None`` without data).

        On the simulated demo market this is its "today".
        """
        dates = [d for d in self.last_dates().values() if d is not None]
        return max(dates) if dates else None

    def require_daily(self, assets: Sequence[str], what: str, *, start: object = None,
                      end: object = None) -> None:
        """Refuse a named asset that is not a daily series in an analysis of daily changes.

        A weekly NAV's changes are weekly: its "next business day" VaR, its "% per day"
        volatility and its daily scenario steps were weekly figures; a monthly series has no
        change on the business-day calendar at all ("has 0 values"). A user's series catalogued
        daily is judged by its dates between ``start`` and ``end`` (the window analysed): a NAV
        published weekly until 2022 and daily since has daily changes from 2024 on.

        Raises
        ------
        DataError
            Naming the asset, its frequency and ``what`` needs.
        """
        for k in assets:
            a = universe.ASSETS.get(k) or self.user_asset(k)
            if a.frequency != "daily":
                raise DataError(f"{k} is a {a.frequency} series: its changes span a "
                                f"{a.frequency.removesuffix('ly')}, and {what} models daily "
                                "changes; leave it out (or import daily values)", asset=k)
            if k not in universe.ASSETS:
                # a weekly NAV imported with --map (daily by default) has no daily change:
                # risk said "has no observations in the window" of its 366 weeks, and the
                # scenario "has no change after 2018-01-01 00:00:00"
                lo = None if start is None else pd.Timestamp(start)
                hi = None if end is None else pd.Timestamp(end)
                why = self.memo(("sparse", k, lo, hi),
                                functools.partial(self._sparse_daily, k, lo, hi))
                if why:
                    raise DataError(f"{k}: {why} and import it again; {what} models daily "
                                    "changes", asset=k)

    def _sparse_daily(self, series_id: str, start: pd.Timestamp | None = None,
                      end: pd.Timestamp | None = None) -> str | None:
        """Why a user's series has no daily change in ``[start, end]`` (None: it has one).

        :func:`~spillwatch.data.ingest.sparse_daily` on its stored dates in the window.
        """
        dates = self._stored_dates(series_id)
        if start is not None:
            dates = dates[dates >= start]
        if end is not None:
            dates = dates[dates <= end]
        return sparse_daily(dates)

    def _stored_dates(self, series_id: str) -> pd.DatetimeIndex:
        """The dates with a stored value of a user's series (read once)."""
        return self.memo(("dates", series_id), lambda: pd.DatetimeIndex(
            self.source.store_series([series_id]).dropna(how="all").index))

    def gap_notes(self, assets: Sequence[str], *, start: object = None, end: object = None,
                  what: str) -> list[str]:
        """A note per user's daily series whose changes across gaps in the window are unmeasured.

        A daily change over more than :data:`~spillwatch.data.panel.MAX_GAP_DAYS` days is
        none (:func:`~spillwatch.data.panel.level_changes`): a fund's file missing the week of
        2024-08-05 read a historical VaR 20% lower than the whole file's with no word in
        `risk` or `spillover` (the import had said it). The watch list's series are left to
        their own notes.
        """
        out = []
        for k in assets:
            if k in universe.ASSETS or self.user_asset(k).frequency != "daily":
                continue
            dates = self._stored_dates(k)
            if start is not None:
                # the change into the window's first date spans the gap before it
                before = dates[dates < pd.Timestamp(str(start))]
                dates = dates[dates >= (before[-1] if len(before) else pd.Timestamp(str(start)))]
            if end is not None:
                dates = dates[dates <= pd.Timestamp(str(end))]
            days = pd.Series(dates[1:] - dates[:-1], index=dates[1:]).dt.days
            long = days[days > MAX_GAP_DAYS]
            if long.empty:
                continue
            last = long.idxmax()
            first = dates[dates.get_loc(last) - 1]
            out.append(f"{k}: {len(long)} of its changes span more than {MAX_GAP_DAYS} days "
                       f"between two of its dates and are not measured (the longest, "
                       f"{first:%Y-%m-%d} to {last:%Y-%m-%d}, {int(long.max())} days); {what} "
                       "reads its other changes")
        return out

    def panel(self, assets: Sequence[str] | None = None, *, transform: Transform = "changes",
              start: object = None, end: object = None,
              calendar: Literal["business", "every_day"] = "business",
              explicit: bool = False) -> pd.DataFrame:
        """The aligned panel of ``assets`` (default the watch list), built at most once.

        Parameters
        ----------
        assets : sequence of str, optional
            Asset keys; those the store lacks are left out, or raise with ``explicit=True``.
        transform : {"changes", "levels"}
        start, end : date-like, optional
            Cut of the returned panel (the panel itself is built once on the whole history).
        calendar : {"business", "every_day"}
        explicit : bool
            Whether a missing asset is an error (the user named it).

        Raises
        ------
        DataError
            No asset is held, or an explicitly named one is missing.
        """
        keys = list(assets) if assets is not None else list(universe.WATCHLIST)
        for k in keys:
            if k not in universe.ASSETS:
                self.user_asset(k)  # an unknown key lists the valid ones
        have = self.have(keys)
        missing = [k for k in keys if k not in have]
        if explicit and missing:
            # on a past evening, an asset the store holds from later on: when (`risk --assets
            # btc --as-of 2010-01-04` said "import a file that carries them" of a store whose
            # bitcoin begins on 2018-01-01)
            later = self.begins_later(missing)
            never = [k for k in missing if later and k not in self.stored_first([k])]
            raise DataError(f"no data for asset(s) {', '.join(missing)} in {self.label}; "
                            + (f"{later.removesuffix('; give a later --as-of')}: give a later "
                               "--as-of" + (f", import a file that carries {', '.join(never)}"
                                            if never else "")
                               + " or drop them from --assets" if later else
                               "import a file that carries them or drop them from --assets"),
                            asset=missing[0])
        if not have:
            if not keys:
                raise DataError("no asset to build a panel from (the asset list is empty)")
            catalog = self.memo("catalog", self.store.series)
            own = [str(x) for x in catalog["series_id"] if str(x).startswith("csv:")][:5]
            later = self.begins_later(keys)   # on a past evening: a later one holds them
            hint = (f"it holds your own series {', '.join(own)}: name them as the assets "
                    f"(e.g. {own[0]})" if own else later if later else
                    "run `spillwatch import PATH`, pass --data PATH, or use --demo")
            raise DataError(f"{self.label} holds none of {', '.join(keys)}; {hint}")
        key = (tuple(have), transform, calendar)
        with self._guard:
            if key in self._panels:
                self._panels.move_to_end(key)
                frame = self._panels[key]
            else:
                raws = [self.raw(), self._user_raw()]
                sub = RawSeries({k: r.series[k] for r in raws for k in have if k in r.series},
                                {k: r.sources[k] for r in raws for k in have if k in r.sources},
                                {k: self._user[k] for k in have if k in self._user})
                frame = assemble_panel(sub, transform=transform, calendar=calendar)
                frame.attrs["source"] = self.label
                self._panels[key] = frame
                self.builds[key] += 1
                while len(self._panels) > PANELS_KEPT:
                    self._panels.popitem(last=False)
        if start is None and end is None:
            return frame
        out = frame.loc[pd.Timestamp(start) if start is not None else None:
                        pd.Timestamp(end) if end is not None else None]
        out.attrs.update(frame.attrs)
        return out

    def stored_first(self, keys: Sequence[str]) -> dict[str, pd.Timestamp]:
        """The first stored date of each watch-list asset of ``keys`` the store holds at all.

        Published by any date or not: a view of a past evening (``--as-of``) holds only what
        was out by then, and an asset it lacks may still be in the store, where it begins later.
        Read once for the store (:meth:`store_memo`), every first date in one query: the facts
        of an evening ask it of each input, and a read of each asset's whole series and of the
        store's series list each time took 7% of the test suite's time.
        """
        firsts = self.series_firsts()
        ids = self._stored_ids()
        out: dict[str, pd.Timestamp] = {}
        for k in keys:
            days = [firsts[s] for s in ids.get(k, []) if s in firsts]
            if days:
                out[k] = min(days).normalize()
        return out

    def series_firsts(self) -> Mapping[str, pd.Timestamp]:
        """Each store series' first stored date (published by any date or not), by series id."""
        def run() -> Mapping[str, pd.Timestamp]:
            frame = self.store.query("SELECT series_id, min(ts) AS first FROM observations "
                                     "WHERE NOT isnan(value) GROUP BY series_id")
            return MappingProxyType({str(sid): pd.Timestamp(ts) for sid, ts in zip(
                frame["series_id"], frame["first"], strict=True)})

        return self.store_memo("store:series firsts", run)

    def _stored_ids(self) -> Mapping[str, list[str]]:
        """Each watch-list asset's store series, best first, read once for the store.

        The panel's own choice of series (the demo's ``demo:trump``: the asset's real ids find
        nothing there, and a demo evening's notes could not say when its figures begin).
        """
        return self.store_memo("store:asset ids", lambda: resolve_sources(
            self.store, list(universe.ASSETS), explicit=False))

    def begins_later(self, keys: Sequence[str], *, advice: bool = True) -> str | None:
        """On a past evening, the words for assets of ``keys`` the store holds from later on.

        "the store's figures of them begin later (btc 2018-01-01, eth 2018-01-01); give a later
        --as-of" (the API says ``as_of``); None on the latest data or when the store
        holds none of them. A refusal on 2008-09-15 said "holds no crypto series" of a store
        whose crypto begins in 2018, or "none published …, or 'usd_broad' not loaded" of a
        dollar in the store from 2006. Without ``advice``, the words for a note inside
        parentheses: "the store's figures of it begin later: trump 2025-01-19".
        """
        known_by = getattr(self.source, "known_by", None)
        if known_by is None:
            return None
        day = pd.Timestamp(known_by).normalize()
        later = self.stored_first(keys)
        # a figure dated by the evening but published after it (the broad dollar's first week,
        # from 2006-01-02, out on Monday 2006-01-09): its release day, not "begins later" of a
        # date before the evening (the scenario as of 2006-01-04 said "begin later (usd_broad
        # 2006-01-02)")
        out = {k: self._first_out(k) for k, d in later.items() if d <= day}
        out = {k: r for k, r in out.items() if r is not None and r > day}
        later = {k: d for k, d in later.items() if d > day or k in out}
        if not later:
            return None
        them = "them" if len(later) > 1 else "it"
        if not out:
            names = ", ".join(f"{k} {d:%Y-%m-%d}" for k, d in later.items())
            how = "begin later"
        else:
            names = "; ".join(f"{k} {d:%Y-%m-%d}" + (f", first published {out[k]:%Y-%m-%d}"
                                                      if k in out else "")
                              for k, d in later.items())
            how = ("are first published later" if len(out) == len(later) else
                   "begin or are first published later")
        if not advice:
            return f"the store's figures of {them} {how}: {names}"
        return f"the store's figures of {them} {how} ({names}); give a later --as-of"

    def _stored(self, key: str) -> pd.DataFrame | None:
        """Every store series of watch-list asset ``key``, whole (published by any date or not)."""
        sids = self._stored_ids().get(key, []) if key in universe.ASSETS else []
        if not sids:
            return None
        with self.store.session():
            return self.store.wide(sids)

    def _first_out(self, key: str) -> pd.Timestamp | None:
        """The day the store's first figure of watch-list asset ``key`` is published."""
        return self.store_memo(("store:first out", key), lambda: self._first_release(key))

    def _first_release(self, key: str) -> pd.Timestamp | None:
        from spillwatch.timing import timing_of

        wide = self._stored(key)
        if wide is None:
            return None
        days = [timing_of(s).released_index(pd.DatetimeIndex(wide[s].dropna().index)).min()
                for s in wide.columns if wide[s].notna().any()]
        days = [pd.Timestamp(d).normalize() for d in days if not pd.isna(d)]
        return min(days) if days else None

    # -- analyses -------------------------------------------------------------------------------
    def memo(self, key: Any, fn: Callable[[], Any]) -> Any:
        """Compute ``fn()`` once per workspace (thread-safe: concurrent callers wait).

        The last :data:`MEMO_KEPT` results asked for are kept, the least recently asked
        dropped first.
        """
        with self._guard:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._memo:
                    self._memo.move_to_end(key)
                    return self._memo[key]
            value = fn()
            with self._guard:
                self._memo[key] = value
                while len(self._memo) > MEMO_KEPT:
                    self._memo.popitem(last=False)
                # the callers waiting hold it; a later one finds the value (or, once it is
                # dropped, makes a new lock)
                self._locks.pop(key, None)
            return value

    def store_memo(self, key: Any, fn: Callable[[], Any]) -> Any:
        """:meth:`memo` of a read of the whole store, published by any date or not.

        Once for the whole-store workspace and every past evening made from it (``whole``).
        A replay's or a test's evenings each read the store's series list and each asset's
        whole series again to say when an input begins (825 store connections for 22
        evenings, at about 17 ms each).
        """
        return self.whole.memo(key, fn)

    def health(self) -> pd.DataFrame:
        """Per-series data health from the source (memoised; as published by an as-of date)."""
        return self.memo("health", self.source.health)
