"""Foreign-demand monitor on small hand-made inputs: each piece against a plain reference."""

from __future__ import annotations

import bisect
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from demand_csv import synthetic_auctions

from spillwatch.analytics._recursive import past_zscore, recursive_ecdf, recursive_upper_tail
from spillwatch.analytics.demand import (
    FRAME_COLUMNS,
    GROUP_NAMES,
    DemandGauge,
    DemandInputs,
    SignalOptions,
    demand,
    demand_fact_dates,
    demand_facts,
    sell_america_check,
)
from spillwatch.analytics.demand._asof import Native
from spillwatch.analytics.demand.auctions import auction_class, auction_rolling, auction_table
from spillwatch.analytics.demand.gauge import harmonic_mean
from spillwatch.analytics.demand.hedging import first_fresh, hedged_pickup
from spillwatch.analytics.demand.japan import intervention_detail, intervention_reports
from spillwatch.exceptions import ConfigError, DataError
from spillwatch.timing import timing_of

# -- recursive helpers against plain loops ---------------------------------------------------


def _plain_upper_tail(x: np.ndarray, min_obs: int) -> np.ndarray:
    out, seen = np.full(len(x), np.nan), []
    for t, v in enumerate(x):
        if np.isnan(v):
            continue
        bisect.insort(seen, v)
        if len(seen) >= min_obs:
            out[t] = (len(seen) - bisect.bisect_left(seen, v)) / len(seen)
    return out


def _plain_past_z(x: np.ndarray, window: int, min_obs: int) -> np.ndarray:
    out = np.full(len(x), np.nan)
    for t in range(len(x)):
        past = x[max(0, t - window):t]
        past = past[~np.isnan(past)]
        if len(past) >= min_obs and not np.isnan(x[t]) and past.std(ddof=1) > 0:
            out[t] = (x[t] - past.mean()) / past.std(ddof=1)
    return out


def test_recursive_helpers_match_plain_loops(rng):
    x = rng.standard_normal(400).round(1)  # rounded: many ties
    x[[5, 50, 51, 300]] = np.nan
    frame = pd.DataFrame({"x": x})
    np.testing.assert_allclose(recursive_upper_tail(frame, min_obs=30)["x"].to_numpy(),
                               _plain_upper_tail(x, 30), rtol=0, atol=1e-15, equal_nan=True)
    np.testing.assert_allclose(past_zscore(pd.Series(x), window=50, min_obs=20).to_numpy(),
                               _plain_past_z(x, 50, 20), rtol=1e-12, atol=1e-12,
                               equal_nan=True)
    ecdf = recursive_ecdf(frame, min_obs=1)["x"].to_numpy()
    ok = ~np.isnan(x)
    # F + q = 1 + (ties at t)/n, and both in (0, 1]
    assert np.all(ecdf[ok] > 0) and np.all(ecdf[ok] <= 1)


def test_harmonic_mean_skips_missing():
    q = pd.DataFrame({"a": [0.5, 0.01, np.nan], "b": [0.5, 1.0, np.nan]})
    hm = harmonic_mean(q)
    assert hm.iloc[0] == pytest.approx(0.5)
    assert hm.iloc[1] == pytest.approx(2 / (1 / 0.01 + 1))
    assert np.isnan(hm.iloc[2])


# -- as-of calendar ------------------------------------------------------------------------


def test_native_respects_release_and_staleness():
    # two Wednesdays of custody, released Thursdays, stale after 16 days
    vals = pd.DataFrame({"v": [1.0, 2.0]}, index=pd.to_datetime(["2025-04-02", "2025-04-09"]))
    nat = Native.timed(vals, "fred:WMTSECL1", "custody")
    grid = pd.bdate_range("2025-04-01", "2025-04-30")
    on = nat.on(grid)["v"]
    assert np.isnan(on["2025-04-02"])            # observed but not yet published
    assert on["2025-04-03"] == 1.0                # Thursday release
    assert on["2025-04-09"] == 1.0 and on["2025-04-10"] == 2.0
    assert on["2025-04-25"] == 2.0                # 16 days after 04-09
    assert np.isnan(on["2025-04-28"])             # stale: missing, not carried
    rep = nat.last_reported(pd.DatetimeIndex(["2025-04-28"])).iloc[0]
    assert rep["observed"] == pd.Timestamp("2025-04-09")
    assert rep["released"] == pd.Timestamp("2025-04-10")


def test_intervention_release_is_the_monthly_report():
    t = timing_of("mof:intervention_usdjpy")
    assert t.released("2024-04-29") == pd.Timestamp("2024-05-31")  # stealth, reported in May
    assert t.released("2022-09-22") == pd.Timestamp("2022-09-30")
    assert t.released("2022-10-24") == pd.Timestamp("2022-10-31")
    assert t.released("2024-04-22") == pd.Timestamp("2024-04-30")
    idx = t.released_index(pd.DatetimeIndex(["2024-04-29", "2024-07-11"]))
    assert list(idx) == [pd.Timestamp("2024-05-31"), pd.Timestamp("2024-07-31")]


def test_intervention_reports_sign_zero_months_and_two_month_sum():
    ops = pd.DataFrame({
        "date": pd.to_datetime(["2024-04-29", "2024-05-01", "2024-07-11", "2011-08-04",
                                "2024-07-12"]),
        "currency_pair": ["USD/JPY"] * 5,
        "direction": ["sell_USD_buy_JPY", "sell_USD_buy_JPY", "sell_USD_buy_JPY",
                      "sell_JPY_buy_USD", "sell_USD_buy_JPY"],
        "amount_jpy_bn": [5918.5, 3870.0, 3167.8, 4512.9, 2367.0]})
    rep = intervention_reports(ops, through=pd.Timestamp("2024-09-30"))
    assert rep.loc["2011-08-31", "intervention_usd_sold_jpy_bn"] == pytest.approx(-4512.9)
    may = rep.loc["2024-05-31"]
    assert may["intervention_usd_sold_jpy_bn"] == pytest.approx(9788.5)
    assert "intervention_days" not in rep      # the monthly report gives the total only
    # the days come with the quarter's detail, early in the second month after it
    days, released = intervention_detail(ops, through=pd.Timestamp("2024-09-30"))
    when = dict(zip(days.index, released, strict=True))
    assert days.loc["2011-09-30", "intervention_days"] == 0      # dollars bought, none sold
    assert days.loc["2024-06-30", "intervention_days"] == 2      # 04-29 and 05-01
    assert when[pd.Timestamp("2024-06-30")] == pd.Timestamp("2024-08-12")  # 08-10 a Saturday
    assert when[pd.Timestamp("2022-09-30")] == pd.Timestamp("2022-11-10")  # out on 11-08
    assert days.index[-1] == pd.Timestamp("2024-06-30")  # July-September's not out by 09-30
    assert rep.loc["2024-04-30", "intervention_usd_sold_jpy_bn"] == 0.0  # a month with none
    # a report is dated on the month's last weekday: 2024-06-30 is a Sunday, 08-31 a Saturday
    assert rep.loc["2024-06-28", "intervention_usd_sold_2m_jpy_bn"] == pytest.approx(9788.5)
    assert rep.loc["2024-08-30", "intervention_usd_sold_2m_jpy_bn"] == pytest.approx(5534.8)
    assert rep.index[-1] == pd.Timestamp("2024-09-30")


