"""The library with a notebook's own frames: dates as text, zones, and names that are not text."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.analytics.demand import DemandInputs, demand
from spillwatch.exceptions import SpillwatchError


@pytest.fixture(scope="module")
def demo_panel() -> pd.DataFrame:
    return sw.load("demo")


@pytest.fixture(scope="module")
def changes() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    idx = pd.bdate_range("2020-01-01", periods=400, name="date")
    x = rng.standard_normal((400, 3))
    x[:, 2] += 0.5 * np.r_[0.0, x[:-1, 0]]           # some spillover to find
    return pd.DataFrame(x, idx, ["ust10y_bp", "usd_broad_pct", "btc_pct"])


@pytest.mark.parametrize("labels", ["text", "date", "period"])
def test_a_newest_first_panel_whose_dates_are_not_a_datetimeindex_is_refused(changes, labels):
    """Dates read as text (``pd.read_csv(index_col="date")`` without ``parse_dates``),
    ``datetime.date`` objects or a PeriodIndex went unchecked: a newest-first file read that way
    gave another TCI (22.92 for 23.46 on the real data) and a bitcoin VaR of 14.14 for 7.59,
    without a word. A DatetimeIndex out of order was already refused."""
    relabel = {"text": lambda i: pd.Index(i.strftime("%Y-%m-%d")),
               "date": lambda i: pd.Index(i.date, dtype=object),
               "period": lambda i: i.to_period("D")}[labels]
    own = changes.set_axis(relabel(changes.index))
    # in order they are read as they are
    assert sw.connectedness(own, lags=1).tci == pytest.approx(
        sw.connectedness(changes, lags=1).tci, rel=1e-12)
    newest_first = own.iloc[::-1]
    with pytest.raises(SpillwatchError, match="not in increasing order"):
        sw.connectedness(newest_first, lags=1)
    with pytest.raises(SpillwatchError, match="not in increasing order"):
        sw.var_es(newest_first["btc_pct"], methods="historical")
    with pytest.raises(SpillwatchError, match="not in increasing order"):
        sw.volatility(newest_first["btc_pct"])
    twice = pd.concat([own.iloc[:10], own.iloc[9:]])
    with pytest.raises(SpillwatchError, match="2020-01-14 appear more than once"):
        sw.connectedness(twice, lags=1)


def test_a_missing_date_in_the_index_is_named_as_such(changes):
    """A NaT among the dates was refused as "the dates are not in increasing order"."""
    idx = changes.index.to_numpy().copy()
    idx[100] = np.datetime64("NaT")
    with pytest.raises(SpillwatchError, match=r"missing date.*row 100, after 2020-05-19"):
        sw.connectedness(changes.set_axis(pd.DatetimeIndex(idx)), lags=1)


def test_demand_inputs_read_a_zone_aware_index_as_its_own_day():
    """DemandInputs converted a zone-aware index to UTC: a Tokyo-dated JGB yield or TONA moved
    to the day before (the hedged pick-up of 2025-06-24 read -0.898% for -0.919%, a day ahead
    of its release), where the README reads a zone-aware date as its own wall-clock day."""
    idx = pd.bdate_range("2025-01-01", periods=120)
    rng = np.random.default_rng(0)
    jgb = pd.Series(1.2 + np.cumsum(rng.normal(0, 0.01, 120)), idx)
    tona = pd.Series(0.48 + np.cumsum(rng.normal(0, 0.001, 120)), idx)
    ust = pd.Series(4.3 + np.cumsum(rng.normal(0, 0.05, 120)), idx)
    sofr = pd.Series(4.3 + np.cumsum(rng.normal(0, 0.002, 120)), idx)
    aware = DemandInputs(ust10y=ust, sofr=sofr, jgb10y=jgb.tz_localize("Asia/Tokyo"),
                         tona=tona.tz_localize("Asia/Tokyo"))
    assert aware.jgb10y.index.equals(idx) and aware.tona.index.equals(idx)
    naive = DemandInputs(ust10y=ust, sofr=sofr, jgb10y=jgb, tona=tona)
    cols = ["hedge_cost_pct", "hedged_pickup_pct"]
    pd.testing.assert_frame_equal(demand(aware).frame[cols], demand(naive).frame[cols])


def test_zone_aware_or_bad_dates_given_as_arguments(demo_panel):
    """A zone-aware ``as_of``, ``end`` or ``start`` raised pandas' "Cannot compare tz-naive and
    tz-aware timestamps" (event_study, StressResult.since), "Start and end cannot both be
    tz-aware" (demand) or "Both dates must have the same UTC offset" (fit_market), and a date
    that is none its DateParseError; each is its own wall-clock day, or a ConfigError."""
    tokyo = pd.Timestamp("2021-01-01", tz="Asia/Tokyo")
    panel = demo_panel[["ust10y_bp", "usd_broad_pct", "btc_pct"]]
    a = sw.event_study(panel, as_of=tokyo)
    b = sw.event_study(panel, as_of="2021-01-01")
    pd.testing.assert_frame_equal(a.table(), b.table())
    assert a.as_of == pd.Timestamp("2021-01-01") and len(a.later) == len(b.later)
    with pytest.raises(SpillwatchError, match="as_of '2021-13-45' is not a date"):
        sw.event_study(panel, as_of="2021-13-45")

    st = sw.stress("demo")
    assert len(st.since(tokyo).frame) == len(st.since("2021-01-01").frame)

    custody = pd.Series([3.0e6, 2.9e6, 2.95e6],
                        index=pd.to_datetime(["2025-04-02", "2025-04-09", "2025-04-16"]))
    res = demand(DemandInputs(custody=custody), end=pd.Timestamp("2025-04-30", tz="UTC"))
    assert res.frame.index[-1] == pd.Timestamp("2025-04-30")
    with pytest.raises(SpillwatchError, match="end '2025-13-45' is not a date"):
        demand(DemandInputs(custody=custody), end="2025-13-45")

    fa = sw.scenario.fit_market(demo_panel, start=pd.Timestamp("2019-01-01", tz="Asia/Tokyo"))
    fb = sw.scenario.fit_market(demo_panel, start=dt.date(2019, 1, 1))
    sc = sw.scenario.preset("japan-10pct")
    assert sc.simulate(fa, paths=300, seed=1, portfolio={"btc": 1.0}).var(0.99) == \
        sc.simulate(fb, paths=300, seed=1, portfolio={"btc": 1.0}).var(0.99)
    with pytest.raises(SpillwatchError, match="start '2019-13-45' is not a date"):
        sw.scenario.fit_market(demo_panel, start="2019-13-45")


def test_an_event_study_of_columns_named_by_numbers(demo_panel):
    """Columns 0, 1, 2 were looked up as '0', '1', '2': "series ['0', '1', '2'] not in the data
    (columns: 0, 1, 2)", for a series list nobody gave; connectedness and VaR took them."""
    panel = demo_panel[["ust10y_bp", "btc_pct", "eth_pct"]]
    numbered = panel.set_axis([0, 1, 2], axis=1)
    res = sw.event_study(numbered, factors=())
    named = sw.event_study(panel, factors=())
    assert sorted(res.table().index.get_level_values("series").unique()) == ["0", "1", "2"]
    np.testing.assert_allclose(res.table()["car"].to_numpy(), named.table()["car"].to_numpy())
    assert list(numbered.columns) == [0, 1, 2]           # the caller's frame is unchanged


