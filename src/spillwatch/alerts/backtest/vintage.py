"""The data as they stood on a past date: every observation only from its publication date.

:class:`VintageSource` is a :class:`~spillwatch.data.source.MarketSource` over the same store
that hides every observation not yet published at the end of ``known_by``: an observation of
series ``s`` dated ``d`` is visible from ``timing_of(s).released(d)`` on (the release calendar
of :mod:`spillwatch.timing`: H.15 the next day, H.10 the following Monday, the St. Louis Fed
index the Thursday after its Friday, TIC about seven weeks after the month, ...). Sources of one
asset are spliced after the cut, as :func:`spillwatch.data.panel.read_series` does, so on a date
FRED has not published yet the Treasury's par curve stands in for it.

A :class:`~spillwatch.service.workspace.Workspace` on it runs the normal monitor as it would
have run that day: ``compute_facts(Workspace(VintageSource(src, d)), today=d)``. This is the
slow, obvious reference of the one-pass replay (:mod:`spillwatch.alerts.backtest.replay`), and
the path the replay takes on the rare days its one-pass preconditions do not hold.

Limits: the store keeps the latest vintage of every value, so revisions (the St. Louis Fed's
weekly index is revised, FRED series are occasionally corrected) are not undone; a value is
shown as it is stored today, from the day it was first published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.data.panel import RawSeries, assemble_panel, business_days, resolve_sources
from spillwatch.data.source import MarketSource, first_event, last_event
from spillwatch.exceptions import DataError
from spillwatch.timing import timing_of


def released_mask(series_id: str, index: pd.DatetimeIndex, known_by: pd.Timestamp
                  ) -> pd.Series:
    """Whether each observation date of ``series_id`` is published by the end of ``known_by``."""
    rel = timing_of(series_id).released_index(index)
    return pd.Series(rel <= known_by, index=index)


def published(wide: pd.DataFrame, ids: Sequence[str], known_by: pd.Timestamp) -> np.ndarray:
    """Which values of ``wide[ids]`` exist and are published by the end of ``known_by``.

    :func:`released_mask` of each column over its observed dates, computed once per set of
    columns with the same release rule (TIC's 58 holders share one): release dates are
    computed date by date, except that the holiday calendars of Tokyo and the BoJ are built
    over the span of the dates given, so columns on those calendars are grouped only with
    columns of the same first and last observation.

    Returns
    -------
    ndarray of bool, shape (len(wide), len(ids))
    """
    dates = pd.DatetimeIndex(wide.index)
    keep = wide[list(ids)].notna().to_numpy(copy=True)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for j, sid in enumerate(ids):
        rule = timing_of(sid)
        key: tuple[Any, ...] = (rule,)
        if rule.tokyo_days or rule.boj_days:
            rows = np.flatnonzero(keep[:, j])
            key = (rule, rows[0], rows[-1]) if len(rows) else (rule, j)
        groups.setdefault(key, []).append(j)
    for cols in groups.values():
        rows = np.flatnonzero(keep[:, cols].any(axis=1))
        if not len(rows):
            continue
        out = released_mask(ids[cols[0]], dates[rows], known_by).to_numpy()
        keep[np.ix_(rows, np.asarray(cols))] &= out[:, None]
    return keep


def auction_releases(frame: pd.DataFrame) -> pd.DatetimeIndex:
    """The release date of each auction row.

    ``timing_of("auction:<tenor>").released`` of its ``auction_date``, one vectorised call per
    tenor rather than one call per row.
    """
    keys = np.array([f"auction:{t}" for t in frame["tenor"]], dtype=object)
    dates = pd.DatetimeIndex(frame["auction_date"])
    out = np.empty(len(frame), dtype="datetime64[ns]")
    for key in dict.fromkeys(keys):
        rows = np.flatnonzero(keys == key)
        got = timing_of(str(key)).released_index(dates[rows])
        out[rows] = got.to_numpy().astype("datetime64[ns]")
    return pd.DatetimeIndex(out)


@dataclass
class VintageSource(MarketSource):
    """A market source cut at what was published by the end of ``known_by``.

    Parameters
    ----------
    store, label, simulated : as :class:`~spillwatch.data.source.MarketSource`
    known_by : Timestamp
        The day whose evening the data are seen from.
    cache : dict, optional
        Shared memo of the full wide frame of the store (one read for many dates).
    """

    known_by: pd.Timestamp = field(default_factory=lambda: pd.Timestamp("now").normalize())
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, source: MarketSource, known_by: object,
           cache: dict[str, Any] | None = None) -> VintageSource:
        """The vintage of ``source`` at the end of ``known_by`` (the source stays open)."""
        day = pd.Timestamp(known_by).normalize()
        return cls(source.store, f"{source.label} as published by {day.date()}",
                   source.simulated, None, False, known_by=day,
                   cache=cache if cache is not None else {})

    def _wide(self, ids: list[str]) -> pd.DataFrame:
        have = self.cache.setdefault("wide", pd.DataFrame())
        need = [i for i in ids if i not in have.columns]
        if need:
            with self.store.session():
                got = self.store.wide(need)
            got.index = pd.DatetimeIndex(got.index).normalize()
            have = (pd.concat([have, got], axis=1, sort=True) if len(have.columns)
                    else got)
            self.cache["wide"] = have
        return have[ids]

    def _sources(self, keys: Sequence[str], *, explicit: bool,
                 extra: Mapping[str, universe.Asset] | None = None) -> dict[str, list[str]]:
        """:func:`~spillwatch.data.panel.resolve_sources` of watch-list ``keys``.

        The store's series list is read once for every evening sharing the cache; a user's
        series, or a key off the watch list, is resolved as asked.
        """
        if extra or any(k not in universe.ASSETS for k in keys):
            return resolve_sources(self.store, keys, explicit=explicit, extra=extra)
        every = self.cache.get("sources")
        if every is None:
            every = resolve_sources(self.store, list(universe.ASSETS), explicit=False)
            self.cache["sources"] = every
        missing = [k for k in keys if k not in every]
        if explicit and missing:        # the store's own refusal, naming what it lacks
            resolve_sources(self.store, missing, explicit=True)
        return {k: every[k] for k in keys if k in every}

    def read_series(self, assets: Sequence[str] | None = None, *,
                    explicit: bool | None = None,
                    extra: Mapping[str, universe.Asset] | None = None) -> RawSeries:
        """The spliced level series of ``assets`` as published by ``known_by``.

        A source with nothing published yet is left out, as if the store did not hold it.

        Raises
        ------
        DataError
            Nothing of the watch list was published yet (or a named asset was not).
        """
        explicit = assets is not None if explicit is None else explicit
        keys = list(assets) if assets is not None else list(universe.WATCHLIST)
        sources = self._sources(keys, explicit=explicit, extra=extra)
        ids = sorted({sid for v in sources.values() for sid in v})
        wide = self._wide(ids) if ids else pd.DataFrame()
        out_by = (published(wide, ids, self.known_by) if ids
                  else np.zeros((0, 0), dtype=bool))
        cut: dict[str, pd.Series] = {}
        for j, sid in enumerate(ids):
            col = wide[sid][out_by[:, j]]
            if len(col):
                cut[sid] = col
        series: dict[str, pd.Series] = {}
        kept: dict[str, list[str]] = {}
        for key, sids in sources.items():
            have = [s for s in sids if s in cut]
            if not have:
                continue
            out = cut[have[0]]
            for sid in have[1:]:
                out = out.combine_first(cut[sid])
            series[key] = out.dropna()
            kept[key] = have
        if explicit:
            missing = [k for k in keys if k not in series]
            if missing:
                raise DataError(f"no data for asset {missing[0]!r} published by "
                                f"{self.known_by.date()}", asset=missing[0])
        if not series and assets is None:
            raise DataError(f"nothing of the watch list was published by "
                            f"{self.known_by.date()}")
        # named assets of which nothing was out yet (a fund of the user's that starts later):
        # none, as a store without them reads; the caller names what it lacks (this said
        # "nothing of the watch list" for a book whose fund started a year later)
        return RawSeries(series, kept, {k: a for k, a in (extra or {}).items() if k in kept})

    def stored_newest(self) -> pd.Timestamp | None:
        """The last date any watch-list series reaches in the store, published by then or not.

        What ``Workspace(source).newest()`` gives on the store's own source (the last date of
        the spliced series: the last observed date of any of their sources), read off this
        vintage's frame of the store, which its own series are then cut from.
        """
        sources = self._sources(list(universe.ASSETS), explicit=False)
        ids = sorted({sid for v in sources.values() for sid in v})
        if not ids:
            return None
        wide = self._wide(ids)
        last = [d for d in (wide[sid].last_valid_index() for sid in ids) if d is not None]
        return max(last) if last else None

    def unpublished(self, key: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The latest observation of ``key`` dated by ``known_by`` but published after it.

        ``(observation date, release date)`` when it is newer than every observation published
        by then (the 10-year of 2025-12-30, from H.15 the next business day once the par curve
        stopped, is out on 12-31: the evening of 12-30 reads 12-29); ``None`` otherwise.
        """
        sids = self._sources([key], explicit=False).get(key, [])
        if not sids:
            return None
        wide = self._wide(sids)
        published = pd.Timestamp.min
        late: dict[pd.Timestamp, pd.Timestamp] = {}
        for sid in sids:
            col = wide[sid].dropna()
            idx = pd.DatetimeIndex(col.index[col.index <= self.known_by])
            rel = timing_of(sid).released_index(idx)
            out = np.asarray(rel > self.known_by)
            if (~out).any():
                published = max(published, idx[~out][-1])
            for d, r in zip(idx[out], rel[out], strict=True):
                late[d] = min(late.get(d, r), r)
        newer = [d for d in late if d > published]
        if not newer:
            return None
        day = max(newer)
        return day, late[day]

    def store_series(self, ids: Sequence[str]) -> pd.DataFrame:
        """Stored series by id, each cut at what was published by ``known_by``."""
        if not ids:
            return pd.DataFrame()
        ids = list(dict.fromkeys(ids))
        wide = self._wide(ids)
        keep = published(wide, ids, self.known_by)  # a value kept exists and was published
        # the dates any series kept (one mask over the shared frame, not a union per series)
        return wide.where(keep)[keep.any(axis=1)]

    def health(self) -> pd.DataFrame:
        """Per-series data health as published by ``known_by``.

        First and last point and the count of the points out by then (an as-of report showed
        the store's last points of today, years later); the revisions of those points the store
        had recorded by then, and quarantined points dated (an ISO ``raw_date``) up to
        ``known_by``. A series with nothing out by then is left out.
        """
        frame = self.store.health()
        with self.store.session():
            obs = self.store.query("SELECT series_id, ts FROM observations ORDER BY series_id")
            quarantined = self.store.query(
                "SELECT series_id, count(DISTINCT concat_ws('|', raw_date, raw_value, reason)) "
                "AS n FROM quarantine WHERE try_cast(raw_date AS DATE) <= ? GROUP BY series_id",
                [self.known_by.date()])
            # the revisions this store had made by then (a revision recorded later is not of
            # that evening's data)
            revised = self.store.query("SELECT series_id, ts FROM revisions WHERE revised_at < ?",
                                       [(self.known_by + pd.Timedelta(days=1)).to_pydatetime()])
        rows = {}
        for sid, group in obs.groupby("series_id", sort=False):
            ts = pd.DatetimeIndex(group["ts"])
            out = ts[released_mask(str(sid), ts, self.known_by).to_numpy()]
            if len(out):
                rows[sid] = (out.min(), out.max(), len(out))
        frame = frame[frame["series_id"].isin(list(rows))].copy()
        if frame.empty:
            # an evening before any series' first point: nothing out (the revisions' days were
            # compared with no last day, and numpy raised UFuncTypeError)
            for c in ("points", "quarantined", "revisions"):
                frame[c] = pd.Series(dtype="int64")
            return frame.reset_index(drop=True)
        got = frame["series_id"].map(rows)
        frame["first_ts"] = [r[0] for r in got]
        frame["last_ts"] = [r[1] for r in got]
        frame["points"] = [r[2] for r in got]
        frame["quarantined"] = frame["series_id"].map(
            dict(zip(quarantined["series_id"], quarantined["n"], strict=True))).fillna(0)
        last = frame.set_index("series_id")["last_ts"]
        rev = revised[pd.to_datetime(revised["ts"]).to_numpy()
                      <= revised["series_id"].map(last).to_numpy()]
        frame["revisions"] = frame["series_id"].map(rev["series_id"].value_counts()).fillna(0)
        for c in ("points", "quarantined", "revisions"):
            frame[c] = frame[c].astype("int64")
        return frame.reset_index(drop=True)

    def _whole(self, table: str) -> pd.DataFrame:
        """The store's whole event table (read once for every evening of the replay)."""
        frame = self.cache.get(f"events:{table}")
        if frame is None:
            frame = super().events(table)
            self.cache[f"events:{table}"] = frame
        return frame

    def record_end(self, table: str) -> pd.Timestamp | None:
        """The last event date of the store's whole table (what the record covers)."""
        return last_event(self._whole(table), table)

    def record_start(self, table: str) -> pd.Timestamp | None:
        """The first event date of the store's whole table (when the record begins)."""
        return first_event(self._whole(table), table)

    def events(self, table: str) -> pd.DataFrame:
        """An event table cut at what was published by ``known_by``.

        Auctions by their tenor's release (the same day); MOF interventions at its month-end
        report.
        """
        frame = self._whole(table)
        if frame.empty:
            return frame
        if table == "auctions":
            rel = auction_releases(frame)
        else:
            rel = timing_of("mof:intervention").released_index(
                pd.DatetimeIndex(frame["intervention_date"]))
        return frame[rel <= self.known_by].reset_index(drop=True)

    def panel(self, **options: Any) -> pd.DataFrame:
        """The aligned panel of the vintage (options as ``build_panel``'s)."""
        assets = options.pop("assets", None)
        calendar_of = options.pop("calendar_of", None)
        days = None
        if options.get("calendar", "business") == "business" and calendar_of:
            # the US markets' days as build_panel makes them (what spillwatch.load asks for)
            try:
                core = self.read_series(calendar_of, explicit=False)
            except DataError:       # none of them published by then: the panel's own days
                core = None
            if core is not None:
                days = business_days(core, list(core.series))
        frame = assemble_panel(self.read_series(assets), calendar_days=days, **options)
        frame.attrs["source"] = self.label
        return frame

    def close(self) -> None:
        """The vintage never owns its store."""