# -- auctions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("term", "tenor", "cls"), [
    ("9-Year 10-Month", "10-Year", 10), ("2-Year", "5-Year", 2),
    ("29-Year 11-Month", "30-Year", 30), ("19-Year 10-Month", "20-Year", 20),
    (None, "7-Year", 7)])
def test_auction_class(term, tenor, cls):
    assert auction_class(term, tenor) == cls




def test_auction_table_against_hand_computation(rng):
    a = synthetic_auctions(40, rng)
    a.loc[len(a)] = {"date": pd.Timestamp("2021-01-05"), "tenor": "10-Year",
                     "term": "9-Year 10-Month", "size_bn": 0.025, "bid_to_cover": 3.4,
                     "indirect_pct": 0.0, "dealer_pct": 100.0, "direct_pct": 0.0,
                     "dispersion_bp": 0.5}
    t = auction_table(a, trailing=6, min_trailing=3, scale_min=10, threshold=1.0)
    assert bool(t["excluded"].iloc[-1]) and np.isnan(t["weakness"].iloc[-1])
    use = t[~t["excluded"]].reset_index(drop=True)
    i = 30
    avg = use["indirect_pct"].iloc[i - 6:i].mean()
    assert use["indirect_avg_pct"].iloc[i] == pytest.approx(avg)
    dev = use["indirect_dev_pp"]
    rms = math.sqrt((dev.iloc[:i].dropna() ** 2).mean())
    assert use["indirect_z"].iloc[i] == pytest.approx(dev.iloc[i] / rms)
    w = (-use["indirect_z"] - use["btc_z"] + use["dealer_z"]) / 3
    np.testing.assert_allclose(use["weakness"], w, equal_nan=True)
    assert (use["weak"] == (use["weakness"] >= 1.0)).all()
    # the 28-day rolling mean: auctions on (d - 28, d]
    roll = auction_rolling(t)
    d = use["date"].iloc[35]
    inside = use[(use["date"] > d - pd.Timedelta(days=28)) & (use["date"] <= d)]
    assert roll.loc[d, "auction_weakness_28d"] == pytest.approx(inside["weakness"].mean())


def test_auction_weak_and_strong_flags(rng):
    a = synthetic_auctions(40, rng)
    a.loc[38, ["indirect_pct", "dealer_pct", "bid_to_cover"]] = [40.0, 40.0, 2.1]  # dealers stuck
    a.loc[39, ["indirect_pct", "dealer_pct", "bid_to_cover"]] = [88.0, 5.0, 2.8]   # foreigners in
    t = auction_table(a, scale_min=10)
    assert bool(t["weak"].iloc[38]) and not bool(t["strong"].iloc[38])
    assert bool(t["strong"].iloc[39]) and not bool(t["weak"].iloc[39])


# -- hedged pick-up ------------------------------------------------------------------------


def test_hedged_pickup_formula_and_fallback():
    idx = pd.bdate_range("2025-01-01", periods=30)
    sofr = pd.Series(4.3, index=idx).where(idx < idx[20])  # SOFR missing after day 20
    bill = pd.Series(4.2, index=idx)
    usd, src = first_fresh(sofr, bill)
    assert (usd.iloc[:20] == 4.3).all() and (usd.iloc[20:] == 4.2).all()
    assert (src.iloc[:20] == 0).all() and (src.iloc[20:] == 1).all()
    h = hedged_pickup(pd.Series(4.0, index=idx), pd.Series(1.5, index=idx), usd,
                      pd.Series(0.5, index=idx))
    assert h["hedged_pickup_pct"].iloc[0] == pytest.approx(4.0 - 1.5 - (4.3 - 0.5))
    assert h["hedged_pickup_pct"].iloc[-1] == pytest.approx(4.0 - 1.5 - (4.2 - 0.5))
    assert h["hedged_pickup_chg20_bp"].iloc[-1] == pytest.approx(10.0)


def test_hedged_pickup_change_does_not_count_a_switch_of_source():
    """The OECD 3-month yen rate (0.82) went stale on 2025-05-21 and TONA (0.48) took over:
    the 20-day change read -51 bp with no market move. Priced off today's sources at both
    ends, a switch is no move."""
    idx = pd.bdate_range("2025-04-01", periods=45)
    ust = pd.Series(np.linspace(4.2, 4.4, 45), index=idx)      # the market: +20 bp
    jgb = pd.Series(1.3, index=idx)
    bill = pd.Series(4.3, index=idx)
    oecd = pd.Series(0.82, index=idx).where(idx < idx[35])     # stale from day 35
    tona = pd.Series(0.48, index=idx)
    usd, usd_src = first_fresh(bill, None)
    jpy, jpy_src = first_fresh(oecd, tona)
    plain = hedged_pickup(ust, jgb, usd, jpy)
    h = hedged_pickup(ust, jgb, usd, jpy, usd_candidates=(bill, None),
                      jpy_candidates=(oecd, tona), usd_source=usd_src, jpy_source=jpy_src)
    move = 100.0 * (ust.iloc[40] - ust.iloc[20])
    assert plain["hedged_pickup_chg20_bp"].iloc[40] == pytest.approx(move - 34.0)
    assert h["hedged_pickup_chg20_bp"].iloc[40] == pytest.approx(move)
    assert h["hedged_pickup_chg20_bp"].iloc[30] == pytest.approx(
        100.0 * (ust.iloc[30] - ust.iloc[10]))
    assert_frame = h.drop(columns="hedged_pickup_chg20_bp")
    pd.testing.assert_frame_equal(assert_frame, plain.drop(columns="hedged_pickup_chg20_bp"))


# -- the inputs container ------------------------------------------------------------------


