"""Scores: AUROC against the pairwise count, leads, hits and false alarms on a hand-made case,
and the official indices' signal rule against a plain loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest import ScoreSpec, Signal, auroc, parse_episodes, score
from spillwatch.exceptions import ConfigError
from spillwatch.service.backtest import Comparator, threshold_signal


def pairwise_auroc(s, y):
    pos, neg = s[y], s[~y]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


def test_auroc_matches_the_pairwise_count_with_ties(rng):
    for _ in range(20):
        s = rng.integers(0, 6, 200).astype(float)       # many ties
        y = rng.random(200) < 0.2
        assert auroc(s, y) == pytest.approx(pairwise_auroc(s, y), abs=1e-12)
    assert np.isnan(auroc(np.arange(5.0), np.zeros(5, bool)))


EPISODES = parse_episodes("""
[[episode]]
name = "a"
trigger = 2024-02-01
peak = 2024-02-08
kind = "rates"
""")


def _days_of_episode_a(first: str):
    """Replay days from ``first`` to mid-2024, episode "a"'s trigger and peak, the spec."""
    dates = pd.bdate_range(first, "2024-06-28", name="date")
    pos = {d: i for i, d in enumerate(dates)}
    trig, peak = pos[pd.Timestamp("2024-02-01")], pos[pd.Timestamp("2024-02-08")]
    return dates, len(dates), trig, peak, ScoreSpec(pre=20, post=5, recovery=60, horizons=(5,))


def test_lead_hit_false_alarms_and_auroc_by_hand():
    dates, n, trig, peak, spec = _days_of_episode_a("2023-01-02")
    early = np.zeros(n)
    early[trig - 3:peak + 2] = 1.0          # on 3 bdays before the trigger
    early[100:103] = 1.0                    # a false alarm on a calm day
    early[104:106] = np.nan                 # unavailable: carries the state, no new alarm
    early[106:108] = 1.0                    # ...but this is a new onset after an off day
    late = np.zeros(n)
    late[peak + 2:peak + 4] = 1.0           # after the peak: not a hit
    idx = np.arange(n)
    score_ = np.where((idx >= peak - 5) & (idx <= peak + 60), 2.0, 1.0)  # high before the peak
    sigs = [Signal("sw", "sw", "index", early, score_),
            Signal("c", "c", "comparator", late, np.ones(n))]
    card = score(dates, sigs, EPISODES, headline="sw", spec=spec)
    leads = card.leads.set_index("signal")
    assert leads.loc["sw", "first_alert"] == dates[trig - 3]
    assert leads.loc["sw", "lead_bdays"] == peak - (trig - 3) and leads.loc["sw", "hit"]
    assert leads.loc["c", "lead_bdays"] == -2 and not leads.loc["c", "hit"]
    assert card.versus.iloc[0]["lead_bdays"] == (peak + 2) - (trig - 3)
    s = card.summary
    calm = np.ones(n, bool)
    calm[trig - 20:peak + 61] = False
    calm_years_sw = (calm & ~np.isnan(early)).sum() / 261.0
    assert s.loc["sw", "false_alarms"] == 2
    assert s.loc["sw", "false_alarms_per_year"] == pytest.approx(2 / calm_years_sw)
    assert s.loc["sw", "hit_rate"] == 1.0 and s.loc["c", "hit_rate"] == 0.0
    # days peak-5..peak-1 are the positives; days from the peak on are left out
    assert s.loc["sw", "positives_5"] == 5
    assert s.loc["sw", "auroc_5"] == pytest.approx(1.0)
    assert s.loc["c", "auroc_5"] == pytest.approx(0.5)


def test_uncovered_episode_does_not_count():
    dates = pd.bdate_range("2024-03-01", "2024-06-28")
    on = np.zeros(len(dates))
    card = score(dates, [Signal("sw", "sw", "index", on, on)], EPISODES, headline="sw")
    assert card.summary.loc["sw", "covered"] == 0


