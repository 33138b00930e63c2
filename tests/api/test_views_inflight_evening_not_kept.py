"""A past evening of the old data version, built while a new version came, is not kept.

:meth:`Views.context` lets the past evenings of an older data version go when it makes the
new version's workspace (04203dd), but an evening whose build was in flight then (it had read
the old context, and waited for the store) was put back after the purge, holding the old
whole-store workspace and every view on it until four later evenings had been asked.
"""

from __future__ import annotations

import gc
import threading
import weakref

import pandas as pd

from _threads import wait_in
from spillwatch.api.views import Views
from spillwatch.data.source import open_source


def test_an_evening_in_flight_across_a_new_version_is_served_not_kept():
    src = open_source("demo")
    try:
        views = Views(src, refresh_s=3600.0)
        old = views.context()
        day = (old.workspace.newest() - pd.Timedelta(days=30)).date()
        whole = weakref.ref(old.workspace)
        got: dict[str, object] = {}

        def ask() -> None:
            got["night"] = views.vintage(day)

        asker = threading.Thread(target=ask, name="asker")
        # this thread's session holds the store's handle: the asker, which has read the old
        # context, waits for the store inside its evening's build
        with src.store.session():
            asker.start()
            wait_in(asker, "session", anywhere=True)
            sid = "demo:btc"
            last = src.store.observations([sid])["ts"].max()
            src.store.upsert(pd.DataFrame({"series_id": [sid], "ts": [pd.Timestamp(last)],
                                           "value": [123_456.0]}))
            views.refresh_s = 0.0          # the next read probes and finds the new version
            new = views.context()
            views.refresh_s = 3600.0
        asker.join(60)
        assert not asker.is_alive()
        night = got.pop("night")
        # the request in flight is answered on the version it began with
        assert night.version == old.version != new.version
        assert night.workspace.whole is old.workspace
        assert night.workspace.series_of("btc").index[-1] <= pd.Timestamp(day)
        del old, night
        gc.collect()
        # before: the in-flight evening was kept after the purge, and the old workspace with it
        assert whole() is None
        again = views.vintage(day)
        assert again.version == new.version and again.workspace.whole is new.workspace
    finally:
        src.close()
