"""The foreign-demand monitor on ../shared/data: published values, episodes, no look-ahead."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spillwatch.analytics.demand import (
    GROUP_NAMES,
    DemandInputs,
    compare_with_scenario,
    demand,
    demand_facts,
    observed_selling,
)
from spillwatch.analytics.demand.facts import demand_fact_dates
from spillwatch.analytics.demand.inputs import EVENT_FIELDS, FRAME_FIELDS, SERIES_FIELDS
from spillwatch.timing import timing_of

pytestmark = pytest.mark.realdata

JAPAN_WINDOWS = {"2022 interventions": ("2022-09-22", "2022-10-31"),
                 "2024 interventions": ("2024-04-26", "2024-05-31")}


def _csv(root, rel, col=None):
    f = pd.read_csv(root / rel, parse_dates=["date"], index_col="date")
    return f[col] if col else f.iloc[:, 0]


@pytest.fixture(scope="module")
def real_ws(real_db):
    """One workspace on the session's real store for the tests below that read the whole store
    (its gauge, its evenings' facts, the report's section): the store's series, the inputs and
    the whole history's gauge are read and computed once and shared read-only, as the server's
    workspace shares them between requests; an evening made from it (``compute_facts``'s
    ``as_of``, ``vintage_workspace``) reads the store's frames once for all."""
    from spillwatch.data.source import open_source
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        yield ws


# -- published values, dated by their release ------------------------------------------------


def test_custody_level_known_on_thursday(demand_result):
    f = demand_result.frame
    assert f.loc["2025-04-10", "custody_usd_bn"] == pytest.approx(2932.857)  # README spot check
    assert f.loc["2025-04-09", "custody_usd_bn"] != pytest.approx(2932.857)   # Wednesday: not yet
    # no value from FRED's zeros before 2007-07
    nat = demand_result.signals.natives["custody"].values
    assert nat.index[0] >= pd.Timestamp("2007-07-01") and (nat["custody_usd_bn"] > 0).all()


def test_japan_week_to_2025_04_05_is_an_outlier_sale(demand_result):
    f = demand_result.frame
    # MOF published it on Thursday 04-10 at 08:50 in Tokyo: 23:50 UTC on Wednesday 04-09, the
    # evening the seed article's pause came (it was left out of that evening)
    row = f.loc["2025-04-09"]
    assert row["japan_bond_net1_jpy_bn"] == pytest.approx(-2572.6)
    assert row["japan_bond_net1_z"] < -2.0          # measured -2.49
    assert f.loc["2025-04-08", "japan_bond_net1_jpy_bn"] != pytest.approx(-2572.6)
    facts = demand_facts(demand_result, "2025-04-09")
    assert facts["demand.japan_bond_net1_z"] < -2.0


def test_auction_flags(demand_result):
    t = demand_result.auctions
    ten = t[(t["date"] == "2025-04-09") & (t["class_years"] == 10)].iloc[0]
    assert ten["indirect_pct"] == pytest.approx(87.90, abs=0.01)
    assert not ten["weak"] and ten["strong"]        # measured weakness -1.60
    seven = t[(t["date"] == "2021-02-25") & (t["class_years"] == 7)].iloc[0]
    assert seven["weak"]                            # measured weakness 3.25
    assert seven["indirect_dev_pp"] < -20 and seven["dealer_dev_pp"] > 15
    scored = t["weakness"].notna()
    rate = t.loc[scored, "weak"].mean()
    assert 0.05 < rate < 0.2, rate                  # measured 93 of 879 (10.6 %)
    # the two $0.025 bn off-cycle issues are not read as demand
    assert t.loc[t["size_bn"] < 1, "excluded"].all() and t["excluded"].sum() == 2


def test_the_auctions_input_is_dated_by_its_last_auction(demand_result):
    """The rolling means have a row every business day past the last auction: the inputs
    table read the evening itself (2020-03-16) as the auctions' last observation, so the input
    could never be stale; the last auction before it was on 03-12."""
    t = demand_result.auctions
    for day in ("2020-03-16", "2022-10-21"):
        last = pd.Timestamp(t.loc[t["date"] <= day, "date"].max())
        got = demand_result.inputs_reported(day)["auctions"]
        assert pd.Timestamp(got["observed"]) == last < pd.Timestamp(day), (day, got)
    assert demand_result.inputs_reported("2020-03-16")["auctions"]["observed"] == "2020-03-12"


def test_interventions_become_known_at_the_monthly_report(demand_result):
    f = demand_result.frame
    assert f.loc["2024-05-30", "intervention_usd_sold_jpy_bn"] == 0.0
    assert f.loc["2024-05-31", "intervention_usd_sold_jpy_bn"] == pytest.approx(9788.5)
    # the month-end report gives the total only: the days (04-29, 05-01) come in MOF's
    # quarterly detail, out in the first days of August (the monthly report was read as
    # having them, and the alert fired on days not yet published)
    assert f.loc["2024-05-31", "intervention_days"] == 0         # January-March's detail
    assert f.loc["2024-08-09", "intervention_days"] == 0
    assert f.loc["2024-08-12", "intervention_days"] == 2         # April-June's, 08-10 a Saturday
    # the row says which quarter it counts (on 08-09 the last detail was January-March's)
    label = demand_result.signals_table("2024-08-09").loc["intervention_days", "signal"]
    assert "of 2024 Q1" in label, label
    assert "of 2024 Q2" in demand_result.signals_table("2024-08-12").loc[
        "intervention_days", "signal"]
    facts = demand_facts(demand_result, "2024-08-01")
    assert facts["demand.intervention_reported"] is True          # 07-31's report: ¥5,534.8bn
    assert facts["demand.intervention_days"] == 0                 # 07-11/12 not yet dated
    assert demand_fact_dates(demand_result, "2024-08-01")["demand.intervention_days"] == \
        pd.Timestamp("2024-03-31")
    assert f.loc["2022-09-30", "intervention_yen_buying_jpy_bn"] == pytest.approx(2838.2)
    assert f.loc["2022-10-31", "intervention_usd_sold_2m_jpy_bn"] == pytest.approx(
        2838.2 + 5620.2 + 729.6)
    facts = demand_facts(demand_result, "2024-06-03")
    assert facts["demand.intervention_reported"] is True
    assert facts["demand.intervention_usd_bn"] == pytest.approx(
        f.loc["2024-06-03", "intervention_usd_sold_usd_bn"])


#: MOF's published periods of its monthly reports (the trades settled in the month), and the
#: last day of each whose H.10 rate was out by the report (the month's last weekday).
MOF_PERIODS = {"2024-07": ("2024-06-27", "2024-07-26"),     # 06-27..07-29; 07-29 out 08-05
               "2022-09": ("2022-08-30", "2022-09-23"),     # 08-30..09-28; 09-26.. out 10-03
               "2022-10": ("2022-09-29", "2022-10-27")}     # 09-29..10-27, out 10-31


def _period_mean(fx: pd.Series, month: str) -> float:
    """Mean USD/JPY of the days MOF's report of ``month`` covers, as published by it."""
    first, last = MOF_PERIODS[month]
    return float(fx[first:last].mean())


