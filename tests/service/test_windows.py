"""Dates, windows and asset sets a user picks: the numbers of a date or an asset do not change
with them, and a window the data cannot fill is an error naming why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest

from spillwatch.analytics.events import load_events
from spillwatch.data.source import open_source
from spillwatch.exceptions import ConfigError, DataError
from spillwatch.service import demand, events, risk, spillover, stress
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="module")
def ws():
    w = Workspace(open_source("demo"))
    yield w
    w.close()


def test_a_stress_window_shows_the_whole_history_index(ws):
    full = stress.stress(ws).frame
    a, b = full.index[700], full.index[760]
    part = stress.stress(ws, start=a, end=b).frame
    assert part.index[0] == a and part.index[-1] == b
    assert part["stress"].notna().all()                         # no fresh burn-in
    pd.testing.assert_frame_equal(part, full.loc[a:b])
    with pytest.raises(DataError, match="is after --end"):
        stress.stress(ws, start=b, end=a)
    with pytest.raises(DataError, match=r"no date from .* \(its data end on"):
        stress.stress(ws, start=full.index[-1] + pd.Timedelta(days=400))
    sat = full.index[-300] + pd.Timedelta(days=(5 - full.index[-300].day_of_week) % 7)
    with pytest.raises(DataError, match="holds no business day of the data"):
        stress.stress(ws, start=sat, end=sat + pd.Timedelta(days=1))   # a weekend


def test_demand_end_after_today_is_today_and_the_verdict_stops_at_end(ws):
    cut = demand.demand(ws).frame.index[-300]
    res = demand.demand(ws, end=cut)
    verdict = demand.verdict_of(ws, res)
    if verdict is not None:
        assert all(pd.Timestamp(e["start"]) <= cut for e in verdict["episodes"])
        assert sum(verdict["counts"].values()) <= len(stress.stress(ws).frame.loc[:cut])
    future = demand.demand(ws, end="2999-01-01")
    assert future.frame.index[-1] <= pd.Timestamp.today().normalize()


def test_an_asset_s_risk_numbers_do_not_depend_on_the_other_assets(ws):
    alone = risk.tail_risk(ws, assets=("btc",), backtest=False)
    both = risk.tail_risk(ws, assets=("btc", "spx"), backtest=False)
    default = risk.tail_risk(ws, backtest=False)
    want = alone.var_es.table().loc["btc_pct"]
    for other in (both, default):
        pd.testing.assert_frame_equal(other.var_es.table().loc["btc_pct"], want)
    with pytest.raises(DataError, match="no data between"):
        risk.tail_risk(ws, start="1900-01-01", end="1901-01-01")


def test_spillover_window_reaches_the_headline_and_has_a_floor(ws):
    a = spillover.spillover(ws)
    b = spillover.spillover(ws, window=120)
    assert spillover.sync_window(120) == 90 and spillover.sync_window(spillover.WINDOW) == 150
    if a.sync is not None and b.sync is not None:
        assert a.summary_dict()["net_rates_dollar_to_crypto"] != \
            b.summary_dict()["net_rates_dollar_to_crypto"]
    with pytest.raises(ConfigError, match="too short"):
        spillover.spillover(ws, window=16)
    # the two-day headline's window (3/4 of the daily one) needs as many rows as a daily one:
    # --window 50 passes the daily floor (41) but leaves the headline 38 readings
    need = spillover.min_window(6, spillover.LAGS)
    assert spillover.sync_window(50) < need <= 50
    with pytest.raises(ConfigError, match=r"headline a window of 38 readings.*--window 55"):
        spillover.spillover(ws, window=50)


def test_spillover_export_latest_table_and_summary_say_what_they_hold(ws, tmp_path):
    rep = spillover.spillover(ws)
    s = rep.summary_dict()
    frame = rep.timeseries()
    # the CSV's headline column is the headline every view shows (two-day readings on their
    # dates), the daily reading has its own name
    head = frame["net_rates_dollar_to_crypto"].dropna()
    pd.testing.assert_series_equal(head, rep.headline.rename(head.name), check_freq=False,
                                   check_index_type=False, check_names=False)
    assert head.iloc[-1] == s["net_rates_dollar_to_crypto"]
    daily = frame["net_rates_dollar_to_crypto_daily"].dropna()
    # the daily reading shown beside the headline is of the headline's date, and the one
    # sensitivity is the difference of the two numbers shown
    h_date = pd.Timestamp(s["headline_date"])
    assert daily.loc[h_date] == s["net_rates_dollar_to_crypto_daily"]
    assert s["net_rates_dollar_to_crypto_daily_date"] == s["headline_date"]
    assert s["synchronous_minus_daily"] == pytest.approx(
        s["net_rates_dollar_to_crypto"] - s["net_rates_dollar_to_crypto_daily"])
    # the latest table counts the window's rows, not the sample's
    assert rep.latest.to_dict()["nobs"] == spillover.WINDOW
    # one year of two-day readings: 126
    assert spillover.history_readings("two_day") == 126
    hist = rep.headline.iloc[-127:-1]
    assert s["net_rates_dollar_to_crypto_pctile_252d"] == pytest.approx(
        float((hist <= rep.headline.iloc[-1]).mean()))


def test_event_options_are_checked_by_their_cli_names(ws):
    with pytest.raises(ConfigError, match="--before"):
        events.events(ws, before=-3)
    with pytest.raises(ConfigError, match="--estimation must be at least 40"):
        events.events(ws, estimation=5)


@pytest.mark.realdata
def test_trump_covar_is_the_same_alone_and_in_the_default_set(real):
    w = real
    def delta(assets):
        t = risk.tail_risk(w, assets=assets, backtest=False).covar.table().reset_index()
        row = t[(t["series"] == "trump_pct") & (t["stress_pctile"] == 0.95)].iloc[0]
        return float(row["delta_covar"]), int(row["nobs"])

    assert delta(("trump",)) == delta(None) == delta(("btc", "trump"))


def test_a_named_asset_too_short_for_the_joint_correlation_names_the_way_out(ws):
    full = stress.stress(ws).frame
    late = full.index[-120]                 # a start 120 business days before the end
    with pytest.raises(DataError, match=r"'btc_pct' has 1\d\d observations from .*needs 250\. "
                                        r"Give an earlier start, leave it out of the assets, "
                                        r"or choose correlation 'none'"):
        risk.correlation(ws, assets=("btc", "ust10y"), start=late)
    # the default set leaves short series out with a note; with none left, the error says why
    assert risk.correlation(ws, start=full.index[-300]).left_out == {}
    with pytest.raises(DataError, match=r"has none in the window \(left out: ust10y_bp: 120 "
                                        r"observations from .*; the joint estimation needs 250"
                                        r".*\); give an earlier start"):
        risk.correlation(ws, start=late)


@pytest.mark.realdata
def test_trump_is_too_young_for_a_joint_correlation_and_an_earlier_start_is_no_help(real):
    w = real
    with pytest.raises(DataError, match=r"'trump_pct' has \d+ observations from 2025-01-2\d; "
                                        r"the joint dcc correlation needs 250\. Its history "
                                        r"begins there: leave it out of the assets or "
                                        r"choose correlation 'none'"):
        risk.correlation(w, assets=("btc", "trump"))


def test_the_headline_dates_the_net_spillover_by_its_own_day(ws):
    from spillwatch.service import summary

    h = summary.headline(ws, scenarios=False)
    sp = h.spillover
    assert sp is not None and sp["headline_date"] <= sp["as_of"]
    line = next(x for x in h.lines() if x.startswith("Net spillover"))
    # the two-day changes end on their own day, which may precede the panel's last day
    assert f"pp on {sp['headline_date']} " in line
    # the TCI is the latest daily window's, dated when it ends elsewhere
    if sp["headline_date"] != sp["as_of"]:
        assert f"TCI {sp['tci']:.1f}% of the daily window on {sp['as_of']})" in line
    else:
        assert f"TCI {sp['tci']:.1f}% of the daily window)" in line
    # the headline's own returns are said, and the daily model's net when it runs the other
    # way (+3.47 into crypto on two-day returns, -10.16 on daily ones on 2020-03-12, beside
    # the daily window's TCI)
    assert f"({sp['sampling'].replace('_', '-')} returns; " in line
    net, daily = sp["net_rates_dollar_to_crypto"], sp["net_rates_dollar_to_crypto_daily"]
    assert (f"daily returns read {daily:+.2f}, the other way" in line) is (net * daily < 0)


def test_tail_risk_without_the_10y_says_why_there_is_no_covar(tmp_path):
    import numpy as np

    from spillwatch.store import Store

    days = pd.date_range("2021-01-01", periods=900, freq="D")
    rng = np.random.default_rng(3)
    with Store(tmp_path / "c.duckdb") as st:
        for sid in ("binance:BTCUSDT", "binance:ETHUSDT"):
            px = 30_000 * np.exp(np.cumsum(rng.normal(0, 0.03, len(days))))
            st.upsert(pd.DataFrame({"series_id": sid, "ts": days, "value": px}))
    w = Workspace(open_source(tmp_path / "c.duckdb", read_only=True))
    try:
        rep = risk.tail_risk(w, backtest=False)
        assert rep.covar is None
        assert any(n.startswith("CoVaR not computed: it conditions on a Treasury sell-off")
                   for n in rep.notes), rep.notes
    finally:
        w.close()


def test_a_reading_behind_today_says_so_and_the_demo_never_does(ws):
    import datetime as dt

    from spillwatch.service._today import behind_today

    today = dt.date(2026, 11, 30)
    assert behind_today("2026-11-24", simulated=False, limit_days=6, what="x",
                        today=today) is None
    assert behind_today("2026-11-23", simulated=False, limit_days=6, what="the stress reading",
                        today=today) == ("the stress reading is as of 2026-11-23, 7 days before "
                                         "today (2026-11-30): not today's reading; import or "
                                         "fetch newer data")
    assert behind_today("2020-01-01", simulated=True, limit_days=6, what="x") is None
    assert stress.summary(ws, stress.stress(ws))["notes"] == []       # the demo is simulated


def test_an_end_before_a_start_given_names_the_default(ws):
    start = "2015-01-01"        # given as the user's --start: kept, not moved
    with pytest.raises(DataError, match=r"the window ends \(2008-10-15, the --end or --as-of\) "
                                        r"before it starts \(2015-01-01; the default start is "
                                        r"2015-01-01\): give an --end or --as-of on or "
                                        r"after 2015-01-01 \(the default assets are crypto's"):
        risk.tail_risk(ws, start=start, end="2008-10-15")
    # named assets: an earlier --start measures them (crypto's data begin too late for it)
    with pytest.raises(DataError, match=r"give a --start before 2008-10-15, or an --end"):
        risk.tail_risk(ws, assets=("spx",), start=start, end="2008-10-15")
    # volatility's default assets are the 10-year, the dollar and the S&P 500 too: an earlier
    # --start measures them (it said "the default assets are crypto's")
    with pytest.raises(DataError, match=r"\(2015-01-01; the default start is 2015-01-01\): "
                                        r"give a --start before 2008-10-15, or an --end or "
                                        r"--as-of on or after 2015-01-01$"):
        risk.volatility(ws, start=start, end="2008-10-15")


def test_the_default_start_of_an_early_end_is_three_years_before_it(ws):
    """The default start follows an --end before 2018 (three years back), where it was refused
    as ending before 2015-01-01; from 2018 on it is 2015-01-01."""
    assert risk.window_start(ws, risk.DEFAULT_START, "2008-10-15") == "2005-10-15"
    assert risk.window_start(ws, risk.DEFAULT_START, "2017-12-31") == "2014-12-31"
    assert risk.window_start(ws, risk.DEFAULT_START, "2018-06-01") == "2015-01-01"
    assert risk.window_start(ws, "2015-01-01", "2008-10-15") == "2015-01-01"   # given
    assert risk.window_start(ws, None, "2008-10-15") is None                   # whole history
    first = min(ws.stored_first(["btc"]).values())
    # the demo's data begin after 2005: the refusal says when, and what helps
    with pytest.raises(DataError, match=r"has no data between 2005-10-15 and 2008-10-15 \(its "
                                        rf"figures begin later: .*btc {first:%Y-%m-%d}.*; give "
                                        r"a later --end\)"):
        risk.tail_risk(ws, end="2008-10-15")


@pytest.mark.realdata
@pytest.mark.slow
def test_real_readings_behind_today_say_so_unless_a_past_end_is_asked(real):
    w = real
    # the shared data end in 2026 and are older than their limits on any later clock
    assert any(n.startswith("the latest spillover window is as of ")
               for n in spillover.spillover(w).notes)
    assert not any("before today" in n for n in spillover.spillover(w, end="2025-04-09").notes)
    assert any(n.startswith("the 'next day' VaR (of the day after each series' last "
                            "date) from a last date past the series' staleness limit")
               for n in risk.tail_risk(w, backtest=False).notes)
    assert not any("staleness limit" in n
                   for n in risk.tail_risk(w, backtest=False, end="2025-04-09").notes)
    assert stress.summary(w, stress.stress(w))["notes"][0].startswith(
        "the stress reading is as of ")
    assert stress.summary(w, stress.stress(w, end="2025-04-09"), end="2025-04-09")[
        "notes"] == []


def test_ones_own_series_does_not_move_the_standard_calendar(tmp_path):
    import numpy as np

    from spillwatch.data.ingest import import_path
    from spillwatch.store import Store

    db = tmp_path / "own.duckdb"
    open_source("demo", db=db).close()
    days = pd.date_range("2023-01-01", "2026-10-30", freq="D")      # weekends included
    fund = pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                         "FUND": 100 * np.exp(np.cumsum(np.random.default_rng(2).normal(
                             0, 0.01, len(days))))})
    f = tmp_path / "fund.csv"
    fund.to_csv(f, index=False)
    with Store(db) as st:
        import_path(f, st)
    w = Workspace(open_source(db, read_only=True))
    try:
        alone = risk.tail_risk(w, assets=("btc",), backtest=False).var_es.table()
        mixed = risk.tail_risk(w, assets=("csv:FUND", "btc"), backtest=False).var_es.table()
        pd.testing.assert_frame_equal(mixed.loc["btc_pct"], alone.loc["btc_pct"])
        # the fund's weekend moves roll onto Monday: its changes still add up
        panel = risk.risk_panel(w, assets=("csv:FUND",), start="2024-01-01")
        own = w.panel(("csv:FUND",), transform="changes", start="2024-01-01")
        col = own.columns[0]                    # csv_fund_chg: no unit, plain differences
        lo, hi = panel.index[0], panel.index[-1]
        assert panel[col].sum() == pytest.approx(own[col].loc[lo:hi].sum(), rel=1e-9)
        assert not (panel.index.day_of_week >= 5).any()
    finally:
        w.close()


def test_a_level_beyond_what_the_window_resolves_says_so(ws):
    """At 99.99% a 500-day window has no tail beyond its worst day: VaR = ES = that day."""
    rep = risk.tail_risk(ws, assets=("btc",), level=0.9999, backtest=False)
    t = rep.var_es.table().loc[("btc_pct", "historical")]
    assert t["var"] == t["es"]
    assert any("no tail beyond its worst day" in n and "up to 99.8%" in n for n in rep.notes)
    assert "99.99%;" in str(rep.var_es.summary())
    usual = risk.tail_risk(ws, assets=("btc",), backtest=False)
    assert not any("worst day" in n for n in usual.notes)


def test_the_yield_curve_says_when_its_latest_curve_is_stale(real):
    # the dashboard's "now, a week and a month ago" card drew a curve 132 days old without a
    # word
    from spillwatch.api.views import FIGURES, ViewContext
    from spillwatch.service import summary

    w = real
    note = summary.curve_note(w, today=pd.Timestamp("2026-11-30").date())
    assert note == ("STALE as of 2026-11-30: the latest curve is of 2026-07-22 (131 days; "
                    "past the Treasury yields' staleness limit)")
    assert summary.curve_note(w, today=pd.Timestamp("2026-07-24").date()) is None
    fig = FIGURES["yield_curve"].draw(ViewContext(w, "test"))
    text = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    assert "the latest curve is of 2026-07-22" in text
    # the dashboard's gauge says which day the signature last read, as the headline does
    # (the leg it waits for by its id: it read "usd broad")
    gauge = FIGURES["stress_gauge"].draw(ViewContext(w, "test"))
    assert ("signature unavailable (the last day with both legs, 2025-12-26, read no "
            "pattern; usd_broad reported to 2025-12-26)") in (
                gauge.layout.title.text.replace("<br>", " "))


@pytest.mark.slow
def test_the_headline_marks_every_reading_behind_today(real):
    """Stress, the foreign-demand gauge and the spillover each say STALE when their reading is
    older than its limit (the gauge's July reading had read as a live top-decile alarm)."""
    from spillwatch.service import summary

    w = real
    late = summary.headline(w, today=pd.Timestamp("2026-11-30").date(),
                            scenarios=False).lines()
    text = " ".join(late)
    assert "STALE: the foreign-demand gauge is as of" in text
    # the signature says which day it last read, as the CLI's stress text does (the
    # headline and the report said only "unavailable")
    # ... and which leg it waits for (the Fed's H.10 dollar, out the Monday after its week)
    assert ("yield–dollar signature unavailable (the last day with both legs, 2025-12-26, "
            "read no pattern; usd_broad reported to 2025-12-26)") in text
    # the gauge's last reading rests on the groups still reporting, and says which are not
    # ... with the last observation of each (it named them without a date), and the
    # gauge's inputs off the watch list are listed with the stale ones
    # ... and why, as `demand` says it: China's reserves were current, the broad dollar
    # valuing their change (its file ends 2025-12-26) and its TIC line were not (the
    # headline gave only the reserves' date, read as "China's reserves are old")
    # ... in `demand`'s words (it said "no current reading from Japan private (...)")
    assert ("led by Japan official; unavailable (unknown, not calm): Japan private (last "
            "observed 2026-03-07: past its staleness limit), China (last observed "
            "2026-05-31: its reserve change counts net of valuation, which needs the broad "
            "dollar and the 10-year yield (usd_broad last observed 2025-12-26); its TIC "
            "line (last observed 2025-12-31) is past its staleness limit); custody") in text
    # (Japan's intervention reports too: the record covers the quarter of its last
    # operation, 2026-05-06, and nothing says what MOF did after June)
    assert ("; foreign-demand inputs (MOF weekly flows (last 2026-03-07); China's reserves "
            "(last 2026-05-31); MOF's FX interventions (monthly report) (last 2026-06-30); "
            "auctions (last 2026-10-06)).") in text
    # ... and in the freshness table beside the watch list (the API's and the report's
    # table listed the watch list only)
    head = summary.headline(w, today=pd.Timestamp("2026-11-30").date(), scenarios=False)
    extra = {r["asset"]: (r["last"], r["days_old"], r["stale"]) for r in head.inputs
             if r["group"] == "foreign-demand inputs"}
    assert extra == {"japan_weekly": ("2026-03-07", 268, True),
                     "china": ("2026-05-31", 183, True),
                     "interventions": ("2026-06-30", 153, True),
                     "auctions": ("2026-10-06", 55, True)}
    assert "STALE: the latest spillover window is as of" in text
    assert ("+0.59 pp on 2025-12-24 (two-day returns; TCI 46.2% of the daily window on "
            "2025-12-26)") in text
    # the stress reading of 2026-01-06 is counted from today, as the other lines are (it
    # said "227 days before the data's last date"), in the words `stress` prints (it said
    # "the last reading the inputs allow" of an evening newer data would mend)
    said = ("the stress reading is as of 2026-01-06, 328 days before today (2026-11-30): "
            "not today's reading; import or fetch newer data")
    day = pd.Timestamp("2026-11-30").date()
    cli = stress.summary(w, stress.stress(w, today=day), today=day)["notes"]
    assert said in cli, cli
    assert f"STALE: {said} (the data's newest date is 2026-08-21)" in text
    # the markets section says which of its series are past their limit today
    note = summary.stale_note(w, ["btc", "eth", "trump", "ust10y"],
                              today=pd.Timestamp("2026-11-30").date())
    assert note == ("STALE as of 2026-11-30 (past each series' limit): Bitcoin, Ether, "
                    "Official Trump memecoin last 2026-01-02 (332 days); US Treasury 10y "
                    "par yield last 2026-07-22 (131 days)")
    assert summary.stale_note(w, ["ust10y"], today=pd.Timestamp("2026-07-23").date()) \
        is None
    fresh = summary.headline(w, today=pd.Timestamp("2025-12-30").date(),
                             scenarios=False).lines()
    assert "STALE: the latest spillover" not in " ".join(fresh)


def test_an_asset_s_event_study_does_not_depend_on_the_assets_named(ws):
    """The market model's factors come along with ``--assets btc`` (it fell back to a
    constant-mean model and reported another CAR for the same event)."""
    alone = events.events(ws, assets=("btc",)).car.set_index(["event", "series"])
    every = events.events(ws).car.set_index(["event", "series"])
    assert set(alone.index.get_level_values("series")) == {"btc_pct"}
    assert (alone["factors"] != "mean").all()
    common = alone.index.intersection(every.index)
    assert len(common) > 0
    pd.testing.assert_frame_equal(alone.loc[common], every.loc[common])


def test_an_end_before_the_first_reading_names_it(ws):
    first = stress.stress(ws).valid.index[0]
    with pytest.raises(DataError, match=rf"before the stress index's first reading, "
                                        rf"{first:%Y-%m-%d}"):
        stress.stress(ws, end=first - pd.Timedelta(days=30))
    first = demand.demand(ws).valid.index[0]
    with pytest.raises(DataError, match=rf"before the foreign-demand gauge's first reading, "
                                        rf"{first:%Y-%m-%d}; --as-of .* shows the signals "
                                        "published by that evening"):
        demand.demand(ws, end=first - pd.Timedelta(days=30))



def test_a_spillover_window_the_data_cannot_fill_names_the_latest_starting_series(ws):
    first = ws.panel(["btc"], transform="changes")["btc_pct"].first_valid_index()
    with pytest.raises(DataError, match=r"spillover needs 200 days on which all of .* have a "
                                        r"change up to --end .*; there are \d+"):
        spillover.spillover(ws, end=first + pd.Timedelta(days=30))


def test_the_10_year_s_var_is_measured_when_named_and_stays_covar_s_condition(ws):
    rep = risk.tail_risk(ws, assets=("ust10y", "btc"), backtest=False)
    t = rep.var_es.table()
    assert t.loc[("ust10y_bp", "historical"), "loss_when"] == "rise"
    assert set(rep.covar.table().index.get_level_values(0)) == {"btc_pct"}
    alone = risk.tail_risk(ws, assets=("ust10y",), backtest=False)
    assert alone.covar is None and any("conditioning series" in n for n in alone.notes)


def test_a_friday_var_of_crypto_says_the_next_change_spans_the_weekend():
    # on business days, crypto's change after a Friday runs over three days of trading: the
    # VaR read from all business days alike understates it; the note gives the measured ratio
    import numpy as np
    import pandas as pd

    from spillwatch.service.risk import weekend_notes

    idx = pd.bdate_range("2024-01-01", "2025-06-27")            # ends on a Friday
    rng = np.random.default_rng(3)
    monday = np.asarray(idx.day_of_week == 0)
    x = rng.standard_normal(len(idx)) * np.where(monday, 2.0, 1.0)
    panel = pd.DataFrame({"btc_pct": x, "spx_pct": x}, index=idx)
    notes = weekend_notes(panel, ["btc_pct", "spx_pct"], window=300)
    assert len(notes) == 1 and notes[0].startswith("btc_pct: the next business day's change "
                                                   "(2025-06-30) spans 3 days of trading")
    w = panel["btc_pct"].iloc[-300:]
    long = pd.Series(idx, index=idx).diff().dt.days.reindex(w.index) >= 3
    assert f"{w[long].std() / w[~long].std():.2f}x as volatile" in notes[0]
    # with a level: the spanning changes alone beside all of them; 60 are too few for a 99%
    # VaR of their own (its tail would hold one of them): their worst, said so (h_crypto1)
    (lv,) = weekend_notes(panel, ["btc_pct"], window=300, level=0.99)
    alone = -np.sort(w[long].to_numpy())[int(np.ceil(long.sum() * 0.01)) - 1]
    every = -np.sort(w.to_numpy())[2]
    assert long.sum() == 60 and alone == -w[long].min()
    assert lv.endswith(f"; of those 60 spanning changes alone (too few for a 99% VaR of "
                       f"them), the worst is {alone:.2f}, against a 99% VaR of {every:.2f} "
                       "over all")
    assert alone > every
    assert weekend_notes(panel.iloc[:-1], ["btc_pct"], window=300) == []   # a Thursday
    # holidays: before Martin Luther King Day the next change is Tuesday's, over four days
    # (the note said Monday, three); before Christmas, two (it said nothing)
    for end, nxt, days in (("2025-01-17", "2025-01-21", 4), ("2024-12-24", "2024-12-26", 2)):
        notes = weekend_notes(panel.loc[:end], ["btc_pct"], window=300)
        assert len(notes) == 1 and f"({nxt}) spans {days} days of trading" in notes[0], notes
    # the exchange's calendar, not the federal one: Juneteenth 2021 and the Friday before a
    # Saturday New Year's Day traded; a Sunday's next day skips the Monday observed
    from spillwatch.timing import next_us_market_day

    for day, nxt in (("2021-06-17", "2021-06-18"), ("2021-12-30", "2021-12-31"),
                     ("2022-06-17", "2022-06-21"), ("2023-01-01", "2023-01-03"),
                     ("2020-07-02", "2020-07-06")):
        assert str(next_us_market_day(day).date()) == nxt, day


def test_demo_demand_reads_the_simulated_market_s_today():
    # the headline read the gauge of 2026-11-13 (percentile 45, China) on a market ending
    # 10-30, where the monitor's facts read 80 (Japan official): releases the simulation dates
    # after its last day are its future
    from spillwatch.alerts.facts import compute_facts
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source("demo")) as ws:
        last = max(d for d in ws.last_dates().values() if d is not None)
        head = service.summary(ws, service.demand(ws))
        facts = compute_facts(ws, stress=False, spillover=False)
    assert head["date"] <= str(last.date())
    fact = facts.get("demand.percentile")
    assert fact.value == pytest.approx(head["percentile"])