def test_the_stress_warning_advises_a_levels_panel_with_the_monitors_inputs(demo_panel):
    """The warning advised ``levels=sw.load(db, transform='levels')``: taken as written on the
    real store it silenced the warning and read 0.0415 (percentile 5.3) for the monitor's
    0.0560 (10.9), sw.load's default assets holding no credit spread, custody or term
    premium."""
    # (then levels=sw.load(db, transform='levels', assets=STRESS_ASSETS): sw.load's days are not
    # the monitor's, another regime on 56 days; the monitor's panels are load_inputs(db)'s)
    with pytest.warns(UserWarning, match=r"without levels.*load_inputs\(db\)"):
        sw.stress(demo_panel)


def test_the_annual_volatility_of_a_coin_counts_its_365_days():
    """``vol_annual`` was the next day's volatility times the square root of 252 whatever the
    calendar: bitcoin's own daily changes (every calendar day, Binance's file) read 25.4% a
    year where their 365 changes a year make 30.5% (and 2025's realised 41.6%)."""
    rng = np.random.default_rng(2)
    every_day = pd.Series(rng.standard_normal(730) * 2.0,
                          pd.date_range("2024-01-01", periods=730), name="coin_pct")
    t = sw.volatility(every_day).table()
    assert t.loc["coin_pct", "vol_annual"] == pytest.approx(
        t.loc["coin_pct", "vol_1d"] * np.sqrt(365.0), rel=1e-12)
    business = every_day[every_day.index.day_of_week < 5]
    t = sw.volatility(business).table()
    assert t.loc["coin_pct", "vol_annual"] == pytest.approx(
        t.loc["coin_pct", "vol_1d"] * np.sqrt(252.0), rel=1e-12)


