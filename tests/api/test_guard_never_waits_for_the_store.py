"""The event loop never waits for the store: a probe due runs in a worker thread."""

from __future__ import annotations

import threading
import time

import filelock
import httpx

from spillwatch.api.app import create_app
from spillwatch.data.source import open_source
from spillwatch.store.duckdb import lock_path


def test_a_read_while_another_process_holds_the_store_does_not_stop_the_server(tmp_path,
                                                                              serve):
    """The guard's fast path (and every ``async`` route) asked ``Views.cached``, which probes
    the store every ``refresh_s`` on the event loop itself: while another process held the
    store (an import's transaction, the monitor's write), that probe waited for the file lock
    up to the store's timeout (10 s), and so did every request of every client, a static file
    included (4.3 s behind a 6 s session on ../shared/data)."""
    db = tmp_path / "d.duckdb"
    src = open_source("demo", db=db)
    app = create_app(src, token="t" * 20, warm=False, refresh_s=0.2, read_limit=None,
                     write_limit=None, token_read_limit=None, token_write_limit=None)
    other = filelock.FileLock(str(lock_path(db)), thread_local=False)
    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/api/health").status_code == 200       # built and cached
        got: dict[str, int] = {}
        reader = threading.Thread(target=lambda: got.setdefault(
            "health", client.get("/api/health").status_code))
        spec = threading.Thread(target=lambda: got.setdefault(
            "openapi", client.get("/openapi.json").status_code))
        other.acquire()                                            # another process's session
        try:
            time.sleep(0.3)                                        # a probe is due
            reader.start()
            time.sleep(0.3)                                        # it waits for the store
            spec.start()
            spec.join(5)
            # before: the event loop waited in the probe, and the spec with it
            assert got.get("openapi") == 200
            assert "health" not in got                             # still waiting, in a thread
        finally:
            other.release()
            for t in (spec, reader):
                t.join(30)
        assert got == {"openapi": 200, "health": 200}