def test_the_worst_scenario_line_says_when_its_market_is_not_today_s():
    """The scenario headline was the one line without a STALE note: its sale started from a
    market state 131 days old."""
    from spillwatch.service import scenarios
    from spillwatch.service._today import replay_day
    from spillwatch.service.summary import Headline

    sc = {"worst": {"scenario": "full-dump", "book_var99_usd": 494_011.0,
                    "book_es99_usd": 516_383.0, "horizon_bdays": 155}, "as_of": "2026-07-22"}
    old = Headline("2026-11-30", False, [], None, None, None, sc, []).lines()
    # in the words the scenario's own warning gives (the line said "that market state is 131
    # days before 2026-11-30" beside "the scenario's starting state is as of 2026-07-22")
    with replay_day(pd.Timestamp("2026-11-30").date()):
        said = scenarios.freshness_note("2026-07-22", simulated=False)
    assert said == ("the scenario's starting state is as of 2026-07-22, 131 days before today "
                    "(2026-11-30): not today's reading; import or fetch newer data")
    assert old == ["Worst preset full-dump: book VaR 99% $494,011, ES $516,383 on $1m over 155 "
                   f"business days, from the market of 2026-07-22. STALE: {said}."]
    now = Headline("2026-07-24", False, [], None, None, None, sc, []).lines()
    assert "STALE" not in now[0]
    # the state date is the newest fresh asset's: book assets priced earlier are said
    sc = {**sc, "book": {"ust10y": 400_000.0, "spx": 300_000.0, "btc": 100_000.0},
          "book_last_dates": {"ust10y": "2026-07-22", "spx": "2025-12-31",
                              "btc": "2026-01-02"}}
    line = Headline("2026-11-30", False, [], None, None, None, sc, []).lines()[0]
    assert line.endswith("newer data; 50% of the book (btc, spx) starts from states of "
                         "2025-12-31 to 2026-01-02.")
    # a US holiday evening (2025-01-20, `run --as-of`): the 10-year and the S&P 500 both of the
    # Friday before, one date, not "states of 2025-01-17 to 2025-01-17"
    holiday = {**sc, "as_of": "2025-01-20",
               "book": {"ust10y": 400_000.0, "spx": 340_000.0, "btc": 260_000.0},
               "book_last_dates": {"ust10y": "2025-01-17", "spx": "2025-01-17",
                                   "btc": "2025-01-20"}}
    line = Headline("2025-01-20", False, [], None, None, None, holiday, []).lines()[0]
    assert line.endswith("from the market of 2025-01-20; 74% of the book (spx, ust10y) starts "
                         "from the state of 2025-01-17.")
    # a book simulated beyond its history: the report said so, the headline did not
    sc["worst"] = {**sc["worst"], "caveat": "not a measured risk: the book holds btc, ..."}
    line = Headline("2026-11-30", False, [], None, None, None, sc, []).lines()[0]
    assert line.endswith(" BOOK: not a measured risk: the book holds btc, ....")