def test_intervention_dollars_are_at_the_report_period_s_mean_rate(demand_result, shared_data):
    """August 2024's "last two reports" read ¥5.53tn as $38bn at the report's USD/JPY of
    146.98; July's period averaged about 158. The operation days' rates (157.9-158.6) are
    public only with the quarter's detail, after the report."""
    ops = pd.read_csv(shared_data / "holdings/mof_fx_intervention_daily.csv",
                      parse_dates=["date"])
    fx = _csv(shared_data, "fred/DEXJPUS.csv")
    ops = ops[ops["direction"] == "sell_USD_buy_JPY"].set_index("date")["amount_jpy_bn"]
    f = demand_result.frame
    july = ops["2024-07-01":"2024-07-31"].sum() / _period_mean(fx, "2024-07")
    assert july == pytest.approx(35.0, abs=0.5)
    for day in ("2024-07-31", "2024-08-30"):                    # the July report, then both
        assert f.loc[day, "intervention_usd_sold_2m_usd_bn"] == pytest.approx(july)
    assert f.loc["2024-08-30", "intervention_usd_sold_2m_jpy_bn"] / f.loc[
        "2024-08-30", "usdjpy"] > 1.05 * july                    # what the as-of rate read
    # 2022: 09-22 in September's report, 10-21 and 10-24 in October's
    sep = ops["2022-09-01":"2022-09-30"].sum() / _period_mean(fx, "2022-09")
    octo = ops["2022-10-01":"2022-10-31"].sum() / _period_mean(fx, "2022-10")
    assert f.loc["2022-10-31", "intervention_usd_sold_2m_usd_bn"] == pytest.approx(sep + octo)
    assert f.loc["2022-11-30", "intervention_usd_sold_usd_bn"] == 0.0
    assert f.loc["2022-11-30", "intervention_usd_sold_2m_usd_bn"] == pytest.approx(octo)
    sentence = observed_selling(demand_result, "2024-08-30")["sentence"]
    assert f"sold ${july:,.0f} bn of dollars" in sentence, sentence


def test_hedged_pickup_against_the_csvs(demand_result, shared_data):
    dgs10 = _csv(shared_data, "fred/DGS10.csv")
    jgb = _csv(shared_data, "japan/jgb_yields_mof.csv", "jgb_10y")
    bill = _csv(shared_data, "fred/DGS3MO.csv")
    jpy3m = _csv(shared_data, "fred/IR3TIB01JPM156N.csv")
    # on 2025-04-10: H.15 of 04-09 (next-day release), JGB of 04-10 (same day), and the JPY
    # 3-month monthly average of February (the latest the OECD had published); the hedge is
    # rolled 3-month forwards, so 3-month rates on both sides
    want = dgs10["2025-04-09"] - jgb["2025-04-10"] - (bill["2025-04-09"] - jpy3m["2025-02-01"])
    assert demand_result.frame.loc["2025-04-10", "hedged_pickup_pct"] == pytest.approx(want)
    src = demand_result.signals.hedge_source
    assert src.loc["2015-06-01", "usd"] == "dgs3mo" and src.loc["2015-06-01", "jpy"] == "ir3tib"
    assert src.loc["2025-04-10", "usd"] == "dgs3mo" and src.loc["2025-04-10", "jpy"] == "ir3tib"
    # autumn 2022: overnight SOFR (3.0%) against the 3-month bill (4.1%) had the pick-up at
    # +0.90 pp on 2022-10-21; on 3-month rates it was negative
    assert demand_result.frame.loc["2022-10-21", "hedged_pickup_pct"] < 0


def test_china_reserves_change(demand_result, shared_data):
    safe = _csv(shared_data, "holdings/china_fx_reserves_safe.csv") / 10
    f = demand_result.frame
    want = safe["2025-03-31"] - safe["2025-02-28"]
    assert f.loc["2025-04-08", "china_reserves_chg1_usd_bn"] == pytest.approx(want)
    assert f.loc["2025-04-07", "china_reserves_chg1_usd_bn"] != pytest.approx(want)
    # 2019 is missing from SAFE's record: the change is unavailable, not zero
    assert f.loc["2019-06-03":"2019-12-31", "china_reserves_chg1_usd_bn"].isna().all()


# -- the gauge in the Japan episodes -------------------------------------------------------


@pytest.mark.parametrize("name", list(JAPAN_WINDOWS))
def test_gauge_top_decile_and_japan_attribution(demand_result, name):
    a, b = JAPAN_WINDOWS[name]
    w = demand_result.frame.loc[a:b]
    assert w["percentile"].max() >= 90.0, w["percentile"].max()
    top = w[w["percentile"] >= 90.0]
    japan = top["top_group"].isin(["japan_private", "japan_official"]).mean()
    assert japan > 0.5, top["top_group"].value_counts()
    shares = top[["share_japan_private", "share_japan_official"]].sum(axis=1)
    assert shares.mean() > 0.4


def test_gauge_march_2020_custody(demand_result):
    # foreign official accounts sold Treasuries in the dash for dollars: custody fell $136 bn
    w = demand_result.frame.loc["2020-03-12":"2020-04-30"]
    assert w["percentile"].max() >= 95.0
    assert w.loc[w["percentile"] >= 90, "top_group"].eq("custody").mean() > 0.5


def test_april_2025_japan_sale_lifts_the_gauge(demand_result):
    w = demand_result.frame.loc["2025-04-01":"2025-04-15"]
    # the evening MOF's week came out (Thursday 08:50 in Tokyo, Wednesday 23:50 UTC)
    before, after = w.loc["2025-04-08"], w.loc["2025-04-09"]
    assert after["top_group"] == "japan_private" and after["share_japan_private"] > 0.7
    assert after["percentile"] - before["percentile"] > 40      # measured 32.2 -> 84.8
    assert after["percentile"] >= 80.0


@pytest.mark.xfail(strict=True, reason=(
    "the issue expects the top decile in the first half of April 2025; the only published "
    "foreign-selling evidence then is Japan's week to 04-05 (z -2.49, 17 weeks since 2006 were "
    "as extreme); custody rose, the 10y auction was strong, China's reserves and (later) TIC "
    "holdings of Japan rose. Measured maximum percentile 84.8 (2025-04-09)."))
def test_issue_expects_top_decile_early_april_2025(demand_result):
    assert demand_result.frame.loc["2025-04-01":"2025-04-15", "percentile"].max() >= 90.0


def test_latest_reading_and_scenario_sentence(demand_result):
    last = demand_result.latest("2022-10-31")
    assert last["date"] == "2022-10-31"
    assert set(last["shares"]) == set(GROUP_NAMES)
    assert abs(sum(v for v in last["shares"].values() if v is not None) - 1.0) < 1e-9
    assert last["inputs"]["custody"]["observed"] == "2022-10-26"
    assert last["inputs"]["mof_weekly"]["observed"] == "2022-10-22"
    assert last["inputs"]["interventions"]["released"] == "2022-10-31"
    obs = observed_selling(demand_result, "2022-10-31")
    assert obs["custody_chg8_usd_bn"] == pytest.approx(-77.98, abs=0.01)
    text = compare_with_scenario(demand_result, scenario="japan-intervention",
                                 amount_usd_bn=100.0, at="2022-10-31")
    assert text.startswith("custody fell $78 bn in 8 weeks, about 0.8x the size of "
                           "japan-intervention")
    # the intervention figure names the reports it sums (it read like today's number seven
    # months after the last operation)
    # 09-22 at 142.16, 10-21 at 146.35, 10-24 at 148.76: $63.3 bn (the as-of 147.68 read $62)
    assert "Japan's interventions sold $63 bn of dollars (MOF's reports for 2022-09 and " \
        "2022-10)" in obs["sentence"]
    # a report of the two that sold nothing is said to: November's held none, and "(MOF's
    # reports for 2022-10 and 2022-11)" read as selling in both months beside the gauge's
    # "Japan official" lead
    later = observed_selling(demand_result, "2022-12-06")["sentence"]
    assert "Japan's interventions sold $43 bn of dollars (MOF's report for 2022-10; none in " \
        "2022-11's)" in later


