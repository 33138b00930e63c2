import numpy as np
import pandas as pd
import pytest

import spillwatch as sw
from spillwatch.data.panel import build_panel
from spillwatch.exceptions import ConfigError, DataError


def put(store, sid, dates, values):
    store.upsert(pd.DataFrame({"series_id": sid, "ts": pd.to_datetime(dates), "value": values}))


@pytest.fixture
def mini(store):
    # Thu 2024-01-04 .. Tue 2024-01-09; Monday 01-08 is a holiday for rates only
    put(store, "fred:DGS10", ["2024-01-04", "2024-01-05", "2024-01-09"], [4.00, 4.05, 3.95])
    put(store, "fred:DTWEXBGS", ["2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"],
        [120.0, 121.0, 121.5, 120.5])
    days = pd.date_range("2024-01-04", "2024-01-09", freq="D")
    put(store, "binance:BTCUSDT", days, [100.0, 110.0, 90.0, 95.0, 121.0, 120.0])
    return store


def test_business_calendar_and_crypto_sampling(mini):
    lv = build_panel(mini, assets=["ust10y", "usd_broad", "btc"], transform="levels")
    assert lv.index.strftime("%Y-%m-%d").tolist() == [
        "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"]
    assert list(lv.columns) == ["ust10y_pct", "usd_broad_idx", "btc_usd"]
    assert np.isnan(lv.loc["2024-01-08", "ust10y_pct"])  # no forward fill
    assert lv.loc["2024-01-08", "btc_usd"] == 121.0  # Monday's UTC close, not the weekend


def test_changes_units_and_weekend_in_monday(mini):
    ch = build_panel(mini, assets=["ust10y", "usd_broad", "btc"])
    assert list(ch.columns) == ["ust10y_bp", "usd_broad_pct", "btc_pct"]
    assert ch.loc["2024-01-05", "ust10y_bp"] == pytest.approx(5.0)
    # the move across the rates holiday is kept, placed on the next print
    assert ch.loc["2024-01-09", "ust10y_bp"] == pytest.approx(-10.0)
    assert np.isnan(ch.loc["2024-01-08", "ust10y_bp"])
    assert ch.loc["2024-01-05", "usd_broad_pct"] == pytest.approx(100 * np.log(121 / 120))
    # Monday's crypto change spans Friday close -> Monday close (weekend included)
    assert ch.loc["2024-01-08", "btc_pct"] == pytest.approx(100 * np.log(121 / 110))
    assert ch.attrs["transform"] == "changes" and ch.attrs["simulated"] is False


def test_every_day_calendar(mini):
    lv = build_panel(mini, assets=["btc"], transform="levels", calendar="every_day")
    assert len(lv) == 6


def test_sources_are_spliced_first_wins(store):
    put(store, "fred:DGS2", ["2024-01-02", "2024-01-03"], [4.0, 4.1])
    put(store, "treasury:yield_2y_pct", ["2024-01-01", "2024-01-02", "2024-01-04"],
        [3.9, 9.9, 4.2])
    lv = build_panel(store, assets=["ust2y"], transform="levels")
    assert lv["ust2y_pct"].tolist() == [3.9, 4.0, 4.1, 4.2]


def test_long_gap_gives_nan_change(store):
    put(store, "fred:DGS10", ["2024-01-02", "2024-01-03", "2024-01-22"], [4.0, 4.1, 4.5])
    ch = build_panel(store, assets=["ust10y"])
    assert np.isnan(ch.loc["2024-01-22", "ust10y_bp"])


def test_weekly_series_asof_and_changes(store):
    put(store, "fred:DGS10", pd.bdate_range("2024-01-01", "2024-01-31"), 4.0)
    put(store, "fred:STLFSI4", ["2024-01-05", "2024-01-12", "2024-01-20"], [-0.5, -0.2, 0.1])
    lv = build_panel(store, assets=["ust10y", "stlfsi"], transform="levels")
    assert lv.loc["2024-01-10", "stlfsi_idx"] == -0.5
    assert lv.loc["2024-01-15", "stlfsi_idx"] == -0.2
    assert np.isnan(lv.loc["2024-01-04", "stlfsi_idx"])
    assert np.isnan(lv.loc["2024-01-31", "stlfsi_idx"])  # older than 10 days
    ch = build_panel(store, assets=["ust10y", "stlfsi"])
    assert ch.loc["2024-01-12", "stlfsi_chg"] == pytest.approx(0.3)
    assert ch.loc["2024-01-22", "stlfsi_chg"] == pytest.approx(0.3)  # Saturday -> Monday
    assert ch["stlfsi_chg"].notna().sum() == 2