def test_a_replay_inside_an_episode_has_no_calm_day_and_a_cut_window_is_not_covered():
    spec = ScoreSpec(pre=20, post=5, recovery=60, horizons=(5,))
    # the episode triggers 2024-02-01 and peaks 2024-02-08: a replay of 2024-02-12..03-01
    # lies in its recovery (the peak is outside the replay, the days are not calm)
    dates = pd.bdate_range("2024-02-12", "2024-03-01")
    on = np.ones(len(dates))
    card = score(dates, [Signal("sw", "sw", "index", on, on)], EPISODES, headline="sw",
                 spec=spec)
    assert card.summary.loc["sw", "calm_years"] == 0.0
    assert card.summary.loc["sw", "false_alarms"] == 0
    # a replay that starts after T - pre: an earlier alert would be unseen, so not covered
    dates = pd.bdate_range("2024-01-29", "2024-06-28")
    card = score(dates, [Signal("sw", "sw", "index", np.ones(len(dates)), np.ones(len(dates)))],
                 EPISODES, headline="sw", spec=spec)
    assert card.summary.loc["sw", "covered"] == 0


def naive_threshold(values, days=365, pct=90.0, need=2, burn_in_days=182.5):
    out = []
    for t, v in values.items():
        past = values[(values.index >= t - pd.Timedelta(days=days)) & (values.index < t)]
        grown = t - values.index[0] >= pd.Timedelta(days=burn_in_days)
        thr = np.percentile(past, pct) if len(past) >= need and grown else np.nan
        out.append((thr, float(v > thr) if not np.isnan(thr) else np.nan))
    return out


def test_threshold_rule_against_a_plain_loop(rng):
    idx = pd.bdate_range("2020-01-01", periods=700)
    s = pd.Series(rng.standard_normal(700).cumsum(), index=idx)
    got = threshold_signal(s)
    want = naive_threshold(s)
    np.testing.assert_allclose(got["threshold"].to_numpy(), [w[0] for w in want], rtol=1e-12)
    np.testing.assert_array_equal(got["signal"].to_numpy(), [w[1] for w in want])


def test_threshold_rule_reads_each_date_from_its_past_only(rng):
    # a daily index whose first years were weekly (as the CISS file): the burn-in was half the
    # median window count over the whole file, so a file cut early waited fewer observations
    # than the full file did on the same days (look-ahead)
    weekly = pd.date_range("2010-01-01", "2013-12-31", freq="W-FRI")
    daily = pd.bdate_range("2014-01-01", "2019-12-31")
    idx = weekly.append(daily)
    s = pd.Series(rng.standard_normal(len(idx)).cumsum(), index=idx)
    full = threshold_signal(s)
    for cut in ("2010-09-30", "2012-06-30", "2014-03-31", "2016-06-30"):
        part = threshold_signal(s.loc[:cut])
        pd.testing.assert_frame_equal(part, full.loc[:cut])
    assert full["threshold"].first_valid_index() == weekly[weekly >= weekly[0] + pd.Timedelta(
        days=182.5)][0]                                       # half a year of history


def test_comparator_reads_the_last_released_value():
    fri = pd.date_range("2024-01-05", periods=6, freq="W-FRI")
    obs = pd.DataFrame({"value": np.arange(6.0), "threshold": 2.5,
                        "signal": (np.arange(6.0) > 2.5).astype(float)}, index=fri)
    obs["released"] = fri + pd.Timedelta(days=6)          # the next Thursday
    c = Comparator("x", "X", "fred:X", obs, 16)
    days_ = pd.bdate_range("2024-01-08", "2024-02-29")
    got = c.on(days_)
    assert np.isnan(got.loc["2024-01-10", "value"])               # nothing released yet
    assert got.loc["2024-01-11", "value"] == 0.0                  # Friday 01-05, on Thursday
    assert got.loc["2024-01-17", "value"] == 0.0 and got.loc["2024-01-18", "value"] == 1.0
    assert got.loc["2024-02-15", "signal"] == 1.0
    assert np.isnan(got.loc["2024-02-29", "value"])               # 20 days old: stale


