"""Event tables of the store: Treasury auctions and Japan's FX interventions.

Events are not daily series: several note/bond auctions can share a date (a 3-year and a
10-year reopening on the same day), and Japan's MOF intervened in two currency pairs on some days.
Stored as series they would collide on ``(series_id, ts)``; here each event is one row keyed by
what identifies it, and a re-import or re-fetch of the same event is *unchanged*, a changed one
*revised* (its old values kept in ``event_revisions``), a new one *stored*.

Tables (created with the rest of the schema, :mod:`spillwatch.store._schema`)
------------------------------------------------------------------------------
``auctions``           one row per auction, key ``(auction_date, cusip)``: ``tenor`` (original
                       term, ``"10-Year"``), ``term`` (remaining term, ``"9-Year 10-Month"``),
                       ``reopening``, ``security_type`` (``Note``/``Bond``; NULL when the source
                       does not say), ``size_bn`` (offering, USD bn), ``high_yield`` and
                       ``median_yield`` (percent), ``bid_to_cover``, ``dealer_pct`` /
                       ``direct_pct`` / ``indirect_pct`` (shares of competitive accepted, summing
                       to 100), ``dispersion_bp`` = (high − median) × 100.
``fx_interventions``   one row per intervention, key ``(intervention_date, currency_pair,
                       direction)``: ``currency_pair`` (``USD/JPY``), ``direction``
                       (``sell_USD_buy_JPY`` = yen support, funded by selling dollar assets),
                       ``amount_jpy_bn`` (billion yen).
``event_revisions``    the old and new values (JSON) each time a stored event changed.

Every event row also keeps ``source`` (file or URL), ``line`` and ``run_id``. Timestamps and dates
are naive UTC like the rest of the store. Timing of the events (publication lags) is in
:mod:`spillwatch.timing` under the ids ``auction:<tenor>`` and ``mof:intervention``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from spillwatch.exceptions import StoreError
from spillwatch.store.duckdb import Store, UpsertCounts


@dataclass(frozen=True)
class EventTable:
    """Layout of one event table: its key, its value columns (typed) and its date column."""

    name: str
    key: tuple[str, ...]
    text: tuple[str, ...]
    boolean: tuple[str, ...]
    numeric: tuple[str, ...]
    date_column: str

    @property
    def columns(self) -> tuple[str, ...]:
        """Every data column, in table order (without ``source``, ``line``, ``run_id``)."""
        out = [self.date_column]
        for c in (*self.key, *self.text, *self.boolean, *self.numeric):
            if c not in out:
                out.append(c)
        return tuple(out)


AUCTIONS = EventTable(
    "auctions", key=("auction_date", "cusip"), text=("tenor", "term", "security_type"),
    boolean=("reopening",),
    numeric=("size_bn", "high_yield", "median_yield", "bid_to_cover", "dealer_pct", "direct_pct",
             "indirect_pct", "dispersion_bp"),
    date_column="auction_date")
FX_INTERVENTIONS = EventTable(
    "fx_interventions", key=("intervention_date", "currency_pair", "direction"),
    text=(), boolean=(), numeric=("amount_jpy_bn",), date_column="intervention_date")

#: ``meta`` key: when MOF's intervention file was last fetched whole (ISO time, naive UTC);
#: it holds every quarter MOF had detailed by then, a quarter without operations as no row.
INTERVENTIONS_FETCHED = "fetched:fx_interventions"
#: Every event table by name.
EVENT_TABLES: dict[str, EventTable] = {t.name: t for t in (AUCTIONS, FX_INTERVENTIONS)}
#: Relative tolerance under which a re-read number is the same number (float round trips).
REL_TOL = 1e-9


def _table(name: str) -> EventTable:
    try:
        return EVENT_TABLES[name]
    except KeyError:
        raise StoreError(f"unknown event table {name!r}; choose one of "
                         f"{', '.join(EVENT_TABLES)}") from None


def has_event_tables(store: Store) -> bool:
    """Whether the store file has the event tables (an old read-only store may not)."""
    got = store.query("SELECT count(*) AS n FROM information_schema.tables "
                      "WHERE table_name = 'fx_interventions' "
                      "AND table_catalog = current_database()")
    return bool(got["n"].iloc[0])


def _same(a: Any, b: Any) -> bool:
    a_na = a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA
    b_na = b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    if a_na or b_na:
        return a_na and b_na
    if isinstance(a, int | float) and not isinstance(a, bool) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-12)
    return bool(a == b)


def _jsonable(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp | dt.date):
        return v.isoformat()[:10]
    if hasattr(v, "item"):
        return v.item()
    return v


def upsert_events(store: Store, table: str, frame: pd.DataFrame, *, run_id: int | None = None,
                  con: duckdb.DuckDBPyConnection | None = None) -> UpsertCounts:
    """Insert new events, update changed ones (old values kept in ``event_revisions``).

    Parameters
    ----------
    store : Store
    table : str
        ``"auctions"`` or ``"fx_interventions"``.
    frame : DataFrame
        The table's columns (see the module notes) plus ``source`` and ``line``; unique on the
        key (the caller resolves duplicates first).
    run_id : int, optional
    con : connection, optional
        An open transaction to join (default: one of its own).

    Returns
    -------
    UpsertCounts
        New, changed and equal events.
    """
    spec = _table(table)
    if frame.empty:
        return UpsertCounts()
    cols = list(spec.columns)
    batch = frame[[*cols, "source", "line"]].copy()
    batch[spec.date_column] = pd.to_datetime(batch[spec.date_column]).dt.date
    for col in spec.numeric:
        batch[col] = pd.to_numeric(batch[col], errors="coerce").astype("float64")
    for col in (*spec.text, "source"):
        batch[col] = batch[col].astype(object).where(batch[col].notna(), None)
    for col in spec.key:
        if col != spec.date_column:
            batch[col] = batch[col].astype(str)
    batch["line"] = pd.array(batch["line"], dtype="Int64")
    batch["run_id"] = run_id
    if batch.duplicated(list(spec.key)).any():
        raise StoreError(f"{table}: the batch repeats an event key; resolve duplicates first")
    keys = " AND ".join(f"t.{k} = b.{k}" for k in spec.key)
    with store._maybe_tx(con) as c:
        c.register("_ev_batch", batch)
        old = c.execute(f"SELECT t.* FROM {table} t JOIN _ev_batch b ON {keys}").df()
        if old.empty:
            c.execute(f"INSERT INTO {table} ({', '.join([*cols, 'source', 'line', 'run_id'])}) "
                      f"SELECT {', '.join([*cols, 'source', 'line', 'run_id'])} FROM _ev_batch")
            c.unregister("_ev_batch")
            return UpsertCounts(len(batch), 0, 0)
        c.unregister("_ev_batch")
        old[spec.date_column] = pd.to_datetime(old[spec.date_column]).dt.date
        for k in spec.key:
            if k != spec.date_column:
                old[k] = old[k].astype(str)
        merged = batch.merge(old, on=list(spec.key), how="left", suffixes=("", "__old"),
                             indicator=True)
        is_new = (merged["_merge"] == "left_only").to_numpy()
        value_cols = [x for x in cols if x not in spec.key]
        # a field the new answer leaves empty keeps its stored value (as a FRED "." keeps a
        # stored point): one "null" bid-to-cover from the auctions API blanked the stored
        # ratio and the three bidder shares, the indirect one the foreign-demand signal
        for x in value_cols:
            gone = ~is_new & merged[x].isna().to_numpy() & merged[f"{x}__old"].notna().to_numpy()
            if gone.any():
                merged[x] = merged[x].astype(object).where(~gone, merged[f"{x}__old"])
        changed = []
        for i, row in enumerate(merged.itertuples(index=False)):
            if is_new[i]:
                continue
            r = row._asdict()
            diff = [x for x in value_cols if not _same(r[x], r[f"{x}__old"])]
            if diff:
                changed.append(i)
        new_rows = batch[is_new]
        if len(new_rows):
            c.register("_ev_new", new_rows)
            c.execute(f"INSERT INTO {table} ({', '.join([*cols, 'source', 'line', 'run_id'])}) "
                      f"SELECT {', '.join([*cols, 'source', 'line', 'run_id'])} FROM _ev_new")
            c.unregister("_ev_new")
        if changed:
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            revs = []
            for i in changed:
                r = merged.iloc[i]
                key = json.dumps({k: _jsonable(r[k]) for k in spec.key})
                revs.append({"table_name": table, "event_key": key,
                             "old_values": json.dumps({x: _jsonable(r[f"{x}__old"])
                                                       for x in value_cols}),
                             "new_values": json.dumps({x: _jsonable(r[x]) for x in value_cols}),
                             "revised_at": now, "run_id": run_id})
            c.register("_ev_rev", pd.DataFrame(revs))
            c.execute("INSERT INTO event_revisions SELECT table_name, event_key, old_values, "
                      "new_values, revised_at, run_id FROM _ev_rev")
            c.unregister("_ev_rev")
            upd = merged.iloc[changed][[*cols, "source", "line", "run_id"]].copy()
            for col in spec.numeric:
                upd[col] = pd.to_numeric(upd[col], errors="coerce").astype("float64")
            upd["line"] = pd.array(upd["line"], dtype="Int64")
            c.register("_ev_upd", upd)
            sets = ", ".join(f"{x} = b.{x}" for x in [*value_cols, "source", "line", "run_id"])
            c.execute(f"UPDATE {table} t SET {sets} FROM _ev_upd b WHERE {keys}")
            c.unregister("_ev_upd")
    n_new, n_changed = int(is_new.sum()), len(changed)
    return UpsertCounts(n_new, n_changed, len(batch) - n_new - n_changed)


def events(store: Store, table: str, *, start: Any = None, end: Any = None) -> pd.DataFrame:
    """Return the stored events of ``table`` (oldest first), optionally between two dates."""
    spec = _table(table)
    if not has_event_tables(store):
        return pd.DataFrame(columns=[*spec.columns, "source", "line", "run_id"])
    sql = f"SELECT * FROM {table} WHERE 1=1"
    params: list[Any] = []
    if start is not None:
        sql += f" AND {spec.date_column} >= ?"
        params.append(pd.Timestamp(start).date())
    if end is not None:
        sql += f" AND {spec.date_column} <= ?"
        params.append(pd.Timestamp(end).date())
    frame = store.query(sql + f" ORDER BY {', '.join(spec.key)}", params)
    frame[spec.date_column] = pd.to_datetime(frame[spec.date_column]).astype("datetime64[us]")
    return frame


def auctions(store: Store, *, start: Any = None, end: Any = None,
             tenors: Sequence[str] | None = None) -> pd.DataFrame:
    """Treasury note/bond auctions (one row each), optionally of some original tenors only.

    Parameters
    ----------
    store : Store
    start, end : date-like, optional
        Auction dates to keep (inclusive).
    tenors : sequence of str, optional
        Original terms such as ``["10-Year", "30-Year"]`` (reopenings included).

    Returns
    -------
    DataFrame
        Columns ``auction_date`` (datetime64), ``cusip``, ``tenor``, ``term``, ``reopening``,
        ``security_type``, ``size_bn``, ``high_yield``, ``median_yield``, ``bid_to_cover``,
        ``dealer_pct``, ``direct_pct``, ``indirect_pct``, ``dispersion_bp``, ``source``,
        ``line``, ``run_id``; sorted by date then CUSIP.
    """
    frame = events(store, "auctions", start=start, end=end)
    if tenors is not None:
        frame = frame[frame["tenor"].isin(list(tenors))].reset_index(drop=True)
    return frame


def fx_interventions(store: Store, *, start: Any = None, end: Any = None) -> pd.DataFrame:
    """Japan's FX interventions (one row per day, pair and direction), oldest first.

    Returns
    -------
    DataFrame
        Columns ``intervention_date`` (datetime64), ``currency_pair``, ``direction``,
        ``amount_jpy_bn``, ``source``, ``line``, ``run_id``.
    """
    return events(store, "fx_interventions", start=start, end=end)


def last_event_dates(store: Store) -> dict[str, pd.Timestamp]:
    """The date of the newest stored event of each event table that has one."""
    out: dict[str, pd.Timestamp] = {}
    if not has_event_tables(store):
        return out
    for spec in EVENT_TABLES.values():
        got = store.query(f"SELECT max({spec.date_column}) AS d FROM {spec.name}")["d"].iloc[0]
        if got is not None and not pd.isna(got):
            out[spec.name] = pd.Timestamp(got)
    return out


def event_revisions(store: Store, table: str | None = None) -> pd.DataFrame:
    """The revision history of events (optionally of one table), oldest first."""
    if not has_event_tables(store):
        return pd.DataFrame(columns=["table_name", "event_key", "old_values", "new_values",
                                     "revised_at", "run_id"])
    if table is None:
        return store.query("SELECT * FROM event_revisions ORDER BY revised_at")
    _table(table)
    return store.query("SELECT * FROM event_revisions WHERE table_name = ? ORDER BY revised_at",
                       [table])
