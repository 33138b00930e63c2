"""On ../shared/data: the replay equals truncated runs of the monitor on sampled days, and the
scorecard covers every shipped episode for spillwatch and the three official indices."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest import ACTIVE, backtest, load_episodes
from spillwatch.alerts.rules import default_rules_text, parse_rules
from spillwatch.cli import app
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace

from ._compare import differences

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
RULES = parse_rules(default_rules_text(), path="<default rules>")
README = Path(__file__).resolve().parents[3] / "README.md"


@pytest.fixture(scope="module")
def real(real_db):
    ws = Workspace(open_source(real_db, read_only=True))
    yield ws, backtest(ws, rules=RULES)
    ws.close()


@pytest.fixture(scope="module")
def cli_doc(real_backtest):
    """`backtest --db … --json` on ../shared/data: run once per test process for the tests of
    its output and tests/cli/test_every_command.py (the session's ``real_backtest``; it ran in
    three places, each replaying 1990-2026 on a workspace of its own)."""
    assert real_backtest.exit_code == 0, real_backtest.stderr
    return json.loads(real_backtest.stdout)


def sampled_days(rp, ws=None, seed=2024, n=16):
    """Seeded random business days since 1990, plus one of each kind the real release
    calendars make: Mondays (H.10 out; crypto's weekend), Thursdays (STLFSI4, custody out),
    the first and last day recomputed by truncation, the first days with the 10-year known
    only the next day (the par curve ends in July 2025), days of 2026 with stale inputs, and
    the evenings a week and two weeks after the first dollar change the panel leaves
    unmeasured (a gap past its limit: the 5-day change spans it)."""
    d = rp.dates
    rng = np.random.default_rng(seed)
    picks = set(rng.choice(d, size=n, replace=False))
    for wd in (0, 3):
        picks.add(rng.choice(d[d.day_of_week == wd]))
    if len(rp.fallback):
        picks.update(rp.fallback["date"].iloc[[0, -1]])
    late = rp.record.index[rp.record["reading"] < rp.record.index]
    picks.update(late[late > pd.Timestamp("2025-07-01")][:2])
    picks.add(d[-1])
    if ws is not None:
        ch = ws.panel(["usd_broad"], transform="changes")["usd_broad_pct"]
        lv = ws.panel(["usd_broad"], transform="levels")["usd_broad_idx"]
        hole = ch.index[lv.notna().to_numpy() & ch.isna().to_numpy()][1:]   # not the first day
        assert len(hole), "the real dollar has no gap past its limit"
        for after in (7, 14):
            picks.add(d[d >= hole[0] + pd.Timedelta(days=after)][0])
    return sorted(pd.DatetimeIndex(list(picks)))


def test_replay_equals_truncated_runs_on_sampled_days(real):
    ws, res = real
    picks = sampled_days(res.replay, ws)
    assert len(picks) >= 20
    cache: dict = {}
    bad, facts, evals = [], 0, 0
    for day in picks:
        diffs, nf, ne = differences(res.replay, RULES, ws, day, cache)
        bad += diffs
        facts += nf
        evals += ne
    assert bad == []
    print(f"{len(picks)} days, {facts} facts and {evals} rule evaluations equal")


def test_cli_json_every_episode_with_each_index(cli_doc, real):
    doc = cli_doc
    # the firings the monitor held back, as the backtest (and the report) count them
    assert doc["inhibition"] == real[1].inhibition and doc["inhibition"]["crypto_shock"]
    told = [f for f in doc["firings"] if f["rule"] == "crypto_shock" and f["told"] is None]
    assert len(told) == doc["inhibition"]["crypto_shock"]["never_told"]
    assert {f["inhibited_by"] for f in told} == {"btc_daily_drop for asset=btc"}
    assert [e["name"] for e in doc["episodes"]] == [e.name for e in load_episodes()]
    comps = ("stlfsi4", "ofr_fsi", "ecb_ciss")
    for e in doc["episodes"]:
        assert e["spillwatch"]["covered"], e["name"]      # every episode since 1990
        assert set(e["comparators"]) == set(comps)
    scores = {s["signal"]: s for s in doc["scores"]}
    for k in ("spillwatch", *comps):
        assert 0.0 < scores[k]["auroc_20"] < 1.0
        assert scores[k]["false_alarms_per_year"] >= 0.0
    h = doc["headline"]
    # each figure with its 95% interval (scores' module docstring, *Uncertainty*): the AUROC
    # and spillwatch's gap to each official index by a block bootstrap of the replay's days,
    # the hit rate's Wilson's, the median lead's over resampled episodes with a sign test
    from scipy.stats import binomtest

    for k in ("spillwatch", *comps):
        lo, hi = h[f"auroc20_common_{k}_ci95"]
        assert lo < h[f"auroc20_common_{k}"] < hi
        lo, hi = h[f"hit_rate_{k}_ci95"]
        assert lo < scores[k]["hit_rate"] < hi
    for k in comps:
        g, (lo, hi) = h[f"auroc20_common_gap_{k}"], h[f"auroc20_common_gap_{k}_ci95"]
        assert g == pytest.approx(h["auroc20_common_spillwatch"] - h[f"auroc20_common_{k}"])
        assert lo < g < hi
        e, later = h[f"earlier_than_{k}"], h[f"later_than_{k}"]
        assert h[f"sign_test_p_vs_{k}"] == pytest.approx(binomtest(e, e + later).pvalue)
        lo, hi = h[f"median_lead_vs_{k}_ci95_bdays"]
        assert lo <= h[f"median_lead_vs_{k}_bdays"] <= hi
    print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in h.items()})
    print({k: (scores[k]["hits"], scores[k]["covered"], round(scores[k]["auroc_5"], 3),
               round(scores[k]["auroc_common_20"], 3)) for k in ("spillwatch", *comps)})


def test_episodes_sharing_a_window_are_named(cli_doc):
    """The note on episodes one alert can hit compared their trigger-to-peak spans only:
    uk_ldi_2022 (to 2022-10-12) and ftx_2022 (from 11-08) went unnamed, though ftx's window
    opens 20 business days before its trigger, 10-11, and the alert that hit uk_ldi from
    08-26 was still on there: ftx's hit is that alert ("already on"), counted twice."""
    doc = cli_doc
    eps = {e["name"]: e["spillwatch"] for e in doc["episodes"]}
    assert eps["uk_ldi_2022"]["hit"] and eps["ftx_2022"]["hit"]
    assert eps["ftx_2022"]["already_on"] and eps["ftx_2022"]["first_alert"] == "2022-10-11"
    notes = " | ".join(doc["notes"])
    assert ("episodes uk_ldi_2022 and ftx_2022 are within one window of each other "
            "(ftx_2022's opens 2022-10-11, 20 business days before its trigger, by "
            "uk_ldi_2022's peak on 2022-10-12): one alert can be the hit of both") in notes
    # the spans that overlap read as before
    assert ("episodes covid_dash_for_cash_2020 and crypto_black_thursday_2020 overlap "
            "(2020-02-24 to 2020-03-16 and 2020-03-12 to 2020-03-12)") in notes
    # pairs further apart than a window are not named
    assert "svb_2023" not in notes and "yen_carry_unwind_2024" not in notes


def test_a_late_start_reads_the_same_trailing_year(real):
    """The "index > 1y p90" signal's trailing threshold read only replay days, so its burn-in
    restarted at --start: from 2008-01-01 Bear Stearns was "not covered" (a hit, lead 11, in
    the full run). The replay now reads the year before its first day."""
    ws, full = real
    late = backtest(ws, rules=RULES, start="2008-01-01", end="2012-12-31")
    pick = {s.key: s for s in full.signals}["spillwatch_1y"]
    mine = {s.key: s for s in late.signals}["spillwatch_1y"]
    whole = pd.Series(pick.on, index=full.replay.dates).reindex(late.replay.dates)
    got = pd.Series(mine.on, index=late.replay.dates)
    assert got.notna().all() and got.iloc[:5].notna().all()
    pd.testing.assert_series_equal(got, whole, check_names=False)
    # the warm-up is what the full replay's monitor read on the year before
    assert late.replay.warmup.index[0] >= pd.Timestamp("2006-12-31")
    assert late.replay.warmup.index[-1] == pd.Timestamp("2007-12-31")
    pd.testing.assert_series_equal(
        late.replay.warmup, full.replay.record["stress"].reindex(late.replay.warmup.index),
        check_names=False)


def test_a_firing_names_its_episodes_worst_day(real):
    """The firing table showed each firing's first day only: March 2020's custody alert read
    -21.8 $bn in a week (03-05) and never the -51.8 of the week to 03-25."""
    _, full = real
    f = full.replay.firings
    week = f[(f["rule"] == "custody_weekly_drop") & (f["fired"] == pd.Timestamp("2020-03-05"))]
    (row,) = week.itertuples()
    assert "-21.8 $bn in a week" in row.summary
    assert row.peak == pd.Timestamp("2020-03-26") and "-51.8 $bn in a week" in row.peak_summary
    # the peak is within the span, on every firing with a numeric first condition
    spans = f.dropna(subset=["peak"])
    assert len(spans) and (spans["peak"] >= spans["fired"]).all()
    assert ((spans["peak"] < spans["resolved"]) | spans["resolved"].isna()).all()


def test_a_level_rule_fires_once_through_a_dip_and_the_spillover_alert_reads_its_direction(
        real):
    """The level rules fired and resolved at each crossing of their cut-off (stress_elevated
    58 times within a week of its last resolving, in 127 firings since 2006, and 33 in 93
    with the regime's exit band; the 10-year's
    20-day change four times in six weeks of 2013). Held a week (keep_firing_for), a firing
    of theirs starts more than five business days after the last day the conditions held in
    the one before, and a firing's last day holds or follows such a day by at most the hold;
    and the spillover alert fired on a negative net (crypto the transmitter) above a negative
    one-year 95th percentile: every day it fires the net runs from rates and the dollar to
    crypto."""
    _, res = real
    rp = res.replay
    f = rp.firings
    pos = {d: i for i, d in enumerate(rp.dates)}
    kept = {r.name for r in RULES.rules if r.keep_firing_for.days >= 7}
    assert kept >= {"stress_elevated", "treasury_selloff"}
    held_days = 0
    for inst in (i for i in rp.instances if i.rule.name in kept):
        g = f[(f["rule"] == inst.rule.name) & (f["key"] == inst.key)].sort_values("fired")
        on = rp.firing[(inst.rule.name, inst.key)]
        active = inst.active == ACTIVE
        held_days += int((on & ~active).sum())
        # every firing day is an active day or within the hold (seven days) from the
        # evening the conditions stopped holding
        last = np.maximum.accumulate(np.where(active, np.arange(len(active)), -10**6))
        stop = np.minimum(np.maximum(last, 0) + 1, len(active) - 1)
        days = (rp.dates - rp.dates[stop]).days
        assert (~on | active | ((last >= 0) & (days < 7))).all(), inst.rule.name
        for end, nxt in zip(g["resolved"].iloc[:-1], g["fired"].iloc[1:], strict=True):
            j = pos[end]
            prev = j - 1 - int(np.flatnonzero(active[:j][::-1])[0])   # last active day
            assert pos[nxt] - prev > 5, (inst.rule.name, end, nxt)
    assert held_days > 0 and len(f[f["rule"].isin(kept)]) > 20
    net = rp.facts.values["spillover.net_rates_dollar_to_crypto"]
    on = rp.firing[("spillover_rates_dollar_to_crypto_high", "")]
    assert on.any() and (net[on] > 0).all()


def test_weekend_crypto_alerts_the_monitor_would_send_are_named(real, shared_data):
    """The replay runs on business days; the monitor also runs on weekends, when bitcoin
    trades. Its Saturday and Sunday falls past the rule's -8% were in neither the firings nor
    a note (`alerts test --as-of` a Sunday said the rule would fire). The note counts them as
    our own pandas does on the Binance closes."""
    _, res = real
    btc = pd.read_csv(shared_data / "crypto" / "BTCUSDT.csv", parse_dates=["date"]
                      ).set_index("date")["BTCUSDT"]
    chg = 100 * btc.pct_change()
    lo, hi = res.replay.dates[0], res.replay.dates[-1]
    weekend = chg[(chg.index.day_of_week >= 5) & (chg.index >= lo) & (chg.index <= hi)]
    falls = weekend[weekend <= -8]
    assert len(falls) > 0
    (note,) = [n for n in res.replay.notes if n.startswith("rule btc_daily_drop:")]
    assert (f"would have been firing on {len(falls)} weekend evening(s)" in note
            and f"({falls.index[0].date()} to {falls.index[-1].date()})" in note), note


def test_a_replay_ending_in_an_episode_neither_scores_it_nor_lists_later_ones(real):
    """A replay to an episode's peak day scored it with its window cut (STLFSI4 "missed" a
    peak it published two days later), and one to 2019 listed 2020-2025's episodes by name.
    The episode counts once its window [T - pre, P + post] is in the replay; later ones are
    not listed."""
    ws, _ = real            # the module's workspace: its store read and whole-history analyses
    eps = load_episodes()
    by_name = {e.name: e for e in eps}
    carry = by_name["yen_carry_unwind_2024"]
    res = backtest(ws, rules=RULES, start="2023-06-01", end=carry.peak)
    names = {e.name for e in res.episodes}
    assert carry.name in names
    assert not any(e.trigger > carry.peak for e in res.episodes)
    assert {e.name for e in eps if e.trigger > carry.peak} & names == set()
    lead = res.card.leads[res.card.leads["episode"] == carry.name]
    assert len(lead) and not lead["covered"].any()
    # the report says why (it said "n/a (no data)" with spillwatch's alert inside)
    from spillwatch.report.sections.backtest import lead_table

    row = lead_table(res).loc[carry.name]
    assert any(str(v) == "not scored yet (its window is open)" for v in row.to_numpy())
    assert row["peak"] == "open"          # hindsight's date, not known that evening


def test_the_index_s_inputs_alone_are_scored_beside_it(real):
    """The episodes' peaks are dated by the VIX and the MOVE, both inputs of the index: an
    auditor scored each alone by the index's rule (own recursive percentile >= 90) at AUROC(20)
    0.695 (VIX, 22/34 hits) and 0.705 (MOVE, 20/35) against spillwatch's 0.707 (27/35); the
    scorecard did not show them, so its lead over the official indices read as the index's."""
    from spillwatch.service.backtest import own_percentile

    ws, res = real
    summ = res.card.summary
    vix, move = summ.loc["vix_alone"], summ.loc["move_alone"]
    assert vix["kind"] == move["kind"] == "benchmark"
    assert vix["auroc_20"] == pytest.approx(0.695, abs=0.005)
    assert move["auroc_20"] == pytest.approx(0.705, abs=0.005)
    assert (vix["hits"], vix["covered"]) == (22, 34) and (move["hits"], move["covered"]) == (20, 35)
    # a benchmark does not narrow the common days the index and the official indices share
    assert summ.loc["spillwatch", "auroc_common_20"] == pytest.approx(0.700, abs=0.0005)
    # the VIX's score on a replay evening is its own percentile of that day's close
    sig = next(s for s in res.signals if s.key == "vix_alone")
    raw = ws.raw().series["vix"].dropna()
    mine = own_percentile(raw).reindex(res.replay.dates)
    ok = ~np.isnan(sig.score) & mine.notna().to_numpy()
    assert ok.sum() > 8000
    np.testing.assert_allclose(sig.score[ok], mine.to_numpy()[ok], rtol=1e-12)
    assert "VIX alone" in res.summary() and "inputs of the index" in res.to_dict()["method"]


def test_a_replay_ending_before_the_gauge_keeps_the_demand_rules(real):
    """`backtest --end 1993-06-30` (any --end before 2007-01-03, the gauge's first reading)
    asked the gauge for that end, got a DataError and blanked every demand.* fact for the
    whole replay: japan_intervention read unavailable on all 913 days, though MOF's report of
    1991-05-31 (14 bn yen) fires it in `alerts test --as-of 1991-05-31` and in the replay to
    today. The window's signal is now the full replay's on the same days."""
    ws, full = real
    short = backtest(ws, rules=RULES, start="1990-01-01", end="1993-06-30")
    key = "rule:japan_intervention"
    got = pd.Series({s.key: s for s in short.signals}[key].on, index=short.replay.dates)
    whole = pd.Series({s.key: s for s in full.signals}[key].on,
                      index=full.replay.dates).reindex(got.index)
    assert got.loc["1991-05-31"] == 1.0
    assert int(np.nansum(got.loc["1991-05-01":"1993-06-30"].to_numpy())) > 0
    pd.testing.assert_series_equal(got, whole, check_names=False)
    # and Japan's weekly flows (from 2005) in a replay that ends in 2006
    mid = backtest(ws, rules=RULES, start="2004-01-01", end="2006-12-29")
    key = "rule:japan_weekly_bond_sales"
    got = pd.Series({s.key: s for s in mid.signals}[key].on, index=mid.replay.dates)
    whole = pd.Series({s.key: s for s in full.signals}[key].on,
                      index=full.replay.dates).reindex(got.index)
    assert got.loc["2006-03-22"] == 1.0      # the firing of the full replay
    pd.testing.assert_series_equal(got, whole, check_names=False)


def test_a_store_whose_custody_is_not_reported_yet_replays(shared_data, tmp_path):
    """A store of the 10-year, the VIX and custody holdings (FRED prints WMTSECL1 as 0, not
    reported, up to 2007-06-27): `backtest --end 2007-03-30` stopped on "IndexError:
    positional indexers are out-of-bounds" (no foreign-demand reading by the end: an empty
    gauge frame, read by position). The replay runs, the demand rules unavailable."""
    import shutil

    data = tmp_path / "data" / "fred"
    data.mkdir(parents=True)
    for sid in ("DGS10", "VIXCLS", "WMTSECL1"):
        shutil.copy(shared_data / "fred" / f"{sid}.csv", data / f"{sid}.csv")
    db = tmp_path / "mini.duckdb"
    open_source(tmp_path / "data", db=db).close()
    res = CliRunner().invoke(app, ["backtest", "--db", str(db), "--start", "2006-01-01",
                                   "--end", "2007-03-30", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    scores = {s["signal"]: s for s in doc["scores"]}
    assert scores["rule:custody_weekly_drop"]["covered"] == 0
    assert doc["settings"]["end"].startswith("2007-03-30")


def test_a_late_start_reads_the_alerts_in_effect_on_its_first_day(real):
    """`backtest --start 2008-10-01` had treasury_spike off on 10-01 and 10-02, where the
    replay from 1990 (and the monitor) held it on from its firing of the week before: a late
    start began every alert inactive. The replay now runs the days its rules' timers reach
    back over, and every alert's state on every day equals the full replay's."""
    from spillwatch.alerts.backtest.replay import replay

    ws, full = real
    part = replay(ws, RULES, start="2008-10-01", end="2009-06-30")
    assert part.dates[0] == pd.Timestamp("2008-10-01") and len(part.facts.value("stress.index")) \
        == len(part.dates) == len(part.record)
    assert part.firing[("treasury_spike", "")][:2].all()
    for key, on in part.firing.items():
        whole = pd.Series(full.replay.firing[key], index=full.replay.dates).reindex(part.dates)
        np.testing.assert_array_equal(on, whole.to_numpy(dtype=bool), err_msg=str(key))
    pd.testing.assert_frame_equal(part.record, full.replay.record.loc[part.dates])
    # the firing in effect on the first day keeps its onset, before the window
    spike = part.firings[part.firings["rule"] == "treasury_spike"].iloc[0]
    assert spike["fired"] < pd.Timestamp("2008-10-01")


def test_readme_and_the_rule_file_give_the_replay_s_hold_figures(real):
    """README said the week's hold (keep_firing_for) turns the stress, sell-off, spike and
    foreign-selling rules' "266 firings [replayed since 2006] into 177, the 89 that came within
    five business days of the last resolving merged"; the replay of ../shared/data gives 276,
    182 and 94 (stress_elevated 92 -> 59, stress_crisis 47 -> 28, treasury_selloff 50 -> 22,
    treasury_spike 29 -> 26, foreign_selling_top_decile 58 -> 47; 275, 182 and 93 before the
    yuan's prints held through China's holidays stopped counting as moves, 57 -> 47 before
    TIC's lapse rule). Without the hold a firing is a run of active days (a replay with
    keep_firing_for "0m" records the same 276); the rule file's "33 of the 92 firings since
    2006" of stress_elevated is read the same way."""
    _, res = real
    rp = res.replay
    since = pd.Timestamp("2006-01-01")
    kept = {r.name for r in RULES.rules if r.keep_firing_for.days >= 7}
    f = rp.firings
    held = f[f["rule"].isin(kept) & (f["fired"] >= since)].groupby("rule").size()
    runs: dict[str, int] = {}
    for inst in (i for i in rp.instances if i.rule.name in kept):
        active = inst.active == ACTIVE
        starts = active & ~np.r_[False, active[:-1]]
        runs[inst.rule.name] = (runs.get(inst.rule.name, 0)
                                + int((starts & (rp.dates >= since)).sum()))
    total, after = sum(runs.values()), int(held.sum())
    text = " ".join(README.read_text("utf-8").split())
    said = re.search(r"replayed since 2006, their (\d+) firings are (\d+), the (\d+) that came "
                     r"within five business days", text)
    assert said, "README no longer states the figures this test checks"
    assert tuple(map(int, said.groups())) == (total, after, total - after), (total, after)
    rules = " ".join(default_rules_text().replace("#", " ").split())
    said = re.search(r"\((\d+) of the (\d+) firings since 2006 came within five business days",
                     rules)
    assert said, "the rule file no longer states the figures this test checks"
    elevated = runs["stress_elevated"]
    assert tuple(map(int, said.groups())) == (elevated - int(held["stress_elevated"]), elevated)


def test_bitcoin_s_shock_is_held_back_on_its_minus_8_percent_days(real, shared_data):
    """crypto_shock is inhibited_by btc_daily_drop on bitcoin: replayed, a shock firing is
    recorded and never told when bitcoin fell 8% or more on each of its days. The -8% days
    are read from the raw daily closes (a business day's close against the day before's)."""
    _, res = real
    f = res.replay.firings
    raw = pd.read_csv(shared_data / "crypto" / "BTCUSDT.csv", parse_dates=["date"])
    px = raw.set_index("date")["BTCUSDT"]
    chg = 100.0 * (px / px.shift(1) - 1.0)
    drop_days = set(chg.index[(chg <= -8.0) & (chg.index.day_of_week < 5)])
    d = res.replay.dates

    def span(row):
        return d[(d >= row.fired) & ((d < row.resolved) if pd.notna(row.resolved) else True)]

    drops = f[f["rule"] == "btc_daily_drop"]
    assert {x for r in drops.itertuples(index=False) for x in span(r)} == drop_days & set(d)
    shock = f[(f["rule"] == "crypto_shock")]
    never = told_late = 0
    for row in shock.itertuples(index=False):
        days = span(row)
        held = [x in drop_days for x in days] if row.key == "btc" else [False] * len(days)
        want_by = "btc_daily_drop for asset=btc" if held[0] else None
        assert (row.inhibited_by if isinstance(row.inhibited_by, str) else None) == want_by
        want_told = next((x for x, h in zip(days, held, strict=True) if not h), None)
        assert (None if pd.isna(row.told) else row.told) == want_told, row
        never += all(held)
        told_late += held[0] and not all(held)
    assert never >= 5                       # 2018-11-14, 2020-03-12, 2022-06-13, ...
    want = {"crypto_shock": {"firings": len(shock), "never_told": never,
                             "told_late": told_late, "by": ["btc_daily_drop for asset=btc"]}}
    assert res.inhibition == want
    # the ether and TRUMP shocks of those days, and bitcoin's short of -8%, are told
    assert shock["told"].notna().sum() == len(shock) - never
    lines = res.inhibition_lines()
    assert lines == [f"crypto_shock: {never} of its {len(shock)} firings were held back for "
                     "their whole span by btc_daily_drop for asset=btc (recorded, never told)"
                     + (f", {told_late} told once it resolved" if told_late else "")
                     + "; the scores count all of them"]
    assert lines[0] in res._summary_lines()
    text = " ".join(README.read_text("utf-8").split())
    said = re.search(r"replayed, (\d+) of crypto_shock's (\d+) firings were bitcoin's", text)
    assert said, "README no longer states the figures this test checks"
    assert tuple(map(int, said.groups())) == (never, len(shock))


def test_the_front_end_collapse_rule_fires_in_the_episodes_its_file_names(real, shared_data):
    """front_end_collapse: the 2-year down 50 bp or more in five business days. Its active days
    are the par curve's (published the same evening) where that holds, and the rule file's
    figures (8 episodes since 1990, 12 firings on 22 days) are the replay's."""
    _, res = real
    rp = res.replay
    raw = pd.read_csv(shared_data / "treasury" / "par_yield_curve.csv", parse_dates=["date"])
    two = raw.set_index("date")["yield_2y_pct"].dropna() * 100
    five = two.diff(5)
    end = two.index[-1]
    inst = next(i for i in rp.instances if i.rule.name == "front_end_collapse")
    on = pd.Series(inst.active == ACTIVE, index=rp.dates)
    want = set(five.index[(five <= -50) & (five.index >= rp.dates[0])])
    # a holiday evening reads the day before's change (Thanksgiving 2007-11-22)
    held = five.reindex(rp.dates[rp.dates <= end], method="ffill")
    assert set(on.index[on.to_numpy()][on.index[on.to_numpy()] <= end]) == set(
        held.index[(held <= -50).to_numpy()])
    f = rp.firings[rp.firings["rule"] == "front_end_collapse"]
    fired = pd.DatetimeIndex(f["fired"])
    episodes = (fired.to_series().diff() > pd.Timedelta(days=31)).sum() + 1
    rules = " ".join(default_rules_text().replace("#", " ").split())
    said = re.search(r"Since 1990 it fired in (\d+) episodes, each of stress: (.*?); (\d+) "
                     r"firings on (\d+) days", rules)
    assert said, "the rule file no longer states the figures this test checks"
    assert (int(said.group(1)), int(said.group(3)), int(said.group(4))) == (
        episodes, len(f), len(want))
    text = " ".join(README.read_text("utf-8").split())
    said = re.search(r"`front_end_collapse`: .*? replayed since 1990 it fired in (\d+) episodes",
                     text)
    assert said and int(said.group(1)) == episodes
    # SVB's: the 2-year's 112 bp in the five days to 2023-03-15, which no 10-year rule saw
    svb = f[(f["fired"] >= "2023-03-01") & (f["fired"] <= "2023-03-31")].iloc[0]
    assert svb["peak"] == pd.Timestamp("2023-03-15")
    assert svb["peak_summary"] == f"2-year yield {five['2023-03-15']:+.0f} bp over 5 business " \
                                  f"days to {two['2023-03-15'] / 100:.2f}%"
    # (the 10-year rules watch rises: treasury_selloff, firing on February's, resolved 03-13)
    for rule in ("treasury_selloff", "treasury_spike"):
        g = rp.firings[rp.firings["rule"] == rule]
        assert not ((g["fired"] >= "2023-03-09") & (g["fired"] <= "2023-03-31")).any()


def test_a_replayed_signal_is_dated_by_its_inputs_last_print_by_the_reading(real, shared_data):
    """Each ``stress.<signal>`` fact of the replay is dated by its inputs' last print on or
    before the reading, as ``alerts facts`` dates it (h_mut23): at an input's first print
    (the ICE BofA spreads of 1996-12-31, read on 1997-01-02; custody's first weekly change,
    of 2007-07-11) and when the reading waits for the 10-year (on 2026-01-08 the reading is
    of 01-06: custody's print of 01-07, out that day, is after it; the value is the week to
    2025-12-31's). The sampled days of the equal-to-truncated-runs test hold none of these."""
    _, res = real
    rp = res.replay

    def read(name: str, day: str) -> tuple[float, str]:
        i = rp.dates.get_loc(pd.Timestamp(day))
        when = pd.Timestamp(int(rp.facts.as_of[name][i]), unit="D")
        return rp.facts.at(name, i), f"{when:%Y-%m-%d}"

    def raw(name: str) -> pd.Series:
        f = pd.read_csv(shared_data / "fred" / f"{name}.csv", index_col="date", parse_dates=True)
        return pd.to_numeric(f[name], errors="coerce").dropna()

    ig, hy = raw("BAMLC0A0CM"), raw("BAMLH0A0HYM2")
    assert read("stress.ig_oas_pct", "1997-01-02") == (ig.iloc[0], "1996-12-31")
    assert read("stress.hy_oas_pct", "1997-01-02") == (hy.iloc[0], "1996-12-31")
    custody = raw("WMTSECL1") / 1000.0          # USD millions; zeros, not figures, to 2007-06-27
    week = custody.diff()
    value, when = read("stress.custody_chg_usd_bn", "2007-07-12")
    assert when == "2007-07-11" and value == pytest.approx(week["2007-07-11"])   # 12.625
    assert rp.record.loc["2026-01-08", "reading"] == pd.Timestamp("2026-01-06")
    value, when = read("stress.custody_chg_usd_bn", "2026-01-08")
    assert when == "2025-12-31" and value == pytest.approx(week["2025-12-31"])   # -18.023


def test_one_hit_already_on_is_said_in_the_singular(real):
    """The summary said "of its 22 hits, 1 were already on when the window opened" (h_readme5):
    each signal's count of hits already on agrees with its verb."""
    _, res = real
    said = re.findall(r"of its (\d+) hits, (\d+) (was|were) already on when the window opened",
                      "\n".join(res._summary_lines()))
    assert said and any(k == "1" for _, k, _ in said)
    for _, k, verb in said:
        assert verb == ("was" if k == "1" else "were"), (k, verb)