def test_the_first_alert_is_the_onset_of_the_alert_in_effect_at_the_peak():
    """An alarm that went quiet weeks before the peak is not a lead (the replay credited
    COVID with +35 days from a January alert over by early February); short pauses do not
    break an alert; an alert that ended more than ``gap`` days before the peak is a miss."""
    dates = pd.bdate_range("2023-01-02", "2024-06-28", name="date")
    n = len(dates)
    pos = {d: i for i, d in enumerate(dates)}
    trig, peak = pos[pd.Timestamp("2024-02-01")], pos[pd.Timestamp("2024-02-08")]
    spec = ScoreSpec(pre=20, post=5, recovery=60, horizons=(5,), gap=5)

    def one(on):
        card = score(dates, [Signal("sw", "sw", "index", on, on)], EPISODES, headline="sw",
                     spec=spec)
        return card.leads.set_index("signal").loc["sw"]

    on = np.zeros(n)
    on[trig - 19:trig - 16] = 1.0          # a short alarm early in the window, then quiet
    on[trig - 2:peak + 1] = 1.0            # the alert that runs into the peak
    on[trig + 1:trig + 3] = np.nan         # a data gap: carries the state
    on[trig + 3:trig + 5] = 0.0            # a two-day pause: still the same alert
    got = one(on)
    assert got["first_alert"] == dates[trig - 2] and got["lead_bdays"] == peak - (trig - 2)
    assert got["hit"]
    quiet = np.zeros(n)
    quiet[trig - 19:trig - 10] = 1.0       # over 17 business days before the peak
    got = one(quiet)
    assert pd.isna(got["first_alert"]) and not got["hit"]
    # the method paragraph of the report, the dashboard and the JSON says this rule (it said
    # "the first alert in the episode window", which made a miss of a hit and back)
    from spillwatch.alerts.backtest import METHOD

    assert ("its first alert is the onset of the alert in effect at the peak" in METHOD
            and f"off spells of up to {ScoreSpec().gap} business days" in METHOD
            and f"with an on day among the {ScoreSpec().gap} business days to the peak" in METHOD
            and f"went quiet more than {ScoreSpec().gap} business days before" in METHOD)
    late = quiet.copy()
    late[peak + 3] = 1.0
    got = one(late)
    assert got["first_alert"] == dates[peak + 3] and got["lead_bdays"] == -3
    assert not got["hit"]
    ended = np.zeros(n)
    ended[trig - 5:peak - 4] = 1.0         # ended 4 days before the peak (within gap): a hit
    got = one(ended)
    assert got["first_alert"] == dates[trig - 5] and got["hit"]
    with pytest.raises(ConfigError, match="gap"):
        ScoreSpec(gap=-1)


def test_a_few_calm_days_give_a_count_not_a_yearly_rate():
    # one alarm over two calm days read "130.5 false alarms a year"
    dates = pd.bdate_range("2024-07-01", "2024-07-31")
    on = np.zeros(len(dates))
    on[10] = 1.0
    card = score(dates, [Signal("sw", "sw", "index", on, on)], EPISODES, headline="sw")
    row = card.summary.loc["sw"]
    assert row["false_alarms"] == 1 and row["calm_years"] < 0.5
    assert np.isnan(row["false_alarms_per_year"])
    longer = pd.bdate_range("2024-07-01", "2025-01-31")
    on2 = np.zeros(len(longer))
    on2[10] = 1.0
    row2 = score(longer, [Signal("sw", "sw", "index", on2, on2)], EPISODES,
                 headline="sw").summary.loc["sw"]
    assert row2["calm_years"] >= 0.5
    assert row2["false_alarms_per_year"] == pytest.approx(1 / row2["calm_years"])