@pytest.mark.slow
def test_a_scenario_from_an_old_market_state_says_so_first(real_db):
    """`spillwatch scenario` on a store whose data stop months ago priced the sale from a
    state 134 days old without a word (stress, risk and the run's headline said so)."""
    import datetime as dt

    from spillwatch.scenarios import preset
    from spillwatch.service import scenarios
    from spillwatch.service._today import replay_day

    w = Workspace(open_source(real_db, read_only=True))
    try:
        fit = scenarios.market(w)
        spec = preset("japan-intervention", fit.holdings, fit.holdings_label)
        with replay_day(dt.date(2026, 11, 30)):
            res = scenarios.run(w, spec, paths=200, seed=1)
        state = res.market.info["as_of"]
        days = (dt.date(2026, 11, 30) - pd.Timestamp(state).date()).days
        assert days > 6
        assert res.warnings()[0] == (
            f"the scenario's starting state is as of {state}, {days} days before today "
            "(2026-11-30): not today's reading; import or fetch newer data")
        assert res.to_dict()["warnings"][0] == res.warnings()[0]
        # the presets (report, dashboard, /api/summary) say it once, not once per preset
        with replay_day(dt.date(2026, 11, 30)):
            summ = scenarios.presets(w, paths=200, seed=1).summary_dict()
        assert summ["notes"][0] == res.warnings()[0]
        assert not [x for ws_ in summ["warnings"].values() for x in ws_ if "starting state" in x]
        # read on the state's own evening, or as of a date it is fresh for: no note
        with replay_day(pd.Timestamp(state).date()):
            assert scenarios.run(w, spec, paths=200, seed=1).notes == ()
    finally:
        w.close()
    assert scenarios.freshness_note(state, simulated=False, end=state) is None
    assert scenarios.freshness_note(state, simulated=True) is None       # the demo never


