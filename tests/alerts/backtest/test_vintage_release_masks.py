"""A vintage's cut, computed once per release rule, is each series' own cut (h_speed4).

The auctions' release dates come from one call per tenor (they were one call per row: 926 a
vintage of ../shared/data), and the columns sharing a release rule (TIC's holders, MOF's weekly
lines) from one mask over their dates (they were one each). Both must give what each row's and
each column's own rule gives, the Tokyo and BoJ calendars included, whose holidays are taken
over the span of the dates asked.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest.vintage import (
    VintageSource,
    auction_releases,
    published,
    released_mask,
)
from spillwatch.data.providers.csvfile import SeriesSpec
from spillwatch.data.source import MarketSource
from spillwatch.timing import timing_of

EVENINGS = ("2011-12-28", "2011-12-30", "2012-01-04", "2012-01-05", "2012-03-01", "2019-12-31",
            "2020-01-06", "2020-03-20")


def test_auction_release_dates_are_each_rows_own():
    days = pd.to_datetime(["2019-12-31 13:00", "2020-01-02", "2020-01-02 17:30", "2020-01-15",
                           "2020-02-17", "2020-02-18 01:00", "2020-03-31"], format="ISO8601"
                          ).astype("datetime64[us]")
    frame = pd.DataFrame({"auction_date": days,
                          "tenor": ["10-Year", "2-Year", "10-Year", "30-Year", "2-Year",
                                    "7-Year", "10-Year"]})
    got = auction_releases(frame)
    want = [timing_of(f"auction:{t}").released(d)
            for t, d in zip(frame["tenor"], frame["auction_date"], strict=True)]
    assert list(got) == want
    assert len(auction_releases(frame.iloc[:0])) == 0


@pytest.fixture
def vintage_store(store):
    """TIC holders (one rule, different months), MOF weekly lines across Tokyo's year-end
    closure (two of one span, one of another), BoJ TONA (next BoJ business day) and the H.15
    10-year."""
    specs = {"tic:japan_usd_bn": "monthly", "tic:china_usd_bn": "monthly",
             "mof:weekly_a": "weekly", "mof:weekly_b": "weekly",
             "mof:weekly_c": "weekly", "boj:tona": "daily",
             "fred:DGS10": "daily"}
    store.register_series([SeriesSpec(sid, sid, "x", freq, "rates", sid.split(":")[0],
                                      sid.split(":")[1], False) for sid, freq in specs.items()])
    rows = []
    months = pd.date_range("2011-01-31", "2020-01-31", freq="ME")
    rows += [("tic:japan_usd_bn", d, 1000.0 + i) for i, d in enumerate(months)]
    rows += [("tic:china_usd_bn", d, 1200.0 - i) for i, d in enumerate(months[5::2])]
    weeks = pd.date_range("2011-11-05", "2020-02-29", freq="W-SAT")
    rows += [("mof:weekly_a", d, float(i)) for i, d in enumerate(weeks)]
    rows += [("mof:weekly_b", d, -float(i)) for i, d in enumerate(weeks[10:-3])]
    rows += [("mof:weekly_c", d, 2.0) for d in weeks[::2].append(weeks[-1:])]  # a's span
    days = pd.bdate_range("2011-12-01", "2020-03-31")
    rows += [("boj:tona", d, 0.1) for d in days[::3]]
    rows += [("fred:DGS10", d, 2.0) for d in days]
    store.upsert(pd.DataFrame(rows, columns=["series_id", "ts", "value"]))
    return MarketSource(store, "t", owned=False), list(specs)


@pytest.mark.parametrize("evening", EVENINGS)
def test_a_vintage_keeps_each_series_own_published_values(vintage_store, evening):
    src, ids = vintage_store
    v = VintageSource.of(src, evening)
    got = v.store_series(ids)
    wide = src.store.wide(ids)
    wide.index = pd.DatetimeIndex(wide.index).normalize()
    keep = wide.notna().to_numpy(copy=True)
    for j, sid in enumerate(ids):      # each column by its own rule, over its own dates
        rows = np.flatnonzero(keep[:, j])
        keep[rows, j] = released_mask(sid, wide.index[rows], v.known_by).to_numpy()
    want = wide.where(keep)[keep.any(axis=1)]
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert (published(wide, ids, v.known_by) == keep).all()
