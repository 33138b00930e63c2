"""Edges of the scores (h_mut17): each boundary of the module docstring's definitions, on a
hand-made replay whose expected figure is counted by hand from the definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.tseries.offsets import BDay

from spillwatch.alerts.backtest import ScoreSpec, Signal, auroc, parse_episodes, score
from spillwatch.alerts.backtest.scores import Positions, block_weights, interval

from .test_scores import EPISODES  # one rates episode: trigger 2024-02-01, peak 02-08

SPEC = ScoreSpec(pre=20, post=5, recovery=60, horizons=(5,), gap=5)


def _replay(first="2023-06-01", last="2024-06-28"):
    dates = pd.bdate_range(first, last, name="date")
    pos = {d: i for i, d in enumerate(dates)}
    return dates, len(dates), pos[pd.Timestamp("2024-02-01")], pos[pd.Timestamp("2024-02-08")]


def _leads(dates, on, spec=SPEC, episodes=EPISODES):
    card = score(dates, [Signal("sw", "sw", "index", on, None)], episodes, headline="sw",
                 spec=spec)
    return card.leads.set_index("signal").loc["sw"], card.summary.loc["sw"]


def test_the_auroc_of_a_single_class_is_nan_either_way():
    # no negatives (every day before a peak) is as undefined as no positives
    assert np.isnan(auroc(np.arange(5.0), np.ones(5, bool)))
    assert np.isnan(auroc(np.arange(5.0), np.zeros(5, bool)))


def test_the_circular_bootstrap_draws_every_day_equally_often():
    # Politis & Romano's circular blocks start on any day and wrap round: each day's expected
    # count is 1 in every resample, the last days too (a block may not start in the last
    # block - 1 days of a non-circular scheme, which draws its edge days less)
    w = block_weights(20, block=5, draws=20000, seed=0)
    assert (w.sum(axis=1) == 20).all()
    mean = w.mean(axis=0)
    assert np.abs(mean - 1.0).max() < 0.05, mean


def test_the_interval_is_the_central_95_percent():
    # draws 0..1000: the 2.5% and 97.5% points (linear interpolation) are 25 and 975
    assert interval(np.arange(1001.0)) == pytest.approx((25.0, 975.0), abs=1e-9)
    assert interval(np.arange(1001.0), level=0.9) == pytest.approx((50.0, 950.0), abs=1e-9)


def test_a_peak_before_the_replay_is_out_of_range_like_one_after_it():
    dates = pd.bdate_range("2024-03-01", "2024-06-28")
    pos = Positions.of(dates, EPISODES)          # peak 2024-02-08, before the replay
    assert list(pos.peak) == [len(dates)]
    # with pre=0 the window [T, P + post] would start on day 0: still not covered
    on = np.ones(len(dates))
    _, s = _leads(dates, on, spec=ScoreSpec(pre=0, post=5, recovery=60, horizons=(5,)))
    assert s["covered"] == 0


def test_an_off_spell_of_exactly_gap_days_does_not_break_the_alert():
    dates, n, trig, peak = _replay()
    on = np.zeros(n)
    on[trig - 10:trig - 4] = 1.0            # on, then off for exactly gap = 5 days ...
    on[trig + 1:peak + 1] = 1.0             # ... then on again through the peak
    assert (on[trig - 4:trig + 1] == 0).sum() == SPEC.gap
    got, _ = _leads(dates, on)
    assert got["first_alert"] == dates[trig - 10]
    on[trig + 1] = 0.0                      # one more off day: a new alert
    got, _ = _leads(dates, on)
    assert got["first_alert"] == dates[trig + 2]


def test_a_late_alert_on_the_window_s_last_day_is_found():
    dates, n, _trig, peak = _replay()
    on = np.zeros(n)
    on[peak + SPEC.post] = 1.0              # P + post: the window's last day
    got, _ = _leads(dates, on)
    assert got["first_alert"] == dates[peak + SPEC.post]
    assert got["lead_bdays"] == -SPEC.post and not got["hit"]


def test_a_window_one_day_past_the_replay_is_not_covered_and_one_ending_on_it_is():
    peak = pd.Timestamp("2024-02-08")
    # P + post is the replay's last day: covered
    dates = pd.bdate_range("2023-06-01", peak + 5 * BDay())
    on = np.ones(len(dates))
    assert _leads(dates, on)[1]["covered"] == 1
    # one day short: the window is cut by the replay's end
    dates = pd.bdate_range("2023-06-01", peak + 4 * BDay())
    on = np.ones(len(dates))
    assert _leads(dates, on)[1]["covered"] == 0


def test_a_signal_available_only_from_the_peak_on_covers_the_episode():
    dates, n, _trig, peak = _replay()
    on = np.full(n, np.nan)
    on[peak:] = 1.0                         # available on [T - pre, P] on its last day only
    got, s = _leads(dates, on)
    assert s["covered"] == 1 and got["hit"] and got["lead_bdays"] == 0


def test_an_alert_starting_on_the_window_s_first_day_is_not_already_on():
    dates, n, trig, peak = _replay()
    lo = trig - SPEC.pre
    on = np.zeros(n)
    on[lo:peak + 1] = 1.0                   # off the day before the window opened
    got, _ = _leads(dates, on)
    assert got["first_alert"] == dates[lo] and not got["already_on"]
    on[lo - 1] = 1.0                        # on the day before too: already on
    got, _ = _leads(dates, on)
    assert got["first_alert"] == dates[lo] and got["already_on"]


def test_an_alert_starting_on_the_trigger_day_is_not_before_the_trigger():
    dates, n, trig, peak = _replay()
    on = np.zeros(n)
    on[trig:peak + 1] = 1.0
    got, s = _leads(dates, on)
    assert got["lead_trigger_bdays"] == 0 and got["hit"]
    assert s["hits_before_trigger"] == 0
    on[trig - 1] = 1.0
    assert _leads(dates, on)[1]["hits_before_trigger"] == 1


def test_a_weekend_trigger_opens_the_window_pre_days_before_the_next_business_day():
    eps = parse_episodes("""