def test_inputs_drop_custody_zeros_and_check_types():
    c = pd.Series([0.0, 0.0, 1.5e6, 1.6e6],
                  index=pd.to_datetime(["2007-06-20", "2007-06-27", "2007-07-04", "2007-07-11"]))
    inp = DemandInputs(custody=c)
    assert list(inp.custody.index) == list(pd.to_datetime(["2007-07-04", "2007-07-11"]))
    assert inp.present == ("custody",)
    assert "auctions" in inp.missing
    with pytest.raises(DataError, match="custody must be a pandas Series"):
        DemandInputs(custody=[1, 2, 3])
    with pytest.raises(DataError, match="lacks the column"):
        DemandInputs(auctions=pd.DataFrame({"date": ["2025-01-01"], "tenor": ["10-Year"]}))
    with pytest.raises(DataError, match="assets_ltdebt_net_jpy100m"):
        DemandInputs(mof_weekly=pd.DataFrame({"x": [1.0]}, index=pd.to_datetime(["2025-01-04"])))
    with pytest.raises(DataError, match="unknown DemandInputs field"):
        DemandInputs(series_ids={"custodian": "fred:X"})


def test_from_frames_maps_store_ids():
    idx = pd.to_datetime(["2025-04-02", "2025-04-09"])
    sat = pd.to_datetime(["2025-03-29", "2025-04-05"])
    inp = DemandInputs.from_frames({
        "fred:WMTSECL1": pd.Series([2900.0, 2930.0], index=idx),   # billions: scaled up
        "treasury:yield_10y_pct": pd.Series([4.2, 4.4], index=idx),
        "mof:weekly_assets_ltdebt_net_jpy100m": pd.Series([-59.0, -25726.0], index=sat),
        "tic:japan_usd_bn": pd.Series([1130.8], index=pd.to_datetime(["2025-03-31"])),
        "other:ignored": pd.Series([1.0], index=idx[:1]),
    })
    assert inp.custody.iloc[-1] == 2_930_000.0
    assert inp.series_ids["ust10y"] == "treasury:yield_10y_pct"
    assert inp.mof_weekly["assets_ltdebt_net_jpy100m"].iloc[-1] == -25726.0
    assert list(inp.tic.columns) == ["japan_usd_bn"]
    assert set(inp.present) == {"custody", "ust10y", "mof_weekly", "tic"}


def test_the_10y_and_the_bill_are_each_day_s_first_published_value():
    """FRED's H.15 is out the next business day, the Treasury's par curve the same evening: on
    the evening of 2025-04-09 the gauge read the 8th's 10-year (4.26%, FRED) beside that
    day's JGB while the store held the 9th's 4.34% (the par curve). Each date's value now
    comes from the source out first; dates only FRED has keep its lag."""
    days = pd.to_datetime(["2025-04-07", "2025-04-08", "2025-04-09", "2025-04-10"])
    fred10 = pd.Series([4.15, 4.26, 4.34, 4.40], index=days)
    par10 = pd.Series([4.15, 4.26, 4.34], index=days[:3])   # the par curve's file stops
    jgb = pd.Series([1.2, 1.3, 1.284, 1.3], index=days)
    inp = DemandInputs.from_frames({"fred:DGS10": fred10, "treasury:yield_10y_pct": par10,
                                    "fred:DGS3MO": fred10 - 0.1,
                                    "treasury:yield_3m_pct": par10 - 0.1,
                                    "mof:jgb_10y": jgb})
    assert inp.ust10y.tolist() == fred10.tolist()
    same, nxt = timing_of("treasury:yield_10y_pct"), timing_of("fred:DGS10")
    want = [*same.released_index(days[:3]), *nxt.released_index(days[3:])]
    assert list(inp.released["ust10y"]) == want == list(inp.released["dgs3mo"])
    assert want[2] == pd.Timestamp("2025-04-09") and want[3] == pd.Timestamp("2025-04-11")
    grid = pd.bdate_range("2025-04-08", "2025-04-11")
    frame = demand(inp, end="2025-04-11").frame
    spread = frame["ust_jgb_10y_spread_pct"].reindex(grid)
    # the evening of the 9th: the 9th's 10-year (4.34 - 1.284); the 10th: FRED's 10th is not
    # out until the 11th, so the 9th's again beside the 10th's JGB
    assert spread["2025-04-09"] == pytest.approx(4.34 - 1.284)
    assert spread["2025-04-10"] == pytest.approx(4.34 - 1.3)
    assert spread["2025-04-11"] == pytest.approx(4.40 - 1.3)
    # FRED alone: its own lag throughout
    alone = demand(DemandInputs.from_frames({"fred:DGS10": fred10, "mof:jgb_10y": jgb}),
                   end="2025-04-11").frame["ust_jgb_10y_spread_pct"]
    assert alone["2025-04-09"] == pytest.approx(4.26 - 1.284)
    with pytest.raises(DataError, match=r"released\['ust10y'\] lacks the release date of 1"):
        DemandInputs(ust10y=fred10, released={"ust10y": inp.released["ust10y"].iloc[:3]})


# -- the gauge on synthetic sources --------------------------------------------------------


