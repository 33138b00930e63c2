"""Demand inputs at their edges: the smallest offering read, the weak/strong cut-offs, the
custody z-score's three-year yardstick."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from demand_csv import synthetic_auctions

from spillwatch.analytics.demand.auctions import MIN_SIZE_BN, auction_table
from spillwatch.analytics.demand.custody import custody_signals


@pytest.fixture()
def rng():
    return np.random.default_rng(11)




def test_an_offering_of_exactly_the_minimum_is_read(rng):
    """Offerings of $1bn or more are read as demand (``MIN_SIZE_BN``, "smallest offering whose
    shares are read"): a $1.0bn auction is scored, a $0.99bn one is excluded."""
    assert MIN_SIZE_BN == 1.0
    a = synthetic_auctions(40, rng)
    a.loc[30, "size_bn"] = 1.0
    a.loc[31, "size_bn"] = 0.99
    t = auction_table(a, scale_min=10)
    assert not bool(t["excluded"].iloc[30]) and np.isfinite(t["weakness"].iloc[30])
    assert bool(t["excluded"].iloc[31]) and np.isnan(t["weakness"].iloc[31])


def test_weak_and_strong_include_their_cut_off(rng):
    """An auction is weak at a score of ``threshold`` or more and strong at ``-threshold`` or
    less (the two flags mirror each other): with the cut-off set to a row's own |score|, that
    row is flagged on either side."""
    t = auction_table(synthetic_auctions(40, rng), scale_min=10)
    w = t["weakness"].dropna()
    neg, pos = w[w < 0].iloc[-1], w[w > 0].iloc[-1]
    t_neg = auction_table(synthetic_auctions(40, np.random.default_rng(11)), scale_min=10,
                          threshold=float(-neg))
    t_pos = auction_table(synthetic_auctions(40, np.random.default_rng(11)), scale_min=10,
                          threshold=float(pos))
    assert bool(t_neg.loc[w[w < 0].index[-1], "strong"])
    assert bool(t_pos.loc[w[w > 0].index[-1], "weak"])


def test_custody_z_uses_three_years_of_weeks_before(rng):
    """The custody 1-week and 4-week z-scores measure a change against the mean and sample
    standard deviation of the 156 weekly changes before it (three years), by default."""
    idx = pd.date_range("2015-01-07", periods=260, freq="7D")
    lvl = pd.Series(3.0e6 + np.cumsum(rng.normal(0, 5000.0, 260)), index=idx)   # USD mn
    out = custody_signals(lvl)
    chg = lvl.diff() / 1000.0
    past = chg.iloc[-157:-1]
    want = (chg.iloc[-1] - past.mean()) / past.std(ddof=1)
    assert out["custody_chg1_z"].iloc[-1] == pytest.approx(want, rel=1e-10)
    chg4 = (lvl - lvl.shift(4)) / 1000.0
    past4 = chg4.iloc[-157:-1]
    want4 = (chg4.iloc[-1] - past4.mean()) / past4.std(ddof=1)
    assert out["custody_chg4_z"].iloc[-1] == pytest.approx(want4, rel=1e-10)


def test_a_missing_custody_week_is_not_a_one_week_change():
    """The custody changes are taken on a gap-free Wednesday calendar: after a missing week
    the 1-week change is unknown (not the two weeks' move), and the 4-week change is to the
    level four calendar weeks before."""
    idx = pd.date_range("2024-01-03", periods=10, freq="7D")
    lvl = pd.Series(1000.0 * (1.0 + np.arange(10.0) ** 2), index=idx)   # USD mn
    out = custody_signals(lvl.drop(idx[5]))
    assert idx[5] not in out.index
    assert np.isnan(out.loc[idx[6], "custody_chg1_usd_bn"])
    one = (lvl[idx[7]] - lvl[idx[6]]) / 1e3
    four = (lvl[idx[6]] - lvl[idx[2]]) / 1e3
    assert out.loc[idx[7], "custody_chg1_usd_bn"] == pytest.approx(one)
    assert out.loc[idx[6], "custody_chg4_usd_bn"] == pytest.approx(four)


def test_two_operations_on_one_day_are_one_intervention_day():
    """``intervention_days`` counts the days with a dollar-selling operation in a quarter: two
    operations on 2022-10-21 (MOF reports each) and one on 2022-10-24 are 2 days, not 3."""
    from spillwatch.analytics.demand.japan import intervention_detail

    ops = pd.DataFrame({
        "date": pd.to_datetime(["2022-09-22", "2022-10-21", "2022-10-21", "2022-10-24"]),
        "currency_pair": "USDJPY", "direction": "sell_USD_buy_JPY",
        "amount_jpy_bn": [2838.2, 3000.0, 2562.8, 729.6]})
    days, _ = intervention_detail(ops, through=pd.Timestamp("2023-06-30"))
    assert days.loc["2022-09-30", "intervention_days"] == 1.0
    assert days.loc["2022-12-31", "intervention_days"] == 2.0


def test_the_two_month_sum_starts_with_the_first_report():
    """``intervention_usd_sold_2m_jpy_bn`` is the dollars sold in the report's month and the one
    before: the record's first report (2022-09, ¥2,838.2bn) shows its own month's sale, the
    next month's report the same ¥2,838.2bn, the one after nothing; dollars bought count
    negative."""
    from spillwatch.analytics.demand.japan import intervention_reports

    ops = pd.DataFrame({"date": pd.to_datetime(["2022-09-22", "2022-12-05"]),
                        "currency_pair": "USDJPY",
                        "direction": ["sell_USD_buy_JPY", "sell_JPY_buy_USD"],
                        "amount_jpy_bn": [2838.2, 100.0]})
    rep = intervention_reports(ops, through=pd.Timestamp("2023-01-31"))
    two = rep["intervention_usd_sold_2m_jpy_bn"]
    assert two.iloc[0] == pytest.approx(2838.2)
    assert two.iloc[1] == pytest.approx(2838.2)
    assert two.iloc[2] == 0.0
    assert rep["intervention_usd_sold_jpy_bn"].iloc[3] == pytest.approx(-100.0)
    assert rep["intervention_yen_buying_jpy_bn"].sum() == pytest.approx(2838.2)


def _months(n: int) -> pd.DatetimeIndex:
    return pd.date_range("2015-01-31", periods=n, freq="ME")


def test_valuation_is_the_drivers_part_without_the_constant(rng):
    """The month's valuation is the fitted value of its drivers alone; the constant (the
    window's typical flow) stays in the flow: changes of 5 + 2·dollar split into 2·dollar of
    valuation and a flow of 5, not a valuation of 5 + 2·dollar and no flow."""
    from spillwatch.analytics.demand.reserves import valuation_split

    idx = _months(40)
    dollar = pd.Series(rng.normal(0, 1.5, 40), index=idx)
    change = 5.0 + 2.0 * dollar
    out = valuation_split(change, dollar.to_frame("usd"), min_fit=24)
    last = out.iloc[-1]
    assert last["valuation"] == pytest.approx(2.0 * dollar.iloc[-1], abs=1e-6)
    assert last["flow"] == pytest.approx(5.0, abs=1e-6)


def test_valuation_fit_reads_the_48_months_before():
    """Each month's fit reads the complete months of the 48 before it (four years), checked
    against statsmodels' Huber regression on exactly those months: a window one month short
    left out the oldest month (here the one that moves the fit)."""
    from statsmodels.robust.norms import HuberT
    from statsmodels.robust.robust_linear_model import RLM

    from spillwatch.analytics.demand.reserves import valuation_split

    rng = np.random.default_rng(5)
    idx = _months(60)
    x = pd.Series(rng.normal(0, 1.0, 60), index=idx)
    y = 1.0 + 2.0 * x + rng.normal(0, 0.5, 60)
    y.iloc[59 - 48] += 4.0              # the oldest month of the last month's window
    out = valuation_split(y, x.to_frame("usd"), min_fit=24)
    win = slice(59 - 48, 59)
    fit = RLM(y.iloc[win].to_numpy(), np.column_stack([np.ones(48), x.iloc[win].to_numpy()]),
              M=HuberT()).fit()
    assert out["valuation"].iloc[-1] == pytest.approx(fit.params[1] * x.iloc[-1], rel=1e-9)


def test_a_quarter_s_intervention_days_count_from_its_detail_release_day():
    """A quarter's daily detail is out on the 10th of the second month after it (2022 Q4:
    2023-02-10, a Friday): ``intervention_detail`` through that very day includes the
    quarter, through the day before does not."""
    from spillwatch.analytics.demand.japan import intervention_detail

    ops = pd.DataFrame({"date": pd.to_datetime(["2022-09-22", "2022-10-21", "2022-10-24"]),
                        "currency_pair": "USDJPY", "direction": "sell_USD_buy_JPY",
                        "amount_jpy_bn": [2838.2, 5620.2, 729.6]})
    on, rel_on = intervention_detail(ops, through=pd.Timestamp("2023-02-10"))
    before, _ = intervention_detail(ops, through=pd.Timestamp("2023-02-09"))
    assert pd.Timestamp("2022-12-31") in on.index
    assert on.loc["2022-12-31", "intervention_days"] == 2.0
    assert rel_on[-1] == pd.Timestamp("2023-02-10")
    assert pd.Timestamp("2022-12-31") not in before.index


def test_japan_four_week_sum_needs_all_four_weeks():
    """Japan's 4-week net foreign-bond purchases need the four weeks: with a week missing from
    MOF's file, the sums whose weeks include it are unknown, not a 3-week sum read as four.
    ¥100m in the file, ¥bn in the signals."""
    from spillwatch.analytics.demand.inputs import MOF_BOND_NET
    from spillwatch.analytics.demand.japan import japan_weekly_signals

    sat = pd.date_range("2024-01-06", periods=10, freq="7D")
    net = pd.Series(np.arange(1.0, 11.0) * 100.0, index=sat)       # ¥100m
    out = japan_weekly_signals(net.drop(sat[5]).to_frame(MOF_BOND_NET))
    assert out.loc[sat[4], "japan_bond_net4_jpy_bn"] == pytest.approx((2 + 3 + 4 + 5) * 10.0)
    for d in sat[6:9]:
        assert np.isnan(out.loc[d, "japan_bond_net4_jpy_bn"])
    assert out.loc[sat[9], "japan_bond_net4_jpy_bn"] == pytest.approx((7 + 8 + 9 + 10) * 10.0)
