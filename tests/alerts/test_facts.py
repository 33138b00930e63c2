"""Facts from a store: changes in the units the rules read, staleness, custody in $bn."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.facts import Fact, FactSet, business_days_between, compute_facts, fact_kind
from spillwatch.data.source import open_source
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store


def make_store(n: int = 40) -> tuple[Store, dict[str, pd.Series]]:
    rng = np.random.default_rng(5)
    dates = pd.bdate_range("2025-02-03", periods=n)
    y10 = pd.Series(4.0 + np.cumsum(rng.normal(0, 0.05, n)), index=dates)
    usd = pd.Series(120 * np.exp(np.cumsum(rng.normal(0, 0.004, n))), index=dates)
    btc = pd.Series(80_000 * np.exp(np.cumsum(rng.normal(0, 0.02, n))), index=dates)
    btc.iloc[-1] = btc.iloc[-2] * 0.9  # a 10% one-day drop
    weeks = pd.date_range(end=dates[-1], periods=8, freq="W-WED")  # up to date
    custody = pd.Series([2_900_000, 2_910_000, 2_905_000, 2_903_000, 2_899_000, 2_901_000,
                         2_900_000, 2_880_000.0], index=weeks)  # $ millions, last week -20bn
    store = Store()
    rows = []
    for sid, s in {"fred:DGS10": y10, "fred:DTWEXBGS": usd, "binance:BTCUSDT": btc,
                   "fred:WMTSECL1": custody}.items():
        rows.append(pd.DataFrame({"series_id": sid, "ts": s.index, "value": s.to_numpy()}))
    store.upsert(pd.concat(rows))
    return store, {"y10": y10, "usd": usd, "btc": btc, "custody": custody}


@pytest.fixture(scope="module")
def real_ws(real_db):
    """One workspace on the session's real store for the tests below that read it: each
    evening's facts (``compute_facts``'s ``as_of``) are made from it, as ``alerts test --as-of``
    makes them, so the store's series and frames are read once for all, not once an evening."""
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        yield ws


def test_facts_match_plain_calculations():
    store, s = make_store()
    try:
        last = s["y10"].index[-1].date()
        fs = compute_facts(store, today=last + dt.timedelta(days=1), stress=False,
                           spillover=False)
    finally:
        store.close()
    # 10y 5-day change in bp: level difference over 5 business days (tolerance: the five
    # daily changes, each rounded to 1e-9 bp, and their float sum)
    assert fs.get("ust10y.chg_5d_bp").value == pytest.approx(
        100 * (s["y10"].iloc[-1] - s["y10"].iloc[-6]), abs=5e-9)
    # broad dollar 5-day change, simple percent
    assert fs.get("usd_broad.chg_5d_pct").value == pytest.approx(
        100 * (s["usd"].iloc[-1] / s["usd"].iloc[-6] - 1), rel=1e-9)
    # bitcoin one-day change, simple percent: exactly the -10% drop written
    assert fs.get("btc.chg_1d_pct").value == pytest.approx(-10.0, abs=1e-9)
    assert fs.get("btc.level").value == pytest.approx(s["btc"].iloc[-1])
    # custody: FRED $ millions -> $ billions; last weekly change -20bn, 4-week change
    assert fs.get("custody.chg_1w_usd_bn").value == pytest.approx(-20.0)
    assert fs.get("custody.chg_4w_usd_bn").value == pytest.approx(
        (2_880_000 - 2_903_000) / 1000)  # 4 weeks before the last
    assert fs.get("custody.level").value == pytest.approx(2880.0)
    assert fs.get("ust10y.stale_bdays").value == 0
    assert fs.get("ust10y.stale_bdays").labels["frequency"] == "daily"
    assert fs.get("eth.chg_1d_pct").available is False
    assert "no data for series 'eth'" in fs.get("eth.chg_1d_pct").reason
    assert fs.as_of == s["y10"].index[-1].date()


def test_staleness_counts_business_days():
    store, s = make_store()
    try:
        last = s["y10"].index[-1].date()            # a Friday
        fs = compute_facts(store, today=last + dt.timedelta(days=10), stress=False,
                           spillover=False)
    finally:
        store.close()
    # Sat..Sun+1 week: business days strictly after the last point, before today
    assert fs.get("ust10y.stale_bdays").value == business_days_between(
        last, last + dt.timedelta(days=10))


