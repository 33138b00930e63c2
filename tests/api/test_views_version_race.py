"""A request that read the data version just before another's probe saw new data."""

from __future__ import annotations

import sys
import threading
import time

import filelock
import pandas as pd

from spillwatch.api.views import Views
from spillwatch.data.source import open_source
from spillwatch.store import Store


def _wait_in(thread: threading.Thread, function: str, timeout: float = 10.0) -> None:
    """Wait until ``thread`` runs (or waits) inside ``function``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(thread.ident or -1)
        if frame is not None and frame.f_code.co_name == function:
            return
        time.sleep(0.005)
    raise AssertionError(f"{thread.name} never reached {function}")


def test_a_request_that_read_the_old_version_keeps_the_new_context(tmp_path, monkeypatch):
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

    # the prober's store session waits (in filelock) until the reader has read the old
    # version and waits for the views' lock
    probing, go_on = threading.Event(), threading.Event()
    acquire = filelock.FileLock.acquire

    def paced(self, *args, **kwargs):
        if threading.current_thread().name == "prober" and not go_on.is_set():
            probing.set()
            go_on.wait(10)
        return acquire(self, *args, **kwargs)

    monkeypatch.setattr(filelock.FileLock, "acquire", paced)
    got: dict[str, object] = {}

    def ask(name: str) -> None:
        got[name] = views.context()

    views.refresh_s = 0.0                  # the prober's read is the one that probes
    prober = threading.Thread(target=ask, args=("prober",), name="prober")
    prober.start()
    assert probing.wait(10)
    views.refresh_s = 3600.0               # the reader's read is served without a probe
    reader = threading.Thread(target=ask, args=("reader",), name="reader")
    reader.start()
    _wait_in(reader, "context")            # it read the old version; the prober holds the lock
    go_on.set()
    for t in (prober, reader):
        t.join(30)

    new = views.context()
    assert new.version != old.version
    # before: the reader's context was named after the old version (or replaced the
    # prober's), and the next call built a third workspace
    assert got["reader"] is got["prober"] is new


def test_two_requests_of_one_date_share_its_vintage(tmp_path, monkeypatch):
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

    first_in, second_in = threading.Event(), threading.Event()
    acquire = filelock.FileLock.acquire

    def paced(self, *args, **kwargs):
        name = threading.current_thread().name
        if name == "first" and not first_in.is_set():
            first_in.set()
            second_in.wait(1)          # the second starts its own build meanwhile (before)
        elif name == "second" and not second_in.is_set():
            second_in.set()
        return acquire(self, *args, **kwargs)

    monkeypatch.setattr(filelock.FileLock, "acquire", paced)
    got: dict[str, object] = {}

    def ask(name: str) -> None:
        if name == "second":
            first_in.wait(10)
        got[name] = views.vintage(when)

    threads = [threading.Thread(target=ask, args=(n,), name=n) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert got["first"] is got["second"] is views.vintage(when)