def test_an_alert_on_when_the_replay_or_the_data_begin_is_not_a_false_alarm():
    # a replay from a calm day on which the OFR FSI had been on for days counted its state on
    # the first day as an alert starting: the start was before the replay (not seen)
    dates = pd.bdate_range("2024-07-01", "2025-03-31")
    n = len(dates)
    already = np.zeros(n)
    already[:5] = 1.0                       # on from the first day: began before the replay
    already[40:42] = 1.0                    # an alert that starts inside: counted
    late_data = np.full(n, np.nan)
    late_data[20:] = 0.0
    late_data[20:23] = 1.0                  # on from the signal's first available day
    late_data[60] = 1.0                     # counted
    card = score(dates, [Signal("a", "a", "index", already, already),
                         Signal("b", "b", "comparator", late_data, late_data)],
                 EPISODES, headline="a")
    assert card.summary.loc["a", "false_alarms"] == 1
    assert card.summary.loc["b", "false_alarms"] == 1


def test_a_median_lead_on_a_half_day_is_printed_as_one():
    from spillwatch.alerts.backtest.scores import signed_days
    assert [signed_days(v) for v in (4.5, 7.5, -2.5, 3.0, -1.0, 0.0)] == \
        ["+4.5", "+7.5", "-2.5", "+3", "-1", "+0"]


def test_the_lead_to_the_trigger_and_an_alert_already_on_are_counted_apart():
    """A lead to the peak alone flattered the index: an alert on since before the window
    counted as a 20-day warning, and one starting after the trigger read as a lead."""
    dates, n, trig, peak, spec = _days_of_episode_a("2023-06-01")
    on_before = np.zeros(n)
    on_before[trig - 40:peak + 1] = 1.0     # on since long before the window opened
    after_trigger = np.zeros(n)
    after_trigger[trig + 2:peak + 1] = 1.0  # first on two days after the trigger
    early = np.zeros(n)
    early[trig - 3:peak + 1] = 1.0          # three days before the trigger
    sigs = [Signal("sw", "sw", "index", early, None),
            Signal("old", "old", "rule", on_before, None),
            Signal("late", "late", "rule", after_trigger, None)]
    card = score(dates, sigs, EPISODES, headline="sw", spec=spec)
    leads = card.leads.set_index("signal")
    assert leads.loc["old", "lead_bdays"] == peak - (trig - 20)      # capped by the window
    assert leads.loc["old", "already_on"] and leads.loc["old", "lead_trigger_bdays"] == 20
    assert leads.loc["late", "hit"] and leads.loc["late", "lead_trigger_bdays"] == -2
    assert not leads.loc["late", "already_on"]
    assert leads.loc["sw", "lead_trigger_bdays"] == 3 and not leads.loc["sw", "already_on"]
    s = card.summary
    assert (s.loc["sw", "hits_before_trigger"], s.loc["sw", "hits_already_on"]) == (1, 0)
    # the alert already on is counted apart, not among the hits that started before the
    # trigger, and its capped lead stays out of the median
    assert (s.loc["old", "hits_before_trigger"], s.loc["old", "hits_already_on"]) == (0, 1)
    assert np.isnan(s.loc["old", "median_lead_trigger_bdays"])
    assert (s.loc["late", "hits_before_trigger"], s.loc["late", "hits_already_on"]) == (0, 0)
    assert s.loc["late", "median_lead_trigger_bdays"] == -2