def test_from_frames_matches_direct_inputs(demand_inputs, demand_result):
    series = {"fred:WMTSECL1": demand_inputs.custody, "fred:DGS10": demand_inputs.ust10y,
              "mof:jgb_10y": demand_inputs.jgb10y, "fred:SOFR": demand_inputs.sofr,
              "fred:DGS3MO": demand_inputs.dgs3mo, "boj:tona_pct": demand_inputs.tona,
              "fred:IR3TIB01JPM156N": demand_inputs.ir3tib,
              "safe:cn_fx_reserves_usd100m": demand_inputs.china_reserves,
              "fred:DEXJPUS": demand_inputs.usdjpy, "fred:DTWEXBGS": demand_inputs.usd_broad}
    series.update({f"mof:weekly_{c}": demand_inputs.mof_weekly[c]
                   for c in demand_inputs.mof_weekly.columns})
    series.update({f"tic:{c}": demand_inputs.tic[c] for c in demand_inputs.tic.columns})
    series.update({f"mof:monthly_{c}": demand_inputs.mof_monthly[c]
                   for c in demand_inputs.mof_monthly.columns})
    inp = DemandInputs.from_frames(series, interventions=demand_inputs.interventions,
                                   auctions=demand_inputs.auctions)
    pd.testing.assert_frame_equal(demand(inp).frame, demand_result.frame)


# -- no look-ahead: truncation reproduces every earlier row ------------------------------------


def released_by(inputs: DemandInputs, day: pd.Timestamp) -> DemandInputs:
    """The inputs as a replay on ``day`` sees them: only values already published."""
    kw = {}
    for name in (*SERIES_FIELDS, *FRAME_FIELDS):
        v = getattr(inputs, name)
        if v is None:
            continue
        rel = timing_of(inputs.series_ids[name]).released_index(pd.DatetimeIndex(v.index))
        kw[name] = v[np.asarray(rel <= day)]
    for name in EVENT_FIELDS:
        v = getattr(inputs, name)
        rel = timing_of(inputs.series_ids[name]).released_index(pd.DatetimeIndex(v["date"]))
        kw[name] = v[np.asarray(rel <= day)]
    kw["interventions_through"] = day
    return dataclasses.replace(inputs, **kw)


def _same_rows(full: pd.DataFrame, part: pd.DataFrame, day: pd.Timestamp) -> None:
    a, b = full.loc[:day], part.loc[:day]
    if day.day_of_week >= 5:
        # a weekend evening is the calendar's last row, one the whole history has no row for
        assert b.index[-1] == day and day not in a.index
        b = b.iloc[:-1]
    assert len(b) == len(a) > 0
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=1e-12,
                                  check_freq=False)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0, max_value=(pd.Timestamp("2026-06-30")
                                                  - pd.Timestamp("2008-01-01")).days))
def test_truncation_reproduces_every_earlier_value(demand_inputs, demand_result, offset):
    day = pd.Timestamp("2008-01-01") + pd.Timedelta(days=offset)
    _same_rows(demand_result.frame, demand(demand_inputs.truncate(day), end=day).frame, day)
    _same_rows(demand_result.frame, demand(released_by(demand_inputs, day), end=day).frame, day)


@pytest.mark.parametrize("day", ["2022-09-29", "2024-05-30", "2025-04-09"])
def test_truncation_on_the_eve_of_a_release(demand_inputs, demand_result, day):
    d = pd.Timestamp(day)
    part = demand(released_by(demand_inputs, d), end=d).frame
    assert part.index[-1] == d
    _same_rows(demand_result.frame, part, d)


@pytest.mark.slow
def test_a_weekend_evening_is_judged_on_its_own_day(demand_inputs):
    """The calendar had business days only: Saturday 2026-07-11 read Friday's row, custody's
    print of 06-24 fresh at 16 days (its limit) where it was 17 days old that evening."""
    def evening(day: str) -> pd.DataFrame:
        d = pd.Timestamp(day)
        res = demand(released_by(demand_inputs, d), end=d)
        assert res.frame.index[-1] == d
        return res

    fri, sat = evening("2026-07-10"), evening("2026-07-11")
    assert demand_facts(fri)["demand.custody_chg8_usd_bn"] == pytest.approx(-98.091, abs=1e-3)
    facts = demand_facts(sat)
    assert facts["demand.custody_chg8_usd_bn"] is None
    assert facts["demand.custody_chg4_usd_bn"] is None
    # a weekend without a release or a limit passed reads Friday's row, the 20-day change of
    # the hedged pick-up counted from Friday (a count of rows took 19 business days)
    fri, sat = evening("2025-04-11"), evening("2025-04-12")
    a, b = fri.frame.iloc[-1], sat.frame.iloc[-1]
    assert np.isfinite(a["hedged_pickup_chg20_bp"]) and a["hedged_pickup_chg20_bp"] != 0
    pd.testing.assert_series_equal(a, b, check_names=False)


def test_data_cut_at_a_month_end_is_read_on_its_own_evening(demand_inputs, demand_result):
    """A folder cut on 2016-06-30 holds June's TIC, released 08-18: the calendar ran past the
    data, and the headline read percentile 56 on 07-15 (Japan's weekly flows past their
    limit by then) where the evening of the data read 41."""
    cut = demand(demand_inputs.truncate(pd.Timestamp("2016-06-30")))
    last = cut.frame.index[-1]
    assert pd.Timestamp("2016-06-30") <= last <= pd.Timestamp("2016-07-08"), last
    d = cut.valid.index[-1]
    assert d == last
    assert cut.frame.loc[d, "percentile"] == pytest.approx(
        demand_result.frame.loc[d, "percentile"], abs=1e-9)


@pytest.mark.parametrize("kind", ["gauge", "attribution", "custody", "japan", "auctions",
                                  "hedge", "dial"])
def test_every_plot_kind_draws_the_data(demand_result, kind):
    fig = demand_result.plot(kind)
    assert len(fig.data) >= 1
    def drawn(tr):
        if tr.type == "indicator":
            return tr.value is not None
        return tr.x is not None and len(tr.x) > 0

    assert any(drawn(tr) for tr in fig.data)


def test_the_observed_sentence_gives_the_yen_amount_without_a_current_rate(demand_result):
    """July 2026: May's ¥11.7 tn of interventions are published, but the dollar-yen rate
    stops in February; the sentence was empty."""
    f = demand_result.frame
    days = f.index[(f["intervention_usd_sold_2m_jpy_bn"] > 0)
                   & f["intervention_usd_sold_2m_usd_bn"].isna()]
    assert len(days)                                        # 2026-06-01 .. 2026-07-31 here
    obs = observed_selling(demand_result, days[-1])
    assert "¥" in obs["sentence"] and "no current USD/JPY rate" in obs["sentence"], obs
    assert observed_selling(demand_result, f.index[-1])["sentence"]


