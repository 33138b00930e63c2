"""The timing table: release dates and staleness of each source."""


import pandas as pd
import pytest

from spillwatch import universe
from spillwatch.timing import DEFAULT_TIMING, bdays_between, boj_holidays, timing_of


@pytest.mark.parametrize(("sid", "observed", "released"), [
    ("fred:DGS10", "2025-04-09", "2025-04-10"),          # H.15: next day
    ("treasury:yield_10y_pct", "2025-04-09", "2025-04-09"),
    ("fred:DEXJPUS", "2025-04-07", "2025-04-14"),        # H.10: the Monday after
    ("fred:DEXJPUS", "2025-04-11", "2025-04-14"),
    ("fred:WMTSECL1", "2025-04-09", "2025-04-10"),       # Wednesday -> Thursday
    ("fred:STLFSI4", "2025-04-04", "2025-04-10"),        # Friday -> next Thursday
    # Saturday -> Thursday 08:50 in Tokyo, 23:50 UTC on Wednesday: out on Wednesday's evening
    # (the week to 2025-04-05, a net sale of ¥2.57tn, was left out of the evening of 04-09)
    ("mof:weekly_assets_ltdebt_net_jpy100m", "2025-04-05", "2025-04-09"),
    # a Thursday MOF is shut moves the release to its next business day: the year-end closure
    # (the week to 2011-12-24 came out on 2012-01-04 in Tokyo) and Golden Week (2019-05-02 a
    # holiday), each the evening before in UTC and New York
    ("mof:weekly_assets_ltdebt_net_jpy100m", "2011-12-24", "2012-01-03"),
    ("mof:weekly_assets_ltdebt_net_jpy100m", "2024-12-28", "2025-01-05"),
    ("mof:weekly_assets_ltdebt_net_jpy100m", "2019-04-27", "2019-05-06"),
    # MOF posts a day's JGB yields at 00:30 in Tokyo on its next business day (15:30 UTC the
    # day before): Monday 2025-05-12's that evening, Friday 04-25's on Monday 04-28 in Tokyo
    # (Sunday in UTC), Monday 04-28's on Wednesday 04-30 (Showa Day between), Friday
    # 2024-12-27's after the government's year-end closure (2025-01-06 in Tokyo)
    ("mof:jgb_10y", "2025-05-12", "2025-05-12"),
    ("mof:jgb_10y", "2025-04-25", "2025-04-27"),
    ("mof:jgb_30y", "2025-04-28", "2025-04-29"),
    ("mof:jgb_2y", "2024-12-27", "2025-01-05"),
    ("mof:jgb_10y", "2024-12-30", "2025-01-05"),
    ("binance:BTCUSDT", "2025-04-08", "2025-04-08"),
    ("tic:japan_usd_bn", "2025-03-31", "2025-05-19"),
    # Treasury publishes TIC on US business days: November 2015's, due on Martin Luther King
    # Day, was read that holiday (Treasury's calendar: 2016-01-19); a Saturday's on the Monday
    ("tic:china_usd_bn", "2015-11-30", "2016-01-19"),
    ("tic:china_usd_bn", "2009-11-30", "2010-01-19"),
    ("tic:japan_usd_bn", "2024-08-31", "2024-10-21"),
    # the ECB updates the CISS on Mondays with the previous week (a Friday's value is out 3
    # days later, a Monday's 7); after Easter Monday (a TARGET holiday) on the Tuesday
    ("ecb:ciss", "2025-04-04", "2025-04-07"),
    ("ecb:ciss", "2025-03-31", "2025-04-07"),
    ("ofr:ciss", "2025-04-04", "2025-04-07"),
    ("ecb:ciss", "2025-04-17", "2025-04-22"),
    # the OFR FSI of a day is out two US business days later (a Friday's on the Tuesday; the
    # Friday before Martin Luther King Day's on the Wednesday)
    ("ofr:fsi", "2025-04-04", "2025-04-08"),
    ("ofr:fsi", "2025-04-09", "2025-04-11"),
    ("ofr:fsi", "2025-01-17", "2025-01-22"),
    # a value of a US holiday (the FSI has one for 2024-07-04) is out on the second business
    # day after it, not the third
    ("ofr:fsi", "2024-07-04", "2024-07-08"),
    # BoJ's TONA on the Bank's next business day: a Friday's before Sports Day on the Tuesday
    # (it was read on the Saturday); the Bank works on 12-29 and 12-30 (the government does
    # not), and the 30th's is out on the first business day of January
    ("boj:tona_pct", "2025-10-10", "2025-10-14"),
    ("boj:tona_pct", "2025-10-09", "2025-10-10"),
    ("boj:tona_pct", "2025-12-26", "2025-12-29"),
    ("boj:tona_pct", "2025-12-29", "2025-12-30"),
    ("boj:tona_pct", "2025-12-30", "2026-01-05"),
    ("boj:tona_pct", "2025-05-02", "2025-05-07"),
    # MOF's monthly intervention report: the month's last weekday (2026-05-31 is a Sunday: the
    # report came out on Friday 05-29, and alerts waited for the Monday)
    ("mof:intervention_usd_sold_jpy_bn", "2026-05-06", "2026-05-29"),
    ("mof:intervention_usd_sold_jpy_bn", "2024-05-01", "2024-05-31"),
    ("mof:intervention_usd_sold_jpy_bn", "2024-04-29", "2024-05-31"),
])
def test_release_dates(sid, observed, released):
    t = timing_of(sid)
    assert t.released(observed) == pd.Timestamp(released)
    idx = t.released_index(pd.DatetimeIndex([observed]))
    assert idx[0] == pd.Timestamp(released)