def test_time_on_and_the_chance_hit_rate_expose_a_signal_that_is_always_on():
    # a rule on every day scored 35/35 hits, +27 days and no false alarm (it never switches
    # on), the best of every signal; its time on and its chance hit rate now say why
    dates, n, trig, peak, spec = _days_of_episode_a("2023-01-02")
    always = np.ones(n)
    sparse = np.zeros(n)
    sparse[::10] = 1.0                       # on one day in ten, every tenth day
    sparse[:5] = np.nan                      # not available at first
    card = score(dates, [Signal("all", "all", "rule", always, None),
                         Signal("few", "few", "rule", sparse, None)],
                 EPISODES, headline="all", spec=spec)
    s = card.summary
    assert s.loc["all", "hit_rate"] == 1.0 and s.loc["all", "false_alarms"] == 0
    assert s.loc["all", "on_share"] == s.loc["all", "calm_on_share"] == 1.0
    assert s.loc["all", "hit_rate_chance"] == 1.0          # it buys its hits by being on
    # the chance rate of the sparse one by brute force: the episode's first alert (the
    # scorer's own definition) against every circular shift of the record
    from spillwatch.alerts.backtest.scores import first_alert

    state = pd.Series(sparse).ffill().fillna(0.0).to_numpy()
    hits = []
    for k in range(n):
        first = first_alert(np.roll(state, k), trig - spec.pre, peak, peak + spec.post,
                            spec.gap)
        hits.append(first is not None and first <= peak)
    assert s.loc["few", "hit_rate_chance"] == pytest.approx(np.mean(hits), abs=0.02)
    avail = ~np.isnan(sparse)
    assert s.loc["few", "on_share"] == pytest.approx((state == 1.0)[avail].mean(), abs=1e-12)
    # on one day in ten, yet in effect at six peaks in ten (gap days bridge its off spells)
    assert s.loc["few", "hit_rate_chance"] > 5 * s.loc["few", "on_share"]


def test_a_comparator_s_lead_is_also_given_by_its_observation_date():
    """An official index read as released alerts a week after what it observed: the lead
    over it is partly its publication lag. Its first alert re-dated to the observation it read
    gives the lead net of the lag (OFR's +2 was 0)."""
    dates, n, trig, peak, spec = _days_of_episode_a("2023-01-02")
    mine = np.zeros(n)
    mine[trig - 1:peak + 2] = 1.0
    theirs = np.zeros(n)
    theirs[trig + 4:peak + 2] = 1.0              # released 5 bdays after what it observed
    observed = np.asarray(dates, dtype="datetime64[ns]").copy()
    observed[5:] = observed[:-5]
    observed[:5] = np.datetime64("NaT")
    sigs = [Signal("sw", "sw", "index", mine, mine),
            Signal("c", "c", "comparator", theirs, theirs, observed=observed)]
    card = score(dates, sigs, EPISODES, headline="sw", spec=spec)
    row = card.versus.iloc[0]
    assert row["lead_bdays"] == (trig + 4) - (trig - 1) == 5
    assert row["comparator_first_observed"] == dates[trig - 1]
    assert row["lead_observed_bdays"] == 0
    from spillwatch.alerts.backtest.scores import headline_figures

    h = headline_figures(card, {})
    assert h["median_lead_vs_c_bdays"] == 5 and h["median_lead_vs_c_observed_bdays"] == 0
    # without observation dates, no observation-dated lead
    bare = score(dates, [sigs[0], Signal("c", "c", "comparator", theirs, theirs)], EPISODES,
                 headline="sw", spec=spec)
    assert np.isnan(bare.versus.iloc[0]["lead_observed_bdays"])


def test_an_official_index_is_scored_by_its_own_recursive_percentile(rng):
    """The AUROC ranked spillwatch's recursive percentile against the official indices' raw
    levels pooled over decades; each index now gets its own age-weighted percentile, with the
    stress index's half-life and burn-in in its own observations, and no look-ahead."""
    from spillwatch.analytics.stress import StressIndex, weighted_ecdf
    from spillwatch.service.backtest import own_percentile

    weeks = pd.date_range("2000-01-07", periods=600, freq="W-FRI")
    x = pd.Series(np.cumsum(rng.normal(0, 1, 600)), index=weeks)
    got = own_percentile(x)
    spec = StressIndex()
    scale = (365.25 / 7) / 252
    want = weighted_ecdf(x, half_life=spec.half_life * scale,
                         min_obs=round(spec.burn_in * scale)) * 100
    pd.testing.assert_series_equal(got, want, check_names=False)
    assert got.iloc[:51].isna().all() and got.iloc[52:].notna().all()
    # an earlier cut gives the same earlier readings
    pd.testing.assert_series_equal(own_percentile(x.iloc[:300]), got.iloc[:300])