def test_the_spillover_headline_of_a_zone_aware_panel():
    """spillover_headline (and synchronous_changes) of a zone-aware panel raised pandas'
    "Invalid comparison between dtype=datetime64[s] and Timestamp"; a date twice went on."""
    from spillwatch.analytics.connectedness import spillover_headline

    panel = sw.load("demo", assets=["ust10y", "usd_broad", "btc", "eth"])
    pd.testing.assert_frame_equal(spillover_headline(panel.tz_localize("America/New_York")).table(),
                                  spillover_headline(panel).table())
    with pytest.raises(SpillwatchError, match="appear more than once"):
        spillover_headline(pd.concat([panel.iloc[:10], panel.iloc[9:]]))


def test_demand_inputs_refuse_a_date_given_twice():
    """DemandInputs kept the last of a date given twice without a word (a second custody value
    of 2026-06-24 made the week's change -$631bn); every other input of the library refuses
    it."""
    custody = pd.Series([3.0e6, 2.9e6, 2.95e6, 2.0e6],
                        index=pd.to_datetime(["2025-04-02", "2025-04-09", "2025-04-16",
                                              "2025-04-16"]))
    with pytest.raises(SpillwatchError, match=r"custody: the dates are not unique: 2025-04-16"):
        DemandInputs(custody=custody)
    weekly = pd.DataFrame({"assets_ltdebt_net_jpy100m": [1.0, 2.0, 3.0]},
                          index=pd.to_datetime(["2025-04-05", "2025-04-12", "2025-04-12"]))
    with pytest.raises(SpillwatchError, match=r"mof_weekly: the dates are not unique"):
        DemandInputs(mof_weekly=weekly)
    assert len(DemandInputs(custody=custody.iloc[:3]).custody) == 3


def test_a_mapping_of_named_series_is_a_panel_and_anything_else_a_clear_error():
    """``sw.volatility({"btc": s})`` (and var_es, correlation) raised NumPy's "float() argument
    must be a string or a real number, not 'dict'"."""
    rng = np.random.default_rng(1)
    idx = pd.bdate_range("2020-01-01", periods=600)
    a = pd.Series(rng.normal(size=600), index=idx)
    b = pd.Series(rng.normal(size=600), index=idx)
    for f in (sw.volatility, sw.var_es, sw.correlation):
        pd.testing.assert_frame_equal(f({"a": a, "b": b}).table(),
                                      f(pd.DataFrame({"a": a, "b": b})).table())
    with pytest.raises(SpillwatchError, match="got object"):
        sw.volatility(object())
    with pytest.raises(SpillwatchError, match="could not be read as one panel"):
        sw.var_es({"a": a, "b": [1.0, 2.0]})


def test_a_connectedness_result_reads_its_tci_and_its_bands(changes):
    """Its repr read the table's header row ("| ust10y_bp  usd_broad_pct  btc_pct   FROM") for
    the TCI, and a frequency result's summary gave no band figure (``to_dict`` had them)."""
    res = sw.Connectedness(decomposition=sw.FrequencyFEVD()).fit(changes)
    assert repr(res).endswith(f"TCI {res.tci:.2f}%>") and "FROM" not in repr(res)
    line = str(res.summary()).splitlines()[-1]
    assert line.startswith("TCI by band")
    for lab, v in res.band_tci.items():
        assert f"{lab} {v:.2f}%" in line
    assert sum(res.band_tci) == pytest.approx(res.tci, rel=1e-9)


