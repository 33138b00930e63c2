"""Synchronous sampling: block changes equal the change of the levels over the block.

Reference: levels simulated on a business calendar with holidays (and crypto every day), turned
into daily changes the way the panel does (change from the previous available value), then block
changes taken straight from the levels at the block ends. Tolerance 1e-9 (sums of floats).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.analytics.connectedness import asynchrony, sampling_hours, synchronous_changes
from spillwatch.analytics.connectedness._sampling import EPOCH, block_ids
from spillwatch.exceptions import ConfigError, DataError


def levels_and_changes(rng, *, days=400, holidays=12):
    """Daily levels of a yield (bp) and a price (log %) with holidays; changes as the panel."""
    dates = pd.bdate_range("2021-03-01", periods=days, name="date")
    closed = rng.choice(np.arange(5, days - 5), holidays, replace=False)
    ylevel = pd.Series(np.cumsum(rng.normal(0, 0.05, days)) + 2.0, dates)
    plevel = pd.Series(np.exp(np.cumsum(rng.normal(0, 0.03, days))) * 100, dates)
    ylevel.iloc[closed] = np.nan  # the rates market is closed on those days
    ych = 100 * ylevel.dropna().diff()
    pch = 100 * np.log(plevel).diff()
    changes = pd.DataFrame({"ust10y_bp": ych.reindex(dates), "btc_pct": pch})
    return changes, ylevel, plevel


def block_change_from_levels(level, ends, log):
    """Change of ``level`` between consecutive block ends (last value at or before each end)."""
    at = level.dropna().reindex(level.index).ffill().loc[ends]
    vals = 100 * np.log(at) if log else 100 * at
    return vals.diff().iloc[1:]


@pytest.mark.parametrize("sampling", ["two_day", "weekly"])
def test_block_sums_equal_level_changes(rng, sampling):
    changes, ylevel, plevel = levels_and_changes(rng)
    out = synchronous_changes(changes, sampling=sampling)
    ends = out.index
    ref_p = block_change_from_levels(plevel, ends, log=True)
    np.testing.assert_allclose(out["btc_pct"].iloc[1:], ref_p, atol=1e-9)
    ref_y = block_change_from_levels(ylevel, ends, log=False)
    have = out["ust10y_bp"].iloc[1:].notna()
    np.testing.assert_allclose(out["ust10y_bp"].iloc[1:][have], ref_y[have], atol=1e-9)
    # a yield block is NaN exactly when the market was closed on the block's last row
    closed_at_end = ylevel.reindex(ends).isna()
    assert (out["ust10y_bp"].isna() == closed_at_end).all()


def test_blocks_are_fixed_on_the_calendar(rng):
    changes, *_ = levels_and_changes(rng)
    for sampling in ("two_day", "weekly"):
        full = synchronous_changes(changes, sampling=sampling)
        part = synchronous_changes(changes.iloc[:-37], sampling=sampling)
        # adding days never moves a past block (no look-ahead in the sampling)
        pd.testing.assert_frame_equal(full.loc[: part.index[-1]], part, check_freq=False)


def test_two_day_pairs_and_weekly_weeks():
    dates = pd.bdate_range("2024-01-01", "2024-02-29", name="date")
    ids, starts, ends = block_ids(dates, "two_day")
    lo = ids.min()
    for d, b in zip(dates, ids, strict=True):
        assert starts[b - lo] <= d <= ends[b - lo]
        assert np.busday_count(starts[b - lo].date(), ends[b - lo].date()) == 1
    assert np.busday_count(EPOCH, np.datetime64(starts[0].date(), "D")) % 2 == 0
    ids, starts, ends = block_ids(dates, "weekly")
    assert (ends.day_of_week == 4).all() and (starts.day_of_week == 0).all()
    # Saturday and Sunday join the block of the following Monday (two-day) / of the next
    # Friday's week (weekly)
    weekend = pd.DatetimeIndex(["2024-01-06", "2024-01-07", "2024-01-08"])
    assert len(set(block_ids(weekend, "two_day")[0])) == 1
    assert len(set(block_ids(weekend, "weekly")[0])) == 1


def test_incomplete_edge_blocks_are_dropped():
    idx = pd.bdate_range("2024-01-03", "2024-01-24", name="date")  # Wed .. Wed
    ch = pd.DataFrame({"x_bp": 1.0}, index=idx)
    weekly = synchronous_changes(ch, sampling="weekly")
    assert list(weekly.index.day) == [12, 19]  # the part-weeks at both ends are dropped
    assert (weekly["x_bp"] == 5.0).all()
    assert np.datetime_as_string(weekly.attrs["synchronous"]["block_end"]).tolist() == [
        "2024-01-12", "2024-01-19"]


def test_long_missing_runs_make_blocks_nan():
    idx = pd.bdate_range("2024-01-01", periods=30, name="date")  # six weeks, Mon .. Fri
    ch = pd.DataFrame({"x_bp": 1.0, "y_pct": 1.0}, index=idx)
    ch.iloc[8:13, 0] = np.nan  # five rows missing (weeks 2-3): a gap no change bridges
    ch.iloc[16, 1] = np.nan  # a one-day holiday mid-week: the next change carries its move
    weekly = synchronous_changes(ch, sampling="weekly")
    assert weekly["x_bp"].isna().tolist() == [False, True, True, False, False, False]
    assert weekly["y_pct"].tolist() == [5.0, 5.0, 5.0, 4.0, 5.0, 5.0]
    # allowed as a closed market, x has no close from Thursday of week 2 to Wednesday of week
    # 3: week 2 ends on its last common close (Wednesday 01-10) and the rows x missed join
    # week 3 for both series (each change of week 3 then runs from that Wednesday's close)
    loose = synchronous_changes(ch, sampling="weekly", max_missing_run=5)
    assert [str(d)[:10] for d in loose.index[:3]] == ["2024-01-05", "2024-01-10", "2024-01-19"]
    assert loose["x_bp"].tolist() == [5.0, 3.0, 2.0, 5.0, 5.0, 5.0]
    assert loose["y_pct"].tolist() == [5.0, 3.0, 7.0, 4.0, 5.0, 5.0]
    assert [str(d)[:10] for d in loose.attrs["synchronous"]["block_start"]][1] == "2024-01-08"


def test_a_holiday_at_a_blocks_end_joins_the_next_block_for_every_asset():
    # the day after Thanksgiving 2020 (Friday 11-27) ends a two-day block; the dollar has no
    # close that day. The block was dropped and the next one then ran the dollar from Wednesday
    # and bitcoin from Friday: now the two blocks are one, for both
    idx = pd.bdate_range("2020-11-23", "2020-12-04", name="date")
    ch = pd.DataFrame({"usd_pct": 1.0, "btc_pct": 10.0}, index=idx)
    ch.loc["2020-11-26":"2020-11-27", "usd_pct"] = np.nan   # Thanksgiving and the Friday
    ch.loc["2020-11-30", "usd_pct"] = 3.0                    # Monday carries Wed -> Mon
    two = synchronous_changes(ch, sampling="two_day")
    sync = two.attrs["synchronous"]
    at = list(two.index).index(pd.Timestamp("2020-12-01"))
    assert str(sync["block_start"][at])[:10] == "2020-11-26"
    assert two["usd_pct"].iloc[at] == 4.0 and two["btc_pct"].iloc[at] == 40.0
    assert not two.isna().any().any()


def test_every_day_calendar_gives_the_business_day_weeks(rng):
    days = pd.date_range("2023-01-02", periods=140, freq="D", name="date")
    price = pd.Series(np.exp(np.cumsum(rng.normal(0, 0.02, 140))) * 50, days)
    every = pd.DataFrame({"btc_pct": 100 * np.log(price).diff()})
    bdays = days[days.day_of_week < 5]
    business = pd.DataFrame({"btc_pct": 100 * np.log(price.reindex(bdays)).diff()})
    a = synchronous_changes(every, sampling="weekly")["btc_pct"]
    b = synchronous_changes(business, sampling="weekly")["btc_pct"]
    common = a.index.intersection(b.index)
    assert len(common) >= 15
    np.testing.assert_allclose(a.loc[common], b.loc[common], atol=1e-9)


def test_daily_is_a_copy_and_errors_say_what():
    idx = pd.bdate_range("2024-01-01", periods=10, name="date")
    ch = pd.DataFrame({"x_bp": np.arange(10.0)}, index=idx)
    same = synchronous_changes(ch, sampling="daily")
    pd.testing.assert_frame_equal(same, ch)
    assert same is not ch
    with pytest.raises(ConfigError, match="'two_day'"):
        synchronous_changes(ch, sampling="fortnightly")
    with pytest.raises(DataError, match="indexed by date"):
        synchronous_changes(ch.reset_index(drop=True), sampling="weekly")
    with pytest.raises(DataError, match="no complete weekly block"):
        synchronous_changes(ch.iloc[2:5], sampling="weekly")


def test_daily_merges_a_holiday_into_the_next_day_so_every_change_spans_the_same_time(rng):
    # levels on every weekday; x closed on day 7 (its next change spans two days), y never
    idx = pd.bdate_range("2024-03-04", periods=20, name="date")
    lx = pd.Series(np.cumsum(rng.normal(size=20)), idx)
    ly = pd.Series(np.cumsum(rng.normal(size=20)), idx)
    ch = pd.DataFrame({"x_bp": lx.drop(idx[7]).diff().reindex(idx), "y_pct": ly.diff()})
    ch.iloc[12:16, 1] = np.nan                    # a four-day outage of y: a gap, not a holiday
    daily = synchronous_changes(ch, sampling="daily")
    assert idx[7] not in daily.index and daily.notna().all().all()
    # day 8's changes run from day 6's close for both columns
    assert daily.loc[idx[8], "y_pct"] == pytest.approx(ly.iloc[8] - ly.iloc[6])
    assert daily.loc[idx[8], "x_bp"] == pytest.approx(lx.iloc[8] - lx.iloc[6])
    # the outage: its rows and the row that closes it are dropped (y's move over it is lost)
    assert not set(idx[12:17]) & set(daily.index)
    assert idx[17] in daily.index
    # each kept change is the level change since the previous kept row
    prev = daily.index.to_series().shift()
    for d in daily.index[1:]:
        if d in (idx[17],):
            continue
        assert daily.loc[d, "y_pct"] == pytest.approx(ly[d] - ly[prev[d]])


def test_sampling_hours_and_asynchrony_from_the_universe():
    frame = pd.DataFrame(columns=["ust10y_bp", "usd_broad_pct", "btc_pct", "mystery"])
    hours = sampling_hours(frame)
    assert hours == {"ust10y_bp": 21.0, "usd_broad_pct": 17.0, "btc_pct": 24.0,
                     "mystery": None}
    known = frame[["ust10y_bp", "usd_broad_pct", "btc_pct"]]
    for sampling, share in (("daily", 7 / 24), ("two_day", 7 / 48), ("weekly", 7 / 168)):
        out = asynchrony(known, sampling)
        assert out["max_offset_hours"] == 7.0
        assert out["offset_share"] == pytest.approx(share)
    assert asynchrony(frame, "daily")["max_offset_hours"] is None


@pytest.mark.realdata
def test_panel_states_sampling_times_and_weekly_btc_matches_the_exchange(shared_data,
                                                                         headline_panel):
    full = headline_panel
    meta = full.attrs["sampling"]
    hours = {"ust2y_bp": 21.0, "ust10y_bp": 21.0, "usd_broad_pct": 17.0, "usdjpy_pct": 17.0,
             "btc_pct": 24.0, "eth_pct": 24.0}
    assert {c: m["sampled_utc"] for c, m in meta.items()} == hours
    assert meta["btc_pct"]["series"] == "binance:BTCUSDT"
    assert meta["btc_pct"]["calendar"] == "every_day"
    assert sampling_hours(full) == hours
    # weekly BTC on the business-day panel (weekend moves inside Monday's change) equals the
    # log change of the Binance closes between consecutive block ends in the source file (a
    # Friday, or the Thursday when Friday has no row: US markets closed)
    raw = pd.read_csv(shared_data / "crypto" / "BTCUSDT.csv", index_col="date",
                      parse_dates=True)["BTCUSDT"]
    weekly = synchronous_changes(full.loc["2019":"2024"], sampling="weekly")["btc_pct"]
    ends = weekly.index
    ref = 100 * np.log(raw.loc[ends[1:]].to_numpy() / raw.loc[ends[:-1]].to_numpy())
    np.testing.assert_allclose(weekly.iloc[1:], ref, atol=1e-9)
    fridays = ends[ends.day_of_week == 4]
    assert len(fridays) > 0.95 * len(ends)


def test_demo_panel_states_its_sampling_times():
    panel = sw.load("demo", assets=["ust10y", "btc"])
    assert set(panel.attrs["sampling"]) == {"ust10y_bp", "btc_pct"}
    assert panel.attrs["sampling"]["btc_pct"]["series"] == "demo:btc"


def test_blocks_do_not_depend_on_other_series_calendars():
    # Presidents' Day 2018-02-19 (a Monday, the end of a Friday-Monday block) is a row of the
    # full panel, where only crypto and gold printed; the six headline assets' own panel has no
    # such row and carries bitcoin's Monday move in Tuesday's change. The block with the row
    # joined the next one; without it, it stood: the two-day headline differed by up to 23.6 pp
    rng = np.random.default_rng(5)
    idx = pd.bdate_range("2018-01-29", "2018-03-09", name="date")
    wide = pd.DataFrame(rng.standard_normal((len(idx), 2)), idx, ["usd_pct", "btc_pct"])
    holiday = pd.Timestamp("2018-02-19")
    wide.loc[holiday, "usd_pct"] = np.nan
    own = wide.drop(index=holiday)
    own.loc["2018-02-20", "btc_pct"] += wide.loc[holiday, "btc_pct"]
    for sampling in ("two_day", "weekly", "daily"):
        a = synchronous_changes(wide, sampling=sampling)
        b = synchronous_changes(own, sampling=sampling)
        pd.testing.assert_frame_equal(a, b, check_freq=False, check_exact=False, rtol=1e-12,
                                      obj=sampling)
    two = synchronous_changes(wide, sampling="two_day")
    assert pd.Timestamp("2018-02-16") in two.index      # the Friday ends its block


def test_an_every_day_panel_reads_a_long_weekend_as_a_holiday():
    # on an every-day calendar a US three-day weekend is three missing rows of a weekday
    # market, more than max_missing_run: it was a gap (69 post-holiday rows dropped, the
    # 10-year's summed changes 66 bp against 169 on business days); weekend rows do not count
    from spillwatch.analytics.connectedness import merge_incomplete_rows

    rng = np.random.default_rng(8)
    days = pd.date_range("2018-01-01", "2018-03-31", name="date")
    every = pd.DataFrame({"ust_bp": rng.normal(0, 5, len(days)),
                          "btc_pct": rng.normal(0, 3, len(days))}, index=days)
    every.loc[days.day_of_week >= 5, "ust_bp"] = np.nan                 # weekends
    every.loc["2018-02-19", "ust_bp"] = np.nan                        # Presidents' Day
    merged = merge_incomplete_rows(every)
    assert pd.Timestamp("2018-02-20") in merged.index                  # not dropped as a gap
    want = every.loc["2018-02-17":"2018-02-20", "btc_pct"].sum()       # Sat..Tue
    assert merged.loc["2018-02-20", "btc_pct"] == pytest.approx(want)
    two = synchronous_changes(every, sampling="two_day")
    assert not two.loc["2018-02-01":"2018-03-15"].isna().any().any()
    # a real gap (two missing weekdays and more) is still one
    gap = every.copy()
    gap.loc["2018-03-05":"2018-03-09", "ust_bp"] = np.nan
    assert pd.Timestamp("2018-03-09") not in merge_incomplete_rows(gap).index


def test_merging_on_some_columns_carries_the_others_over_the_same_spans(rng):
    """``on=``: rows are complete when the listed columns have a change; every other column
    is summed over each merged row's span (NaN where it has nothing: before it starts)."""
    from spillwatch._changes import merge_incomplete_rows

    changes, ylevel, _ = levels_and_changes(rng)
    late = pd.Series(rng.normal(0, 1, len(changes)), changes.index)
    late.iloc[:100] = np.nan                      # a token listed later
    changes["trump_pct"] = late
    got = merge_incomplete_rows(changes, on=["ust10y_bp", "btc_pct"])
    plain = merge_incomplete_rows(changes[["ust10y_bp", "btc_pct"]])
    pd.testing.assert_frame_equal(got[["ust10y_bp", "btc_pct"]], plain)
    # each merged row's span: from the previous kept row (exclusive) to its own date; the
    # token's sum only where it changes over the whole span (its first change may start
    # inside one: that row has no change of it over the span)
    for prev, day in zip(got.index[:-1], got.index[1:], strict=True):
        span = changes.loc[prev + pd.Timedelta(days=1):day, "trump_pct"]
        want = span.sum() if span.notna().all() else np.nan
        assert got.loc[day, "trump_pct"] == pytest.approx(want, nan_ok=True)
    assert got["trump_pct"].iloc[:90].isna().all() and got["trump_pct"].iloc[-50:].notna().all()
    # the 10-year's merged changes are its level's changes between kept rows
    lv = ylevel.dropna()
    for a, b in zip(got.index[:-1], got.index[1:], strict=True):
        assert got.loc[b, "ust10y_bp"] == pytest.approx(100 * (lv.loc[b] - lv.loc[a]), abs=1e-9)


def test_the_panel_s_base_row_starts_no_block():
    """A panel's first row is its base (no change yet): a two-day block starting on it held
    the next day's change alone and was read as two days' (the headline's first reading)."""
    idx = pd.bdate_range("2024-01-02", periods=9, name="date")    # Tue 2 .. Fri 12 Jan
    levels = pd.DataFrame({"x_pct": np.arange(1.0, 10.0) ** 2}, index=idx)
    changes = levels.diff()                                       # row 0: the base, empty
    two = synchronous_changes(changes, sampling="two_day")
    starts = two.attrs["synchronous"]["block_start"]
    # each block is the change of the levels from the end of the block before to its end
    for day, start, got in zip(two.index, starts, two["x_pct"], strict=True):
        before = levels.index[levels.index < pd.Timestamp(start)]
        assert len(before), f"the block from {start} has no level before it"
        assert got == levels.loc[day, "x_pct"] - levels.loc[before[-1], "x_pct"]
    # on a frame cut after its base (the first row has a change), the block is whole
    cut = synchronous_changes(changes.iloc[1:], sampling="two_day")
    assert len(cut) == len(two)
