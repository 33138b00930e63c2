"""Open a market-data source — the demo market, a folder of CSVs, or a store — as one object.

Every command that reads market data takes the same options (``--demo``, ``--data PATH``,
``--db PATH``) and turns them into a :class:`MarketSource` through :func:`open_source`; they mean
the same in every command: ``--demo`` the simulated market (in memory, or written into ``--db``
when both are given, unless that store holds real data), ``--data PATH`` a folder or CSV
imported into a temporary in-memory store (or into ``--db`` when given), neither the store at
:func:`spillwatch.config.resolve_db_path`.
A store on a file is opened with short-lived connections (see :mod:`spillwatch.store.duckdb`), so
a source may stay open for a long time without keeping other processes out of the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from spillwatch import universe
from spillwatch._validation import date_window
from spillwatch.config import resolve_db_path
from spillwatch.data.ingest import (
    FileReport,
    ImportReport,
    drop_if_empty,
    holds_demo,
    import_path,
    require_path,
)
from spillwatch.data.panel import CALENDAR_ASSETS, RawSeries, build_panel, read_series
from spillwatch.exceptions import DataError
from spillwatch.store import MEMORY, Store


@dataclass
class MarketSource:
    """An open store plus what it holds.

    Attributes
    ----------
    store : Store
    label : str
        Shown in reports and summaries (``"demo market (simulated)"``, a path, ...).
    simulated : bool
        Whether the data are the simulated demo market.
    imported : ImportReport or None
        The import done when opening a folder of CSVs.
    """

    store: Store
    label: str
    simulated: bool = False
    imported: ImportReport | None = None
    owned: bool = True

    def panel(self, **options: Any) -> pd.DataFrame:
        """Return the aligned panel (options as :func:`spillwatch.data.panel.build_panel`)."""
        frame = build_panel(self.store, **options)
        frame.attrs["source"] = self.label
        return frame

    def read_series(self, assets: Sequence[str] | None = None, *,
                    explicit: bool | None = None,
                    extra: Mapping[str, universe.Asset] | None = None) -> RawSeries:
        """Read the spliced level series of ``assets`` in one store session."""
        return read_series(self.store, assets, explicit=explicit, extra=extra)

    def store_series(self, ids: Sequence[str]) -> pd.DataFrame:
        """Stored series by id as a wide frame (dates normalised), read in one session."""
        if not ids:
            return pd.DataFrame()
        wide = self.store.wide(list(ids))
        wide.index = pd.DatetimeIndex(wide.index).normalize()
        return wide

    def health(self) -> pd.DataFrame:
        """Per-series data health: first and last point, points, quarantined and revised counts."""
        return self.store.health()

    def unpublished(self, key: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The latest observation of ``key`` the source holds but has not published yet.

        ``(observation date, release date)``; ``None`` here: a store holds what was published
        (a vintage, cut at an evening, holds back what came out after it).
        """
        return None

    def events(self, table: str) -> pd.DataFrame:
        """An event table (``"auctions"`` or ``"fx_interventions"``), empty when absent."""
        from spillwatch.store import events as ev

        if not ev.has_event_tables(self.store):
            return pd.DataFrame()
        return ev.events(self.store, table)

    def record_end(self, table: str) -> pd.Timestamp | None:
        """The last event date of the store's whole ``table``; None when it holds none.

        What the record covers, whatever evening a view reads (a vintage's too): MOF's
        intervention record is complete through the quarter of its last operation (MOF
        publishes the daily detail a quarter at a time), and unknown after it.
        """
        return last_event(MarketSource.events(self, table), table)

    def record_start(self, table: str) -> pd.Timestamp | None:
        """The first event date of the store's whole ``table``; None when it holds none.

        Whatever evening a view reads, as :meth:`record_end`: when the record begins.
        """
        return first_event(MarketSource.events(self, table), table)

    def close(self) -> None:
        """Close the store if this source opened it."""
        if self.owned:
            self.store.close()

    def __enter__(self) -> MarketSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def last_event(frame: pd.DataFrame, table: str) -> pd.Timestamp | None:
    """The last date of an event table's rows (``frame`` as :meth:`MarketSource.events` gives)."""
    return _event_bound(frame, table, last=True)