def test_japan_s_bond_selling_is_said_in_yen_without_a_current_rate(demand_result, shared_data):
    """March 2026: MOF's weekly file runs to the week of 03-07 but the dollar-yen rate stops
    on 2026-02-20, so the flows have no dollar size; the sentence (the summary's and the one
    beside a scenario) said only "custody fell $34 bn in 8 weeks" on 2026-03-13, leaving out
    that Japan's investors had sold ¥2,479 bn of foreign bonds in 8 weeks (¥2,662 bn in the
    last 4). The yen amounts are said, as the interventions' are."""
    raw = _csv(shared_data, "holdings/mof_weekly_intl_securities.csv",
               "assets_ltdebt_net_jpy100m")[:"2026-03-07"] / 10.0
    f = demand_result.frame
    day = pd.Timestamp("2026-03-13")
    assert np.isnan(f.loc[day, "japan_bond_net8_usd_bn"])          # no current USD/JPY
    assert f.loc[day, "japan_bond_net8_jpy_bn"] == pytest.approx(raw.tail(8).sum())
    sentence = observed_selling(demand_result, day)["sentence"]
    assert (f"Japan's investors sold ¥{abs(raw.tail(8).sum()):,.0f} bn of foreign bonds in 8 "
            f"weeks (sold ¥{abs(raw.tail(4).sum()):,.0f} bn in the last 4)") in sentence, sentence
    assert "no current USD/JPY rate to convert it" in sentence
    assert sentence.startswith("custody fell $34 bn in 8 weeks")


def test_the_dial_says_which_groups_it_could_not_read(demand_result):
    # the dial showed "led by Japan official (99%)" beside a 98 pct needle, with no word that
    # two of the five groups were unavailable
    last = demand_result.latest()
    gone = [g for g, v in last["shares"].items() if v is None]
    assert gone, "the shared data end with some groups unavailable"
    fig = demand_result.plot("dial")
    title = fig.layout.title.text
    assert f"{5 - len(gone)} of 5 groups read" in title
    # named under the dial in `demand`'s words
    note = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert note.startswith("unavailable (unknown, not calm): "), note
    assert "% of the gauge's evidence)" in title and "of the selling" not in title
    # below the gauge's lower band nobody leads: percentile 35 read "led by auctions"
    from spillwatch.plotting.demand import lead_phrase

    assert lead_phrase(35.0, "auctions", 0.9) == (
        "calm (largest part of the evidence: auctions (90% of the gauge's evidence))")
    assert lead_phrase(87.0, "Japan official") == "led by Japan official"
    assert ("led by" in title) == (last["percentile"] >= 80)


@pytest.mark.slow
def test_verdict_as_of_a_date_sees_only_published_signatures(real_ws):
    # the sell-America day 2025-04-09 needs the broad dollar of 04-09, out in the H.10 of
    # Monday 04-14: `demand --end 2025-04-09` listed an episode starting that day
    from spillwatch.service import demand as service

    ws = real_ws

    def starts(end: str) -> list[str]:
        v = service.verdict_of(ws, service.demand(ws, end=end))
        assert v is not None
        return [e["start"] for e in v["episodes"]]

    assert "2025-04-09" not in starts("2025-04-09")
    assert "2025-04-09" in starts("2025-04-14")
    rel = service.signature_released(ws, pd.DatetimeIndex(["2025-04-09"]))
    assert rel[0] == pd.Timestamp("2025-04-14")


@pytest.mark.slow
def test_the_verdict_table_shows_the_last_year_of_runs(real_ws):
    # it showed the last five runs, 2025-05-02 to 12-15, under "each run of days", and left
    # out April 2025's (foreign selling at the 80th percentile)
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import demand as section
    from spillwatch.service import demand as service

    ws = real_ws
    v = service.verdict_of(ws, service.demand(ws))
    html = section.build(ReportContext(ws)).html
    assert v is not None
    eps = pd.DataFrame(v["episodes"])
    last = pd.Timestamp(v["end"])            # the dollar's last published day with the 10y
    assert (pd.to_datetime(eps["end"]) > last - pd.Timedelta(days=365)).all()
    assert len(eps) >= 5 and v["runs"] > len(eps)
    april = eps[eps["start"] == "2025-04-09"]
    assert april["verdict"].tolist() == ["foreign_selling"]
    assert (f"The {len(eps)} runs of days with the 'sell America' signature (yields up, dollar "
            f"down) in the year to {v['end']} (at least the last five; {v['runs']:,} runs "
            f"since {v['first']}; sell-America days by verdict: ") in html


def test_unavailable_groups_name_their_last_observation(demand_result):
    # at the data's end Japan's weekly flows are past their limit, and China's reserves have
    # no current dollar to value them (the broad dollar's file ends 2025-12-26): the headline
    # says so with the date each was last observed (not the last day it was counted)
    last = demand_result.latest()
    assert set(last["groups_unavailable"]) >= {"china", "japan_private"}
    seen = last["groups_last_reading"]
    obs = last["inputs"]
    assert seen["japan_private"] == obs["mof_weekly"]["observed"]
    assert seen["china"] == obs["china_reserves"]["observed"]
    line = " ".join(str(demand_result).split())
    assert (f"Japan private (last observed {seen['japan_private']}: past its staleness "
            "limit)") in line
    assert (f"China (last observed {seen['china']}: its reserve change counts net of "
            "valuation, which needs the broad dollar and the 10-year yield (usd_broad last "
            f"observed {obs['usd_broad']['observed']}); its TIC line (last observed "
            f"{obs['tic']['observed']}) is past its staleness limit)") in line


def test_a_vintage_gauge_ends_on_its_evening(real_db):
    # the data as published by the evening of 2024-05-31 (scenario --as-of): the auctions'
    # 28-day window carried the gauge's dates to 06-25, and its reading was dated 06-19
    from spillwatch.alerts.backtest.vintage import VintageSource
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    with open_source(real_db, read_only=True) as src:
        ws = Workspace(VintageSource.of(src, pd.Timestamp("2024-05-31")))
        res = service.demand(ws)
        assert res.frame.index[-1] <= pd.Timestamp("2024-05-31")
        assert res.latest()["date"] == "2024-05-31"


def test_the_dashboards_dial_says_when_its_reading_is_not_todays(real_ws):
    # the card read "96 pct, led by Japan official" for a reading months old without a word
    from spillwatch.service import demand as service

    ws = real_ws
    fig = service.dial(ws)
    date = service.demand(ws).latest()["date"]
    notes = [a.text for a in fig.layout.annotations if "not today's" in (a.text or "")]
    assert notes and f"as of {date}" in notes[0] and "<br>" in notes[0]
    assert fig.layout.margin.b > 30          # room made under the dial for the wrapped note


