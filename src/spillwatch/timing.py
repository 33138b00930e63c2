"""When each series' value is observed, when it becomes known, and how long it stays usable.

One table for the whole product: the stress monitor drops inputs past their staleness limit, the
replay (backtest) sees a value only from its publication date, the foreign-demand gauge respects
publication lags, and connectedness knows at what time of day each daily value is sampled (a
Binance daily close at 00:00 UTC is not synchronous with the New York close of the same date).

A :class:`Timing` has three parts:

``sampled_utc``
    Hour of the day (UTC, possibly > 24 for a close that falls on the next UTC day) that a daily
    value of date *d* describes: 21 for the New York close (16:00 ET in winter), 17 for the H.10
    noon buying rates, 24 for the Binance kline of UTC day *d* (it closes at 24:00 UTC).
``release``
    When the value of date *d* is first published: ``d + lag_days`` calendar days (business
    days of the publisher's calendar when ``business_lag`` is set: the OFR FSI of a Friday is
    out on the Tuesday), then, when ``weekday`` is set, the first such weekday on or after that
    day (0 = Monday). The H.10 FX rates of a week are released the following Monday
    (``lag_days=3, weekday=0``); custody holdings of a Wednesday on the Thursday (``lag_days=1,
    weekday=3``); the ECB CISS of any day of a week on the Monday after it (``lag_days=1,
    weekday=0``). When ``month_end`` is
    set, the release is instead the last weekday of the month that contains
    ``d + lag_days`` (MOF's monthly intervention report: ``lag_days=2, month_end=True``, the
    two days counted on the spot calendar of Tokyo and New York, ``spot_days``). Lags
    are conservative (a value is never used before it was out).
``stale_after_days``
    Calendar days after its observation date past which a value is *stale*: an analysis as of a
    later date must treat the input as missing (never carry it, never fill it with zero). A
    daily series past it stays fresh while its own market (``market``: US federal holidays,
    the New York Stock Exchange's, TARGET's, Tokyo's or the Bank of Japan's closures) has
    been shut on every day it could have printed since: a value does not go stale because its
    market was shut (the 10-year JGB of Friday 2019-04-26 across Tokyo's ten-day Golden
    Week), while one that missed an open day goes stale on the evening the calendar days give.

The Federal Reserve's releases (and FRED's, the St. Louis and Chicago Feds', the OFR's) come out
on US business days: one that would fall on a weekend or a federal holiday comes out the next
business day (``fed_days``; the H.10 of the week to 2020-02-14 on Tuesday 02-18, after
Presidents' Day). The ECB's come out on TARGET business days (``target_days``: the CISS of the
week before Easter on the Tuesday after Easter Monday).

Sources of the release calendars: Federal Reserve statistical release schedules (H.15 daily, next
business day; H.10 weekly, Mondays; H.4.1 weekly, Thursdays), St. Louis Fed (STLFSI4 on Thursdays
for the week to the previous Friday), Chicago Fed (NFCI on Wednesdays), the OFR (the Financial
Stress Index of each business day two business days later), the ECB (the CISS "updated weekly on
Monday with the figures for the previous week", ECB Data Portal, dataset CISS, timeliness), US
Treasury (TIC monthly, about the 18th of the second month after the reference month), Japan MOF
(weekly portfolio flows at 08:50 Tokyo time on Thursdays for the week to the previous Saturday,
the next business day when MOF is shut that Thursday: 23:50 UTC on the Wednesday, the evening
before in New York; foreign-exchange
intervention operations in a monthly report on the month's last business day, e.g. the operations
of 2024-04-29 and 2024-05-01 in the report of 2024-05-31, those of 2022-10-21 and 10-24 in that of
2022-10-31; the benchmark JGB yields of a day at 00:30 Tokyo time on MOF's next business day,
15:30 UTC the day before), the Bank of Japan (TONA of a day on the Bank's next business day),
SAFE (reserves about the 7th of the next month; a month known to have come out later is read
from that day, :data:`SAFE_LATE_RELEASES`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Timing:
    """Sampling time, release rule and staleness limit of one series (see the module docstring).

    Attributes
    ----------
    sampled_utc : float
        Hour (UTC) of date *d* that a daily value describes.
    lag_days : int
        Calendar days from the observation date to the earliest release.
    weekday : int or None
        Release weekday (0 = Monday) on or after ``d + lag_days``, for weekly release calendars.
    month_end : bool
        Release on the last weekday of the month containing ``d + lag_days`` (monthly reports
        that cover the month's operations up to a few days before its end).
    fed_days : bool
        The publisher releases on US business days only (the Federal Reserve Board, FRED, the
        St. Louis and Chicago Feds): a release that falls on a weekend or a US federal holiday
        comes out the next business day (the H.10 of a week whose Monday is Presidents' Day
        comes out on the Tuesday).
    target_days : bool
        The publisher releases on TARGET business days only (the ECB): a release on a weekend,
        New Year's Day, Good Friday, Easter Monday, 1 May or 25/26 December comes out the next
        TARGET business day.
    tokyo_days : bool
        The publisher releases on Japanese government business days only (Japan's MOF): a
        release on a weekend, a national holiday or the year-end closure (29 December to
        3 January) comes out the next such business day (the weekly flows of the week to
        2011-12-24, due Thursday 12-29, came out on 2012-01-04).
    boj_days : bool
        The publisher releases on the Bank of Japan's business days only: as ``tokyo_days``
        but with the Bank's year-end closure, 31 December to 3 January.
    spot_days : bool
        Business days of an FX spot settlement in dollars and yen: days both the Bank of
        Japan and the Federal Reserve are open (for ``business_lag``: MOF's monthly
        intervention report holds the operations settled in its month).
    day_before : bool
        The release is in Tokyo's morning, before midnight UTC: known on the evening before in
        New York and in UTC, so the release date (after the Tokyo calendar's rules) is moved
        back a day (MOF's weekly flows at 08:50 on Thursday in Tokyo are out at 23:50 UTC on
        Wednesday, before the Binance close that the same evening counts: the week to
        2025-04-05, a net sale of ¥2.57tn, was left out of the evening of Wednesday 04-09).
    lapses : bool
        The publisher is the US Treasury's international-affairs office, which publishes
        nothing while a lapse in appropriations shuts it (:data:`APPROPRIATIONS_LAPSES`):
        monthly values whose release falls inside a lapse, and the month after them, are read
        only from the scheduled release of the month after that (:func:`_held_releases`).
    late : bool
        The publisher is China's SAFE, whose known late releases (:data:`SAFE_LATE_RELEASES`)
        are read from the day they came out when that is after the rule's day.
    market : str
        The calendar of the market a daily series prints on: past ``stale_after_days`` a value
        stays fresh while this market has been shut on every day since (:meth:`stale`):
        ``"fed"`` (US federal holidays: the Fed, Treasury
        and the bond market), ``"nyse"`` (:func:`nyse_holidays`), ``"target"``, ``"tokyo"``,
        ``"boj"``, ``"spot"`` (Tokyo's or New York's), or ``""`` (none: a series that trades
        every day, and weekly and monthly releases, whose limits are a period and the release
        lag, the publisher's closures held by the release rule: TIC's 83 days already carry
        the days a release rolls over a holiday).
    business_lag : bool
        ``lag_days`` counts business days of the publisher's calendar (``fed_days``,
        ``target_days``, ``tokyo_days`` or ``boj_days``; weekdays when none is set), not
        calendar days, from the observation (one made on a holiday counts from the business
        day before it: its first business day after is day one).
    stale_after_days : int
        Calendar days after the observation date past which the value is stale (unless its
        ``market`` has been shut since: :meth:`stale`).
    note : str
        Where the rule comes from.
    """

    sampled_utc: float
    lag_days: int
    stale_after_days: int
    weekday: int | None = None
    note: str = ""
    month_end: bool = False
    fed_days: bool = False
    target_days: bool = False
    business_lag: bool = False
    tokyo_days: bool = False
    boj_days: bool = False
    day_before: bool = False
    spot_days: bool = False
    lapses: bool = False
    market: str = ""
    late: bool = False

    def shut_since(self, observed: object, as_of: object) -> np.ndarray:
        """Whether the series' market was shut on every day since ``observed`` due by ``as_of``.

        Elementwise over arrays of dates: True where ``market`` is set and the first weekday
        after ``observed`` its market was open is not yet released on ``as_of`` (the series
        has missed no day it could have printed: the 10-year JGB of 2019-04-26 on every
        evening of Golden Week to 05-06); False where either date is missing.
        """
        obs, ref = np.broadcast_arrays(np.asarray(observed, dtype="datetime64[D]"),
                                       np.asarray(as_of, dtype="datetime64[D]"))
        shape, obs, ref = obs.shape, obs.ravel(), ref.ravel()
        out = np.zeros(obs.shape, dtype=bool)
        ok = ~np.isnat(obs) & ~np.isnat(ref)
        if self.market and ok.any():
            years = (int(obs[ok].min().astype(object).year),
                     int(ref[ok].max().astype(object).year) + 1)
            shut = market_holidays(self.market, *years)
            first = np.busday_offset(obs[ok] + 1, 0, roll="forward", holidays=shut)
            due = self._scheduled(pd.DatetimeIndex(first.astype("datetime64[ns]")))
            out[ok] = due.to_numpy().astype("datetime64[D]") > ref[ok]
        return out.reshape(shape)

    def stale(self, observed: object, as_of: object) -> np.ndarray:
        """Whether values observed on ``observed`` are past their limit on ``as_of``.

        Elementwise: more than ``stale_after_days`` calendar days between them, unless the
        series' market was shut on every day it could have printed since (:meth:`shut_since`):
        a series does not go stale because its market was shut, and one that stopped goes
        stale on the evening the calendar days alone give. False where either date is
        missing.
        """
        past = self.days_past_limit(observed, as_of)
        with np.errstate(invalid="ignore"):
            return np.asarray(past > 0)

    def days_past_limit(self, observed: object, as_of: object, limit: int | None = None
                        ) -> np.ndarray:
        """Calendar days past the limit (:meth:`stale` when > 0; negative: days left).

        Elementwise; at most 0 while its market has been shut on every day it could have
        printed since ``observed`` (:meth:`shut_since`); NaN where either date is missing.
        ``limit``: another limit than ``stale_after_days`` on the same calendar (a derived
        input's own).
        """
        obs, ref = np.broadcast_arrays(np.asarray(observed, dtype="datetime64[D]"),
                                       np.asarray(as_of, dtype="datetime64[D]"))
        gone = np.isnat(obs) | np.isnat(ref)
        past = np.where(gone, np.nan, (ref - np.where(gone, ref, obs)).astype(np.int64)) - (
            self.stale_after_days if limit is None else limit)
        if self.market:
            shape = np.shape(past)
            past, obs, ref = (np.array(a, ndmin=1) for a in (past, obs, ref))
            with np.errstate(invalid="ignore"):
                over = past > 0      # only an evening past the calendar limit can be excused
            past[over] = np.where(self.shut_since(obs[over], ref[over]), 0.0, past[over])
            past = past.reshape(shape)
        return past

    def _holidays(self, days: pd.DatetimeIndex | None = None) -> np.ndarray:
        if self.spot_days:
            years = (1970, 2100) if days is None or not len(days) else (
                int(days.year.min()), int(days.year.max()) + 1)
            return np.union1d(boj_holidays(*years), us_holidays())
        if self.fed_days:
            return us_holidays()
        if self.target_days:
            return target_holidays()
        if self.tokyo_days or self.boj_days:   # the years at hand only (1970-2100: 0.4-0.7 s)
            shut = boj_holidays if self.boj_days else tokyo_holidays
            if days is None or not len(days):
                return shut()
            return shut(int(days.year.min()), int(days.year.max()) + 1)
        return np.array([], dtype="datetime64[D]")

    def released(self, observed: object) -> pd.Timestamp:
        """The first date on which the value observed on ``observed`` is known."""
        return self.released_index(pd.DatetimeIndex([pd.Timestamp(observed)]))[0]

    def released_index(self, index: pd.DatetimeIndex) -> pd.DatetimeIndex:
        """Vectorised :meth:`released` over an index of observation dates."""
        d = self._scheduled(index)
        if self.lapses and len(d):
            d = self._after_lapses(d)
        if self.late and len(d):
            d = self._after_late(index, d)
        return d

    def _scheduled(self, index: pd.DatetimeIndex) -> pd.DatetimeIndex:
        """The release by the publisher's calendar alone (no lapse in appropriations)."""
        idx = pd.DatetimeIndex(index)
        if idx.tz is None:  # midnight by a cast of the raw values (normalize() is ~10x slower)
            a = idx.to_numpy()
            idx = pd.DatetimeIndex(a.astype("datetime64[D]").astype(a.dtype), name=idx.name)
        else:
            idx = idx.normalize()
        if self.business_lag and len(idx):
            # the lag_days-th business day after the observation: one made on a holiday rolls
            # back to the business day before it (BoJ's TONA of 12-30, in the year-end closure,
            # is out on the first business day of January, not the second)
            days = np.busday_offset(idx.to_numpy().astype("datetime64[D]"), self.lag_days,
                                    roll="backward", holidays=self._holidays(idx))
            d = pd.DatetimeIndex(days.astype(idx.dtype if idx.tz is None else "datetime64[ns]"),
                                 name=idx.name)
        else:
            d = idx + pd.Timedelta(days=self.lag_days)
        if self.month_end:   # the month's last weekday (a report due on 05-31, a Sunday: 05-29)
            local = d.tz_localize(None) if d.tz is not None else d
            last = (local + pd.offsets.MonthEnd(0)).to_numpy().astype("datetime64[D]")
            days = pd.DatetimeIndex(np.busday_offset(last, 0, roll="backward").astype(
                local.dtype), name=d.name)
            return days.tz_localize(d.tz) if d.tz is not None else days
        if self.weekday is not None:
            shift = (self.weekday - np.asarray(d.day_of_week)) % 7
            d = d + pd.to_timedelta(shift, unit="D")
        if (self.fed_days or self.target_days or self.tokyo_days or self.boj_days) and len(d):
            days = np.busday_offset(d.to_numpy().astype("datetime64[D]"), 0, roll="forward",
                                    holidays=self._holidays(d))
            d = pd.DatetimeIndex(days.astype(d.dtype if d.tz is None else "datetime64[ns]"),
                                 name=d.name)
        if self.day_before:
            d = d - pd.Timedelta(days=1)
        return d

    def _after_lapses(self, d: pd.DatetimeIndex) -> pd.DatetimeIndex:
        """``d`` (scheduled releases of monthly values) held by :data:`APPROPRIATIONS_LAPSES`."""
        held = _held_releases(self)
        if not held:
            return d
        local = d.tz_localize(None) if d.tz is not None else d
        out = local.to_numpy().copy()
        for due_from, due_to, catch_up in held:
            # by scheduled date: the months held are those scheduled in the window, whatever
            # the observation date a caller gives for them (month-end or otherwise)
            hit = (local >= due_from) & (local < due_to)
            out[hit] = np.maximum(out[hit], catch_up.to_datetime64())
        days = pd.DatetimeIndex(out.astype(local.dtype), name=d.name)
        return days.tz_localize(d.tz) if d.tz is not None else days

    def _after_late(self, index: pd.DatetimeIndex, d: pd.DatetimeIndex) -> pd.DatetimeIndex:
        """``d`` (releases of values observed on ``index``) held by :data:`SAFE_LATE_RELEASES`."""
        local = d.tz_localize(None) if d.tz is not None else d
        obs = pd.DatetimeIndex(index)
        obs = obs.tz_localize(None) if obs.tz is not None else obs
        months = obs.to_numpy().astype("datetime64[M]")
        out = local.to_numpy().copy()
        for month, published in SAFE_LATE_RELEASES:
            hit = months == np.datetime64(month, "M")
            out[hit] = np.maximum(out[hit], pd.Timestamp(published).to_datetime64())
        days = pd.DatetimeIndex(out.astype(local.dtype), name=d.name)
        return days.tz_localize(d.tz) if d.tz is not None else days

    def is_stale(self, observed: object, as_of: object) -> bool:
        """Whether a value observed on ``observed`` is past its limit on ``as_of``.

        Fresh past the limit while its market has been shut since (:meth:`stale`).
        """
        obs = np.datetime64(pd.Timestamp(observed).date(), "D")
        ref = np.datetime64(pd.Timestamp(as_of).date(), "D")
        return bool(self.stale(obs, ref))


#: Lapses in US federal appropriations that shut the Treasury's offices, first and last day
#: (Congressional Research Service, "Past Government Shutdowns: Key Resources", R41759, and
#: for 2025 the Continuing Appropriations Act signed on 2025-11-12). TIC publishes nothing in
#: one: "TIC data will not be updated when Federal Government offices in Washington, D.C. are
#: shut down" (Treasury's TIC home page); August 2025's, scheduled for 2025-10-17, came out
#: after the lapse together with September's.
APPROPRIATIONS_LAPSES: tuple[tuple[str, str], ...] = (
    ("1995-11-14", "1995-11-19"), ("1995-12-16", "1996-01-06"), ("2013-10-01", "2013-10-16"),
    ("2018-01-20", "2018-01-22"), ("2018-12-22", "2019-01-25"), ("2025-10-01", "2025-11-12"))


#: SAFE's monthly reserves published after the rule's day (the 8th of the next month; SAFE
#: otherwise publishes on the 7th, on weekends and inside China's holidays too: 2016-02-07,
#: 2020-10-07, 2021-10-07, 2023-10-07), as (month, day published). September 2017's came out
#: on Monday 2017-10-09, the day after the National Day holiday of 10-01..10-08 ("official
#: data showed Monday": Dow Jones via Fox Business, 2017-10-09 04:50 ET; China Plus (CRI),
#: 2017-10-09). The shared data give no release days: a month is listed only from a dated
#: published report, never guessed from a holiday calendar.
SAFE_LATE_RELEASES: tuple[tuple[str, str], ...] = (("2017-09", "2017-10-09"),)


@functools.lru_cache(maxsize=8)
def _held_releases(timing: Timing) -> tuple[tuple[pd.Timestamp, pd.Timestamp,
                                                  pd.Timestamp], ...]:
    """Per lapse: the scheduled releases it holds (``[from, to)``) and the date they are read.

    A monthly value scheduled for release inside a lapse is put out after it, with the next
    month's (in 2025 Treasury published August's and September's together, on a day after the
    lapse that the shared data do not give, and announced October's for its scheduled day,
    2025-12-18). Lags stay conservative (late, never early): the held months (those scheduled
    inside the lapse and the first scheduled after it) are read from the scheduled release of
    the month after them, the first release known to be on its day.
    """
    out = []
    for first, last in APPROPRIATIONS_LAPSES:
        start, end = pd.Timestamp(first), pd.Timestamp(last)
        months = pd.date_range(start - pd.DateOffset(months=4), end + pd.DateOffset(months=1),
                               freq="ME")
        sched = timing._scheduled(months)
        inside = np.flatnonzero((sched >= start) & (sched <= end))
        if not len(inside):
            continue
        nxt = months[inside[-1]] + pd.offsets.MonthEnd(1)
        after = timing._scheduled(pd.DatetimeIndex([nxt + pd.offsets.MonthEnd(1)]))[0]
        due_to = timing._scheduled(pd.DatetimeIndex([nxt]))[0] + pd.Timedelta(days=1)
        out.append((sched[inside[0]], due_to, after))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def us_holidays() -> np.ndarray:
    """US federal holidays 1950-2100 (the Federal Reserve's non-business days besides weekends).

    pandas' ``USFederalHolidayCalendar`` (with Juneteenth from 2021).
    """
    from pandas.tseries.holiday import USFederalHolidayCalendar

    hol = USFederalHolidayCalendar().holidays(start="1950-01-01", end="2100-12-31")
    return np.asarray(hol.to_numpy().astype("datetime64[D]"))


@functools.lru_cache(maxsize=1)
def us_market_holidays() -> np.ndarray:
    """Weekdays 1950-2100 on which both the New York Stock Exchange and the Fed are shut.

    The federal holidays except Columbus Day and Veterans Day (the stock market trades on
    both), and Martin Luther King Day before 1998 (the exchange first closed for it then): no
    US market or Fed release makes a row of a business-day panel on these days
    (Good Friday, a stock-market holiday, has the H.10 dollar).
    """
    from pandas.tseries.holiday import USFederalHolidayCalendar

    cal = USFederalHolidayCalendar()
    rules = [r for r in cal.rules if r.name not in ("Columbus Day", "Veterans Day")]
    hol = USFederalHolidayCalendar(rules=rules).holidays(start="1950-01-01", end="2100-12-31")
    # the exchange's own rules: a New Year's Day on a Saturday closes nothing the Friday before
    # (2021-12-31 traded), Juneteenth closes it from 2022 on (2021-06-18 traded), and Martin
    # Luther King Day from 1998 on (a federal holiday since 1986: VIXCLS prints on each of
    # 1990-1997's, the 10-year on none)
    keep = ~((hol.month == 12) & (hol.day == 31))
    keep &= ~((hol.year < 2022) & (hol.month == 6) & (hol.day >= 18) & (hol.day <= 21))
    keep &= ~((hol.year < 1998) & (hol.month == 1) & (hol.day >= 15) & (hol.day <= 21)
              & (hol.day_of_week == 0))
    return np.asarray(hol[keep].to_numpy().astype("datetime64[D]"))


@functools.lru_cache(maxsize=1)
def us_bond_only_holidays() -> np.ndarray:
    """Weekdays 1950-2100 on which the Treasury market is shut while the stock market trades.

    Columbus Day and Veterans Day (SIFMA's full closes: the 10-year prints nothing, the S&P 500
    and crypto trade), and Martin Luther King Day before 1998: the days
    :func:`us_market_holidays` leaves out. A Veterans Day on a Saturday closes nothing the
    Friday before (2017-11-10 and 2023-11-10 have a 10-year); one on a Sunday closes the
    Monday after (2018-11-12).
    """
    from pandas.tseries.holiday import USFederalHolidayCalendar

    rules = [r for r in USFederalHolidayCalendar.rules
             if r.name in ("Columbus Day", "Veterans Day", "Birthday of Martin Luther King, Jr.")]
    hol = USFederalHolidayCalendar(rules=rules).holidays(start="1950-01-01", end="2100-12-31")
    keep = ~((hol.month == 11) & (hol.day == 10))
    keep &= ~((hol.month == 1) & (hol.year >= 1998))
    return np.asarray(hol[keep].to_numpy().astype("datetime64[D]"))


@functools.lru_cache(maxsize=1)
def nyse_holidays() -> np.ndarray:
    """Weekdays 1950-2100 on which the New York Stock Exchange is shut for a holiday.

    :func:`us_market_holidays` and Good Friday (an exchange holiday the Fed does not keep).
    """
    from pandas.tseries.holiday import AbstractHolidayCalendar, GoodFriday, Holiday

    class _GoodFriday(AbstractHolidayCalendar):
        rules: ClassVar[list[Holiday]] = [GoodFriday]

    good = _GoodFriday().holidays(start="1950-01-01", end="2100-12-31")
    return np.union1d(us_market_holidays(), good.to_numpy().astype("datetime64[D]"))


def market_holidays(name: str, first_year: int = 1970, last_year: int = 2100) -> np.ndarray:
    """The holiday closures of a :attr:`Timing.market` calendar (sorted ``datetime64[D]``).

    ``"fed"`` :func:`us_holidays`, ``"nyse"`` :func:`nyse_holidays`, ``"target"``
    :func:`target_holidays`, ``"tokyo"`` :func:`tokyo_holidays`, ``"boj"``
    :func:`boj_holidays`, ``"spot"`` the Bank of Japan's or the Fed's; ``""`` none. The
    Japanese calendars hold ``first_year``..``last_year`` only (the others every year).
    """
    if name == "fed":
        return us_holidays()
    if name == "nyse":
        return nyse_holidays()
    if name == "target":
        return target_holidays()
    if name == "tokyo":
        return tokyo_holidays(first_year, last_year)
    if name == "boj":
        return boj_holidays(first_year, last_year)
    if name == "spot":
        return np.union1d(boj_holidays(first_year, last_year), us_holidays())
    if name == "":
        return np.array([], dtype="datetime64[D]")
    raise ValueError(f"unknown market calendar {name!r}; choose from: fed, nyse, target, "
                     "tokyo, boj, spot, or '' (none)")


def next_us_market_day(day: object) -> pd.Timestamp:
    """The first weekday after ``day`` that is not a :func:`us_market_holidays` day.

    Examples
    --------
    >>> next_us_market_day("2025-01-17").date()      # Friday; Monday is Martin Luther King Day
    datetime.date(2025, 1, 21)
    >>> next_us_market_day("2024-12-24").date()
    datetime.date(2024, 12, 26)
    >>> next_us_market_day("2021-12-30").date()      # New Year's Day on a Saturday: Friday trades
    datetime.date(2021, 12, 31)
    >>> next_us_market_day("2023-01-01").date()      # a Sunday; Monday is the holiday observed
    datetime.date(2023, 1, 3)
    """
    d = np.datetime64(pd.Timestamp(day).date(), "D") + np.timedelta64(1, "D")
    nxt = np.busday_offset(d, 0, roll="forward", holidays=us_market_holidays())
    return pd.Timestamp(nxt)


@functools.lru_cache(maxsize=1)
def target_holidays() -> np.ndarray:
    """TARGET closing days 1990-2100 besides weekends (the ECB's non-business days).

    New Year's Day, Good Friday, Easter Monday, 1 May, 25 and 26 December (the TARGET2
    calendar, ECB Governing Council decision of 2000).
    """
    from pandas.tseries.holiday import AbstractHolidayCalendar, EasterMonday, GoodFriday, Holiday

    class _Target(AbstractHolidayCalendar):
        rules: ClassVar[list[Holiday]] = [
            Holiday("New Year", month=1, day=1), GoodFriday, EasterMonday,
            Holiday("Labour Day", month=5, day=1), Holiday("Christmas", month=12, day=25),
            Holiday("Boxing Day", month=12, day=26)]

    hol = _Target().holidays(start="1990-01-01", end="2100-12-31")
    return np.asarray(hol.to_numpy().astype("datetime64[D]"))


def tokyo_holidays(first_year: int = 1970, last_year: int = 2100) -> np.ndarray:
    """Days of ``first_year``..``last_year`` on which Japan's government offices are shut.

    Japan's national holidays (the ``holidays`` package, substitute holidays included) and
    the year-end closure, 29 December to 3 January (Act on Holidays of Administrative Organs,
    1988): MOF releases nothing on them.
    """
    years = [_tokyo_year(y) for y in range(first_year, last_year + 1)]
    return np.concatenate(years) if years else np.array([], dtype="datetime64[D]")


def china_holidays(first_year: int = 1970, last_year: int = 2100) -> np.ndarray:
    """Days of ``first_year``..``last_year`` on which China's onshore markets are shut.

    The State Council's public holidays with their substitute days off (the ``holidays``
    package's ``CN`` calendar: Spring Festival, Golden Week, the 2020 extension to 2 February),
    on which the interbank foreign-exchange market (CFETS) does not trade. Not the Shanghai
    exchange's calendar (``XSHG``), which also closes some eves the interbank market trades
    (2024-02-09: fred/DEXCHUS 7.1965 to 7.1929).
    """
    years = [_china_year(y) for y in range(first_year, last_year + 1)]
    return np.concatenate(years) if years else np.array([], dtype="datetime64[D]")


@functools.lru_cache(maxsize=512)
def _china_year(year: int) -> np.ndarray:
    import holidays

    days = holidays.country_holidays("CN", years=[year])
    return np.asarray(sorted(np.datetime64(d, "D") for d in days), dtype="datetime64[D]")


#: Series quoted in New York on days their home market is shut, with that market's closures:
#: the H.10 yuan repeats its last rate through China's holidays (73% of its holiday prints
#: 2000-2025 equal the one before, 1.4% of its other prints since 2015).
HOME_CLOSURES: dict[str, Callable[[int, int], np.ndarray]] = {"usdcny": china_holidays}


def held_quotes(key: str, changes: pd.Series) -> np.ndarray:
    """Which of ``key``'s daily changes are held quotes of its shut home market, not moves.

    A change on a day :data:`HOME_CLOSURES` says the series' own market was shut that is
    exactly zero (the print equals the one before) is a held quote: the reopening day's
    change already holds the whole move across the closure. A holiday print that moved is a
    quote and is kept. Every reader of the yuan's moves (the stress signals, the alerts'
    ``z_1d``) takes its traded days from here, so they agree.

    Parameters
    ----------
    key : str
        The asset's key (``"usdcny"``); a key without a home closure holds no quote.
    changes : Series
        Its daily changes on its own observation dates (DatetimeIndex).

    Returns
    -------
    ndarray of bool, shape (len(changes),)
        True where the change is a held quote.
    """
    shut = HOME_CLOSURES.get(key)
    if shut is None or changes.empty:
        return np.zeros(len(changes), dtype=bool)
    index = pd.DatetimeIndex(changes.index)
    if index.tz is not None:   # the closures are days of the wall calendar, as dated
        index = index.tz_localize(None)
    closed = np.isin(index.values.astype("datetime64[D]"),
                     shut(int(index.year.min()), int(index.year.max())))
    return closed & (changes.to_numpy(dtype=float) == 0.0)


def boj_holidays(first_year: int = 1970, last_year: int = 2100) -> np.ndarray:
    """Days of ``first_year``..``last_year`` on which the Bank of Japan is shut.

    Japan's national holidays and the Bank's year-end closure, 31 December to 3 January: the
    money market trades on 29 and 30 December, and TONA is published for them (the
    government's closure from the 29th held them, and the 26th's, into January, past their
    staleness limit).
    """
    years = [_tokyo_year(y, 31) for y in range(first_year, last_year + 1)]
    return np.concatenate(years) if years else np.array([], dtype="datetime64[D]")


@functools.lru_cache(maxsize=512)
def _tokyo_year(year: int, closure_from: int = 29) -> np.ndarray:
    import holidays

    days = set(holidays.country_holidays("JP", years=[year]))
    days.update(dt.date(year, 12, d) for d in range(closure_from, 32))
    days.update(dt.date(year, 1, d) for d in (1, 2, 3))
    return np.asarray(sorted(np.datetime64(d, "D") for d in days), dtype="datetime64[D]")


NY_CLOSE = 21.0
NOON_NY = 17.0
BINANCE_CLOSE = 24.0
TOKYO_CLOSE = 6.0

_DAILY_MARKET = Timing(NY_CLOSE, 0, 6, note="daily market close, same day")
_NYSE_CLOSE = Timing(NY_CLOSE, 0, 6, market="nyse", note="daily market close, same day")
_H15 = Timing(NY_CLOSE, 1, 6, note="H.15 / FRED: next business day", fed_days=True,
              market="fed")
_H10 = Timing(NOON_NY, 3, 13, weekday=0, fed_days=True,
              note="H.10 noon buying rates, released Mondays (Tuesday after a holiday)")
_CRYPTO = Timing(BINANCE_CLOSE, 0, 3, note="Binance UTC daily close, every day")
_ECB_CISS = Timing(12.0, 1, 12, weekday=0, target_days=True,
                   note="ECB CISS daily, published each Monday for the previous week")

def sample_instants(dates: pd.DatetimeIndex, sampled_utc: float) -> pd.DatetimeIndex:
    """The UTC instants that daily values of ``dates`` describe, sampled at ``sampled_utc``.

    The New York close (:data:`NY_CLOSE`) and the H.10 noon rates (:data:`NOON_NY`) are New York
    times, so they follow daylight saving (16:00 ET is 20:00 UTC in summer, 21:00 in winter);
    other hours are fixed UTC hours (Tokyo has no daylight saving; Binance closes at 24:00 UTC).
    """
    day = pd.DatetimeIndex(dates).tz_localize(None).normalize()
    local = {NY_CLOSE: 16.0, NOON_NY: 12.0}.get(float(sampled_utc))
    if local is not None:
        return (day + pd.Timedelta(hours=local)).tz_localize("America/New_York").tz_convert(
            "UTC")
    return (day + pd.Timedelta(hours=float(sampled_utc))).tz_localize("UTC")


#: Series-id patterns (fnmatch, first match wins) and their timing.
TIMINGS: tuple[tuple[str, Timing], ...] = (
    ("demo:*", _DAILY_MARKET),
    ("fred:DGS*", _H15),
    ("treasury:yield_*", Timing(NY_CLOSE, 0, 6, market="fed",
                                 note="Treasury par curve, same evening")),
    ("fred:DTWEXBGS", _H10),
    ("fred:DEXJPUS", _H10),
    ("fred:DEXCHUS", _H10),
    ("fred:STLFSI4", Timing(NY_CLOSE, 1, 16, weekday=3, fed_days=True,
                            note="weekly (Friday), released the next Thursday")),
    ("fred:ANFCI", Timing(NY_CLOSE, 1, 16, weekday=2, fed_days=True,
                          note="weekly (Friday), released the next Wednesday")),
    ("fred:WMTSECL1", Timing(NY_CLOSE, 1, 16, weekday=3, fed_days=True,
                             note="H.4.1 Wednesday level, released Thursday")),
    ("fred:SOFR", Timing(NY_CLOSE, 1, 6, fed_days=True, market="fed",
                         note="published the next business day")),
    ("fred:IR3TIB01JPM156N", Timing(TOKYO_CLOSE, 45, 80, note="OECD monthly, ~6 weeks")),
    ("fred:VIXCLS", _NYSE_CLOSE),
    ("fred:SP500", _NYSE_CLOSE),
    ("fred:BAML*", _H15),
    ("fred:T10Y*", _H15),
    ("fred:DFII10", _H15),
    ("fred:DCOILWTICO", _H15),
    ("fred:CBBTCUSD", Timing(BINANCE_CLOSE, 1, 3, note="Coinbase via FRED, every day")),
    ("fred:THREEFYTP10", _H15),
    ("yahoo:*", _NYSE_CLOSE),
    ("mt:*", _NYSE_CLOSE),
    ("ice:*", _NYSE_CLOSE),
    ("nyfed:*", _H15),
    # the ECB CISS of ../shared/data imported before the shared-data layout mapped it to "ecb"
    # landed in the "ofr" provider: it is the ECB's series, with the ECB's release lag
    ("ofr:ciss", _ECB_CISS),
    ("ofr:*", Timing(NY_CLOSE, 2, 7, fed_days=True, business_lag=True, market="fed",
                     note="OFR FSI, two business days after")),
    ("ecb:*", _ECB_CISS),
    ("binance:*", _CRYPTO),
    ("coingecko:*", _CRYPTO),
    # stale after 83 days: 49 to the release, a 31-day month, and up to 3 days more when the
    # release rolls over a weekend and a Monday holiday (at 80, last month's holdings went
    # stale for a day on 13 holidays: 65 one-day stale_data firings, the gauge without TIC)
    ("tic:*", Timing(NY_CLOSE, 49, 83, fed_days=True, lapses=True,
                     # a rule, not a state: the stale message quotes it ("past its 83-day
                     # limit (…)"), and "(held by a lapse in appropriations)" there read as if
                     # a shutdown held TIC on every evening it was stale
                     note="TIC monthly, ~7 weeks after month end, on a US business day, "
                          "later if a lapse in appropriations falls on it")),
    ("safe:*", Timing(TOKYO_CLOSE, 8, 45, late=True,
                      note="SAFE reserves, ~7th of the next month")),
    # stale after 19 days: a week before the year-end closure comes out up to 11 days after
    # it (the week to 2011-12-24 on 2012-01-04), so on 01-03 the last week out, to 12-17, is 17
    # days old without anything missing
    ("mof:weekly_*", Timing(TOKYO_CLOSE, 1, 19, weekday=3, tokyo_days=True, day_before=True,
                            note="MOF weekly flows (week to Saturday), released Thursday 08:50 "
                                 "in Tokyo (or the next Tokyo business day): 23:50 UTC the "
                                 "day before")),
    ("mof:monthly_*", Timing(TOKYO_CLOSE, 40, 75, note="MOF monthly by investor, ~40 days")),
    # MOF's monthly periods are the operations settled in the month (spot, two business days
    # of Tokyo and New York after the trade): "2022-08-30 - 2022-09-28" and "2024-04-26 -
    # 2024-05-29". A trade's date + 7 calendar days put 50 of the record's 386 operations in
    # the next month's report (2002-06-24's ¥429.0bn, settled 06-26, in July's)
    ("mof:intervention*", Timing(TOKYO_CLOSE, 2, 45, month_end=True, business_lag=True,
                                 spot_days=True,
                                 note="MOF monthly intervention report, last business day of "
                                      "the month, of the operations settled in it (spot: two "
                                      "business days of Tokyo and New York after the trade); "
                                      "those of the month's last two fall into the next "
                                      "month's report")),
    # MOF posts a day's yields at 00:30 in Tokyo on its next business day (Friday 2025-04-25's
    # on Monday 04-28, Monday 05-12's on Tuesday 05-13), 15:30 UTC the calendar day before:
    # Monday to Thursday's the same evening, Friday's on Sunday, a day's before a holiday or
    # the government's 29 December-3 January closure on the evening before it reopens.
    # The JGB market's days are the Bank of Japan's (it trades on 29-30 December): across
    # 2019's ten-day Golden Week (04-27..05-06) Friday's yields are eleven days old on 05-07
    # with nothing missing
    ("mof:jgb_*", Timing(TOKYO_CLOSE, 1, 6, business_lag=True, tokyo_days=True,
                         day_before=True, market="boj",
                         note="MOF JGB benchmark yields, 00:30 Tokyo the next business day")),
    # the BoJ's next business day, not the next calendar day (a Friday's TONA before a Monday
    # holiday was read on the Saturday, 13 early releases since 2025-05 priced the hedge).
    # Out a business day late, the last print before Golden Week or the Bank's 31 December-
    # 3 January closure is 7 to 11 days old with nothing missing (2024-12-27 the last out until
    # 01-06): the Bank's calendar (market="boj") keeps it fresh while no print is due, so a
    # TONA that stopped goes stale after 6 days like the JGB's (a 9-day limit did the
    # closures' work before the calendars, and read a stopped TONA fresh 3 days longer)
    ("boj:*", Timing(TOKYO_CLOSE, 1, 6, business_lag=True, boj_days=True, market="boj",
                     note="BoJ TONA, the Bank's next business day")),
    ("auction:*", Timing(18.0, 0, 120, note="auction results at 13:00 ET the same day")),
)

#: The rule for series no pattern names: a daily market value.
DEFAULT_TIMING = _DAILY_MARKET

#: The rule for a daily series no pattern names that trades every day (a coin of one's own,
#: imported from a CSV): a UTC daily close, stale after crypto's 3 days, not a market close in
#: New York stale after a week.
EVERY_DAY_TIMING = Timing(BINANCE_CLOSE, 0, 3,
                          note="a daily series of one's own that trades every day: a UTC close")


def timing_of(series_id: str) -> Timing:
    """The timing of a store series id (first matching pattern of :data:`TIMINGS`).

    The match is memoised: :data:`TIMINGS` is fixed, and the replay asks for the same ids
    thousands of times.
    """
    named = _named_timing(series_id)
    return named if named is not None else DEFAULT_TIMING


@functools.lru_cache(maxsize=4096)
def _named_timing(series_id: str) -> Timing | None:
    """The first pattern of :data:`TIMINGS` naming ``series_id`` (None: no pattern does)."""
    for pattern, rule in TIMINGS:
        if fnmatch.fnmatchcase(series_id, pattern):
            return rule
    return None


def timing_for(series_id: str, calendar: str = "business") -> Timing:
    """The timing of a series on its asset's ``calendar``.

    :func:`timing_of`, except that a series no pattern names on the ``"every_day"`` calendar
    (a coin of one's own: :meth:`spillwatch.service.workspace.Workspace.user_asset`) takes
    :data:`EVERY_DAY_TIMING`. A CSV copy of bitcoin's closes was judged fresh for 6 days where
    bitcoin is stale after 3, and sampled at the New York close.
    """
    named = _named_timing(series_id)
    if named is not None:
        return named
    return EVERY_DAY_TIMING if calendar == "every_day" else DEFAULT_TIMING


def bdays_between(last: dt.date, today: dt.date) -> int:
    """Weekdays strictly after ``last`` and before ``today`` (0 when ``today`` follows it)."""
    start = last + dt.timedelta(days=1)
    if start >= today:
        return 0
    return int(np.busday_count(start, today))