def test_stress_inputs_are_judged_on_today_not_on_the_data_last_date(real):
    """MOVE reported on the data's last date (2026-08-21) read "fresh, age 0" in
    ``stress --json`` on 2026-12-01, and the JSON's ``age_days`` (227, to the data's last
    date) contradicted its own note (329 days before today)."""
    import datetime as dt

    from spillwatch.service import stress as stress_service

    w = real
    today = dt.date(2026, 11, 30)
    res = stress_service.stress(w, today=today)
    last = res.latest()
    assert last["as_of"] == "2026-11-30" and last["age_days"] == 328
    assert last["fresh"] is False
    move = last["inputs"]["move"]
    assert (move["state"], move["last"], move["age_days"]) == ("stale", "2026-08-21", 101)
    assert "move" in last["stale"] and "term_premium" in last["stale"]
    # and what the reading of 2026-01-06 itself went without (VIX and credit stopped on
    # 12-30): "stale on 2026-11-30" listed every input, and credit vanished from the
    # sub-indices line
    assert last["date"] == "2026-01-06"
    assert last["reading_without"]["vix"] == "2025-12-30"
    assert last["reading_without"]["ig_oas"] == "2025-12-30"
    assert "ust10y" not in last["reading_without"] and "spx" not in last["reading_without"]
    lines = res._summary_lines()
    assert "credit n/a" in lines[1]
    assert any(x.startswith("the reading of 2026-01-06 is without: ") and
               "vix (last 2025-12-30)" in x for x in lines), lines
    summ = stress_service.summary(w, res, today=today)
    assert (summ["age_days"], summ["as_of"], summ["data_end"]) == (328, "2026-11-30",
                                                                   "2026-08-21")
    assert "328 days before today (2026-11-30)" in summ["notes"][0]
    # judged on the data's last date, the same input is fresh (the panel's own state)
    then = stress_service.stress(w, today=dt.date(2026, 8, 21)).latest()
    assert then["inputs"]["move"]["state"] == "fresh" and "move" not in then["stale"]
    # --end earlier than today: the reading is judged on that day
    past = stress_service.stress(w, end="2025-04-10").latest()
    assert past["as_of"] == "2025-04-10" and past["fresh"] is True