def test_missing_asset_errors(store):
    put(store, "fred:DGS10", ["2024-01-02"], [4.0])
    with pytest.raises(DataError, match=r"no data for asset .btc.*binance:BTCUSDT"):
        build_panel(store, assets=["ust10y", "btc"])
    with pytest.raises(ConfigError, match="unknown asset 'bitcoin'"):
        build_panel(store, assets=["bitcoin"])
    with pytest.raises(DataError, match="transform"):
        build_panel(store, transform="returns")


def test_empty_store_and_missing_default_store(store, tmp_path):
    with pytest.raises(DataError, match="none of the watch-list"):
        build_panel(store)
    with pytest.raises(DataError, match="no store at"):
        sw.load(db=tmp_path / "absent.duckdb")


@pytest.mark.slow
@pytest.mark.realdata
def test_real_panel_alignment(shared_data, real_db):
    # the folder as a user passes it once; the session's store of it for the other reads
    ch = sw.load(shared_data, assets=["ust10y", "usd_broad", "btc", "trump"])
    assert (ch.index.day_of_week < 5).all()
    apr = ch.loc["2025-04-07":"2025-04-11"]
    assert apr["ust10y_bp"].sum() == pytest.approx(47.0)  # 4.01% (04-04) -> 4.48% (04-11)
    lv = sw.load(real_db, assets=["ust10y", "usd_broad", "btc"], transform="levels")
    assert lv.loc["2025-04-08", "btc_usd"] == pytest.approx(76322, abs=1)
    assert lv.loc["2025-04-08", "usd_broad_idx"] == pytest.approx(127.1, abs=0.05)
    assert lv.loc["2025-04-21", "usd_broad_idx"] == pytest.approx(122.7, abs=0.05)
    # a Monday crypto return includes the weekend: equals the log change Friday->Monday close
    fri, mon = lv.loc["2025-04-04", "btc_usd"], lv.loc["2025-04-07", "btc_usd"]
    full = sw.load(real_db, assets=["ust10y", "btc"])
    assert full.loc["2025-04-07", "btc_pct"] == pytest.approx(100 * np.log(mon / fri))


@pytest.mark.realdata
def test_load_gives_an_asset_the_same_changes_whatever_else_is_loaded(real_db):
    """``sw.load`` built the calendar from the assets asked for: bitcoin had 2,089 changes
    alone, 2,074 with the watch list, and beside gold (which prints on US holidays) its moves
    were split and it stopped at gold's last print (2025-10-03); its VaR read 6.86% against
    `risk`'s 7.59%. On the US markets' days, every set gives the risk command's series."""
    from spillwatch.data.source import open_source
    from spillwatch.service import risk as risk_service
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        want = risk_service.risk_panel(ws, start=None)["btc_pct"].dropna()
    for assets in (None, ["btc"], ["btc", "gold"], ["btc", "usdcny"], ["trump", "btc"]):
        got = sw.load(real_db, assets=assets)["btc_pct"].dropna()
        pd.testing.assert_series_equal(got, want, check_names=False, check_freq=False)
    gold = sw.load(real_db, assets=["gold", "btc"], transform="levels")
    # gold's print of a US holiday (2025-07-04) rolls into the next day of the calendar
    assert pd.Timestamp("2025-07-04") not in gold.index
    ch = sw.load(real_db, assets=["gold"])["gold_pct"]
    lv = sw.load(real_db, assets=["gold"], transform="levels")["gold_usd"]
    assert ch["2025-07-07"] == pytest.approx(100 * np.log(lv["2025-07-07"] / lv["2025-07-03"]))