def test_business_days_reference():
    start = dt.date(2025, 3, 1)
    for a in range(20):
        for b in range(20):
            last, today = start + dt.timedelta(days=a), start + dt.timedelta(days=b)
            plain = sum(1 for k in range(1, max((today - last).days, 0))
                        if (last + dt.timedelta(days=k)).weekday() < 5)
            assert business_days_between(last, today) == plain


def test_demo_facts_include_stress_and_spillover():
    from spillwatch.analytics.connectedness import spillover_headline
    from spillwatch.data.source import open_source
    from spillwatch.service.stress import stress
    from spillwatch.service.workspace import Workspace

    with open_source("demo") as src:
        fs = compute_facts(src.store, today=dt.date(2030, 1, 1))
        latest = stress(Workspace(src)).latest()
        # reference: the synchronous (two-day) headline over the whole panel
        panel = src.panel(assets=["ust2y", "ust10y", "usd_broad", "usdjpy", "btc", "eth"])
        ref = spillover_headline(panel, sampling="two_day", lags=2,
                                 horizon=10).synchronous.dropna()
    assert fs.simulated
    assert fs.get("stress.index").value == latest["stress"]
    assert fs.get("stress.regime").value == latest["regime"]
    assert fs.get("stress.signature").value == latest["signature"]
    assert fs.get("stress.regime").value in ("calm", "elevated", "crisis")
    assert fs.get("stress.signature").value in ("sell_america", "dash_for_cash",
                                                "flight_to_quality", "none")
    # simulated data: staleness measured against the panel's last date, not the clock
    assert fs.get("btc.stale_bdays").value == 0
    spill = fs.get("spillover.net_rates_dollar_to_crypto")
    p95 = fs.get("spillover.net_rates_dollar_to_crypto_p95_252d").value
    rank = fs.get("spillover.net_rates_dollar_to_crypto_pctile_252d").value
    # tolerance: the same windows, estimated twice; only float summation order may differ
    assert spill.value == pytest.approx(ref.iloc[-1], abs=1e-9)
    # one year before it: 252 trading days = 126 two-day readings
    hist = np.sort(ref.iloc[-127:-1].to_numpy())
    pos = 0.95 * (len(hist) - 1)                      # linear interpolation between order stats
    lo = int(np.floor(pos))
    assert p95 == pytest.approx(hist[lo] + (pos - lo) * (hist[lo + 1] - hist[lo]), abs=1e-9)
    assert rank == pytest.approx(sum(h <= spill.value for h in hist) / len(hist))
    assert spill.as_of == ref.index[-1].date()


def test_fact_kinds():
    assert fact_kind("stress.regime").levels == ("calm", "elevated", "crisis")
    assert fact_kind("*.stale_bdays").kind == "number"
    with pytest.raises(ConfigError, match="unknown series 'btx'"):
        fact_kind("btx.level")
    with pytest.raises(ConfigError, match="offers"):
        fact_kind("custody.chg_1d_usd_bn")
    assert fact_kind("stress.vix_z5").kind == "number"
    assert fact_kind("stress.dollar").kind == "number"
    with pytest.raises(ConfigError, match=r"unknown stress fact 'stress\.vix_z9'"):
        fact_kind("stress.vix_z9")


@pytest.mark.slow
@pytest.mark.realdata
def test_rules_on_known_episodes(real_ws):
    from spillwatch.alerts.rules import load_rules

    rules = load_rules()

    def firing(fs):
        return {e.rule for r in rules.rules for e in r.evaluate(fs) if e.active}

    from spillwatch.service import stress as stress_service

    apr11 = compute_facts(real_ws, as_of=dt.date(2025, 4, 11), spillover=False)
    apr14 = compute_facts(real_ws, as_of=dt.date(2025, 4, 14), spillover=False)
    ftx = compute_facts(real_ws, as_of=dt.date(2022, 11, 9), stress=False,
                        spillover=False)
    brexit = compute_facts(real_ws, as_of=dt.date(2016, 6, 24), spillover=False,
                           demand=False)
    later = stress_service.stress(real_ws, end="2025-04-11").frame
    # README known facts: 10y 4.01% on 2025-04-04 and 4.48% on 2025-04-11 (5 business days;
    # Treasury's par curve is out the same evening)
    assert apr11.get("ust10y.chg_5d_bp").value == pytest.approx(47.0, abs=1e-6)
    assert apr11.as_of == dt.date(2025, 4, 11)
    assert apr11.get("ust10y.stale_bdays").value == 0
    # as it stood that evening: the broad dollar of the week came out on Monday 04-14 (H.10),
    # so the latest signature known was the previous Friday's; on Monday evening the 11th's
    # 'sell America' is known and the rule fires (the index is 'elevated' by then)
    sig = apr11.get("stress.signature")
    assert (sig.value, sig.as_of) == ("flight_to_quality", dt.date(2025, 4, 4))
    assert "sell_america_signature" not in firing(apr11)
    sig = apr14.get("stress.signature")
    assert (sig.value, sig.as_of) == ("sell_america", dt.date(2025, 4, 11))
    assert "sell_america_signature" in firing(apr14)
    assert later.loc["2025-04-11", "signature"] == "sell_america"
    # Brexit day: the last signature known is 06-17's 'sell America' and the regime is
    # elevated, but the 10-year fell in a flight to quality: no critical 'sell America'
    sig = brexit.get("stress.signature")
    assert (sig.value, sig.as_of) == ("sell_america", dt.date(2016, 6, 17))
    assert brexit.get("stress.regime").value in ("elevated", "crisis")
    assert brexit.get("ust10y.chg_5d_bp").value < 0
    assert "sell_america_signature" not in firing(brexit)
    # 2022-11-09, the FTX collapse: bitcoin fell more than 8% that day
    assert ftx.get("btc.chg_1d_pct").value < -8
    assert "btc_daily_drop" in firing(ftx)