def vintage_workspace(ws: Any, when: Any, *, name: str = "--as-of") -> Any:
    """A workspace on the data of ``ws`` as published by the evening of ``when``.

    What ``--as-of`` means in every command and ``as_of`` in the API. ``name`` is the
    option's name in the messages.

    Raises
    ------
    DataError
        ``when`` is after the newest data (an analysis as of the future is today's) or before
        the 10-year yield's first published value.
    """
    from spillwatch.service.workspace import Workspace

    # the store's frames (its series, its event tables) read once for every evening made from
    # the same whole-store workspace (the server's past evenings, a notebook's): each evening
    # read every watch-list series of the store again
    src = VintageSource.of(ws.source, when, ws.whole.memo("vintage:store frames", dict))
    # the store's newest date off the vintage's own read of the store (ws.newest() read and
    # spliced every watch-list series once more, for this date only); a vintage's own newest
    # is of what it had published
    newest = ws.newest() if isinstance(ws.source, VintageSource) else src.stored_newest()
    if newest is not None and pd.Timestamp(when) > newest:
        raise DataError(f"{name} {when} is after the newest data ({newest:%Y-%m-%d}); leave "
                        "it out for the latest data")
    out = Workspace(src, whole=ws)
    # an evening before the 10-year's first value is refused; a store without a 10-year at all
    # is read as `--end` reads it, each command naming what it lacks: a store of bitcoin alone
    # was refused "no 10-year yield was published" by `risk --as-of`, whose VaR `--end` gave
    if "ust10y" not in out.have(["ust10y"]) and _holds(src, "ust10y"):
        raise DataError(f"no 10-year yield was published by {when}: the analysis needs it")
    return out


def _holds(src: MarketSource, key: str) -> bool:
    """Whether the store holds a series of the watch-list asset ``key``, published or not."""
    ids = set(src.store.series()["series_id"].astype(str))
    return any(s in ids for s in universe.ASSETS[key].sources)