def first_event(frame: pd.DataFrame, table: str) -> pd.Timestamp | None:
    """The first date of an event table's rows (``frame`` as :meth:`MarketSource.events` gives)."""
    return _event_bound(frame, table, last=False)


def _event_bound(frame: pd.DataFrame, table: str, *, last: bool) -> pd.Timestamp | None:
    from spillwatch.store import events as ev

    if frame.empty:
        return None
    dates = pd.to_datetime(frame[ev.EVENT_TABLES[table].date_column])
    bound = dates.max() if last else dates.min()
    return None if pd.isna(bound) else pd.Timestamp(bound)


def open_source(source: object = None, *, db: object = None, demo_seed: int | None = None,
                on_file: Callable[[Path, FileReport], None] | None = None,
                read_only: bool = False) -> MarketSource:
    """Open ``source`` (see :func:`spillwatch.load`) and return a :class:`MarketSource`.

    ``read_only`` opens a store file without write access (commands that only read it).

    Raises
    ------
    DataError
        The default store does not exist yet (with the commands that fill it).
    """
    if isinstance(source, MarketSource):
        # the same source, not owned: a subclass keeps what it is (a vintage its publication
        # cut: rebuilt as a plain MarketSource it read the whole store, labelled "as published
        # by 2020-03-18" with 1,601 rows after that day)
        return replace(source, owned=False)
    if isinstance(source, Store):
        return MarketSource(source, f"store {source.path}", owned=False)
    if isinstance(source, str) and source == "demo":
        from spillwatch.data.providers.demo import DEFAULT_SEED, write_demo

        store = Store(str(db) if db is not None else MEMORY)
        try:
            _refuse_real_store(store)
            write_demo(store, seed=DEFAULT_SEED if demo_seed is None else demo_seed)
        except Exception:
            store.close()
            raise
        return MarketSource(store, "demo market (simulated)", simulated=True)
    if source is None:
        path = resolve_db_path(db)
        if not path.exists():
            raise DataError(
                f"no store at {path} yet: fill it with `spillwatch import PATH` (or `spillwatch "
                "fetch` for live data); commands that read market data also take --data PATH "
                "or --demo", path=str(path))
        return _store_source(path, read_only)
    if not isinstance(source, str | os.PathLike):
        # a Series or an array became a "path" of its printed values: "no such file or folder"
        # (or "File name too long") naming the data instead of saying what is expected
        raise DataError(f"a market source is a store (.duckdb), a data folder or file, 'demo', "
                        f"a Store or a MarketSource; got a {type(source).__name__}"
                        + (" (give a DataFrame of series, one column each, where the function "
                           "takes a panel)" if hasattr(source, "to_frame") else ""))
    path = Path(source)
    if path.suffix == ".duckdb":
        if not path.exists():
            raise DataError(f"no store at {path}", path=str(path))
        return _store_source(path, read_only)
    require_path(path)
    fresh = db is not None and not Path(str(db)).expanduser().exists()
    store = Store(str(db) if db is not None else MEMORY)
    try:
        report = import_path(path, store, on_file=on_file)
    except Exception:
        store.close()
        if fresh:       # a refused first import leaves no store behind
            drop_if_empty(Path(str(db)).expanduser())
        raise
    return MarketSource(store, str(path), imported=report)