# -- uncertainty -------------------------------------------------------------------------------


def test_a_weighted_auroc_is_the_auroc_of_the_resample_it_weights(rng):
    """Each bootstrap resample counts day i w[r, i] times: its AUROC equals the pairwise count
    over the days repeated that often (ties one half), also on a subset of the calendar."""
    from spillwatch.alerts.backtest.scores import block_weights, weighted_auroc

    n = 600
    w = block_weights(n, block=50, draws=40, seed=3)
    assert w.shape == (40, n) and (w.sum(axis=1) == n).all()
    for tie in (False, True):
        s = rng.integers(0, 8, n).astype(float) if tie else rng.normal(size=n)
        y = rng.random(n) < 0.1
        keep = rng.random(n) < 0.8
        days = np.flatnonzero(keep)
        got = weighted_auroc(s[keep], y[keep], w, days)
        for r in range(40):
            take = np.repeat(days, w[r, days])
            assert got[r] == pytest.approx(pairwise_auroc(s[take], y[take]), abs=1e-12)
        ones = weighted_auroc(s, y, np.ones((1, n), dtype=np.int32))
        assert ones[0] == pytest.approx(auroc(s, y), abs=1e-15)
    # a resample of circular blocks: each draw's days are runs of 50 consecutive days
    one = block_weights(100, block=50, draws=1, seed=0)[0]
    assert one.sum() == 100 and set(np.unique(one)) <= {0, 1, 2}


def test_the_scorecard_gives_intervals_that_treat_an_episode_as_one(rng):
    """AUROC(20) on the common days with a block-bootstrap 95% interval, the gap to each
    official index with its paired interval, Wilson's interval of each hit rate (checked
    against statsmodels), and the same numbers on a second run (fixed seed)."""
    from statsmodels.stats.proportion import proportion_confint

    from spillwatch.alerts.backtest.scores import headline_figures

    dates = pd.bdate_range("2000-01-03", "2019-12-31", name="date")
    n = len(dates)
    peaks = dates[np.arange(300, n - 100, 260)]
    eps = parse_episodes("".join(
        f'[[episode]]\nname = "e{i}"\ntrigger = {(p - pd.offsets.BDay(5)).date()}\n'
        f'peak = {p.date()}\nkind = "rates"\n' for i, p in enumerate(peaks)))
    idx = np.arange(n)
    near = np.zeros(n)
    for p in dates.get_indexer(peaks):
        near += np.exp(-np.abs(idx - (p - 5)) / 8.0)
    # persistent noise (as an index's: AR(1), 0.97): days near each other are not
    # independent draws, and a bootstrap of single days would say they were
    noise = np.zeros((2, n))
    shocks = rng.normal(0, 0.3 * np.sqrt(1 - 0.97**2), (2, n))
    for t in range(1, n):
        noise[:, t] = 0.97 * noise[:, t - 1] + shocks[:, t]
    good = near + noise[0]                       # rises before each peak
    weak = 0.3 * near + noise[1]
    on_good = (good > np.quantile(good, 0.9)).astype(float)
    on_weak = (weak > np.quantile(weak, 0.9)).astype(float)
    sigs = [Signal("sw", "sw", "index", on_good, good),
            Signal("c", "c", "comparator", on_weak, weak)]
    card = score(dates, sigs, eps, headline="sw")
    again = score(dates, sigs, eps, headline="sw")
    pd.testing.assert_frame_equal(card.summary, again.summary)
    s = card.summary
    for k in ("sw", "c"):
        r = s.loc[k]
        assert r["auroc_common_20_lo"] < r["auroc_common_20"] < r["auroc_common_20_hi"]
        lo, hi = proportion_confint(int(r["hits"]), int(r["covered"]), method="wilson")
        assert (r["hit_rate_lo"], r["hit_rate_hi"]) == pytest.approx((lo, hi), abs=1e-12)
    gap = s.loc["c"]
    assert gap["auroc_common_20_gap"] == pytest.approx(
        s.loc["sw", "auroc_common_20"] - s.loc["c", "auroc_common_20"], abs=1e-12)
    assert 0 < gap["auroc_common_20_gap_lo"] < gap["auroc_common_20_gap"] \
        < gap["auroc_common_20_gap_hi"]
    assert np.isnan(s.loc["sw", "auroc_common_20_gap"])
    # an independent-days interval is too narrow: the block bootstrap's is wider than the
    # Hanley-McNeil standard error's
    a, n1 = s.loc["sw", "auroc_common_20"], int(s.loc["sw", "positives_20"])
    n0 = int((~np.isnan(good)).sum()) - n1
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    hm = np.sqrt((a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0))
    assert s.loc["sw", "auroc_common_20_hi"] - s.loc["sw", "auroc_common_20_lo"] > 2 * 1.96 * hm
    figs = headline_figures(card, {})
    ci = figs["median_lead_vs_c_ci95_bdays"]
    assert ci is None or ci[0] <= figs["median_lead_vs_c_bdays"] <= ci[1]


