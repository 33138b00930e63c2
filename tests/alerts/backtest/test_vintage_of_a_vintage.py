"""--as-of on a workspace that is itself a vintage bounds it by that vintage's newest date.

``vintage_workspace`` reads the store's newest date off the new vintage's own read of the
store (h_speed4), except on a vintage, whose newest is of what it had published: an evening
after it is refused as after the newest data, not read from the whole store (h_mut12).
"""
from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import VintageSource, vintage_workspace
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.source import MarketSource
from spillwatch.exceptions import DataError
from spillwatch.service.workspace import Workspace


@pytest.fixture
def src(store):
    store.register_series([SeriesSpec("fred:DGS10", "fred:DGS10", "x", "daily", "rates",
                                      "fred", "DGS10", False)])
    days = pd.bdate_range("2019-06-03", "2020-03-31")
    store.upsert(pd.DataFrame({"series_id": "fred:DGS10", "ts": days, "value": 2.0}))
    return MarketSource(store, "t", owned=False)


def test_an_evening_after_a_vintage_s_newest_is_refused(src):
    whole = Workspace(src)
    assert whole.newest() == pd.Timestamp("2020-03-31")
    outer = vintage_workspace(whole, "2019-12-31")
    assert isinstance(outer.source, VintageSource)
    newest = outer.newest()
    assert newest is not None and newest <= pd.Timestamp("2019-12-31")
    with pytest.raises(DataError, match=f"after the newest data \\({newest:%Y-%m-%d}\\)"):
        vintage_workspace(outer, "2020-02-03")
    # an evening before it is the vintage of that evening
    inner = vintage_workspace(outer, "2019-11-29")
    assert inner.source.known_by == pd.Timestamp("2019-11-29")
    # the store's own source: an evening after its newest is refused by the store's newest
    with pytest.raises(DataError, match="after the newest data \\(2020-03-31\\)"):
        vintage_workspace(whole, "2020-04-02")


def test_the_option_named_for_no_end_is_the_end(src):
    from spillwatch.service._today import end_option

    v = VintageSource.of(src, "2019-12-31")
    assert end_option(v, "2019-12-31") == "--as-of"
    assert end_option(v, None) == "--end"          # no end given: not read as a date
    assert end_option(src, "2019-12-31") == "--end"