@pytest.mark.slow
def test_auction_facts_do_not_wait_for_the_gauge(real_ws):
    """After 2026-07-10 too few groups are fresh for a gauge (China's reserves lack a current
    dollar, Japan's flows and then custody went stale),
    but the auction record runs to 2026-10: a 10y/30y auction is news on its own. The demand
    facts were all 'stale: the gauge was last read on 2026-07-10', so no auction rule could
    fire. The 7-year auction of 2021-02-25, the weakest of the record, is a fact too now."""
    import datetime as dt

    from spillwatch.alerts.facts import compute_facts

    sep = compute_facts(real_ws, as_of=dt.date(2026, 9, 11), stress=False,
                        spillover=False)
    feb = compute_facts(real_ws, as_of=dt.date(2021, 2, 26), stress=False,
                        spillover=False)
    late = compute_facts(real_ws, as_of=dt.date(2026, 11, 30), stress=False,
                         spillover=False)
    assert sep.get("demand.percentile").value is None          # the gauge: stale
    assert sep.get("demand.percentile").as_of == dt.date(2026, 7, 10)
    long = sep.get("demand.weak_long_auction")
    assert long.value == 0.0 and long.as_of == dt.date(2026, 9, 10)   # the 30-year's day
    assert sep.get("demand.custody_chg4_usd_bn").value is None       # its own staleness
    assert sep.get("demand.custody_chg4_usd_bn").as_of == dt.date(2026, 6, 24)
    weak = feb.get("demand.weak_auction")
    assert weak.value == 1.0 and weak.as_of == dt.date(2021, 2, 25)
    assert feb.get("demand.auction_tenor").value == "7-year"
    assert feb.get("demand.weak_long_auction").value == 0.0
    from spillwatch.alerts.rules import load_rules

    # the default rules alerted nobody of it (only 10y/30y had a rule); now an info alert names
    # it, and a weak 10y/30y week is left to the long rule (no second alert of one auction)
    rules = load_rules()
    other = rules.rule("weak_auction_other_tenor")
    assert other.severity == "info"
    ev = [e for e in other.evaluate(feb) if e.active]
    assert len(ev) == 1
    assert ev[0].summary == "A weak 7-year Treasury auction on 2021-02-25 (weakness 3.3)"
    assert not [e for e in rules.rule("weak_long_auction").evaluate(feb) if e.active]
    # its own record: a weak 10-year the day after a weak 3-year did not resolve the 3-year's
    # alert ("any tenor, and no long one" did, while the 3-year was still within its week)
    for three, ten in (("2020-11-09", "2020-11-10"), ("2025-08-05", "2025-08-06")):
        nxt = compute_facts(real_ws, as_of=dt.date.fromisoformat(ten), stress=False,
                            spillover=False)
        assert nxt.get("demand.weak_long_auction").value == 1.0
        assert nxt.get("demand.other_auction_date").value == three
        assert [e for e in other.evaluate(nxt) if e.active], (three, ten)
    # a weak 2-year on 2025-04-22 and a less weak 7-year on 04-24: the facts named the
    # weakest of the week, so the 7-year was never named; now each is named in turn and
    # the rule's renotify_on (the auction's date) sends the second at once
    named = [compute_facts(real_ws, as_of=dt.date(2025, 4, d), stress=False,
                           spillover=False) for d in (23, 25)]
    assert [(f.get("demand.other_auction_date").value, f.get("demand.other_auction_tenor").value)
            for f in named] == [("2025-04-22", "2-year"), ("2025-04-24", "7-year")]
    assert named[1].get("demand.other_auction_weakness").value < named[0].get(
        "demand.other_auction_weakness").value
    assert other.renotify_on == "demand.other_auction_date"
    # two weak auctions on one day (2022-06-27: the 5-year, weakness 1.30, and the 2-year,
    # 1.21): one of them was never named; both are, the weakest first
    both = compute_facts(real_ws, as_of=dt.date(2022, 6, 28), stress=False,
                         spillover=False)
    assert both.get("demand.other_auction_tenor").value == "5-year and 2-year"
    assert [e.summary for e in other.evaluate(both) if e.active] == [
        "A weak 5-year and 2-year Treasury auction on 2022-06-27 (weakness 1.3)"]
    news = [other.evaluate(f)[0].news for f in named]
    assert news[0] != news[1] and None not in news
    # the record's last auction is of 2026-10-06: on 11-30 the feed has stopped, which is not
    # "no weak auction"
    gone = late.get("demand.weak_long_auction")
    assert gone.value is None and gone.as_of == dt.date(2026, 10, 6)
    assert "the feed has stopped" in gone.reason
    # inputs of the gauge that are not watch-list series say when they stopped, and a default
    # rule fires on them (stale_data only watched the watch list: custody and TIC)
    # (and MOF's intervention reports: the record covers the quarter of its last operation,
    # 2026-05-06, so its last report is of 2026-06-30)
    assert late.get("demand.stale_inputs").value == 4.0
    assert late.get("demand.stale_inputs_list").value == (
        "MOF weekly flows (last 2026-03-07); China's reserves (last 2026-05-31); MOF's FX "
        "interventions (monthly report) (last 2026-06-30); auctions (last 2026-10-06)")
    # auctions still fresh in September; the intervention reports past their limit (45 days
    # after the June report, the record's last)
    assert sep.get("demand.stale_inputs").value == 3.0
    fired = {e.rule for r in rules.rules for e in r.evaluate(late) if e.active}
    assert "stale_demand_inputs" in fired


@pytest.mark.slow
def test_demand_alerts_name_the_week_or_report_they_describe(real_ws):
    """The messages said the amount without the week or report it came from."""
    import datetime as dt

    from spillwatch.alerts.facts import compute_facts
    from spillwatch.alerts.rules import load_rules

    rules = load_rules()
    may = compute_facts(real_ws, as_of=dt.date(2024, 5, 31), stress=False,
                        spillover=False)
    apr = compute_facts(real_ws, as_of=dt.date(2025, 4, 10), stress=False,
                        spillover=False)
    said = {e.rule: e.summary for fs in (may, apr) for r in rules.rules
            for e in r.evaluate(fs) if e.active}
    assert said["japan_intervention"].endswith("9,788 bn yen in its report of 2024-05-31")
    assert "-2,573 bn yen in the week to 2025-04-05 (z -2.5)" in said["japan_weekly_bond_sales"]


def test_the_attribution_chart_says_which_groups_have_no_data(demand_result):
    """The gauge's last weeks (to 2026-07-10) have no fresh Japan-private flows (since 03-27:
    the week to 03-07 stale after 19 days) nor China (since 03-25: its TIC line went stale, and
    its reserves had no current dollar to value them): their bands were drawn as zero, which
    reads as no selling."""
    fig = demand_result.plot("attribution")
    notes = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    assert "no data, drawn as no share (not as calm)" in notes
    assert "Japan private since 2026-03-27" in notes and "China since 2026-03-25" in notes
    japan = next(tr for tr in fig.data if tr.name == "Japan private")
    assert japan.customdata[-1] == "no data" and japan.y[-1] == 0
    assert japan.customdata[0] == ""


def test_the_report_section_says_its_gauge_is_not_today_s(real_ws):
    """The section read "2026-07-10: gauge percentile 96, led by Japan official" months later
    without a word (only the headline said STALE)."""
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import demand as section

    sec = section.build(ReportContext(real_ws))
    assert "<b>STALE</b>: the foreign-demand gauge is as of 2026-07-10" in sec.html


def test_a_stale_custody_print_is_shown_as_such_not_left_out(demand_inputs, shared_data):
    """A gauge read past custody's limit (here of the two groups left at the data's end, Japan
    official and auctions): the text said "custody data unavailable" while the last print
    (week of 2026-06-24) was -$98 bn in 8 weeks, the size of a Japan-sells preset."""
    two = demand(demand_inputs, min_groups=2)
    obs = observed_selling(two, "2026-07-15")
    last = obs["custody_last_print"]
    raw = _csv(shared_data, "fred/WMTSECL1.csv") / 1000.0
    assert last["date"] == "2026-06-24"
    assert last["custody_chg8_usd_bn"] == pytest.approx(raw.loc["2026-06-24"]
                                                        - raw.loc["2026-04-29"], abs=1e-6)
    assert obs["custody_chg8_usd_bn"] is None            # not today's figure
    assert obs["sentence"].startswith("custody's last print (2026-06-24, past its staleness "
                                      "limit): fell $98 bn in 8 weeks")
    said = compare_with_scenario(two, scenario="japan-10pct", amount_usd_bn=118.55,
                                 at="2026-07-15")
    # once ("custody's last print (…): custody fell" said it twice)
    assert said.count("custody") == 1, said
    assert said.startswith("custody's last print (2026-06-24, past its staleness limit): fell "
                           "$98 bn in 8 weeks"), said
    assert "about 0.8x the size of japan-10pct" in said and "past its staleness" in said