def test_the_worst_scenario_line_carries_its_beyond_history_warning():
    """The headline's worst VaR came from full-dump, whose own result says "beyond history
    ... not to be read literally"; the headline dropped that caveat."""
    from spillwatch.service.summary import Headline

    warn = ("beyond history: the 10-year target's median peak, +295 bp, is 1.02x the largest "
            "rise of the 10-year over 250 business days in the fitting sample")
    sc = {"worst": {"scenario": "full-dump", "book_var99_usd": 494_011.0,
                    "book_es99_usd": 516_383.0, "horizon_bdays": 155}, "as_of": "2026-07-22",
          "warnings": {"full-dump": [warn], "japan-10pct": ["beyond history: another"]}}
    line = Headline("2026-07-24", False, [], None, None, None, sc, []).lines()[0]
    assert line.endswith(f"from the market of 2026-07-22. WARNING: {warn}.")
    assert "another" not in line
    sc["warnings"] = {"full-dump": ["fewer than 500 paths: the 99% tail rests on a handful"]}
    line = Headline("2026-07-24", False, [], None, None, None, sc, []).lines()[0]
    assert "WARNING" not in line


@contextmanager
def _demo_without(*deletes: str) -> Iterator[Workspace]:
    """A workspace on the demo market less what the SQL statements delete."""
    src = open_source("demo")
    with src.store.transaction() as con:
        for sql in deletes:
            con.execute(sql)
    w = Workspace(src)
    try:
        yield w
    finally:
        w.close()


