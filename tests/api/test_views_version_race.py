"""A request that read the data version just before another's probe saw new data."""

from __future__ import annotations

import sys
import threading
import time

import pandas as pd

from _threads import wait_in
from spillwatch.api.views import Views
from spillwatch.data.source import open_source
from spillwatch.store import Store


def _waits_where(thread: threading.Thread, timeout: float = 10.0) -> str:
    """Where ``thread`` settles: in a store session (its own read) or on the date's lock in
    ``Views.vintage`` (its innermost frame there on 10 polls in a row: waiting, not passing)."""
    deadline, still = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(thread.ident or -1)
        names = []
        while frame is not None:
            names.append(frame.f_code.co_name)
            frame = frame.f_back
        if "session" in names:
            return "for the store"
        still = still + 1 if names[:1] == ["vintage"] else 0
        if still >= 10:
            return "for the date's vintage"
        time.sleep(0.005)
    raise AssertionError(f"{thread.name} settled nowhere")


def test_a_request_that_read_the_old_version_keeps_the_new_context(tmp_path):
    """``Views.context`` compared the current context with the version its own thread had
    read before it waited for the lock: a request that read the old version while another
    request's probe was finding new data (the store revised by the monitor or an import)
    replaced the new context with a workspace named after the old version (the store read
    again, under the lock every request waits on), and the next request replaced that one
    too. Eight threads asking for the context while six revisions landed made three
    workspaces of each version instead of one; the views built on the one of the old name
    were thrown away, and /api/meta named the old version after the new one."""
    store = Store(tmp_path / "s.duckdb")
    src = open_source(store)
    views = Views(src, refresh_s=3600.0)
    old = views.context()
    store.upsert(pd.DataFrame({"series_id": ["csv:X"], "ts": [pd.Timestamp("2024-01-02")],
                               "value": [1.0]}))

    # the prober's store session waits for the store's file lock, held by another handle's
    # session (another process's import or monitor), until the reader has read the old
    # version and waits for the views' lock
    got: dict[str, object] = {}

    def ask(name: str) -> None:
        got[name] = views.context()

    with Store(tmp_path / "s.duckdb").session():
        views.refresh_s = 0.0              # the prober's read is the one that probes
        prober = threading.Thread(target=ask, args=("prober",), name="prober")
        prober.start()
        # waiting in the store's session for <db>.lock, the views' lock held
        wait_in(prober, "session", anywhere=True)
        views.refresh_s = 3600.0           # the reader's read is served without a probe
        reader = threading.Thread(target=ask, args=("reader",), name="reader")
        reader.start()
        wait_in(reader, "context")        # it read the old version; the prober holds the lock
    for t in (prober, reader):
        t.join(30)

    new = views.context()
    assert new.version != old.version
    # before: the reader's context was named after the old version (or replaced the
    # prober's), and the next call built a third workspace
    assert got["reader"] is got["prober"] is new


def test_two_requests_of_one_date_share_its_vintage(tmp_path):
    """A scenario run and a view of the same ``as_of`` asked side by side each built the
    vintage's workspace (on ../shared/data: two vintage workspaces for one date, the store
    read twice, and the run no longer shared the views' panels and fits, which
    ``ScenarioRunner.workspace`` is there for). The first build now holds the date's vintage
    and the second waits for it (up to a second here: the first waits that long for the
    second to start a build of its own, which it no longer can)."""
    import datetime as dt

    src = open_source("demo", db=tmp_path / "d.duckdb")
    views = Views(src, refresh_s=3600.0)
    ctx = views.context()
    when = (ctx.workspace.newest() - pd.Timedelta(days=60)).date()
    assert isinstance(when, dt.date)

    got: dict[str, object] = {}

    def ask(name: str) -> None:
        got[name] = views.vintage(when)

    first = threading.Thread(target=ask, args=("first",), name="first")
    second = threading.Thread(target=ask, args=("second",), name="second")
    # the first build reads the store while another handle's session holds its file lock (an
    # import's, the monitor's): the second request comes meanwhile
    with Store(tmp_path / "d.duckdb").session():
        first.start()
        wait_in(first, "session", anywhere=True)     # its build waits for <db>.lock
        second.start()
        # it waits for the date's vintage (before: it started a build of its own, which
        # waited for the store beside the first)
        assert _waits_where(second) == "for the date's vintage", "the vintage was built twice"
    for t in (first, second):
        t.join(60)
    assert got["first"] is got["second"] is views.vintage(when)