@pytest.mark.parametrize(("trade", "report"), [
    # MOF's published periods are the trades settled in the month (spot, two business days of
    # Tokyo and New York): "2022-08-30 - 2022-09-28" and "2022-09-29 - 2022-10-27"
    ("2022-08-29", "2022-08-31"), ("2022-08-30", "2022-09-30"), ("2022-09-28", "2022-09-30"),
    ("2022-09-29", "2022-10-31"), ("2022-10-27", "2022-10-31"),
    # "2024-04-26 - 2024-05-29": 04-29 is Showa Day in Tokyo, so the trade of Friday 04-26
    # settles on 05-01; "2024-06-27 - 2024-07-29"
    ("2024-04-25", "2024-04-30"), ("2024-04-26", "2024-05-31"), ("2024-05-29", "2024-05-31"),
    ("2024-05-30", "2024-06-28"), ("2024-06-26", "2024-06-28"), ("2024-06-27", "2024-07-31"),
    ("2024-07-29", "2024-07-31"), ("2024-07-30", "2024-08-30"),
    # a trade of 2002-06-24 settled on 06-26, in June's report: a trade's date + 7 calendar
    # days put its ¥429.0bn in July's
    ("2002-06-24", "2002-06-28"), ("2002-06-26", "2002-06-28"), ("2002-06-27", "2002-07-31"),
])
def test_an_intervention_is_reported_in_the_month_it_settles(trade, report):
    t = timing_of("mof:intervention_usdjpy")
    assert t.released(trade) == pd.Timestamp(report)


def test_staleness_and_defaults():
    t = timing_of("fred:DGS10")
    assert not t.is_stale("2025-04-04", "2025-04-10")
    assert t.is_stale("2025-04-04", "2025-04-11")
    assert timing_of("csv:whatever") is DEFAULT_TIMING
    # every watch-list asset has a rule that allows at least its own release lag
    for a in universe.ASSETS.values():
        assert a.timing.stale_after_days > a.timing.lag_days
    assert bdays_between(pd.Timestamp("2025-04-04").date(), pd.Timestamp("2025-04-08").date()) == 1