def test_the_scenario_comparison_names_the_custody_print_once(real_ws):
    from spillwatch.service import scenarios

    ws = real_ws
    fit = scenarios.market(ws)
    spec = scenarios.preset("japan-10pct", fit.holdings, fit.holdings_label)
    said = scenarios.observed_vs(ws, spec)["sentence"]
    # by the market's last evening (2026-08-21) custody's 06-24 print is past its limit: the
    # line read the gauge's last reading (2026-07-10), within it, as if current
    assert said.count("custody") == 1, said
    assert said.startswith("custody's last print (2026-06-24, past its staleness limit): fell "
                           "$98 bn in 8 weeks, about 0.8x the size of japan-10pct"), said
    assert said.endswith("(published by 2026-08-21)"), said


def test_groups_counts_every_group_with_a_reading(demand_result):
    """`groups` read 0 on 3,647 rows that held one or two groups' tails (below min_groups,
    so no gauge): an export filtered on `groups >= 2` dropped them."""
    f = demand_result.frame
    tails = f[[c for c in f.columns if c.startswith("tail_")]]
    assert (f["groups"] == tails.notna().sum(axis=1)).all()
    two = f.loc["2026-07-16"]
    assert two["groups"] == 2 and pd.isna(two["gauge"]) and pd.isna(two["percentile"])
    assert f.loc[f["groups"] < 3, "gauge"].isna().all()


def test_the_observed_selling_says_the_last_four_weeks_when_they_differ(real_ws):
    # on 2020-03-18 custody was up $0.2 bn over 8 weeks (from the mid-January level) and down
    # $39 bn over the last 4: the scenario said "custody rose $0 bn in 8 weeks: buying"
    from spillwatch.analytics.demand.facts import compare_with_scenario, observed_selling
    from spillwatch.service import demand as service

    ws = real_ws
    res = service.demand(ws, end="2020-03-18")
    obs = observed_selling(res)
    assert 0 < obs["custody_chg8_usd_bn"] < 0.5 and obs["custody_chg4_usd_bn"] < -38
    # ... and "rose $0 bn" read as a rise: a change that rounds to $0 bn is flat, with its
    # tenths
    assert obs["sentence"].startswith("custody was flat (+$0.2 bn) in 8 weeks (fell $39 bn in "
                                      "the last 4)")
    text = compare_with_scenario(res, scenario="full-dump", amount_usd_bn=1000.0)
    assert "buying" not in text and "but fell $39 bn in the last 4" in text


def test_a_group_without_a_reading_says_why(real_ws):
    # custody's print of 2008-10-08 was current; its record (non-zero from 2007-07) was too
    # short to rank: "(last observed 2008-10-08)" read as if it were stale
    from spillwatch.service import demand as service

    ws = real_ws
    text = " ".join(str(service.demand(ws, end="2008-10-10")).split())
    # (and since session 52 the auctions say when the store's begin, not "(no data)")
    assert ("foreign official custody (last observed 2008-10-08: too little history to rank "
            "it), auctions (none published by then: auction results from 2015-01-12)") in text



@pytest.mark.slow
def test_a_stale_jgb_yield_is_named_where_the_pickup_is_missing(real_ws):
    """On 2026-07-10 the JGB file (last 2026-06-30) was past its limit: the hedged pick-up
    left the tables of `demand`, the API and the report without a word of why."""
    from spillwatch.service import demand as service

    ws = real_ws
    res = service.demand(ws, end="2026-07-10")
    notes = service.summary(ws, res, end="2026-07-10")["notes"]
    before = service.summary(ws, service.demand(ws, end="2026-06-30"), end="2026-06-30")
    assert ("no hedged pick-up nor UST–JGB spread on 2026-07-10: the 10-year JGB yield is past "
            "its staleness limit (jgb10y last observed 2026-06-30)") in notes
    assert not any("pick-up" in n for n in before["notes"])
    assert before["facts"]["demand.hedged_pickup_pct"] is not None


def test_a_percentile_read_off_fewer_groups_names_them(demand_result):
    """2016-08-08: a gauge of five groups led by auctions (0.86) read percentile 16, the rank
    of the gauge of the other four (the five-group gauge lacked 250 days of history), with
    nothing to say so; 747 rows of the real data rank such a fallback. (2016-01-06 was the
    case until the auction tail waited for its 52 scored auctions.)"""
    f = demand_result.frame
    row = f.loc["2016-08-08"]
    assert row["top_group"] == "auctions" and row["groups"] == 5
    assert row["percentile_groups"] == "custody,japan_private,japan_official,china"
    present = f[[f"tail_{g}" for g in GROUP_NAMES]].notna().to_numpy()
    held = [",".join(g for g, on in zip(GROUP_NAMES, r, strict=True) if on) for r in present]
    ranked = f["percentile"].notna()
    fallback = ranked & (f["percentile_groups"] != pd.Series(held, index=f.index))
    assert 500 < fallback.sum() < 1_000
    assert f.loc[~ranked, "percentile_groups"].isna().all()
    got = demand_result.latest("2016-08-08")
    assert got["percentile_groups"] == ["custody", "japan_private", "japan_official", "china"]


def test_an_input_not_yet_begun_is_missing_not_stale(demand_inputs, demand_result):
    """On 2016-06-01 SOFR (2018) and TONA had not begun: the full history read at that date
    listed them as stale inputs with no observation, where the data as published that day
    (the replay) leaves them out; both now name them as missing."""
    d = pd.Timestamp("2016-06-01")
    full = demand_result.latest(d)
    part = demand(released_by(demand_inputs, d), end=d).latest(d)
    assert {"sofr", "tona"} <= set(full["missing_inputs"])
    assert not {"sofr", "tona"} & set(full["inputs"])
    assert full["inputs"] == part["inputs"]
    assert full["missing_inputs"] == part["missing_inputs"]
    assert all(v["observed"] for v in full["inputs"].values())


def test_a_sale_under_a_billion_is_said_in_millions(demand_result):
    """`--seller japan:500e6:4w` printed "... the size of custom: japan $500m / 4w ($0 bn)"."""
    text = compare_with_scenario(demand_result, scenario="small", amount_usd_bn=0.5,
                                 at="2022-10-31")
    assert text.endswith("the size of small ($500m)") and "$0 bn" not in text
    cus = observed_selling(demand_result, "2022-10-31")["custody_chg8_usd_bn"]
    assert f"about {abs(cus) / 0.5:.1f}x" in text


def test_a_small_sale_is_compared_with_what_it_sells_in_its_first_8_weeks(demand_result):
    """$900m over 12 weeks sells $600m in its first 8: the $0.5bn tolerance read it as the
    whole sale (109x for 163x); and $999.6m reads "$1 bn", not "$1,000m"."""
    cus = observed_selling(demand_result, "2022-10-31")["custody_chg8_usd_bn"]
    text = compare_with_scenario(demand_result, scenario="s", amount_usd_bn=0.9,
                                 first_8w_usd_bn=0.6, at="2022-10-31")
    assert text.endswith(f"about {abs(cus) / 0.6:.1f}x what s sells in its first 8 weeks "
                         "($600m of $900m)")
    whole = compare_with_scenario(demand_result, scenario="s", amount_usd_bn=0.9996,
                                  at="2022-10-31")
    assert whole.endswith("the size of s ($1 bn)")