def test_spillover_and_risk_name_a_default_asset_the_data_lack(ws):
    # a header-only ETH file: the headline moved from +0.59 to +3.39 pp without a word, and
    # ETH's VaR row was gone
    with _demo_without("DELETE FROM observations WHERE series_id = 'demo:eth'") as w:
        rep = spillover.spillover(w)
        assert "eth_pct" not in rep.to_dict()["summary"]["assets"]
        (note,) = [n for n in rep.notes if n.startswith("without eth (")]
        assert "over 5 series, not 6" in note
        assert not any(n.startswith("without") for n in spillover.spillover(ws).notes)
        tail = risk.tail_risk(w, backtest=False)
        assert any(n.startswith("without eth (") for n in tail.notes), tail.notes


def test_the_headline_names_inputs_missing_from_a_group_not_only_whole_groups():
    # without VIX and MOVE the stress percentile moved 11 -> 21; `run`, the report and
    # /api/summary said nothing (only a whole missing group was named)
    from spillwatch.service import summary

    with _demo_without("DELETE FROM observations WHERE series_id = 'demo:vix'") as w:
        probs = summary.headline(w, scenarios=False).problems
        (line,) = [p for p in probs if p.startswith("Missing inputs: ")]
        assert "equities and volatility (vix, move)" in line      # the demo has no MOVE
        assert "foreign holdings (tic_japan, tic_china)" in line
        # and the stress index's other inputs (its level moved too), in their own groups: the
        # freshness table left them out while the index marked them stale
        assert "dollar (usdcny)" in line and "; credit and term premium;" in line
        assert "stress index (" not in line


def test_a_demand_gauge_without_inputs_says_which_groups_lack_data():
    # it said "no reading yet (too few groups or burn-in)" and "import or fetch newer data"
    with _demo_without("DELETE FROM observations WHERE series_id LIKE 'mof:%' "
                       "OR series_id LIKE 'safe:%' OR series_id LIKE 'tic:%'",
                       "DELETE FROM auctions", "DELETE FROM fx_interventions") as w:
        line = demand.demand(w).headline
        assert "too few groups or burn-in" not in line
        assert "the gauge needs 3 groups with a current reading and has 1" in line, line
        assert "no data (or too short a history) for Japan private, Japan official, auctions, " \
               "China" in line


@pytest.mark.slow
@pytest.mark.realdata
def test_demand_s_facts_are_the_monitor_s_on_real_data(real):
    """`demand --json` counted 2 stale foreign-demand inputs and the alert rules 3: its
    calendar stopped at the data's last release, and the auctions' feed went stale since."""
    from spillwatch.alerts.facts import compute_facts

    ws = real
    facts = demand.summary(ws, demand.demand(ws))["facts"]
    engine = compute_facts(ws).facts
    for name in ("demand.stale_inputs", "demand.stale_inputs_list", "demand.weak_auction",
                 "demand.intervention_reported", "demand.custody_chg4_usd_bn"):
        assert facts[name] == engine[name].value, name
    assert "auctions (last" in facts["demand.stale_inputs_list"]   # 2026-10-06: stale by now


@pytest.mark.realdata
def test_the_demand_headline_says_when_its_percentile_leaves_a_group_out(real):
    ws = real
    head = demand.summary(ws, demand.demand(ws, end="2016-08-08"), end="2016-08-08")
    assert head["top_group"] == "auctions"
    assert "auctions" not in head["percentile_groups"]
    assert any(n.startswith("the percentile is the gauge's without auctions") for n in
               head["notes"])


