"""A new data version lets the server's past evenings of the old one go (h_mut22).

A past evening reads what the store holds whatever the evening on the workspace it was made
from (:meth:`~spillwatch.service.workspace.Workspace.store_memo`), so it keeps that workspace,
and every view computed on it, alive. The server kept the last evenings asked, of any data
version, though one of an older version is never served again: after a fetch (or at midnight
UTC, the day being part of the version) the old whole-store workspace stayed in memory until
four later evenings had been asked (about 30 MB of the real store's with four views).
"""

from __future__ import annotations

import gc
import weakref

import pandas as pd

from spillwatch.api.views import Views
from spillwatch.data.source import open_source


def test_a_new_data_version_lets_the_old_evenings_go():
    src = open_source("demo")
    try:
        views = Views(src, refresh_s=0.0)
        old = views.context()
        day = (old.workspace.newest() - pd.Timedelta(days=30)).date()
        night = views.vintage(day)
        assert night.workspace.whole is old.workspace and views.vintage(day) is night
        whole, evening = weakref.ref(old.workspace), weakref.ref(night.workspace)
        del old, night
        sid = "demo:btc"
        last = src.store.observations([sid])["ts"].max()
        # a revised last point: a new version of the data
        src.store.upsert(pd.DataFrame({"series_id": [sid], "ts": [pd.Timestamp(last)],
                                       "value": [123_456.0]}))
        new = views.context()
        gc.collect()
        assert whole() is None and evening() is None
        # the evening asked again is the new version's, read on the new workspace
        again = views.vintage(day)
        assert again.version == new.version and again.workspace.whole is new.workspace
        assert again.workspace.series_of("btc").index[-1] <= pd.Timestamp(day)
    finally:
        src.close()
