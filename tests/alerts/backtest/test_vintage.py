"""The data as published by a day: each series only from its release date (spillwatch.timing)."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch import universe
from spillwatch.alerts.backtest import VintageSource
from spillwatch.data.providers.shared import layout_of
from spillwatch.data.source import open_source
from spillwatch.exceptions import DataError
from spillwatch.timing import timing_of


@pytest.fixture(scope="module")
def src(lagged_db):
    s = open_source(str(lagged_db), read_only=True)
    yield s
    s.close()


def last(src, day, key):
    raw = VintageSource.of(src, day).read_series([key])
    return raw.series[key].index[-1]


def test_release_calendars(src):
    thu = pd.Timestamp("2025-03-13")                     # a Thursday
    # H.10 (broad dollar): the week to Friday 03-07 came out on Monday 03-10
    assert last(src, thu, "usd_broad") == pd.Timestamp("2025-03-07")
    assert last(src, pd.Timestamp("2025-03-07"), "usd_broad") == pd.Timestamp("2025-02-28")
    # St. Louis Fed index: Friday 03-07 published on Thursday 03-13, not before
    assert last(src, thu, "stlfsi") == pd.Timestamp("2025-03-07")
    assert last(src, thu - pd.Timedelta(days=1), "stlfsi") == pd.Timestamp("2025-02-28")
    # custody: Wednesday 03-12 published Thursday 03-13
    assert last(src, thu, "custody") == pd.Timestamp("2025-03-12")
    assert last(src, thu - pd.Timedelta(days=1), "custody") == pd.Timestamp("2025-03-05")
    # OFR FSI two business days (Tuesday's on Thursday, Friday's on Tuesday); the ECB CISS on
    # the Monday after its week (Friday 03-07 on Monday 03-10, not Thursday 03-06's a week on)
    assert last(src, thu, "ofr_fsi") == pd.Timestamp("2025-03-11")
    assert last(src, pd.Timestamp("2025-03-10"), "ofr_fsi") == pd.Timestamp("2025-03-06")
    assert last(src, pd.Timestamp("2025-03-11"), "ofr_fsi") == pd.Timestamp("2025-03-07")
    assert last(src, thu, "ecb_ciss") == pd.Timestamp("2025-03-07")
    assert last(src, pd.Timestamp("2025-03-09"), "ecb_ciss") == pd.Timestamp("2025-02-28")
    # crypto the same day
    assert last(src, thu, "btc") == thu


def test_the_par_curve_stands_in_for_h15(src):
    full = src.read_series(["ust10y"]).series["ust10y"]
    par = src.store.wide(["treasury:yield_10y_pct"])["treasury:yield_10y_pct"].dropna()
    day = par.index[-10]
    raw = VintageSource.of(src, day).read_series(["ust10y"])
    # FRED publishes the day's 10-year the next day; the Treasury's par curve the same evening
    assert raw.series["ust10y"].index[-1] == day
    assert raw.sources["ust10y"] == ["fred:DGS10", "treasury:yield_10y_pct"]
    after = full.index[full.index > par.index[-1]][5]
    assert VintageSource.of(src, after).read_series(["ust10y"]).series["ust10y"].index[-1] \
        < after


def test_nothing_published_yet(src):
    with pytest.raises(DataError, match="published by 1990-01-02"):
        VintageSource.of(src, "1990-01-02").read_series(["ust10y"])


def test_ecb_ciss_is_the_ecbs_series_with_the_ecbs_lag(tmp_path):
    assert timing_of("ofr:ciss") == timing_of("ecb:ciss")
    assert timing_of("ofr:ciss").weekday == 0 and timing_of("ofr:ciss").target_days
    assert timing_of("ofr:ofr_fsi").lag_days == 2 and timing_of("ofr:ofr_fsi").business_lag
    assert universe.ASSETS["ecb_ciss"].sources == ("ecb:ciss", "ofr:ciss")
    (tmp_path / "stress").mkdir()
    f = tmp_path / "stress" / "ecb_ciss_daily.csv"
    f.write_text("date,ciss\n")
    assert layout_of(f).provider == "ecb"