def test_metadata_travels_with_the_panel_without_being_copied(mini):
    import copy

    ch = build_panel(mini, assets=["ust10y", "usd_broad", "btc"])
    sampling, sources = ch.attrs["sampling"], ch.attrs["sources"]
    # pandas deep-copies attrs on every operation; frozen metadata copies to itself
    for derived in (ch.diff(), ch.dropna(), ch[["btc_pct"]], ch.iloc[1:], ch * 2.0):
        assert derived.attrs["sampling"] is sampling and derived.attrs["sources"] is sources
    assert copy.deepcopy(sampling) is sampling
    assert sampling["btc_pct"]["series"] == "binance:BTCUSDT"
    assert sources["btc"] == ("binance:BTCUSDT",)
    with pytest.raises(TypeError):
        sampling["btc_pct"]["series"] = "x"            # shared, so it cannot be changed
    assert dict(sampling["btc_pct"]) == {
        "asset": "btc", "series": "binance:BTCUSDT", "sampled_utc": 24.0,
        "calendar": "every_day", "frequency": "daily"}


def test_frozen_values():
    from spillwatch._frozen import FrozenMap, freeze

    arr = np.arange(3.0)
    m = freeze({"a": [1, {"b": arr}], "c": FrozenMap({"d": 1})})
    assert m["a"][0] == 1 and isinstance(m["a"][1], FrozenMap)
    with pytest.raises(ValueError):
        m["a"][1]["b"][0] = 9.0                          # arrays are read-only views
    assert arr[0] == 0.0 and arr.flags.writeable           # the caller's array is untouched
    assert m == {"a": (1, {"b": m["a"][1]["b"]}), "c": {"d": 1}}
    assert len(m) == 2 and list(m) == ["a", "c"] and "FrozenMap" in repr(m)


def test_basis_point_changes_carry_no_binary_round_off():
    """4.25 - 4.16 is 0.08999999999999986 in binary: a 9 bp day read 8.999999999999986 bp and
    fell below a 9 bp threshold (the risk command counted 102 Treasury sell-off days where the
    data have 122)."""
    from spillwatch import universe
    from spillwatch.data.panel import level_changes

    y = pd.Series([4.16, 4.25, 4.34, 4.25, 4.31, 4.02],
                  index=pd.bdate_range("2025-04-01", periods=6))
    ch = level_changes(y, universe.ASSETS["ust10y"]).dropna()
    assert ch.tolist() == [9.0, 9.0, -9.0, 6.0, -29.0]
    assert (ch >= 9.0).sum() == 2
    # a price's log change is not rounded
    p = pd.Series([100.0, 101.0], index=y.index[:2])
    want = 100.0 * (np.log(101.0) - np.log(100.0))
    assert level_changes(p, universe.ASSETS["spx"]).iloc[-1] == want


@pytest.mark.realdata
def test_real_treasury_changes_are_whole_basis_points(real_db):
    """Both sources quote yields to two decimals: every change is a whole number of bp."""
    ws_panel = sw.load(real_db, assets=["ust2y", "ust5y", "ust10y", "ust30y"])
    for c in ws_panel.columns:
        s = ws_panel[c].dropna()
        assert len(s) > 10_000, c
        assert (s == s.round()).all(), (c, s[s != s.round()].head())


def test_load_and_stress_refuse_a_bad_window():
    """sw.load(start="2025-13-45") raised pandas' DateParseError, a start after the end gave
    an empty frame, and sw.stress(panel, start=, end=) ignored both."""
    with pytest.raises(ConfigError, match=r"start '2025-13-45' is not a date"):
        sw.load("demo", start="2025-13-45")
    with pytest.raises(ConfigError, match="start 2025-01-01 is after end 2024-01-01"):
        sw.load("demo", start="2025-01-01", end="2024-01-01")
    ch, lv = sw.load("demo"), sw.load("demo", transform="levels")
    res = sw.stress(ch, levels=lv, start="2025-01-02", end="2025-06-30")
    assert res.frame.index[0] >= pd.Timestamp("2025-01-02")
    assert res.frame.index[-1] <= pd.Timestamp("2025-06-30")
    with pytest.raises(ConfigError, match="after end"):
        sw.stress(ch, levels=lv, start="2026-01-01", end="2025-01-01")
