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


def test_a_new_day_alone_makes_the_views_stale(tmp_path):
    """The data version includes today's date: freshness notes ("3 days old") change at
    midnight UTC with no new data, so yesterday's cached views must not be served today.
    Today is moved by the project's own clock hook (``replay_day``, what ``run --as-of`` uses)."""
    from spillwatch.service._today import replay_day

    store = Store(tmp_path / "s.duckdb")
    views = Views(open_source(store), refresh_s=0.0)
    with replay_day(dt.date(2025, 4, 9)):
        first = views.data_version()
        assert views.data_version() == first
        assert first.endswith("@2025-04-09")
    with replay_day(dt.date(2025, 4, 10)):
        assert views.data_version() != first
        assert views.data_version().endswith("@2025-04-10")


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