def test_the_auction_tail_waits_for_its_burn_in_of_scored_auctions(demand_result):
    # the burn-in counted the daily rows of the 28-day means (52 business days, 15 auctions):
    # a tail of 30 auctions led January 2016's gauge (0.944, top group "auctions")
    from spillwatch.analytics.demand import DemandGauge

    need = DemandGauge().burn_in_auctions
    t = demand_result.auctions
    scored = pd.DatetimeIndex(t.loc[t["weakness"].notna(), "date"]).sort_values()
    frame = demand_result.frame
    cols = [c for c in frame.columns if c.startswith("tail_auction")]
    assert cols
    read = frame.index[frame[cols].notna().any(axis=1)]
    seen = scored.searchsorted(read, side="right")
    assert seen.min() >= need
    assert read[0] >= scored[need - 1]              # the 52nd scored auction, 2016-04-25
    day = demand_result.latest("2016-01-06")
    assert day["top_group"] != "auctions" and day["gauge"] < 0.7, day


def test_china_s_reserves_are_read_net_of_valuation(demand_inputs, demand_result, shared_data):
    """April 2022: China's reserves fell $68 bn (raw z -2.76) while the broad dollar rose 3.7%
    and the 10-year 57 bp; the gauge of 2022-05-13 read percentile 87.5 led by China. Net of
    the valuation fitted on the 48 months before (recomputed here from the raw files: the month
    ends with pandas, the window by hand, Huber's fit by statsmodels), April was no sale and
    China does not lead."""
    import statsmodels.api as sm

    cn = _csv(shared_data, "holdings/china_fx_reserves_safe.csv") / 10.0
    usd = _csv(shared_data, "fred/DTWEXBGS.csv").dropna()
    ust = _csv(shared_data, "fred/DGS10.csv").dropna()
    ends = pd.date_range(cn.index[0], "2022-04-30", freq="ME")
    dy = cn.reindex(ends).diff()
    # the month ends' H.10 and Treasury prints were all out by SAFE's release (the 8th)
    dx = pd.DataFrame({"usd": 100 * np.log(usd.reindex(ends, method="pad")).diff(),
                       "ust": 100 * ust.reindex(ends, method="pad").diff()})
    ok = dy.notna() & dx.notna().all(axis=1)
    past = ok & (ends < ends[-1]) & (ends >= ends[-1] - pd.DateOffset(months=48))
    X = sm.add_constant(dx[past].to_numpy())
    fit = sm.RLM(dy[past].to_numpy(), X, M=sm.robust.norms.HuberT()).fit()
    valuation = float(dx.iloc[-1].to_numpy() @ fit.params[1:])
    nat = demand_result.signals.natives["china"].values
    apr = nat.loc["2022-04-30"]
    assert apr["china_reserves_chg1_usd_bn"] == pytest.approx(-68.274, abs=1e-6)
    assert apr["china_reserves_valuation_usd_bn"] == pytest.approx(valuation, abs=1e-6)
    assert valuation < -60 and abs(apr["china_reserves_flow_usd_bn"]) < 15
    assert abs(apr["china_reserves_flow_z"]) < 1.0
    row = demand_result.frame.loc["2022-05-13"]
    assert row["china_reserves_flow_z"] == apr["china_reserves_flow_z"]
    assert row["top_group"] != "china" and row["share_china"] < 0.25
    # the first flow needs 24 complete months of fit (SAFE's file starts 2015-06, gaps 2015-10
    # and 2017-10)
    assert nat["china_reserves_flow_z"].first_valid_index() == pd.Timestamp("2017-09-30")


@pytest.mark.slow
def test_china_s_valuation_is_what_was_published_by_its_release(demand_inputs, demand_result):
    """Each month's valuation reads the dollar and the 10-year as published by SAFE's release
    day: a replay on that day, and on the day before, reproduces the full history's rows."""
    rule = timing_of("safe:cn_fx_reserves_usd100m")
    nat = demand_result.signals.natives["china"].values
    for month in ("2018-04-30", "2020-03-31", "2022-04-30", "2024-10-31", "2025-11-30"):
        day = rule.released(pd.Timestamp(month))
        for d in (day, day - pd.Timedelta(days=1)):
            part = demand(released_by(demand_inputs, d), end=d)
            got = part.signals.natives["china"].values
            pd.testing.assert_frame_equal(got, nat.loc[got.index], check_exact=False,
                                          rtol=1e-12, atol=1e-12)
            assert (pd.Timestamp(month) in got.index) == (d == day)


@pytest.mark.slow
def test_a_group_read_in_part_says_so(real_db):
    """On 2026-02-09 China's share (21%) came from its TIC line alone, its January reserves
    having no current dollar to value them, and nothing said so; the report labelled every
    note of the section STALE."""
    from spillwatch.alerts.backtest.vintage import VintageSource
    from spillwatch.data.source import open_source
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import demand as section
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    want = ("read in part: China without China reserves flow vs its fit (its valuation needs "
            "the broad dollar and the 10-year yield: usd_broad last observed 2025-12-26)")
    with open_source(real_db, read_only=True) as src:
        ws = Workspace(VintageSource.of(src, pd.Timestamp("2026-02-09")))
        res = service.demand(ws)
        last = res.latest()
        assert last["date"] == "2026-02-09" and last["tails"]["china"] is not None
        assert last["groups_partial"] == {"china": ["china_reserves_flow_z"]}
        summ = service.summary(ws, res)
        # (read today, the vintage's reading is also not today's: that note alone is STALE)
        stale = summ["freshness_note"]
        assert stale.startswith("the foreign-demand gauge is as of 2026-02-09")
        assert summ["notes"] == [stale, want, service.TIC_REVISED_NOTE]
        assert want in str(res)
        sec = section.build(ReportContext(ws))
    assert f"<b>Note</b>: {want}." in sec.html and f"<b>STALE</b>: {want}" not in sec.html


def test_japan_s_last_weeks_are_said_beside_its_8_weeks(demand_result, shared_data):
    """A Japan desk read "sold $12 bn in 8 weeks" on 2025-04-10, when the last 4 weeks had
    sold $20 bn and the week to 04-05 alone ¥2.57tn; on 2024-06-13 "sold $6 bn" beside the
    third-largest weekly sale on file. Custody's sentence already gave its last 4 weeks."""
    raw = pd.read_csv(shared_data / "holdings" / "mof_weekly_intl_securities.csv",
                      index_col="date", parse_dates=True)["assets_ltdebt_net_jpy100m"] / 10.0
    april = observed_selling(demand_result, "2025-04-10")
    assert april["japan_bond_net4_usd_bn"] == pytest.approx(-19.85, abs=0.01)
    assert (f"Japan's investors sold $12 bn of foreign bonds in 8 weeks (sold $20 bn in the "
            f"last 4); the week to 2025-04-05 alone sold ¥{-raw['2025-04-05']:,.0f} bn "
            "(z -2.49)") in april["sentence"]
    june = observed_selling(demand_result, "2024-06-13")["sentence"]
    assert (f"(bought $3 bn in the last 4); the week to 2024-06-08 alone sold "
            f"¥{-raw['2024-06-08']:,.0f} bn (z -2.84)") in june
    # an ordinary week adds nothing
    assert "alone" not in observed_selling(demand_result, "2022-10-31")["sentence"]