@pytest.mark.slow
@pytest.mark.realdata
def test_yields_up_dollar_down_reads_both_legs_over_the_same_days(real_ws, shared_data):
    """The H.10 dollar comes out a week late: on 2009-03-25 the 10y's own 5 days (+30 bp, to
    03-25) and the dollar's (-2.9 %, to 03-20) are different weeks, and the rule fired on
    them. The joint facts read both legs over the same five observations; when a dollar week
    is published (Monday 03-30) its five windows are read at once, and the one ending 03-25
    (+30 bp, -1.97 %) fires. The values equal the raw FRED files over the same days."""
    from spillwatch.alerts.rules import load_rules

    rule = load_rules().rule("yields_up_dollar_down")
    y = pd.read_csv(shared_data / "fred" / "DGS10.csv", index_col=0, parse_dates=True,
                    na_values=".").iloc[:, 0].dropna()
    usd = pd.read_csv(shared_data / "fred" / "DTWEXBGS.csv", index_col=0, parse_dates=True,
                      na_values=".").iloc[:, 0].dropna()

    def five(s: pd.Series, day: dt.date) -> tuple[float, float]:
        s = s.loc[:pd.Timestamp(day)]
        return float(s.iloc[-1]), float(s.iloc[-6])

    cases = {"2009-03-25": ("2009-03-16", False), "2009-03-30": ("2009-03-25", True),
             "2011-10-17": ("2011-10-12", True), "2025-04-14": ("2025-04-11", False)}
    for as_of, (day, fires) in cases.items():
        fs = compute_facts(real_ws, as_of=dt.date.fromisoformat(as_of), spillover=False,
                           demand=False)
        ten = fs.get("stress.signature_ust10y_chg_5d_bp")
        dol = fs.get("stress.signature_usd_broad_chg_5d_pct")
        assert ten.as_of == dol.as_of == dt.date.fromisoformat(day), as_of
        a, b = five(y, ten.as_of)
        assert ten.value == pytest.approx(100 * (a - b), abs=1e-6)
        a, b = five(usd, ten.as_of)
        assert dol.value == pytest.approx(100 * (a / b - 1), abs=1e-6)
        assert any(e.active for e in rule.evaluate(fs)) is fires, as_of
        if as_of == "2009-03-25":   # what the old rule read: two different weeks
            assert fs.get("ust10y.chg_5d_bp").value >= 25
            assert fs.get("usd_broad.chg_5d_pct").value <= -1.5


@pytest.mark.realdata
def test_the_joint_moves_need_only_the_two_series(shared_data, tmp_path):
    """A store with only DGS10 and DTWEXBGS has no stress index; the joint facts said "stale
    input: the stress index ..." and the rule could not fire. +25 bp summed from daily changes
    to 24.999999999999993 and missed ">= 25" (2011-10-17's window of 10-14)."""
    import shutil

    from spillwatch.alerts.rules import load_rules

    part = tmp_path / "part"
    (part / "fred").mkdir(parents=True)
    for f in ("DGS10.csv", "DTWEXBGS.csv"):
        shutil.copy(shared_data / "fred" / f, part / "fred" / f)
    with open_source(part, db=tmp_path / "p.duckdb") as src:
        fs = compute_facts(src.store, as_of=dt.date(2009, 3, 30), spillover=False,
                           demand=False)
        assert fs.get("stress.signature_ust10y_chg_5d_bp").value == 30.0
        assert fs.get("stress.index").value is None
        assert any(e.active for e in load_rules().rule("yields_up_dollar_down").evaluate(fs))
        from spillwatch.alerts.facts import joint_changes
        from spillwatch.service.workspace import Workspace

        jc = joint_changes(Workspace(src))
    assert jc.loc["2011-10-14", "stress.signature_ust10y_chg_5d_bp"] == 25.0