[[episode]]
name = "w"
trigger = 2024-02-03
peak = 2024-02-08
kind = "rates"
""")                                        # a Saturday trigger
    dates = pd.bdate_range("2023-06-01", "2024-12-31", name="date")
    on = np.zeros(len(dates))
    _, s = _leads(dates, on, episodes=eps)
    start = pd.Timestamp("2024-02-05") - SPEC.pre * BDay()      # Monday 02-05 less 20
    end = pd.Timestamp("2024-02-08") + SPEC.recovery * BDay()
    calm = int(((dates < start) | (dates > end)).sum())
    assert s["calm_years"] * 261.0 == pytest.approx(calm)


def test_the_auroc_leaves_out_the_last_n_days_whose_future_is_unknown():
    dates, n, _trig, peak = _replay()
    h = 5
    score_ = np.zeros(n)
    score_[peak - h:peak] = 1.0             # the positives score 1
    score_[n - h - 1] = 5.0                 # the last day kept: its horizon ends on the last day
    score_[n - h] = 9.0                     # its horizon runs past the replay: left out
    card = score(dates, [Signal("sw", "sw", "index", np.zeros(n), score_)], EPISODES,
                 headline="sw", spec=SPEC)
    idx = np.arange(n)
    recovering = (idx >= peak) & (idx <= peak + SPEC.recovery)
    keep = ~recovering & (idx + h <= n - 1)
    y = (idx >= peak - h) & (idx < peak)
    pos_s, neg_s = score_[keep & y], score_[keep & ~y]
    want = ((pos_s[:, None] > neg_s[None]).sum()
            + 0.5 * (pos_s[:, None] == neg_s[None]).sum()) / (len(pos_s) * len(neg_s))
    assert card.summary.loc["sw", "auroc_5"] == pytest.approx(want, abs=1e-12)