def test_the_one_year_percentile_needs_half_a_year_of_readings(ws):
    """A window that starts late (TRUMP's 2025) ranked today among 33 readings and printed
    a 'one-year' percentile of 1.0; under half a year's readings there is none, the count is
    given, and the alert facts say why."""
    import datetime as dt

    from spillwatch.alerts.facts import _spill_facts

    assert spillover.min_history_readings("two_day") == 63
    assert spillover.min_history_readings("daily") == 126
    full = spillover.spillover(ws).summary_dict()
    n = full["net_rates_dollar_to_crypto_history_readings"]
    assert n >= 126 and "net_rates_dollar_to_crypto_pctile_252d" in full
    rep = spillover.spillover(ws)
    first = rep.headline.index[0]
    end = rep.headline.index[min(40, len(rep.headline) - 1)]
    short = spillover.spillover(ws, end=end).summary_dict()
    have = short["net_rates_dollar_to_crypto_history_readings"]
    assert 0 < have < spillover.min_history_readings(short["sampling"]), (first, end)
    assert "net_rates_dollar_to_crypto_pctile_252d" not in short
    assert "net_rates_dollar_to_crypto_p95_252d" not in short
    facts, why = _spill_facts(ws, end, end.date() + dt.timedelta(days=1))
    assert all(f.value is None for f in facts)
    assert why == [f"spillover unavailable: its one-year percentile needs "
                   f"{spillover.min_history_readings(short['sampling'])} earlier readings; "
                   f"it has {have}"]


def test_the_volatility_forecast_says_when_crypto_s_next_change_spans_a_weekend(ws):
    """`volatility` gave crypto's Friday next-day forecast with no word of the weekend the
    next change runs over (the risk command said it)."""
    from spillwatch.service.risk import VOL_WEEKEND_WINDOW, risk_panel, volatility, weekend_notes

    rep = volatility(ws)
    panel = risk_panel(ws)
    want = weekend_notes(panel, list(panel.columns), window=VOL_WEEKEND_WINDOW,
                         what="the next-day forecast")
    assert want and all("the next-day forecast reads all business days alike" in n
                        for n in want)
    assert [n for n in rep.notes if "spans" in n] == want
    assert rep.to_dict()["notes"][:len(want)] == want


def test_the_week_ago_change_says_it_reads_that_day_on_these_data():
    """`run --as-of 2022-10-21` printed "-4 percentile points vs 2022-10-14" from that day's
    reading on the evening's data (95.3); the monitor on 10-14 itself, without that week's
    dollar, had shown 92.3. The line says which of the two it compares with."""
    from spillwatch.service.summary import Headline

    st = {"regime": "crisis", "percentile": 91.0, "percentile_longrun": 97.0, "stress": 0.41,
          "date": "2022-10-21", "signature": "none", "signature_5d": "none", "fresh": True,
          "week_ago_percentile": 95.3, "week_ago_date": "2022-10-14"}
    line = Headline("2022-10-21", False, [], st, None, None, None, []).lines()[0]
    assert "; -4 percentile points vs 2022-10-14 (as read on these data)" in line, line


def test_the_curve_note_names_the_curve_drawn_not_a_lone_tenor_s_day():
    # one 10-year close imported a day after the curve: the chart still drew the full curve
    # of the day before, and its note named the lone print's date
    from spillwatch.api.views import FIGURES, ViewContext
    from spillwatch.service import summary

    with _demo_without() as w:
        last = w.last_dates()["ust10y"]
        lone = last + pd.offsets.BDay(1)
        w.source.store.upsert(pd.DataFrame({"series_id": ["demo:ust10y"], "ts": [lone],
                                            "value": [4.7]}))
        w2 = Workspace(w.source)
        try:
            later = (lone + pd.Timedelta(days=30)).date()
            note = summary.curve_note(w2, today=later)
            assert note is not None and f"the latest curve is of {last.date()} " in note, note
            fig = FIGURES["yield_curve"].draw(ViewContext(w2, "test"))
            assert fig.data[0].name == f"{last.date()} (latest)"
        finally:
            w2.close()


@pytest.mark.realdata
@pytest.mark.slow
def test_a_series_that_starts_late_is_named_where_it_starts_every_window(real):
    """TRUMP begins on 2025-01-22: with it, every window of the rates, the dollar and bitcoin
    starts there (34 windows, not 1,785), and the means keep their keys without a word."""
    w = real
    rep = spillover.spillover(w, assets=("ust10y", "usd_broad", "btc", "trump"))
    n = int(rep.rolling.tci.dropna().size)
    assert ("every window starts on or after 2025-01-22, where trump_pct begins 2025-01-22 "
            "(without it, the windows could begin 2018-01-03): the table and the means are "
            "over that span only; leave it out for the longer history") in rep.notes
    assert n < 60
    # a --start does not hide it (the windows from 2020 were cut to 2025 without a word)
    cut = spillover.spillover(w, assets=("ust10y", "usd_broad", "btc", "trump"),
                              start="2020-01-01")
    assert any(x.startswith("every window starts on or after 2025-01-22, where trump_pct "
                            "begins 2025-01-22 (without it, the windows could begin "
                            "2020-01-02)") for x in cut.notes)
    without = spillover.spillover(w, assets=("ust10y", "usd_broad", "btc"))
    assert not any("every window starts" in x for x in without.notes)


@pytest.mark.realdata
def test_a_series_younger_than_the_var_window_says_what_its_var_rests_on(real):
    """TRUMP's 240 days: its historical 99% VaR is its third-worst day and the models' mean is
    fitted on the launch's fall; the only word was the skipped backtest."""
    w = real
    rep = risk.tail_risk(w, backtest=False)
    x = risk.risk_panel(w)["trump_pct"].dropna()
    note = next(n for n in rep.notes if n.startswith("trump_pct: "))
    assert note == ("trump_pct: 240 days of history, fewer than the 500-day window: its "
                    "historical VaR rests on its 2.4 worst days expected at 99%, and the "
                    "models' mean is fitted on its 240 days (the days' mean "
                    f"{x.mean():+.2f} a day, from 2025-01-22)")
    assert len(x) == 240
    assert not any(n.startswith(("btc_pct: 2", "eth_pct: 2")) for n in rep.notes)


def test_events_on_a_vintage_leave_out_the_later_news(ws):
    from spillwatch.alerts.backtest.vintage import VintageSource

    shipped = load_events()
    evening = pd.Timestamp("2022-10-03")
    with Workspace(VintageSource.of(ws.source, evening)) as then:
        res = events.events(then)
    later = [e.id for e in shipped if e.date > evening]
    assert later and [e.id for e in res.later] == later
    seen = set(res.car["event"]) | set(res.failures["event"] if len(res.failures) else [])
    assert not seen & set(later)
    assert events.summary(res) == {}       # the featured April-2025 events are not known yet