def test_cached_facts_recompute_only_on_new_data_or_day():
    from spillwatch.alerts.monitor import CachedFacts

    store, s = make_store()
    try:
        cache = CachedFacts()
        day = s["y10"].index[-1].date() + dt.timedelta(days=1)
        a = cache(store, day)
        assert cache(store, day) is a                           # nothing changed: reused
        b = cache(store, day + dt.timedelta(days=1))            # a new day: staleness moves
        assert b is not a
        monday = s["y10"].index[-1] + pd.Timedelta(days=3)      # the last point is a Friday
        store.upsert(pd.DataFrame({"series_id": ["fred:DGS10"], "ts": [monday],
                                   "value": [4.5]}))
        c = cache(store, day + dt.timedelta(days=1))            # new data: recomputed
        assert c is not b and c.get("ust10y.level").value == 4.5
    finally:
        store.close()


@pytest.mark.realdata
def test_as_of_sees_only_what_was_published_by_that_evening(real_ws):
    from spillwatch.alerts.rules import load_rules

    rules = load_rules()
    wed, thu = (compute_facts(real_ws, as_of=dt.date(2024, 5, d), stress=False,
                              spillover=False, demand=False) for d in (15, 16))
    fired = [{e.rule for r in rules.rules for e in r.evaluate(fs) if e.active}
             for fs in (wed, thu)]
    # custody for Wednesday 2024-05-15 (-19.2 $bn in a week) is published on Thursday
    assert wed.get("custody.chg_1w_usd_bn").as_of == dt.date(2024, 5, 8)
    assert thu.get("custody.chg_1w_usd_bn").as_of == dt.date(2024, 5, 15)
    assert thu.get("custody.chg_1w_usd_bn").value == pytest.approx(-19.164, abs=1e-6)
    assert "custody_weekly_drop" not in fired[0] and "custody_weekly_drop" in fired[1]


def test_a_spillover_reading_past_its_limit_is_stale_not_a_value(real_ws):
    """The real data's last spillover window ends in December 2025: on a later day the facts
    are unavailable as stale (rules read n/a); on a day of 2025 they are the value."""
    from spillwatch.alerts.facts import SPILL_FACTS

    ws = real_ws
    late = compute_facts(ws, today=dt.date(2026, 11, 30), stress=False, demand=False)
    live = compute_facts(ws, as_of=dt.date(2025, 4, 9), stress=False, demand=False)
    for name in SPILL_FACTS:
        f = late.get(name)
        assert f.value is None and f.stale and "stale input: the latest spillover" in f.reason
        assert live.get(name).value is not None and not live.get(name).stale


def test_the_dates_line_says_which_series_is_newest_and_how_old_the_stress_reading_is():
    # the monitor printed "data as of 2026-08-21" when only the MOVE index reached that date
    # and the stress reading was of 2026-01-06
    fs = FactSet([Fact("stress.percentile", 50.0, dt.date(2026, 1, 6))],
                 as_of=dt.date(2026, 8, 21), newest=["move"])
    assert fs.dates_line() == "newest data 2026-08-21 (move); stress reading 2026-01-06"
    assert fs.to_dict()["stress_as_of"] == "2026-01-06"
    same = FactSet([Fact("stress.percentile", 50.0, dt.date(2026, 8, 21))],
                   as_of=dt.date(2026, 8, 21), newest=["btc", "ust10y"])
    assert same.dates_line() == "newest data 2026-08-21 (btc, ust10y)"


def test_compute_facts_names_the_newest_series(real_ws):
    fs = compute_facts(real_ws, as_of=dt.date(2025, 4, 11), spillover=False, demand=False)
    assert fs.as_of == dt.date(2025, 4, 11) and "ust10y" in fs.newest
    assert fs.stress_as_of == dt.date(2025, 4, 11)


