"""The library as a notebook uses it: results stay what they were, arguments are read as meant."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.cli import app
from spillwatch.exceptions import SpillwatchError


@pytest.fixture(scope="module")
def demo_panel() -> pd.DataFrame:
    return sw.load("demo")


def test_changing_a_returned_frame_does_not_change_the_result(demo_panel):
    st = sw.stress("demo")
    last = st.latest()
    frame = st.frame
    frame.loc[:, "regime"] = "calm"                 # the caller's copy
    frame.iloc[-1, frame.columns.get_loc("stress")] = 99.0
    # it changed the cached frame: latest(), to_dict() and a pickle then read "calm" and 99
    assert st.latest()["regime"] == last["regime"] and st.latest()["stress"] == last["stress"]
    assert pickle.loads(pickle.dumps(st)).latest()["stress"] == last["stress"]
    v = sw.var_es(demo_panel["btc_pct"].dropna(), methods=("historical",))
    before = v.summary()
    table = v.table()
    table.loc[:, "var"] = 0.0
    assert v.summary() == before
    roll = sw.connectedness(demo_panel[["ust10y_bp", "usd_broad_pct", "btc_pct"]],
                                    window=150)
    tci = roll.tci
    tci.iloc[-1] = 0.0
    assert roll.tci.iloc[-1] == pytest.approx(roll.at().tci) and roll.tci.iloc[-1] > 0
    with pytest.raises(ValueError, match="read-only"):
        roll.theta[-1, 0, 0] = 0.0                   # an array is a read-only view


def test_a_result_says_what_it_is(demo_panel):
    v = sw.var_es(demo_panel["btc_pct"].dropna(), methods="historical")
    # a bare string was read letter by letter ("unknown VaR method 'h'")
    assert v.table().index.get_level_values("method").unique().tolist() == ["historical"]
    text = repr(v)
    assert text.startswith("<VaRResult: Value at Risk") and "btc_pct" in text
    assert repr(sw.stress("demo")).startswith("<StressResult: stress monitor (SIMULATED) as of ")


def test_a_series_given_where_a_source_is_expected_is_a_clear_error(demo_panel):
    with pytest.raises(SpillwatchError, match=r"got a Series \(give a DataFrame"):
        sw.stress(demo_panel["ust10y_bp"])           # read as a path of its printed values
    with pytest.raises(SpillwatchError, match="market source is a store"):
        sw.scenario.selloff("japan:100e9:4w").simulate(demo_panel["btc_pct"])


def test_zone_aware_dates_read_as_their_day(demo_panel):
    end = demo_panel.index[-30]
    tokyo = pd.Timestamp(end.date()).tz_localize("Asia/Tokyo")
    # each raised pandas' "Cannot compare tz-naive and tz-aware datetime-like objects"
    assert sw.load("demo", start=tokyo).index[0] == end
    st = sw.stress("demo", end=tokyo)
    assert st.latest()["date"] == str(end.date())
    assert st.latest(tokyo)["date"] == str(end.date())
    cols = ["ust10y_bp", "usd_broad_pct", "btc_pct"]
    aware = demo_panel[cols].tz_localize("UTC")
    roll = sw.connectedness(aware, window=150)
    plain = sw.connectedness(demo_panel[cols], window=150)
    assert roll.at(tokyo).tci == pytest.approx(plain.at(end).tci, abs=1e-12)
    np.testing.assert_allclose(roll.tci.to_numpy(), plain.tci.to_numpy())


@pytest.mark.slow
def test_a_share_of_holdings_is_sized_on_the_store_it_runs_on_as_the_cli_sizes_it(real_db,
                                                                                 tmp_path):
    sellers = ["japan:200e9:8w", "china:10%:8w@2w"]
    book = tmp_path / "book.csv"
    book.write_text("asset,weight\nbtc,0.5\nust10y,0.5\n")
    res = sw.scenario.selloff(sellers).simulate(real_db, paths=2000, seed=7,
                                                 portfolio={"btc": 0.5, "ust10y": 0.5})
    # it was 10% of the spring-2025 fallback ($76bn), the CLI's 10% of TIC ($68bn)
    cli = CliRunner().invoke(app, ["scenario", "--seller", ",".join(sellers), "--paths", "2000",
                                   "--seed", "7", "--portfolio", str(book), "--json",
                                   "--data", str(real_db)])
    assert cli.exit_code == 0, cli.output
    doc = json.loads(cli.stdout)
    assert res.scenario.holdings_source.startswith("TIC")
    assert doc["label"] == res.scenario.label() and doc["sellers"] == res.to_dict()["sellers"]
    china = next(s for s in res.scenario.sellers if s.country == "china")
    assert china.share == pytest.approx(0.10)
    assert china.amount_usd == pytest.approx(0.10 * res.scenario.holdings_usd["china"])
    assert json.dumps(res.to_dict()["portfolio"], sort_keys=True, default=str) == json.dumps(
        doc["portfolio"], sort_keys=True, default=str)
    # holdings given are kept, and said to be given (they read "fallback")
    given = sw.scenario.selloff(sellers, holdings_usd={"china": 500e9})
    assert given.holdings_source == "given"
    assert given.simulate(real_db, paths=500, seed=1).scenario.sellers[1].amount_usd == 50e9


@pytest.mark.realdata
def test_a_vintage_given_to_the_library_stays_a_vintage(real_db):
    """open_source rebuilt any source it was given as a plain one: a vintage (the backtest's
    `VintageSource`, what `--as-of` reads) lost its publication cut, and `sw.load` read the
    whole store under the label "as published by 2020-03-18" (1,601 rows after that day);
    the scenario's holdings were TIC's December 2025, the CLI's as of then December 2019
    (tests/scenarios/test_scenario_cli_report.py reads the CLI's label)."""
    from spillwatch.alerts.backtest import VintageSource
    from spillwatch.data.source import open_source
    from spillwatch.scenarios.inputs import holdings_from_source

    with open_source(real_db, read_only=True) as full:
        v = VintageSource.of(full, "2020-03-18")
        panel = sw.load(v, assets=["ust10y", "usd_broad"])
        assert panel.attrs["source"].endswith("as published by 2020-03-18")
        assert panel.index[-1] <= pd.Timestamp("2020-03-18")
        _, where = holdings_from_source(v)
        # (the store's figures, revised since: said, as `demand` says it)
        assert where == ("TIC, month of 2019-12 (the stored table's figures, revised since "
                         "their release)")
        assert open_source(v).known_by == pd.Timestamp("2020-03-18")


@pytest.mark.slow
def test_a_zone_aware_panel_runs_the_stress_monitor_and_a_scenario(demo_panel):
    # stress(panel) gave a result whose latest() raised "Invalid comparison"; zone-aware levels
    # gave 0 rows; a scenario raised "Both dates must have the same UTC offset"
    aware = demo_panel.tz_localize("UTC")
    levels = sw.load("demo", transform="levels")
    with pytest.warns(UserWarning, match="without levels"):
        assert sw.stress(aware).latest()["date"] == str(demo_panel.index[-1].date())
    assert len(sw.stress(demo_panel, levels=levels.tz_localize("UTC")).frame) == len(demo_panel)
    sc = sw.scenario.selloff("japan:100e9:4w")
    book = {"btc": 0.5, "ust10y": 0.5}
    a = sc.simulate(aware, paths=300, seed=3, portfolio=book).var(0.99)
    b = sc.simulate(demo_panel, paths=300, seed=3, portfolio=book).var(0.99)
    assert a == pytest.approx(b)


@pytest.mark.parametrize("twice", [False, True])
def test_dates_out_of_order_or_twice_are_refused(demo_panel, twice):
    # accepted without a word: a reversed panel moved the TCI (0.541 -> 0.518) and a VaR
    # backtest ran from 2023 to 2021
    if twice:
        panel = pd.concat([demo_panel, demo_panel.iloc[-2:]])
        last = demo_panel.index[-2:]
        says = f"{last[0].date()}, {last[1].date()} appear more than once"
    else:
        panel, says = demo_panel.iloc[::-1], "not in increasing order"
    with pytest.raises(SpillwatchError, match=says):
        sw.connectedness(panel[["ust10y_bp", "usd_broad_pct", "btc_pct"]])
    with pytest.raises(SpillwatchError, match=says):
        sw.var_es(panel["btc_pct"])
    with pytest.raises(SpillwatchError, match="unique dates in increasing order"):
        sw.scenario.selloff("japan:100e9:4w").simulate(panel, paths=200)


def test_a_scenario_panel_with_a_column_twice_or_no_dates_is_refused(demo_panel):
    sc = sw.scenario.selloff("japan:100e9:4w")
    with pytest.raises(SpillwatchError, match="btc_pct more than once"):
        sc.simulate(pd.concat([demo_panel, demo_panel[["btc_pct"]]], axis=1), paths=200)
    with pytest.raises(SpillwatchError, match=r"indexed by dates \(a DatetimeIndex\); got "
                                              r"RangeIndex"):
        sc.simulate(demo_panel.reset_index(drop=True), paths=200)


def test_names_given_as_one_string_and_bad_weights(demo_panel):
    from spillwatch.analytics.events import load_events

    first = next(e.id for e in load_events() if pd.Timestamp(e.date) >= demo_panel.index[10])
    # "unknown event id(s) ['c', 'o', ...]": one id, one series and one target as a string
    res = sw.event_study(demo_panel, only=first, series="btc_pct")
    assert res.table().reset_index()["series"].unique().tolist() == ["btc_pct"]
    assert sw.covar(demo_panel, targets="btc_pct").table().index.get_level_values(0)\
        .unique().tolist() == ["btc_pct"]
    inf = demo_panel.copy()
    inf.iloc[-5, inf.columns.get_loc("btc_pct")] = np.inf
    with pytest.raises(SpillwatchError, match="'btc_pct' has infinite values"):
        sw.event_study(inf)                          # CAR inf, t inf, p 0.0
    for w in ((np.inf, 1, 1, 1, 1), (np.nan, 1, 1, 1, 1)):
        with pytest.raises(SpillwatchError, match="finite non-negative numbers"):
            sw.stress("demo", weights=w)             # NaN index read "elevated"


@pytest.mark.parametrize("call, says", [
    (lambda p: sw.covar(p, q=None), "q must be a lower-tail probability"),
    (lambda p: sw.covar(p, q="0.05"), "q must be a lower-tail probability"),
    (lambda p: sw.event_study(p, gap=None), "gap must be a whole number of days; got None"),
    (lambda p: sw.event_study(p, window=(None, 3)), "window start must be a whole number"),
    (lambda p: sw.event_study(p, window=(1, 2, 3)), r"window must be \(start, end\)"),
    (lambda p: sw.scenario.selloff(None), "seller must be a country"),
    (lambda p: sw.scenario.selloff(5), "seller must be a country"),
    (lambda p: sw.stress("demo", bogus=1), "unknown stress option.s. bogus; choose from"),
])
def test_an_option_of_the_wrong_kind_is_named(demo_panel, call, says):
    # each raised a raw TypeError ("'<' not supported", "unexpected keyword argument", ...)
    with pytest.raises(SpillwatchError, match=says):
        call(demo_panel)


def test_one_number_where_a_list_is_expected_is_a_list_of_one(demo_panel):
    # bands=5 raised "'int' object is not iterable", stress=0.95 a raw TypeError
    x = demo_panel[["ust10y_bp", "usd_broad_pct", "btc_pct"]]
    assert list(sw.connectedness(x, bands=5).band_tci.index) == ["1-5", ">5"]
    assert sw.covar(demo_panel, stress=0.95).table().shape[0] >= 1


def test_numpy_numbers_are_numbers(demo_panel):
    # np.float32(0.99) was "not a probability in (0.5, 1)", np.float32 amounts "not a number"
    v = sw.var_es(demo_panel["btc_pct"].dropna(), level=np.float32(0.99), methods="historical")
    assert v.spec.level == pytest.approx(0.99)
    c = sw.covar(demo_panel, targets="btc_pct", q=np.float32(0.05), stress=np.float64(0.95))
    assert type(c.spec.q) is float and c.spec.stress == (0.95,)
    seller = sw.scenario.Seller("japan", np.float64(2e11), np.int64(8))
    assert type(seller.amount_usd) is float and type(seller.weeks) is int
    assert sw.StressIndex(lam=np.float32(0.98), window=np.int32(60)).window == 60
    for bad in (True, np.bool_(True), "0.99"):
        with pytest.raises(SpillwatchError, match="level must be a probability"):
            sw.var_es(demo_panel["btc_pct"].dropna(), level=bad)


def test_a_text_cell_is_named_with_its_column_and_date(demo_panel):
    x = demo_panel[["ust10y_bp", "btc_pct"]].astype(object)
    day = x.index[-5]
    x.loc[day, "btc_pct"] = "n/a"
    # numpy's bare "could not convert string to float: 'n/a'"
    says = f"'btc_pct' is not numeric: 'n/a' on {day:%Y-%m-%d}"
    with pytest.raises(SpillwatchError, match=says):
        sw.var_es(x["btc_pct"], methods="historical")
    with pytest.raises(SpillwatchError, match=says):
        sw.connectedness(x)
    x.loc[day, "btc_pct"] = pd.NA                    # a missing value, as NaN is
    got = sw.var_es(x["btc_pct"], methods="historical").table()
    assert got.equals(sw.var_es(demo_panel["btc_pct"].where(demo_panel.index != day),
                                methods="historical").table())


def test_a_value_too_large_to_compute_with_is_refused(demo_panel):
    x = demo_panel.copy()
    day = x.index[-30]
    x.loc[day, "btc_pct"] = 1e200
    # an annual volatility of inf (EWMA), a CoVaR of 0 on 1e300, collinearity blamed
    says = f"'btc_pct' holds 1e\\+200 on {day:%Y-%m-%d}, too large to compute with"
    with pytest.raises(SpillwatchError, match=says):
        sw.volatility(x[["btc_pct"]], model="ewma")
    with pytest.raises(SpillwatchError, match=says):
        sw.covar(x, targets="btc_pct")
    with pytest.raises(SpillwatchError, match=says):
        sw.connectedness(x[["ust10y_bp", "btc_pct"]])


def test_a_scenario_refuses_a_daily_change_no_market_makes(demo_panel):
    x = demo_panel.copy()
    day = x.index[-300]
    x.loc[day, "gold_pct"] = 1e6
    # its fan reached infinite quantiles, with a RuntimeWarning as the only word
    with pytest.raises(SpillwatchError, match=f"gold_pct changes by \\+1000000% on "
                                              f"{day:%Y-%m-%d}, beyond any market's daily move "
                                              r"\(at most 690\.8%\)"):
        sw.scenario.selloff("japan:200e9:8w").simulate(x, paths=200)
    # a series of the user's in its own unit (shares traded) has no such limit
    from spillwatch.scenarios.propagation import _refuse_impossible

    _refuse_impossible(pd.DataFrame({"csv_spvol_chg": [9.5e8, -3e8]}))


def test_options_the_estimators_cannot_use_are_refused_at_once(demo_panel):
    # an event study of 2 estimation days ran a market model with no residual left
    with pytest.raises(SpillwatchError, match="min_estimation must be at least 5 days with 2 "
                                              "factor"):
        sw.event_study(demo_panel, estimation=2, min_estimation=2)
    # var_es(window=50, fit_window=100) was accepted and failed at .table()
    with pytest.raises(SpillwatchError, match=r"fit_window \(100\) is shorter than the "
                                              r"volatility model's min_obs \(200\)"):
        sw.var_es(demo_panel["btc_pct"].dropna(), window=50, fit_window=100)
    hist = sw.var_es(demo_panel["btc_pct"].dropna(), window=50, fit_window=100,
                     methods="historical")
    assert hist.table()["window"].iloc[0] == 50
    # factors="spx_pct" was read letter by letter: no factor found, the constant mean
    res = sw.event_study(demo_panel, factors="spx_pct", series="btc_pct")
    assert set(res.car["factors"]) == {"spx_pct"}


def test_a_result_is_read_only_all_the_way_down(demo_panel):
    # dicts and lists on a result were handed out as they were stored
    st = sw.stress("demo")
    limit = st.latest()["inputs"]["vix"]["stale_after_days"]
    st.stale_limits["vix"] = 0                       # changed latest()'s stale limit to 0
    assert st.latest()["inputs"]["vix"]["stale_after_days"] == limit
    v = sw.var_es(demo_panel[["btc_pct"]].dropna(), methods="historical")
    var = v.table()["var"].iloc[0]
    mine = v.series["btc_pct"]
    mine.loc[:] = 0.0                                # changed the historical VaR
    assert v.table()["var"].iloc[0] == var
    x = demo_panel[["ust10y_bp", "usd_broad_pct", "btc_pct", "eth_pct"]]
    b = sw.connectedness(x, window=150).blocks({"rates_dollar": ["ust10y_bp", "usd_broad_pct"],
                                                 "crypto": ["btc_pct", "eth_pct"]})
    before = b.table().copy()
    b.to_dict()["groups"]["rates_dollar"].append("btc_pct")   # changed b.groups, then table()
    b.groups["crypto"].append("ust10y_bp")
    pd.testing.assert_frame_equal(b.table(), before)
    assert repr(sw.Store()) == "<Store :memory: (in memory)>"


def test_a_date_with_a_time_of_day_is_its_day(demo_panel):
    day = demo_panel.index[-40]
    at_ten = pd.Timestamp(day.date().isoformat() + " 10:00", tz="America/New_York")
    # load(start=...) began the next day; VaR backtest(start=...) raised a raw TypeError
    assert sw.load("demo", start=at_ten).index[0] == day
    assert sw.load("demo", start=f"{day:%Y-%m-%d} 10:00").index[0] == day
    v = sw.var_es(demo_panel["btc_pct"].dropna(), methods="historical", window=250,
                  fit_window=250)
    early = demo_panel.index[-600]
    got = v.backtest(start=pd.Timestamp(f"{early:%Y-%m-%d} 10:00", tz="America/New_York"))
    assert got.table().equals(v.backtest(start=early).table())
    with pytest.raises(SpillwatchError, match="start 'x' is not a date"):
        v.backtest(start="x")


@pytest.mark.parametrize("call, says", [
    (lambda x: sw.connectedness(x, horizon=100, bands=True), "bands must be periods in days"),
    (lambda x: sw.connectedness(x, horizon=100, bands="5,20"), "bands must be periods in days"),
    (lambda x: sw.connectedness(x, horizon=100, bands=(True, 20)),
     "band edges must be numbers of observations"),
    (lambda x: sw.covar(x, stress=None), "stress must be percentiles in"),
    (lambda x: sw.covar(x, stress=True), "stress must be percentiles in"),
])
def test_options_of_the_wrong_kind_are_named_too(demo_panel, call, says):
    # raw TypeError ("'bool' object is not iterable"), ValueError, or edges ('5', ',', '2', '0')
    with pytest.raises(SpillwatchError, match=says):
        call(demo_panel[["ust10y_bp", "usd_broad_pct", "btc_pct"]])


def test_a_band_edge_written_as_a_decimal_is_exact():
    from spillwatch.analytics.connectedness._frequency import band_index

    # 4.6 * 25 = 114.99999999999999: the period of exactly 4.6 (j = 25 at H = 115) fell in
    # the band above its edge, on both sides of the spectrum
    idx = band_index(115, (4.6,))
    assert idx[25] == idx[115 - 25] == 0 and idx[24] == 1 and idx[26] == 0
    assert band_index(100, (5.0, 20.0))[20] == 0 and band_index(100, (5.0, 20.0))[19] == 1


def test_a_dollar_sale_is_checked_against_the_holdings_it_runs_on(real_db):
    # the library refused japan:1150bn against the spring-2025 fallback ($1,130bn) where the
    # CLI ran it on the store's TIC
    res = sw.scenario.selloff(["japan:1150bn:8w"]).simulate(real_db, paths=200)
    assert res.scenario.holdings_source.startswith("TIC, month of")
    assert res.scenario.holdings_usd["japan"] >= 1150e9
    with pytest.raises(SpillwatchError, match=r"holds only \$1,130\.0bn, per fallback"):
        sw.scenario.selloff(["japan:1150bn:8w"]).simulate(sw.load("demo"), paths=200)