def test_mof_weekly_flows_are_not_stale_across_the_year_end_closure():
    """On 2012-01-03 the last week out was to 2011-12-17 (the next came out on 01-04 in Tokyo,
    the evening of 01-03 in UTC): 16-17 days old with nothing missing, which a 16-day limit
    called stale (a false alert)."""
    t = timing_of("mof:weekly_assets_ltdebt_net_jpy100m")
    for last, today in (("2011-12-17", "2012-01-02"), ("2016-12-17", "2017-01-02"),
                        ("2022-12-17", "2023-01-02"), ("2019-04-20", "2019-05-05")):
        nxt = pd.Timestamp(last) + pd.Timedelta(days=7)
        assert t.released(nxt) > pd.Timestamp(today)       # the next week not out yet
        assert not t.is_stale(last, today)
    assert t.is_stale("2011-12-10", "2012-01-03")            # a week truly missing


@pytest.mark.realdata
def test_tona_stays_fresh_across_the_bank_of_japan_s_closures(shared_data):
    """TONA is out the Bank's next business day, so the last print before Golden Week or the
    year-end closure is a week old or more with nothing missing (2024-12-27 the last out until
    01-06, 2019-04-25 until 05-07 across the ten-day Golden Week): the Bank's calendar keeps
    it fresh while no print is due, and a TONA that stopped is stale after 6 days."""
    t = timing_of("boj:tona_pct")
    assert t.stale_after_days == 6 and t.market == "boj"
    raw = pd.read_csv(shared_data / "japan" / "tona.csv").dropna()
    days = pd.DatetimeIndex(pd.to_datetime(raw["date"])).sort_values()
    # every business day of the Bank 1990-2030 besides the record itself
    cal = pd.bdate_range("1990-01-01", "2031-01-31")
    cal = cal[~cal.isin(pd.DatetimeIndex(boj_holidays(1990, 2031)))]
    for obs, start in ((days, days[0]), (cal, pd.Timestamp("1990-01-10"))):
        out = t.released_index(obs)
        evenings = pd.date_range(start, out.max(), freq="D")
        seen = obs[out.searchsorted(evenings, side="right") - 1]
        age = pd.Series((evenings - seen).days, index=evenings)
        if obs is days:
            assert seen[evenings.get_loc(pd.Timestamp("2025-01-05"))] == pd.Timestamp(
                "2024-12-27")
            assert age["2025-01-05"] == 9 and age["2022-05-05"] == 7
        else:
            assert age["2019-05-06"] == 11     # 04-25's, the last out before 05-07
        assert (age > t.stale_after_days).any()      # the closures run past the limit ...
        stale = t.stale(seen.to_numpy().astype("datetime64[D]"),
                        evenings.to_numpy().astype("datetime64[D]"))
        assert not stale.any()                       # ... and no evening reads stale
    assert t.is_stale("2024-12-27", "2025-01-07")     # the prints of 12-30 and 01-06 missing
    assert not t.is_stale("2024-12-27", "2025-01-05")
    # a TONA that stopped on Monday 2025-03-03 (out 03-04): stale after 6 days, on 03-10
    assert not t.is_stale("2025-03-03", "2025-03-09") and t.is_stale("2025-03-03", "2025-03-10")


def test_a_month_s_tic_holdings_stay_fresh_until_the_next_month_is_released():
    # with releases rolled to a US business day, last month's holdings were 81-82 days old on
    # 13 holidays (limit 80): 65 one-day stale_data firings and a gauge without TIC that day
    # (a lapse in appropriations holds the next month back: then last month's goes stale, as
    # nothing new was out; test_tic_held_by_a_lapse_in_appropriations)
    t = timing_of("tic:china_usd_bn")
    months = pd.date_range("1990-01-31", "2030-12-31", freq="ME")
    released, scheduled = t.released_index(months), t._scheduled(months)
    held = 0
    for i, m in enumerate(months[:-1]):
        eve = released[i + 1] - pd.Timedelta(days=1)
        if released[i + 1] > scheduled[i + 1]:
            held += 1
            continue
        assert not t.is_stale(m, eve), (m.date(), eve.date())
    assert held == 6        # two months held by each of the lapses of 1995-96, 2018-19, 2025