@pytest.mark.slow
def test_a_fed_release_after_a_holiday_is_not_seen_the_day_before(real_ws):
    # Presidents' Day 2020-02-17: the H.10 of the week to 02-14 came out on Tuesday 02-18;
    # the replay and `alerts test --as-of` used it on the Monday
    mon, tue = (compute_facts(real_ws, as_of=dt.date(2020, 2, d), spillover=False,
                              demand=False) for d in (17, 18))
    assert mon.get("usd_broad.level").as_of == dt.date(2020, 2, 7)
    assert tue.get("usd_broad.level").as_of == dt.date(2020, 2, 14)


def test_a_crypto_close_past_the_business_day_series_dates_the_facts():
    # BTC fell 12% on Sunday, after the other series' last business day: the notification
    # read "newest data <the Friday>" (and, in a store where MOVE stopped months earlier,
    # three months early); the newest data are BTC's, of that Sunday
    store, s = make_store()
    try:
        fri = s["y10"].index[-1]
        btc = pd.Series([s["btc"].iloc[-1] * 1.01, s["btc"].iloc[-1] * 0.89],
                        index=[fri + pd.Timedelta(days=1), fri + pd.Timedelta(days=2)])
        store.upsert(pd.DataFrame({"series_id": "binance:BTCUSDT", "ts": btc.index,
                                   "value": btc.to_numpy()}))
        fs = compute_facts(store, today=(fri + pd.Timedelta(days=2)).date(), stress=False,
                           spillover=False, demand=False)
    finally:
        store.close()
    sunday = (fri + pd.Timedelta(days=2)).date()
    assert fs.get("btc.chg_1d_pct").as_of == sunday
    assert fs.get("btc.chg_1d_pct").value == pytest.approx(100 * (0.89 / 1.01 - 1))
    assert fs.as_of == sunday and fs.newest == ["btc"]
    assert fs.dates_line() == f"newest data {sunday} (btc)"


def test_the_spillover_alert_dates_its_reading(real_ws):
    # on 2020-03-18 it fired on +3.5 pp, a reading of 2020-03-12 (the dollar comes out a week
    # late), without its date, beside `spillover --end 2020-03-18` at -6.75 pp
    import datetime as dt

    from spillwatch.alerts.facts import compute_facts
    from spillwatch.alerts.rules import load_rules

    facts = compute_facts(real_ws, as_of=dt.date(2020, 3, 18), stress=False)
    rule = load_rules().rule("spillover_rates_dollar_to_crypto_high")
    ev = [e for e in rule.evaluate(facts) if e.active]
    assert ev and " on 2020-03-12 vs its one-year 95th percentile" in ev[0].summary


def test_a_change_across_a_gap_is_no_change_of_the_last_day():
    """One BTC close 20 days after the last (a third lower): its level was served as of that
    day while chg_1d was the last change before the gap, dated then and read as fresh, so
    `btc.chg_1d_pct < -10` was 'not met'. The change is unavailable, saying why."""
    store, s = make_store()
    try:
        last = s["btc"].index[-1]
        late = last + pd.Timedelta(days=20)
        store.upsert(pd.DataFrame({"series_id": "binance:BTCUSDT", "ts": [late],
                                   "value": [s["btc"].iloc[-1] * 0.67]}))
        fs = compute_facts(store, today=late.date(), stress=False, spillover=False,
                           demand=False)
    finally:
        store.close()
    assert fs.get("btc.level").value == pytest.approx(s["btc"].iloc[-1] * 0.67)
    for n in (1, 5, 20):
        f = fs.get(f"btc.chg_{n}d_pct")
        assert f.value is None and f.as_of == late.date(), f
        assert f"follows a gap in its data after {last.date()}" in f.reason


@pytest.mark.slow
@pytest.mark.realdata
def test_a_treasury_sell_off_alerts_when_the_index_reads_calm(real_ws, shared_data):
    """October 2023: the 10-year rose 61 bp to 4.98% while the composite index read calm
    (percentile 73); no default rule looked at the move itself."""
    from spillwatch.alerts.rules import load_rules

    rule = load_rules().rule("treasury_selloff")
    raw = pd.read_csv(shared_data / "treasury" / "par_yield_curve.csv", parse_dates=["date"])
    ten = raw.set_index("date")["yield_10y_pct"].dropna() * 100
    for day, fires in (("2023-10-19", True), ("2013-06-24", True), ("2017-07-14", False)):
        fs = compute_facts(real_ws, as_of=dt.date.fromisoformat(day), spillover=False,
                           demand=False)
        move = ten.loc[:day].iloc[-1] - ten.loc[:day].iloc[-21]    # the par curve: same day
        assert fs.get("ust10y.chg_20d_bp").value == pytest.approx(move, abs=1e-6)
        assert any(e.active for e in rule.evaluate(fs)) is fires == (move >= 50), day
        if day == "2023-10-19":
            assert fs.get("stress.regime").value == "calm"