def test_the_by_investor_figures_say_which_month_they_are(demand_result, shared_data):
    """On 2025-04-10 the table read "all investors -0.90, banks -0.81" with nothing to say
    they were March's (MOF publishes a month about 40 days after its first day)."""
    raw = pd.read_csv(shared_data / "holdings" / "mof_monthly_ltbond_netpurchase_by_investor.csv",
                      index_col="date", parse_dates=True)
    table = demand_result.signals_table("2025-04-10")
    row = table.loc["japan_ltbonds_total_jpy_tn"]
    assert row["signal"] == "Japan monthly (2025-03) net foreign-bond purchases: all investors"
    assert row["value"] == pytest.approx(raw.loc["2025-03-01", "ltbonds_total_jpy_tn"])
    assert table.loc["japan_ltbonds_banks_jpy_tn", "signal"].startswith("Japan monthly (2025-03)")
    # the hedged pick-up leaves out the basis (negative for the yen since 2014) and prices the
    # dollar leg off bills: it read +0.30 to +2.07 pp over 2016-18, and now says what it is
    hedge = demand_result.frame.loc["2016":"2018", "hedged_pickup_pct"].dropna()
    assert hedge.min() > 0.3
    assert "before the cross-currency basis: an upper bound" in table.loc[
        "hedged_pickup_pct", "signal"]


@pytest.mark.slow
def test_a_replay_does_not_date_operations_before_mof_does(real_db, shared_data):
    """On 2024-06-28 MOF had published ¥9,788.5bn for its report of 2024-05-31, not the days
    (04-29 ¥5,918.5bn, 05-01 ¥3,870.0bn: the quarterly detail of August); the chart of a
    replay drew both days."""
    from spillwatch.alerts.backtest.vintage import VintageSource
    from spillwatch.data.source import open_source
    from spillwatch.plotting.demand import japan_flows
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    raw = pd.read_csv(shared_data / "holdings" / "mof_fx_intervention_daily.csv",
                      parse_dates=["date"])
    spring = raw[(raw["date"] >= "2024-04-26") & (raw["date"] <= "2024-05-31")]
    with open_source(real_db, read_only=True) as src:
        early = service.demand(Workspace(VintageSource.of(src, pd.Timestamp("2024-06-28"))))
        later = service.demand(Workspace(VintageSource.of(src, pd.Timestamp("2024-09-30"))))
    ops = early.interventions
    spring_ops = ops[ops["report"] == pd.Timestamp("2024-05-31")]
    assert (spring_ops["detail"] > pd.Timestamp("2024-06-28")).all()

    def markers(res):
        return {t.name: (list(pd.to_datetime(t.x)), [-y for y in t.y])
                for t in japan_flows(res).data if "intervention" in (t.name or "")}

    before = markers(early)
    dates, amounts = before["intervention: the month's reported total (days not yet "
                            "published)"]
    assert pd.Timestamp("2024-05-31") in dates
    assert amounts[dates.index(pd.Timestamp("2024-05-31"))] == pytest.approx(
        spring["amount_jpy_bn"].sum())
    daily = before.get("intervention: dollars sold (¥bn, shown negative)", ([], []))[0]
    assert pd.Timestamp("2024-04-29") not in daily and pd.Timestamp("2024-05-01") not in daily
    after = markers(later)["intervention: dollars sold (¥bn, shown negative)"][0]
    assert pd.Timestamp("2024-04-29") in after and pd.Timestamp("2024-05-01") in after


@pytest.mark.slow
def test_a_group_read_without_an_unranked_indicator_says_so_in_the_headline_too(real_ws):
    """From 2017-10 to 2020-12 China's reserve flow had a value (a red -3.3 z on 2018-02-15)
    but too few readings to rank, so China was read on its TIC line alone with no "read in
    part" note; and the headline, led by China at percentile 99 on 2016-10-31 on one TIC
    print, dropped the note `demand` gave (and would have labelled it STALE)."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.service import demand as demand_service
    from spillwatch.service.summary import headline

    ws = real_ws
    feb = demand_service.demand(vintage_workspace(ws, dt.date(2018, 2, 15))).latest()
    assert feb["signals"]["china_reserves_flow_z"] is not None
    assert feb["tails"]["china"] is not None
    assert feb["groups_partial"] == {"china": ["china_reserves_flow_z"]}
    oct16 = vintage_workspace(ws, dt.date(2016, 10, 31))
    lines = headline(oct16, today=dt.date(2016, 10, 31), scenarios=False).lines()
    line = next(x for x in lines if x.startswith("Foreign selling gauge"))
    assert "China" in line  # 94 'led by China' before TIC's June breaks were masked; 77 after
    assert "; read in part: China without China reserves flow vs its fit" in line
    assert "STALE: read in part" not in line


@pytest.mark.slow
def test_a_replay_says_its_tic_figures_are_the_revised_ones(real_ws):
    """`--as-of` reads each TIC month on its release day but as the stored table (revised
    since) gives it: the replay said "as published that evening" without a word of it."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.service import demand as demand_service

    ws = real_ws
    past = vintage_workspace(ws, dt.date(2016, 10, 31))
    then = demand_service.summary(past, demand_service.demand(past))
    now = demand_service.summary(ws, demand_service.demand(ws))
    # `demand --end` gives the replay's numbers: its note too (it had none)
    ended = demand_service.summary(ws, demand_service.demand(ws, end="2016-10-31"),
                                   end="2016-10-31")
    assert ended["percentile"] == then["percentile"] and ended["gauge"] == then["gauge"]
    assert demand_service.TIC_REVISED_NOTE in ended["notes"]
    assert demand_service.TIC_REVISED_NOTE in then["notes"]
    assert demand_service.TIC_REVISED_NOTE not in now["notes"]


def test_the_long_auction_s_parts_are_facts_of_the_auction_it_names(demand_result,
                                                                     shared_data):
    """Indirect bidders' share (the usual proxy for foreign demand), its gap to the class's last
    six, the dealers' share and the bid-to-cover were only folded into the weakness score: a
    desk could not alert on "dealers took over 20% of a 30-year"."""
    from spillwatch.analytics.demand.facts import demand_fact_frame

    raw = pd.read_csv(shared_data / "auctions" / "ust_auctions_notes_bonds.csv",
                      parse_dates=["date"])
    for day, tenor in (("2024-05-09", "30-Year"), ("2024-05-08", "10-Year")):
        row = raw[(raw["date"] == day) & (raw["tenor"] == tenor)].iloc[0]
        before = raw[(raw["tenor"] == tenor) & (raw["date"] < day)].sort_values("date")
        facts = demand_facts(demand_result, day)
        assert facts["demand.long_auction_date"] == day
        assert facts["demand.long_auction_indirect_pct"] == pytest.approx(row["indirect_pct"])
        assert facts["demand.long_auction_dealer_pct"] == pytest.approx(row["dealer_pct"])
        assert facts["demand.long_auction_bid_to_cover"] == pytest.approx(row["bid_to_cover"])
        assert facts["demand.long_auction_indirect_dev_pp"] == pytest.approx(
            row["indirect_pct"] - before["indirect_pct"].tail(6).mean(), abs=1e-9)
    # the replay's frame reads the same, also on an evening whose latest long auction came
    # after a weak one of the window (the parts are the weak one's, as its score and date)
    t = demand_result.auctions
    weak = t[t["weak"] & t["class_years"].isin([10, 30]) & ~t["excluded"]]
    days = pd.DatetimeIndex(["2024-05-09", "2024-05-10", *weak["date"].iloc[-3:]])
    frame = demand_fact_frame(demand_result, days)
    for d in days:
        facts = demand_facts(demand_result, d)
        for name in ("indirect_pct", "indirect_dev_pp", "dealer_pct", "bid_to_cover"):
            key = f"demand.long_auction_{name}"
            assert frame.loc[d, key] == pytest.approx(facts[key]), (d, key)
        date = facts["demand.long_auction_date"]
        picked = t[(t["date"] == date) & t["class_years"].isin([10, 30])]
        assert facts["demand.long_auction_dealer_pct"] in picked["dealer_pct"].tolist()