def _synthetic(rng, weeks: int = 400) -> DemandInputs:
    wed = pd.date_range("2010-01-06", periods=weeks, freq="7D")
    sat = wed + pd.Timedelta(days=3)
    custody = pd.Series(3e6 + np.cumsum(rng.normal(2e3, 1e4, weeks)), index=wed)
    mof = pd.DataFrame({"assets_ltdebt_net_jpy100m": rng.normal(1000, 8000, weeks)}, index=sat)
    months = pd.date_range("2010-01-31", periods=weeks // 4, freq="ME")
    days = pd.bdate_range("2009-12-01", wed[-1] - pd.Timedelta(days=7))
    dollar = pd.Series(100.0 * np.exp(np.cumsum(rng.normal(0, 0.004, len(days)))), index=days)
    # the reserves are marked down when the dollar rises (valuation), besides their flows
    move = 100.0 * np.log(dollar.reindex(months, method="ffill")).diff().fillna(0.0)
    china = pd.Series(30000 + np.cumsum(rng.normal(0, 300, len(months)) - 200.0 * move),
                      index=months)
    ust10y = pd.Series(3.0 + np.cumsum(rng.normal(0, 0.05, len(days))), index=days)
    return DemandInputs(custody=custody, mof_weekly=mof, china_reserves=china,
                        usd_broad=dollar, ust10y=ust10y)


def test_gauge_bounds_shares_and_missing_groups(rng):
    res = demand(_synthetic(rng), burn_in=50)
    f = res.frame
    assert list(f.columns) == list(FRAME_COLUMNS)
    v = res.valid
    assert len(v) > 500
    assert ((v["gauge"] >= 0) & (v["gauge"] < 1)).all()
    assert ((v["percentile"].dropna() > 0) & (v["percentile"].dropna() <= 100)).all()
    shares = v[[f"share_{g}" for g in GROUP_NAMES]]
    np.testing.assert_allclose(shares.sum(axis=1, min_count=1), 1.0, rtol=1e-12)
    # auctions, interventions and TIC were not given: unavailable (NaN), never zero
    for g in ("japan_official", "auctions"):
        assert f[f"share_{g}"].isna().all() and f[f"tail_{g}"].isna().all()
    assert f["auction_weakness_28d"].isna().all() and f["hedged_pickup_pct"].isna().all()
    last = res.latest()
    assert set(last["groups_unavailable"]) == {"japan_official", "auctions"}
    assert "auctions" in last["missing_inputs"]
    assert "auction_weakness_28d" in last["unavailable"]
    # the top group is the one with the largest share
    row = v.iloc[-1]
    assert row["top_group"] == max(GROUP_NAMES, key=lambda g: np.nan_to_num(
        row[f"share_{g}"], nan=-1))


def test_one_extreme_group_dominates_attribution(rng):
    inp = _synthetic(rng)
    mof = inp.mof_weekly.copy()
    mof.iloc[-1, 0] = -60000.0  # a record sale in the last week
    res = demand(DemandInputs(custody=inp.custody, mof_weekly=mof,
                              china_reserves=inp.china_reserves, usd_broad=inp.usd_broad,
                              ust10y=inp.ust10y), burn_in=50)
    week = mof.index[-1]
    day = timing_of("mof:weekly_x").released(week)
    row = res.frame.loc[day]
    assert row["top_group"] == "japan_private" and row["share_japan_private"] > 0.8
    assert row["japan_bond_net1_z"] < -5
    assert row["percentile"] >= 95
    before = res.frame.loc[:day - pd.Timedelta(days=1)].iloc[-1]
    assert before["japan_bond_net1_jpy_bn"] != pytest.approx(-6000.0)  # not known a day early


def test_min_groups_leaves_gauge_undefined(rng):
    inp = _synthetic(rng)
    res = demand(DemandInputs(custody=inp.custody, mof_weekly=inp.mof_weekly), burn_in=50)
    assert res.frame["gauge"].isna().all()      # two groups < min_groups=3
    assert res.frame["custody_chg4_z"].notna().any()
    assert "the gauge needs 3 groups with a current reading and has 2" in str(res)
    res2 = demand(DemandInputs(custody=inp.custody, mof_weekly=inp.mof_weekly), min_groups=2,
                  burn_in=50)
    assert res2.frame["gauge"].notna().any()


@pytest.mark.parametrize(("options", "match"), [
    ({"weights": (1, 1, 1)}, "weights must be 5"),
    ({"weights": (1, 1, 1, 1, -1)}, "weights must be 5"),
    ({"min_groups": 6}, "min_groups must be at most 5"),
    ({"burn_in": 0}, "burn_in must be an int"),
    ({"signals": {"weekly_window": 10}}, "signals must be a SignalOptions"),
])
def test_spec_validation(options, match):
    with pytest.raises(ConfigError, match=match):
        DemandGauge(**options)


def test_fit_rejects_wrong_input():
    with pytest.raises(DataError, match="must be a DemandInputs"):
        DemandGauge().fit(pd.DataFrame())
    with pytest.raises(DataError, match="holds no data"):
        DemandGauge().fit(DemandInputs())


def test_signal_options_change_the_zscore_window(rng):
    inp = _synthetic(rng)
    a = demand(inp, burn_in=50)
    b = demand(inp, burn_in=50, signals=SignalOptions(weekly_window=52, weekly_min_obs=26))
    assert not np.allclose(a.frame["custody_chg1_z"].dropna().iloc[-50:],
                           b.frame["custody_chg1_z"].dropna().iloc[-50:])


def test_result_verbs(rng):
    res = demand(_synthetic(rng), burn_in=50)
    t = res.table()
    assert {"signal", "unit", "value", "group", "tail", "light"} <= set(t.columns)
    assert t["value"].notna().all()
    assert t.loc["custody_chg4_z", "group"] == "custody"
    long = res.to_frame()
    assert list(long.columns) == ["date", "variable", "value"] and long["value"].notna().all()
    d = res.to_dict()
    assert d["latest"]["date"] == res.valid.index[-1].date().isoformat()
    assert "custody" in d["latest"]["inputs"]
    assert str(res).startswith("foreign demand for Treasuries as of")
    with pytest.raises(ConfigError, match="unknown plot kind"):
        res.plot("pie")


# -- the sell-America companion ------------------------------------------------------------


def test_sell_america_verdicts(rng):
    res = demand(_synthetic(rng), burn_in=50)
    v = res.valid.dropna(subset=["percentile"])
    hi = v.index[v["percentile"] >= 90][:3]
    lo = v.index[v["percentile"] < 50][:3]
    dates = hi.append(lo).append(pd.DatetimeIndex(["1990-01-02"])).sort_values()
    labels = pd.Series("sell_america", index=dates)
    labels.iloc[0] = "none"
    chk = sell_america_check(labels, res, threshold=80)
    f = chk.frame
    assert (f.loc[hi.intersection(f.index[1:]), "verdict"] == "foreign_selling").all()
    assert (f.loc[lo.intersection(f.index[1:]), "verdict"] == "other_news").all()
    assert f.loc["1990-01-02", "verdict"] in ("none", "unknown")
    assert f.iloc[0]["verdict"] == "none"
    ep = chk.episodes()
    assert set(ep["verdict"]) <= {"foreign_selling", "other_news", "unknown"}
    assert "sell-America days" in str(chk)
    # a day whose signature is unavailable (the dollar missing) is not a day without it
    gaps = labels.copy()
    gaps.iloc[1] = "unavailable"
    g = sell_america_check(gaps, res, threshold=80).frame
    assert g.iloc[1]["verdict"] == "no_signature" and g.iloc[0]["verdict"] == "none"
    # ex post reads the highest percentile over the next days (>= the real-time one)
    post = sell_america_check(labels, res, threshold=80, confirm_days=30).frame
    assert (post["percentile"].fillna(-1) >= f["percentile"].fillna(-1)).all()
    with pytest.raises(ConfigError, match="threshold"):
        sell_america_check(labels, res, threshold=180)
    with pytest.raises(DataError, match="Series of labels"):
        sell_america_check(["sell_america"], res)


def test_facts_are_none_when_unavailable(rng):
    inputs = _synthetic(rng)
    res = demand(inputs, burn_in=50)
    gauge_day = res.valid.index[-1]
    facts = demand_facts(res, gauge_day)
    assert facts["demand.weak_long_auction"] is None       # no auctions input
    assert facts["demand.intervention_reported"] is None   # no interventions input
    assert facts["demand.hedged_pickup_pct"] is None
    assert isinstance(facts["demand.custody_chg4_usd_bn"], float)
    # the calendar ends at the release of the data's newest daily or weekly observation (not
    # at China's monthly release, weeks after the data end); an evening past custody's
    # staleness limit: the gauge's facts are still its last reading, custody's is unavailable
    assert res.day() <= gauge_day + pd.Timedelta(days=7)
    late = demand(inputs, burn_in=50, end=gauge_day + pd.Timedelta(days=30))
    end = demand_facts(late)
    assert late.day() > gauge_day + pd.Timedelta(days=16)
    assert end["demand.custody_chg4_usd_bn"] is None
    last = late.valid.index[-1]        # the gauge's last reading by then, of the groups left
    assert end["demand.percentile"] == late.frame.loc[last, "percentile"]
    assert demand_fact_dates(late)["demand.percentile"] == last


def test_percentile_ranks_within_the_groups_present():
    """A group that goes stale changes what the gauge measures, not the scale it is read on:
    the gauge of the groups present today is ranked among that same set's past gauges (the
    stress index's consistent composition). Before, a March-2020 replay read percentile 0.4
    on the day custody (the group carrying the alarm) went stale, ranked against five-group
    days."""
    from spillwatch.analytics.demand.gauge import combine, consistent_percentile

    rng = np.random.default_rng(4)
    t, k = 600, 3
    p = rng.uniform(0.02, 1.0, (t, k))
    p[:100, 2] = np.nan          # group 2 starts late
    p[550:, 0] = np.nan          # group 0 goes stale at the end
    base = np.ones(k)
    ok = (~np.isnan(p)).sum(axis=1) >= 2
    pct = consistent_percentile(p, base, ok, burn_in=50)

    def by_hand(members: list[int], day: int) -> float:
        rows = [s for s in range(day + 1) if not np.isnan(p[s, members]).any()]
        g = combine(p[rows][:, members], base[members])[0]
        return 100.0 * float(np.mean(g <= g[-1]))

    for day in (300, 549):               # all three groups: ranked on the three-group days
        assert pct[day] == pytest.approx(by_hand([0, 1, 2], day))
    # three groups with too short a joint history (21 days on day 120, burn-in 50): the
    # largest older sub-set, without the latest-starting group
    assert pct[120] == pytest.approx(by_hand([0, 1], 120))
    for day in (560, 599):               # group 0 stale: the gauge of groups 1 and 2
        assert pct[day] == pytest.approx(by_hand([1, 2], day))
        gauge_now = combine(p[day:day + 1], base)[0][0]
        assert gauge_now == pytest.approx(combine(p[day:day + 1, 1:], base[1:])[0][0])
    assert np.isnan(pct[:49]).all() and not np.isnan(pct[49])       # burn-in of 50 days


def test_a_stopped_auction_record_is_unknown_not_calm():
    """No auction of any tenor for more than 21 days (never so in 2015-2026) means the record
    stopped: the auction facts are unknown, not 'no weak auction'."""
    from spillwatch.analytics.demand.facts import AUCTION_FEED_STALE_DAYS, auction_columns

    t = pd.DataFrame({"date": pd.to_datetime(["2024-03-05", "2024-03-12", "2024-03-14"]),
                      "class_years": [3, 10, 30], "excluded": False,
                      "weak": [False, False, True], "weakness": [0.1, -0.5, 1.4]})
    days = pd.DatetimeIndex(["2024-03-13", "2024-03-15", "2024-03-25", "2024-04-04",
                             "2024-04-05"])
    got = auction_columns(t, days, 7, (10, 30))
    assert got["weak"] == [False, True, False, False, None]
    assert got["date"][:4] == ["2024-03-12", "2024-03-14", "2024-03-14", "2024-03-14"]
    assert got["tenor"][1] == "30-year" and got["weakness"][1] == 1.4
    assert (pd.Timestamp("2024-04-05") - t["date"].max()).days == AUCTION_FEED_STALE_DAYS + 1
    every = auction_columns(t, days[:1], 7, (2, 3, 5, 7, 10, 20, 30))
    assert every["weak"] == [False] and every["tenor"] == ["10-year"]


def test_every_demand_column_is_named_in_the_signals_docstring():
    # ~75 columns of `demand --out` were defined nowhere a user would look
    import re

    from spillwatch.analytics.demand import signals

    doc = signals.__doc__ or ""
    section = doc[doc.index("Columns of ``spillwatch demand --out``"):]
    names = re.findall(r"``([a-z0-9_*<>]+)``", section)
    pats = [re.compile("^" + re.sub(r"<[a-z]+>|\\\*", ".+", re.escape(n)) + "$") for n in names]
    missing = [c for c in FRAME_COLUMNS if not any(p.match(c) for p in pats)]
    assert not missing, missing


def test_auctions_leave_the_gauge_when_the_record_stops(rng):
    """The rolling auction means ran 27 days past the last auction and were carried 28 more:
    a 3-year auction 55 days old led a critical 'top decile' alert after the record stopped.
    They now end AUCTION_FEED_STALE_DAYS after it, and a row is carried over a long weekend
    only."""
    from spillwatch.analytics.demand.auctions import AUCTION_FEED_STALE_DAYS, ROLLING_CARRY_DAYS

    inp = _synthetic(rng)
    wed = inp.custody.index
    auctions = synthetic_auctions(60, rng)
    auctions["date"] = pd.bdate_range(wed[100], periods=60, freq="7D")
    inp = dataclasses.replace(inp, auctions=auctions)
    res = demand(inp, burn_in=50)
    f = res.frame
    last = auctions["date"].max()
    known = f["auction_weakness_28d"].dropna()
    assert known.index[-1] <= last + pd.Timedelta(days=AUCTION_FEED_STALE_DAYS
                                                  + ROLLING_CARRY_DAYS)
    later = f.loc[last + pd.Timedelta(days=AUCTION_FEED_STALE_DAYS + ROLLING_CARRY_DAYS + 1):]
    assert len(later) and later["auction_weakness_28d"].isna().all()
    assert later["share_auctions"].isna().all() and later["tail_auctions"].isna().all()


def test_the_calendar_ends_the_evening_the_newest_observation_came_out(rng):
    """A store cut on a date holds a monthly input released weeks later (TIC, China's
    reserves): the gauge was read then, without the weekly prints that were stale by that day
    (on the shared data cut at 2020-03-18: percentile 1 on 04-17 against 86 on 03-18)."""
    inp = _synthetic(rng)
    # custody and Japan's week end on a Wednesday just after a month end: that month's
    # reserves come out days after the weekly prints
    wed = inp.custody.index
    cut = next(d for d in wed[300:] if 1 <= d.day <= 3)
    china = inp.china_reserves.loc[:cut - pd.offsets.MonthEnd(1)]
    inp = dataclasses.replace(inp, custody=inp.custody.loc[:cut],
                              mof_weekly=inp.mof_weekly.loc[:cut - pd.Timedelta(days=4)],
                              china_reserves=china,
                              usd_broad=inp.usd_broad.loc[:cut - pd.Timedelta(days=7)],
                              ust10y=inp.ust10y.loc[:cut - pd.Timedelta(days=7)])
    res = demand(inp, burn_in=50)
    newest = max(inp.custody.index[-1], inp.mof_weekly.index[-1],
                 inp.china_reserves.index[-1])
    evening = max(timing_of(inp.series_ids[k]).released(d) for k, d in (
        ("custody", inp.custody.index[-1]), ("mof_weekly", inp.mof_weekly.index[-1]),
        ("china_reserves", inp.china_reserves.index[-1])) if d == newest)
    assert res.frame.index[-1] == evening
    # China's last month came out after it: the calendar ended there, custody stale
    china_out = timing_of(inp.series_ids["china_reserves"]).released(china.index[-1])
    assert china_out > evening
    assert not np.isnan(res.frame["percentile"].iloc[-1])


def test_z_lights_are_on_the_selling_side_only():
    # Japan's TIC holdings up $57 bn (z +3.27) and custody up $67 bn in 4 weeks (z +2.49)
    # read red and amber: buying is not a warning
    from spillwatch.analytics.demand._results import _light

    nan = float("nan")
    assert _light(nan, 3.27, "tic_japan_chg1_z") == "green"
    assert _light(nan, 2.49, "custody_chg4_z") == "green"
    assert _light(nan, -3.27, "tic_japan_chg1_z") == "red"
    assert _light(nan, -2.49, "custody_chg4_z") == "amber"
    assert _light(nan, -1.0, "custody_chg4_z") == "green"


def test_report_dollars_take_the_period_s_mean_rate_as_published_by_the_report():
    """A report gives its period's yen total; its days come a quarter later, so the dollars
    are at the period's mean rate as a reader of the report had it."""
    from spillwatch.analytics.demand.signals import report_dollars

    ops = pd.DataFrame({
        "date": pd.to_datetime(["2024-07-11", "2024-07-12", "2024-07-29", "2024-09-03"]),
        "currency_pair": ["USD/JPY", "USD/JPY", "EUR/JPY", "USD/JPY"],
        "direction": ["sell_USD_buy_JPY", "sell_USD_buy_JPY", "sell_EUR_buy_JPY",
                      "sell_USD_buy_JPY"],
        "amount_jpy_bn": [3200.0, 1600.0, 100.0, 1500.0]})
    reports = intervention_reports(ops, through=pd.Timestamp("2024-10-31"))
    days = pd.bdate_range("2024-06-03", "2024-10-31")
    rate = pd.Series(np.linspace(160.0, 140.0, len(days)), index=days)
    fx = Native.timed(rate.to_frame("usdjpy"), "fred:DEXJPUS", "usdjpy")
    got = report_dollars(reports, fx)
    # July's report (07-31) covers the days whose report it is (settled in July: 06-27..07-29),
    # of them those out by 07-31 (the week to 07-26 on 07-29): 06-27..07-26; not the
    # operation days' 158.x
    july = 4800.0 / rate["2024-06-27":"2024-07-26"].mean()
    assert got.loc["2024-07-31", "intervention_usd_sold_usd_bn"] == pytest.approx(july)
    assert july != pytest.approx(3200.0 / rate["2024-07-11"] + 1600.0 / rate["2024-07-12"])
    assert got.loc["2024-08-30", "intervention_usd_sold_usd_bn"] == 0.0
    assert got.loc["2024-08-30", "intervention_usd_sold_2m_usd_bn"] == pytest.approx(july)
    sep = got.loc["2024-09-30", "intervention_usd_sold_usd_bn"]
    # settled in September: 08-29 (Labor Day puts its spot on 09-03) to 09-26, all out by
    # 09-30 (the week to 09-27 on that Monday)
    assert sep == pytest.approx(1500.0 / rate["2024-08-29":"2024-09-26"].mean())
    # no rate published after a report's release changes its dollars
    cut = rate[:"2024-07-26"].copy()
    moved = pd.concat([cut, rate["2024-07-29":] * 2.0])
    fx_moved = Native.timed(moved.to_frame("usdjpy"), "fred:DEXJPUS", "usdjpy")
    assert report_dollars(reports, fx_moved).loc["2024-07-31", "intervention_usd_sold_usd_bn"] \
        == pytest.approx(july)
    # a report whose period has no published rate: the last rate published by its release
    early = reports.loc[["2024-09-30"]].rename(index={pd.Timestamp("2024-09-30"):
                                                      pd.Timestamp("2024-09-04")})
    known = rate[:"2024-08-30"].iloc[-1]              # H.10's week to 08-30, out 09-03
    assert report_dollars(early, fx).iloc[0]["intervention_usd_sold_usd_bn"] == \
        pytest.approx(1500.0 / known)
    # no rate within its staleness limit: unknown in dollars, never a guess
    old = Native.timed(rate[:"2024-06-10"].to_frame("usdjpy"), "fred:DEXJPUS", "usdjpy")
    gone = report_dollars(reports, old)
    assert np.isnan(gone.loc["2024-07-31", "intervention_usd_sold_usd_bn"])
    assert gone.loc["2024-08-30", "intervention_usd_sold_usd_bn"] == 0.0   # nothing sold
    none = report_dollars(reports, None)
    assert none.loc["2024-08-30", "intervention_usd_sold_usd_bn"] == 0.0
    assert np.isnan(none.loc["2024-08-30", "intervention_usd_sold_2m_usd_bn"])


# -- China's reserves net of valuation ---------------------------------------------------------


def _china_market(rng, months: int = 120):
    """A broad dollar index and reserves whose change is 25 bn per 1% dollar fall, plus flows."""
    ends = pd.date_range("2012-01-31", periods=months, freq="ME")
    days = pd.bdate_range(ends[0] - pd.Timedelta(days=40), ends[-1] + pd.Timedelta(days=20))
    step = rng.normal(0, 0.003, len(days))
    step[days.get_indexer([ends[100]], method="pad")[0]] += 0.04   # the dollar +4% in a day
    dollar = pd.Series(100.0 * np.exp(np.cumsum(step)), index=days)
    move = 100.0 * np.log(dollar.reindex(ends, method="pad")).diff().fillna(0.0).to_numpy()
    flow = 3.0 + rng.normal(0, 8.0, months)
    flow[100] = 3.0                                               # the rally's month: no sale
    flow[110] -= 60.0                                             # a sale, the dollar calm
    level = 30000.0 + np.cumsum(10.0 * (flow - 25.0 * move))      # 100 million USD
    return pd.Series(level, index=ends), dollar, move


def test_a_dollar_rally_is_valuation_and_a_sale_is_a_flow(rng):
    """China's reserve change was read as selling whatever moved it: a dollar up 4% marks the
    euro and yen holdings down ~$100 bn (raw z below -2.5), with no sale. Net of the valuation
    fitted on earlier months only, that month is ordinary and a $60 bn sale with the dollar
    calm stands out (Brown, Durbin & Evans's standardised prediction error)."""
    from spillwatch.analytics.demand.reserves import MIN_FIT_MONTHS, Published, china_signals

    reserves, dollar, move = _china_market(rng)
    pub = Published(dollar, pd.DatetimeIndex(dollar.index) + pd.Timedelta(days=3))
    out = china_signals(reserves, dollar=pub,
                        released=lambda idx: idx + pd.Timedelta(days=8))
    rally, sale = reserves.index[100], reserves.index[110]
    assert move[100] > 3.5
    assert out.loc[rally, "china_reserves_chg1_z"] < -2.5
    assert out.loc[rally, "china_reserves_valuation_usd_bn"] == pytest.approx(
        -25.0 * move[100], rel=0.1)
    assert abs(out.loc[rally, "china_reserves_flow_z"]) < 2.0
    assert out.loc[sale, "china_reserves_flow_z"] < -3.0
    assert out.loc[sale, "china_reserves_flow_usd_bn"] == pytest.approx(
        out.loc[sale, "china_reserves_chg1_usd_bn"]
        - out.loc[sale, "china_reserves_valuation_usd_bn"])
    # the fit needs MIN_FIT_MONTHS complete months before (the first change is month 2)
    first = out["china_reserves_flow_z"].first_valid_index()
    assert first == reserves.index[1 + MIN_FIT_MONTHS]
    # without the dollar there is no split: unavailable, not the raw change
    bare = china_signals(reserves)
    assert bare["china_reserves_flow_z"].isna().all()
    assert bare["china_reserves_chg1_z"].notna().any()


def test_a_tic_holder_s_yield_markdown_is_valuation_and_a_sale_is_a_flow(rng):
    """TIC's holdings are at market value: a month the 10-year rose 60 bp marked Japan's and
    China's lines down with no sale (about -$5 bn and -$3 bn per +10 bp on the shared data),
    and the gauge's China indicator, the raw change's z-score, read it as selling. Net of the
    valuation fitted on earlier months, that month is ordinary and a $40 bn sale with yields
    calm stands out; the markdown's size is recovered."""
    from spillwatch.analytics.demand.reserves import Published, tic_signals

    months = pd.date_range("2010-01-31", periods=150, freq="ME")
    dy = rng.normal(0.0, 15.0, len(months))          # the 10-year's monthly move, bp
    dy[120] = 60.0                                     # a sell-off month
    dy[130] = 0.0
    flow = rng.normal(0.0, 4.0, len(months))
    flow[130] = -40.0                                  # a sale with yields calm
    level = 1000.0 + np.cumsum(flow - 0.5 * dy)        # -$5 bn per +10 bp
    tic = pd.DataFrame({"china_mainland_usd_bn": level}, index=months)
    days = pd.bdate_range(months[0] - pd.Timedelta(days=40), months[-1] + pd.Timedelta(days=60))
    ten = pd.Series(3.0 + np.interp(days.asi8, months.asi8, np.cumsum(dy) / 100.0), days)
    pub = Published(ten, pd.DatetimeIndex(days) + pd.Timedelta(days=1))
    out = tic_signals(tic, ust10y=pub, released=lambda idx: idx + pd.Timedelta(days=49))
    sell_off, sale = months[120], months[130]
    assert out.loc[sell_off, "tic_china_mainland_chg1_z"] < -2.0      # read as selling
    assert out.loc[sell_off, "tic_china_mainland_valuation_usd_bn"] == pytest.approx(
        -30.0, rel=0.15)
    assert abs(out.loc[sell_off, "tic_china_mainland_flow_z"]) < 2.0
    assert out.loc[sale, "tic_china_mainland_flow_z"] < -3.0
    assert out.loc[sale, "tic_china_mainland_flow_usd_bn"] == pytest.approx(
        out.loc[sale, "tic_china_mainland_chg1_usd_bn"]
        - out.loc[sale, "tic_china_mainland_valuation_usd_bn"])
    # without the 10-year: no split, and the gauge reads China on its reserves alone
    bare = tic_signals(tic)
    assert bare["tic_china_mainland_flow_z"].isna().all()
    assert bare["tic_china_mainland_chg1_z"].notna().any()


def test_why_china_s_tic_line_sits_out_names_the_10_year():
    """TIC's China line counts net of the 10-year's mark: without a current 10-year it sits
    out, and the note says so (it said "too little history to rank it")."""
    from spillwatch.analytics.demand._results import _why_missing, why_unavailable

    fresh = {"observed": "2024-06-28", "stale": False}
    inputs = {"tic": fresh, "china_reserves": fresh, "usd_broad": fresh}
    assert _why_missing("tic_china_mainland_flow_z", inputs, {}) == (
        " (its valuation needs the 10-year yield: ust10y not given)")
    assert why_unavailable("china", "2024-06-28", inputs).endswith(
        "(ust10y not given); so does its TIC line (at market value))")
    inputs["ust10y"] = fresh
    assert "24 complete months" in _why_missing("tic_china_mainland_flow_z", inputs, {})


def test_a_later_evening_refits_only_its_new_months(rng):
    """Each month's fit reads only earlier months, so a later evening's run (the monitor's
    next cycle, a replay's next day) reuses every earlier fit, with the same numbers."""
    from spillwatch.analytics.demand.reserves import _huber_fit, valuation_split

    reserves, _dollar, move = _china_market(rng)
    change = reserves.diff()
    drivers = pd.DataFrame({"dollar": move}, index=reserves.index)
    _huber_fit.cache_clear()
    early = valuation_split(change.iloc[:100], drivers.iloc[:100])
    fitted = _huber_fit.cache_info().misses
    assert fitted == early["z"].notna().sum() > 50
    late = valuation_split(change, drivers)
    info = _huber_fit.cache_info()
    assert info.hits == fitted and info.misses == late["z"].notna().sum()
    pd.testing.assert_frame_equal(late.iloc[:100], early)
    _huber_fit.cache_clear()                                   # computed afresh: the same
    pd.testing.assert_frame_equal(valuation_split(change, drivers), late)


def test_a_month_end_dollar_published_after_the_reserves_is_not_used(rng):
    """The valuation of a month reads the dollar as published by SAFE's release day: a month
    end the H.10 printed later is the last day it had printed (here a week earlier), and a
    dollar published weeks late leaves the month without a split."""
    from spillwatch.analytics.demand.reserves import Published, china_signals

    days = pd.bdate_range("2024-01-01", "2024-03-15")
    values = pd.Series(np.arange(len(days), dtype=float) + 100.0, index=days)
    late = Published(values, pd.DatetimeIndex(days) + pd.Timedelta(days=9))
    ends = pd.DatetimeIndex(["2024-01-31", "2024-02-29"])
    deadline = ends + pd.Timedelta(days=8)
    got = late.at(ends, deadline)
    want = [values.loc[:d - pd.Timedelta(days=1)].iloc[-1] for d in ends]   # released by 8 d
    assert got.tolist() == want
    assert late.at(ends, ends).tolist() == [values.loc[:"2024-01-22"].iloc[-1],
                                            values.loc[:"2024-02-20"].iloc[-1]]
    # published 20 days late: the last value known by the deadline is 12+ days old: none
    very_late = Published(values, pd.DatetimeIndex(days) + pd.Timedelta(days=20))
    assert np.isnan(very_late.at(ends, deadline)).all()
    reserves, dollar, _ = _china_market(rng)
    out = china_signals(reserves, dollar=Published(
        dollar, pd.DatetimeIndex(dollar.index) + pd.Timedelta(days=20)),
        released=lambda idx: idx + pd.Timedelta(days=8))
    assert out["china_reserves_flow_z"].isna().all()
    with pytest.raises(ValueError, match="released"):
        china_signals(reserves, dollar=Published(dollar, pd.DatetimeIndex(dollar.index)))


def test_the_gauge_says_china_needs_a_current_dollar(rng):
    inp = _synthetic(rng)
    res = demand(dataclasses.replace(inp, usd_broad=None), min_groups=2, burn_in=50)
    assert res.frame["tail_china"].isna().all()
    assert "usd_broad" in res.latest()["missing_inputs"]
    assert ("China (last observed" in str(res)
            and "needs the broad dollar and the 10-year yield (usd_broad not given" in " ".join(
                str(res).split()))


def test_a_change_that_rounds_to_no_dollars_reads_flat_not_rose():
    """Custody up $0.2 bn over the 8 weeks to 2020-03-11 read "custody rose $0 bn" (and
    "buying" beside a scenario)."""
    from spillwatch.analytics.demand.facts import _moved

    assert _moved(0.2) == "was flat (+$0.2 bn)"
    assert _moved(-0.44) == "was flat (-$0.4 bn)"
    assert _moved(-0.5) == "was flat (-$0.5 bn)" and _moved(-0.51) == "fell $1 bn"
    assert _moved(-39.2) == "fell $39 bn" and _moved(17.0) == "rose $17 bn"
    assert _moved(0.3, ("sold", "bought"), be="were") == "were flat (+$0.3 bn)"
    assert _moved(-1_234.0, ("sold", "bought")) == "sold $1,234 bn"
    # Japan's investors (a plural subject): "net foreign-bond purchases was flat"
    from spillwatch.analytics.demand.facts import _japan_flows

    assert _japan_flows(0.3, np.nan, "$") == (
        "Japan's investors' net foreign-bond purchases were flat (+$0.3 bn) in 8 weeks")


def test_a_pickup_without_its_inputs_says_which_one_is_missing(rng):
    """A store without JGB yields read no hedged pick-up and left it out of every table
    without a word (and ``missing_inputs`` listed "released", a field of the inputs' own
    bookkeeping, on every reading)."""
    from spillwatch.analytics.demand._results import hedge_notes

    inp = _synthetic(rng)
    days = pd.bdate_range(inp.ust10y.index[0], inp.custody.index[-1] + pd.Timedelta(days=7))
    rates = {"jgb10y": 1.0, "dgs3mo": 4.0, "tona": 0.5}
    full = dataclasses.replace(inp, ust10y=inp.ust10y.reindex(days).ffill(),
                               **{k: pd.Series(v, index=days) for k, v in rates.items()})
    last = demand(full, burn_in=50).latest()
    assert last["signals"]["hedged_pickup_pct"] is not None and hedge_notes(last) == []
    assert "released" not in last["missing_inputs"]

    no_jgb = demand(dataclasses.replace(full, jgb10y=None), burn_in=50).latest()
    assert "jgb10y" in no_jgb["missing_inputs"] and "released" not in no_jgb["missing_inputs"]
    assert hedge_notes(no_jgb) == [
        f"no hedged pick-up nor UST–JGB spread on {no_jgb['date']}: the 10-year JGB yield is "
        "not in the data"]

    # a JPY rate of the other source keeps the pick-up; neither leaves only the spread
    assert hedge_notes(demand(dataclasses.replace(
        full, tona=None, ir3tib=pd.Series(0.4, index=days)), burn_in=50).latest()) == []
    no_jpy = demand(dataclasses.replace(full, tona=None), burn_in=50).latest()
    assert no_jpy["signals"]["ust_jgb_10y_spread_pct"] is not None
    assert hedge_notes(no_jpy) == [
        f"no hedged pick-up on {no_jpy['date']}: a JPY short rate (3-month interbank or TONA) "
        "is not in the data"]