def test_tic_held_by_a_lapse_in_appropriations():
    """TIC is not published while a lapse in appropriations shuts Treasury (h_tz1).

    August 2025's holdings (scheduled for 2025-10-17, by the 49-day rule 10-20) were read on
    10-20, three weeks inside the lapse of 2025-10-01..11-12; Treasury put August and September
    out together after it and October on its day, 2025-12-18. Both are read from October's
    scheduled release (late, never early); the months around them keep their schedule.
    """
    t = timing_of("tic:china_mainland_usd_bn")
    got = [str(t.released(m).date()) for m in
           ("2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30")]
    assert got == ["2025-09-18", "2025-12-19", "2025-12-19", "2025-12-19", "2026-01-20"]
    # the lapse of 2018-19 held November 2018 (scheduled 2019-01-18) and December
    got = [str(t.released(m).date()) for m in ("2018-10-31", "2018-11-30", "2018-12-31")]
    assert got == ["2018-12-19", "2019-03-21", "2019-03-21"]
    # that of 2013 (10-01..10-16) held nothing: August 2013 was scheduled for 10-21
    assert str(t.released("2013-08-31").date()) == "2013-10-21"
    # the vectorised form, in any order, equals the scalar one
    idx = pd.DatetimeIndex(["2025-09-30", "2025-06-30", "2025-08-31"])
    assert [str(x.date()) for x in t.released_index(idx)] == [
        "2025-12-19", "2025-08-18", "2025-12-19"]
    # other publishers are not held (the Fed's custody of a Wednesday in the lapse)
    assert str(timing_of("fred:WMTSECL1").released("2025-10-15").date()) == "2025-10-16"


def test_a_stale_tic_input_is_not_said_to_be_held_by_a_lapse():
    """The stale message quotes the timing's note: "(held by a lapse in appropriations)" read
    as if a shutdown held TIC on every evening it was stale, months after the last lapse
    (`alerts facts` of 2026-12-07; h_verify30). A lapse delays TIC; the note says when."""
    import datetime as dt

    from spillwatch.alerts.facts import _stale

    tic = universe.ASSETS["tic_japan"]
    assert tic.timing.released("2026-03-31") == pd.Timestamp("2026-05-19")   # no lapse
    assert _stale(tic, pd.Timestamp("2026-03-31"), dt.date(2026, 7, 1)) == (
        "stale input: tic_japan last reported 2026-03-31, past its 83-day limit (TIC monthly, "
        "~7 weeks after month end, on a US business day, later if a lapse in appropriations "
        "falls on it)")


def test_safe_s_late_release_is_read_from_the_day_it_came_out():
    """SAFE published September 2017's reserves on Monday 2017-10-09, after the National Day
    holiday (Dow Jones, CRI): the 8th-of-month rule read them on Sunday 10-08, a day early
    (h_tz1, h_small3). A listed month is read from its day; SAFE's other months, on the 7th
    inside holidays too (2016-02-07, 2020-10-07), keep the rule's 8th (late, never early)."""
    t = timing_of("safe:cn_fx_reserves_usd100m")
    got = [str(t.released(m).date()) for m in
           ("2016-01-31", "2017-08-31", "2017-09-30", "2017-10-31", "2020-09-30")]
    assert got == ["2016-02-08", "2017-09-08", "2017-10-09", "2017-11-08", "2020-10-08"]
    assert timing_of("safe:cn_fx_reserves_usd_bn").released("2017-09-30") == pd.Timestamp(
        "2017-10-09")
    # the vectorised form, in any order and time zone, equals the scalar one
    idx = pd.DatetimeIndex(["2017-10-31", "2017-09-30", "2017-08-31"], tz="UTC")
    assert [str(x.date()) for x in t.released_index(idx)] == [
        "2017-11-08", "2017-10-09", "2017-09-08"]
    # still fresh where SAFE's next month is due (45 days from the month end)
    assert not t.is_stale("2017-09-30", "2017-11-07")