@pytest.mark.slow
def test_a_preset_sized_on_tic_holdings_past_tic_s_limit_says_so(real_db):
    """The presets sell a share of each seller's holdings as TIC last reported them. On the
    shared data's latest evening Japan's 10% was sized on December 2025, 338 days before
    today where TIC's limit is 83 (a release missed), and nothing said so; the JSON's
    ``warnings`` did not name the seven series past their limits either (the state line did)."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.scenarios import preset
    from spillwatch.service import scenarios
    from spillwatch.service._today import replay_day

    w = Workspace(open_source(real_db, read_only=True))
    try:
        tic = w.raw().series["tic_japan"].dropna()
        month = pd.Timestamp(tic.index[-1]).date()
        fit = scenarios.market(w)
        today = month + dt.timedelta(days=200)
        coordinated = preset("japan-china-coordinated", fit.holdings, fit.holdings_label)
        with replay_day(today):
            res = scenarios.run(w, coordinated, paths=200, seed=1)
            summ = scenarios.presets(w, paths=200, seed=1).summary_dict()
        note = next(x for x in res.warnings() if x.startswith("sized on TIC"))
        assert note.startswith(
            f"sized on TIC holdings past TIC's staleness limit today ({today}): Japan's of "
            f"{month:%Y-%m} (200 days before, limit 83), China's of ")
        assert note in res.to_dict()["warnings"]
        # the presets side by side say it once, for every country they size on TIC
        assert [x for x in summ["notes"] if x.startswith("sized on TIC")] == [note]
        # and the headline's worst preset, sold as shares of those holdings, carries it
        from spillwatch.service.summary import Headline

        assert summ["worst"]["sized_on_holdings"] is True
        line = Headline(str(today), False, [], None, None, None, summ, []).lines()[0]
        assert f"WARNING: {note}." in line
        summ["worst"]["sized_on_holdings"] = False      # a sale given in dollars: not its note
        assert "sized on TIC" not in Headline(str(today), False, [], None, None, None, summ,
                                              []).lines()[0]
        assert not [x for v in summ["warnings"].values() for x in v if "sized on TIC" in x]
        # a sale given in dollars is not sized on holdings
        with replay_day(today):
            dollars = scenarios.run(w, preset("japan-intervention", fit.holdings,
                                              fit.holdings_label), paths=200, seed=1)
        assert not [x for x in dollars.warnings() if "sized on TIC" in x]
        # within TIC's limit (the next month's release not yet due): no note
        assert scenarios.holdings_note(w, coordinated, today=month + dt.timedelta(days=80)) is None
        # the stale series, in the JSON's warnings as in the state line
        stale = [k for k, v in res.market.info["series"].items() if v["stale"]]
        assert stale
        line = next(x for x in res.to_dict()["warnings"] if "past their staleness limit "
                    "against the newest data" in x)
        assert line.startswith(f"{len(stale)} of {len(res.market.info['series'])} series")
        # one market under every preset: said once beside them, not under each of five
        assert line in summ["notes"]
        assert not [x for v in summ["warnings"].values() for x in v if x == line]
    finally:
        w.close()
    # an evening of the replay, with TIC's months as published by then: no note
    v = Workspace(open_source(real_db, read_only=True))
    try:
        vw = vintage_workspace(v, dt.date(2025, 4, 9), name="as_of")
        fit = scenarios.market(vw)
        spec = preset("japan-china-coordinated", fit.holdings, fit.holdings_label)
        assert scenarios.holdings_note(vw, spec, end=dt.date(2025, 4, 9)) is None
    finally:
        v.close()


@pytest.mark.slow
def test_the_worst_preset_line_keeps_the_fallback_holdings_warning_every_preset_gives():
    """The headline's "Worst preset" line said "WARNING: sized on the fallback holdings" from
    the worst preset's ``warnings``; once a warning every preset gives was said once in the
    presets' ``notes`` (and taken out of each preset's ``warnings``), a store without TIC (the
    demo, a folder without ``tic/``) gave the worst preset's VaR with no word that its sizes
    were spring 2025's fallback holdings."""
    from spillwatch.service import scenarios
    from spillwatch.service.summary import Headline

    w = Workspace(open_source("demo"))
    try:
        summ = scenarios.presets(w, paths=200, seed=1).summary_dict()
    finally:
        w.close()
    assert [x for x in summ["notes"] if x.startswith("sized on the fallback holdings")]
    line = Headline("2026-11-30", True, [], None, None, None, summ, []).lines()[0]
    assert line.startswith("Worst preset")
    assert "WARNING: sized on the fallback holdings of spring 2025" in line


def test_a_tail_of_exactly_one_spanning_change_is_called_their_worst():
    """100 spanning changes at 99%: the tail holds one of them (empirical_tail's
    ``ceil(100 x 0.01) = 1``), yet ``100 * (1 - 0.99)`` is 1.0000000000000009 in floating
    point and the note called that single worst "the historical 99% VaR" (h_verify28)."""
    import numpy as np
    import pandas as pd

    from spillwatch.service.risk import weekend_notes

    idx = pd.bdate_range("2023-12-29", periods=501)              # a Friday, then 100 weeks
    rng = np.random.default_rng(5)
    panel = pd.DataFrame({"btc_pct": rng.standard_normal(len(idx))}, index=idx)
    (lv,) = weekend_notes(panel, ["btc_pct"], window=500, level=0.99)
    w = panel["btc_pct"].iloc[-500:]
    long = np.asarray(w.index.day_of_week == 0)
    assert int(long.sum()) == 100 and w.index[-1].day_of_week == 4
    every = -np.sort(w.to_numpy())[4]                            # ceil(500 x 0.01) = 5
    assert lv.endswith(f"; of those 100 spanning changes alone (too few for a 99% VaR of "
                       f"them), the worst is {-w[long].min():.2f}, against a 99% VaR of "
                       f"{every:.2f} over all")
    # 101 hold two: the VaR of their own, the second worst
    idx = pd.bdate_range("2023-12-29", periods=506)              # and one week more
    panel = pd.DataFrame({"btc_pct": rng.standard_normal(len(idx))}, index=idx)
    (lv,) = weekend_notes(panel, ["btc_pct"], window=505, level=0.99)
    assert "the historical 99% VaR of those 101 spanning changes alone is " in lv
