"""Data health and freshness as the product shows them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.data.releases import to_timestamps
from spillwatch.exceptions import DataError
from spillwatch.service.workspace import Workspace

#: The latest levels shown in run summaries and the market section.
LATEST_COLUMNS: tuple[str, ...] = ("ust2y", "ust10y", "ust30y", "usd_broad", "usdjpy", "btc",
                                   "eth", "trump", "vix")


def health_table(ws: Workspace) -> pd.DataFrame:
    """One row per series: first and last point, points, quarantined and revised counts."""
    frame = ws.health()
    cols = ["series_id", "name", "provider", "frequency", "first_ts", "last_ts", "points",
            "quarantined", "revisions"]
    out = frame[cols].copy()
    for c in ("first_ts", "last_ts"):
        out[c] = pd.to_datetime(out[c]).dt.date
    return out.rename(columns={"first_ts": "first point", "last_ts": "last point"})


def summary(ws: Workspace) -> dict[str, Any]:
    """Counts of series, points and quarantined points."""
    t = health_table(ws)
    return {"series": len(t), "points": int(t["points"].sum()),
            "quarantined": int(t["quarantined"].sum())}


def latest_levels(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Last level of each headline asset with its date and unit (``{"ust10y": {...}}``)."""
    out: dict[str, dict[str, Any]] = {}
    raw = ws.raw()
    for key in LATEST_COLUMNS:
        s = raw.series.get(key)
        if s is None or not len(s):
            continue
        a = universe.ASSETS[key]
        out[key] = {"value": float(s.iloc[-1]), "date": s.index[-1].date().isoformat(),
                    "unit": a.unit, "column": a.level_column}
    return out


def as_of(ws: Workspace) -> pd.Timestamp | None:
    """Last date on which at least half of the held watch-list series have a value."""
    keys = ws.have(list(universe.WATCHLIST))
    if not keys:
        return None
    lv = ws.panel(keys, transform="levels")
    if lv.empty:
        return None
    # at least half, rounded up: of 13 series, 6 (the yields, USD/JPY and MOVE) moved the run's
    # date seven weeks past the other seven's last day when TRUMP was left out of the data
    held = int(lv.notna().any().sum())
    filled = lv.notna().sum(axis=1) >= max(1, -(-held // 2))
    return lv.index[filled][-1] if filled.any() else lv.dropna(how="all").index[-1]


def evenings(ws: Workspace) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and the last evening an as-of analysis (``--as-of``, ``as_of``) accepts.

    From the evening the 10-year's first value was published (the analyses need it) to the
    newest data (an evening after it is today's); ``None`` for what the data do not give.
    """
    rel = ws.releases(["ust10y"]).get("ust10y")
    first = (to_timestamps(np.asarray([rel.release.min()]))[0]
             if rel is not None and len(rel.release) else None)
    return first, ws.newest()


def panel(ws: Workspace, assets: list[str] | None = None, *, transform: str = "changes",
          start: object = None, end: object = None) -> pd.DataFrame:
    """The aligned panel as every interface shows it: the watch list's columns.

    Named assets are columns of the watch-list panel (on its calendar, as ``/api/panel``
    serves them and the risk panel aligns a user's series): a panel built on the named assets
    alone has its own calendar, so ``data panel --asset btc`` split bitcoin's move over Martin
    Luther King Day differently from the API (one +1.97 on 01-21 against -1.76 and +3.73).

    Raises
    ------
    DataError
        A named asset the data lack (the message names it), or a window (``start``, ``end``)
        that holds no date of the data (an empty file was written in place of a user's CSV).
    """
    out = _panel(ws, assets, transform, start, end)
    if (start is not None or end is not None) and not out.notna().any(axis=None):
        require_dates(out, _panel(ws, assets, transform, None, None), start, end)
    return out


def require_dates(window: pd.DataFrame, whole: pd.DataFrame, start: object, end: object
                  ) -> None:
    """Refuse a window (``start``, ``end``) of a panel that holds no value of it.

    Raises
    ------
    DataError
        The window holds no value; the message names the data's span.
    """
    if (start is None and end is None) or window.notna().any(axis=None):
        return
    held = whole.index[whole.notna().any(axis=1)]
    span = (f"its data run from {held[0]:%Y-%m-%d} to {held[-1]:%Y-%m-%d}" if len(held)
            else "it has no data")
    when = (f"from {_day(start)} to {_day(end)}" if start is not None and end is not None
            else f"from {_day(start)} on" if start is not None else f"up to {_day(end)}")
    raise DataError(f"the panel has no date {when} ({span})")


def _day(value: object) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"  # type: ignore[arg-type]


def _panel(ws: Workspace, assets: list[str] | None, transform: str, start: object,
           end: object) -> pd.DataFrame:
    t = "levels" if transform == "levels" else "changes"
    if assets is None:
        return ws.panel(transform=t, start=start, end=end)  # type: ignore[arg-type]
    named = list(dict.fromkeys(assets))
    ws.panel(named, transform=t, start=start, end=end, explicit=True)  # type: ignore[arg-type]
    every = list(dict.fromkeys([*ws.have(list(universe.WATCHLIST)), *named]))
    frame = ws.panel(every, transform=t, start=start, end=end)  # type: ignore[arg-type]
    cols = []
    for k in named:
        a = universe.ASSETS.get(k) or ws.user_asset(k)
        cols.append(a.level_column if t == "levels" else a.change_column)
    out = frame[[c for c in cols if c in frame.columns]]
    # the watch list's calendar runs from its oldest series (1927): rows before the named
    # assets' first value and after their last carry nothing of theirs
    held = out.notna().any(axis=1).to_numpy()
    if held.any():
        out = out.iloc[int(held.argmax()):len(held) - int(held[::-1].argmax())]
    out.attrs.update(frame.attrs)
    return out
