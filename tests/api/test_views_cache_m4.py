"""The dashboard's view cache: what makes a cached answer stale (new data, a new day), what the
event loop may serve without probing, and the history window of the stress views."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pydantic import BaseModel

from spillwatch.api.views import Views, _last_days
from spillwatch.data.source import open_source
from spillwatch.store import Store


class _Out(BaseModel):
    n: int


def _point(day: str, value: float) -> pd.DataFrame:
    return pd.DataFrame({"series_id": ["csv:X"], "ts": [pd.Timestamp(day)], "value": [value]})


def test_a_new_day_alone_makes_the_views_stale(tmp_path, monkeypatch):
    """The data version includes today's date: freshness notes ("3 days old") change at
    midnight UTC with no new data, so yesterday's cached views must not be served today."""
    import spillwatch.service._today as today

    store = Store(tmp_path / "s.duckdb")
    views = Views(open_source(store), refresh_s=0.0)
    monkeypatch.setattr(today, "today_utc", lambda: dt.date(2025, 4, 9))
    first = views.data_version()
    assert views.data_version() == first
    monkeypatch.setattr(today, "today_utc", lambda: dt.date(2025, 4, 10))
    assert views.data_version() != first


def test_peek_never_serves_an_entry_of_older_data(tmp_path):
    """``peek`` (the event loop's cache read) returns an entry only of the current version.

    After a probe found new data, the old entry is not the answer: the worker-thread ``get``
    rebuilds it. Serving it showed the old figures until the next build.
    """
    store = Store(tmp_path / "s.duckdb")
    store.upsert(_point("2024-01-02", 1.0))
    views = Views(open_source(store), refresh_s=3600.0)
    calls = []

    def build(ctx):
        calls.append(ctx.version)
        return _Out(n=len(calls))

    old = views.get("k", build)
    assert views.peek("k") is old
    store.upsert(_point("2024-01-03", 2.0))
    views._probed = -1e18                  # the probe is due: the next read asks the store
    new_version = views.data_version()
    assert new_version != old.version
    assert views.peek("k") is None
    assert views.get("k", build).body == b'{"n":2}'


def test_the_last_days_of_a_history_include_the_day_a_year_back():
    """``days=365`` keeps the rows from the last date minus 365 days, that day included."""
    idx = pd.date_range("2024-01-01", "2025-04-09", freq="D")
    frame = pd.DataFrame({"v": range(len(idx))}, index=idx)
    got = _last_days(frame, 365)
    assert got.index[0] == pd.Timestamp("2024-04-09") and got.index[-1] == idx[-1]
    assert len(got) == 366
    assert _last_days(frame, 0) is frame


def test_the_vintages_kept_are_the_last_ones_asked_for(tmp_path, monkeypatch):
    """Of the vintages (past evenings' workspaces) the last VINTAGES_KEPT asked for are kept:
    the oldest is let go, not the one just built (which the next request for that evening
    would build again, for seconds, on every click)."""
    import spillwatch.alerts.backtest.vintage as vintage_mod
    from spillwatch.api.views import VINTAGES_KEPT

    built = []
    monkeypatch.setattr(vintage_mod, "vintage_workspace",
                        lambda ws, when, name="as_of": built.append(when) or ws)
    views = Views(open_source(Store(tmp_path / "s.duckdb")), refresh_s=3600.0)
    days = [dt.date(2025, 4, d) for d in range(1, VINTAGES_KEPT + 2)]
    for d in days:
        assert views.vintage(d).as_of == d
    assert built == days
    views.vintage(days[-1])                 # the newest is kept
    views.vintage(days[1])                  # ... and the others but the oldest
    assert built == days
    views.vintage(days[0])                  # the oldest was let go
    assert built == [*days, days[0]]


def test_a_past_evening_s_view_is_rebuilt_on_new_data(tmp_path, monkeypatch):
    """A dated view (``?as_of=``) kept from older data is not served once the data changed: a
    revised print of that evening's data was otherwise never seen by the page of that date."""
    import spillwatch.alerts.backtest.vintage as vintage_mod

    monkeypatch.setattr(vintage_mod, "vintage_workspace", lambda ws, when, name="as_of": ws)
    store = Store(tmp_path / "s.duckdb")
    store.upsert(_point("2024-01-02", 1.0))
    views = Views(open_source(store), refresh_s=3600.0)
    calls = []

    def build(ctx):
        calls.append(ctx.version)
        return _Out(n=len(calls))

    when = dt.date(2024, 1, 2)
    assert views.dated("stress", build, when).body == b'{"n":1}'
    assert views.dated("stress", build, when).body == b'{"n":1}'      # kept
    store.upsert(_point("2024-01-02", 1.5))                            # revised
    views._probed = -1e18
    again = views.dated("stress", build, when)
    assert again.body == b'{"n":2}' and again.version == views.data_version()


def test_a_date_s_line_takes_eight_waiters_beside_its_build(tmp_path, monkeypatch):
    """MAX_DATE_WAITERS (8) requests may wait for a date beside the one building it: the
    request arriving with 1 + 7 inside is served (here: built at once), one with 1 + 8 is told
    busy."""
    import pytest

    import spillwatch.alerts.backtest.vintage as vintage_mod
    from spillwatch.api.views import MAX_DATE_WAITERS, Busy

    monkeypatch.setattr(vintage_mod, "vintage_workspace", lambda ws, when, name="as_of": ws)
    views = Views(open_source(Store(tmp_path / "s.duckdb")), refresh_s=3600.0)
    when = dt.date(2024, 1, 2)
    views._date_inside[when] = MAX_DATE_WAITERS           # the builder and 7 waiters
    assert views.dated("k", lambda ctx: _Out(n=1), when).body == b'{"n":1}'
    views._date_inside[when] = MAX_DATE_WAITERS + 1       # the builder and 8 waiters
    with pytest.raises(Busy, match="8 requests already wait"):
        views.dated("k2", lambda ctx: _Out(n=1), when)