@pytest.mark.slow
@pytest.mark.realdata
def test_a_sell_off_too_fast_for_twenty_days_alerts_on_its_five(real_ws, shared_data):
    """March 2020's +36 bp in five days to 03-18 (-38 bp over twenty) and April 2025's +47 bp
    in the week to 04-11 (+17 over twenty) left the 20-day rule silent."""
    from spillwatch.alerts.rules import load_rules

    rules = load_rules()
    spike, slow = rules.rule("treasury_spike"), rules.rule("treasury_selloff")
    raw = pd.read_csv(shared_data / "treasury" / "par_yield_curve.csv", parse_dates=["date"])
    ten = raw.set_index("date")["yield_10y_pct"].dropna() * 100
    # its cut-off is the top 1% of five-day changes since 1990, as 50 bp is the top 3% of
    # twenty-day ones
    assert ten["1990":].diff(5).quantile(0.99) == pytest.approx(spike.conditions[0].value)
    assert ten["1990":].diff(20).quantile(0.97) == pytest.approx(
        slow.conditions[0].value, abs=0.01)
    for day, fires in (("2020-03-18", True), ("2025-04-11", True), ("2025-04-04", False),
                       ("2017-07-14", False)):
        fs = compute_facts(real_ws, as_of=dt.date.fromisoformat(day), spillover=False,
                           demand=False)
        five = ten.loc[:day].iloc[-1] - ten.loc[:day].iloc[-6]
        assert fs.get("ust10y.chg_5d_bp").value == pytest.approx(five, abs=1e-6)
        active = [e for e in spike.evaluate(fs) if e.active]
        assert bool(active) is fires == (five >= 33), day
        if fires:
            assert not any(e.active for e in slow.evaluate(fs)), day
            assert active[0].summary.startswith(f"10-year yield {five:+.0f} bp over 5 "), \
                active[0].summary


def test_an_n_day_change_over_an_unmeasured_gap_is_none():
    """A gap past the asset's limit leaves the change after it unmeasured; the n-day changes
    skipped it and summed the rest (the dollar's five days to 2016-01-29 read +0.27% where
    they fell 0.21%, and flipped a 'yields up, dollar down' fact). Every n-day change whose
    days hold the gap is none, saying why, until n changes after it are measured."""
    store, s = make_store()
    try:
        btc = s["btc"]
        last = btc.index[-1]
        # BTC silent for 10 days, then four closes: the 1-day changes after the first are
        # measured, the 5- and 20-day changes span the gap
        late = pd.date_range(last + pd.Timedelta(days=10), periods=4, freq="D")
        vals = btc.iloc[-1] * np.array([0.9, 0.95, 0.97, 0.96])
        store.upsert(pd.DataFrame({"series_id": "binance:BTCUSDT", "ts": late, "value": vals}))
        fs = compute_facts(store, today=late[-1].date(), stress=False, spillover=False,
                           demand=False)
    finally:
        store.close()
    one = fs.get("btc.chg_1d_pct")
    assert one.value == pytest.approx(100 * (0.96 / 0.97 - 1)) and one.as_of == late[-1].date()
    for n in (5, 20):
        f = fs.get(f"btc.chg_{n}d_pct")
        assert f.value is None and f.as_of == late[-1].date(), f
        assert (f"btc's {n}-day change spans a gap in its data (after {last.date()} to "
                f"{late[0].date()}) that is not measured") == f.reason


@pytest.mark.realdata
def test_the_joint_window_after_a_gap_is_the_latest_measured_one(real_ws):
    """After the dollar's unmeasured change of 2016-01-27 the pick among the five latest joint
    days skipped the days whose windows span it and went back to a window of 01-21, 18 days
    old on 02-08, its dollar leg +0.73% where the week to 02-05 fell 1.11%."""
    fs = compute_facts(real_ws, as_of=dt.date(2016, 2, 8), spillover=False,
                       demand=False)
    ten = fs.get("stress.signature_ust10y_chg_5d_bp")
    usd = fs.get("stress.signature_usd_broad_chg_5d_pct")
    assert ten.as_of == usd.as_of == dt.date(2016, 2, 5)
    assert ten.value == pytest.approx(-8.0) and usd.value == pytest.approx(-1.107178, abs=1e-6)