def _coin() -> pd.Series:
    rng = np.random.default_rng(3)
    idx = pd.date_range("2024-01-01", periods=400, freq="D")     # every calendar day
    return pd.Series(rng.standard_t(4, 400) * 2.0, index=idx, name="btc_pct")


@pytest.mark.parametrize("kind", ["text", "period", "date"])
def test_vol_annual_of_a_coin_dated_by_text_periods_or_dates_is_on_365_days(kind):
    """days_per_year read only a DatetimeIndex: a coin's own series dated by text (read_csv
    without parse_dates), periods or date objects, which the library accepts as dates, was
    annualised on 252 days (bitcoin 2022-2026: 24.8% a year for 29.9%)."""
    s = _coin()
    other = s.copy()
    other.index = {"text": s.index.strftime("%Y-%m-%d"),
                   "period": s.index.to_period("D"),
                   "date": pd.Index(list(s.index.date), dtype=object)}[kind]
    want = sw.volatility(s).table()["vol_annual"].iloc[0]
    got = sw.volatility(other).table()["vol_annual"].iloc[0]
    one_day = sw.volatility(s).table()["vol_1d"].iloc[0]
    assert want == pytest.approx(one_day * np.sqrt(365.0))
    assert got == pytest.approx(want, rel=1e-12)


def test_codes_are_not_read_as_dates_and_a_blank_date_is_named():
    """Text that only looks like a year ("7203", a Tokyo ticker) or a compact "20240103" was
    read as dates, and unsorted such labels refused as "not in increasing order"; a blank date
    cell among text dates (NaN) skipped the check altogether."""
    from spillwatch._validation import naive_index

    codes = pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=["7203", "6758", "9984"])
    assert naive_index(codes) is codes
    assert naive_index(codes.set_axis(["20240105", "20240103", "20240104"])) is not None
    blank = pd.DataFrame({"x": [1.0, 2.0, 3.0]},
                         index=pd.Index(["2024-01-03", np.nan, "2024-01-05"], dtype=object))
    with pytest.raises(SpillwatchError, match=r"1 missing date.*row 1, after 2024-01-03"):
        naive_index(blank)


def test_a_mapping_of_series_dated_two_ways_is_refused_and_one_column_frames_are_series():
    """``{"x": series by DatetimeIndex, "y": the same by text dates}`` raised "'>' not
    supported between instances of 'str' and 'Timestamp'" (correlation) or ran on their
    600-row union, two calendars side by side (volatility); one-column frames gave pandas'
    "If using all scalar values, you must pass an index"."""
    rng = np.random.default_rng(1)
    idx = pd.bdate_range("2020-01-01", periods=600)
    a = pd.Series(rng.normal(size=600), index=idx)
    b = a.set_axis(idx.strftime("%Y-%m-%d"))
    for f in (sw.correlation, sw.volatility):
        with pytest.raises(SpillwatchError, match="indexed differently"):
            f({"x": a, "y": b})
    pd.testing.assert_frame_equal(sw.volatility({"x": a.to_frame("q"), "y": a.to_frame("z")}
                                                ).table(),
                                  sw.volatility({"x": a, "y": a}).table())


def test_a_fitted_market_s_repr_is_a_line(demo_panel):
    """``repr(fit_market(panel))`` printed every array of the dataclass: 18,103 characters."""
    m = sw.scenario.fit_market(demo_panel)
    text = repr(m)
    assert len(text) < 300 and "\n" not in text
    assert text.startswith(f"<FittedMarket: {len(m.assets)} assets (ust2y, ust10y")
    assert f"{m.info['models']} identified models" in text
    assert f"fit {m.info['sample'][0]} to {m.info['sample'][1]}, as of {m.info['as_of']}>" in text