def _refuse_real_store(store: Store) -> None:
    """Refuse to write the simulated market into a store that holds other data.

    The demo writes the foreign-demand inputs under the real data's ids (``fred:DGS10``,
    ``fred:WMTSECL1``, ...) and fills the auction and intervention tables: written into a
    trader's store it revised real yields with simulated ones, and every later reading of that
    store mixed the two without a word.

    Raises
    ------
    DataError
        The store holds series of another provider than the demo, or auctions or
        interventions of another source (both counted in the message).
    """
    if store.in_memory:
        return
    with store.session():       # one connection for the three reads (each starts DuckDB anew)
        other = store.query("SELECT series_id FROM series WHERE provider <> 'demo' "
                            "ORDER BY series_id")["series_id"].tolist()
        counts = {table: int(store.query(f"SELECT count(*) AS n FROM {table} "
                                         "WHERE source <> 'demo'")["n"].iloc[0])
                  for table in ("auctions", "fx_interventions")}
    held = [f"{len(other)} series of real data (e.g. {', '.join(other[:3])})"] if other else []
    held += [f"{n} {table} rows of real data" for table, n in counts.items() if n]
    if held:
        raise DataError(
            f"--demo would write the simulated market into {store.path}, which holds "
            f"{' and '.join(held)}: give --demo without --db (the demo then lives in memory) "
            "or a --db of its own", path=str(store.path))


def _store_source(path: Path, read_only: bool) -> MarketSource:
    """A store file, labelled simulated when the demo was written into it.

    (``stress --demo --db FILE`` then plain ``risk --db FILE`` printed no word of it.)
    """
    held: list[bool] = []      # read in the session that opens the file (one connection)
    store = Store(path, read_only=read_only, on_open=lambda s: held.append(holds_demo(s)))
    sim = held[0]
    return MarketSource(store, f"store {path}" + (" (the simulated demo market)" if sim else ""),
                        simulated=sim)


def load(source: object = None, *, db: object = None, assets: Sequence[str] | None = None,
         start: object = None, end: object = None,
         transform: Literal["levels", "changes"] = "changes",
         calendar: Literal["business", "every_day"] = "business") -> pd.DataFrame:
    """Return the aligned daily panel of the watch list.

    Parameters
    ----------
    source : None, "demo", str, Path or Store
        ``None``: the store at ``db`` (default ``$SPILLWATCH_DB`` or the user data folder);
        ``"demo"``: the simulated demo market; a folder or CSV file: imported into a temporary
        in-memory store (or into ``db`` when given); a ``.duckdb`` file; or an open ``Store``.
    db : str or Path, optional
        Store file for ``source=None`` or for importing a folder into.
    assets : sequence of str, optional
        Asset keys; default the watch list (those present).
    start, end : date-like, optional
    transform : {"changes", "levels"}
    calendar : {"business", "every_day"}
        ``"business"``: the days of the US markets (the 10-year, the dollar, the S&P 500:
        :data:`spillwatch.data.panel.CALENDAR_ASSETS`) whatever ``assets`` holds, so that an
        asset's changes do not depend on the other assets loaded; another series' moves on
        days off it (gold on a US holiday) roll into the next day of it.

    Returns
    -------
    DataFrame
        See :func:`spillwatch.data.panel.build_panel`.

    Examples
    --------
    >>> import spillwatch as sw
    >>> panel = sw.load("demo", assets=["ust10y", "usd_broad", "btc"])
    >>> list(panel.columns)
    ['ust10y_bp', 'usd_broad_pct', 'btc_pct']
    >>> panel.attrs["simulated"]
    True
    """
    start, end = date_window(start, end)
    src = open_source(source, db=db)
    try:
        # the US markets' days whatever is asked for: an asset's changes are then those of
        # every command's standard panel (gold's prints on US holidays split bitcoin's moves)
        out = src.panel(assets=assets, start=start, end=end, transform=transform,
                        calendar=calendar, calendar_of=CALENDAR_ASSETS)
        if not len(out) and (start is not None or end is not None):
            whole = src.panel(assets=assets, transform=transform, calendar=calendar,
                              calendar_of=CALENDAR_ASSETS)
            span = (f"{whole.index[0]:%Y-%m-%d} to {whole.index[-1]:%Y-%m-%d}" if len(whole)
                    else "no dates")
            lo = "the start" if start is None else f"{start:%Y-%m-%d}"
            hi = "the end" if end is None else f"{end:%Y-%m-%d}"
            raise DataError(f"no data between {lo} and {hi} (the data run {span})")
        return out
    finally:
        src.close()