def test_the_sign_test_and_the_median_lead_s_interval():
    from scipy.stats import binomtest

    from spillwatch.alerts.backtest.scores import median_interval, sign_test

    assert sign_test(12, 7) == pytest.approx(binomtest(12, 19).pvalue, abs=1e-15)
    assert sign_test(0, 0) is None
    leads = np.array([-3.0, 5, 2, 8, 0, 1, 4, -1, 3, 6])
    lo, hi = median_interval(leads)
    assert lo <= np.median(leads) <= hi and lo >= leads.min() and hi <= leads.max()
    assert np.isnan(median_interval(np.array([2.0]))[0])


def test_an_index_without_any_score_in_the_replay_leaves_the_common_days_alone(rng):
    """A comparator whose data begin after the replay's end (the ECB's CISS, from 2015, in a
    replay to 2008) has no score on any day: the common days are those of the indices that
    have one, as on a store without it, not none at all (every common AUROC was NaN)."""
    dates, n, _trig, peak, spec = _days_of_episode_a("2023-01-02")
    idx = np.arange(n)
    good = np.where((idx >= peak - 5) & (idx < peak), 2.0, 1.0) + rng.normal(0, 0.1, n)
    other = rng.normal(0, 1.0, n)
    other[:50] = np.nan                     # a comparator that begins later in the replay
    sigs = [Signal("sw", "sw", "index", (good > 1.5).astype(float), good),
            Signal("c", "c", "comparator", (other > 1).astype(float), other)]
    absent = Signal("ciss", "ciss", "comparator", np.full(n, np.nan), np.full(n, np.nan))
    without = score(dates, sigs, EPISODES, headline="sw", spec=spec).summary
    held = score(dates, [*sigs, absent], EPISODES, headline="sw", spec=spec).summary
    days = (idx >= 50) & (idx + 5 <= n - 1) & ~((idx >= peak) & (idx <= peak + 60))
    y = (idx >= peak - 5) & (idx <= peak - 1)
    assert held.loc["sw", "auroc_common_5"] == pytest.approx(auroc(good[days], y[days]), abs=1e-12)
    for k in ("sw", "c"):
        assert held.loc[k, "auroc_common_5"] == without.loc[k, "auroc_common_5"]
    assert held.loc["c", "auroc_common_5_gap"] == without.loc["c", "auroc_common_5_gap"]
    assert np.isnan(held.loc["ciss", "auroc_common_5"])
    # nor an interval read off its missing scores
    assert held.loc["ciss", ["auroc_common_5_lo", "auroc_common_5_hi"]].isna().all()
